// The directory (« annuaire ») used as its users use it, with clicks and
// typing in Chromium: searching and opening a profile, downloading a vCard,
// « Ma fiche » and who sees what, leaving the directory, importing an
// agents list exported by HR software, a photo, and the search by keyboard
// alone. The stories that change a profile use people who join through an
// invitation during the run, so the demo accounts stay as they are for the
// page checks that follow.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { linkIn, outboxFiles, sitePath, url, waitForMail } from '../lib/env.mjs';
import { inPage, launch, login, loginWith, navigate, newPage, notice, typeInto, visit, withEvidence } from '../lib/browser.mjs';
import { ALES, GRAND_EST, IMPORT_PATH, PROFILE_PATH, inviteAndJoin, searchResults, uploadAgents, uploadPhoto } from '../lib/directory.mjs';
import { AGENT_HEADERS, agentsCsv, pngImage } from '../lib/files.mjs';

const unique = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const main = (page) => page.getByRole('main');
const banner = (page) => page.getByRole('banner');
const mainNav = (page) => page.getByRole('navigation', { name: 'Navigation principale' });

function noProblems(page) {
  assert.deepEqual(page.problems, [], 'the page raised errors or dialogs');
}

/** From the header: « Annuaire », then a search for `text` with « Rechercher ». */
async function search(page, text) {
  await navigate(page, () => mainNav(page).getByRole('link', { name: 'Annuaire', exact: true }).click());
  await main(page).getByRole('heading', { level: 1, name: 'Annuaire du réseau' }).waitFor();
  await typeInto(page.getByRole('searchbox', { name: /^Nom, fonction, service/ }), text);
  const res = await navigate(page, () => main(page).getByRole('button', { name: 'Rechercher' }).click());
  assert.equal(res.status(), 200);
  return searchResults(page);
}

/** The « dt → dd » pairs of a profile page, e.g. { Téléphone: '04 …' }. */
async function facts(page) {
  return main(page)
    .locator('dl.facts')
    .evaluate((dl) => {
      const out = {};
      for (const dt of dl.querySelectorAll('dt')) out[dt.textContent.trim()] = dt.nextElementSibling?.textContent.replace(/\s+/g, ' ').trim();
      return out;
    })
    .catch(() => ({}));
}

/** A field of « Ma fiche », within its fieldset (labels repeat between « Poste… » and « Qui voit quoi »). */
const postField = (page, label) =>
  page.getByRole('group', { name: 'Poste et coordonnées professionnelles' }).getByLabel(label, { exact: true });
/** A « Qui voit » select of « Ma fiche », named « Qui voit : <field> » (the prefix is for screen readers only). */
const visibility = (page, label) =>
  page.getByRole('group', { name: 'Qui voit quoi' }).getByRole('combobox', { name: `Qui voit : ${label}`, exact: true });

