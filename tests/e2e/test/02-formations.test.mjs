// The catalogue of modules (« Formations ») used as its users use it, with
// clicks and typing in Chromium: the Alès administrator adds a module of her
// school (format, duration, categories, themes), kept to her organisation at
// first — a member of Alès sees it, a person of another organisation does
// not (404) — then shares it; the administrator of Région Grand Est finds it
// with « coop » and with a query typed without accents, opens it and takes it
// into the catalogue of Manag'Est, which then shows « Repris par Manag'Est »
// next to the credit « Conçu par » the Alès school. The Grand Est
// administrator joins through an invitation of the network's coordinator
// during the run.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { sitePath } from '../lib/env.mjs';
import { launch, login, loginWith, navigate, newPage, notice, typeInto, visit, withEvidence } from '../lib/browser.mjs';
import { GRAND_EST, inviteAndJoin } from '../lib/directory.mjs';
import {
  ALES_SCHOOL,
  allCatalogueResults,
  GRAND_EST_SCHOOL,
  MODULE_PATH,
  catalogueResults,
  fillModule,
  moduleFacts,
  saveModule,
  searchCatalogue,
  themeChoices,
} from '../lib/catalogue.mjs';

const unique = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const OBJECTIVES = 'Prendre du recul sur une situation managériale.\nS’appuyer sur ses pairs d’autres directions.';
const TITLE = `Coopérer entre directions : atelier de codéveloppement ${unique}`;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const main = (page) => page.getByRole('main');
const mainNav = (page) => page.getByRole('navigation', { name: 'Navigation principale' });

function noProblems(page) {
  assert.deepEqual(page.problems, [], 'the page raised errors or dialogs');
}

async function withPages(t, fn) {
  const pages = [];
  try {
    await withEvidence(t, pages, () => fn(pages));
  } finally {
    for (const p of pages) await p.context().close();
  }
}

/** A new page logged in as a demo role. */
async function asRole(role, pages) {
  const page = await newPage(browser);
  pages.push(page);
  await login(page, role);
  return page;
}

/** A new page logged in as `who` ({ email, password }). */
async function as(who, pages) {
  const page = await newPage(browser);
  pages.push(page);
  const res = await loginWith(page, who.email, who.password);
  assert.equal(res.status(), 200, `login as ${who.email}: HTTP ${res.status()}`);
  return page;
}

// The administrator of Région Grand Est, invited by the coordinator.
let grandEstAdmin = null;
async function grandEst(t) {
  grandEstAdmin ??= await inviteAndJoin(t, browser, {
    inviterRole: 'coordinator',
    siren: GRAND_EST,
    role: "Administrateur·rice de l'organisation",
    email: `ecole.grandest.${unique}@grandest.example`,
    name: `Gaëlle Manag${unique}`,
    password: `une phrase de passe pour Manag'Est ${unique}`,
  });
  return grandEstAdmin;
}

// What the stories share, in order: the module made by the first one.
const made = { path: null, themes: [] };
const modulePath = () => {
  assert.ok(made.path, 'the module was not created (see the first test of this file)');
  return made.path;
};

