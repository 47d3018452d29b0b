// Promotions and the project bank in the browser: the forms filled like a
// person fills them (labels as the pages show them), shared by the stories
// (test/02-promotions, test/02-projets) and the fixtures of the page checks
// (lib/directory.mjs).

import assert from 'node:assert/strict';

import { login, navigate, typeInto, visit } from './browser.mjs';
import { ALES_SCHOOL } from './catalogue.mjs';
import { account, sitePath } from './env.mjs';
import { pdfDocument } from './files.mjs';

export const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const PROMOTION_PATH = new RegExp(`^/promotions/(${UUID})`);
export const PROJECT_PATH = new RegExp(`^/projets/(${UUID})`);

export const ALES_ORGANISATION = 'CA Alès Agglomération';
export const GRAND_EST_ORGANISATION = 'Région Grand Est';

const main = (page) => page.getByRole('main');

/** A date `days` from today, as a date field takes it (YYYY-MM-DD). */
export const isoDay = (days) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);

/** Escapes `s` for a RegExp. */
export const re = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// --- promotions -------------------------------------------------------------

/**
 * Fills « Nouvelle promotion » ({ school, name, starts, ends, description,
 * temperaments: [..] }) and clicks « Enregistrer »; returns the response.
 */
export async function submitPromotion(page, p) {
  await visit(page, '/promotions/nouvelle');
  const form = main(page);
  if (p.school) await form.getByLabel(/^École/).selectOption({ label: p.school });
  await typeInto(form.getByLabel(/^Nom de la promotion/), p.name);
  await form.getByLabel(/^Date de début/).fill(p.starts);
  await form.getByLabel(/^Date de fin/).fill(p.ends);
  if (p.description) await form.getByLabel('Présentation', { exact: true }).fill(p.description);
  if (p.temperaments) await form.getByLabel(/^Catégories de tempérament/).fill(p.temperaments.join('\n'));
  return navigate(page, () => form.getByRole('button', { name: 'Enregistrer', exact: true }).click());
}

/** The promotion's id from the page the browser is on (its members page after creation). */
export function promotionId(page) {
  const m = sitePath(page.url()).match(PROMOTION_PATH);
  assert.ok(m, `not on a promotion's page: ${sitePath(page.url())}`);
  return m[1];
}

/**
 * On « Membres », searches `query` and adds the person found whose label
 * (« Name (Organisation) ») matches `label` (a RegExp); returns the label.
 */
export async function addPromotionMember(page, promotion, query, label = /./) {
  await visit(page, `/promotions/${promotion}/membres?q=${encodeURIComponent(query)}`);
  const found = main(page).getByRole('group', { name: /^Personnes trouvées/ });
  const radios = found.getByRole('radio');
  const labels = await radios.evaluateAll((rs) => rs.map((r) => r.labels[0]?.textContent.trim() ?? ''));
  const chosen = labels.find((l) => label.test(l));
  assert.ok(chosen, `nobody matching ${label} found with « ${query} » (found: ${labels.join('; ') || 'nobody'})`);
  await found.getByRole('radio', { name: chosen, exact: true }).check();
  const res = await navigate(page, () => main(page).getByRole('button', { name: 'Ajouter à la promotion' }).click());
  assert.equal(res.status(), 200, `adding ${chosen}: HTTP ${res.status()}`);
  return chosen;
}

/** The members table of « Membres »: [{ name, organisation, gender, birthYear, seniority, temperament, castingPath }]. */
export async function promotionMembers(page) {
  return main(page)
    .locator('table tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => {
        const cells = [...tr.querySelectorAll('th, td')].map((c) => c.textContent.replace(/\s+/g, ' ').trim());
        return {
          name: cells[0],
          organisation: cells[1],
          gender: cells[2],
          birthYear: cells[3],
          seniority: cells[4],
          temperament: cells[5],
          castingPath: tr.querySelector('a[href*="/membres/"]')?.getAttribute('href') ?? '',
        };
      }),
    );
}

/**
 * The casting data form of a member ({ gender: 'Femme'|'Homme', birthYear,
 * seniority, temperament, consent }); returns the response of « Enregistrer ».
 */
export async function saveCastingData(page, castingPath, c) {
  await visit(page, castingPath);
  const form = main(page);
  if (c.gender) await form.getByRole('group', { name: 'Genre' }).getByLabel(c.gender, { exact: true }).check();
  if (c.birthYear !== undefined) await typeInto(form.getByLabel(/^Année de naissance/), String(c.birthYear));
  if (c.seniority !== undefined) await typeInto(form.getByLabel(/^Ancienneté comme manager/), String(c.seniority));
  if (c.temperament !== undefined) await form.getByLabel('Tempérament', { exact: true }).selectOption({ label: c.temperament });
  if (c.consent !== undefined) await form.getByLabel('La personne a donné son accord').setChecked(c.consent);
  return navigate(page, () => form.getByRole('button', { name: 'Enregistrer', exact: true }).click());
}