describe('recherche dans l\'annuaire', () => {
  test('une personne membre cherche « elodie », trouve « Élodie … », ouvre sa fiche et télécharge sa carte de visite', (t) =>
    inPage(t, browser, async (page) => {
      await login(page, 'member');
      const results = await search(page, 'elodie');
      assert.match(await main(page).locator('p[role="status"]').innerText(), /^\d+ fiches?$/);
      const elodie = results.find((r) => /^Élodie\s/.test(r.name));
      assert.ok(elodie, `no « Élodie … » among the results of « elodie »: ${results.map((r) => r.name).join(', ')}`);
      assert.match(await page.title(), /^Annuaire — « elodie » — .* · Maillage$/);

      await navigate(page, () => main(page).getByRole('link', { name: elodie.name, exact: true }).first().click());
      assert.match(new URL(page.url()).pathname, PROFILE_PATH);
      await main(page).getByRole('heading', { level: 1, name: elodie.name }).waitFor();
      await main(page).getByRole('navigation', { name: "Fil d'Ariane" }).getByRole('link', { name: 'Annuaire' }).waitFor();

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        main(page).getByRole('link', { name: 'Télécharger la carte de visite (vCard)' }).click(),
      ]);
      assert.match(download.suggestedFilename(), /\.vcf$/, `vCard file name: ${download.suggestedFilename()}`);
      const card = fs.readFileSync(await download.path(), 'utf8').replace(/\r\n[ \t]/g, '');
      assert.match(card, /^BEGIN:VCARD\r\nVERSION:(3\.0|4\.0)\r\n/);
      assert.match(card, /\r\nEND:VCARD\r\n$/);
      const fn = card.match(/\r\nFN(?:;[^:]*)?:([^\r\n]*)/)?.[1];
      assert.equal(fn, elodie.name, `FN of the vCard:\n${card}`);
      assert.match(card, /\r\nORG(?:;[^:]*)?:[^\r\n]+/, 'the vCard names the organisation');
      noProblems(page);
    }));

  test('au clavier seulement : le formulaire de recherche puis un résultat, par Tab et Entrée', (t) =>
    inPage(t, browser, async (page) => {
      await login(page, 'member');
      await visit(page, '/annuaire');
      const activeId = () => page.evaluate(() => document.activeElement?.id ?? '');
      const activeHref = () => page.evaluate(() => document.activeElement?.getAttribute('href') ?? '');
      const tabUntil = async (what, ok, max = 60) => {
        for (let i = 0; i < max; i++) {
          await page.keyboard.press('Tab');
          if (await ok()) return i + 1;
        }
        assert.fail(`${what} not reached within ${max} presses of Tab`);
      };
      // Skip link, then straight into the content.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent.trim()), 'Aller au contenu');
      await page.keyboard.press('Enter');
      await tabUntil('the search field', async () => (await activeId()) === 'q', 10);
      await page.keyboard.type('elodie');
      await tabUntil('« Rechercher »', () =>
        page.evaluate(() => document.activeElement?.tagName === 'BUTTON' && document.activeElement.textContent.trim() === 'Rechercher'),
      );
      await navigate(page, () => page.keyboard.press('Enter'));
      assert.equal(new URL(page.url()).searchParams.get('q'), 'elodie', `after « Rechercher »: ${sitePath(page.url())}`);

      // The same search with Enter in the field.
      await visit(page, '/annuaire');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await tabUntil('the search field', async () => (await activeId()) === 'q', 10);
      await page.keyboard.type('elodie');
      await navigate(page, () => page.keyboard.press('Enter'));
      assert.equal(new URL(page.url()).searchParams.get('q'), 'elodie');
      const first = (await searchResults(page))[0];
      assert.ok(first, 'no result for « elodie »');

      await tabUntil(`the first result « ${first.name} »`, async () => (await activeHref()) === first.path, 80);
      await navigate(page, () => page.keyboard.press('Enter'));
      assert.equal(new URL(page.url()).pathname, first.path);
      await main(page).getByRole('heading', { level: 1, name: first.name }).waitFor();
      noProblems(page);
    }));
});

// Two people who join during the run: one in Alès (invited by its
// administrator), one in Région Grand Est (invited by the coordinator).
let joined = null;
async function people(t) {
  if (!joined) {
    const password = `une phrase de passe pour l'annuaire ${unique}`;
    joined = {
      ales: await inviteAndJoin(t, browser, {
        inviterRole: 'org-admin',
        siren: ALES,
        email: `oceane.fichier.${unique}@ales.example`,
        name: `Océane Fichier${unique}`,
        password,
      }),
      other: await inviteAndJoin(t, browser, {
        inviterRole: 'coordinator',
        siren: GRAND_EST,
        email: `marius.ailleurs.${unique}@grandest.example`,
        name: `Marius Ailleurs${unique}`,
        password,
      }),
    };
  }
  return joined;
}

/** Logs `who` ({ email, password }) in through the form, in a new page. */
async function as(who, pages) {
  const page = await newPage(browser);
  pages.push(page);
  const res = await loginWith(page, who.email, who.password);
  assert.equal(res.status(), 200, `login as ${who.email}: HTTP ${res.status()}`);
  return page;
}

async function withPages(t, fn) {
  const pages = [];
  try {
    await withEvidence(t, pages, () => fn(pages));
  } finally {
    for (const p of pages) await p.context().close();
  }
}

