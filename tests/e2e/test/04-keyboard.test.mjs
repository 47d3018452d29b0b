// Keyboard walk of every page (same pages, roles and widths as the axe
// checks): pressing Tab from the top of the page,
// - the first stop is the skip link « Aller au contenu », and activating it
//   moves the focus to <main>, from where Tab goes on inside the content;
// - every focusable element gets the focus, once, in document order, and
//   Tab comes back to the start (no trap) within as many presses as there
//   are focusable elements, plus a few;
// - each focused element is on screen with a visible focus indicator
//   (an outline of non-zero width, or a box-shadow);
// - no element has a positive tabindex.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { DESKTOP, MOBILE, launch, login, newPage, withEvidence } from '../lib/browser.mjs';
import { sitePath } from '../lib/env.mjs';
import { ensureFixtures } from '../lib/directory.mjs';
import { roleTargets } from '../lib/pages.mjs';

/**
 * Marks the elements a person can reach with Tab, in document order
 * (data-e2e-tab = rank), and returns their descriptions. Also returns the
 * elements with a positive tabindex.
 */
function markTabbables() {
  const describe = (el) => {
    const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').replace(/\s+/g, ' ').trim();
    return `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('href') ? ` href="${el.getAttribute('href')}"` : ''}${el.name ? ` name="${el.name}"` : ''}> ${text.slice(0, 50)}`;
  };
  const candidates = document.querySelectorAll(
    'a[href], area[href], button, input, select, textarea, iframe, summary, [tabindex], [contenteditable]:not([contenteditable="false"])',
  );
  const checkedRadio = (name, form) =>
    [...document.querySelectorAll(`input[type="radio"][name="${CSS.escape(name)}"]`)].find((r) => r.form === form && r.checked);
  const list = [];
  for (const el of candidates) {
    if (el.tabIndex < 0 || el.disabled || el.closest('[inert]')) continue;
    if (el.matches('input[type="hidden"]')) continue;
    if (!el.checkVisibility({ visibilityProperty: true })) continue;
    if (el.matches('input[type="radio"]') && el.name) {
      // One stop per radio group: the checked radio (or the first one).
      const checked = checkedRadio(el.name, el.form);
      const first = [...document.querySelectorAll(`input[type="radio"][name="${CSS.escape(el.name)}"]`)].find(
        (r) => r.form === el.form,
      );
      if (checked ? checked !== el : first !== el) continue;
    }
    el.setAttribute('data-e2e-tab', String(list.length));
    list.push(describe(el));
  }
  const positive = [...document.querySelectorAll('[tabindex]')].filter((el) => el.tabIndex > 0).map(describe);
  // Native widgets with several inner stops (day, month, year, picker).
  const composite = document.querySelectorAll(
    'input[type="date"], input[type="time"], input[type="datetime-local"], input[type="month"], input[type="week"]',
  ).length;
  // Where Tab should go after the skip link: the first stop from the start of <main>.
  const main = document.querySelector('main');
  const afterMain = main
    ? [...document.querySelectorAll('[data-e2e-tab]')].find((el) => main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)
    : null;
  return { list, positive, composite, afterMain: afterMain ? afterMain.getAttribute('data-e2e-tab') : null };
}

