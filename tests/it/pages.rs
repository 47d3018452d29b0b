//! Every page renders for every kind of caller, with the site's frame, one
//! `<h1>`, labelled form fields and unique ids; every response carries the
//! security headers; errors are French pages (or JSON under /api); cross-site
//! and oversized posts are refused.

use std::collections::{BTreeMap, BTreeSet};

use axum::http::{Method, StatusCode};

use crate::harness::{ALES, Browser, PASSWORD, Part, Res, TestApp, form};

// ---------------------------------------------------------------------------
// A small HTML tag scanner (no regex, no parser: our own templates only)
// ---------------------------------------------------------------------------

struct Tag {
    name: String,
    attrs: BTreeMap<String, String>,
    /// Byte offset of the `<` in the document.
    at: usize,
}

/// The start tags of a document, with their attributes (lower-cased names).
fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let at = i + off;
        i = at + 1;
        if html[at..].starts_with("<!--") {
            i = html[at..].find("-->").map(|e| at + e + 3).unwrap_or(b.len());
            continue;
        }
        if !b.get(i).is_some_and(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        let mut j = i;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
            j += 1;
        }
        let name = html[i..j].to_ascii_lowercase();
        let mut attrs = BTreeMap::new();
        // Attributes until the closing `>`, values quoted or not.
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                break;
            }
            let k = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'=' && b[j] != b'>' {
                j += 1;
            }
            let key = html[k..j].to_ascii_lowercase();
            let mut value = String::new();
            if j < b.len() && b[j] == b'=' {
                j += 1;
                if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    let q = b[j];
                    let end = html[j + 1..].find(q as char).map(|e| j + 1 + e).unwrap_or(b.len());
                    value = html[j + 1..end].to_owned();
                    j = (end + 1).min(b.len());
                } else {
                    let k = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    value = html[k..j].to_owned();
                }
            }
            attrs.insert(key, value);
        }
        i = j;
        out.push(Tag { name, attrs, at });
    }
    out
}

/// The frame and accessibility checks every HTML page must pass.
pub fn check_html(what: &str, res: &Res) {
    let html = &res.body;
    let ct = res
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(ct.starts_with("text/html"), "{what} : content-type {ct}");
    assert!(
        html.contains("<html lang=\"fr\">"),
        "{what} : pas de <html lang=\"fr\">"
    );

    let title = html
        .split_once("<title>")
        .and_then(|(_, r)| r.split_once("</title>"))
        .map(|(t, _)| t.trim())
        .unwrap_or_else(|| panic!("{what} : pas de <title>"));
    // The page's own part, before « — réseau · Maillage ».
    let own = title.split('—').next().unwrap_or("").trim();
    assert!(
        !title.is_empty() && !own.is_empty(),
        "{what} : titre vide ou sans nom de page : « {title} »"
    );

    let all = tags(html);
    let count = |n: &str| all.iter().filter(|t| t.name == n).count();
    assert_eq!(count("h1"), 1, "{what} : {} <h1>", count("h1"));
    assert!(
        all.iter()
            .any(|t| t.name == "main" && t.attrs.get("id").map(String::as_str) == Some("contenu")),
        "{what} : pas de <main id=\"contenu\">"
    );
    assert!(
        html.contains("<main id=\"contenu\""),
        "{what} : <main id=\"contenu\" doit ouvrir le contenu"
    );
    for n in ["header", "nav", "footer"] {
        assert!(count(n) >= 1, "{what} : pas de <{n}>");
    }
    let body_at = all
        .iter()
        .find(|t| t.name == "body")
        .map(|t| t.at)
        .unwrap_or_else(|| panic!("{what} : pas de <body>"));
    let first_link = all
        .iter()
        .find(|t| t.name == "a" && t.at > body_at)
        .unwrap_or_else(|| panic!("{what} : aucun lien"));
    assert_eq!(
        first_link.attrs.get("href").map(String::as_str),
        Some("#contenu"),
        "{what} : le premier lien doit être l'évitement vers #contenu"
    );
    assert!(
        all.iter()
            .any(|t| t.name == "a" && t.attrs.get("href").map(String::as_str) == Some("/accessibilite")),
        "{what} : pas de lien vers /accessibilite"
    );

    // Ids: unique; every field has one, with its <label for>.
    let mut ids = BTreeSet::new();
    for t in &all {
        if let Some(id) = t.attrs.get("id") {
            assert!(!id.is_empty(), "{what} : id vide sur <{}>", t.name);
            assert!(ids.insert(id.clone()), "{what} : id « {id} » en double");
        }
    }
    let labels: BTreeSet<&str> = all
        .iter()
        .filter(|t| t.name == "label")
        .filter_map(|t| t.attrs.get("for").map(String::as_str))
        .collect();
    for t in all
        .iter()
        .filter(|t| matches!(t.name.as_str(), "input" | "select" | "textarea"))
    {
        if t.attrs.get("type").map(String::as_str) == Some("hidden") {
            continue;
        }
        // Labelled by other elements (a table's row and column headers):
        // they must exist.
        if let Some(by) = t.attrs.get("aria-labelledby") {
            for target in by.split_whitespace() {
                assert!(
                    all.iter()
                        .any(|x| x.attrs.get("id").map(String::as_str) == Some(target)),
                    "{what} : <{} aria-labelledby=\"{by}\"> : #{target} absent de la page",
                    t.name
                );
            }
            assert!(!by.trim().is_empty(), "{what} : aria-labelledby vide");
            continue;
        }
        let id = t
            .attrs
            .get("id")
            .unwrap_or_else(|| panic!("{what} : <{} name={:?}> sans id", t.name, t.attrs.get("name")));
        assert!(
            labels.contains(id.as_str()),
            "{what} : <{} id=\"{id}\"> sans <label for=\"{id}\">",
            t.name
        );
    }
    // Labels point at something, and in-page links too.
    for l in &labels {
        assert!(ids.contains(*l), "{what} : <label for=\"{l}\"> ne désigne aucun champ");
    }
    for t in all.iter().filter(|t| t.name == "a") {
        if let Some(target) = t.attrs.get("href").and_then(|h| h.strip_prefix('#')) {
            assert!(ids.contains(target), "{what} : lien vers #{target}, absent de la page");
        }
    }
}