describe('« Ma fiche » et qui voit quoi', () => {
  test('une personne change sa fonction et réserve son téléphone « Moi et les administrateurs » : une autre organisation ne le voit pas, son administratrice si', (t) =>
    withPages(t, async (pages) => {
      const { ales, other } = await people(t);
      const phone = '04 66 52 61 70';
      const fn = `Cheffe de projet mobilités douces ${unique}`;

      const page = await as(ales, pages);
      await navigate(page, () => mainNav(page).getByRole('link', { name: 'Ma fiche' }).click());
      await main(page).getByRole('heading', { level: 1, name: "Ma fiche dans l'annuaire" }).waitFor();
      // First visit: the directory's information is shown (RGPD).
      await main(page).getByRole('heading', { name: "Vous figurez dans l'annuaire du réseau" }).waitFor();
      await typeInto(postField(page, 'Fonction'), fn);
      await typeInto(postField(page, 'Téléphone professionnel'), phone);
      await visibility(page, 'Fonction').selectOption({ label: 'Tout le réseau' });
      await visibility(page, 'Téléphone professionnel').selectOption({ label: 'Moi et les administrateurs' });
      const res = await navigate(page, () => main(page).getByRole('button', { name: 'Enregistrer ma fiche' }).click());
      assert.equal(res.status(), 200, `saving « Ma fiche »: HTTP ${res.status()}`);
      assert.equal(sitePath(page.url()), '/profil?info=profil-enregistre');
      assert.equal(await notice(page), "Votre fiche a été enregistrée : vos choix de visibilité s'appliquent dès maintenant.");
      assert.equal(await postField(page, 'Fonction').inputValue(), fn);
      assert.equal(await visibility(page, 'Téléphone professionnel').inputValue(), 'prive');
      // The person sees their whole profile, with who sees each field.
      await navigate(page, () => main(page).getByRole('link', { name: 'voir ma fiche telle qu\'elle apparaît' }).click());
      const path = new URL(page.url()).pathname;
      assert.match(path, PROFILE_PATH);
      assert.match((await facts(page))['Téléphone'] ?? '', new RegExp(`^${phone} \\(visible : Moi et les administrateurs\\)$`));

      // A member of another organisation finds the person, sees the function, not the phone.
      const stranger = await as(other, pages);
      const found = await search(stranger, ales.name);
      assert.deepEqual(found.map((r) => r.path), [path], `searching « ${ales.name} » from Grand Est`);
      await main(stranger).getByText(fn).waitFor();
      await navigate(stranger, () => main(stranger).getByRole('link', { name: ales.name }).click());
      await main(stranger).getByRole('heading', { level: 1, name: ales.name }).waitFor();
      await main(stranger).locator('.lead', { hasText: fn }).waitFor();
      assert.equal((await facts(stranger))['Téléphone'], undefined, 'another organisation does not see the phone');
      assert.ok(!(await main(stranger).innerText()).includes(phone), 'the number appears nowhere on the page');

      // Nor does a colleague of the same organisation (not an administrator).
      const colleague = await newPage(browser);
      pages.push(colleague);
      await login(colleague, 'member');
      await visit(colleague, path);
      assert.equal((await facts(colleague))['Téléphone'], undefined, 'a colleague does not see a private phone');

      // The organisation's administrator does.
      const admin = await newPage(browser);
      pages.push(admin);
      await login(admin, 'org-admin');
      await search(admin, ales.name);
      await navigate(admin, () => main(admin).getByRole('link', { name: ales.name }).click());
      assert.match((await facts(admin))['Téléphone'] ?? '', new RegExp(`^${phone}\\b`), 'the administrator sees the phone');
      assert.match(await main(admin).innerText(), /Vous voyez cette fiche en entier en tant qu'administrateur ou administratrice\./);
      // …and the change in the profile's history.
      const history = main(admin).locator('section', { has: admin.getByRole('heading', { name: 'Historique des modifications' }) });
      assert.match(await history.getByRole('table').innerText(), /Téléphone/);
      for (const p of pages) noProblems(p);
    }));

  test('une personne sort de l\'annuaire (« Hors de l\'annuaire ») : la recherche d\'une autre ne la trouve plus', (t) =>
    withPages(t, async (pages) => {
      const { ales, other } = await people(t);
      const stranger = await as(other, pages);
      const before = await search(stranger, ales.name);
      assert.equal(before.length, 1, `« ${ales.name} » is found before leaving`);
      const path = before[0].path;

      const page = await as(ales, pages);
      await navigate(page, () => mainNav(page).getByRole('link', { name: 'Ma fiche' }).click());
      await visibility(page, "Présence dans l'annuaire").selectOption({ label: "Hors de l'annuaire (seuls moi et les administrateurs voient ma fiche)" });
      await navigate(page, () => main(page).getByRole('button', { name: 'Enregistrer ma fiche' }).click());
      assert.equal(sitePath(page.url()), '/profil?info=profil-enregistre');
      assert.equal(await visibility(page, "Présence dans l'annuaire").inputValue(), 'prive');

      const after = await search(stranger, ales.name);
      assert.deepEqual(after, [], `« ${ales.name} » is still found after leaving the directory`);
      assert.equal(await main(stranger).locator('p[role="status"]').innerText(), 'Aucune fiche ne correspond à cette recherche.');
      // Nor is the profile shown at its address (it does not exist for her).
      const res = await visit(stranger, path);
      assert.equal(res.status(), 404, `the profile of someone out of the directory, from another organisation: HTTP ${res.status()}`);

      // The person still sees their own profile, and its presence.
      await visit(page, path);
      assert.match(await main(page).getByRole('note').innerText(), /Présence : Hors de l'annuaire/);
      for (const p of pages) noProblems(p);
    }));

  test('une photo PNG envoyée s\'affiche sur la fiche ; un fichier texte nommé photo.jpg est refusé en français', (t) =>
    withPages(t, async (pages) => {
      const { ales } = await people(t);
      const page = await as(ales, pages);
      await navigate(page, () => mainNav(page).getByRole('link', { name: 'Ma fiche' }).click());
      await page.getByLabel(/^Ajouter une photo/).setInputFiles({ name: 'portrait.png', mimeType: 'image/png', buffer: pngImage(96, 96) });
      const res = await navigate(page, () => main(page).getByRole('button', { name: 'Envoyer la photo' }).click());
      assert.equal(res.status(), 200, `photo upload: HTTP ${res.status()}`);
      assert.equal(sitePath(page.url()), '/profil?info=photo-enregistree');
      assert.equal(await notice(page), 'Votre photo a été enregistrée.');
      const current = main(page).getByRole('img', { name: 'Ma photo actuelle' });
      await current.waitFor();
      await main(page).getByRole('button', { name: 'Retirer ma photo' }).waitFor();
      await page.getByLabel(/^Remplacer ma photo/).waitFor();

      // On the profile page, the browser shows it (a decoded, square image).
      const src = await current.getAttribute('src');
      const id = src.match(/^\/annuaire\/([^/]+)\/photo$/)?.[1];
      assert.ok(id, `photo address: ${src}`);
      await visit(page, `/annuaire/${id}`);
      const img = main(page).getByRole('img', { name: `Photo de ${ales.name}` });
      await img.waitFor();
      await page.waitForFunction((el) => el.complete, await img.elementHandle());
      const size = await img.evaluate((el) => [el.naturalWidth, el.naturalHeight]);
      assert.ok(size[0] > 0 && size[0] === size[1], `the photo shown is ${size.join('×')}`);
      const photo = await page.request.get(url(src));
      assert.equal(photo.status(), 200);
      assert.equal(photo.headers()['content-type'], 'image/jpeg');

      // A text file named like a photo.
      const refused = await uploadPhoto(page, 'photo.jpg', 'image/jpeg', Buffer.from('Bonjour, ceci est un texte.\n'));
      assert.equal(refused.status(), 422);
      assert.match(await page.title(), /^Erreur — Ma fiche dans l'annuaire/);
      const field = page.getByLabel(/^Remplacer ma photo/);
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      assert.match(await field.getAttribute('aria-describedby'), /\bphoto-error\b/);
      assert.equal(
        (await page.locator('#photo-error').innerText()).replace(/\s+/g, ' ').trim(),
        "Erreur : Ce fichier n'est pas une image JPEG, PNG ou WebP. Enregistrez votre photo dans l'un de ces formats.",
      );
      // The photo in place is kept.
      await main(page).getByRole('img', { name: 'Ma photo actuelle' }).waitFor();
      noProblems(page);
    }));
});

describe('import d\'une liste d\'agents', () => {
  test('l\'administratrice d\'Alès importe un CSV Windows-1252 « ; » aux titres français : aperçu, validation, compte rendu, fiches dans l\'annuaire', (t) =>
    withPages(t, async (pages) => {
      const people = [
        ['Cœurdevey', 'Hélène', `helene.coeurdevey.${unique}@ales.example`, 'Responsable de la commande publique', '04 66 78 90 12', 'A', 'Direction des finances'],
        ['Garçon', 'François', `francois.garcon.${unique}@ales.example`, 'Technicien bâtiments', '', 'B', 'Direction du patrimoine'],
      ];
      const csv = agentsCsv(AGENT_HEADERS, people);
      assert.ok(csv.includes(0x9c) && csv.includes(0xe7), 'the file is really Windows-1252 (œ = 0x9C, ç = 0xE7)');

      const page = await newPage(browser);
      pages.push(page);
      await login(page, 'org-admin');
      await navigate(page, () => mainNav(page).getByRole('link', { name: 'Annuaire', exact: true }).click());
      await navigate(page, () => main(page).getByRole('link', { name: "Importer une liste d'agents" }).click());
      await main(page).getByRole('heading', { level: 1, name: "Importer une liste d'agents" }).waitFor();
      const org = page.getByLabel(/^Organisation/);
      assert.equal(await org.inputValue(), ALES, 'her organisation is chosen');
      await page.getByLabel(/^Fichier CSV/).setInputFiles({ name: 'export-sirh.csv', mimeType: 'text/csv', buffer: csv });
      await navigate(page, () => main(page).getByRole('button', { name: "Envoyer et voir l'aperçu" }).click());

      // The preview.
      assert.match(new URL(page.url()).pathname, IMPORT_PATH);
      await main(page).getByRole('heading', { level: 1, name: "Aperçu de l'import" }).waitFor();
      const intro = (await main(page).locator('h1 + p').innerText()).replace(/\s+/g, ' ');
      assert.match(intro, /Fichier « export-sirh\.csv » pour CA Alès Agglomération — encodage détecté : Windows-1252, séparateur « ; »/);
      const columns = main(page).getByRole('table', { name: 'Contenu de chaque colonne du fichier' });
      for (const [header, key] of [['Nom', 'nom'], ['Prénom', 'prenom'], ['Courriel', 'courriel'], ['Intitulé du poste', 'fonction'], ['Téléphone', 'telephone'], ['Catégorie', 'categorie'], ['Direction', 'direction']]) {
        assert.equal(await columns.getByRole('combobox', { name: header, exact: true }).inputValue(), key, `column « ${header} »`);
      }
      assert.equal(await main(page).locator('#apercu p[role="status"]').innerText(), '2 fiche(s) à créer, 0 à mettre à jour, 0 inchangée(s).');
      const plan = main(page).getByRole('table', { name: 'Lignes valides' });
      for (const [last, first, email, fn] of people) {
        const row = plan.getByRole('row').filter({ hasText: email });
        assert.match(await row.innerText(), new RegExp(`${first} ${last}\\s+${email.replaceAll('.', '\\.')}\\s+${fn}\\s+Création`));
      }
      assert.equal(await main(page).locator('#problemes').count(), 0);

      // Validation, with the invitations to claim the profiles.
      assert.ok(await page.getByLabel(/^Inviter par courriel les personnes créées/).isChecked());
      const before = outboxFiles();
      const res = await navigate(page, () => main(page).getByRole('button', { name: 'Importer 2 ligne(s)' }).click());
      assert.equal(res.status(), 200);
      await main(page).getByRole('heading', { level: 1, name: 'Import terminé' }).waitFor();
      const report = await main(page).locator('dl.facts').evaluate((dl) =>
        Object.fromEntries([...dl.querySelectorAll('dt')].map((dt) => [dt.textContent.trim(), dt.nextElementSibling.textContent.trim()])),
      );
      assert.deepEqual(report, { 'Fiches créées': '2', 'Fiches mises à jour': '0', 'Fiches inchangées': '0', 'Invitations envoyées': '2' });

      // The imported people are in the directory.
      await navigate(page, () => main(page).getByRole('link', { name: 'Voir les fiches de CA Alès Agglomération' }).click());
      assert.equal(new URL(page.url()).searchParams.get('organisation'), ALES);
      const found = await search(page, 'cœurdevey');
      assert.equal(found.length, 1, `« cœurdevey »: ${found.map((r) => r.name).join(', ')}`);
      assert.equal(found[0].name, 'Hélène Cœurdevey');
      await navigate(page, () => main(page).getByRole('link', { name: 'Hélène Cœurdevey' }).click());
      await main(page).locator('.lead', { hasText: 'Responsable de la commande publique' }).waitFor();
      assert.match(await main(page).getByRole('note').innerText(), /Cette personne n'a pas encore de compte : sa fiche vient d'un import\./);
      assert.match((await facts(page))['Téléphone'] ?? '', /^04 66 78 90 12\b/);

      // Hélène receives the invitation to claim her profile, and does.
      const mail = await waitForMail(people[0][2], before);
      assert.match(mail.body, /vous a inscrit·e dans l'annuaire/);
      const link = linkIn(mail.body, '/invitation?jeton=');
      const helene = await newPage(browser);
      pages.push(helene);
      await visit(helene, sitePath(link));
      await main(helene).getByRole('heading', { level: 1, name: 'Rejoindre le réseau' }).waitFor();
      const pw = `la phrase de passe d'Hélène ${unique}`;
      await typeInto(helene.getByLabel(/^Prénom et nom/), 'Hélène Cœurdevey');
      await typeInto(helene.getByLabel(/^Mot de passe/), pw);
      await typeInto(helene.getByLabel(/^Confirmez le mot de passe/), pw);
      await navigate(helene, () => helene.getByRole('button', { name: 'Créer mon compte' }).click());
      assert.equal(new URL(helene.url()).pathname, '/compte');
      await navigate(helene, () => mainNav(helene).getByRole('link', { name: 'Ma fiche' }).click());
      assert.equal(await postField(helene, 'Fonction').inputValue(), 'Responsable de la commande publique', 'the imported profile is hers');
      for (const p of pages) noProblems(p);
    }));

  test('un fichier avec une ligne fautive : le problème avec son numéro de ligne, pas de bouton « Importer »', (t) =>
    inPage(t, browser, async (page) => {
      const csv = agentsCsv(AGENT_HEADERS, [
        ['Bérenger', 'Anaïs', `anais.berenger.${unique}@ales.example`, 'Juriste', '', 'A', ''],
        ['Dubreuil', 'Loïc', 'loic.dubreuil-chez-ales', 'Agent d\'accueil', '', 'C', ''],
      ]);
      await login(page, 'org-admin');
      const res = await uploadAgents(page, 'agents.csv', csv);
      assert.equal(res.status(), 200);
      assert.match(new URL(page.url()).pathname, IMPORT_PATH);
      assert.match(await page.title(), /^À corriger — Aperçu de l'import « agents\.csv »/);
      const problems = main(page).locator('#problemes');
      assert.equal(await problems.getAttribute('role'), 'alert');
      assert.match(await problems.getByRole('heading').innerText(), /^1 problème à corriger dans le fichier — rien ne sera importé tant qu'il en reste$/);
      const items = await problems.getByRole('listitem').allInnerTexts();
      assert.equal(items.length, 1, items.join('\n'));
      assert.match(items[0], /^Ligne 3, colonne « Courriel » : .*loic\.dubreuil-chez-ales/);
      assert.equal(await main(page).getByRole('button', { name: /^Importer/ }).count(), 0, 'no « Importer » button while a problem remains');

      await navigate(page, () => main(page).getByRole('button', { name: 'Abandonner cet import' }).click());
      assert.equal(sitePath(page.url()), '/admin/import?info=import-abandonne');
      assert.equal(await notice(page), "L'import a été abandonné : rien n'a été enregistré.");
      noProblems(page);
    }));
});