/** What has the focus now, and how it shows. */
async function focused() {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return { body: true };
  const frames = (n) => new Promise((res) => (n ? requestAnimationFrame(() => frames(n - 1).then(res)) : res()));
  let s = getComputedStyle(el);
  let r = el.getBoundingClientRect();
  const shows = () =>
    ((s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none')) &&
    r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  // Let a transition (even the 0.01 ms ones of reduced motion) end, and a
  // busy machine draw the focus change (seen once: the skip link read at
  // its hidden place right after Tab while other builds ran).
  for (let i = 0; i < 10 && !shows(); i++) {
    await frames(3);
    if (i > 0) await new Promise((res) => setTimeout(res, 50));
    s = getComputedStyle(el);
    r = el.getBoundingClientRect();
  }
  const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').replace(/\s+/g, ' ').trim();
  return {
    body: false,
    rank: el.getAttribute('data-e2e-tab'),
    desc: `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('href') ? ` href="${el.getAttribute('href')}"` : ''}> ${text.slice(0, 50)}`,
    isSkipLink: el.matches('a.skip-link') && text === 'Aller au contenu',
    isMain: el.tagName === 'MAIN',
    // A native widget's inner part (e.g. a date picker's button) has the
    // focus: the element itself does not match :focus, the browser draws
    // the part's own focus ring, which computed styles do not show.
    innerPart: !el.matches(':focus'),
    outline: `${s.outlineStyle} ${s.outlineWidth}`,
    indicator: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none'),
    onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
    box: `${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)} in ${innerWidth}×${innerHeight} scrolled to ${Math.round(scrollX)},${Math.round(scrollY)}`,
  };
}

async function walk(page) {
  const problems = [];
  const { list, positive, composite, afterMain } = await page.evaluate(markTabbables);
  if (positive.length) problems.push(`positive tabindex on: ${positive.join(', ')}`);
  assert.ok(list.length > 0, 'no focusable element on the page');

  // Each element is one stop, or a run of consecutive stops for a native
  // widget with inner parts (a date field: day, month, year, picker).
  const limit = list.length + 4 * composite + 5;
  const visits = [];
  let first = null;
  let cycled = false;
  let bodyStops = 0;
  let innerParts = 0;
  for (let i = 0; i < limit + 1; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(focused);
    if (f.body) {
      // Past the last element the focus leaves the page once, then Tab
      // starts again from the top.
      bodyStops++;
      continue;
    }
    if (first === null) {
      first = f;
      if (!f.isSkipLink) problems.push(`the first Tab stop is ${f.desc}, not the skip link « Aller au contenu »`);
    } else if (f.rank !== null && f.rank === first.rank) {
      cycled = true;
      break;
    }
    if (bodyStops > 0) problems.push(`the focus left the page before ${f.desc}`);
    const last = visits.at(-1);
    if (last && last.rank !== null && last.rank === f.rank) {
      last.stops++;
    } else {
      visits.push({ ...f, stops: 1 });
    }
    if (f.innerPart) {
      innerParts++;
    } else {
      if (!f.indicator) problems.push(`no visible focus indicator on ${f.desc} (outline: ${f.outline}, no box-shadow)`);
      if (!f.onScreen) problems.push(`${f.desc} has the focus but is not on screen (box ${f.box})`);
    }
  }
  if (!cycled) {
    problems.push(
      `Tab did not come back to the start within ${limit} presses (${list.length} focusable elements): a trap?\n` +
        `  last stops: ${visits.slice(-5).map((f) => f.desc).join(' | ')}`,
    );
  }

  const seen = new Set();
  const dups = visits.filter((f) => (seen.has(f.rank) ? true : (seen.add(f.rank), false)));
  if (dups.length) problems.push(`focused again before coming back to the start: ${dups.map((f) => f.desc).join(', ')}`);
  const unexpected = visits.filter((f) => f.rank === null);
  if (unexpected.length) problems.push(`focus stops on elements not expected to be focusable: ${unexpected.map((f) => f.desc).join(', ')}`);
  const ranks = visits.map((f) => f.rank);
  if (cycled) {
    const missing = list.filter((_, i) => !ranks.includes(String(i)));
    if (missing.length) problems.push(`never reached with Tab: ${missing.join(', ')}`);
    const got = ranks.filter((r) => r !== null).map(Number);
    const sorted = [...got].sort((a, b) => a - b);
    if (got.join() !== sorted.join()) {
      const at = got.findIndex((r, i) => r !== sorted[i]);
      problems.push(`Tab order differs from the document order at stop ${at + 1}: ${visits[at]?.desc}`);
    }
  }

  // The skip link: the walk ended on it (it has the focus again).
  if (cycled && first?.isSkipLink) {
    await page.keyboard.press('Enter');
    const m = await page.evaluate(focused);
    if (!m.isMain) problems.push(`activating the skip link moved the focus to ${m.body ? 'the page body' : m.desc}, not to <main>`);
    else if (!m.indicator) problems.push('<main> has the focus after the skip link but no visible focus indicator');
    await page.keyboard.press('Tab');
    const next = await page.evaluate(focused);
    if (m.isMain && (next.body || next.rank !== afterMain)) {
      problems.push(`Tab after the skip link goes to ${next.body ? 'the page body' : next.desc}, not to the first stop from the start of <main>`);
    }
  }
  return { problems, count: list.length, presses: visits.reduce((n, v) => n + v.stops, 0), innerParts };
}

let browser;
before(async () => {
  browser = await launch();
  await ensureFixtures(browser);
});
after(async () => {
  await browser?.close();
});

for (const [role, list] of roleTargets()) {
  describe(`clavier — ${role}`, () => {
    let page;
    before(async () => {
      // Reduced motion: the site scrolls smoothly otherwise, and a focused
      // element would be checked before it has scrolled into view.
      page = await newPage(browser, DESKTOP, { reducedMotion: 'reduce' });
      if (role !== 'anonymous') await login(page, role);
    });
    after(async () => {
      await page?.context().close();
    });

    for (const target of list) {
      for (const viewport of [DESKTOP, MOBILE]) {
        test(`${target.name} à ${viewport.width} px`, (t) =>
          withEvidence(t, [page], async () => {
            await page.setViewportSize(viewport);
            const res = await target.open(page);
            const where = `${sitePath(page.url())} (HTTP ${res.status()})`;
            const { problems, count, presses, innerParts } = await walk(page);
            t.diagnostic(`${where}: ${count} focusable elements, ${presses} Tab stops${innerParts ? ` (${innerParts} on inner parts of native widgets)` : ''}`);
            assert.deepEqual(problems, [], `keyboard walk of ${target.name} as ${role} at ${viewport.width} px, at ${where}:\n- ${problems.join('\n- ')}`);
          }));
      }
    }
  });
}
