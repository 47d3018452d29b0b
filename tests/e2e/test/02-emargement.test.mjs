// Attendance and attestations, as the school and a participant use them in
// Chromium: the Alès administrator goes from the session page to
// « Émargement », opens a half-day, marks the member present (radio buttons,
// one fieldset per person) and prints the sign-in sheet (PDF); the member
// downloads her attestation from the session page (a tagged PDF); anyone,
// without logging in, checks its code at « Vérifier une attestation »; an
// unknown code says so (404).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { url } from '../lib/env.mjs';
import { launch, login, navigate, newPage, typeInto, visit, withEvidence } from '../lib/browser.mjs';
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

test('the school records attendance, the member gets her attestation, anyone checks it', async (t) => {
  const session = fixture('session');
  const admin = await newPage(browser);
  const member = await newPage(browser);
  const visitor = await newPage(browser);
  try {
    await withEvidence(t, [admin, member, visitor], async () => {
      // The member is enrolled (fixtures); her name as the site shows it.
      await login(member, 'member');
      const me = (await member.getByRole('banner').getByRole('link', { name: /\(mon compte\)$/ }).innerText())
        .replace(/\s*\(mon compte\)$/, '')
        .trim();

      // The school: session page → « Émargement » → the first half-day.
      await login(admin, 'org-admin');
      await visit(admin, `/sessions/${session}`);
      await navigate(admin, () => main(admin).getByRole('link', { name: 'Émargement' }).click());
      assert.match(new URL(admin.url()).pathname, new RegExp(`^/sessions/${session}/emargement$`));
      await navigate(admin, () => main(admin).locator('table tbody tr th a').first().click());
      const line = main(admin).getByRole('group', { name: me });
      await line.getByLabel('Présent·e').check();
      const saved = await navigate(admin, () => main(admin).getByRole('button', { name: 'Enregistrer les présences' }).click());
      assert.equal(saved.status(), 200);
      await admin.getByText('Les présences ont été enregistrées.').waitFor();

      // The printable sign-in sheet of that half-day.
      const sheetHref = await main(admin).getByRole('link', { name: /^Feuille d’émargement/ }).first().getAttribute('href');
      const sheet = await admin.request.get(url(sheetHref));
      assert.equal(sheet.status(), 200);
      assert.match(sheet.headers()['content-type'], /^application\/pdf$/);
      assert.equal((await sheet.body()).subarray(0, 4).toString(), '%PDF');

      // The member: « Mon attestation de présence (PDF) » on the session page.
      await visit(member, `/sessions/${session}`);
      const href = await main(member).getByRole('link', { name: 'Mon attestation de présence (PDF)' }).getAttribute('href');
      const pdf = await member.request.get(url(href));
      assert.equal(pdf.status(), 200);
      const bytes = await pdf.body();
      assert.equal(bytes.subarray(0, 4).toString(), '%PDF');
      assert.ok(bytes.includes('/StructTreeRoot'), 'the attestation is a tagged PDF');

      // Its code, as the school's list shows it.
      await visit(admin, `/sessions/${session}/attestations`);
      const row = main(admin).getByRole('row', { name: new RegExp(me) });
      const code = (await row.innerText()).match(/code ([A-Z0-9]{12})/)?.[1];
      assert.ok(code, 'no code on the school’s list');

      // Anyone checks it, without logging in.
      await visit(visitor, '/attestations/verifier');
      await typeInto(main(visitor).getByLabel(/^Code de vérification/), code.toLowerCase());
      await navigate(visitor, () => main(visitor).getByRole('button', { name: 'Vérifier' }).click());
      assert.equal(new URL(visitor.url()).pathname, `/attestations/${code}`);
      await main(visitor).getByText('Cette attestation est authentique').waitFor();
      await main(visitor).getByText(me, { exact: true }).waitFor();
      const unknown = await visit(visitor, '/attestations/ABCDEFGHJKMN');
      assert.equal(unknown.status(), 404);
      await main(visitor).getByRole('heading', { name: 'Code inconnu' }).waitFor();
    });
  } finally {
    await admin.context().close();
    await member.context().close();
    await visitor.context().close();
  }
});
