// The project bank and a project's life, used as their people use them,
// with clicks and typing in Chromium. The demo member of Alès proposes a
// project for their organisation to the Alès school, shared with the
// network; the school's administrator screens it at the appetizer:
// « Non retenu » without a reason is refused (422, French message), then
// given with a reason; the project is proposed again, then retained, and
// the administrator puts the member in its team. The team adds an update to
// the timeline, an indicator (a measure « une douzaine » refused, then a
// number: chart and table), a PDF deliverable (an HTML page named `.pdf` is
// refused with the French message), and flags « besoin d'aide »; the
// request shows on the network coordinator's home page, who offers help;
// the team reads the offer. The bank's search finds the project by a French
// word of the same stem as the one written; a draft project of another
// organisation (Région Grand Est, same words) never appears in it, count
// included, while its author finds it.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { launch, login, navigate, newPage, notice, visit, withEvidence } from '../lib/browser.mjs';
import { sitePath } from '../lib/env.mjs';
import { ALES_SCHOOL, GRAND_EST_SCHOOL } from '../lib/catalogue.mjs';
import { pdfDocument } from '../lib/files.mjs';
import {
  ALES_ORGANISATION,
  GRAND_EST_ORGANISATION,
  addIndicator,
  addMeasure,
  addTeamMember,
  addUpdate,
  askHelp,
  proposeProject,
  re,
  searchBank,
  setStatus,
  uploadDeliverable,
} from '../lib/projects.mjs';

const unique = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
// The search word: the title says « mutualiser », the search « mutualisation ».
const TITLE = `Mutualiser les véhicules de service ${unique}`;
const DRAFT_TITLE = `Mutualiser les salles de réunion ${unique}`;
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

/** The name of the person logged in, from the header (« Name (mon compte) »). */
async function ownName(page) {
  const text = await page.getByRole('banner').getByRole('link', { name: /\(mon compte\)$/ }).innerText();
  return text.replace(/\s*\(mon compte\)\s*$/, '').trim();
}

/** The « Statut » fact of the project page. */
async function statusFact(page) {
  return main(page).locator('dl.facts dt:text-is("Statut") + dd').innerText();
}

