// axe-core, WCAG 2.1 A and AA rules, on every page of the router (PAGES),
// a 404 and forms in their error state; as an anonymous visitor, a member,
// the network's coordinator (and the organisation's administrator on the
// pages she sees differently: organisation, directory, profiles, imports);
// at 1280 px and 320 px wide. Downloads and images (NON_HTML_PAGES) are
// left to 05-html-validity. A page that redirects for
// a role is checked where it lands. Zero violations allowed.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';

import { DESKTOP, MOBILE, launch, login, newPage, withEvidence } from '../lib/browser.mjs';
import { sitePath } from '../lib/env.mjs';
import { ensureFixtures } from '../lib/directory.mjs';
import { roleTargets } from '../lib/pages.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function axeViolations(page) {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '),
        html: n.html.slice(0, 300),
        summary: n.failureSummary,
      })),
    }));
  }, TAGS);
}

function describeViolations(violations) {
  return violations
    .map(
      (v) =>
        `- ${v.id} (${v.impact}) ${v.help} <${v.helpUrl}>\n` +
        v.nodes.map((n) => `    ${n.target}\n      ${n.html}\n      ${n.summary.replace(/\n/g, '\n      ')}`).join('\n'),
    )
    .join('\n');
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
  describe(`axe (${TAGS.join(', ')}) — ${role}`, () => {
    let page;
    before(async () => {
      page = await newPage(browser, DESKTOP);
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
            assert.ok(res.status() < 500, `${target.name} as ${role}: ${where}`);
            const violations = await axeViolations(page);
            assert.equal(
              violations.length,
              0,
              `${violations.length} axe violation(s) on ${target.name} as ${role} at ${viewport.width} px, landed at ${where}:\n${describeViolations(violations)}`,
            );
          }));
      }
    }
  });
}
