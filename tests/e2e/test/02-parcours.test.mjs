// Paths (« Parcours ») used as their users use them, with clicks and typing
// in Chromium: the Alès administrator goes from « Formations » to the paths,
// finds the demo's mandatory « Prise de poste », creates a path « sur
// candidature » (first with a rule typed for it: 422, message, what was
// typed kept), adds two steps from her school's catalogue and makes the
// second optional; the demo member of Alès applies with a motivation; the
// administrator opens « Suivi des personnes », retains the application with
// a note; the member sees « Candidature retenue » and the note on « Mon
// parcours de formation ».

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { sitePath } from '../lib/env.mjs';
import { launch, login, navigate, newPage, visit, withEvidence } from '../lib/browser.mjs';
import { ALES_SCHOOL } from '../lib/catalogue.mjs';

const unique = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const TITLE = `Excellence managériale ${unique}`;
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

describe('parcours', () => {
  test('a path by application: created, applied to, retained', async (t) => {
    await withPages(t, async (pages) => {
      const admin = await asRole('org-admin', pages);
      await visit(admin, '/formations');
      await navigate(admin, () => main(admin).getByRole('link', { name: 'Les parcours de formation' }).click());
      assert.equal(sitePath(admin.url()), '/formations/parcours');
      await main(admin).getByRole('link', { name: 'Prise de poste', exact: true }).first().waitFor();

      // The form, first with a rule typed for a path « sur candidature ».
      await navigate(admin, () => main(admin).getByRole('link', { name: 'Créer un parcours' }).click());
      const form = main(admin);
      await form.getByLabel(/^École/).selectOption({ label: ALES_SCHOOL });
      await form.getByLabel(/^Intitulé/).fill(TITLE);
      await form.getByLabel(/^Sur candidature/).check();
      await form.getByLabel(/^Concerne les personnes en poste/).fill('12');
      const res = await navigate(admin, () => form.getByRole('button', { name: 'Enregistrer' }).click());
      assert.equal(res.status(), 422);
      await main(admin).getByRole('alert').getByText('Seul un parcours obligatoire a une règle').waitFor();
      assert.equal(await form.getByLabel(/^Intitulé/).inputValue(), TITLE, 'title kept');
      await form.getByLabel(/^Concerne les personnes en poste/).fill('');
      await navigate(admin, () => form.getByRole('button', { name: 'Enregistrer' }).click());
      const m = sitePath(admin.url()).match(new RegExp(`^/formations/parcours/(${UUID})/modifier`));
      assert.ok(m, `no path form after creating it (at ${sitePath(admin.url())})`);
      const id = m[1];

      // Two steps from the school's catalogue; the second made optional.
      const choices = await main(admin).getByLabel('Module du catalogue de l’école').locator('option').evaluateAll((os) =>
        os.map((o) => ({ value: o.value, label: o.textContent })).filter((o) => o.value),
      );
      assert.ok(choices.length >= 2, 'the school has fewer than two modules');
      for (const c of choices.slice(0, 2)) {
        await main(admin).getByLabel('Module du catalogue de l’école').selectOption(c.value);
        await navigate(admin, () => main(admin).getByRole('button', { name: 'Ajouter l’étape' }).click());
      }
      const rows = main(admin).getByRole('table').getByRole('row');
      assert.equal(await rows.count(), 3, 'two steps and the header');
      await navigate(admin, () =>
        main(admin).getByRole('button', { name: new RegExp(`^Rendre optionnelle « ${choices[1].label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} »$`) }).click(),
      );
      await main(admin).getByRole('cell', { name: 'Optionnelle', exact: true }).waitFor();

      // The member applies.
      const member = await asRole('member', pages);
      await visit(member, `/formations/parcours/${id}`);
      await main(member).getByText('Entrée sur candidature').waitFor();
      await main(member).getByLabel(/^Votre motivation/).fill('Je souhaite mieux accompagner mon équipe dans les projets transversaux.');
      await navigate(member, () => main(member).getByRole('button', { name: 'Envoyer ma candidature' }).click());
      await main(member).getByText('Candidature en attente').waitFor();

      // The school retains it.
      await visit(admin, `/formations/parcours/${id}`);
      await navigate(admin, () => main(admin).getByRole('link', { name: 'Suivi des personnes' }).click());
      const card = main(admin).locator('article', { hasText: 'mieux accompagner mon équipe' });
      await card.getByLabel('Retenu·e', { exact: true }).check();
      await card.getByLabel(/^Note à la personne/).fill('Bienvenue dans la promotion.');
      await navigate(admin, () => card.getByRole('button', { name: /^Enregistrer la décision/ }).click());
      await main(admin).getByText('Candidature retenue').first().waitFor();

      // The member sees it on « Mon parcours de formation ».
      await visit(member, '/mon-parcours');
      const section = main(member).locator('section', { hasText: TITLE });
      await section.getByText('À faire').waitFor();
      await section.getByText('Bienvenue dans la promotion.').waitFor();
    });
  });
});
