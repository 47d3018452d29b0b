// A second reporter for `node --test`, beside TAP: it says nothing while
// the tests run, then lists every failed test with its file and its
// error at the very end. A CI log is often read from its tail, where a
// failure among some 2,000 TAP entries would otherwise not show.

export default async function* failures(source) {
  const failed = [];
  for await (const event of source) {
    if (event.type !== 'test:fail') continue;
    const { name, file, details } = event.data;
    const error = details?.error;
    // A suite fails because one of its tests did: that test is listed.
    if (error?.failureType === 'subtestsFailed') continue;
    const cause = error?.cause ?? error;
    const message = String(cause?.message ?? cause ?? 'unknown error');
    failed.push({ name, file, message });
  }
  if (!failed.length) return;
  yield `\n# ${failed.length} failed test(s):\n`;
  for (const { name, file, message } of failed) {
    const where = file ? ` (${file.split('/').slice(-2).join('/')})` : '';
    yield `# FAILED ${name}${where}\n${message.replace(/^/gm, '#   ')}\n`;
  }
}