// --- the project bank -------------------------------------------------------

/**
 * « Proposer un projet » from the bank ({ title, problem, context,
 * expectedImpact, sponsor, contact, school, visibility: label }); returns
 * the response of « Proposer le projet ».
 */
export async function submitProposal(page, p) {
  await visit(page, '/projets');
  await navigate(page, () => main(page).getByRole('link', { name: 'Proposer un projet' }).click());
  const form = main(page);
  await typeInto(form.getByLabel(/^Intitulé du projet/), p.title);
  await form.getByLabel(/^Problème à résoudre/).fill(p.problem);
  if (p.context) await form.getByLabel('Contexte', { exact: true }).fill(p.context);
  if (p.expectedImpact) await form.getByLabel('Impact attendu', { exact: true }).fill(p.expectedImpact);
  await form.getByLabel(/^Organisation commanditaire/).selectOption({ label: p.sponsor });
  if (p.contact) await typeInto(form.getByLabel(/^Contact chez le commanditaire/), p.contact);
  await form.getByLabel(/^École à qui vous le proposez/).selectOption({ label: p.school });
  if (p.visibility) await form.getByRole('group', { name: 'Qui voit ce projet ?' }).getByLabel(p.visibility, { exact: true }).check();
  return navigate(page, () => form.getByRole('button', { name: 'Proposer le projet' }).click());
}

/** Proposes a project (see submitProposal); checks it landed on its page; returns its id. */
export async function proposeProject(page, p) {
  const res = await submitProposal(page, p);
  assert.equal(res.status(), 200, `proposing « ${p.title} »: HTTP ${res.status()} at ${sitePath(page.url())}`);
  const m = sitePath(page.url()).match(PROJECT_PATH);
  assert.ok(m, `not on the project's page after proposing it: ${sitePath(page.url())}`);
  return m[1];
}

/**
 * On the project's page, the school's decision: « Nouveau statut » chosen
 * by its label, « Pourquoi » typed; returns the response of « Enregistrer le statut ».
 */
export async function setStatus(page, project, status, reason = '') {
  await visit(page, `/projets/${project}`);
  const form = main(page).locator('form', { has: page.getByRole('button', { name: 'Enregistrer le statut' }) });
  await form.getByLabel(/^Nouveau statut/).selectOption({ label: status });
  if (reason) await form.getByLabel('Pourquoi', { exact: true }).fill(reason);
  return navigate(page, () => form.getByRole('button', { name: 'Enregistrer le statut' }).click());
}

/** « Modifier le projet et son équipe » → « Ajouter une personne de l’annuaire »: finds `name` and adds them. */
export async function addTeamMember(page, project, name) {
  await visit(page, `/projets/${project}/modifier`);
  const search = main(page).getByRole('search', { name: 'Chercher une personne dans l’annuaire' });
  await typeInto(search.getByLabel('Nom de la personne'), name);
  await navigate(page, () => search.getByRole('button', { name: 'Chercher' }).click());
  const res = await navigate(page, () =>
    main(page).getByRole('button', { name: new RegExp(`^Ajouter ${re(name)}$`) }).first().click(),
  );
  assert.equal(res.status(), 200, `adding ${name} to the team: HTTP ${res.status()}`);
}

/** Opens a `<details>` of the project page by its summary (if closed). */
export async function openDetails(page, summary) {
  const details = main(page).locator('details', { has: page.locator('summary', { hasText: summary }) });
  if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
  return details;
}

/** « Ajouter une actualité » on the project page; returns the response. */
export async function addUpdate(page, project, body) {
  await visit(page, `/projets/${project}`);
  const form = await openDetails(page, 'Ajouter une actualité');
  await form.getByLabel(/^Ce qui s’est passé/).fill(body);
  return navigate(page, () => form.getByRole('button', { name: 'Publier l’actualité' }).click());
}

/** « Ajouter un indicateur » ({ name, unit, baseline, target }); returns the response. */
export async function addIndicator(page, project, ind) {
  await visit(page, `/projets/${project}`);
  await navigate(page, () => main(page).getByRole('link', { name: 'Ajouter un indicateur' }).click());
  const form = main(page);
  await typeInto(form.getByLabel(/^Nom de l’indicateur/), ind.name);
  if (ind.unit) await typeInto(form.getByLabel(/^Unité/), ind.unit);
  if (ind.baseline) await typeInto(form.getByLabel(/^Valeur de référence/), ind.baseline);
  if (ind.target) await typeInto(form.getByLabel(/^Objectif/), ind.target);
  return navigate(page, () => form.getByRole('button', { name: 'Créer l’indicateur' }).click());
}