/// The headers every response carries, whatever it is.
fn check_headers(what: &str, res: &Res) {
    let h = |n: &str| {
        res.headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let csp = h("content-security-policy");
    assert!(csp.contains("default-src 'self'"), "{what} : CSP « {csp} »");
    assert!(csp.contains("frame-ancestors 'none'"), "{what} : CSP « {csp} »");
    assert_eq!(h("x-content-type-options"), "nosniff", "{what}");
    assert!(!h("referrer-policy").is_empty(), "{what} : pas de referrer-policy");
}

fn status_ok(what: &str, res: &Res) {
    assert!(!res.status.is_server_error(), "{what} : {} {}", res.status, res.body);
    check_headers(what, res);
    let html = res
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .starts_with("text/html");
    if (res.status.is_success() || res.status.is_client_error()) && html {
        check_html(what, res);
    }
}

// ---------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------

/// Every page of `PAGES`, plus the variants that show more (a search, a
/// valid link, forms sent back with their errors), for anonymous, a member,
/// an organisation's admin and the coordinator.
#[tokio::test]
async fn every_page_renders_for_every_role() {
    let app = TestApp::with_demo().await;
    let callers: Vec<(&str, Browser)> = vec![
        ("anonyme", Browser::default()),
        ("membre", app.login("agent@demo.example", PASSWORD).await),
        ("admin", app.login("ecole@demo.example", PASSWORD).await),
        ("animation", app.login("animation@demo.example", PASSWORD).await),
    ];

    // Valid single-use links, so that the reset and invitation forms show.
    let (reset, invitation) = {
        let reset = maillage_core::security::random_token();
        let invitation = maillage_core::security::random_token();
        let mut tx = app.ctx.db.begin().await.unwrap();
        let ales = maillage_db::organisations::by_siren(tx.ex(), ALES)
            .await
            .unwrap()
            .unwrap()
            .id;
        let agent = maillage_db::users::by_email(tx.ex(), "agent@demo.example")
            .await
            .unwrap()
            .unwrap()
            .id;
        for (token, purpose, user, email, org, role) in [
            (&reset, "reset", Some(agent), "agent@demo.example", None, None),
            (
                &invitation,
                "invitation",
                None,
                "invitee@ales.fr",
                Some(ales),
                Some("trainer"),
            ),
        ] {
            maillage_db::one_time_tokens::insert(
                tx.ex(),
                &maillage_db::one_time_tokens::NewToken {
                    token_hash: &maillage_core::security::token_hash(token),
                    purpose,
                    user_id: user,
                    email,
                    organisation_id: org,
                    role,
                    created_by: None,
                    expires_at: maillage_db::now() + time::Duration::hours(1),
                },
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        (reset, invitation)
    };

    // The directory: the member's profile (with a photo), a pending import
    // of the administrator (a clean one, and one with problems).
    let agent = app.user_id("agent@demo.example").await;
    let profile = app.profile_of(agent).await;
    crate::directory::set_photo(&app, agent, crate::harness::png(120, 90)).await;
    let admin_id = app.user_id("ecole@demo.example").await;
    let admin_actor = app.actor(admin_id).await;
    let import = |file: &'static str| {
        let ctx = app.ctx.clone();
        let actor = admin_actor.clone();
        async move {
            maillage_core::directory::import::upload(&ctx, &actor, ALES, "agents.csv", file.as_bytes())
                .await
                .unwrap()
        }
    };
    let clean_import = import("Nom;Prénom;Courriel;Fonction\nBerger;Anne;anne.berger@ales.fr;Juriste\n").await;
    let bad_import = import("Nom;Prénom;Courriel\nBerger;Anne;pas-une-adresse\nRoux;;l.roux@ales.fr\n").await;
    let unmapped_import = import("Nom;Prénom;Adresse pro\nBerger;Anne;anne.berger@ales.fr\n").await;
    let theme = maillage_core::directory::themes::list(&app.ctx).await.unwrap()[0].id;

    // The catalogue: `{module}` is a shared module of Alès with every field
    // (everyone logged in sees it; its school's administrator and the
    // coordinator edit it); one of Alès not shared; a shared one of Grand
    // Est (Alès's administrator sees the form to take it); one of Grand Est
    // taken by Alès (the button to withdraw it).
    let coordinator_id = app.user_id("animation@demo.example").await;
    let (ales_school, ge_school) = {
        let mut c = app.ctx.db.conn().await.unwrap();
        let mut school_of = async |siren: &str| {
            let org = maillage_db::organisations::by_siren(c.ex(), siren)
                .await
                .unwrap()
                .unwrap()
                .id;
            maillage_db::schools::of_organisation(c.ex(), org).await.unwrap()[0].id
        };
        (school_of(ALES).await, school_of(crate::harness::GRAND_EST).await)
    };
    let module = {
        let mut f = crate::catalogue::ModuleForm::new(ales_school, "Coopération et management");
        f.format = "seminaire".into();
        f.objectives = "Comprendre.\nAgir.".into();
        f.description = "Jour 1, jour 2.".into();
        f.categories = vec!["A+".into(), "A".into()];
        f.stage = "nouveaux".into();
        f.duration_value = "2".into();
        f.trainers = "Marie Durand".into();
        f.themes = vec![theme.to_string()];
        f.shared = true;
        f.create(&app, coordinator_id).await
    };
    let unshared = crate::catalogue::module(&app, coordinator_id, ales_school, "Module interne", false).await;
    let ge_shared = crate::catalogue::module(&app, coordinator_id, ge_school, "Module de Manag'Est", true).await;
    let taken = crate::catalogue::module(&app, coordinator_id, ge_school, "Module repris par Alès", true).await;
    crate::catalogue::adopt(&app, coordinator_id, taken, ales_school).await;
    // `{session}`: a session of `{module}`, in a month.
    let session = {
        let start = maillage_db::now().date() + time::Duration::days(30);
        maillage_core::enrolment::create(
            &app.ctx,
            &app.actor(coordinator_id).await,
            module,
            &maillage_core::enrolment::Input {
                school: ales_school.to_string(),
                starts_on: start.to_string(),
                ends_on: start.to_string(),
                place: "Salle du conseil, Alès".into(),
                capacity: "12".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
    };
    // `{template}`: Alès's default « à chaud » template; `{evaluation}`: a
    // questionnaire opened from it for `{session}`.
    let (template, evaluation) = {
        let coordinator = app.actor(coordinator_id).await;
        let t = maillage_core::evaluations::create_default_template(
            &app.ctx,
            &coordinator,
            &ales_school.to_string(),
            "chaud",
        )
        .await
        .unwrap();
        let input = maillage_core::evaluations::OpenInput {
            template: t.to_string(),
            ..Default::default()
        };
        let e = maillage_core::evaluations::open(&app.ctx, &coordinator, session, &input)
            .await
            .unwrap();
        (t, e)
    };

    // `{path}`: a mandatory path of Alès with `{module}` as its one step.
    let path = crate::paths::path_with_step(&app, coordinator_id, ales_school, module).await;
    // `{feed}`: the member's personal calendar feed (`<token>.ics`).
    let feed = maillage_core::agenda::create_feed(&app.ctx, &app.actor(agent).await)
        .await
        .unwrap();

    // `{trainer}`: an external trainer of Alès offered to the network,
    // teaching `{module}` on `{session}`; `{cycle}`: a cycle of Alès
    // holding `{session}`.
    let trainer = {
        let coordinator = app.actor(coordinator_id).await;
        let t = maillage_core::trainers::create(
            &app.ctx,
            &coordinator,
            &maillage_core::trainers::Input {
                school: ales_school.to_string(),
                kind: "externe".into(),
                name: "Paul Consultant".into(),
                employer: "Cabinet Cévennes".into(),
                bio: "Psychologue du travail.\nCoach.".into(),
                shared: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        maillage_core::trainers::link_module(&app.ctx, &coordinator, t, &module.to_string())
            .await
            .unwrap();
        t
    };
    let cycle = {
        let mut tx = app.ctx.db.begin().await.unwrap();
        let id = maillage_db::cycles::insert(
            tx.ex(),
            ales_school,
            "Cycle des Cévennes",
            "Cinq journées, cinq communes.",
        )
        .await
        .unwrap();
        tx.ex()
            .execute(
                maillage_db::query("UPDATE training_sessions SET cycle_id = $2, title = $3 WHERE id = $1")
                    .bind(session)
                    .bind(id)
                    .bind("Journée 1 — Alès"),
            )
            .await
            .unwrap();
        maillage_db::training_sessions::set_trainers(tx.ex(), session, &[trainer])
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    };

    // `{slot}`: the first half-day of `{session}`; `{person}`: the member,
    // enrolled and present at it; `{attestation}`: the code of the
    // attestation issued to them.
    let (slot, person, attestation) = {
        let member = app.actor(agent).await;
        maillage_core::enrolment::enrol(&app.ctx, &member, session)
            .await
            .unwrap();
        let mut c = app.ctx.db.conn().await.unwrap();
        let slot = maillage_db::attendance::slots(c.ex(), session).await.unwrap()[0].id;
        drop(c);
        let entries = [(agent.to_string(), "present".to_owned())];
        maillage_core::attendance::record(&app.ctx, &app.actor(coordinator_id).await, session, slot, &entries)
            .await
            .unwrap();
        let code = maillage_core::attestations::own(&app.ctx, &member, session)
            .await
            .unwrap()
            .code;
        (slot, agent, code)
    };

    // `{promotion}`: the demo's current promotion of Alès's school (the
    // member is in it); `{promotion_member}`: the member's profile.
    let promotion = {
        let mut c = app.ctx.db.conn().await.unwrap();
        maillage_db::promotions::by_name(
            c.ex(),
            &format!(
                "Promotion {} – Excellence managériale",
                maillage_db::now().date().year()
            ),
        )
        .await
        .unwrap()
        .expect("la promotion de démonstration")
        .id
    };
    // A project's life (pages/project_life.rs): `{life_project}`, the
    // demo's first implemented project, its indicator, report and help
    // request (crate::project_life::page_world), and `{life_update}` an
    // update written by the school's administrator.
    let life = crate::project_life::page_world(&app, admin_id).await;
    // The bank (pages/projects.rs): `{project}`, the demo's project of
    // the whole network with a team, a promotion and a jury.
    let project = crate::projects::page_project(&app).await;
    let mut paths: Vec<String> = maillage_web::router::PAGES
        .iter()
        .map(|p| {
            p.replace("{siren}", ALES)
                .replace("{project}", &project.to_string())
                .replace("{life_project}", &life.project.to_string())
                .replace("{life_update}", &life.update.to_string())
                .replace("{life_indicator}", &life.indicator.to_string())
                .replace("{life_attachment}", &life.attachment.to_string())
                .replace("{life_request}", &life.request.to_string())
                .replace("{promotion_member}", &profile.to_string())
                .replace("{promotion}", &promotion.to_string())
                .replace("{profile}", &profile.to_string())
                .replace("{import}", &clean_import.to_string())
                .replace("{module}", &module.to_string())
                .replace("{session}", &session.to_string())
                .replace("{template}", &template.to_string())
                .replace("{evaluation}", &evaluation.to_string())
                .replace("{path}", &path.to_string())
                .replace("{feed}", &format!("{feed}.ics"))
                .replace("{trainer}", &trainer.to_string())
                .replace("{cycle}", &cycle.to_string())
                .replace("{slot}", &slot.to_string())
                .replace("{person}", &person.to_string())
                .replace("{attestation}", &attestation)
        })
        .collect();
    assert!(
        paths.iter().all(|p| !p.contains('{')),
        "paramètre inconnu dans PAGES : {paths:?}"
    );
    paths.extend(
        [
            "/organisations?q=al%C3%A8s",
            "/organisations?type=ca&statut=membre&region=76&page=2",
            "/organisations?page=abc",
            "/organisations/200052264",
            "/admin/organisations/nouvelle?q=al%C3%A8s",
            "/admin/organisations/nouvelle?q=zzzzzz",
            "/admin/personnes?q=demo",
            "/mot-de-passe/nouveau?jeton=inconnu",
            "/invitation?jeton=inconnu",
            "/connexion?retour=/compte",
            "/?info=connecte",
        ]
        .map(String::from),
    );
    paths.push(format!("/mot-de-passe/nouveau?jeton={reset}"));
    paths.push(format!("/invitation?jeton={invitation}"));
    paths.extend([
        "/annuaire?q=%C3%A9lodie".to_owned(),
        "/annuaire?q=zzzzzz".to_owned(),
        format!("/annuaire?q=a&organisation={ALES}&type=ca&region=76&departement=30&categorie=A&theme={theme}"),
        "/annuaire?page=2".to_owned(),
        "/annuaire?page=abc&categorie=Z&theme=x".to_owned(),
        format!("/annuaire/export.csv?q=a&organisation={ALES}"),
        format!("/annuaire/{profile}?info=fiche-modifiee"),
        "/profil?info=profil-enregistre".to_owned(),
        format!("/admin/import/{bad_import}"),
        format!("/admin/import/{unmapped_import}"),
        "/formations?q=coop%C3%A9ration".to_owned(),
        "/formations?q=zzzzzz".to_owned(),
        format!("/formations?q=a&format=seminaire&theme={theme}&ecole={ales_school}&categorie=A%2B&public=nouveaux"),
        "/formations?page=2".to_owned(),
        "/formations?page=abc&categorie=Z&theme=x&format=y&public=z&ecole=w".to_owned(),
        format!("/formations/{module}?info=module-enregistre"),
        format!("/formations/{unshared}"),
        format!("/formations/{unshared}/modifier"),
        format!("/formations/{ge_shared}?info=module-repris"),
        format!("/formations/{taken}?info=module-retire"),
    ]);
    // Pages that hide themselves (404) from those they are not for: an
    // administrative form, another person's pending import.
    // A school's evaluation templates and a trainer's results, too.
    let may_hide = |path: &str| {
        path.contains("/modifier")
            || path.starts_with("/admin/import/")
            || path.starts_with("/formations/questionnaires/")
            || path.starts_with("/intervenants/") && path.ends_with("/evaluations")
    };
    let mut seen_ok: BTreeSet<String> = BTreeSet::new();

    let mut rendered = 0;
    for (who, browser) in &callers {
        for path in &paths {
            let what = format!("[{who}] GET {path}");
            let res = app.get(path, Some(browser)).await;
            status_ok(&what, &res);
            if res.status == StatusCode::OK {
                // Downloads (CSV, vCard, photo) are not pages.
                if res.content_type().starts_with("text/html") {
                    check_html(&what, &res);
                } else {
                    assert!(!res.bytes.is_empty(), "{what} : réponse vide");
                    assert!(
                        [
                            "text/csv",
                            "text/vcard",
                            "image/jpeg",
                            "text/calendar",
                            "application/pdf"
                        ]
                        .iter()
                        .any(|t| res.content_type().starts_with(t)),
                        "{what} : {}",
                        res.content_type()
                    );
                }
                rendered += 1;
                seen_ok.insert(path.clone());
            } else {
                // Not for this caller: a login redirect or a French error page.
                assert!(
                    res.status == StatusCode::SEE_OTHER && res.location().starts_with("/connexion?retour=")
                        || res.status == StatusCode::FORBIDDEN
                        || res.status == StatusCode::NOT_FOUND && *who != "anonyme" && may_hide(path),
                    "{what} : {} {}",
                    res.status,
                    res.location()
                );
            }
        }
    }
    // Every page shows to someone.
    for path in &paths {
        assert!(
            seen_ok.contains(path) || path.contains("jeton=inconnu"),
            "{path} ne s'affiche pour personne"
        );
    }
    // Each of the four sees at least the public pages.
    assert!(rendered >= paths.len() * 2, "{rendered} pages rendues seulement");

    // Forms sent back with their errors (422): error summary, messages tied
    // to their fields, still one h1 and unique ids.
    let admin = &callers[2].1;
    let coordinator = &callers[3].1;
    let anonymous = &callers[0].1;
    let member = &callers[1].1;
    type Post<'a> = (&'a Browser, String, Vec<(&'a str, &'a str)>);
    let invalid: Vec<Post> = vec![
        (
            anonymous,
            "/connexion".into(),
            vec![("email", "pas-une-adresse"), ("password", "")],
        ),
        (
            anonymous,
            "/connexion".into(),
            vec![("email", "agent@demo.example"), ("password", "mauvais mot de passe")],
        ),
        (anonymous, "/mot-de-passe-oublie".into(), vec![("email", "nimporte")]),
        (
            anonymous,
            "/mot-de-passe/nouveau".into(),
            vec![("jeton", &reset), ("password", "court"), ("confirmation", "autre")],
        ),
        (
            anonymous,
            "/invitation".into(),
            vec![
                ("jeton", &invitation),
                ("display_name", ""),
                ("password", "court"),
                ("confirmation", ""),
            ],
        ),
        (
            member,
            "/compte/mot-de-passe".into(),
            vec![("current", "faux"), ("password", "x"), ("confirmation", "y")],
        ),
        (member, "/compte/jetons".into(), vec![("name", "")]),
        (
            admin,
            format!("/organisations/{ALES}/invitations"),
            vec![("email", "pas-une-adresse"), ("role", "member")],
        ),
        (
            admin,
            format!("/organisations/{ALES}/presentation"),
            vec![("description", ""), ("website", "ftp://x")],
        ),
        (admin, format!("/organisations/{ALES}/ecoles"), vec![("name", "")]),
        (
            coordinator,
            "/admin/organisations".into(),
            vec![
                ("siren", "123"),
                ("name", ""),
                ("kind", "autre"),
                ("membership", "membre"),
                ("joined_on", "hier"),
            ],
        ),
        (
            coordinator,
            format!("/admin/organisations/{ALES}/adhesion"),
            vec![
                ("membership", "?"),
                ("joined_on", "2022-01-01"),
                ("left_on", "2021-01-01"),
            ],
        ),
    ];
    let mut own = crate::directory::Own::new("", "Encadrante");
    own.email = "pas-une-adresse".into();
    own.phone = "123".into();
    own.category = "Z".into();
    own.vis[2] = "tout-le-monde";
    own.listed = "";
    let own_pairs = own.pairs();
    let own_refs: Vec<(&str, &str)> = own_pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut invalid = invalid;
    invalid.push((member, "/profil".into(), own_refs));
    invalid.push((
        admin,
        format!("/annuaire/{profile}/modifier"),
        vec![
            ("first_name", ""),
            ("last_name", ""),
            ("email", "x@"),
            ("phone", "abc"),
            ("category", "D"),
        ],
    ));
    invalid.push((coordinator, "/admin/thematiques".into(), vec![("name", "")]));
    let theme_path = format!("/admin/thematiques/{theme}");
    invalid.push((coordinator, theme_path, vec![("name", "")]));
    // The catalogue's forms: a new module, an edited one, taking a module
    // without saying into which school (the module's page with its error).
    let (ales_school, module) = (ales_school.to_string(), module.to_string());
    let bad_module = vec![
        ("school", ales_school.as_str()),
        ("title", ""),
        ("format", ""),
        ("duration_value", "deux"),
        ("duration_unit", "semaines"),
        ("stage", "?"),
        ("categories", "Z"),
        ("themes", "x"),
        ("objectives", "Objectifs"),
    ];
    invalid.push((admin, "/formations".into(), bad_module.clone()));
    invalid.push((
        coordinator,
        "/formations".into(),
        vec![("school", ""), ("title", "Sans école")],
    ));
    invalid.push((admin, format!("/formations/{module}/modifier"), bad_module));
    invalid.push((
        coordinator,
        format!("/formations/{module}/reprendre"),
        vec![("school", "")],
    ));
    // Sessions, trainers, cycles, closed periods: errors and the double
    // booking warning (the place of `{session}` on its day) with its checkbox.
    let session_day = (maillage_db::now().date() + time::Duration::days(30)).to_string();
    invalid.extend([
        (
            admin,
            format!("/formations/{module}/sessions"),
            vec![
                ("starts_on", "2020-01-02"),
                ("ends_on", "2020-01-01"),
                ("capacity", "0"),
                ("place", ""),
            ],
        ),
        (
            admin,
            format!("/formations/{module}/sessions"),
            vec![
                ("starts_on", session_day.as_str()),
                ("ends_on", session_day.as_str()),
                ("capacity", "5"),
                ("place", "Salle du conseil, Alès"),
                ("new_cycle", "Cycle {n}"),
            ],
        ),
        (admin, format!("/sessions/{session}/modifier"), vec![("capacity", "-1")]),
        (
            admin,
            format!("/sessions/{session}/inscrire"),
            vec![("email", "inconnu@example.org")],
        ),
        (
            admin,
            format!("/sessions/{session}/invites"),
            vec![("name", ""), ("day", "2000-01-01")],
        ),
        (admin, format!("/formations/cycles/{cycle}"), vec![("title", "")]),
        (
            admin,
            "/formations/periodes-fermees".into(),
            vec![("school", ales_school.as_str()), ("label", "")],
        ),
        (
            admin,
            "/intervenants".into(),
            vec![("school", ales_school.as_str()), ("kind", "")],
        ),
        (
            admin,
            format!("/intervenants/{trainer}/modifier"),
            vec![("kind", "externe"), ("name", "")],
        ),
    ]);
    for (browser, path, pairs) in invalid {
        let what = format!("POST {path} {pairs:?}");
        let res = app
            .request(Method::POST, &path, Some(browser), Some(form(&pairs)), &[])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{what} : {}", res.body);
        status_ok(&what, &res);
        check_html(&what, &res);
    }
    // Uploads sent back with their errors.
    let bad_csv = b"Nom;Prenom;Courriel\nMartin;Paul\n".to_vec();
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
    let uploads: Vec<(&Browser, &str, Vec<Part>)> = vec![
        (
            admin,
            "/admin/import",
            vec![
                Part::field("organisation", ALES),
                Part::file("file", "agents.csv", "text/csv", &bad_csv),
            ],
        ),
        (admin, "/admin/import", vec![Part::field("organisation", "")]),
        (
            coordinator,
            "/admin/import",
            vec![
                Part::field("organisation", ""),
                Part::file("file", "a.csv", "text/csv", b""),
            ],
        ),
        (
            member,
            "/profil/photo",
            vec![Part::file("photo", "moi.jpg", "image/jpeg", &gif)],
        ),
        (member, "/profil/photo", vec![]),
    ];
    for (browser, path, parts) in uploads {
        let what = format!("POST (multipart) {path}");
        let res = app.upload(path, browser, &parts).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{what} : {}", res.body);
        status_ok(&what, &res);
        check_html(&what, &res);
    }
    // A module not shared cannot be taken (409).
    let res = app
        .request(
            Method::POST,
            &format!("/formations/{unshared}/reprendre"),
            Some(coordinator),
            Some(form(&[("school", &ge_school.to_string())])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    status_ok("reprise refusée", &res);
    check_html("reprise refusée", &res);
    assert!(res.text().contains("n'est pas partagé avec le réseau"));
    // The report of an import, and a refused validation (409).
    let res = app
        .request(
            Method::POST,
            &format!("/admin/import/{bad_import}/valider"),
            Some(admin),
            Some(form(&[("inviter", "oui")])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    status_ok("import refusé", &res);
    check_html("import refusé", &res);
    let res = app
        .request(
            Method::POST,
            &format!("/admin/import/{clean_import}/valider"),
            Some(admin),
            Some(form(&[("inviter", "oui")])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    check_html("rapport d'import", &res);

    // A freshly created API token is shown once, on a proper page.
    let res = app
        .request(
            Method::POST,
            "/compte/jetons",
            Some(member),
            Some(form(&[("name", "Mon jeton")])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    check_html("POST /compte/jetons", &res);
    assert!(res.body.contains("mlg_"), "le jeton créé n'est pas affiché");
}

/// Error pages and API errors, headers on everything, /health, and the
/// refusals of the outer layers (cross-site post, oversized body).
#[tokio::test]
async fn errors_headers_csrf_and_limits() {
    let app = TestApp::with_demo().await;
    let member = app.login("agent@demo.example", PASSWORD).await;

    // Unknown page: French HTML 404, for anonymous and logged-in alike.
    for (who, b) in [("anonyme", None), ("membre", Some(&member))] {
        for path in [
            "/nope",
            "/organisations/000000000",
            "/organisations/123",
            "/static/nope.css",
            "/admin/organisations/123456789/adhesion/x",
        ] {
            let res = app.get(path, b).await;
            let what = format!("[{who}] GET {path}");
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{what}");
            status_ok(&what, &res);
            check_html(&what, &res);
            assert!(res.body.contains("Page introuvable"), "{what} : {}", res.body);
        }
    }
    // Unknown API path: JSON.
    for path in ["/api/v1/nope", "/api/v1/organisations/000000000", "/api/nope"] {
        let res = app.api(path, None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        check_headers(path, &res);
        let ct = res
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(ct.starts_with("application/json"), "{path} : {ct}");
        let j = res.json();
        assert_eq!(j["erreur"], "introuvable", "{path}");
        assert!(j["message"].as_str().is_some_and(|m| !m.is_empty()), "{path}");
    }
    // Wrong method: a French page (405), JSON under /api.
    let res = app
        .request(Method::DELETE, "/organisations", Some(&member), None, &[])
        .await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    status_ok("DELETE /organisations", &res);
    check_html("DELETE /organisations", &res);
    let res = app
        .request(Method::POST, "/api/v1/moi", None, Some(String::new()), &[])
        .await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    check_headers("POST /api/v1/moi", &res);
    assert_eq!(res.json()["erreur"], "methode-non-autorisee");

    // Headers on every kind of answer.
    for (path, b) in [
        ("/", None),
        ("/static/maillage.css", None),
        ("/static/favicon.svg", None),
        ("/health", None),
        ("/api/openapi.json", None),
        ("/api/v1/organisations", None),
        ("/compte", None),
        ("/admin", Some(&member)),
        ("/nope", None),
    ] {
        let res = app.get(path, b).await;
        check_headers(path, &res);
    }
    let res = app.api("/api/v1/moi", None).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    check_headers("/api/v1/moi", &res);
    assert_eq!(res.json()["erreur"], "connexion-requise");

    // /health: JSON, with the backend in use.
    let res = app.get("/health", None).await;
    assert_eq!(res.status, StatusCode::OK);
    let j = res.json();
    assert_eq!(j["statut"], "ok");
    let expected = match app.ctx.db.backend() {
        maillage_db::Backend::Sqlite => "sqlite",
        maillage_db::Backend::Postgres => "postgresql",
    };
    assert_eq!(j["base"], expected);

    // Cross-site post: refused with a French page, and not processed.
    let login = form(&[("email", "agent@demo.example"), ("password", PASSWORD), ("retour", "/")]);
    for headers in [
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![("origin", "https://malveillant.example"), ("host", "maillage.example")],
    ] {
        let what = format!("POST /connexion {headers:?}");
        let res = app
            .request(Method::POST, "/connexion", None, Some(login.clone()), &headers)
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{what}");
        status_ok(&what, &res);
        check_html(&what, &res);
        assert!(
            res.body.contains("ne semble pas venir de ce site"),
            "{what} : {}",
            res.body
        );
        assert!(res.cookie("maillage_session").is_none(), "{what} : session ouverte");
    }
    // A logged-in admin lured into a cross-site post: nothing is written.
    let admin = app.login("ecole@demo.example", PASSWORD).await;
    let res = app
        .request(
            Method::POST,
            &format!("/organisations/{ALES}/invitations"),
            Some(&admin),
            Some(form(&[("email", "piege@malveillant.example"), ("role", "org-admin")])),
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    {
        let mut c = app.ctx.db.conn().await.unwrap();
        let ales = maillage_db::organisations::by_siren(c.ex(), ALES)
            .await
            .unwrap()
            .unwrap()
            .id;
        let pending = maillage_db::one_time_tokens::pending_invitations(c.ex(), ales, maillage_db::now())
            .await
            .unwrap();
        assert!(
            pending.iter().all(|t| t.email != "piege@malveillant.example"),
            "invitation créée par une requête intersite"
        );
    }
    // Same origin: processed.
    for headers in [
        vec![("sec-fetch-site", "same-origin")],
        vec![("origin", "http://maillage.example"), ("host", "maillage.example")],
        vec![],
    ] {
        let res = app
            .request(Method::POST, "/connexion", None, Some(login.clone()), &headers)
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{headers:?} : {}", res.body);
        assert!(res.cookie("maillage_session").is_some(), "{headers:?}");
        check_headers("POST /connexion", &res);
    }

    // Oversized body: 413 with a French page, announced or not.
    let big = format!("email=agent%40demo.example&password={}", "a".repeat(3 * 1024 * 1024));
    let len = big.len().to_string();
    for headers in [vec![("content-length", len.as_str())], vec![]] {
        let what = format!("POST /connexion de 3 Mo {headers:?}");
        let res = app
            .request(Method::POST, "/connexion", None, Some(big.clone()), &headers)
            .await;
        assert_eq!(
            res.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{what} : {}",
            &res.body[..res.body.len().min(300)]
        );
        status_ok(&what, &res);
        check_html(&what, &res);
        assert!(res.body.contains("Envoi trop volumineux"), "{what}");
    }
}

/// A school's administrator sending their own school's module to be taken
/// by that same school (a hand-made request: the page never offers it) gets
/// a refusal that says why, on a page whose error summary links to a field
/// that exists.
#[tokio::test]
async fn taking_a_module_into_its_own_school_answers_a_valid_page() {
    let app = TestApp::with_demo().await;
    let admin = app.login("ecole@demo.example", PASSWORD).await;
    let coordinator = app.user_id("animation@demo.example").await;
    let school = {
        let mut c = app.ctx.db.conn().await.unwrap();
        let org = maillage_db::organisations::by_siren(c.ex(), ALES)
            .await
            .unwrap()
            .unwrap()
            .id;
        maillage_db::schools::of_organisation(c.ex(), org).await.unwrap()[0].id
    };
    let module = crate::catalogue::module(&app, coordinator, school, "Module d'Alès", true).await;
    let res = app
        .request(
            Method::POST,
            &format!("/formations/{module}/reprendre"),
            Some(&admin),
            Some(form(&[("school", &school.to_string())])),
            &[],
        )
        .await;
    let what = "reprise par sa propre école";
    assert!(res.status.is_client_error(), "{what} : {}", res.status);
    assert!(
        res.text().contains("Ce module est déjà celui de cette école."),
        "{what}"
    );
    status_ok(what, &res);
    check_html(what, &res);
}

#[test]
fn the_tag_scanner_reads_attributes() {
    let t =
        tags(r#"<!DOCTYPE html><p>a < b</p><!-- <h1> --><input id="x" type=text disabled><label for='x'>X</label>"#);
    let names: Vec<_> = t.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["p", "input", "label"]);
    assert_eq!(t[1].attrs["id"], "x");
    assert_eq!(t[1].attrs["type"], "text");
    assert!(t[1].attrs.contains_key("disabled"));
    assert_eq!(t[2].attrs["for"], "x");
}

/// The checks are not vacuous: each defect below is caught.
#[test]
fn the_page_checks_catch_defects() {
    use axum::http::{HeaderMap, HeaderValue};
    let good = r##"<!DOCTYPE html><html lang="fr"><head><title>Accueil — Réseau · Maillage</title></head><body><a class="skip-link" href="#contenu">Aller au contenu</a><header><nav><a href="/">Accueil</a></nav></header><main id="contenu"><h1>Titre</h1><form><label for="q">Q</label><input id="q" name="q"><input type="hidden" name="t" value="1"><span id="l1">L</span><input type="checkbox" name="c" aria-labelledby="l1 q"></form></main><footer><a href="/accessibilite">Accessibilité</a></footer></body></html>"##;
    let page = |body: &str| {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("text/html; charset=utf-8"));
        Res {
            status: StatusCode::OK,
            headers,
            body: body.to_owned(),
            bytes: body.as_bytes().to_vec(),
        }
    };
    check_html("modèle", &page(good));
    let defects = [
        ("<html lang=\"fr\">", "<html>"),
        (
            "<title>Accueil — Réseau · Maillage</title>",
            "<title> — Réseau · Maillage</title>",
        ),
        ("<h1>Titre</h1>", "<h1>Titre</h1><h1>Encore</h1>"),
        ("<h1>Titre</h1>", "<h2>Titre</h2>"),
        ("<main id=\"contenu\">", "<main>"),
        ("<a class=\"skip-link\" href=\"#contenu\">Aller au contenu</a>", ""),
        ("<header>", "<div>"),
        ("<footer>", "<div>"),
        ("href=\"/accessibilite\"", "href=\"/a11y\""),
        ("<label for=\"q\">Q</label>", "<label>Q</label>"),
        (
            "<input id=\"q\" name=\"q\">",
            "<input id=\"q\" name=\"q\"><select name=\"s\"></select>",
        ),
        (
            "<input id=\"q\" name=\"q\">",
            "<input id=\"q\" name=\"q\"><textarea id=\"contenu\"></textarea>",
        ),
        (
            "<input id=\"q\" name=\"q\">",
            "<input id=\"q\" name=\"q\"><input type=\"checkbox\" name=\"c\" aria-labelledby=\"absent\">",
        ),
    ];
    for (from, to) in defects {
        let broken = good.replacen(from, to, 1);
        assert_ne!(broken, good);
        let caught = std::panic::catch_unwind(|| check_html("défaut", &page(&broken))).is_err();
        assert!(caught, "défaut non détecté : {from} → {to}");
    }
}
