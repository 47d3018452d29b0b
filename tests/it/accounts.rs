//! Accounts: login and sessions, throttling, password reset, invitations,
//! password policy, password change.

use axum::http::StatusCode;

use crate::harness::{ALES, Browser, PASSWORD, TestApp, link};

const MEMBER: &str = "agent@demo.example";

#[tokio::test]
async fn login_sets_a_safe_session_cookie_renewed_at_each_login_and_logout_ends_it() {
    let app = TestApp::with_demo().await;
    let mut b = Browser::default();
    // A session cookie sent with the login form is replaced, never reused.
    b.cookies.push(("maillage_session".into(), "fixation-attempt".into()));
    let res = app
        .submit(
            "/connexion",
            &mut b,
            &[("email", MEMBER), ("password", PASSWORD), ("retour", "/compte")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), "/compte?info=connecte");
    let set = res
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect::<Vec<_>>();
    let session = set
        .iter()
        .find(|c| c.starts_with("maillage_session="))
        .expect("cookie de session");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Path=/"),
        "{session}"
    );
    let first = res.cookie("maillage_session").unwrap();
    assert_ne!(first, "fixation-attempt");

    let page = app.visit("/compte", &mut b).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains(MEMBER));

    // Logging in again gives a new token and ends the previous session.
    let res = app
        .submit("/connexion", &mut b, &[("email", MEMBER), ("password", PASSWORD)])
        .await;
    let second = res.cookie("maillage_session").unwrap();
    assert_ne!(first, second);
    let old = Browser {
        cookies: vec![("maillage_session".into(), first)],
    };
    assert_eq!(
        app.get("/compte", Some(&old)).await.status,
        StatusCode::SEE_OTHER,
        "l'ancienne session vit encore"
    );

    let res = app.submit("/deconnexion", &mut b, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let stale = Browser {
        cookies: vec![("maillage_session".into(), second)],
    };
    let res = app.get("/compte", Some(&stale)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/connexion?retour=/compte");
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_french_answer() {
    let app = TestApp::with_demo().await;
    let mut b = Browser::default();
    let known = app
        .submit(
            "/connexion",
            &mut b,
            &[("email", MEMBER), ("password", "pas le bon mot de passe")],
        )
        .await;
    let unknown = app
        .submit(
            "/connexion",
            &mut b,
            &[("email", "inconnu@ville.fr"), ("password", "pas le bon mot de passe")],
        )
        .await;
    assert_eq!(known.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.status, known.status);
    assert!(known.text().contains("Adresse électronique ou mot de passe incorrect."));
    assert!(
        known.text().contains(&format!("value=\"{MEMBER}\"")),
        "l'adresse saisie est perdue"
    );
    assert_eq!(
        known.body.replace(MEMBER, "X"),
        unknown.body.replace("inconnu@ville.fr", "X"),
        "réponses différentes : énumération possible"
    );

    let bad = app
        .submit("/connexion", &mut b, &[("email", "pas-une-adresse"), ("password", "x")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text().contains("Saisissez une adresse électronique valide"),
        "{}",
        bad.body
    );
    assert!(bad.text().contains("aria-invalid=\"true\""));
}

/// Hammering someone's account throttles the attacker, not the owner: the
/// owner's browser (device cookie from an earlier login) still gets in.
#[tokio::test]
async fn throttling_cannot_lock_the_owner_out() {
    let app = TestApp::with_demo().await;
    let mut owner = app.login(MEMBER, PASSWORD).await;
    assert!(owner.cookies.iter().any(|(k, _)| k == "maillage_appareil"));
    app.submit("/deconnexion", &mut owner, &[]).await;

    let mut attacker = Browser::default();
    for _ in 0..maillage_core::throttle::ACCOUNT_LIMIT {
        let r = app
            .submit(
                "/connexion",
                &mut attacker,
                &[("email", MEMBER), ("password", "devine-devine-devine")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Now even the right password is refused without the device cookie…
    let r = app
        .submit(
            "/connexion",
            &mut attacker,
            &[("email", MEMBER), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text().contains("Trop de tentatives"), "{}", r.body);
    // …and unknown addresses behave the same (no enumeration through throttling).
    for _ in 0..maillage_core::throttle::ACCOUNT_LIMIT {
        app.submit(
            "/connexion",
            &mut attacker,
            &[("email", "personne@ville.fr"), ("password", "devine-devine-devine")],
        )
        .await;
    }
    let r = app
        .submit(
            "/connexion",
            &mut attacker,
            &[("email", "personne@ville.fr"), ("password", "devine-devine-devine")],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);

    // The owner's browser still logs in.
    let r = app
        .submit("/connexion", &mut owner, &[("email", MEMBER), ("password", PASSWORD)])
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "le propriétaire est bloqué : {}",
        r.body
    );
}

#[tokio::test]
async fn throttling_per_ip() {
    let app = TestApp::with_demo().await;
    let mut b = Browser::default();
    for i in 0..maillage_core::throttle::IP_LIMIT {
        let email = format!("essai{i}@ville.fr");
        let r = app
            .submit(
                "/connexion",
                &mut b,
                &[("email", &email), ("password", "devine-devine-devine")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = app
        .submit(
            "/connexion",
            &mut b,
            &[("email", "autre@ville.fr"), ("password", "devine-devine-devine")],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text().contains("depuis votre réseau"));
}

#[tokio::test]
async fn password_reset_by_single_use_link_ends_other_sessions() {
    let app = TestApp::with_demo().await;
    let other_session = app.login(MEMBER, PASSWORD).await;
    let mut b = Browser::default();

    // Same answer for a known and an unknown address; a mail only for the known one.
    let known = app.submit("/mot-de-passe-oublie", &mut b, &[("email", MEMBER)]).await;
    let unknown = app
        .submit("/mot-de-passe-oublie", &mut b, &[("email", "inconnu@ville.fr")])
        .await;
    assert_eq!(known.status, StatusCode::OK);
    assert_eq!(
        known.body.replace(MEMBER, "X"),
        unknown.body.replace("inconnu@ville.fr", "X")
    );
    let mails = app.mails().await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(mails[0].contains("To: agent@demo.example"));
    assert!(mails[0].contains("valable une heure"));
    let path = link(&mails[0], "http://");
    assert!(path.starts_with("/mot-de-passe/nouveau?jeton="), "{path}");

    let form = app.visit(&path, &mut b).await;
    assert_eq!(form.status, StatusCode::OK);
    let token = path.split("jeton=").nth(1).unwrap();

    // Policy errors are French and nothing is changed.
    let weak = app
        .submit(
            "/mot-de-passe/nouveau",
            &mut b,
            &[
                ("jeton", token),
                ("password", "azertyuiop123"),
                ("confirmation", "azertyuiop123"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.text().contains("trop courant"), "{}", weak.body);
    let mismatch = app
        .submit(
            "/mot-de-passe/nouveau",
            &mut b,
            &[
                ("jeton", token),
                ("password", "un tout nouveau mot de passe"),
                ("confirmation", "autre chose encore"),
            ],
        )
        .await;
    assert!(mismatch.text().contains("ne sont pas identiques"));

    let ok = app
        .submit(
            "/mot-de-passe/nouveau",
            &mut b,
            &[
                ("jeton", token),
                ("password", "un tout nouveau mot de passe"),
                ("confirmation", "un tout nouveau mot de passe"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(
        app.get("/compte", Some(&other_session)).await.status,
        StatusCode::SEE_OTHER,
        "une autre session a survécu"
    );
    app.login(MEMBER, "un tout nouveau mot de passe").await;

    // Single use.
    let again = app
        .submit(
            "/mot-de-passe/nouveau",
            &mut b,
            &[
                ("jeton", token),
                ("password", "encore un autre mot de passe"),
                ("confirmation", "encore un autre mot de passe"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().contains("n'est plus valable"));
    app.login(MEMBER, "un tout nouveau mot de passe").await;
}

#[tokio::test]
async fn an_expired_reset_link_is_refused() {
    let app = TestApp::with_demo().await;
    maillage_core::accounts::request_password_reset(&app.ctx, MEMBER)
        .await
        .unwrap();
    let mails = app.mails().await;
    let path = link(&mails[0], "http://");
    // Age the link past its hour.
    let mut tx = app.ctx.db.begin().await.unwrap();
    tx.ex()
        .execute(
            maillage_db::query("UPDATE one_time_tokens SET expires_at = $1")
                .bind(maillage_db::now() - time::Duration::minutes(1)),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let page = app.get(&path, None).await;
    assert!(page.text().contains("n'est plus valable"));
    let token = path.split("jeton=").nth(1).unwrap();
    let mut b = Browser::default();
    let r = app
        .submit(
            "/mot-de-passe/nouveau",
            &mut b,
            &[
                ("jeton", token),
                ("password", "un tout nouveau mot de passe"),
                ("confirmation", "un tout nouveau mot de passe"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.login(MEMBER, PASSWORD).await;
}

#[tokio::test]
async fn invitation_by_email_creates_the_account_with_its_role() {
    let app = TestApp::with_demo().await;
    let mut admin = app.login("ecole@demo.example", PASSWORD).await;
    let r = app
        .submit(
            &format!("/organisations/{ALES}/invitations"),
            &mut admin,
            &[("email", "Nouvelle.Recrue@Ales.fr"), ("role", "trainer")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mails = app.mails().await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("To: nouvelle.recrue@ales.fr"));
    let path = link(&mails[0], "http://");
    let page = app.get(&path, None).await;
    assert!(
        page.text().contains("CA Alès Agglomération") && page.text().contains("Intervenant·e"),
        "{}",
        page.body
    );

    let token = path.split("jeton=").nth(1).unwrap();
    let mut b = Browser::default();
    let bad = app
        .submit(
            "/invitation",
            &mut b,
            &[
                ("jeton", token),
                ("display_name", ""),
                ("password", "court"),
                ("confirmation", "court"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text().contains("Saisissez votre prénom et votre nom.") && bad.text().contains("au moins 12 caractères")
    );

    let ok = app
        .submit(
            "/invitation",
            &mut b,
            &[
                ("jeton", token),
                ("display_name", "Nina Recrue"),
                ("password", "ma phrase de passe à moi"),
                ("confirmation", "ma phrase de passe à moi"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let account = app.visit("/compte", &mut b).await;
    assert!(
        account.text().contains("Intervenant·e — CA Alès Agglomération"),
        "{}",
        account.body
    );

    let again = app
        .submit(
            "/invitation",
            &mut Browser::default(),
            &[
                ("jeton", token),
                ("display_name", "Intrus"),
                ("password", "ma phrase de passe à moi"),
                ("confirmation", "ma phrase de passe à moi"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().contains("n'est plus valable"));
}

#[tokio::test]
async fn changing_ones_password_keeps_this_session_and_ends_the_others() {
    let app = TestApp::with_demo().await;
    let mut here = app.login(MEMBER, PASSWORD).await;
    let elsewhere = app.login(MEMBER, PASSWORD).await;
    let wrong = app
        .submit(
            "/compte/mot-de-passe",
            &mut here,
            &[
                ("current", "faux"),
                ("password", "une nouvelle phrase de passe"),
                ("confirmation", "une nouvelle phrase de passe"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text().contains("mot de passe actuel saisi est incorrect"));
    let ok = app
        .submit(
            "/compte/mot-de-passe",
            &mut here,
            &[
                ("current", PASSWORD),
                ("password", "une nouvelle phrase de passe"),
                ("confirmation", "une nouvelle phrase de passe"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(app.get("/compte", Some(&here)).await.status, StatusCode::OK);
    assert_eq!(app.get("/compte", Some(&elsewhere)).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_hashes() {
    let app = TestApp::with_demo().await;
    let mut c = app.ctx.db.conn().await.unwrap();
    let u = maillage_db::users::by_email(c.ex(), MEMBER).await.unwrap().unwrap();
    let hash = u.password_hash.unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
}

/// Failed-login records, expired sessions and stale links are deleted by the
/// worker's pruning; fresh ones are kept.
#[tokio::test]
async fn expired_security_records_are_pruned() {
    let app = TestApp::with_demo().await;
    let _live = app.login(MEMBER, PASSWORD).await;
    let mut b = Browser::default();
    app.submit(
        "/connexion",
        &mut b,
        &[("email", MEMBER), ("password", "faux-faux-faux-faux")],
    )
    .await;
    maillage_core::accounts::request_password_reset(&app.ctx, MEMBER)
        .await
        .unwrap();
    let count = |sql: &'static str| {
        let db = app.ctx.db.clone();
        async move {
            let mut c = db.conn().await.unwrap();
            c.ex().fetch_scalar(maillage_db::query(sql)).await.unwrap()
        }
    };
    // Fresh records survive a prune.
    maillage_core::jobs::prune(&app.ctx).await.unwrap();
    assert!(count("SELECT COUNT(*) FROM login_failures").await > 0);
    assert_eq!(count("SELECT COUNT(*) FROM sessions").await, 1);
    assert_eq!(count("SELECT COUNT(*) FROM one_time_tokens").await, 1);
    // Aged past their limits, they go.
    let old = maillage_db::now() - time::Duration::days(2);
    let mut tx = app.ctx.db.begin().await.unwrap();
    for sql in [
        "UPDATE login_failures SET at = $1",
        "UPDATE sessions SET expires_at = $1",
        "UPDATE one_time_tokens SET expires_at = $1",
    ] {
        tx.ex().execute(maillage_db::query(sql).bind(old)).await.unwrap();
    }
    tx.commit().await.unwrap();
    assert!(maillage_core::jobs::prune(&app.ctx).await.unwrap() >= 3);
    assert_eq!(count("SELECT COUNT(*) FROM login_failures").await, 0);
    assert_eq!(count("SELECT COUNT(*) FROM sessions").await, 0);
    assert_eq!(count("SELECT COUNT(*) FROM one_time_tokens").await, 0);
}

/// A burst of simultaneous guesses cannot slip past the limit: attempts are
/// recorded before the password check, so they count each other.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_parallel_guesses_is_throttled() {
    let app = std::sync::Arc::new(TestApp::with_demo().await);
    let mut tasks = Vec::new();
    for _ in 0..24 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let mut b = Browser::default();
            app.submit(
                "/connexion",
                &mut b,
                &[("email", MEMBER), ("password", "devine-devine-devine")],
            )
            .await
            .status
        }));
    }
    let mut checked = 0;
    for t in tasks {
        match t.await.unwrap() {
            StatusCode::UNPROCESSABLE_ENTITY => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("statut inattendu {other}"),
        }
    }
    assert!(
        checked <= maillage_core::throttle::ACCOUNT_LIMIT,
        "{checked} mots de passe vérifiés pour une limite de {}",
        maillage_core::throttle::ACCOUNT_LIMIT
    );
}

/// Asking again and again sends one mail per account every two minutes, and
/// the answer does not change.
#[tokio::test]
async fn reset_requests_do_not_flood_a_mailbox() {
    let app = TestApp::with_demo().await;
    let mut b = Browser::default();
    let first = app.submit("/mot-de-passe-oublie", &mut b, &[("email", MEMBER)]).await;
    for _ in 0..5 {
        let again = app.submit("/mot-de-passe-oublie", &mut b, &[("email", MEMBER)]).await;
        assert_eq!(again.body, first.body);
    }
    assert_eq!(app.mails().await.len(), 1);
}

/// Inviting an address that already has an account grants nothing until
/// that account accepts, logged in.
#[tokio::test]
async fn an_existing_account_accepts_an_invitation_before_getting_the_role() {
    let app = TestApp::with_demo().await;
    let trainer_in_ales = |app: &TestApp| {
        let db = app.ctx.db.clone();
        async move {
            let mut c = db.conn().await.unwrap();
            let u = maillage_db::users::by_email(c.ex(), MEMBER).await.unwrap().unwrap();
            maillage_db::roles::of_user(c.ex(), u.id)
                .await
                .unwrap()
                .iter()
                .any(|r| r.role == "trainer")
        }
    };
    let mut admin = app.login("ecole@demo.example", PASSWORD).await;
    let r = app
        .submit(
            &format!("/organisations/{ALES}/invitations"),
            &mut admin,
            &[("email", MEMBER), ("role", "trainer")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(!trainer_in_ales(&app).await, "rôle donné sans consentement");
    let mails = app.mails().await;
    assert!(mails[0].contains("connectez-vous à votre compte"), "{}", mails[0]);
    let path = link(&mails[0], "http://");
    let token = path.split("jeton=").nth(1).unwrap().to_owned();

    // Anonymous: asked to log in with that account, and brought back here.
    let anon = app.get(&path, None).await;
    assert!(anon.text().contains("connectez-vous avec ce compte"), "{}", anon.body);
    assert!(
        anon.text().contains("/connexion?retour=/invitation%3Fjeton%3D"),
        "{}",
        anon.body
    );
    // Someone else logged in cannot take it.
    let mut other = app.login("rh@demo.example", PASSWORD).await;
    assert!(app.visit(&path, &mut other).await.text().contains("adressée au compte"));
    let stolen = app.submit("/invitation", &mut other, &[("jeton", &token)]).await;
    assert_eq!(stolen.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!trainer_in_ales(&app).await);
    // The invited account accepts.
    let mut me = app.login(MEMBER, PASSWORD).await;
    assert!(app.visit(&path, &mut me).await.text().contains("Accepter l'invitation"));
    let ok = app.submit("/invitation", &mut me, &[("jeton", &token)]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(ok.location(), "/compte?info=invitation-acceptee");
    assert!(trainer_in_ales(&app).await);
    let again = app.submit("/invitation", &mut me, &[("jeton", &token)]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
}