/** On an indicator's page, « Ajouter une mesure »; returns the response. */
export async function addMeasure(page, value, note = '') {
  const form = main(page).locator('form', { has: page.getByRole('button', { name: 'Ajouter la mesure' }) });
  await typeInto(form.getByLabel(/^Valeur mesurée/), value);
  if (note) await typeInto(form.getByLabel(/^Précision/), note);
  return navigate(page, () => form.getByRole('button', { name: 'Ajouter la mesure' }).click());
}

/** « Joindre un livrable » on the project page ({ title, name, mimeType, bytes }); returns the response. */
export async function uploadDeliverable(page, project, file) {
  await visit(page, `/projets/${project}`);
  const form = await openDetails(page, 'Joindre un livrable');
  await form.getByLabel(/^Titre/).fill(file.title);
  await form.getByLabel(/^Fichier/).setInputFiles({ name: file.name, mimeType: file.mimeType, buffer: file.bytes });
  return navigate(page, () => form.getByRole('button', { name: 'Joindre le livrable' }).click());
}

/** « Demander de l’aide au réseau » on the project page; returns the response. */
export async function askHelp(page, project, question) {
  await visit(page, `/projets/${project}`);
  const form = await openDetails(page, 'Demander de l’aide au réseau');
  await form.getByLabel(/^Votre question/).fill(question);
  return navigate(page, () => form.getByRole('button', { name: 'Demander de l’aide' }).click());
}

/** The result cards of /projets: [{ id, title }]. */
export async function bankResults(page) {
  const cards = await main(page)
    .locator('ul.cards > li.card .card-title a')
    .evaluateAll((as) => as.map((a) => ({ title: a.textContent.trim(), path: a.getAttribute('href') })));
  return cards.map((c) => ({ ...c, id: c.path.match(PROJECT_PATH)?.[1] })).filter((c) => c.id);
}

/** Searches the bank with `q` (the search form of /projets); returns the results and the count line. */
export async function searchBank(page, q) {
  await visit(page, '/projets');
  const form = main(page).getByRole('search', { name: 'Rechercher dans la banque de projets' });
  await typeInto(form.getByRole('searchbox', { name: /^Intitulé, problème, solution/ }), q);
  const res = await navigate(page, () => form.getByRole('button', { name: 'Rechercher' }).click());
  assert.equal(res.status(), 200, `bank search « ${q} »: HTTP ${res.status()}`);
  const count = (await main(page).locator('p[role="status"]').first().innerText()).trim();
  return { results: await bankResults(page), count };
}

// --- what the page checks need, made once per run ---------------------------

/**
 * Makes the fixtures of the pages of promotions and projects, through the
 * forms (called by ensureFixtures in lib/directory.mjs, with its `attempt`
 * that records why one could not be made):
 * - `promotion`: a promotion of the Alès school (under way, two temperament
 *   categories) made by the Alès administrator, for `{promotion}`;
 * - `promotionMember`: the demo member of Alès added to it by their
 *   professional address, with casting data, for `{promotion_member}`;
 * - `project`: a project the demo member proposes for Alès to its school,
 *   visible to the whole network, retained by the Alès administrator at the
 *   appetizer, for `{project}` and `{life_project}`;
 * - `lifeUpdate`, `lifeIndicator`, `lifeAttachment`, `lifeRequest`: an
 *   update of its timeline, an indicator with a measure, a PDF deliverable
 *   and a help request, added by the Alès administrator (who manages the
 *   school), for `{life_update}`, `{life_indicator}`, `{life_attachment}`,
 *   `{life_request}`.
 * `page` is logged in as nobody or anybody: each step logs in as it needs.
 */
