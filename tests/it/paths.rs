//! Paths (parcours): a school builds a path of modules (required and
//! optional steps, ordered), is told in French what is wrong with what it
//! typed; a mandatory path concerns people by the date they took their post
//! and the school sees who is due, in progress, late or done (completions
//! inserted directly, as attendance would); an « excellence » path by
//! application and selection, with the mail; what another organisation
//! sees; `/mon-parcours` and its API.
//!
//! Each test builds its own small network (`catalogue::net`).

use axum::http::{Method, StatusCode};
use time::{Date, Duration};
use uuid::Uuid;

use crate::{
    catalogue::{Net, adopt, module, net},
    harness::{TestApp, form},
};

// ---------------------------------------------------------------------------
// Shared helpers (also used by permissions.rs and pages.rs)
// ---------------------------------------------------------------------------

fn today() -> Date {
    maillage_db::now().date()
}

fn input(title: &str, kind: &str, rule: &str, deadline: &str) -> maillage_core::paths::Input {
    maillage_core::paths::Input {
        title: title.into(),
        description: String::new(),
        kind: kind.into(),
        rule_months: rule.into(),
        deadline_months: deadline.into(),
        shared: false,
    }
}

/// A path created through the core operation, as `user`.
pub async fn path(app: &TestApp, user: Uuid, school: Uuid, i: maillage_core::paths::Input) -> Uuid {
    maillage_core::paths::create(&app.ctx, &app.actor(user).await, school, &i)
        .await
        .unwrap_or_else(|e| panic!("parcours {} : {e:?}", i.title))
}

pub async fn step(app: &TestApp, user: Uuid, path: Uuid, module: Uuid, required: bool) {
    maillage_core::paths::add_step(&app.ctx, &app.actor(user).await, path, &module.to_string(), required)
        .await
        .unwrap_or_else(|e| panic!("étape {module} : {e:?}"));
}

/// `{path}` of the page checks: a mandatory path of `school` with `module`.
pub async fn path_with_step(app: &TestApp, user: Uuid, school: Uuid, module: Uuid) -> Uuid {
    let p = path(app, user, school, input("Prise de poste", "obligatoire", "12", "12")).await;
    step(app, user, p, module, true).await;
    p
}

/// The permission table's paths: (Alès libre, Grand Est by application,
/// Alès shared by application, the step of the first); `applicant` applied
/// to the shared one.
pub async fn permission_world(
    app: &TestApp,
    coordinator: Uuid,
    ales_school: Uuid,
    ge_school: Uuid,
    ales_module: Uuid,
    applicant: Uuid,
) -> (Uuid, Uuid, Uuid, Uuid) {
    let ales = path(
        app,
        coordinator,
        ales_school,
        input("Parcours libre d'Alès", "libre", "", ""),
    )
    .await;
    step(app, coordinator, ales, ales_module, true).await;
    let ge = path(
        app,
        coordinator,
        ge_school,
        input("Parcours de Grand Est", "candidature", "", ""),
    )
    .await;
    let mut i = input("Excellence partagée", "candidature", "", "");
    i.shared = true;
    let shared = path(app, coordinator, ales_school, i).await;
    maillage_core::paths::apply(&app.ctx, &app.actor(applicant).await, shared, "Je souhaite progresser.")
        .await
        .unwrap();
    let step_id = maillage_core::paths::get(&app.ctx, &app.actor(coordinator).await, ales)
        .await
        .unwrap()
        .steps[0]
        .id;
    (ales, ge, shared, step_id)
}

