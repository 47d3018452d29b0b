// The pages to check come from the router, not from a list kept here:
// `PAGES` in crates/web/src/router.rs, plus an error page and forms in
// their error state.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from './env.mjs';
import { navigate, typeInto, visit } from './browser.mjs';

// MAILLAGE_ROUTER_RS: another copy of the file, to check the checks.
export const ROUTER_RS = process.env.MAILLAGE_ROUTER_RS || path.join(REPO_ROOT, 'crates/web/src/router.rs');
export const SIREN = '200066918'; // CA Alès Agglomération, a demo member

/** Strips // comments (outside string literals would be overkill here). */
function source() {
  return fs
    .readFileSync(ROUTER_RS, 'utf8')
    .split('\n')
    .map((l) => l.replace(/^\s*\/\/.*$/, ''))
    .join('\n');
}

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
  return [...source().matchAll(/\.route\(\s*"([^"]+)"\s*,\s*get\(/g)].map((x) => x[1]);
}

/** Every `.route("PATH", …)` with the text of its handlers (up to the next route). */
export function routerRouteSources() {
  const src = source();
  const starts = [...src.matchAll(/\.route\(\s*"([^"]+)"/g)];
  return starts.map((m, i) => ({
    path: m[1],
    body: src.slice(m.index + m[0].length, i + 1 < starts.length ? starts[i + 1].index : src.indexOf(';', m.index)),
  }));
}

export const withSiren = (p) => p.replaceAll('{siren}', SIREN);

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
  const list = routerPages().map((p) => ({
    name: p,
    open: (page) => visit(page, withSiren(p)),
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
  if (role === 'coordinator') {
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

/** The organisation page only (checked as org-admin, who sees its forms). */
export function orgAdminTargets() {
  return routerPages()
    .filter((p) => /^\/organisations\/\{siren\}$/.test(p))
    .map((p) => ({ name: p, open: (page) => visit(page, withSiren(p)) }));
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
