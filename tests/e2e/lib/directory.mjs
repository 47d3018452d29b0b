// The directory (« annuaire ») in the browser: what the page checks need
// (a real profile, pending imports, a profile with a photo, modules of the
// catalogue), made once per run the way a person would and remembered in
// the run's state folder, and helpers the stories share (inviting a person
// who then joins).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { inPage, login, navigate, newPage, notice, typeInto, visit } from './browser.mjs';
import { STATE_DIR, linkIn, outboxFiles, sitePath, waitForMail } from './env.mjs';
import { AGENT_HEADERS, agentsCsv, pngImage } from './files.mjs';
import { ALES_SCHOOL, GRAND_EST_SCHOOL, catalogueResults, createModule, themeChoices } from './catalogue.mjs';
import { PROJECT_PARAMS, makeProjectFixtures } from './projects.mjs';

export const ALES = '200066918'; // CA Alès Agglomération: the demo role accounts' organisation
export const GRAND_EST = '200052264'; // Région Grand Est: another member of the network

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const PROFILE_PATH = new RegExp(`^/annuaire/(${UUID})$`);
export const IMPORT_PATH = new RegExp(`^/admin/import/(${UUID})$`);

const main = (page) => page.getByRole('main');

/** The result cards of a directory search page: [{ id, name, path }]. */
export async function searchResults(page) {
  const links = await main(page).locator('.profile-list .card-title a').evaluateAll((as) =>
    as.map((a) => ({ name: a.textContent.trim(), path: a.getAttribute('href') })),
  );
  return links
    .map((l) => ({ ...l, id: l.path.match(PROFILE_PATH)?.[1] }))
    .filter((l) => l.id);
}

/** Uploads an agents file through « Importer une liste d'agents »; returns the response. */
export async function uploadAgents(page, name, bytes) {
  await visit(page, '/admin/import');
  await page.getByLabel(/^Fichier CSV/).setInputFiles({ name, mimeType: 'text/csv', buffer: bytes });
  return navigate(page, () => page.getByRole('button', { name: "Envoyer et voir l'aperçu" }).click());
}

/** Uploads a photo through « Ma fiche »; returns the response. */
export async function uploadPhoto(page, name, mimeType, bytes) {
  await visit(page, '/profil');
  await page.getByLabel(/^(Ajouter|Remplacer) (une|ma) photo/).setInputFiles({ name, mimeType, buffer: bytes });
  return navigate(page, () => page.getByRole('button', { name: 'Envoyer la photo' }).click());
}

// --- what the page checks need, made once per run ---------------------------

const fixturesFile = () => path.join(STATE_DIR, 'directory-fixtures.json');
let cached = null;

/** The fixtures made by ensureFixtures() (or read back from the state folder). */
export function fixtures() {
  if (!cached) {
    try {
      cached = JSON.parse(fs.readFileSync(fixturesFile(), 'utf8'));
    } catch {
      throw new Error('the directory fixtures were not made: call ensureFixtures(browser) in a before() hook');
    }
  }
  return cached;
}

/** A fixture by name, or a clear failure saying why it is missing. */
export function fixture(name) {
  const f = fixtures();
  if (!f[name]) throw new Error(`no ${name} fixture for this run: ${f.errors?.[name] ?? 'not made'}`);
  return f[name];
}

async function attempt(errors, name, fn) {
  try {
    return await fn();
  } catch (e) {
    errors[name] = e.message.split('\n')[0];
    process.stderr.write(`[e2e] directory fixture ${name} could not be made: ${e.message}\n`);
    return null;
  }
}

