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
 * - `otherModule`: a module another school shares, that the Alès
 *   administrator may take into her school: one of the demo's if there is
 *   one, otherwise made by the coordinator for Manag'Est (Grand Est).
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
    .replaceAll('{session}', () => fixture('session'));
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