/// As attendance would: `user` completed `module` on `on`.
pub async fn complete(app: &TestApp, user: Uuid, module: Uuid, on: Date) {
    let mut tx = app.ctx.db.begin().await.unwrap();
    tx.ex()
        .execute(
            maillage_db::query(
                "INSERT INTO completions (id, user_id, module_id, session_id, completed_on, created_at) \
                 VALUES ($1, $2, $3, NULL, $4, $5)",
            )
            .bind(Uuid::now_v7())
            .bind(user)
            .bind(module)
            .bind(on)
            .bind(maillage_db::now()),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// Sets the date `user` took their post.
pub async fn took_post(app: &TestApp, user: Uuid, on: Date) {
    let mut tx = app.ctx.db.begin().await.unwrap();
    tx.ex()
        .execute(
            maillage_db::query("UPDATE profiles SET post_started_on = $2 WHERE user_id = $1")
                .bind(user)
                .bind(on),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// Every row of the paths' tables, to check that nothing was written.
async fn state(app: &TestApp) -> Vec<String> {
    let mut c = app.ctx.db.conn().await.unwrap();
    let everything = maillage_db::modules::Viewer {
        everything: true,
        member_of: Vec::new(),
    };
    let paths = maillage_db::paths::list(c.ex(), &everything).await.unwrap();
    let ids: Vec<Uuid> = paths.iter().map(|p| p.id).collect();
    let mut out: Vec<String> = paths.iter().map(|p| format!("{p:?}")).collect();
    out.extend(
        maillage_db::paths::steps_of(c.ex(), &ids)
            .await
            .unwrap()
            .iter()
            .map(|s| format!("{s:?}")),
    );
    for id in ids {
        out.extend(
            maillage_db::paths::members(c.ex(), id)
                .await
                .unwrap()
                .iter()
                .map(|m| format!("{m:?}")),
        );
    }
    out
}

fn months_ago(n: i64) -> Date {
    maillage_core::paths::add_months(today(), -n)
}

// ---------------------------------------------------------------------------
// Building a path
// ---------------------------------------------------------------------------

/// The administrator of Alès's school creates a mandatory path, is told what
/// is wrong (nothing written), then adds steps from the school's catalogue
/// (its own modules and one it took), orders them, marks them required or
/// optional, removes one.
#[tokio::test]
async fn a_school_builds_a_path_and_its_steps() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let admin = app.session(n.ales_admin).await;
    let member = app.session(n.ales_member).await;
    let m1 = module(
        &app,
        n.ales_admin,
        n.ales_school,
        "Accueil des nouveaux managers",
        false,
    )
    .await;
    let m2 = module(&app, n.ales_admin, n.ales_school, "Conduire un entretien", false).await;
    let taken = module(&app, n.ge_admin, n.ge_school, "Manager à distance", true).await;
    adopt(&app, n.ales_admin, taken, n.ales_school).await;
    let foreign = module(&app, n.ge_admin, n.ge_school, "Module interne de Grand Est", false).await;

    // The list links to the form for school managers only; the catalogue links to the list.
    assert!(
        app.get("/formations", Some(&member))
            .await
            .body
            .contains("href=\"/formations/parcours\"")
    );
    assert!(
        app.get("/formations/parcours", Some(&admin))
            .await
            .body
            .contains("/formations/parcours/nouveau")
    );
    assert!(
        !app.get("/formations/parcours", Some(&member))
            .await
            .body
            .contains("/formations/parcours/nouveau")
    );
    assert_eq!(
        app.get("/formations/parcours/nouveau", Some(&member)).await.status,
        StatusCode::FORBIDDEN
    );
    let res = app.get("/formations/parcours/nouveau", Some(&admin)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.text().contains(&n.ales_school.to_string()));

    // Bad input: French messages next to the fields, what was typed kept,
    // nothing written.
    let before = state(&app).await;
    let school = n.ales_school.to_string();
    // (what, the fields sent, the message, what must stay in the form)
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (
            "sans intitulé",
            vec![("title", "  "), ("kind", "libre")],
            "Saisissez l’intitulé du parcours.",
            "",
        ),
        (
            "sans type",
            vec![("title", "Parcours"), ("kind", "")],
            "Choisissez le type de parcours.",
            "",
        ),
        (
            "règle à zéro",
            vec![
                ("title", "Prise de poste"),
                ("kind", "obligatoire"),
                ("rule_months", "0"),
            ],
            "La durée de la règle doit être comprise entre 1 et 120 mois.",
            "value=\"0\"",
        ),
        (
            "règle négative",
            vec![
                ("title", "Prise de poste"),
                ("kind", "obligatoire"),
                ("rule_months", "-3"),
            ],
            "La durée de la règle doit être comprise entre 1 et 120 mois.",
            "value=\"-3\"",
        ),
        (
            "règle en lettres",
            vec![
                ("title", "Prise de poste"),
                ("kind", "obligatoire"),
                ("rule_months", "douze"),
            ],
            "Saisissez la durée de la règle en chiffres, par exemple 12.",
            "value=\"douze\"",
        ),
        (
            "obligatoire sans règle",
            vec![
                ("title", "Prise de poste"),
                ("kind", "obligatoire"),
                ("deadline_months", "12"),
            ],
            "Un parcours obligatoire concerne les personnes en poste depuis moins de N mois : saisissez N.",
            "",
        ),
        (
            "délai sans règle (libre)",
            vec![
                ("title", "Prise de poste"),
                ("kind", "libre"),
                ("deadline_months", "12"),
            ],
            "Un délai ne s’applique qu’à un parcours obligatoire avec une règle",
            "",
        ),
        (
            "délai négatif",
            vec![
                ("title", "Prise de poste"),
                ("kind", "obligatoire"),
                ("rule_months", "12"),
                ("deadline_months", "-1"),
            ],
            "Le délai doit être compris entre 1 et 120 mois.",
            "",
        ),
    ];
    for (what, mut pairs, message, kept) in cases {
        pairs.push(("school", &school));
        let res = app
            .request(
                Method::POST,
                "/formations/parcours",
                Some(&admin),
                Some(form(&pairs)),
                &[],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        let text = res.text();
        assert!(text.contains(message), "{what} : {text}");
        assert!(text.contains("error-summary"), "{what}");
        assert!(text.contains(kept), "{what} : saisie perdue");
    }
    let res = app
        .request(
            Method::POST,
            "/formations/parcours",
            Some(&admin),
            Some(form(&[
                ("school", &n.ge_school.to_string()),
                ("title", "X"),
                ("kind", "libre"),
            ])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "école d'une autre organisation");
    assert_eq!(state(&app).await, before, "rien d'écrit");

    // Created.
    let res = app
        .request(
            Method::POST,
            "/formations/parcours",
            Some(&admin),
            Some(form(&[
                ("school", &school),
                ("title", " Prise   de poste "),
                ("description", "Le socle de la première année."),
                ("kind", "obligatoire"),
                ("rule_months", "12"),
                ("deadline_months", "9"),
            ])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let id: Uuid = res.location()["/formations/parcours/".len()..][..36].parse().unwrap();
    let edit = format!("/formations/parcours/{id}/modifier");
    let res = app.get(&edit, Some(&admin)).await;
    let text = res.text();
    assert!(text.contains("Aucune étape"), "{text}");
    // The school's catalogue is offered: its modules and the one it took, not another school's.
    for m in [m1, m2, taken] {
        assert!(text.contains(&format!("<option value=\"{m}\"")), "{m} absent");
    }
    assert!(!text.contains(&foreign.to_string()));

    // Unknown module, another school's module, nothing chosen: refused, nothing written.
    let before = state(&app).await;
    for bad in [
        Uuid::now_v7().to_string(),
        foreign.to_string(),
        String::new(),
        "abc".into(),
    ] {
        let res = app
            .request(
                Method::POST,
                &format!("/formations/parcours/{id}/etapes"),
                Some(&admin),
                Some(form(&[("module", &bad), ("required", "oui")])),
                &[],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(res.text().contains("Choisissez un module du catalogue de l’école"));
    }
    assert_eq!(state(&app).await, before);

    // Three steps: two required, the taken module optional.
    for (m, req) in [(m1, "oui"), (m2, "oui"), (taken, "")] {
        let res = app
            .request(
                Method::POST,
                &format!("/formations/parcours/{id}/etapes"),
                Some(&admin),
                Some(form(&[("module", &m.to_string()), ("required", req)])),
                &[],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
    }
    let actor = app.actor(n.ales_admin).await;
    let p = maillage_core::paths::get(&app.ctx, &actor, id).await.unwrap();
    assert_eq!(p.title, "Prise de poste");
    let order = |p: &maillage_core::paths::Path| p.steps.iter().map(|s| (s.module_id, s.required)).collect::<Vec<_>>();
    assert_eq!(order(&p), vec![(m1, true), (m2, true), (taken, false)]);

    // Move the last one up, mark the first optional, remove the middle.
    let change = |step: Uuid, action: &'static str| {
        let admin = &admin;
        let app = &app;
        async move {
            let res = app
                .request(
                    Method::POST,
                    &format!("/formations/parcours/{id}/etapes/{step}"),
                    Some(admin),
                    Some(form(&[("action", action)])),
                    &[],
                )
                .await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{action}");
        }
    };
    change(p.steps[2].id, "monter").await;
    let p = maillage_core::paths::get(&app.ctx, &actor, id).await.unwrap();
    assert_eq!(order(&p), vec![(m1, true), (taken, false), (m2, true)]);
    change(p.steps[0].id, "descendre").await;
    change(p.steps[0].id, "optionnelle").await;
    let p = maillage_core::paths::get(&app.ctx, &actor, id).await.unwrap();
    assert_eq!(order(&p), vec![(taken, false), (m1, false), (m2, true)]);
    change(p.steps[0].id, "obligatoire").await;
    change(p.steps[2].id, "retirer").await;
    let p = maillage_core::paths::get(&app.ctx, &actor, id).await.unwrap();
    assert_eq!(order(&p), vec![(taken, true), (m1, false)]);
    // The first cannot go up (nothing moves); an unknown step is 404.
    change(p.steps[0].id, "monter").await;
    assert_eq!(
        order(&maillage_core::paths::get(&app.ctx, &actor, id).await.unwrap()),
        order(&p)
    );
    let res = app
        .request(
            Method::POST,
            &format!("/formations/parcours/{id}/etapes/{}", Uuid::now_v7()),
            Some(&admin),
            Some(form(&[("action", "retirer")])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    // A member may not edit.
    let res = app
        .request(
            Method::POST,
            &format!("/formations/parcours/{id}/etapes/{}", p.steps[0].id),
            Some(&member),
            Some(form(&[("action", "retirer")])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    // The page: description, rule, socle and options in order.
    let res = app.get(&format!("/formations/parcours/{id}"), Some(&member)).await;
    assert_eq!(res.status, StatusCode::OK);
    let text = res.text();
    assert!(text.contains("Le socle de la première année."));
    assert!(text.contains("moins de 12 mois"));
    assert!(text.contains("dans les 9 mois"));
    let a = text.find("Manager à distance").unwrap();
    let b = text.find("Accueil des nouveaux managers").unwrap();
    assert!(a < b, "ordre des étapes");
    assert!(text.contains("<strong>obligatoire</strong> (socle)"));
    assert!(text.contains("optionnelle"));
    assert!(!text.contains("/suivi"), "lien de suivi montré à un membre");

    // Editing the fields, with a bad value first (kept, nothing written).
    let before = state(&app).await;
    let res = app
        .request(
            Method::POST,
            &edit,
            Some(&admin),
            Some(form(&[("title", ""), ("kind", "obligatoire"), ("rule_months", "6")])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(state(&app).await, before);
    let res = app
        .request(
            Method::POST,
            &edit,
            Some(&admin),
            Some(form(&[
                ("title", "Prise de poste 2026"),
                ("kind", "libre"),
                ("shared", "oui"),
            ])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let p = maillage_core::paths::get(&app.ctx, &actor, id).await.unwrap();
    assert_eq!(
        (p.title.as_str(), p.kind.key(), p.rule_months, p.shared),
        ("Prise de poste 2026", "libre", None, true)
    );
}

// ---------------------------------------------------------------------------
// Who is due, late, done
// ---------------------------------------------------------------------------

async fn person(app: &TestApp, email: &str, name: &str, siren: &str) -> Uuid {
    app.person(email, name, "member", Some(siren)).await
}

/// A mandatory path (12 months, to finish within 6): who is concerned and
/// where they stand, from their post date and their completions.
#[tokio::test]
async fn the_school_sees_who_is_due_in_progress_late_and_done() {
    let app = TestApp::new().await;
    let n: Net = net(&app).await;
    let m1 = module(&app, n.ales_admin, n.ales_school, "Socle 1", false).await;
    let m2 = module(&app, n.ales_admin, n.ales_school, "Socle 2", false).await;
    let opt = module(&app, n.ales_admin, n.ales_school, "Option", false).await;
    let id = path(
        &app,
        n.ales_admin,
        n.ales_school,
        input("Prise de poste", "obligatoire", "12", "6"),
    )
    .await;
    for (m, r) in [(m1, true), (m2, true), (opt, false)] {
        step(&app, n.ales_admin, id, m, r).await;
    }
    let ales = crate::harness::ALES;
    let due = person(&app, "a@ales.fr", "Anne À-faire", ales).await;
    let going = person(&app, "b@ales.fr", "Bruno En-cours", ales).await;
    let late = person(&app, "c@ales.fr", "Chloé En-retard", ales).await;
    let done = person(&app, "d@ales.fr", "Denis Terminé", ales).await;
    let old = person(&app, "e@ales.fr", "Émile Ancien", ales).await;
    let nodate = person(&app, "f@ales.fr", "Fanny Sans-date", ales).await;
    let ge = person(&app, "g@grandest.fr", "Gaston Grand-Est", crate::harness::GRAND_EST).await;
    took_post(&app, due, months_ago(2)).await;
    took_post(&app, going, months_ago(1)).await;
    complete(&app, going, opt, today()).await; // an option: in progress, not done
    took_post(&app, late, months_ago(8)).await;
    complete(&app, late, m1, today() - Duration::days(30)).await;
    took_post(&app, done, months_ago(11)).await; // past the deadline but done
    complete(&app, done, m1, today() - Duration::days(60)).await;
    complete(&app, done, m2, today() - Duration::days(10)).await;
    took_post(&app, old, months_ago(13)).await;
    took_post(&app, ge, months_ago(1)).await;
    let _ = nodate;

    let t = maillage_core::paths::tracking(&app.ctx, &app.actor(n.ales_admin).await, id, None)
        .await
        .unwrap();
    let got: Vec<(String, &str, usize)> = t
        .followers
        .iter()
        .map(|f| (f.name.clone(), f.status.key(), f.steps_done))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Anne À-faire".to_owned(), "a-faire", 0),
            ("Bruno En-cours".to_owned(), "en-cours", 1),
            ("Chloé En-retard".to_owned(), "en-retard", 1),
            ("Denis Terminé".to_owned(), "termine", 2),
        ]
    );
    let late_row = t.followers.iter().find(|f| f.user_id == late).unwrap();
    assert_eq!(
        late_row.deadline,
        Some(maillage_core::paths::add_months(months_ago(8), 6))
    );

    // The page: counts, table, filter.
    let admin = app.session(n.ales_admin).await;
    let res = app.get(&format!("/formations/parcours/{id}/suivi"), Some(&admin)).await;
    assert_eq!(res.status, StatusCode::OK);
    let text = res.text();
    for s in [
        "À faire : 1",
        "En cours : 1",
        "En retard : 1",
        "Terminé : 1",
        "Toutes les personnes : 4",
    ] {
        assert!(text.contains(s), "{s} : {text}");
    }
    assert!(text.contains("<caption>"));
    assert!(!text.contains("Émile Ancien") && !text.contains("Gaston") && !text.contains("Fanny"));
    let res = app
        .get(
            &format!("/formations/parcours/{id}/suivi?statut=en-retard"),
            Some(&admin),
        )
        .await;
    let text = res.text();
    assert!(text.contains("Chloé En-retard"));
    assert!(!text.contains("Anne À-faire") && !text.contains("Denis Terminé"));

    // Only the school's managers: a member is refused, another school's admin does not see it.
    let member = app.session(n.ales_member).await;
    assert_eq!(
        app.get(&format!("/formations/parcours/{id}/suivi"), Some(&member))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let ge_admin = app.session(n.ge_admin).await;
    assert_eq!(
        app.get(&format!("/formations/parcours/{id}/suivi"), Some(&ge_admin))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // `/mon-parcours` of the late person: steps done and not, and sessions to come.
    let start = today() + Duration::days(20);
    let session = maillage_core::enrolment::create(
        &app.ctx,
        &app.actor(n.ales_admin).await,
        m2,
        &maillage_core::enrolment::Input {
            school: n.ales_school.to_string(),
            starts_on: start.to_string(),
            ends_on: start.to_string(),
            place: "Salle du conseil".into(),
            capacity: "10".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let me = app.session(late).await;
    let res = app.get("/mon-parcours", Some(&me)).await;
    assert_eq!(res.status, StatusCode::OK);
    let text = res.text();
    assert!(text.contains("Prise de poste"));
    assert!(text.contains("En retard"), "{text}");
    assert!(text.contains("obligatoire pour vous"));
    assert!(
        text.contains(&format!("href=\"/sessions/{session}\"")),
        "session à venir absente"
    );
    assert!(text.contains("pas encore fait"));
    assert!(text.contains("Modules terminés"));
    // The API says the same.
    let token = app.token(late).await;
    let res = app.api("/api/v1/moi/parcours", Some(&token)).await;
    assert_eq!(res.status, StatusCode::OK);
    let json = res.json();
    assert_eq!(json[0]["statut"]["cle"], "en-retard");
    assert_eq!(json[0]["obligatoire_pour_moi"], true);
    assert_eq!(
        json[0]["etapes"][0]["fait_le"],
        (today() - Duration::days(30)).to_string()
    );
    // Someone not concerned has nothing.
    let res = app.api("/api/v1/moi/parcours", Some(&app.token(old).await)).await;
    assert_eq!(res.json(), serde_json::json!([]));
}

// ---------------------------------------------------------------------------
// Application and selection
// ---------------------------------------------------------------------------

#[tokio::test]
async fn an_excellence_path_by_application_and_selection() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let m1 = module(&app, n.ales_admin, n.ales_school, "Leadership", false).await;
    let id = path(
        &app,
        n.ales_admin,
        n.ales_school,
        input("Excellence managériale", "candidature", "", ""),
    )
    .await;
    step(&app, n.ales_admin, id, m1, true).await;
    let member = app.session(n.ales_member).await;
    let admin = app.session(n.ales_admin).await;
    let page = format!("/formations/parcours/{id}");

    // No motivation: French message, nothing written.
    let text = app.get(&page, Some(&member)).await.text();
    assert!(text.contains("Présenter ma candidature"));
    let before = state(&app).await;
    let res = app
        .request(
            Method::POST,
            &format!("{page}/candidature"),
            Some(&member),
            Some(form(&[("motivation", "  ")])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("Dites en quelques lignes pourquoi"));
    assert_eq!(state(&app).await, before);
    // Joining it freely is not possible.
    let res = app
        .request(
            Method::POST,
            &format!("{page}/inscription"),
            Some(&member),
            Some(String::new()),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);

    let res = app
        .request(
            Method::POST,
            &format!("{page}/candidature"),
            Some(&member),
            Some(form(&[("motivation", "Je veux mieux accompagner mon équipe.")])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    // Twice: refused.
    let res = app
        .request(
            Method::POST,
            &format!("{page}/candidature"),
            Some(&member),
            Some(form(&[("motivation", "Encore")])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let text = app.get("/mon-parcours", Some(&member)).await.text();
    assert!(
        text.contains("Excellence managériale") && text.contains("Candidature en attente"),
        "{text}"
    );

    // The school sees the application, and decides.
    let text = app.get(&format!("{page}/suivi"), Some(&admin)).await.text();
    assert!(text.contains("Je veux mieux accompagner mon équipe."));
    assert!(
        text.contains("Personne n’est concerné"),
        "un candidat n'est pas encore suivi"
    );
    let decide = format!("{page}/candidatures/{}", n.ales_member);
    let before = state(&app).await;
    let res = app
        .request(
            Method::POST,
            &decide,
            Some(&admin),
            Some(form(&[("decision", "peut-etre"), ("note", "À voir")])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = res.text();
    assert!(text.contains("Choisissez « retenu » ou « non retenu »."));
    assert!(text.contains("À voir"), "note perdue");
    assert_eq!(state(&app).await, before);
    // A member cannot decide; someone who did not apply is 404.
    let res = app
        .request(
            Method::POST,
            &decide,
            Some(&member),
            Some(form(&[("decision", "retenu")])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app
        .request(
            Method::POST,
            &format!("{page}/candidatures/{}", n.pdl_member),
            Some(&admin),
            Some(form(&[("decision", "retenu")])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);

    let res = app
        .request(
            Method::POST,
            &decide,
            Some(&admin),
            Some(form(&[
                ("decision", "retenu"),
                ("note", "Bienvenue dans la promotion 2026."),
            ])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let mails = app.mails().await;
    let mail = mails
        .iter()
        .find(|m| m.contains("Excellence managériale"))
        .expect("courriel de décision");
    assert!(mail.contains("agent@ales.fr"));
    assert!(mail.contains("retenue"));
    assert!(mail.contains("Bienvenue dans la promotion 2026."));
    // Selected: now followed, à faire.
    let t = maillage_core::paths::tracking(&app.ctx, &app.actor(n.ales_admin).await, id, None)
        .await
        .unwrap();
    assert_eq!(t.followers.len(), 1);
    assert_eq!(t.followers[0].status.key(), "a-faire");
    complete(&app, n.ales_member, m1, today()).await;
    let text = app.get("/mon-parcours", Some(&member)).await.text();
    assert!(text.contains("Terminé"), "{text}");
    assert!(text.contains("Bienvenue dans la promotion 2026."));
}

/// A « libre » path: a person joins and leaves it.
#[tokio::test]
async fn a_free_path_is_joined_and_left() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let m1 = module(&app, n.ales_admin, n.ales_school, "Codéveloppement", false).await;
    let id = path(
        &app,
        n.ales_admin,
        n.ales_school,
        input("Codéveloppement", "libre", "", ""),
    )
    .await;
    step(&app, n.ales_admin, id, m1, true).await;
    let member = app.session(n.ales_member).await;
    let page = format!("/formations/parcours/{id}");
    assert!(
        app.get(&page, Some(&member))
            .await
            .text()
            .contains("Suivre ce parcours")
    );
    let res = app
        .request(
            Method::POST,
            &format!("{page}/inscription"),
            Some(&member),
            Some(String::new()),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(
        app.get(&page, Some(&member))
            .await
            .text()
            .contains("Quitter ce parcours")
    );
    let text = app.get("/mon-parcours", Some(&member)).await.text();
    assert!(text.contains("Codéveloppement") && text.contains("À faire"));
    let res = app
        .request(
            Method::POST,
            &format!("{page}/retrait"),
            Some(&member),
            Some(String::new()),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(
        app.get("/mon-parcours", Some(&member))
            .await
            .text()
            .contains("Aucun parcours ne vous concerne")
    );
}

// ---------------------------------------------------------------------------
// Another organisation
// ---------------------------------------------------------------------------

/// A path of Alès not shared does not exist for Grand Est (404, absent from
/// the lists and the API); shared, everyone sees it.
#[tokio::test]
async fn another_organisation_does_not_see_a_private_path() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let private = path(
        &app,
        n.ales_admin,
        n.ales_school,
        input("Parcours interne d'Alès", "libre", "", ""),
    )
    .await;
    let mut i = input("Parcours ouvert au réseau", "candidature", "", "");
    i.shared = true;
    let shared = path(&app, n.ales_admin, n.ales_school, i).await;
    let ge = app.session(n.ge_member).await;
    let ge_admin = app.session(n.ge_admin).await;
    let ales = app.session(n.ales_member).await;
    let token = app.token(n.ge_member).await;

    let text = app.get("/formations/parcours", Some(&ge)).await.text();
    assert!(!text.contains("Parcours interne d'Alès") && !text.contains(&private.to_string()));
    assert!(text.contains("Parcours ouvert au réseau"));
    let text = app.get("/formations/parcours", Some(&ales)).await.text();
    assert!(text.contains("Parcours interne d'Alès"));
    for who in [&ge, &ge_admin] {
        for suffix in ["", "/modifier", "/suivi"] {
            let res = app
                .get(&format!("/formations/parcours/{private}{suffix}"), Some(who))
                .await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{suffix}");
        }
        let res = app
            .request(
                Method::POST,
                &format!("/formations/parcours/{private}/inscription"),
                Some(who),
                Some(String::new()),
                &[],
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(
        app.get(&format!("/formations/parcours/{shared}"), Some(&ge))
            .await
            .status,
        StatusCode::OK
    );
    // The shared one is not Grand Est's to edit.
    assert_eq!(
        app.get(&format!("/formations/parcours/{shared}/modifier"), Some(&ge_admin))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let res = app.api("/api/v1/parcours", Some(&token)).await;
    assert_eq!(res.status, StatusCode::OK);
    let ids: Vec<String> = res
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, vec![shared.to_string()]);
    assert_eq!(
        app.api(&format!("/api/v1/parcours/{private}"), Some(&token))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let res = app.api(&format!("/api/v1/parcours/{shared}"), Some(&token)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json()["type_parcours"]["cle"], "candidature");
    assert_eq!(app.api("/api/v1/parcours", None).await.status, StatusCode::UNAUTHORIZED);
}

// ---------------------------------------------------------------------------
// The profile: post date, line manager, training record
// ---------------------------------------------------------------------------

/// The administrator sets the date of taking the post and the line manager
/// (bad values refused in French, nothing written); the person chooses who
/// sees their training record, which shows on their directory profile only
/// to those; the changes are in the profile's history.
#[tokio::test]
async fn the_training_record_on_the_profile_follows_the_persons_choice() {
    let app = TestApp::new().await;
    let n = net(&app).await;
    let m1 = module(&app, n.ales_admin, n.ales_school, "Prendre son poste", false).await;
    let id = path(
        &app,
        n.ales_admin,
        n.ales_school,
        input("Prise de poste", "obligatoire", "12", "12"),
    )
    .await;
    step(&app, n.ales_admin, id, m1, true).await;
    let colleague = app
        .person("chef@ales.fr", "Claire Chef", "member", Some(crate::harness::ALES))
        .await;
    let profile = app.profile_of(n.ales_member).await;
    let boss = app.profile_of(colleague).await;
    let ge_boss = app.profile_of(n.ge_member).await;
    let admin = app.session(n.ales_admin).await;
    let edit = format!("/annuaire/{profile}/modifier");

    // The administrative form offers the organisation's people as managers.
    let text = app.get(&edit, Some(&admin)).await.text();
    assert!(text.contains("Date de prise de poste") && text.contains("Responsable hiérarchique"));
    assert!(text.contains(&format!("<option value=\"{boss}\"")));
    assert!(!text.contains(&ge_boss.to_string()));

    let base = [
        ("first_name", "Agent"),
        ("last_name", "Alès"),
        ("function_title", ""),
        ("direction", ""),
        ("service", ""),
        ("category", ""),
        ("cadre", ""),
        ("email", ""),
        ("phone", ""),
    ];
    let post = |extra: Vec<(&'static str, String)>| {
        let mut pairs: Vec<(String, String)> = base.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        pairs.extend(extra.into_iter().map(|(k, v)| (k.to_owned(), v)));
        pairs
    };
    let send = |pairs: Vec<(String, String)>| {
        let app = &app;
        let admin = &admin;
        let edit = edit.clone();
        async move {
            let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.request(Method::POST, &edit, Some(admin), Some(form(&refs)), &[])
                .await
        }
    };
    let before = {
        let mut c = app.ctx.db.conn().await.unwrap();
        let row = maillage_db::profiles::by_id(
            c.ex(),
            &maillage_db::profiles::Scope {
                everything: true,
                ..Default::default()
            },
            profile,
        )
        .await
        .unwrap()
        .unwrap();
        format!("{row:?}")
    };
    for (pairs, message) in [
        (
            post(vec![("post_started_on", "32/13/2025".into())]),
            "Saisissez la date de prise de poste au format JJ/MM/AAAA",
        ),
        (
            post(vec![("post_started_on", "2099-01-01".into())]),
            "La date de prise de poste doit être passée ou dans l'année qui vient.",
        ),
        (
            post(vec![("manager", ge_boss.to_string())]),
            "Choisissez le responsable hiérarchique parmi les personnes de la même organisation.",
        ),
    ] {
        let res = send(pairs).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().contains(message), "{message}");
    }
    let after = {
        let mut c = app.ctx.db.conn().await.unwrap();
        let row = maillage_db::profiles::by_id(
            c.ex(),
            &maillage_db::profiles::Scope {
                everything: true,
                ..Default::default()
            },
            profile,
        )
        .await
        .unwrap()
        .unwrap();
        format!("{row:?}")
    };
    assert_eq!(before, after, "rien d'écrit");
    let started = months_ago(3);
    let res = send(post(vec![
        (
            "post_started_on",
            format!("{:02}/{:02}/{}", started.day(), started.month() as u8, started.year()),
        ),
        ("manager", boss.to_string()),
    ]))
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    complete(&app, n.ales_member, m1, today()).await;

    // The history names the changes (not the values).
    let text = app.get(&format!("/annuaire/{profile}"), Some(&admin)).await.text();
    assert!(
        text.contains("Date de prise de poste, Responsable hiérarchique"),
        "{text}"
    );
    // Default: only the person and the administrators see the record.
    assert!(text.contains("Parcours de formation") && text.contains("Prise de poste (") && text.contains("Terminé"));
    let me = app.session(n.ales_member).await;
    let colleague_b = app.session(colleague).await;
    let ge = app.session(n.ge_member).await;
    let shows = |b: &crate::harness::Browser| {
        let app = &app;
        let b = b.clone();
        async move {
            app.get(&format!("/annuaire/{profile}"), Some(&b))
                .await
                .text()
                .contains("Parcours de formation")
        }
    };
    assert!(shows(&me).await);
    assert!(!shows(&colleague_b).await, "visible d'un collègue alors que privé");
    // The person opens it to the network (and must be listed to be seen at all).
    let text = app.get("/profil", Some(&me)).await.text();
    assert!(text.contains("Mon parcours de formation"));
    assert!(text.contains("Prendre son poste"), "modules terminés sur /profil");
    // The person cannot change their line manager (who approves their
    // enrolments): the administrators set it.
    let mut pairs: Vec<(String, String)> = post(vec![
        ("post_started_on", started.to_string()),
        ("manager", String::new()),
        ("bio", String::new()),
        ("languages", String::new()),
    ]);
    for v in [
        "function_vis",
        "unit_vis",
        "category_vis",
        "cadre_vis",
        "email_vis",
        "phone_vis",
        "bio_vis",
        "languages_vis",
        "themes_vis",
        "photo_vis",
    ] {
        pairs.push((v.into(), "organisation".into()));
    }
    pairs.push(("listed".into(), "reseau".into()));
    pairs.push(("training_vis".into(), "organisation".into()));
    let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app
        .request(Method::POST, "/profil", Some(&me), Some(form(&refs)), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    assert!(shows(&colleague_b).await, "collègue : visible au niveau organisation");
    let admin_form = app
        .get(&format!("/annuaire/{profile}/modifier"), Some(&admin))
        .await
        .text();
    assert!(
        admin_form.contains(&format!("<option value=\"{boss}\" selected>")),
        "le responsable reste celui fixé par l'administration"
    );
    assert!(!shows(&ge).await, "autre organisation : non visible");
    // A bad visibility value is refused.
    let mut bad = pairs.clone();
    bad.retain(|(k, _)| k != "training_vis");
    bad.push(("training_vis".into(), "tout-le-monde".into()));
    let refs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = app
        .request(Method::POST, "/profil", Some(&me), Some(form(&refs)), &[])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = app.get(&format!("/annuaire/{profile}"), Some(&admin)).await.text();
    assert!(text.contains("Visibilité du parcours de formation"), "historique");
}

/// The demo: Alès's mandatory « Prise de poste » (socle + options) concerns
/// people who took their post less than a year ago; « Excellence
/// managériale » is by application.
#[tokio::test]
async fn the_demo_has_the_ales_paths() {
    let app = TestApp::with_demo().await;
    let admin = app.user_id("ecole@demo.example").await;
    let actor = app.actor(admin).await;
    let paths = maillage_core::paths::list(&app.ctx, &actor).await.unwrap();
    let intake = paths
        .iter()
        .find(|p| p.title == "Prise de poste")
        .expect("Prise de poste");
    let excellence = paths
        .iter()
        .find(|p| p.title == "Excellence managériale")
        .expect("Excellence managériale");
    assert_eq!(excellence.kind.key(), "candidature");
    let intake = maillage_core::paths::get(&app.ctx, &actor, intake.id).await.unwrap();
    assert_eq!(
        (intake.kind.key(), intake.rule_months, intake.deadline_months),
        ("obligatoire", Some(12), Some(6))
    );
    assert!(!intake.required_steps().is_empty() && !intake.optional_steps().is_empty());
    let t = maillage_core::paths::tracking(&app.ctx, &actor, intake.id, None)
        .await
        .unwrap();
    assert!(t.total >= 5, "{} personnes concernées", t.total);
    // Some took their post more than six months ago and have not finished.
    let late = maillage_core::paths::tracking(&app.ctx, &actor, intake.id, Some(maillage_core::paths::Status::Late))
        .await
        .unwrap();
    assert!(!late.followers.is_empty(), "des personnes en retard");
}