/**
 * Makes, once per run, what the page checks fill route parameters with:
 * - `profile`: a profile of Alès that the demo member sees in a search
 *   (someone else than the member), for `{profile}`;
 * - `photoProfile`: the Alès administrator's own profile, given a photo;
 * - `import`: a pending import of the Alès administrator (a valid file),
 *   for `{import}`;
 * - `importWithProblems`: a pending import whose file has line problems;
 * - `module`: a module of the Alès school, shared with the network, with
 *   every field filled, made by the Alès administrator through the form,
 *   for `{module}` (the member of Alès sees it as a module of their school,
 *   the coordinator with « Proposer ce module dans mon école »);
 * - `session`: a session of that module (12 seats, in 40 days), for
 *   `{session}`;
 * - `feed`: the Alès administrator's calendar feed (`<token>.ics`), made
 *   on « Mon agenda », for `{feed}`;
 * - `template`: an evaluation questionnaire of the Alès school (« à
 *   chaud », one question), made by its administrator, for `{template}`;
 * - `evaluation`: that questionnaire opened for the session, for
 *   `{evaluation}`;
 * - `path`: a mandatory path of the Alès school (12 months) with `module`
 *   as its step, made by its administrator through the forms, for `{path}`;
 * - `slot`, `person`, `attestation`: the demo member enrols in the
 *   session, the Alès administrator records them present at its first
 *   half-day (`{slot}`) on the attendance sheet, then downloads their
 *   attestation from the school's list (`{person}`: their account id;
 *   `{attestation}`: its verification code);
 * - `trainer`: an external trainer of Alès offered to the network, made
 *   through the form, for `{trainer}`;
 * - `cycle`: a cycle made from the session's edit form (« Ou nouveau
 *   cycle »), for `{cycle}`;
 * - `otherModule`: a module another school shares, that the Alès
 *   administrator may take into her school: one of the demo's if there is
 *   one, otherwise made by the coordinator for Manag'Est (Grand Est).
 * - `promotion`, `promotionMember`, `project`, `lifeProject`, `lifeUpdate`,
 *   `lifeIndicator`, `lifeAttachment`, `lifeRequest`: a promotion of the
 *   Alès school with the demo member, and a retained project with its life
 *   (see makeProjectFixtures in lib/projects.mjs).
 * Each is made by the organisation's people through the site's forms. One
 * that cannot be made is recorded with the reason; the checks that need it
 * fail with that reason, the others run.
 */
