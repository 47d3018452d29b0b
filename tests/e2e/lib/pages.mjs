// The pages to check come from the router, not from a list kept here:
// `PAGES` in crates/web/src/router.rs, plus an error page and forms in
// their error state. Route parameters are filled with real things of the
// demo: `{siren}` an organisation, `{profile}` a directory profile,
// `{import}` a pending import, `{module}` a module of the catalogue
// (lib/directory.mjs makes them).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from './env.mjs';
import { navigate, typeInto, visit } from './browser.mjs';
import { fillParams, fixture, uploadAgents, uploadPhoto } from './directory.mjs';
import { fillModule, saveModule } from './catalogue.mjs';
import { PROJECT_PARAMS, addMeasure, isoDay, saveCastingData, setStatus, submitPromotion } from './projects.mjs';

// MAILLAGE_ROUTER_RS: another copy of the file, to check the checks.
export const ROUTER_RS = process.env.MAILLAGE_ROUTER_RS || path.join(REPO_ROOT, 'crates/web/src/router.rs');
export const SIREN = '200066918'; // CA Alès Agglomération, a demo member

/** Strips // comments (outside string literals would be overkill here). */
const uncommented = (file) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.replace(/^\s*\/\/.*$/, ''))
    .join('\n');

/**
 * The router's source, then that of each page module whose routes it
 * merges (`.merge(crate::pages::promotions::routes())`: those modules list
 * their own routes), one text per file.
 */
function sources() {
  const router = uncommented(ROUTER_RS);
  const modules = [...router.matchAll(/\.merge\(\s*crate::pages::(\w+)::\w+\(\)\s*\)/g)].map((m) => m[1]);
  const dir = path.join(path.dirname(ROUTER_RS), 'pages');
  return [router, ...[...new Set(modules)].map((m) => uncommented(path.join(dir, `${m}.rs`)))];
}

/** The router's source (PAGES lives there). */
const source = () => sources()[0];

/** The entries of `pub const PAGES: &[&str] = &[ … ];`, in order. */
export function routerPages() {
  const m = source().match(/pub\s+const\s+PAGES\s*:\s*&\[\s*&str\s*\]\s*=\s*&\[([\s\S]*?)\];/);
  assert.ok(m, `no \`pub const PAGES: &[&str] = &[...]\` in ${ROUTER_RS}`);
  const pages = [...m[1].matchAll(/"([^"]*)"/g)].map((x) => x[1]);
  assert.ok(pages.length > 0, 'PAGES is empty');
  return pages;
}

