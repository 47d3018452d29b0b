// The catalogue of modules (« Formations ») in the browser: filling the
// module form like a person, reading the search results and a module's
// page, and the modules the page checks fill `{module}` with.

import assert from 'node:assert/strict';

import { navigate, notice, typeInto, visit } from './browser.mjs';
import { sitePath } from './env.mjs';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const MODULE_PATH = new RegExp(`^/formations/(${UUID})$`);

export const ALES_SCHOOL = "École des cadres d'Alès Agglomération"; // the school of CA Alès Agglomération
export const GRAND_EST_SCHOOL = "Manag'Est"; // the school of Région Grand Est

const main = (page) => page.getByRole('main');

/** The result cards of /formations: [{ id, title, path, format, credit, shared }]. */
export async function catalogueResults(page) {
  const cards = await main(page)
    .locator('ul.cards > li.card')
    .evaluateAll((lis) =>
      lis.map((li) => {
        const a = li.querySelector('.card-title a');
        const ps = [...li.querySelectorAll('p')].map((p) => p.textContent.replace(/\s+/g, ' ').trim());
        return {
          title: a?.textContent.trim() ?? '',
          path: a?.getAttribute('href') ?? '',
          format: li.querySelector('.badge')?.textContent.trim() ?? '',
          credit: ps.find((p) => p.startsWith('Conçu par ')) ?? '',
          shared: ps.some((p) => p.includes('Partagé avec le réseau')),
        };
      }),
    );
  return cards.map((c) => ({ ...c, id: c.path.match(MODULE_PATH)?.[1] })).filter((c) => c.id);
}

/** The results of every page of the current search, following « Page suivante ». */
export async function allCatalogueResults(page, maxPages = 20) {
  const all = await catalogueResults(page);
  for (let i = 1; i < maxPages; i++) {
    const next = main(page).getByRole('navigation', { name: 'Pagination' }).getByRole('link', { name: 'Page suivante' });
    if ((await next.count()) === 0) break;
    await navigate(page, () => next.click());
    all.push(...(await catalogueResults(page)));
  }
  return all;
}

/** « Rechercher » in /formations with `q` and the filters given by their visible labels. */
export async function searchCatalogue(page, q, filters = {}) {
  await visit(page, '/formations');
  const form = main(page).getByRole('search', { name: 'Rechercher dans le catalogue' });
  await typeInto(form.getByRole('searchbox', { name: 'Intitulé, objectifs, programme…' }), q);
  for (const [label, option] of Object.entries(filters)) {
    await form.getByLabel(label, { exact: true }).selectOption({ label: option });
  }
  const res = await navigate(page, () => form.getByRole('button', { name: 'Rechercher' }).click());
  assert.equal(res.status(), 200, `catalogue search « ${q} »: HTTP ${res.status()}`);
  return catalogueResults(page);
}

/** The « dt → dd » pairs of a module page, e.g. { 'Conçu par': '…' }. */
export async function moduleFacts(page) {
  return main(page)
    .locator('dl.facts')
    .evaluate((dl) => {
      const out = {};
      for (const dt of dl.querySelectorAll('dt')) out[dt.textContent.trim()] = dt.nextElementSibling?.textContent.replace(/\s+/g, ' ').trim();
      return out;
    });
}

/** The labels of the theme checkboxes of the module form, in order. */
export async function themeChoices(page) {
  return page
    .getByRole('group', { name: 'Thématiques' })
    .locator('input[type="checkbox"]')
    .evaluateAll((inputs) => inputs.map((i) => i.labels[0]?.textContent.trim() ?? ''));
}

/**
 * Fills the module form (new or edit) with what is given:
 * { school, title, format, duration: [n, unit label], categories: ['A', …],
 *   stage, objectives, description, trainers, themes: [names], shared }.
 * Labels are those the page shows; long texts are pasted, short ones typed.
 */
export async function fillModule(page, m) {
  const form = main(page).locator('form.form');
  if (m.school !== undefined) await form.getByLabel(/^École/).selectOption({ label: m.school });
  if (m.title !== undefined) await typeInto(form.getByRole('textbox', { name: /^Intitulé/ }), m.title);
  if (m.format !== undefined) await form.getByLabel(/^Format/).selectOption(m.format === '' ? '' : { label: m.format });
  if (m.duration !== undefined) {
    const group = form.getByRole('group', { name: 'Durée' });
    await typeInto(group.getByRole('textbox', { name: /^Nombre/ }), String(m.duration[0]));
    if (m.duration[1]) await group.getByLabel('Unité').selectOption({ label: m.duration[1] });
  }
  if (m.categories !== undefined) {
    const group = form.getByRole('group', { name: /^Catégories concernées/ });
    for (const c of ['A', 'B', 'C', 'A+']) {
      await group.getByRole('checkbox', { name: c, exact: true }).setChecked(m.categories.includes(c));
    }
  }
  if (m.stage !== undefined) await form.getByLabel('Managers concernés').selectOption({ label: m.stage });
  if (m.objectives !== undefined) await form.getByLabel('Objectifs', { exact: true }).fill(m.objectives);
  if (m.description !== undefined) await form.getByLabel('Programme', { exact: true }).fill(m.description);
  if (m.trainers !== undefined) await typeInto(form.getByRole('textbox', { name: /^Intervenants/ }), m.trainers);
  if (m.themes !== undefined) {
    const group = form.getByRole('group', { name: 'Thématiques' });
    for (const name of await themeChoices(page)) {
      await group.getByRole('checkbox', { name, exact: true }).setChecked(m.themes.includes(name));
    }
  }
  if (m.shared !== undefined) await form.getByRole('checkbox', { name: /^Partager ce module avec tout le réseau/ }).setChecked(m.shared);
}

/** Clicks « Enregistrer » on the module form; returns the response. */
export const saveModule = (page) =>
  navigate(page, () => main(page).getByRole('button', { name: 'Enregistrer', exact: true }).click());

/**
 * From « Formations » in the header, « Ajouter un module », fills the form
 * and saves. Checks it landed on the new module's page with the notice;
 * returns its id.
 */
export async function createModule(page, m) {
  await navigate(page, () => page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Formations', exact: true }).click());
  await navigate(page, () => main(page).getByRole('link', { name: 'Ajouter un module' }).click());
  await main(page).getByRole('heading', { level: 1, name: 'Nouveau module' }).waitFor();
  await fillModule(page, m);
  const res = await saveModule(page);
  assert.equal(res.status(), 200, `saving the module « ${m.title} »: HTTP ${res.status()} at ${sitePath(page.url())}`);
  const u = new URL(page.url());
  const id = u.pathname.match(MODULE_PATH)?.[1];
  assert.ok(id, `not on a module's page after saving « ${m.title} »: ${sitePath(page.url())}`);
  assert.equal(u.searchParams.get('info'), 'module-enregistre');
  assert.equal(await notice(page), 'Le module a été enregistré.');
  return id;
}