export async function makeProjectFixtures(page, made, attempt, tag) {
  const schoolName = ALES_SCHOOL;
  const as = async (role) => {
    await page.context().clearCookies();
    await login(page, role);
  };
  made.promotion = await attempt('promotion', async () => {
    await as('org-admin');
    const res = await submitPromotion(page, {
      school: schoolName,
      name: `Promotion des Cévennes ${tag}`,
      starts: isoDay(-30),
      ends: isoDay(300),
      description: 'Une promotion de managers de l’agglomération et de ses communes.',
      temperaments: ['Meneur', 'Analytique'],
    });
    assert.equal(res.status(), 200, `creating the promotion: HTTP ${res.status()} at ${sitePath(page.url())}`);
    return promotionId(page);
  });
  made.promotionMember = await attempt('promotionMember', async () => {
    assert.ok(made.promotion, 'no promotion to add a member to');
    await visit(page, `/promotions/${made.promotion}/membres`);
    await main(page).getByLabel('Adresses de courriel professionnelles').fill(account('member').email);
    const res = await navigate(page, () => main(page).getByRole('button', { name: 'Ajouter ces personnes' }).click());
    assert.equal(res.status(), 200, `adding ${account('member').email}: HTTP ${res.status()}`);
    const [m] = await promotionMembers(page);
    assert.ok(m?.castingPath, 'no member with a casting data link after adding the demo member');
    const res2 = await saveCastingData(page, m.castingPath, { gender: 'Femme', birthYear: 1982, seniority: 6, temperament: 'Analytique', consent: true });
    assert.equal(res2.status(), 200, `casting data: HTTP ${res2.status()}`);
    return m.castingPath.match(new RegExp(`/membres/(${UUID})$`))[1];
  });
  made.project = await attempt('project', async () => {
    await as('member');
    const id = await proposeProject(page, {
      title: `Mutualiser les véhicules de service entre communes ${tag}`,
      problem: 'Les véhicules des services dorment la moitié du temps, pendant que d’autres services louent.',
      context: 'Trois communes et l’agglomération, quatre parcs distincts.',
      expectedImpact: 'Moins de locations, un parc plus petit et mieux entretenu.',
      sponsor: ALES_ORGANISATION,
      contact: 'Direction des moyens généraux, moyens@ales.example',
      school: schoolName,
      visibility: 'Tout le réseau',
    });
    await as('org-admin');
    const res = await setStatus(page, id, 'Retenu');
    assert.equal(res.status(), 200, `retaining the project: HTTP ${res.status()}`);
    return id;
  });
  made.lifeProject = made.project;
  if (!made.project) return;
  const id = made.project;
  made.lifeUpdate = await attempt('lifeUpdate', async () => {
    await addUpdate(page, id, 'Premier comité de pilotage avec les quatre parcs.');
    const href = await main(page).locator(`a[href^="/projets/${id}/actualites/"][href$="/modifier"]`).first().getAttribute('href');
    return href.match(new RegExp(`/actualites/(${UUID})/modifier$`))[1];
  });
  made.lifeIndicator = await attempt('lifeIndicator', async () => {
    await addIndicator(page, id, { name: 'Jours de location par mois', unit: 'jours', baseline: '40', target: '10' });
    const ind = sitePath(page.url()).match(new RegExp(`^/projets/${id}/indicateurs/(${UUID})\\?info=indicateur-cree$`))?.[1];
    assert.ok(ind, `not on the indicator's page: ${sitePath(page.url())}`);
    const res = await addMeasure(page, '31,5', 'Relevé du service des moyens généraux');
    assert.equal(res.status(), 200, `measure: HTTP ${res.status()}`);
    return ind;
  });
  made.lifeAttachment = await attempt('lifeAttachment', async () => {
    await uploadDeliverable(page, id, { title: 'Note de cadrage', name: 'note-de-cadrage.pdf', mimeType: 'application/pdf', bytes: pdfDocument('Note de cadrage') });
    const href = await main(page).locator(`#livrables a[href^="/projets/${id}/livrables/"]`).first().getAttribute('href');
    const m = href?.match(new RegExp(`/livrables/(${UUID})$`));
    assert.ok(m, `no deliverable link after the upload (at ${sitePath(page.url())})`);
    return m[1];
  });
  made.lifeRequest = await attempt('lifeRequest', async () => {
    await askHelp(page, id, 'Comment avez-vous réparti les coûts d’un parc mutualisé entre communes ?');
    const m = sitePath(page.url()).match(new RegExp(`^/projets/${id}/entraide/(${UUID})\\?info=aide-demandee$`));
    assert.ok(m, `not on the help request's page: ${sitePath(page.url())}`);
    return m[1];
  });
}

/** Path parameters of the pages of promotions and projects, from the fixtures. */
export const PROJECT_PARAMS = {
  '{promotion}': 'promotion',
  '{promotion_member}': 'promotionMember',
  '{project}': 'project',
  '{life_project}': 'lifeProject',
  '{life_update}': 'lifeUpdate',
  '{life_indicator}': 'lifeIndicator',
  '{life_attachment}': 'lifeAttachment',
  '{life_request}': 'lifeRequest',
};