/** Every path routed with a GET handler: `.route("PATH", get(…)…)`. */
export function routerGetRoutes() {
  return [...sources().join('\n').matchAll(/\.route\(\s*"([^"]+)"\s*,\s*get\(/g)].map((x) => x[1]);
}

/** Every `.route("PATH", …)` with the text of its handlers (up to the next route). */
export function routerRouteSources() {
  return sources().flatMap((src) => {
    const starts = [...src.matchAll(/\.route\(\s*"([^"]+)"/g)];
    return starts.map((m, i) => ({
      path: m[1],
      body: src.slice(m.index + m[0].length, i + 1 < starts.length ? starts[i + 1].index : src.indexOf(';', m.index)),
    }));
  });
}

export const withSiren = (p) => p.replaceAll('{siren}', SIREN);

/** The route parameters of PAGES the checks know how to fill in. */
export const PAGE_PARAMS = ['{siren}', '{profile}', '{import}', '{module}', '{session}', '{path}', '{template}', '{evaluation}', '{feed}', '{slot}', '{person}', '{attestation}', '{trainer}', '{cycle}', ...Object.keys(PROJECT_PARAMS)];

/** A PAGES path with every parameter filled (needs the directory fixtures). */
export const fill = (p) => fillParams(p, SIREN);

/**
 * PAGES entries that answer something else than an HTML document (a file
 * to download, an image). The page checks (axe, keyboard, vnu) leave them
 * out; 05-html-validity checks instead that each answers, for a role
 * allowed to get it, the status and type given here, and sends the others
 * where they belong.
 */
export const NON_HTML_PAGES = new Map([
  [
    '/annuaire/export.csv',
    { kind: 'csv', role: 'org-admin', path: () => `/annuaire/export.csv?organisation=${SIREN}`, type: /^text\/csv\b/, attachment: /\.csv"?$/, refused: [['member', 403]] },
  ],
  [
    '/ecole/statistiques.csv',
    // The figures of the administrator's school (the first scope offered).
    { kind: 'csv', role: 'org-admin', path: () => '/ecole/statistiques.csv', type: /^text\/csv\b/, attachment: /\.csv"?$/, refused: [['member', 403]] },
  ],
  [
    '/annuaire/{profile}/vcard',
    { kind: 'vcard', role: 'member', path: () => fill('/annuaire/{profile}/vcard'), type: /^text\/vcard\b/, attachment: /\.vcf"?$/, refused: [] },
  ],
  [
    '/annuaire/{profile}/photo',
    // The profile given a photo by the fixtures (most have none: 404).
    { kind: 'jpeg', role: 'org-admin', path: () => `/annuaire/${fixture('photoProfile')}/photo`, type: /^image\/jpeg$/, attachment: null, refused: [] },
  ],
  [
    '/sessions/{session}/agenda.ics',
    { kind: 'ics', role: 'member', path: () => fill('/sessions/{session}/agenda.ics'), type: /^text\/calendar\b/, attachment: /\.ics"?$/, refused: [] },
  ],
  [
    '/sessions/{session}/emargement/{slot}/feuille.pdf',
    // The printable sign-in sheet: the school and the session's trainers.
    { kind: 'pdf', role: 'org-admin', path: () => fill('/sessions/{session}/emargement/{slot}/feuille.pdf'), type: /^application\/pdf$/, attachment: null, refused: [['member', 403]] },
  ],
  [
    '/sessions/{session}/attestations/{person}',
    // A participant's attestation, for the school (and the person).
    { kind: 'pdf', role: 'org-admin', path: () => fill('/sessions/{session}/attestations/{person}'), type: /^application\/pdf$/, attachment: null, refused: [] },
  ],
  [
    '/sessions/{session}/attestation.pdf',
    // One's own: the member enrolled and present (fixtures); the school's
    // administrator did not follow the session.
    { kind: 'pdf', role: 'member', path: () => fill('/sessions/{session}/attestation.pdf'), type: /^application\/pdf$/, attachment: null, refused: [['org-admin', 403]] },
  ],
  [
    '/agenda/{feed}',
    // Read by calendar applications without login: its secret link is the
    // credential (`public`: anonymous gets it too).
    { kind: 'ics', role: 'member', path: () => fill('/agenda/{feed}'), type: /^text\/calendar\b/, attachment: /\.ics"?$/, refused: [], public: true },
  ],
  [
    '/projets/export.csv',
    // The bank as CSV: organisations' administrators, only what they see.
    { kind: 'csv', role: 'org-admin', path: () => '/projets/export.csv', type: /^text\/csv\b/, attachment: /\.csv"?$/, refused: [['member', 403]] },
  ],
  [
    '/projets/{life_project}/livrables/{life_attachment}',
    // The fixtures' PDF deliverable of a project shared with the network:
    // anyone who sees the project downloads it.
    { kind: 'pdf', role: 'member', path: () => fill('/projets/{life_project}/livrables/{life_attachment}'), type: /^application\/pdf$/, attachment: /\.pdf"?$/, refused: [] },
  ],
]);

/** The PAGES entries that are HTML pages. */
export const htmlPages = () => routerPages().filter((p) => !NON_HTML_PAGES.has(p));

// Failed logins count against the address typed (5 in 15 minutes): each
// failed attempt of the page checks uses an address of its own.
let unknownCount = 0;
const unknownAddress = () => `personne.inconnue.${process.pid}.${++unknownCount}@demo.example`;

/**
 * The page states to check for a role: every PAGES entry, a 404, and forms
 * in their error state. Each has an `open(page)` that gets there like a
 * person would and returns the document's response.
 */
export function targets(role) {
  const list = htmlPages().map((p) => ({
    name: p,
    open: (page) => visit(page, fill(p)),
  }));
  list.push({ name: '404 (page inconnue)', open: (page) => visit(page, '/cette-page-n-existe-pas') });
  if (role === 'anonymous') {
    list.push({
      name: '/connexion (échec)',
      open: async (page) => {
        await visit(page, '/connexion');
        await typeInto(page.getByLabel(/^Adresse électronique/), unknownAddress());
        await typeInto(page.getByLabel(/^Mot de passe/), 'pas le bon mot de passe');
        const res = await navigate(page, () => page.getByRole('button', { name: 'Se connecter', exact: true }).click());
        assert.equal(res.status(), 422, 'a failed login answers 422');
        await page.locator('#erreurs').waitFor();
        return res;
      },
    });
    list.push({
      name: '/mot-de-passe-oublie (adresse invalide)',
      open: async (page) => {
        await visit(page, '/mot-de-passe-oublie');
        await typeInto(page.getByLabel(/^Adresse électronique/), 'pas-une-adresse');
        const res = await navigate(page, () => page.getByRole('button', { name: 'Recevoir le lien' }).click());
        assert.equal(res.status(), 422);
        await page.locator('#erreurs').waitFor();
        return res;
      },
    });
  } else {
    list.push({
      name: '/compte (jeton sans nom)',
      open: async (page) => {
        await visit(page, '/compte');
        const res = await navigate(page, () => page.getByRole('button', { name: 'Créer un jeton' }).click());
        assert.equal(res.status(), 422);
        await page.locator('#erreurs').waitFor();
        return res;
      },
    });
  }
  if (role === 'member') list.push(profileWithBadEmail('/profil', 'Enregistrer ma fiche'), refusedPhoto());
  if (role === 'coordinator') {
    list.push({
      name: '/admin/thematiques (nom vide)',
      open: async (page) => {
        await visit(page, '/admin/thematiques');
        const res = await navigate(page, () => page.getByRole('button', { name: 'Ajouter', exact: true }).click());
        assert.equal(res.status(), 422);
        await page.locator('#erreurs').waitFor();
        return res;
      },
    });
    list.push({
      name: '/admin/organisations/nouvelle (recherche)',
      open: async (page) => {
        await visit(page, '/admin/organisations/nouvelle');
        await typeInto(page.getByRole('searchbox', { name: 'Nom ou SIREN' }), 'Alès');
        const res = await navigate(page, () => page.getByRole('button', { name: 'Chercher' }).click());
        await page.getByRole('group', { name: /choisissez la collectivité/ }).waitFor();
        return res;
      },
    });
  }
  return list;
}

/** The /profil form (or an administrator's form of a profile) sent back with an invalid address. */
function profileWithBadEmail(p, button) {
  return {
    name: `${p} (courriel invalide)`,
    open: async (page) => {
      await visit(page, fill(p));
      await typeInto(page.getByRole('textbox', { name: 'Courriel professionnel', exact: true }), 'pas-une-adresse');
      const res = await navigate(page, () => page.getByRole('button', { name: button, exact: true }).click());
      assert.equal(res.status(), 422, `${p} with an invalid address answers 422`);
      await page.locator('#erreurs').waitFor();
      return res;
    },
  };
}

/** « Ma fiche » after sending a text file named like a photo. */
function refusedPhoto() {
  return {
    name: '/profil (photo refusée)',
    open: async (page) => {
      const res = await uploadPhoto(page, 'photo.jpg', 'image/jpeg', Buffer.from('Ceci n’est pas une image.\n'));
      assert.equal(res.status(), 422, 'a file that is not an image answers 422');
      await page.locator('#photo-error').waitFor();
      return res;
    },
  };
}

/** The module form sent back by « Enregistrer » with what `fill` typed; 422 and the error summary. */
function moduleFormWith(name, fill, message) {
  return {
    name: `/formations/nouveau (${name})`,
    open: async (page) => {
      await visit(page, '/formations/nouveau');
      await fill(page);
      const res = await saveModule(page);
      assert.equal(res.status(), 422, `the module form ${name}: HTTP ${res.status()}`);
      const summary = page.locator('#erreurs');
      await summary.waitFor();
      assert.match(await summary.innerText(), message);
      return res;
    },
  };
}

/**
 * The pages an organisation's administrator sees differently: the
 * organisation page (its forms), the directory (export and import links),
 * a profile of the organisation (history, removal), the administrative
 * form, the import steps, the catalogue (« Ajouter un module », her
 * school's module and its form, another school's shared module with
 * « Proposer ce module dans mon école »); with their error states.
 */
export function orgAdminTargets() {
  const pages = htmlPages().filter((p) =>
    /^\/(organisations\/\{siren\}|annuaire(\/\{profile\}(\/modifier)?)?|profil|admin\/import(\/\{import\})?|formations(\/nouveau|\/\{module\}(\/modifier)?)?)$/.test(p) ||
      // Promotions and projects: the school's managers see their forms.
      /^\/(promotions|projets|entraide)(\/|$)/.test(p),
  );
  const list = pages.map((p) => ({ name: p, open: (page) => visit(page, fill(p)) }));
  list.push(
    { name: '/annuaire/{profile} (sa propre fiche, avec photo)', open: (page) => visit(page, `/annuaire/${fixture('photoProfile')}`) },
    profileWithBadEmail('/annuaire/{profile}/modifier', 'Enregistrer'),
    {
      name: '/admin/import (sans fichier)',
      open: async (page) => {
        await visit(page, '/admin/import');
        const res = await navigate(page, () => page.getByRole('button', { name: "Envoyer et voir l'aperçu" }).click());
        assert.equal(res.status(), 422);
        await page.locator('#erreurs').waitFor();
        return res;
      },
    },
    {
      name: '/admin/import (fichier illisible)',
      open: async (page) => {
        const res = await uploadAgents(page, 'vide.csv', Buffer.from('\r\n\r\n'));
        assert.equal(res.status(), 422);
        await page.locator('#erreurs').waitFor();
        return res;
      },
    },
    {
      name: '/admin/import/{import} (lignes à corriger)',
      open: async (page) => {
        const res = await visit(page, `/admin/import/${fixture('importWithProblems')}`);
        await page.locator('#problemes').waitFor();
        return res;
      },
    },
    {
      name: "/formations/{module} (module partagé d'une autre école)",
      open: async (page) => {
        const res = await visit(page, `/formations/${fixture('otherModule')}`);
        await page.getByRole('main').getByRole('heading', { name: 'Proposer ce module dans mon école' }).waitFor();
        return res;
      },
    },
    // As presented: her only school chosen, a duration of 1 day; no title, no format.
    moduleFormWith('vide', async () => {}, /Saisissez l'intitulé du module\.[\s\S]*Choisissez le format du module\./),
    ...projectErrorStates(),
    moduleFormWith(
      'durée « deux »',
      (page) => fillModule(page, { title: 'Conduire le changement', format: 'Séminaire', duration: ['deux', 'jour(s)'] }),
      /Saisissez la durée en chiffres/,
    ),
  );
  return list;
}

/**
 * Forms of promotions and projects sent back in their error state (the
 * school's administrator: 422, the error summary): a promotion ending
 * before it starts, a temperament without consent, « Abandonné » without a
 * reason, a measure that is not a number, a file that is not a deliverable.
 */
function projectErrorStates() {
  const refused = (name, open) => ({
    name,
    open: async (page) => {
      const res = await open(page);
      assert.equal(res.status(), 422, `${name}: HTTP ${res.status()}`);
      await page.locator('#erreurs').waitFor();
      return res;
    },
  });
  return [
    refused('/promotions/nouvelle (fin avant le début)', (page) =>
      submitPromotion(page, { name: 'Promotion à l’envers', starts: isoDay(60), ends: isoDay(30) }),
    ),
    refused('/promotions/{promotion}/membres/{promotion_member} (tempérament sans accord)', (page) =>
      saveCastingData(page, fill('/promotions/{promotion}/membres/{promotion_member}'), { temperament: 'Meneur', consent: false }),
    ),
    refused('/projets/{project} (abandonné sans raison)', (page) => setStatus(page, fixture('project'), 'Abandonné')),
    refused('/projets/{life_project}/indicateurs/{life_indicator} (mesure non numérique)', async (page) => {
      await visit(page, fill('/projets/{life_project}/indicateurs/{life_indicator}'));
      return addMeasure(page, 'une douzaine');
    }),
    refused('/projets/{life_project}/livrables/nouveau (fichier refusé)', async (page) => {
      await visit(page, fill('/projets/{life_project}/livrables/nouveau'));
      const form = page.getByRole('main');
      await form.getByLabel(/^Titre/).fill('Pas un PDF');
      await form.getByLabel(/^Fichier/).setInputFiles({ name: 'rapport.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<!doctype html><title>x</title><p>Pas un PDF</p>\n') });
      return navigate(page, () => form.getByRole('button', { name: 'Joindre le livrable' }).click());
    }),
  ];
}

/** Roles the page checks run as, and the targets of each. */
export function roleTargets() {
  return [
    ['anonymous', targets('anonymous')],
    ['member', targets('member')],
    ['coordinator', targets('coordinator')],
    ['org-admin', orgAdminTargets()],
  ];
}
