// Promotions and the casting of project groups, used as the school uses
// them, with clicks and typing in Chromium: the Alès administrator creates
// a promotion from « Promotions » (first ending before it starts: 422, the
// French message, the summary's link to the field, what was typed kept),
// adds eight people of the directory, enters their casting data (a
// temperament without the person's consent is refused), runs the casting
// with 2 groups and a seed, reads the report per group and per criterion,
// moves someone by hand and sees the report change. A person of another
// organisation (Région Grand Est, invited during the run) gets a 404 on the
// promotion; the demo member of Alès, one of its members, sees the
// promotion and the groups but no casting data, and is refused the
// management pages.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { launch, login, loginWith, navigate, newPage, notice, visit, withEvidence } from '../lib/browser.mjs';
import { account, sitePath } from '../lib/env.mjs';
import { GRAND_EST, inviteAndJoin } from '../lib/directory.mjs';
import {
  ALES_ORGANISATION,
  addPromotionMember,
  isoDay,
  promotionId,
  promotionMembers,
  re,
  saveCastingData,
  submitPromotion,
} from '../lib/projects.mjs';

const unique = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const NAME = `Promotion Gardons ${unique}`;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const main = (page) => page.getByRole('main');

async function withPages(t, fn) {
  const pages = [];
  try {
    await withEvidence(t, pages, () => fn(pages));
  } finally {
    for (const p of pages) await p.context().close();
  }
}

async function asRole(role, pages) {
  const page = await newPage(browser);
  pages.push(page);
  await login(page, role);
  return page;
}

/** The report of one group on the casting page: its balance line and its criteria and rules. */
async function groupReport(page, n) {
  const section = main(page).getByRole('region', { name: `Groupe ${n}`, exact: true });
  return (await section.locator('p, ul.report').allInnerTexts()).join('\n');
}

/** The people of one group (the row headers of its members table). */
async function groupMembers(page, n) {
  return main(page).getByRole('table', { name: `Membres du groupe ${n}` }).locator('tbody th').allInnerTexts();
}

