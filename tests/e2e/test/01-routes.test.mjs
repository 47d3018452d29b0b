// The page checks take their list from `PAGES` in router.rs. This makes
// sure that list is complete: a page added to the router but forgotten in
// PAGES fails here, and so does a PAGES entry that no longer exists.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { url } from '../lib/env.mjs';
import {
  NON_HTML_PAGES,
  PAGE_PARAMS,
  ROUTER_RS,
  routerGetRoutes,
  routerPages,
  routerRouteSources,
  withSiren,
} from '../lib/pages.mjs';

// Route parameters the page checks know how to fill in.
const KNOWN_PARAMS = new Set(PAGE_PARAMS);
const params = (p) => p.match(/\{[^}]+\}/g) ?? [];
// PAGES may name a parameter after what it is (`{profile}`) where the
// router names it `{id}`: routes are compared by shape, parameters blanked
// (as tests/it/permissions.rs does).
const shape = (p) => p.replace(/\{[^}]+\}/g, '{}');
// Asked anonymously, any well-formed id will do (the answer is the login
// page); a SIREN must be a real one.
const ANY_ID = '00000000-0000-7000-8000-000000000000';
const anonymousPath = (p) => withSiren(p).replace(/\{[^}]+\}/g, ANY_ID);

test('router.rs is readable: PAGES and the GET routes are found', () => {
  const pages = routerPages();
  const gets = routerGetRoutes();
  assert.ok(pages.includes('/'), `PAGES has no "/": ${pages}`);
  assert.ok(gets.includes('/'), `no GET "/" found in ${ROUTER_RS}: the route regex no longer matches`);
  assert.ok(gets.length >= pages.length, `only ${gets.length} GET routes found for ${pages.length} pages`);
  assert.equal(new Set(pages).size, pages.length, 'PAGES lists a path twice');
});

test('every parameter of PAGES can be filled in by the page checks', () => {
  const unknown = routerPages().filter((p) => params(p).some((x) => !KNOWN_PARAMS.has(x)));
  assert.deepEqual(unknown, [], `PAGES entries with a parameter the checks cannot fill in (known: ${PAGE_PARAMS.join(', ')}; add it to lib/pages.mjs): ${unknown.join(', ')}`);
});

test('the pages the checks treat as non-HTML are in PAGES', () => {
  const pages = new Set(routerPages());
  const stale = [...NON_HTML_PAGES.keys()].filter((p) => !pages.has(p));
  assert.deepEqual(stale, [], `NON_HTML_PAGES (lib/pages.mjs) lists paths that are not in PAGES: ${stale.join(', ')}`);
});

test('every PAGES entry is a GET route of the router', () => {
  const gets = new Set(routerGetRoutes().map(shape));
  const stale = routerPages().filter((p) => !gets.has(shape(p)));
  assert.deepEqual(stale, [], `in PAGES but not routed with get(…) in router.rs: ${stale.join(', ')}`);
});

// A GET route is a page when it answers HTML (or sends an anonymous visitor
// to the login page); the JSON API, /health and the static files are not.
// Asked anonymously, without following redirects; a parameter other than
// `{siren}` is given a well-formed id.
test('every GET page of the router is in PAGES', async () => {
  const pages = new Set(routerPages().map(shape));
  const missing = [];
  for (const route of routerGetRoutes()) {
    const res = await fetch(url(anonymousPath(route)), { redirect: 'manual' });
    const type = res.headers.get('content-type') ?? '';
    const redirect = res.status >= 300 && res.status < 400 ? res.headers.get('location') ?? '' : '';
    await res.arrayBuffer();
    const isPage = type.startsWith('text/html') || /\/connexion(\?|$)/.test(redirect);
    if (isPage && !pages.has(shape(route))) missing.push(`${route} (HTTP ${res.status}, ${type || redirect})`);
  }
  assert.deepEqual(missing, [], `GET pages missing from PAGES in router.rs (add them there): ${missing.join('; ')}`);
});

test('no GET handler escapes the route regex', () => {
  // If router.rs changes style (e.g. `post(a).get(b)`), a GET page must not
  // slip past the check above unnoticed.
  const gets = new Set(routerGetRoutes());
  const escaped = routerRouteSources()
    .filter(({ path, body }) => !gets.has(path) && /(^|[^_\w])get\(/.test(body))
    .map(({ path }) => path);
  assert.deepEqual(escaped, [], `routes with a GET handler not written \`.route("…", get(\`: ${escaped.join(', ')}`);
});
