// Maillage used as its users use it — and as an attacker would try it —
// with real clicks and typing in Chromium. Mails are read from the outbox
// folder of the server, as a person reads their mailbox, and their links
// opened in the browser.

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { request } from 'playwright-core';

import {
  BASE_URL,
  ROLES,
  account,
  linkIn,
  outboxFiles,
  rememberPassword,
  sitePath,
  url,
  waitForMail,
} from '../lib/env.mjs';
import {
  inPage,
  launch,
  login,
  loginWith,
  logout,
  navigate,
  newPage,
  notice,
  typeInto,
  visit,
  withEvidence,
} from '../lib/browser.mjs';

const unique = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const newPassword = (who) => `une phrase de passe pour ${who} ${unique}`;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const main = (page) => page.getByRole('main');
const banner = (page) => page.getByRole('banner');

/** No uncaught script error nor dialog happened in the page. */
function noProblems(page) {
  assert.deepEqual(page.problems, [], 'the page raised errors or dialogs');
}

describe('connexion et déconnexion', () => {
  for (const role of ROLES) {
    test(`${role} se connecte depuis l'en-tête puis se déconnecte`, (t) =>
      inPage(t, browser, async (page) => {
        const a = account(role);
        await visit(page, '/');
        await navigate(page, () => banner(page).getByRole('link', { name: 'Se connecter' }).click());
        assert.equal(sitePath(page.url()), '/connexion');
        await typeInto(page.getByLabel(/^Adresse électronique/), a.email);
        await typeInto(page.getByLabel(/^Mot de passe/), a.password);
        const res = await navigate(page, () => page.getByRole('button', { name: 'Se connecter', exact: true }).click());
        assert.equal(res.status(), 200);
        assert.equal(new URL(page.url()).pathname, '/');
        assert.equal(await notice(page), 'Vous êtes connecté·e.');
        const me = banner(page).getByRole('link', { name: /\(mon compte\)$/ });
        await me.waitFor();
        const admin = banner(page).getByRole('link', { name: 'Administration' });
        assert.equal(await admin.count(), role === 'coordinator' ? 1 : 0, 'only the coordinator sees « Administration »');

        await navigate(page, () => me.click());
        await main(page).getByRole('heading', { level: 1, name: 'Mon compte' }).waitFor();
        assert.match(await main(page).innerText(), new RegExp(a.email.replace('.', '\\.')));

        await logout(page);
        assert.equal(await notice(page), 'Vous êtes déconnecté·e.');
        // The session is really over: a private page sends back to the login form.
        await visit(page, '/compte');
        assert.equal(sitePath(page.url()), '/connexion?retour=/compte');
        noProblems(page);
      }));
  }

  test('un mauvais mot de passe : message en français, adresse gardée, récapitulatif des erreurs', (t) =>
    inPage(t, browser, async (page) => {
      const a = account('member');
      const res = await loginWith(page, a.email, 'ce nest pas le bon mot de passe');
      assert.equal(res.status(), 422);
      assert.match(await page.title(), /^Erreur — Connexion/);
      const summary = page.locator('#erreurs');
      assert.equal(await summary.getAttribute('role'), 'alert');
      assert.equal(await summary.getByRole('heading').innerText(), 'Le formulaire contient une erreur');
      const link = summary.getByRole('link', { name: 'Adresse électronique ou mot de passe incorrect.' });
      await link.waitFor();

      const email = page.getByLabel(/^Adresse électronique/);
      assert.equal(await email.inputValue(), a.email, 'the address typed is kept');
      assert.equal(await page.getByLabel(/^Mot de passe/).inputValue(), '', 'the password is not sent back');
      assert.equal(await email.getAttribute('aria-invalid'), 'true');
      assert.match(await email.getAttribute('aria-describedby'), /\bemail-error\b/);
      assert.match((await page.locator('#email-error').textContent()).replace(/\s+/g, ' '), /Erreur : Adresse électronique ou mot de passe incorrect\./);

      // The summary's link takes the keyboard to the field in error.
      await link.focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'email');

      // Same answer for an address that has no account (no enumeration).
      const res2 = await loginWith(page, `personne.inconnue.${unique}@demo.example`, 'ce nest pas le bon mot de passe');
      assert.equal(res2.status(), 422);
      await page.locator('#erreurs').getByRole('link', { name: 'Adresse électronique ou mot de passe incorrect.' }).waitFor();
      noProblems(page);
    }));
});

