// Evaluations used as a school uses them, with clicks and typing in
// Chromium: the Alès administrator creates a questionnaire « à chaud » from
// « Questionnaires d'évaluation » (a question without text is refused with
// the error summary linked to the field, what was typed kept), adds a score
// question and a free one, moves the second up; schedules a session of a
// module of her school and opens the questionnaire for it with the default
// dates (it opens on the session's last day: « pas encore ouvert »); the
// preview shows the questions in their new order. A member of Alès gets a
// French 403 on the session's evaluations.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { sitePath } from '../lib/env.mjs';
import { launch, login, navigate, newPage, visit, withEvidence } from '../lib/browser.mjs';
import { ALES_SCHOOL, createModule } from '../lib/catalogue.mjs';

const unique = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const main = (page) => page.getByRole('main');

async function withPages(t, fn) {
  const pages = [];
  try {
    await withEvidence(t, pages, () => fn(pages));
  } finally {
    for (const p of pages) await p.context().close();
  }
}

async function asRole(role, pages) {
  const page = await newPage(browser);
  pages.push(page);
  await login(page, role);
  return page;
}

const made = { session: null };

describe('évaluations des formations', () => {
  test("l'administratrice d'Alès prépare un questionnaire à chaud et l'ouvre pour une session", (t) =>
    withPages(t, async (pages) => {
      const admin = await asRole('org-admin', pages);
      await visit(admin, '/formations/questionnaires');
      await main(admin).getByRole('heading', { level: 1, name: "Questionnaires d'évaluation" }).waitFor();
      await navigate(admin, () => main(admin).getByRole('link', { name: 'Créer un questionnaire' }).click());
      const form = main(admin);
      await form.getByLabel('École').selectOption({ label: ALES_SCHOOL });
      await form.getByLabel(/^À chaud/).check();
      const title = `Questionnaire à chaud ${unique}`;
      await form.getByLabel(/^Titre/).fill(title);
      await navigate(admin, () => form.getByRole('button', { name: 'Créer le questionnaire' }).click());
      const m = new URL(admin.url()).pathname.match(new RegExp(`^/formations/questionnaires/(${UUID})$`));
      assert.ok(m, `not on the questionnaire's page (at ${sitePath(admin.url())})`);
      const template = m[1];
      await main(admin).getByRole('heading', { level: 1, name: title }).waitFor();

      // A question without text: refused, the summary leads to the field.
      await main(admin).getByLabel(/^Note de 1 à 5/).check();
      const res = await navigate(admin, () => main(admin).getByRole('button', { name: 'Ajouter la question' }).click());
      assert.equal(res.status(), 422, `a question without text: HTTP ${res.status()}`);
      const summary = main(admin).locator('#erreurs');
      assert.match(await summary.innerText(), /Saisissez le texte de la question\./);
      await summary.getByRole('link', { name: /Saisissez le texte de la question/ }).click();
      assert.equal(await admin.evaluate(() => document.activeElement?.id), 'label');

      for (const [kind, text] of [
        [/^Note de 1 à 5/, 'Votre satisfaction globale'],
        [/^Réponse libre/, 'Ce que vous retenez'],
      ]) {
        await main(admin).getByLabel(kind).check();
        await main(admin).getByLabel(/^Texte de la question/).fill(text);
        await navigate(admin, () => main(admin).getByRole('button', { name: 'Ajouter la question' }).click());
      }
      await navigate(admin, () => main(admin).getByRole('button', { name: 'Monter la question 2' }).click());
      assert.equal(await main(admin).getByLabel(/^Question 1 /).inputValue(), 'Ce que vous retenez');
      assert.equal(await main(admin).getByLabel(/^Question 2 /).inputValue(), 'Votre satisfaction globale');

      // A session of a module of her school, then the questionnaire for it.
      const module = await createModule(admin, {
        school: ALES_SCHOOL,
        title: `Animer une réunion d'équipe ${unique}`,
        format: 'Formation',
        duration: [1, 'jour(s)'],
        categories: [],
        stage: 'Tous les managers',
        objectives: 'Préparer, animer, conclure.',
        shared: false,
      });
      await visit(admin, `/formations/${module}/sessions/nouvelle`);
      const start = new Date(Date.now() + 45 * 86400000).toISOString().slice(0, 10);
      await main(admin).getByLabel(/^Premier jour/).fill(start);
      await main(admin).getByLabel(/^Dernier jour/).fill(start);
      await main(admin).getByLabel(/^Lieu/).fill(`Salle ${unique}, Alès`);
      await main(admin).getByLabel(/^Nombre de places/).fill('12');
      await navigate(admin, () => main(admin).getByRole('button', { name: 'Programmer la session' }).click());
      const s = new URL(admin.url()).pathname.match(new RegExp(`^/sessions/(${UUID})$`));
      assert.ok(s, `no session page after scheduling (at ${sitePath(admin.url())})`);
      made.session = s[1];
      await navigate(admin, () => main(admin).getByRole('link', { name: /^Questionnaires à chaud et à froid de la session/ }).click());
      assert.equal(sitePath(admin.url()), `/sessions/${made.session}/evaluations`);
      await main(admin).getByLabel('Questionnaire', { exact: true }).selectOption(template);
      await navigate(admin, () => main(admin).getByRole('button', { name: 'Ouvrir le questionnaire' }).click());
      const section = main(admin).getByRole('region', { name: new RegExp(`^${title}`) });
      assert.match(await section.innerText(), /pas encore ouvert/);
      assert.match(await section.innerText(), /Les résultats s'affichent à partir de 3 réponses/);
      await navigate(admin, () => section.getByRole('link', { name: /^Voir les questions/ }).click());
      assert.match(new URL(admin.url()).pathname, new RegExp(`^/evaluations/${UUID}$`));
      const items = await main(admin).locator('ol.questions-preview > li').allInnerTexts();
      assert.deepEqual(items, ['Ce que vous retenez (réponse libre)', 'Votre satisfaction globale (note de 1 à 5)']);
    }));

  test("une personne membre d'Alès ne voit pas les évaluations de la session (403)", (t) =>
    withPages(t, async (pages) => {
      assert.ok(made.session, 'the session was not created (see the first test of this file)');
      const member = await asRole('member', pages);
      const res = await visit(member, `/sessions/${made.session}/evaluations`);
      assert.equal(res.status(), 403, `the session's evaluations for a member: HTTP ${res.status()}`);
      const none = await visit(member, '/mes-questionnaires');
      assert.equal(none.status(), 200);
      await main(member).getByRole('heading', { level: 1, name: 'Mes questionnaires' }).waitFor();
    }));
});
