// The page checks take their list from `PAGES` in router.rs. This makes
// sure that list is complete: a page added to the router but forgotten in
// PAGES fails here, and so does a PAGES entry that no longer exists.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { url } from '../lib/env.mjs';
import { ROUTER_RS, routerGetRoutes, routerPages, routerRouteSources, withSiren } from '../lib/pages.mjs';

// Route parameters the page checks know how to fill in.
const KNOWN_PARAMS = new Set(['{siren}']);
const params = (p) => p.match(/\{[^}]+\}/g) ?? [];

test('router.rs is readable: PAGES and the GET routes are found', () => {
  const pages = routerPages();
  const gets = routerGetRoutes();
  assert.ok(pages.includes('/'), `PAGES has no "/": ${pages}`);
  assert.ok(gets.includes('/'), `no GET "/" found in ${ROUTER_RS}: the route regex no longer matches`);
  assert.ok(gets.length >= pages.length, `only ${gets.length} GET routes found for ${pages.length} pages`);
  assert.equal(new Set(pages).size, pages.length, 'PAGES lists a path twice');
});

test('every PAGES entry is a GET route of the router', () => {
  const gets = new Set(routerGetRoutes());
  const stale = routerPages().filter((p) => !gets.has(p));
  assert.deepEqual(stale, [], `in PAGES but not routed with get(…) in router.rs: ${stale.join(', ')}`);
});

// A GET route is a page when it answers HTML (or sends an anonymous visitor
// to the login page); the JSON API, /health and the static files are not.
// Asked anonymously, without following redirects.
test('every GET page of the router is in PAGES', async (t) => {
  const pages = new Set(routerPages());
  const missing = [];
  const skipped = [];
  for (const route of routerGetRoutes()) {
    if (params(route).some((p) => !KNOWN_PARAMS.has(p))) {
      skipped.push(route);
      continue;
    }
    const res = await fetch(url(withSiren(route)), { redirect: 'manual' });
    const type = res.headers.get('content-type') ?? '';
    const redirect = res.status >= 300 && res.status < 400 ? res.headers.get('location') ?? '' : '';
    await res.arrayBuffer();
    const isPage = type.startsWith('text/html') || /\/connexion(\?|$)/.test(redirect);
    if (isPage && !pages.has(route)) missing.push(`${route} (HTTP ${res.status}, ${type || redirect})`);
  }
  if (skipped.length) t.diagnostic(`GET routes with parameters the checks cannot fill in, not checked: ${skipped.join(', ')}`);
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