describe('mot de passe oublié', () => {
  test('demande, courriel, lien, nouveau mot de passe, connexion avec lui ; les autres sessions sont fermées', async (t) => {
    const a = account('hr');
    const pages = [];
    try {
      await withEvidence(t, pages, async () => {
        // Another device where the person is still logged in.
        const other = await newPage(browser);
        pages.push(other);
        await login(other, 'hr');

        const page = await newPage(browser);
        pages.push(page);
        await visit(page, '/connexion');
        await navigate(page, () => page.getByRole('link', { name: 'Mot de passe oublié ?' }).click());
        await main(page).getByRole('heading', { level: 1, name: 'Mot de passe oublié' }).waitFor();
        const before = outboxFiles();
        await typeInto(page.getByLabel(/^Adresse électronique/), a.email);
        await navigate(page, () => page.getByRole('button', { name: 'Recevoir le lien' }).click());
        assert.match(await notice(page), new RegExp(`Si un compte existe pour l'adresse ${a.email.replace('.', '\\.')}`));

        const mail = await waitForMail(a.email, before);
        const link = linkIn(mail.body, '/mot-de-passe/nouveau?jeton=');
        t.diagnostic(`reset mail ${mail.file}`);

        // Opening the link of the mail.
        await visit(page, sitePath(link));
        await main(page).getByRole('heading', { level: 1, name: 'Choisir un nouveau mot de passe' }).waitFor();
        const pw = newPassword('rh');
        await typeInto(page.getByLabel(/^Nouveau mot de passe/), pw);
        await typeInto(page.getByLabel(/^Confirmez le nouveau mot de passe/), pw);
        await navigate(page, () => page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click());
        assert.equal(sitePath(page.url()), '/connexion?info=mot-de-passe-reinitialise');
        assert.match(await notice(page), /^Votre mot de passe a été modifié/);
        rememberPassword(a.email, pw);

        // Logging in with the new password.
        await typeInto(page.getByLabel(/^Adresse électronique/), a.email);
        await typeInto(page.getByLabel(/^Mot de passe/), pw);
        const res = await navigate(page, () => page.getByRole('button', { name: 'Se connecter', exact: true }).click());
        assert.equal(res.status(), 200);
        assert.equal(await notice(page), 'Vous êtes connecté·e.');
        await logout(page);

        // The link served once.
        await visit(page, sitePath(link));
        await main(page).getByText('Ce lien n\'est plus valable').waitFor();
        assert.equal(await page.getByLabel(/^Nouveau mot de passe/).count(), 0);

        // The old password no longer works.
        const old = await loginWith(page, a.email, a.password);
        assert.equal(old.status(), 422);

        // The session on the other device was ended by the reset.
        await visit(other, '/compte');
        assert.equal(sitePath(other.url()), '/connexion?retour=/compte');
        noProblems(page);
      });
    } finally {
      for (const p of pages) await p.context().close();
    }
  });
});