describe('projets', () => {
  let project;

  test('proposed, refused at the appetizer with a reason, proposed again, retained', async (t) => {
    await withPages(t, async (pages) => {
      const member = await asRole('member', pages);
      project = await proposeProject(member, {
        title: TITLE,
        problem: 'Chaque service loue des véhicules pendant que ceux des autres restent au garage.',
        context: 'L’agglomération et trois communes ont chacune leur parc.',
        expectedImpact: 'Moins de locations et un parc plus petit.',
        sponsor: ALES_ORGANISATION,
        contact: 'Direction des moyens généraux',
        school: ALES_SCHOOL,
        visibility: 'Tout le réseau',
      });
      assert.equal(await statusFact(member), 'Proposé');
      assert.equal(await main(member).getByRole('heading', { name: 'Appetizer : la décision de l’école' }).count(), 0, 'the sponsor does not screen');

      // The school: « Non retenu » without a reason is refused.
      const admin = await asRole('org-admin', pages);
      const res = await setStatus(admin, project, 'Non retenu');
      assert.equal(res.status(), 422, '« Non retenu » without a reason answers 422');
      const summary = main(admin).locator('#erreurs');
      await summary.getByRole('link', { name: /Dites pourquoi le projet est « Non retenu »/ }).waitFor();
      assert.equal(await main(admin).getByLabel('Pourquoi', { exact: true }).getAttribute('aria-invalid'), 'true');
      await visit(admin, `/projets/${project}`);
      assert.equal(await statusFact(admin), 'Proposé', 'nothing changed');

      // With the reason: kept in the bank, with the reason.
      const reason = 'Le périmètre dépasse une promotion : à découper en un premier lot.';
      assert.equal((await setStatus(admin, project, 'Non retenu', reason)).status(), 200);
      await notice(admin);
      assert.equal(await statusFact(admin), `Non retenu — ${reason}`);
      await main(admin).getByRole('table', { name: /statuts successifs/ }).getByText(reason).waitFor();

      // Proposed again to the same school, then retained.
      const again = main(admin).getByRole('region', { name: 'Proposer à nouveau' });
      await again.getByLabel('Pourquoi maintenant (facultatif)').fill('Premier lot : les véhicules légers.');
      await navigate(admin, () => again.getByRole('button', { name: 'Proposer à nouveau' }).click());
      assert.equal(await statusFact(admin), 'Proposé — Premier lot : les véhicules légers.');
      assert.equal((await setStatus(admin, project, 'Retenu')).status(), 200);
      assert.equal(await statusFact(admin), 'Retenu');
      const history = await main(admin).getByRole('table', { name: /statuts successifs/ }).locator('tbody th').allInnerTexts();
      assert.deepEqual(history, ['Proposé', 'Non retenu', 'Proposé', 'Retenu']);

      // The member joins the team.
      const name = await ownName(member);
      await addTeamMember(admin, project, name);
      await visit(member, `/projets/${project}`);
      await main(member).locator('dl.facts').getByText(name).waitFor();
    });
  });

  test('the team writes its timeline, measures an indicator, attaches deliverables', async (t) => {
    assert.ok(project, 'the project was not made');
    await withPages(t, async (pages) => {
      const team = await asRole('member', pages);
      const res = await addUpdate(team, project, 'Inventaire des quatre parcs terminé : 63 véhicules.');
      assert.equal(res.status(), 200);
      await main(team).getByRole('region', { name: 'Actualités du projet' }).getByText('Inventaire des quatre parcs terminé').waitFor();

      // An indicator; a measure in words is refused, a number is shown as a chart and a table.
      const ind = await addIndicator(team, project, { name: 'Jours de location par mois', unit: 'jours', baseline: '40', target: '10' });
      assert.equal(ind.status(), 200);
      assert.match(sitePath(team.url()), new RegExp(`^/projets/${project}/indicateurs/${UUID}\\?info=indicateur-cree$`));
      await team.getByRole('status').getByText("L'indicateur est créé : ajoutez-lui ses mesures.").waitFor();
      const bad = await addMeasure(team, 'une douzaine');
      assert.equal(bad.status(), 422, 'a measure in words answers 422');
      await main(team).locator('#erreurs').getByRole('link', { name: 'Saisissez un nombre, par exemple 12,5.' }).waitFor();
      assert.equal(await main(team).getByLabel(/^Valeur mesurée/).inputValue(), 'une douzaine', 'what was typed is kept');
      assert.equal(await main(team).getByRole('img', { name: /^Évolution/ }).count(), 0, 'no measure recorded');
      const good = await addMeasure(team, '18,5', 'Relevé de mars');
      assert.equal(good.status(), 200);
      await main(team).getByRole('img', { name: /^Évolution : Jours de location par mois/ }).waitFor();
      const table = main(team).getByRole('table', { name: /Mesures de l’indicateur « Jours de location par mois »/ });
      assert.match(await table.locator('tbody td').first().innerText(), /18,5\s*jours/);
      await visit(team, `/projets/${project}`);
      await main(team).getByRole('region', { name: 'Indicateurs d’impact' }).getByRole('img', { name: /^Évolution : Jours de location par mois/ }).waitFor();

      // A PDF deliverable; an HTML page named .pdf refused.
      const pdf = await uploadDeliverable(team, project, { title: 'Rapport de diagnostic', name: 'diagnostic.pdf', mimeType: 'application/pdf', bytes: pdfDocument('Diagnostic des parcs') });
      assert.equal(pdf.status(), 200);
      const link = main(team).getByRole('region', { name: 'Livrables' }).getByRole('link', { name: 'Rapport de diagnostic' });
      await link.waitFor();
      const file = await team.request.get(new URL(await link.getAttribute('href'), team.url()).toString());
      assert.equal(file.status(), 200);
      assert.equal(file.headers()['content-type'], 'application/pdf');
      assert.equal((await file.body()).subarray(0, 5).toString('latin1'), '%PDF-');

      const html = Buffer.from('<!doctype html><html lang="fr"><title>Rapport</title><script>alert(1)</script><p>Rapport</p></html>\n');
      const refused = await uploadDeliverable(team, project, { title: 'Rapport déguisé', name: 'rapport.pdf', mimeType: 'application/pdf', bytes: html });
      assert.equal(refused.status(), 422, 'an HTML page named .pdf answers 422');
      await main(team).locator('#erreurs').getByRole('link', { name: /Ce fichier n’est pas un PDF, un document bureautique ni une image/ }).waitFor();
      assert.equal(await main(team).getByLabel(/^Titre/).inputValue(), 'Rapport déguisé', 'the title typed is kept');
      await visit(team, `/projets/${project}`);
      assert.equal(await main(team).getByRole('link', { name: 'Rapport déguisé' }).count(), 0, 'nothing attached');
    });
  });

  test('« besoin d’aide »: on another person’s home page, who offers help', async (t) => {
    assert.ok(project, 'the project was not made');
    await withPages(t, async (pages) => {
      const team = await asRole('member', pages);
      const question = `Comment répartir le coût d’un parc mutualisé entre communes ? ${unique}`;
      const res = await askHelp(team, project, question);
      assert.equal(res.status(), 200);
      const request = sitePath(team.url()).match(new RegExp(`^/projets/${project}/entraide/(${UUID})\\?info=aide-demandee$`))?.[1];
      await team.getByRole('status').getByText(/La demande d'aide est publiée/).waitFor();
      assert.ok(request, `not on the help request's page: ${sitePath(team.url())}`);

      // The network's coordinator (Région Grand Est) sees it on the home page.
      const helper = await asRole('coordinator', pages);
      await visit(helper, '/');
      const feed = main(helper).getByRole('region', { name: 'Des équipes projet ont besoin d’aide' });
      const item = feed.getByRole('listitem').filter({ hasText: unique });
      await item.waitFor();
      await navigate(helper, () => item.getByRole('link', { name: TITLE }).click());
      assert.equal(sitePath(helper.url()), `/projets/${project}/entraide/${request}`);
      await main(helper).getByText(question).waitFor();
      const offer = main(helper).getByRole('region', { name: 'Proposer mon aide' });
      await offer.getByLabel(/^Ce que vous proposez/).fill('Nous avons une clé de répartition au kilomètre : appelons-nous.');
      const sent = await navigate(helper, () => offer.getByRole('button', { name: 'Proposer mon aide' }).click());
      assert.equal(sent.status(), 200);
      await main(helper).getByText('Vous avez proposé votre aide').waitFor();

      // The team reads the offer, with who made it.
      await visit(team, `/projets/${project}/entraide/${request}`);
      const offers = main(team).getByRole('region', { name: 'Propositions d’aide' });
      await offers.getByText('clé de répartition au kilomètre').waitFor();
      assert.match(await offers.innerText(), new RegExp(re(await ownName(helper))));
    });
  });

  test('search: found by a word of the same stem; another organisation’s draft never shows', async (t) => {
    assert.ok(project, 'the project was not made');
    await withPages(t, async (pages) => {
      // Région Grand Est drafts a project with the same words, for its school.
      const other = await asRole('coordinator', pages);
      const draft = await proposeProject(other, {
        title: DRAFT_TITLE,
        problem: 'Mutualiser les salles de réunion des véhicules de service.',
        sponsor: GRAND_EST_ORGANISATION,
        school: GRAND_EST_SCHOOL,
        visibility: 'Brouillon (l\'équipe et l\'école)',
      });
      const mine = await searchBank(other, `mutualisation ${unique}`);
      assert.ok(mine.results.some((r) => r.id === draft), 'its author finds the draft');

      const member = await asRole('member', pages);
      const found = await searchBank(member, `mutualisation ${unique}`);
      assert.deepEqual(found.results.map((r) => r.title), [TITLE], 'the Alès project only');
      assert.equal(found.count, '1 projet');
      assert.equal((await searchBank(member, `vehicule ${unique}`)).count, '1 projet', 'accents and plural do not count');
      const none = await searchBank(member, `salles ${unique}`);
      assert.equal(none.count, 'Aucun projet ne correspond à cette recherche.');
      const r = await visit(member, `/projets/${draft}`);
      assert.equal(r.status(), 404, 'the draft is a 404 for a person of another organisation');
    });
  });
});
