// Calendars, as a member uses them in Chromium: she enrols in a session of
// her school, downloads its .ics from the session page (text/calendar,
// Europe/Paris, the visio link only once enrolled), goes from « Mon compte »
// to « Mon agenda », sees the session listed, creates her personal calendar
// link (shown once) and fetches it without being logged in, as a calendar
// application would; a new link stops the old one; deleting it stops it too.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { sitePath, url } from '../lib/env.mjs';
import { launch, login, navigate, newPage, visit, withEvidence } from '../lib/browser.mjs';
import { ensureFixtures, fixture } from '../lib/directory.mjs';

let browser;
before(async () => {
  browser = await launch();
  await ensureFixtures(browser);
});
after(async () => {
  await browser?.close();
});

const main = (page) => page.getByRole('main');

/** The logical lines of an iCalendar text (unfolded), after checking its form. */
function icsLines(text) {
  assert.ok(text.startsWith('BEGIN:VCALENDAR\r\n'), 'not a calendar');
  assert.ok(text.endsWith('END:VCALENDAR\r\n'), 'unterminated calendar');
  const physical = text.split('\r\n').filter((l) => l !== '');
  for (const l of physical) {
    assert.ok(!l.includes('\n'), `a bare LF in ${JSON.stringify(l)}`);
    assert.ok(Buffer.byteLength(l, 'utf8') <= 75, `a line of ${Buffer.byteLength(l, 'utf8')} octets: ${l}`);
  }
  const out = [];
  for (const l of physical) {
    if (l.startsWith(' ')) out[out.length - 1] += l.slice(1);
    else out.push(l);
  }
  return out;
}

/** Clicks the button that creates (or renews) the link; returns its path. */
async function createLink(page) {
  const button = main(page).getByRole('button', { name: /^Créer (mon lien d’agenda|un nouveau lien)/ });
  const res = await navigate(page, () => button.click());
  assert.equal(res.status(), 200, `creating the link: HTTP ${res.status()}`);
  const shown = (await main(page).locator('code.token').innerText()).trim();
  const m = shown.match(/^https?:\/\/[^/]+(\/agenda\/[A-Za-z0-9_-]{43}\.ics)$/);
  assert.ok(m, `no calendar link shown: ${shown}`);
  return m[1];
}

test('a member adds her session to her calendar and subscribes to her agenda', async (t) => {
  const session = fixture('session');
  const page = await newPage(browser);
  try {
    await withEvidence(t, [page], async () => {
      await login(page, 'member');
      await visit(page, `/sessions/${session}`);
      const enrol = main(page).getByRole('button', { name: /^(M'inscrire|Rejoindre la liste d'attente)$/ });
      if ((await enrol.count()) > 0) await navigate(page, () => enrol.click());
      await main(page).getByText(/Vous êtes inscrit·e|Vous êtes sur la liste d'attente/).first().waitFor();

      // The session's file, from the link of its page.
      const link = main(page).getByRole('link', { name: 'Ajouter à mon agenda (.ics)' });
      const href = await link.getAttribute('href');
      assert.equal(href, `/sessions/${session}/agenda.ics`);
      const file = await page.request.get(url(href));
      assert.equal(file.status(), 200);
      assert.match(file.headers()['content-type'], /^text\/calendar; charset=utf-8$/);
      assert.match(file.headers()['content-disposition'], /^attachment; filename=".+\.ics"$/);
      const lines = icsLines(await file.text());
      assert.ok(lines.includes('TZID:Europe/Paris'), 'no VTIMEZONE for Europe/Paris');
      assert.ok(lines.some((l) => l.startsWith('DTSTART')), 'no DTSTART');
      assert.ok(lines.includes(`URL:${url(`/sessions/${session}`)}`) || lines.some((l) => l.startsWith('URL:') && l.endsWith(`/sessions/${session}`)));

      // « Mon compte » → « Mon agenda »: the session is listed there.
      await visit(page, '/compte');
      await navigate(page, () => main(page).getByRole('link', { name: 'Mon agenda' }).click());
      assert.equal(sitePath(page.url()), '/mon-agenda');
      await main(page).getByRole('heading', { level: 1, name: 'Mon agenda' }).waitFor();
      assert.ok((await main(page).locator(`a[href="/sessions/${session}"]`).count()) > 0, 'the session is not listed on /mon-agenda');

      // The personal link, shown once, read without login.
      const feed = await createLink(page);
      const res = await fetch(url(feed));
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /^text\/calendar/);
      const feedLines = icsLines(await res.text());
      assert.ok(feedLines.some((l) => l.startsWith('UID:') && l.includes('@')), 'no event in the feed');
      assert.ok(feedLines.some((l) => l.startsWith('URL:') && l.endsWith(`/sessions/${session}`)), 'the session is not in the feed');
      await visit(page, '/mon-agenda');
      assert.equal(await main(page).locator('code.token').count(), 0, 'the link is shown again');

      // A new link: the old one stops.
      const renewed = await createLink(page);
      assert.notEqual(renewed, feed);
      assert.equal((await fetch(url(feed))).status, 404);
      assert.equal((await fetch(url(renewed))).status, 200);

      // Deleted: it stops too.
      await navigate(page, () => main(page).getByRole('button', { name: 'Supprimer mon lien d’agenda' }).click());
      await main(page).getByText('Votre lien d’agenda est supprimé').waitFor();
      assert.equal((await fetch(url(renewed))).status, 404);
      assert.equal((await fetch(url('/agenda/inconnu.ics'))).status, 404);
    });
  } finally {
    await page.context().close();
  }
});