export async function ensureFixtures(browser) {
  if (fs.existsSync(fixturesFile())) return fixtures();
  const errors = {};
  const made = { errors };
  const page = await newPage(browser);
  try {
    made.profile = await attempt(errors, 'profile', async () => {
      await login(page, 'member');
      const res = await visit(page, `/annuaire?organisation=${ALES}`);
      assert.equal(res.status(), 200, `/annuaire as a member: HTTP ${res.status()}`);
      const me = await page.getByRole('banner').getByRole('link', { name: /\(mon compte\)$/ }).innerText();
      const results = (await searchResults(page)).filter((r) => !me.startsWith(r.name));
      assert.ok(results.length > 0, 'no profile of Alès found by the demo member');
      // One with expertises shows more of the page; the first one otherwise.
      const withTags = await main(page)
        .locator('.profile-list .card', { has: page.locator('.tags') })
        .locator('.card-title a')
        .first()
        .getAttribute('href', { timeout: 1000 })
        .catch(() => null);
      return withTags?.match(PROFILE_PATH)?.[1] ?? results[0].id;
    });
    await page.context().clearCookies();

    await login(page, 'org-admin');
    made.photoProfile = await attempt(errors, 'photoProfile', async () => {
      const res = await uploadPhoto(page, 'portrait.png', 'image/png', pngImage(120, 120));
      assert.equal(res.status(), 200, `photo upload: HTTP ${res.status()} at ${sitePath(page.url())}`);
      const src = await main(page).locator('img.profile-photo').getAttribute('src');
      return src.match(new RegExp(`^/annuaire/(${UUID})/photo$`))[1];
    });
    const tag = Date.now().toString(36);
    made.import = await attempt(errors, 'import', async () => {
      const csv = agentsCsv(AGENT_HEADERS, [
        ['Aubépine', 'Zoé', `zoe.aubepine.${tag}@ales.example`, 'Cheffe de projet numérique', '04 66 00 00 01', 'A', 'Direction du numérique'],
        ['Lefèvre', 'Benoît', `benoit.lefevre.${tag}@ales.example`, 'Gestionnaire carrières', '04 66 00 00 02', 'B', 'Direction des ressources humaines'],
      ]);
      await uploadAgents(page, 'agents-sirh.csv', csv);
      const m = new URL(page.url()).pathname.match(IMPORT_PATH);
      assert.ok(m, `no import preview after the upload (at ${sitePath(page.url())})`);
      return m[1];
    });
    made.importWithProblems = await attempt(errors, 'importWithProblems', async () => {
      const csv = agentsCsv(AGENT_HEADERS, [
        ['Ferrière', 'Inès', `ines.ferriere.${tag}@ales.example`, 'Directrice de la culture', '', 'A', ''],
        ['Roux', 'Gaël', 'pas-une-adresse', 'Agent de maîtrise', '', 'C', ''],
        ['', 'Maëlle', `maelle.${tag}@ales.example`, 'Assistante', '', 'Z', ''],
      ]);
      await uploadAgents(page, 'agents-a-corriger.csv', csv);
      const m = new URL(page.url()).pathname.match(IMPORT_PATH);
      assert.ok(m, `no import preview after the upload (at ${sitePath(page.url())})`);
      return m[1];
    });
    made.module = await attempt(errors, 'module', async () => {
      await visit(page, '/formations/nouveau');
      const themes = (await themeChoices(page)).slice(0, 2);
      return createModule(page, {
        school: ALES_SCHOOL,
        title: `Manager en transversalité : piloter un projet entre directions ${tag}`,
        format: 'Formation',
        duration: [2, 'jour(s)'],
        categories: ['A', 'B'],
        stage: 'Managers nouvellement en poste',
        objectives: 'Identifier les acteurs d’un projet transversal.\nConstruire une feuille de route partagée entre directions.',
        description: 'Jour 1 : cartographie des parties prenantes, gouvernance du projet.\nJour 2 : animer une instance de pilotage, gérer les désaccords.',
        trainers: 'Cabinet Lierre & Co, <Anne> Martin-Dupré',
        themes,
        shared: true,
      });
    });
    made.session = await attempt(errors, 'session', async () => {
      // A session of that module, scheduled by the Alès administrator.
      assert.ok(made.module, 'no module to schedule a session of');
      await visit(page, `/formations/${made.module}/sessions/nouvelle`);
      const start = new Date(Date.now() + 40 * 86400000).toISOString().slice(0, 10);
      const form = page.getByRole('main');
      await form.getByLabel(/^Premier jour/).fill(start);
      await form.getByLabel(/^Dernier jour/).fill(start);
      await form.getByLabel(/^Lieu/).fill('Salle du conseil, 2 rue Michelet, Alès');
      await form.getByLabel(/^Nombre de places/).fill('12');
      await navigate(page, () => form.getByRole('button', { name: 'Programmer la session' }).click());
      const m = new URL(page.url()).pathname.match(new RegExp(`^/sessions/(${UUID})$`));
      assert.ok(m, `no session page after scheduling (at ${sitePath(page.url())})`);
      return m[1];
    });
    made.feed = await attempt(errors, 'feed', async () => {
      // The Alès administrator's personal calendar link, made on « Mon agenda »
      // (shown once), for `{feed}` (`<token>.ics`).
      await visit(page, '/mon-agenda');
      await navigate(page, () => page.getByRole('main').getByRole('button', { name: /^Créer (mon|un nouveau) lien/ }).click());
      const text = await page.getByRole('main').locator('code.token').innerText();
      const m = text.match(/\/agenda\/([A-Za-z0-9_-]+\.ics)$/);
      assert.ok(m, `no calendar link on /mon-agenda: ${text}`);
      return m[1];
    });
    made.template = await attempt(errors, 'template', async () => {
      // An evaluation questionnaire of Alès's school, with one question.
      await visit(page, '/formations/questionnaires/nouveau');
      const form = page.getByRole('main');
      await form.getByLabel('École').selectOption({ label: ALES_SCHOOL });
      await form.getByLabel(/^À chaud/).check();
      await form.getByLabel(/^Titre/).fill(`Questionnaire à chaud ${tag}`);
      await navigate(page, () => form.getByRole('button', { name: 'Créer le questionnaire' }).click());
      const m = new URL(page.url()).pathname.match(new RegExp(`^/formations/questionnaires/(${UUID})$`));
      assert.ok(m, `no questionnaire page after creating it (at ${sitePath(page.url())})`);
      await page.getByRole('main').getByLabel(/^Note de 1 à 5/).check();
      await page.getByRole('main').getByLabel(/^Texte de la question/).fill('Votre satisfaction globale');
      await navigate(page, () => page.getByRole('main').getByRole('button', { name: 'Ajouter la question' }).click());
      return m[1];
    });
    made.evaluation = await attempt(errors, 'evaluation', async () => {
      // That questionnaire opened for the session, with the default dates.
      assert.ok(made.session && made.template, 'no session or questionnaire to open');
      await visit(page, `/sessions/${made.session}/evaluations`);
      const form = page.getByRole('main');
      await form.getByLabel('Questionnaire', { exact: true }).selectOption(made.template);
      await navigate(page, () => form.getByRole('button', { name: 'Ouvrir le questionnaire' }).click());
      const href = await page.getByRole('main').getByRole('link', { name: /^Voir les questions/ }).first().getAttribute('href');
      const m = href?.match(new RegExp(`^/evaluations/(${UUID})$`));
      assert.ok(m, `no questionnaire link after opening it (at ${sitePath(page.url())})`);
      return m[1];
    });
    made.path = await attempt(errors, 'path', async () => {
      // A mandatory path of Alès's school with `module` as its one step,
      // made by the Alès administrator through the forms.
      assert.ok(made.module, 'no module to make a path step of');
      await visit(page, '/formations/parcours/nouveau');
      const form = page.getByRole('main');
      await form.getByLabel(/^École/).selectOption({ label: ALES_SCHOOL });
      await form.getByLabel(/^Intitulé/).fill(`Prise de poste ${tag}`);
      await form.getByLabel(/^Obligatoire/).check();
      await form.getByLabel(/^Concerne les personnes en poste/).fill('12');
      await form.getByLabel(/^À terminer dans les/).fill('12');
      await navigate(page, () => form.getByRole('button', { name: 'Enregistrer' }).click());
      const m = new URL(page.url()).pathname.match(new RegExp(`^/formations/parcours/(${UUID})/modifier$`));
      assert.ok(m, `no path form after creating it (at ${sitePath(page.url())})`);
      await page.getByRole('main').getByLabel('Module du catalogue de l’école').selectOption(made.module);
      await navigate(page, () => page.getByRole('main').getByRole('button', { name: 'Ajouter l’étape' }).click());
      return m[1];
    });
    const attendance = await attempt(errors, 'slot', async () => {
      assert.ok(made.session, 'no session to record attendance for');
      await page.context().clearCookies();
      await login(page, 'member');
      await visit(page, `/sessions/${made.session}`);
      await navigate(page, () => page.getByRole('main').getByRole('button', { name: /^M’inscrire|^M'inscrire/ }).click());
      await page.context().clearCookies();
      await login(page, 'org-admin');
      await visit(page, `/sessions/${made.session}/emargement`);
      const first = page.getByRole('main').locator('table tbody tr th a').first();
      const href = await first.getAttribute('href');
      const slot = href?.match(new RegExp(`/emargement/(${UUID})$`))?.[1];
      assert.ok(slot, 'no half-day on the attendance page');
      await navigate(page, () => first.click());
      // The member's line: the one fieldset whose « Présent·e » is not the
      // administrator's own (only the member is enrolled).
      await page.getByRole('main').getByLabel('Présent·e').first().check();
      await navigate(page, () => page.getByRole('main').getByRole('button', { name: 'Enregistrer les présences' }).click());
      await visit(page, `/sessions/${made.session}/attestations`);
      const link = page.getByRole('main').getByRole('link', { name: /^Attestation de / }).first();
      const personHref = await link.getAttribute('href');
      const person = personHref?.match(new RegExp(`/attestations/(${UUID})$`))?.[1];
      assert.ok(person, 'no attestation link for the member present');
      const pdf = await page.request.get(new URL(personHref, page.url()).toString());
      assert.equal(pdf.status(), 200, `attestation: HTTP ${pdf.status()}`);
      await visit(page, `/sessions/${made.session}/attestations`);
      const text = await page.getByRole('main').locator('table').innerText();
      const code = text.match(/code ([A-Z0-9]{12})/)?.[1];
      assert.ok(code, 'no verification code after the attestation was issued');
      return { slot, person, code };
    });
    if (!attendance) errors.person = errors.attestation = errors.slot;
    made.slot = attendance?.slot;
    made.person = attendance?.person;
    made.attestation = attendance?.code;
    made.trainer = await attempt(errors, 'trainer', async () => {
      // An external trainer of Alès offered to the network, through the form.
      await visit(page, '/intervenants/nouveau');
      const form = page.getByRole('main');
      await form.getByLabel('École', { exact: true }).selectOption({ label: ALES_SCHOOL });
      await form.getByLabel(/^Externe/).check();
      await form.getByLabel(/^Nom/).fill(`Paul Consultant ${tag}`);
      await form.getByLabel(/^Employeur/).fill('Cabinet Cévennes');
      await form.getByLabel(/^Présentation/).fill('Psychologue du travail.');
      await form.getByLabel(/^Proposer au réseau/).check();
      await navigate(page, () => form.getByRole('button', { name: "Enregistrer l'intervenant" }).click());
      const m = new URL(page.url()).pathname.match(new RegExp(`^/intervenants/(${UUID})$`));
      assert.ok(m, `no trainer page after creating it (at ${sitePath(page.url())})`);
      return m[1];
    });
    made.cycle = await attempt(errors, 'cycle', async () => {
      // The session put in a new cycle from its edit form.
      assert.ok(made.session, 'no session to put in a cycle');
      await visit(page, `/sessions/${made.session}/modifier`);
      const form = page.getByRole('main');
      await form.getByLabel(/^Ou nouveau cycle/).fill(`Cycle des Cévennes ${tag}`);
      await form.getByLabel(/^Titre de la session/).fill('Journée 1 — Alès');
      await navigate(page, () => form.getByRole('button', { name: 'Enregistrer la session' }).click());
      const confirm = page.getByRole('main').getByLabel('Programmer malgré tout');
      if ((await confirm.count()) > 0) {
        await confirm.check();
        await navigate(page, () => page.getByRole('main').getByRole('button', { name: 'Enregistrer la session' }).click());
      }
      const href = await page.getByRole('main').locator('a[href^="/formations/cycles/"]').first().getAttribute('href');
      const m = href?.match(new RegExp(`^/formations/cycles/(${UUID})$`));
      assert.ok(m, `no cycle link on the session page (at ${sitePath(page.url())})`);
      return m[1];
    });
    made.otherModule = await attempt(errors, 'otherModule', async () => {
      // A module of the demo another school shares and Alès has not taken yet.
      await visit(page, '/formations');
      const candidates = (await catalogueResults(page)).filter((c) => c.shared && c.credit !== `Conçu par ${ALES_SCHOOL}`);
      for (const c of candidates.slice(0, 8)) {
        await visit(page, c.path);
        const offer = page.getByRole('main').getByRole('heading', { name: 'Proposer ce module dans mon école' });
        if ((await offer.count()) > 0) return c.id;
      }
      await page.context().clearCookies();
      await login(page, 'coordinator');
      return createModule(page, {
        school: GRAND_EST_SCHOOL,
        title: `Conférence : la sobriété numérique dans les services publics ${tag}`,
        format: 'Conférence',
        duration: [3, 'heure(s)'],
        categories: [],
        stage: 'Tous les managers',
        objectives: 'Mesurer l’empreinte des usages numériques d’un service.',
        shared: true,
      });
    });
    // Promotions and projects (lib/projects.mjs).
    await makeProjectFixtures(page, made, (name, fn) => attempt(errors, name, fn), tag);
  } finally {
    await page.context().close();
  }
  fs.writeFileSync(fixturesFile(), JSON.stringify(made, null, 2));
  cached = made;
  return made;
}

/** A page path with its route parameters filled from the fixtures. */
export function fillParams(p, siren) {
  return p
    .replaceAll('{siren}', siren)
    .replaceAll('{profile}', () => fixture('profile'))
    .replaceAll('{import}', () => fixture('import'))
    .replaceAll('{module}', () => fixture('module'))
    .replaceAll('{session}', () => fixture('session'))
    .replaceAll('{path}', () => fixture('path'))
    .replaceAll('{template}', () => fixture('template'))
    .replaceAll('{evaluation}', () => fixture('evaluation'))
    .replaceAll('{feed}', () => fixture('feed'))
    .replaceAll('{slot}', () => fixture('slot'))
    .replaceAll('{person}', () => fixture('person'))
    .replaceAll('{attestation}', () => fixture('attestation'))
    .replaceAll('{trainer}', () => fixture('trainer'))
    .replaceAll('{cycle}', () => fixture('cycle'))
    .replace(/\{(promotion|promotion_member|project|life_[a-z]+)\}/g, (param) => fixture(PROJECT_PARAMS[param] ?? param));
}

// --- people who join through an invitation ----------------------------------

/**
 * `inviterRole` (a demo account) invites `email` with the role `role` (its
 * label in the form, « Membre » unless given) from the page of the
 * organisation `siren`; the person opens the link of the mail in their own
 * browser and creates their account. Returns { email, name, password }.
 */
export async function inviteAndJoin(t, browser, { inviterRole, siren, email, name, password, role = 'Membre' }) {
  await inPage(t, browser, async (admin) => {
    await login(admin, inviterRole);
    await visit(admin, `/organisations/${siren}`);
    const form = admin.locator('form').filter({ has: admin.getByRole('button', { name: 'Inviter' }) });
    await typeInto(form.getByLabel(/^Adresse électronique/), email);
    await form.getByLabel('Rôle').selectOption({ label: role });
    const before = outboxFiles();
    await navigate(admin, () => form.getByRole('button', { name: 'Inviter' }).click());
    assert.equal(await notice(admin), "L'invitation a été envoyée par courriel.");
    const mail = await waitForMail(email, before);
    const link = linkIn(mail.body, '/invitation?jeton=');
    await admin.context().clearCookies();

    await visit(admin, sitePath(link));
    await typeInto(admin.getByLabel(/^Prénom et nom/), name);
    await typeInto(admin.getByLabel(/^Mot de passe/), password);
    await typeInto(admin.getByLabel(/^Confirmez le mot de passe/), password);
    const res = await navigate(admin, () => admin.getByRole('button', { name: 'Créer mon compte' }).click());
    assert.equal(res.status(), 200, `${email} joins: HTTP ${res.status()} at ${sitePath(admin.url())}`);
    assert.equal(new URL(admin.url()).pathname, '/compte');
  });
  return { email, name, password };
}