describe('promotions', () => {
  let promotion;
  let memberName;

  test('a promotion created, its members and casting data, groups cast and adjusted', async (t) => {
    await withPages(t, async (pages) => {
      const admin = await asRole('org-admin', pages);
      await visit(admin, '/promotions');
      await navigate(admin, () => main(admin).getByRole('link', { name: 'Créer une promotion' }).click());
      assert.equal(sitePath(admin.url()), '/promotions/nouvelle');

      // Ending before it starts: refused, said in French, the summary leads to the field.
      const res = await submitPromotion(admin, { name: NAME, starts: isoDay(10), ends: isoDay(-20), temperaments: ['Meneur', 'Analytique', 'Médiateur'] });
      assert.equal(res.status(), 422, 'a promotion ending before it starts answers 422');
      const summary = main(admin).locator('#erreurs');
      await summary.waitFor();
      const link = summary.getByRole('link', { name: /La date de fin doit être le même jour que la date de début ou après/ });
      assert.equal(await link.getAttribute('href'), '#ends_on');
      await link.click();
      assert.equal(await admin.evaluate(() => document.activeElement?.id), 'ends_on', 'the summary link puts the focus on « Date de fin »');
      assert.equal(await main(admin).getByLabel(/^Date de fin/).getAttribute('aria-invalid'), 'true');
      assert.equal(await main(admin).getByLabel(/^Nom de la promotion/).inputValue(), NAME, 'the name typed is kept');
      assert.equal(await main(admin).getByLabel(/^Date de début/).inputValue(), isoDay(10), 'the start typed is kept');
      assert.match(await main(admin).getByLabel(/^Catégories de tempérament/).inputValue(), /Meneur\nAnalytique\nMédiateur/);

      // Corrected: the promotion is made; its members page comes next.
      await main(admin).getByLabel(/^Date de début/).fill(isoDay(-20));
      await main(admin).getByLabel(/^Date de fin/).fill(isoDay(200));
      const saved = await navigate(admin, () => main(admin).getByRole('button', { name: 'Enregistrer', exact: true }).click());
      assert.equal(saved.status(), 200);
      promotion = promotionId(admin);
      assert.match(sitePath(admin.url()), /\/membres\b/);

      // The demo member by their professional address, then seven people of
      // Alès found by name in the directory.
      await main(admin).getByLabel('Adresses de courriel professionnelles').fill(account('member').email);
      await navigate(admin, () => main(admin).getByRole('button', { name: 'Ajouter ces personnes' }).click());
      await notice(admin);
      const [first] = await promotionMembers(admin);
      memberName = first.name;
      for (let i = 0; i < 7; i++) {
        let added = null;
        // The search wants a few letters of a name: common ones.
        for (const q of ['mar', 'des', 'ber', 'lam', 'ier', 'ric', 'and', 'ell', 'ont', 'eau', 'aud', 'lin']) {
          added = await addPromotionMember(admin, promotion, q, new RegExp(`\\(${re(ALES_ORGANISATION)}\\)$`)).catch(() => null);
          if (added) break;
        }
        assert.ok(added, `no ${i + 2}th person of Alès to add`);
      }
      const members = await promotionMembers(admin);
      assert.equal(members.length, 8, `eight members: ${members.map((m) => m.name).join(', ')}`);
      assert.equal(await main(admin).getByRole('heading', { name: 'Membres (8)' }).count(), 1);

      // Casting data: a temperament without consent is refused, and nothing is kept.
      const bad = await saveCastingData(admin, members[0].castingPath, { gender: 'Femme', birthYear: 1979, seniority: 8, temperament: 'Meneur', consent: false });
      assert.equal(bad.status(), 422, 'a temperament without consent answers 422');
      await main(admin).locator('#erreurs').getByRole('link', { name: /ne s’enregistre qu’avec l’accord de la personne/ }).waitFor();
      assert.equal(await main(admin).getByLabel(/^Année de naissance/).inputValue(), '1979', 'what was typed is kept');
      await visit(admin, `/promotions/${promotion}/membres`);
      assert.equal((await promotionMembers(admin))[0].temperament, 'Non renseigné', 'nothing was recorded');

      // Four women, four men, ages and seniorities spread; temperaments with consent.
      const data = [
        ['Femme', 1972, 15, 'Meneur'],
        ['Homme', 1985, 3, 'Analytique'],
        ['Femme', 1990, 1, 'Médiateur'],
        ['Homme', 1968, 20, 'Meneur'],
        ['Femme', 1981, 7, 'Analytique'],
        ['Homme', 1994, 2, 'Médiateur'],
        ['Femme', 1976, 12, 'Analytique'],
        ['Homme', 1988, 5, 'Meneur'],
      ];
      for (const [i, m] of members.entries()) {
        const [gender, birthYear, seniority, temperament] = data[i];
        const r = await saveCastingData(admin, m.castingPath, { gender, birthYear, seniority, temperament, consent: true });
        assert.equal(r.status(), 200, `casting data of ${m.name}: HTTP ${r.status()}`);
      }
      await visit(admin, `/promotions/${promotion}/membres`);
      const withData = await promotionMembers(admin);
      assert.deepEqual(
        withData.map((m) => [m.gender, m.temperament]),
        data.map(([g, , , t]) => [g, `${t} (accord donné)`]),
      );

      // The casting: 2 groups, seed 2026.
      await navigate(admin, () => main(admin).getByRole('link', { name: 'Casting des groupes projet' }).click());
      await main(admin).getByRole('heading', { level: 1, name: 'Casting des groupes projet' }).waitFor();
      await main(admin).getByLabel(/^Nombre de groupes/).fill('2');
      await main(admin).getByLabel(/^Graine/).fill('2026');
      const cast = await navigate(admin, () => main(admin).getByRole('button', { name: 'Constituer les groupes' }).click());
      assert.equal(cast.status(), 200, `casting: HTTP ${cast.status()}`);
      assert.match(await notice(admin), /Les groupes ont été constitués/);
      const report = main(admin).getByRole('region', { name: 'Rapport' });
      await report.getByText(/graine\s+2026/).waitFor();
      await report.getByText('Règles respectées').waitFor();
      // Per criterion: one row for each, over the two groups.
      const criteria = report.getByRole('table', { name: 'Chaque critère sur l’ensemble des groupes' });
      const rows = await criteria.locator('tbody th').allInnerTexts();
      assert.ok(rows.length >= 4, `criteria rows: ${rows.join(', ')}`);
      for (const c of [/âge/i, /genre/i, /ancienneté/i, /tempérament/i]) {
        assert.ok(rows.some((r) => c.test(r)), `no criterion ${c} in the report: ${rows.join(', ')}`);
      }
      // Per group: 4 people each, two women and two men (never alone).
      const before1 = await groupReport(admin, 1);
      const before2 = await groupReport(admin, 2);
      assert.match(before1, /4 personne\(s\)/);
      assert.match(before2, /4 personne\(s\)/);
      assert.doesNotMatch(before1 + before2, /règle non respectée/);
      const g1 = await groupMembers(admin, 1);
      const g2 = await groupMembers(admin, 2);
      assert.equal(g1.length + g2.length, 8);
      assert.deepEqual([...g1, ...g2].sort(), withData.map((m) => m.name).sort(), 'everyone is in a group, once');

      // By hand: someone of group 1 to group 2; the report is computed again.
      const moved = g1[0];
      const select = main(admin).getByLabel(`Déplacer ${moved} vers le groupe`, { exact: true });
      await select.selectOption('2');
      const form = main(admin).locator('form', { has: admin.getByLabel(`Déplacer ${moved} vers le groupe`, { exact: true }) });
      const res2 = await navigate(admin, () => form.getByRole('button', { name: 'Déplacer' }).click());
      assert.equal(res2.status(), 200);
      assert.equal(await notice(admin), 'La personne a changé de groupe ; le rapport a été recalculé.');
      await main(admin).getByText('1 déplacement(s) à la main depuis.').waitFor();
      assert.deepEqual(await groupMembers(admin, 1), g1.slice(1));
      assert.ok((await groupMembers(admin, 2)).includes(moved), `${moved} is now in group 2`);
      const after1 = await groupReport(admin, 1);
      const after2 = await groupReport(admin, 2);
      assert.match(after1, /3 personne\(s\)/);
      assert.match(after2, /5 personne\(s\)/);
      assert.notEqual(after1, before1, 'the report of group 1 changed');
      assert.notEqual(after2, before2, 'the report of group 2 changed');
      // Three people left with one of each gender: someone is alone now.
      assert.match(after1, /règle non respectée/);
      await main(admin).getByText('Règles non respectées').waitFor();
    });
  });

  test('a person of another organisation gets a 404; the member sees no casting data', async (t) => {
    assert.ok(promotion, 'the promotion was not made');
    const outsider = await inviteAndJoin(t, browser, {
      inviterRole: 'coordinator',
      siren: GRAND_EST,
      email: `lea.grandest.${unique}@grandest.example`,
      name: `Léa Rhin ${unique}`,
      password: `Strasbourg-${unique}-2026`,
    });
    await withPages(t, async (pages) => {
      const other = await newPage(browser);
      pages.push(other);
      const res = await loginWith(other, outsider.email, outsider.password);
      assert.equal(res.status(), 200);
      for (const p of [`/promotions/${promotion}`, `/promotions/${promotion}/groupes`, `/promotions/${promotion}/membres`]) {
        const r = await visit(other, p);
        assert.equal(r.status(), 404, `${p} for a person of Région Grand Est: HTTP ${r.status()}`);
      }
      await visit(other, '/promotions');
      assert.equal(await main(other).getByRole('link', { name: NAME }).count(), 0, 'not listed for another organisation');

      const member = await asRole('member', pages);
      await visit(member, '/promotions');
      await navigate(member, () => main(member).getByRole('link', { name: NAME }).click());
      await main(member).getByRole('heading', { level: 1, name: NAME }).waitFor();
      const text = await main(member).innerText();
      assert.match(text, new RegExp(re(memberName)));
      assert.match(text, /Groupe [12]/, 'the member sees the groups');
      for (const secret of [/Année de naissance/, /Ancienneté/, /Tempérament/, /Meneur|Analytique|Médiateur/, /Femme|Homme/, /Données de casting/]) {
        assert.doesNotMatch(text, secret, `the member sees ${secret}`);
      }
      assert.equal(await main(member).getByRole('link', { name: /Gérer les membres/ }).count(), 0);
      for (const p of [`/promotions/${promotion}/membres`, `/promotions/${promotion}/groupes`]) {
        const r = await visit(member, p);
        assert.ok([403, 404].includes(r.status()), `${p} for a member: HTTP ${r.status()}`);
        assert.doesNotMatch(await main(member).innerText(), /Meneur|Analytique|Médiateur|Année de naissance/);
      }
    });
  });
});
