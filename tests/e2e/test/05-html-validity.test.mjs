// The Nu HTML Checker (npm vnu-jar, run with the system's Java) on the HTML
// of every page state the accessibility checks visit (PAGES, a 404, forms
// in their error state; as anonymous, member, coordinator, org-admin): the
// documents exactly as the server sent them, saved under
// artifacts/html/, checked in one run of vnu. Zero errors allowed.
//
// The PAGES entries that are not HTML (downloads, images: NON_HTML_PAGES)
// are checked here too, for what they are: status, type and content for a
// role allowed to get them, the login page for an anonymous visitor, a
// refusal for the roles that may not.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { DESKTOP, launch, login, newPage, withEvidence } from '../lib/browser.mjs';
import { ARTIFACTS, sitePath, slug, url } from '../lib/env.mjs';
import { ensureFixtures } from '../lib/directory.mjs';
import { NON_HTML_PAGES, roleTargets } from '../lib/pages.mjs';

const require = createRequire(import.meta.url);
const VNU_JAR = String(require('vnu-jar'));
const JAVA = process.env.JAVA || 'java';
const HTML_DIR = path.join(ARTIFACTS, 'html');

const saved = new Map(); // file -> description

let browser;
before(async () => {
  fs.rmSync(HTML_DIR, { recursive: true, force: true });
  fs.mkdirSync(HTML_DIR, { recursive: true });
  browser = await launch();
  await ensureFixtures(browser);
});
after(async () => {
  await browser?.close();
});

for (const [role, list] of roleTargets()) {
  describe(`HTML enregistré — ${role}`, () => {
    let page;
    before(async () => {
      page = await newPage(browser, DESKTOP);
      if (role !== 'anonymous') await login(page, role);
    });
    after(async () => {
      await page?.context().close();
    });
    for (const target of list) {
      test(target.name, (t) =>
        withEvidence(t, [page], async () => {
          const res = await target.open(page);
          assert.ok(res.status() < 500, `HTTP ${res.status()}`);
          assert.match(res.headers()['content-type'] ?? '', /^text\/html/);
          const file = path.join(HTML_DIR, `${role}--${slug(target.name) || 'accueil'}.html`);
          assert.ok(!saved.has(file), `two page states saved as ${file}`);
          fs.writeFileSync(file, await res.body());
          saved.set(file, `${target.name} as ${role}, at ${sitePath(page.url())} (HTTP ${res.status()})`);
        }));
    }
  });
}

describe('pages non HTML (fichiers)', () => {
  const byRole = new Map();
  const pageOf = async (role) => {
    if (!byRole.has(role)) {
      const page = await newPage(browser, DESKTOP);
      if (role !== 'anonymous') await login(page, role);
      byRole.set(role, page);
    }
    return byRole.get(role);
  };
  after(async () => {
    for (const p of byRole.values()) await p.context().close();
  });
  const get = async (role, path) => (await pageOf(role)).request.get(url(path), { maxRedirects: 0 });

  for (const [route, spec] of NON_HTML_PAGES) {
    test(`${route} : ${spec.role}`, async () => {
      const path = spec.path();
      const res = await get(spec.role, path);
      const where = `${path} as ${spec.role}`;
      assert.equal(res.status(), 200, `${where}: HTTP ${res.status()}`);
      const headers = res.headers();
      assert.match(headers['content-type'] ?? '', spec.type, `${where}: Content-Type`);
      if (spec.attachment) {
        assert.match(headers['content-disposition'] ?? '', /^attachment;\s*filename=/, `${where}: Content-Disposition`);
        assert.match(headers['content-disposition'], spec.attachment, `${where}: file name`);
      }
      assert.equal(headers['x-content-type-options'], 'nosniff', `${where}: X-Content-Type-Options`);
      const body = await res.body();
      assert.ok(body.length > 0, `${where}: empty body`);
      if (spec.kind === 'vcard') {
        const text = body.toString('utf8');
        assert.match(text, /^BEGIN:VCARD\r?\n/, `${where}: not a vCard`);
        assert.match(text, /\r?\nFN[;:][^\r\n]+/, `${where}: a vCard without FN`);
        assert.match(text, /END:VCARD\r?\n?$/, `${where}: unterminated vCard`);
      }
      if (spec.kind === 'jpeg') {
        assert.deepEqual([...body.subarray(0, 3)], [0xff, 0xd8, 0xff], `${where}: not a JPEG`);
      }
      if (spec.kind === 'csv') {
        assert.ok(body.toString('utf8').split(/\r?\n/).length > 1, `${where}: a CSV with no line of results`);
      }
    });
    if (!spec.public) test(`${route} : anonyme, renvoyé vers la connexion`, async () => {
      const path = spec.path();
      const res = await get('anonymous', path);
      assert.ok([302, 303, 307].includes(res.status()), `${path} as anonymous: HTTP ${res.status()}`);
      assert.match(res.headers().location ?? '', /^\/connexion\?retour=/, `${path} as anonymous: Location`);
    });
    for (const [role, status] of spec.refused) {
      test(`${route} : ${role}, refusé (${status})`, async () => {
        const path = spec.path();
        const res = await get(role, path);
        assert.equal(res.status(), status, `${path} as ${role}: HTTP ${res.status()}`);
        assert.match(res.headers()['content-type'] ?? '', /^text\/html/, `${path} as ${role}: the refusal is a page`);
      });
    }
  }
});

function runVnu(files) {
  return new Promise((resolve, reject) => {
    const child = spawn(JAVA, ['-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

test('Nu HTML Checker : aucune erreur', async (t) => {
  const files = [...saved.keys()];
  assert.ok(files.length > 0, 'no page was saved');
  const { code, out, err } = await runVnu(files);
  // vnu writes its JSON report to standard error.
  const text = err.trim() || out.trim();
  let report;
  try {
    report = JSON.parse(text);
  } catch {
    assert.fail(`vnu (exit ${code}) gave no JSON report:\n${text.slice(0, 2000)}`);
  }
  const messages = report.messages ?? [];
  const fatal = messages.filter((m) => m.type === 'non-document-error');
  assert.deepEqual(fatal, [], 'vnu could not check some documents');
  t.diagnostic(`${files.length} documents checked by vnu ${VNU_JAR}`);
  const byFile = new Map(files.map((f) => [f, []]));
  for (const m of messages) {
    const f = m.url ? decodeURIComponent(new URL(m.url).pathname) : '?';
    if (!byFile.has(f)) byFile.set(f, []);
    byFile.get(f).push(m);
  }
  for (const [file, errors] of byFile) {
    await t.test(`${saved.get(file) ?? file}`, () => {
      assert.deepEqual(
        errors.map((m) => `line ${m.lastLine}:${m.firstColumn ?? m.lastColumn}: ${m.message}\n    ${(m.extract ?? '').replace(/\n/g, '⏎')}`),
        [],
        `${path.relative(process.cwd(), file)}`,
      );
    });
  }
  assert.equal(messages.length, 0, `${messages.length} HTML error(s), listed above`);
});
