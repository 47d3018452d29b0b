//! Trainers (`/intervenants`): internal and external, visibility (a school's
//! unshared trainer does not exist for another school: 404, absent from the
//! lists and the API), « proposer au réseau », modules and sessions; the
//! sessions API with them.

use axum::http::StatusCode;
use maillage_core::{catalogue, enrolment};
use uuid::Uuid;

use crate::harness::{ALES, GRAND_EST, TestApp};

/// Alès's school with an administrator and a shared module.
async fn school(app: &TestApp) -> (Uuid, Uuid, Uuid) {
    let admin = app
        .person("ecole@ales.fr", "Claude Responsable", "org-admin", Some(ALES))
        .await;
    let actor = app.actor(admin).await;
    let org = maillage_core::organisations::get(&app.ctx, ALES).await.unwrap();
    let school = maillage_core::schools::create(&app.ctx, &actor, org.id, "École d'Alès", "")
        .await
        .unwrap();
    let module = catalogue::create(
        &app.ctx,
        &actor,
        school,
        &catalogue::Input {
            title: "Manager en transversalité".into(),
            format: "formation".into(),
            stage: "tous".into(),
            duration_value: "1".into(),
            duration_unit: "jours".into(),
            completion_percent: "100".into(),
            shared: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    (admin, school, module)
}

#[tokio::test]
async fn trainers_internal_external_shared_and_hidden() {
    let app = TestApp::new().await;
    let (admin, school, module) = school(&app).await;
    let mut adm = app.session(admin).await;
    app.person("f@ales.fr", "Fanny Formatrice", "trainer", Some(ALES)).await;
    let ge_admin = app
        .person("admin@grandest.fr", "Gaëlle Est", "org-admin", Some(GRAND_EST))
        .await;
    let ge_member = app.person("m@grandest.fr", "Marc Est", "member", Some(GRAND_EST)).await;

    // Bad input: nothing written.
    for (fields, message) in [
        (
            vec![("kind", "externe"), ("name", "")],
            "Saisissez le nom de l'intervenant",
        ),
        (
            vec![("kind", "interne"), ("email", "")],
            "Saisissez l'adresse du compte",
        ),
        (
            vec![("kind", "interne"), ("email", "m@grandest.fr")],
            "Aucun compte à cette adresse",
        ),
        (
            vec![("kind", "externe"), ("name", "X"), ("email", "pas-une-adresse")],
            "adresse électronique valide",
        ),
        (vec![("kind", "")], "interne ou externe"),
    ] {
        let school_id = school.to_string();
        let mut pairs = vec![("school", school_id.as_str())];
        pairs.extend(fields);
        let res = app.submit("/intervenants", &mut adm, &pairs).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(res.text().contains(message), "{message}: {}", res.body);
    }
    {
        let mut c = app.ctx.db.conn().await.unwrap();
        let n = c
            .ex()
            .fetch_scalar(maillage_db::query("SELECT COUNT(*) FROM trainers"))
            .await
            .unwrap();
        assert_eq!(n, 0, "rien d'écrit");
    }

    // An external trainer and an internal one (named after the account).
    let res = app
        .submit(
            "/intervenants",
            &mut adm,
            &[
                ("school", &school.to_string()),
                ("kind", "externe"),
                ("name", "Paul Consultant"),
                ("employer", "Cabinet Cévennes"),
                ("bio", "Psychologue du travail."),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let external: Uuid = res.location()["/intervenants/".len().."/intervenants/".len() + 36]
        .parse()
        .unwrap();
    let res = app
        .submit(
            "/intervenants",
            &mut adm,
            &[
                ("school", &school.to_string()),
                ("kind", "interne"),
                ("email", "F@ales.fr"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let internal: Uuid = res.location()["/intervenants/".len().."/intervenants/".len() + 36]
        .parse()
        .unwrap();
    let page = app.get(&format!("/intervenants/{internal}"), Some(&adm)).await.text();
    assert!(page.contains("Fanny Formatrice") && page.contains("interne"), "{page}");

    // Unshared: another school's people neither see them nor find them.
    let geb = app.session(ge_member).await;
    for id in [external, internal] {
        let res = app.get(&format!("/intervenants/{id}"), Some(&geb)).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
    }
    let list = app.get("/intervenants", Some(&geb)).await.text();
    assert!(!list.contains("Paul Consultant") && !list.contains("Fanny Formatrice"));
    let token = app.token(ge_member).await;
    let api = app.api("/api/v1/intervenants", Some(&token)).await;
    assert_eq!(api.status, StatusCode::OK);
    assert!(!api.text().contains("Paul Consultant"));
    // Nor may another school's administrator edit them (404).
    let res = app
        .submit(
            &format!("/intervenants/{external}/modifier"),
            &mut app.session(ge_admin).await,
            &[("kind", "externe"), ("name", "Volé")],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    // Alès's members see them.
    let ales_member = app.person("a@ales.fr", "Alice Alès", "member", Some(ALES)).await;
    let list = app
        .get("/intervenants", Some(&app.session(ales_member).await))
        .await
        .text();
    assert!(list.contains("Paul Consultant") && list.contains("Fanny Formatrice"));
    // The email is shown to the school only.
    let page = app
        .get(
            &format!("/intervenants/{internal}"),
            Some(&app.session(ales_member).await),
        )
        .await
        .text();
    assert!(!page.contains("f@ales.fr"));

    // Offered to the network: Grand Est sees and may book them.
    let res = app
        .submit(
            &format!("/intervenants/{external}/partage"),
            &mut adm,
            &[("shared", "oui")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&format!("/intervenants/{external}"), Some(&geb)).await.status,
        StatusCode::OK
    );
    assert!(
        app.get("/intervenants", Some(&geb))
            .await
            .text()
            .contains("Paul Consultant")
    );
    let ge_org = maillage_core::organisations::get(&app.ctx, GRAND_EST).await.unwrap();
    let ge_school = maillage_core::schools::create(&app.ctx, &app.actor(ge_admin).await, ge_org.id, "Manag'Est", "")
        .await
        .unwrap();
    let bookable = maillage_core::trainers::bookable(&app.ctx, &app.actor(ge_admin).await, ge_school)
        .await
        .unwrap();
    assert_eq!(
        bookable.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![external],
        "l'intervenant partagé, pas l'autre"
    );

    // Linked to a module, booked on a session: both on the trainer's page.
    let res = app
        .submit(
            &format!("/intervenants/{external}/modules"),
            &mut adm,
            &[("module", &module.to_string())],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let start = (maillage_db::now().date() + time::Duration::days(20)).to_string();
    let session = enrolment::create(
        &app.ctx,
        &app.actor(admin).await,
        module,
        &enrolment::Input {
            starts_on: start.clone(),
            ends_on: start.clone(),
            place: "Alès".into(),
            capacity: "10".into(),
            trainers: vec![external.to_string()],
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let page = app.get(&format!("/intervenants/{external}"), Some(&geb)).await.text();
    assert!(page.contains("Manager en transversalité") && page.contains(&format!("/sessions/{session}")));
    let page = app.get(&format!("/sessions/{session}"), Some(&geb)).await.text();
    assert!(page.contains("Paul Consultant"));
    // Unlinking: gone from the page.
    let res = app
        .submit(
            &format!("/intervenants/{external}/modules/{module}/retirer"),
            &mut adm,
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    // A trainer of another school may not be booked by crafting the form.
    let res = maillage_core::enrolment::create(
        &app.ctx,
        &app.actor(ge_admin).await,
        module,
        &enrolment::Input {
            school: ge_school.to_string(),
            starts_on: start.clone(),
            ends_on: start,
            place: "Metz".into(),
            capacity: "10".into(),
            trainers: vec![internal.to_string()],
            ..Default::default()
        },
    )
    .await;
    assert!(res.is_err());
}

/// The sessions API: coming sessions, one with its trainers, the roster for
/// the school only, enrolling oneself, one's enrolments.
#[tokio::test]
async fn sessions_api() {
    let app = TestApp::new().await;
    let (admin, school, module) = school(&app).await;
    let start = (maillage_db::now().date() + time::Duration::days(20)).to_string();
    let session = enrolment::create(
        &app.ctx,
        &app.actor(admin).await,
        module,
        &enrolment::Input {
            starts_on: start.clone(),
            ends_on: start,
            place: "Alès".into(),
            capacity: "1".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let member = app.person("m@grandest.fr", "Marc Est", "member", Some(GRAND_EST)).await;
    let token = app.token(member).await;
    let list = app.api("/api/v1/sessions", Some(&token)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.json()[0]["id"], session.to_string());
    let filtered = app
        .api(&format!("/api/v1/sessions?ecole={}", Uuid::now_v7()), Some(&token))
        .await;
    assert_eq!(filtered.json().as_array().unwrap().len(), 0);
    let filtered = app
        .api(
            &format!("/api/v1/sessions?ecole={school}&depuis=2000-01-01"),
            Some(&token),
        )
        .await;
    assert_eq!(filtered.json().as_array().unwrap().len(), 1);
    let one = app.api(&format!("/api/v1/sessions/{session}"), Some(&token)).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.json()["places"], 1);
    assert_eq!(app.api("/api/v1/sessions", None).await.status, StatusCode::UNAUTHORIZED);
    // Enrolling oneself: a seat, then twice is a 409.
    let enrol = |token: String| {
        let app = &app;
        async move {
            app.request(
                axum::http::Method::POST,
                &format!("/api/v1/sessions/{session}/inscription"),
                None,
                None,
                &[("authorization", &format!("Bearer {token}"))],
            )
            .await
        }
    };
    let res = enrol(token.clone()).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["statut"], "inscrit");
    assert_eq!(enrol(token.clone()).await.status, StatusCode::CONFLICT);
    let other = app.person("n@ales.fr", "Nina Alès", "member", Some(ALES)).await;
    let res = enrol(app.token(other).await).await;
    assert_eq!(res.json()["statut"], "attente");
    assert_eq!(res.json()["rang"], 1);
    let mine = app.api("/api/v1/moi/inscriptions", Some(&token)).await;
    assert_eq!(mine.json()[0]["statut"], "inscrit");
    // The roster: the school only.
    assert_eq!(
        app.api(&format!("/api/v1/sessions/{session}/inscriptions"), Some(&token))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let roster = app
        .api(
            &format!("/api/v1/sessions/{session}/inscriptions"),
            Some(&app.token(admin).await),
        )
        .await;
    assert_eq!(roster.status, StatusCode::OK);
    assert_eq!(roster.json().as_array().unwrap().len(), 2);
}