describe('animation du réseau', () => {
  test('ajoute une organisation de la liste officielle puis change son adhésion', (t) =>
    inPage(t, browser, async (page) => {
      await login(page, 'coordinator');
      await navigate(page, () => banner(page).getByRole('link', { name: 'Administration' }).click());
      await navigate(page, () => main(page).getByRole('link', { name: 'Ajouter une organisation' }).click());
      await main(page).getByRole('heading', { level: 1, name: 'Ajouter une organisation au réseau' }).waitFor();

      await typeInto(page.getByRole('searchbox', { name: 'Nom ou SIREN' }), 'Saint-Étienne');
      await navigate(page, () => page.getByRole('button', { name: 'Chercher' }).click());
      const results = page.getByRole('group', { name: /choisissez la collectivité/ });
      await results.waitFor();
      const choice = results.getByRole('radio', { name: /^Saint-Étienne — Commune\b/ });
      await choice.check();
      const form = page.locator('form').filter({ has: results });
      await form.getByLabel('Statut dans le réseau').selectOption({ label: 'Adhésion en cours' });
      await navigate(page, () => form.getByRole('button', { name: 'Ajouter au réseau' }).click());

      assert.equal(await notice(page), "L'organisation a été ajoutée au réseau.");
      await main(page).getByRole('heading', { level: 1, name: 'Saint-Étienne' }).waitFor();
      const orgPath = new URL(page.url()).pathname;
      assert.match(orgPath, /^\/organisations\/\d{9}$/);
      assert.equal(await main(page).locator('.lead .badge').innerText(), 'Adhésion en cours');

      // Membership: status and date.
      await navigate(page, () => main(page).getByRole('link', { name: /^Modifier l'adhésion/ }).click());
      await main(page).getByRole('heading', { level: 1, name: 'Adhésion de Saint-Étienne' }).waitFor();
      await page.getByLabel('Statut').selectOption({ label: 'Membre' });
      await page.getByLabel(/^Date d'adhésion/).fill('2026-01-15');
      await navigate(page, () => page.getByRole('button', { name: 'Enregistrer' }).click());
      assert.equal(new URL(page.url()).pathname, orgPath);
      assert.equal(await notice(page), "L'adhésion a été mise à jour.");
      assert.equal(await main(page).locator('.lead .badge').innerText(), 'Membre');
      assert.match(await main(page).locator('dl.facts').innerText(), /Membre du réseau depuis le\s+15 janvier 2026/);

      // It is now in the list of members, and in the journal.
      await navigate(page, () => banner(page).getByRole('link', { name: 'Membres' }).click());
      await typeInto(page.getByRole('searchbox', { name: 'Nom' }), 'Saint-Étienne');
      await navigate(page, () => page.getByRole('button', { name: 'Filtrer' }).click());
      await main(page).getByRole('link', { name: 'Saint-Étienne', exact: true }).waitFor();
      await navigate(page, () => banner(page).getByRole('link', { name: 'Administration' }).click());
      await navigate(page, () => main(page).getByRole('link', { name: 'Journal des opérations' }).click());
      assert.match(await main(page).locator('table').innerText(), /Saint-Étienne|214202186/);
      noProblems(page);
    }));
});

describe('administration d\'une organisation', () => {
  test('invite une personne ; elle ouvre le lien du courriel, crée son compte et arrive connectée', async (t) => {
    const invitee = `camille.essai.${unique}@ales.example`;
    const pages = [];
    try {
      await withEvidence(t, pages, async () => {
        const admin = await newPage(browser);
        pages.push(admin);
        await login(admin, 'org-admin');
        await navigate(admin, () => banner(admin).getByRole('link', { name: 'Membres' }).click());
        await typeInto(admin.getByRole('searchbox', { name: 'Nom' }), 'Alès');
        await navigate(admin, () => admin.getByRole('button', { name: 'Filtrer' }).click());
        await navigate(admin, () => main(admin).getByRole('link', { name: 'CA Alès Agglomération' }).click());

        const form = admin.locator('form').filter({ has: admin.getByRole('button', { name: 'Inviter' }) });
        const before = outboxFiles();
        await typeInto(form.getByLabel(/^Adresse électronique/), invitee);
        await form.getByLabel('Rôle').selectOption({ label: 'Membre' });
        await navigate(admin, () => form.getByRole('button', { name: 'Inviter' }).click());
        assert.equal(await notice(admin), "L'invitation a été envoyée par courriel.");
        assert.match(await main(admin).innerText(), new RegExp(`${invitee.replaceAll('.', '\\.')} — Membre`));

        const mail = await waitForMail(invitee, before);
        const link = linkIn(mail.body, '/invitation?jeton=');

        // The invitee, in their own browser.
        const page = await newPage(browser);
        pages.push(page);
        await visit(page, sitePath(link));
        await main(page).getByRole('heading', { level: 1, name: 'Rejoindre le réseau' }).waitFor();
        assert.match(await main(page).innerText(), /rejoindre CA Alès Agglomération avec le rôle « Membre »/);
        const pw = newPassword('camille');
        await typeInto(page.getByLabel(/^Prénom et nom/), 'Camille Essai');
        await typeInto(page.getByLabel(/^Mot de passe/), pw);
        await typeInto(page.getByLabel(/^Confirmez le mot de passe/), pw);
        const res = await navigate(page, () => page.getByRole('button', { name: 'Créer mon compte' }).click());
        assert.equal(res.status(), 200);
        assert.equal(new URL(page.url()).pathname, '/compte');
        assert.equal(await notice(page), 'Bienvenue ! Votre compte est créé et vous êtes connecté·e.');
        await banner(page).getByRole('link', { name: 'Camille Essai (mon compte)' }).waitFor();
        assert.match(await main(page).innerText(), /Membre — CA Alès Agglomération/);

        // The link served once.
        await logout(page);
        await visit(page, sitePath(link));
        assert.equal(await page.getByLabel(/^Prénom et nom/).count(), 0, 'a used invitation cannot create a second account');
        await main(page).getByRole('alert').waitFor();

        // The organisation's administrator now sees the person.
        await visit(admin, new URL(admin.url()).pathname);
        await main(admin).getByRole('cell', { name: invitee }).waitFor();
        noProblems(page);
        noProblems(admin);
      });
    } finally {
      for (const p of pages) await p.context().close();
    }
  });
});

describe('jetons d\'API', () => {
  test('une personne crée un jeton sur « Mon compte » puis le révoque', (t) =>
    inPage(t, browser, async (page) => {
      const a = await login(page, 'member');
      await navigate(page, () => banner(page).getByRole('link', { name: /\(mon compte\)$/ }).click());
      const name = `Tableau de bord ${unique}`;
      await typeInto(page.getByLabel(/^Nom du nouveau jeton/), name);
      await navigate(page, () => page.getByRole('button', { name: 'Créer un jeton' }).click());
      const token = (await main(page).locator('.notice code.token').innerText()).trim();
      assert.match(token, /^mlg_\S+$/);
      const row = main(page).getByRole('row').filter({ hasText: name });
      await row.waitFor();

      // A tool (not the browser) uses it with the person's rights.
      const api = await request.newContext();
      try {
        const me = await api.get(url('/api/v1/moi'), { headers: { Authorization: `Bearer ${token}` } });
        assert.equal(me.status(), 200);
        assert.match(await me.text(), new RegExp(a.email.replace('.', '\\.')));

        await navigate(page, () => row.getByRole('button', { name: `Révoquer le jeton ${name}` }).click());
        assert.equal(await notice(page), "Le jeton a été révoqué : il ne permet plus d'accéder à l'API.");
        assert.equal(await main(page).locator('.notice code.token').count(), 0, 'the secret is shown once only');
        assert.match(await main(page).getByRole('row').filter({ hasText: name }).innerText(), /Révoqué/);

        const after = await api.get(url('/api/v1/moi'), { headers: { Authorization: `Bearer ${token}` } });
        assert.equal(after.status(), 401, 'a revoked token is refused');
      } finally {
        await api.dispose();
      }
      noProblems(page);
    }));
});

describe('comme un attaquant', () => {
  test('un formulaire d\'un autre site ne peut pas agir au nom de la personne connectée (CSRF)', async (t) => {
    const name = `jeton piégé ${unique}`;
    // The attacker's page, served from another origin of this machine.
    const evil = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!DOCTYPE html><html lang="fr"><title>Gagnez un prix</title>
<form id="f" method="post" action="${BASE_URL}/compte/jetons"><input name="name" value="${name}"><button>Gagner</button></form>`);
    });
    await new Promise((r) => evil.listen(0, '127.0.0.1', r));
    try {
      await inPage(t, browser, async (page) => {
        await login(page, 'member');
        await page.goto(`http://127.0.0.1:${evil.address().port}/`);
        const res = await navigate(page, () => page.getByRole('button', { name: 'Gagner' }).click());
        assert.equal(res.status(), 403, 'a cross-origin form post is refused');
        await main(page).getByRole('heading', { level: 1 }).waitFor();
        assert.match(await page.locator('html').getAttribute('lang'), /^fr/);
        await visit(page, '/compte');
        assert.equal(await main(page).getByText(name).count(), 0, 'no token was created');
      });
    } finally {
      await new Promise((r) => evil.close(r));
    }
  });

  test('le retour après connexion ne mène jamais vers un autre site', (t) =>
    inPage(t, browser, async (page) => {
      const a = account('trainer');
      await visit(page, `/connexion?retour=${encodeURIComponent('//evil.example/vol')}`);
      await typeInto(page.getByLabel(/^Adresse électronique/), a.email);
      await typeInto(page.getByLabel(/^Mot de passe/), a.password);
      await navigate(page, () => page.getByRole('button', { name: 'Se connecter', exact: true }).click());
      assert.equal(new URL(page.url()).origin, BASE_URL);

      // …while a page of the site asked before logging in is given back.
      await logout(page);
      await visit(page, '/compte');
      assert.equal(sitePath(page.url()), '/connexion?retour=/compte');
      await typeInto(page.getByLabel(/^Adresse électronique/), a.email);
      await typeInto(page.getByLabel(/^Mot de passe/), a.password);
      await navigate(page, () => page.getByRole('button', { name: 'Se connecter', exact: true }).click());
      assert.equal(new URL(page.url()).pathname, '/compte');
    }));

  test('une personne membre n\'entre pas dans l\'administration', (t) =>
    inPage(t, browser, async (page) => {
      await login(page, 'member');
      for (const p of ['/admin', '/admin/organisations/nouvelle', '/admin/personnes', '/admin/journal', '/admin/organisations/200066918/adhesion']) {
        const res = await visit(page, p);
        assert.equal(res.status(), 403, `${p} as a member`);
        assert.equal(await main(page).locator('table, form.form').count(), 0, `${p}: no admin content`);
      }
      // Nor does she see the people of her organisation.
      await visit(page, '/organisations/200066918');
      assert.equal(await main(page).getByRole('heading', { name: 'Personnes et rôles' }).count(), 0);
    }));

  test('du HTML saisi est affiché comme du texte, jamais exécuté', (t) =>
    inPage(t, browser, async (page) => {
      const payload = `<img src=x onerror="alert('xss')"><script>alert('xss')</script>`;
      await login(page, 'org-admin');
      await visit(page, '/organisations/200066918');
      const original = await page.getByLabel(/^Présentation de l'organisation/).inputValue();
      await typeInto(page.getByLabel(/^Présentation de l'organisation/), `Notre école. ${payload}`);
      await navigate(page, () => page.getByRole('button', { name: 'Enregistrer la présentation' }).click());
      assert.equal(await notice(page), 'La présentation a été mise à jour.');
      await main(page).getByText(payload, { exact: false }).first().waitFor();
      assert.equal(await main(page).locator('img, script').count(), 0);

      // The search field too.
      await visit(page, `/organisations?q=${encodeURIComponent(payload)}`);
      assert.equal(await page.getByRole('searchbox', { name: 'Nom' }).inputValue(), payload);
      assert.equal(await main(page).locator('img, script').count(), 0);
      await page.waitForTimeout(200);
      noProblems(page);

      // Put the presentation back.
      await visit(page, '/organisations/200066918');
      await page.getByLabel(/^Présentation de l'organisation/).fill(original);
      await navigate(page, () => page.getByRole('button', { name: 'Enregistrer la présentation' }).click());
    }));
});
