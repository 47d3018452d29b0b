// Debian's Chromium driven by playwright-core (no browser is downloaded),
// and what every browser test needs: pages whose failures leave a
// screenshot, navigation that hands back the document's response, logging
// in and out through the real form.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { chromium } from 'playwright-core';

import { account, artifactPath, slug, url } from './env.mjs';

export const CHROMIUM = process.env.CHROME_BIN || '/usr/bin/chromium';
export const DESKTOP = { width: 1280, height: 900 };
export const MOBILE = { width: 320, height: 640 };

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export async function newPage(browser, viewport = DESKTOP, options = {}) {
  const context = await browser.newContext({ viewport, locale: 'fr-FR', timezoneId: 'Europe/Paris', ...options });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`unexpected dialog: ${d.type()} ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.problems = problems;
  return page;
}

/** Saves a full-page screenshot and the DOM of `page` under artifacts/. */
export async function keepEvidence(page, name) {
  const base = slug(name);
  try {
    await page.screenshot({ path: artifactPath('failures', `${base}.png`), fullPage: true, timeout: 10_000 });
    fs.writeFileSync(artifactPath('failures', `${base}.html`), await page.content());
  } catch (e) {
    process.stderr.write(`could not keep evidence of "${name}": ${e.message}\n`);
  }
}

/**
 * Runs `fn` and, if it throws, keeps a screenshot of every page given
 * (pages may be added to `pages` while `fn` runs) before rethrowing.
 */
export async function withEvidence(t, pages, fn) {
  try {
    return await fn();
  } catch (e) {
    let i = 0;
    for (const p of pages) {
      if (!p.isClosed()) await keepEvidence(p, `${t.fullName ?? t.name}${pages.length > 1 ? `-${++i}` : ''}`);
    }
    throw e;
  }
}

/** Runs `fn(page)` in a fresh context; screenshot on failure; closes it. */
export async function inPage(t, browser, fn, viewport = DESKTOP) {
  const page = await newPage(browser, viewport);
  try {
    return await withEvidence(t, [page], () => fn(page));
  } finally {
    await page.context().close();
  }
}

const isRedirect = (s) => s >= 300 && s < 400;

/**
 * Performs `action` (a click, a goto…) and returns the response of the
 * document that ends up in the main frame (after any redirect), once loaded.
 */
export async function navigate(page, action, timeoutMs = 30_000) {
  // The response comes before the new document is committed: waiting for
  // the load state right after it could see the old document (already
  // loaded) — e.g. a form sent with Enter, which returns at once. So also
  // wait for the main frame to navigate to the response's address.
  const noHash = (u) => u.split('#')[0];
  const committed = [];
  let onCommit = null;
  const onFrame = (frame) => {
    if (frame !== page.mainFrame()) return;
    committed.push(noHash(frame.url()));
    onCommit?.();
  };
  page.on('framenavigated', onFrame);
  let handler;
  const doc = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      page.off('response', handler);
      reject(new Error(`no page loaded within ${timeoutMs / 1000}s`));
    }, timeoutMs);
    handler = (r) => {
      const req = r.request();
      if (req.isNavigationRequest() && r.frame() === page.mainFrame() && !isRedirect(r.status())) {
        clearTimeout(timer);
        page.off('response', handler);
        resolve(r);
      }
    };
    page.on('response', handler);
  });
  try {
    await action();
    const res = await doc;
    const target = noHash(res.url());
    if (!committed.includes(target)) {
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${target} answered but was not shown within ${timeoutMs / 1000}s`)), timeoutMs);
        onCommit = () => {
          if (committed.includes(target)) {
            clearTimeout(timer);
            resolve();
          }
        };
      });
    }
    await page.waitForLoadState('load');
    return res;
  } finally {
    page.off('framenavigated', onFrame);
  }
}

export const visit = (page, path) => navigate(page, () => page.goto(url(path)));

/** Types like a person: click into the field, then key by key. */
export async function typeInto(locator, text) {
  await locator.click();
  await locator.fill('');
  await locator.pressSequentially(text);
}

export async function loginWith(page, email, password) {
  await visit(page, '/connexion');
  await typeInto(page.getByLabel(/^Adresse électronique/), email);
  await typeInto(page.getByLabel(/^Mot de passe/), password);
  return navigate(page, () => page.getByRole('button', { name: 'Se connecter', exact: true }).click());
}

/** Logs in through the form as the demo account of `role`; checks it worked. */
export async function login(page, role) {
  const a = account(role);
  const res = await loginWith(page, a.email, a.password);
  assert.equal(res.status(), 200, `login as ${role} (${a.email}): HTTP ${res.status()} at ${page.url()}`);
  await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
  return a;
}

/** Clicks « Se déconnecter » in the header; checks the session is gone. */
export async function logout(page) {
  const res = await navigate(page, () =>
    page.getByRole('banner').getByRole('button', { name: 'Se déconnecter' }).click(),
  );
  assert.equal(res.status(), 200);
  assert.match(new URL(page.url()).pathname, /^\/connexion$/);
  await page.getByRole('banner').getByRole('link', { name: 'Se connecter' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Se déconnecter' }).count(), 0);
}

/** The text of the polite status notice shown after a redirect. */
export async function notice(page) {
  const n = page.locator('main .notice[role="status"]').first();
  await n.waitFor();
  return (await n.innerText()).trim();
}