describe('catalogue des formations', () => {
  test("l'administratrice d'Alès ajoute un module à son école (format, durée, catégories, thématiques), sans le partager", (t) =>
    withPages(t, async (pages) => {
      const admin = await asRole('org-admin', pages);
      await navigate(admin, () => mainNav(admin).getByRole('link', { name: 'Formations', exact: true }).click());
      await main(admin).getByRole('heading', { level: 1, name: 'Catalogue des formations' }).waitFor();
      await navigate(admin, () => main(admin).getByRole('link', { name: 'Ajouter un module' }).click());
      assert.equal(sitePath(admin.url()), '/formations/nouveau');
      await main(admin).getByRole('heading', { level: 1, name: 'Nouveau module' }).waitFor();
      // Her only school is already chosen; one day by default.
      const school = main(admin).getByLabel(/^École/);
      assert.equal(await school.locator('option:checked').innerText(), ALES_SCHOOL);
      made.themes = (await themeChoices(admin)).slice(0, 2);
      assert.equal(made.themes.length, 2, 'the form offers the network’s themes');

      // First with the duration in words: refused, with what was typed kept.
      await fillModule(admin, {
        title: TITLE,
        format: 'Codéveloppement',
        duration: ['trois', 'demi-journée(s)'],
        categories: ['A', 'B'],
        stage: 'Managers confirmés',
        objectives: OBJECTIVES,
        description: 'Six séances de codéveloppement professionnel, en groupe de six à huit managers.',
        trainers: 'Cabinet Lierre & Co <coopération>',
        themes: made.themes,
        shared: false,
      });
      let res = await saveModule(admin);
      assert.equal(res.status(), 422, `a duration in words: HTTP ${res.status()}`);
      assert.match(await admin.title(), /^Erreur — /);
      const summary = main(admin).locator('#erreurs');
      assert.match(await summary.innerText(), /Saisissez la durée en chiffres, par exemple 2 \(jours\) ou 3 \(heures\)\./);
      const duration = main(admin).getByRole('group', { name: 'Durée' }).getByRole('textbox', { name: /^Nombre/ });
      assert.equal(await duration.getAttribute('aria-invalid'), 'true');
      assert.equal(await duration.inputValue(), 'trois');
      assert.equal(await main(admin).getByRole('textbox', { name: /^Intitulé/ }).inputValue(), TITLE);
      assert.equal(await main(admin).getByRole('checkbox', { name: 'B', exact: true }).isChecked(), true);
      assert.equal(await main(admin).getByRole('checkbox', { name: made.themes[1], exact: true }).isChecked(), true);
      // The summary's link leads to the field.
      await summary.getByRole('link', { name: /Saisissez la durée en chiffres/ }).click();
      assert.equal(await admin.evaluate(() => document.activeElement?.id), 'duration_value');

      await typeInto(duration, '3');
      res = await saveModule(admin);
      assert.equal(res.status(), 200, `saving the module: HTTP ${res.status()} at ${sitePath(admin.url())}`);
      const path = new URL(admin.url()).pathname;
      assert.match(path, MODULE_PATH);
      made.path = path;
      assert.equal(await notice(admin), 'Le module a été enregistré.');
      await main(admin).getByRole('heading', { level: 1, name: TITLE }).waitFor();
      const lead = await main(admin).locator('.lead').innerText();
      assert.match(lead, /Codéveloppement/);
      assert.match(lead, /3 demi-journées/);
      assert.doesNotMatch(lead, /Partagé avec le réseau/);
      const facts = await moduleFacts(admin);
      assert.equal(facts['Conçu par'], ALES_SCHOOL);
      assert.equal(facts['Repris par'], undefined);
      assert.equal(facts.Public, 'Managers confirmés — catégories A, B');
      assert.equal(facts.Intervenants, 'Cabinet Lierre & Co <coopération>', 'typed text is shown as text');
      assert.equal(facts['Thématiques'], made.themes.join(', '));
      await main(admin).getByRole('heading', { name: 'Objectifs' }).waitFor();
      await main(admin).getByRole('link', { name: 'Modifier le module' }).waitFor();
      assert.equal(await main(admin).getByRole('heading', { name: 'Proposer ce module dans mon école' }).count(), 0);

      // In the catalogue of her school.
      const found = await searchCatalogue(admin, unique, { École: ALES_SCHOOL });
      assert.deepEqual(found.map((r) => r.path), [path], `« ${unique} » in the catalogue of ${ALES_SCHOOL}`);
      assert.equal(found[0].format, 'Codéveloppement');
      assert.equal(found[0].credit, `Conçu par ${ALES_SCHOOL}`);
      assert.equal(found[0].shared, false);

      // The objectives as typed, one per line: the textarea's line breaks are kept.
      await visit(admin, path);
      const objectives = main(admin).locator('h2:text-is("Objectifs") + *');
      assert.equal(await objectives.innerText(), OBJECTIVES, 'the objectives lose their line breaks on the module page');
      noProblems(admin);
    }));

  test("un module non partagé : une personne membre d'Alès le voit, une personne d'une autre organisation ne le trouve pas (404)", (t) =>
    withPages(t, async (pages) => {
      const path = modulePath();
      const member = await asRole('member', pages);
      await navigate(member, () => mainNav(member).getByRole('link', { name: 'Formations', exact: true }).click());
      assert.equal(await main(member).getByRole('link', { name: 'Ajouter un module' }).count(), 0, 'a member adds no module');
      const found = await searchCatalogue(member, unique);
      assert.deepEqual(found.map((r) => r.path), [path], `a member of Alès searching « ${unique} »`);
      await navigate(member, () => main(member).getByRole('link', { name: TITLE }).click());
      assert.equal(new URL(member.url()).pathname, path);
      await main(member).getByRole('heading', { level: 1, name: TITLE }).waitFor();
      assert.equal((await moduleFacts(member))['Conçu par'], ALES_SCHOOL);
      assert.equal(await main(member).getByRole('link', { name: 'Modifier le module' }).count(), 0);
      assert.equal(await main(member).getByRole('heading', { name: 'Proposer ce module dans mon école' }).count(), 0);
      const edit = await visit(member, `${path}/modifier`);
      assert.equal(edit.status(), 403, `the module form for a member: HTTP ${edit.status()}`);
      noProblems(member);

      const stranger = await as(await grandEst(t), pages);
      const none = await searchCatalogue(stranger, unique);
      assert.deepEqual(none, [], 'another organisation finds an unshared module');
      assert.equal(await main(stranger).locator('p[role="status"]').innerText(), 'Aucun module ne correspond à cette recherche.');
      for (const p of [path, `${path}/modifier`]) {
        const res = await visit(stranger, p);
        assert.equal(res.status(), 404, `${p} from another organisation: HTTP ${res.status()}`);
        assert.ok(!(await main(stranger).innerText()).includes(unique), `${p}: the 404 tells nothing of the module`);
      }
      noProblems(stranger);
    }));

  test("partagé, le module est trouvé par Grand Est avec « coop » ou sans accents, repris dans Manag'Est : « Repris par … », « Conçu par … »", (t) =>
    withPages(t, async (pages) => {
      const path = modulePath();
      const who = await grandEst(t);

      // Alès shares it, from « Modifier le module ».
      const admin = await asRole('org-admin', pages);
      await visit(admin, path);
      await navigate(admin, () => main(admin).getByRole('link', { name: 'Modifier le module' }).click());
      assert.equal(new URL(admin.url()).pathname, `${path}/modifier`);
      await main(admin).getByRole('heading', { level: 1, name: 'Modifier le module' }).waitFor();
      assert.equal(await main(admin).getByRole('textbox', { name: /^Intitulé/ }).inputValue(), TITLE);
      assert.equal(await main(admin).getByLabel(/^Format/).locator('option:checked').innerText(), 'Codéveloppement');
      assert.equal(await main(admin).getByRole('checkbox', { name: 'A', exact: true }).isChecked(), true);
      assert.equal(await main(admin).getByRole('checkbox', { name: 'C', exact: true }).isChecked(), false);
      await fillModule(admin, { shared: true });
      const saved = await saveModule(admin);
      assert.equal(saved.status(), 200);
      assert.equal(sitePath(admin.url()), `${path}?info=module-enregistre`);
      assert.match(await main(admin).locator('.lead').innerText(), /Partagé avec le réseau/);

      // Grand Est finds it: a beginning of a word, then words typed without accents.
      const page = await as(who, pages);
      await navigate(page, () => mainNav(page).getByRole('link', { name: 'Formations', exact: true }).click());
      await main(page).getByRole('link', { name: 'Ajouter un module' }).waitFor();
      let found = await searchCatalogue(page, 'coop');
      assert.match(await page.title(), /^Catalogue des formations — « coop » /);
      found = await allCatalogueResults(page);
      assert.ok(found.some((r) => r.path === path), `« coop » does not find « ${TITLE} »: ${found.map((r) => r.title).join(' | ')}`);
      found = await searchCatalogue(page, `cooperer directions ${unique}`, { Format: 'Codéveloppement' });
      assert.deepEqual(found.map((r) => r.path), [path], '« cooperer directions … » with the format « Codéveloppement »');
      assert.equal(found[0].shared, true);
      found = await searchCatalogue(page, `cooperer ${unique}`, { Format: 'Conférence' });
      assert.deepEqual(found, [], 'the format filter leaves it out');

      await searchCatalogue(page, `coop ${unique}`);
      await navigate(page, () => main(page).getByRole('link', { name: TITLE }).click());
      assert.equal(new URL(page.url()).pathname, path);
      let facts = await moduleFacts(page);
      assert.equal(facts['Conçu par'], ALES_SCHOOL);
      assert.equal(facts['Repris par'], undefined);
      assert.equal(await main(page).getByRole('link', { name: 'Modifier le module' }).count(), 0, 'another school does not edit it');
      const offer = main(page).getByRole('region', { name: 'Proposer ce module dans mon école' });
      const offerText = await offer.innerText();
      assert.ok(offerText.includes(`${ALES_SCHOOL} reste créditée comme conceptrice`), `the offer credits Alès: ${offerText}`);
      assert.equal(await offer.getByLabel('École').locator('option:checked').innerText(), GRAND_EST_SCHOOL);
      const res = await navigate(page, () => offer.getByRole('button', { name: 'Reprendre dans le catalogue' }).click());
      assert.equal(res.status(), 200, `taking the module: HTTP ${res.status()}`);
      assert.equal(sitePath(page.url()), `${path}?info=module-repris`);
      assert.equal(await notice(page), 'Le module figure désormais dans le catalogue de votre école.');
      facts = await moduleFacts(page);
      assert.equal(facts['Repris par'], GRAND_EST_SCHOOL);
      assert.equal(facts['Conçu par'], ALES_SCHOOL, 'the designing school stays credited');
      assert.equal(await main(page).getByRole('heading', { name: 'Proposer ce module dans mon école' }).count(), 0);
      await main(page).getByRole('button', { name: `Retirer du catalogue de ${GRAND_EST_SCHOOL}` }).waitFor();

      // In the catalogue of Manag'Est now, still credited to Alès.
      found = await searchCatalogue(page, unique, { École: GRAND_EST_SCHOOL });
      assert.deepEqual(found.map((r) => r.path), [path], `« ${unique} » in the catalogue of ${GRAND_EST_SCHOOL}`);
      assert.equal(found[0].credit, `Conçu par ${ALES_SCHOOL} · repris par 1 école`);

      // Alès sees who took it.
      await visit(admin, path);
      assert.equal((await moduleFacts(admin))['Repris par'], GRAND_EST_SCHOOL);

      // Alès stops sharing it: Manag'Est, which took it, still has it.
      await visit(admin, `${path}/modifier`);
      await fillModule(admin, { shared: false });
      assert.equal((await saveModule(admin)).status(), 200);
      const still = await visit(page, path);
      assert.equal(still.status(), 200, `a module taken by Manag'Est, no longer shared: HTTP ${still.status()}`);
      assert.equal((await moduleFacts(page))['Conçu par'], ALES_SCHOOL);
      found = await searchCatalogue(page, unique, { École: GRAND_EST_SCHOOL });
      assert.deepEqual(found.map((r) => r.path), [path]);

      // Manag'Est withdraws it: no longer shared, it is gone for Grand Est,
      // who lands on a page that says it was withdrawn (not on a 404).
      await visit(page, path);
      const withdrawn = await navigate(page, () =>
        main(page).getByRole('button', { name: `Retirer du catalogue de ${GRAND_EST_SCHOOL}` }).click(),
      );
      assert.equal(withdrawn.status(), 200, `after « Retirer du catalogue », at ${sitePath(page.url())}: HTTP ${withdrawn.status()}`);
      assert.equal(await notice(page), 'Le module a été retiré du catalogue de votre école.');
      assert.deepEqual(await searchCatalogue(page, unique), [], 'withdrawn and not shared: Grand Est no longer finds it');
      assert.equal((await visit(page, path)).status(), 404);
      for (const p of pages) noProblems(p);
    }));
});
