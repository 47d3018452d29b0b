// Sessions as a school runs them, in Chromium: the Alès administrator adds
// a closed period, tries to schedule a session in it (422, the period named,
// the summary's link leads to the field, what was typed kept), schedules
// it after the period with approval « par l'école »; a member asks to take
// part (« en attente de validation »); the administrator accepts the request
// on « Demandes à valider »; the member is enrolled.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launch, login, navigate, newPage, visit, withEvidence } from '../lib/browser.mjs';
import { ALES_SCHOOL } from '../lib/catalogue.mjs';
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
const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

test('a school closes a period, schedules a session needing approval and accepts a request', async (t) => {
  const module = fixture('module');
  const tag = Date.now().toString(36);
  // Far enough to meet no other session of the demo.
  const offset = 300 + (Date.now() % 200);
  const admin = await newPage(browser);
  const member = await newPage(browser);
  try {
    await withEvidence(t, [admin, member], async () => {
      await login(admin, 'org-admin');
      await visit(admin, '/formations/periodes-fermees');
      await main(admin).getByLabel('École', { exact: true }).selectOption({ label: ALES_SCHOOL });
      await main(admin).getByLabel(/^Nom de la période/).fill(`Fermeture estivale ${tag}`);
      await main(admin).getByLabel(/^Premier jour/).fill(day(offset));
      await main(admin).getByLabel(/^Dernier jour/).fill(day(offset + 10));
      await navigate(admin, () => main(admin).getByRole('button', { name: 'Ajouter la période' }).click());
      assert.ok((await main(admin).innerText()).includes(`Fermeture estivale ${tag}`));

      // In the period: refused, the period named.
      await visit(admin, `/formations/${module}/sessions/nouvelle`);
      const form = main(admin);
      await form.getByLabel(/^Premier jour/).fill(day(offset + 2));
      await form.getByLabel(/^Dernier jour/).fill(day(offset + 2));
      await form.getByLabel(/^Lieu/).fill(`Salle ${tag}, Alès`);
      await form.getByLabel(/^Nombre de places/).fill('8');
      await form.getByLabel('Validation des inscriptions').selectOption({ label: "par l'école" });
      const res = await navigate(admin, () => form.getByRole('button', { name: 'Programmer la session' }).click());
      assert.equal(res.status(), 422);
      const summary = admin.locator('#erreurs');
      assert.ok((await summary.innerText()).includes(`Fermeture estivale ${tag}`), await summary.innerText());
      await summary.getByRole('link').first().click();
      assert.equal(await admin.evaluate(() => document.activeElement?.id), 'starts_on');
      assert.equal(await main(admin).getByLabel(/^Lieu/).inputValue(), `Salle ${tag}, Alès`);

      // After the period: scheduled.
      await main(admin).getByLabel(/^Premier jour/).fill(day(offset + 20));
      await main(admin).getByLabel(/^Dernier jour/).fill(day(offset + 20));
      await navigate(admin, () => main(admin).getByRole('button', { name: 'Programmer la session' }).click());
      const m = new URL(admin.url()).pathname.match(/^\/sessions\/([0-9a-f-]{36})$/);
      assert.ok(m, `no session page (at ${admin.url()})`);
      const session = m[1];

      // The member asks to take part.
      await login(member, 'member');
      await visit(member, `/sessions/${session}`);
      await navigate(member, () => main(member).getByRole('button', { name: 'Demander à participer' }).click());
      assert.ok((await main(member).innerText()).includes('en attente de validation'));

      // The administrator accepts it.
      await visit(admin, '/mes-validations');
      const card = main(admin).getByRole('listitem').filter({ has: admin.locator(`a[href="/sessions/${session}"]`) });
      await navigate(admin, () => card.getByRole('button', { name: /^Accepter/ }).click());
      await visit(member, `/sessions/${session}`);
      assert.ok((await main(member).innerText()).includes('Vous êtes inscrit·e'));
    });
  } finally {
    await admin.context().close();
    await member.context().close();
  }
});
