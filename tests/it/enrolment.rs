//! Sessions and enrolment: capacity never exceeded under simultaneous
//! requests, the waitlist served in arrival order, promotion on
//! cancellation with its email, French errors for bad sessions.

use axum::http::StatusCode;
use maillage_core::{
    catalogue,
    enrolment::{self, Standing},
};
use uuid::Uuid;

use crate::harness::{ALES, GRAND_EST, TestApp, form};

/// A shared module of Alès's school and a session of `capacity` seats
/// starting in 30 days; returns (module, session, the school's admin).
async fn session(app: &TestApp, capacity: i64) -> (Uuid, Uuid, Uuid) {
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
            title: "Prise de poste".into(),
            format: "formation".into(),
            stage: "nouveaux".into(),
            duration_value: "2".into(),
            duration_unit: "jours".into(),
            shared: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let start = maillage_db::now().date() + time::Duration::days(30);
    let id = enrolment::create(
        &app.ctx,
        &actor,
        module,
        &enrolment::Input {
            school: school.to_string(),
            starts_on: start.to_string(),
            ends_on: (start + time::Duration::days(1)).to_string(),
            place: "Salle du conseil, 2 rue Michelet, Alès".into(),
            capacity: capacity.to_string(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    (module, id, admin)
}

/// Simultaneous requests never overbook, and the waitlist keeps one strict
/// order with no duplicates (both databases).
#[tokio::test]
async fn simultaneous_enrolments_never_overbook() {
    let app = TestApp::new().await;
    let (_, id, admin) = session(&app, 10).await;
    let mut people = Vec::new();
    for i in 0..60 {
        let siren = if i % 2 == 0 { ALES } else { GRAND_EST };
        let u = app
            .person(
                &format!("p{i}@ville.fr"),
                &format!("Personne {i}"),
                "member",
                Some(siren),
            )
            .await;
        people.push(app.actor(u).await);
    }
    let tasks: Vec<_> = people
        .iter()
        .cloned()
        .map(|actor| {
            let ctx = app.ctx.clone();
            tokio::spawn(async move { enrolment::enrol(&ctx, &actor, id).await })
        })
        .collect();
    let mut enrolled = 0;
    let mut ranks = Vec::new();
    for t in tasks {
        match t.await.unwrap().expect("une inscription") {
            Standing::Enrolled => enrolled += 1,
            Standing::Waiting(r) => ranks.push(r),
            Standing::Cancelled => panic!("annulée ?"),
        }
    }
    assert_eq!(enrolled, 10, "exactement la capacité");
    ranks.sort_unstable();
    assert_eq!(
        ranks,
        (1..=50).collect::<Vec<i64>>(),
        "une liste d'attente sans doublon ni trou"
    );

    // Enrolling twice is refused, and changes nothing.
    let again = enrolment::enrol(&app.ctx, &people[0], id).await;
    assert!(matches!(again, Err(maillage_core::CoreError::Conflict(_))), "{again:?}");

    // The roster (organising school) agrees.
    let roster = enrolment::roster(&app.ctx, &app.actor(admin).await, id).await.unwrap();
    assert_eq!(roster.iter().filter(|p| p.standing == Standing::Enrolled).count(), 10);
    assert_eq!(roster.len(), 60);

    // A seat freed goes to the first waiting, who gets an email.
    let mut who_cancels = None;
    for a in &people {
        if enrolment::standing(&app.ctx, a, id).await.unwrap() == Some(Standing::Enrolled) {
            who_cancels = Some(a.clone());
            break;
        }
    }
    let canceller = who_cancels.expect("quelqu'un d'inscrit");
    let mut next = None;
    for a in &people {
        if enrolment::standing(&app.ctx, a, id).await.unwrap() == Some(Standing::Waiting(1)) {
            next = Some(a.clone());
        }
    }
    let next = next.expect("un premier en attente");
    enrolment::cancel(&app.ctx, &canceller, id).await.unwrap();
    assert_eq!(
        enrolment::standing(&app.ctx, &next, id).await.unwrap(),
        Some(Standing::Enrolled),
        "le premier de la liste d'attente prend la place"
    );
    let s = enrolment::get(&app.ctx, &next, id).await.unwrap();
    assert_eq!((s.enrolled, s.waiting), (10, 49));
    let mails = app.mails().await;
    let email = &next.user().unwrap().email;
    assert!(
        mails
            .iter()
            .any(|m| m.contains(email.as_str()) && m.contains("Une place s'est libérée")),
        "courriel de promotion à {email}"
    );
    // Whoever cancelled may come back, at the end of the line.
    assert_eq!(
        enrolment::enrol(&app.ctx, &canceller, id).await.unwrap(),
        Standing::Waiting(50)
    );
}

/// The session's page: enrol, waitlist, cancel, as a person clicks; the
/// roster only for the organising school.
#[tokio::test]
async fn enrolling_through_the_pages() {
    let app = TestApp::new().await;
    let (module, id, admin) = session(&app, 1).await;
    let a = app.person("a@ales.fr", "Alice Premier", "member", Some(ALES)).await;
    let b = app
        .person("b@grandest.fr", "Bruno Second", "member", Some(GRAND_EST))
        .await;
    let (mut ba, mut bb) = (app.session(a).await, app.session(b).await);

    let page = app.get(&format!("/formations/{module}"), Some(&ba)).await;
    assert!(
        page.text().contains(&format!("/sessions/{id}")),
        "la session sur la page du module"
    );
    let res = app.submit(&format!("/sessions/{id}/inscription"), &mut ba, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(
        app.get(&format!("/sessions/{id}"), Some(&ba))
            .await
            .text()
            .contains("Vous êtes inscrit·e")
    );
    app.submit(&format!("/sessions/{id}/inscription"), &mut bb, &[]).await;
    let page = app.get(&format!("/sessions/{id}"), Some(&bb)).await.text();
    assert!(page.contains("liste d'attente, en position 1"), "{page}");
    assert!(
        !page.contains("a@ales.fr"),
        "pas de liste des participants pour un membre"
    );

    let roster = app
        .get(&format!("/sessions/{id}"), Some(&app.session(admin).await))
        .await
        .text();
    assert!(
        roster.contains("a@ales.fr") && roster.contains("b@grandest.fr"),
        "{roster}"
    );

    let res = app.submit(&format!("/sessions/{id}/annulation"), &mut ba, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(
        app.get(&format!("/sessions/{id}"), Some(&bb))
            .await
            .text()
            .contains("Vous êtes inscrit·e")
    );

    // Anonymous: log in first; a twice-enrolment is a French 409.
    let anon = app.get(&format!("/sessions/{id}"), None).await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
    assert!(anon.location().starts_with("/connexion"));
    let twice = app.submit(&format!("/sessions/{id}/inscription"), &mut bb, &[]).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.text().contains("déjà inscrit"), "{}", twice.body);
}

/// Bad sessions: French messages on each field, what was typed kept,
/// nothing written.
#[tokio::test]
async fn bad_sessions_are_refused_with_french_messages() {
    let app = TestApp::new().await;
    let (module, _, admin) = session(&app, 5).await;
    let mut b = app.session(admin).await;
    let today = maillage_db::now().date();
    let cases: Vec<Case> = vec![
        (
            vec![
                ("starts_on", (today + time::Duration::days(10)).to_string()),
                ("ends_on", (today + time::Duration::days(9)).to_string()),
            ],
            "ends_on",
            "La date de fin précède la date de début",
        ),
        (vec![("capacity", "0".into())], "capacity", "entre 1 et 10 000"),
        (vec![("capacity", "-3".into())], "capacity", "entre 1 et 10 000"),
        (vec![("capacity", "douze".into())], "capacity", "en chiffres"),
        (
            vec![("starts_on", (today - time::Duration::days(1)).to_string())],
            "starts_on",
            "dans le passé",
        ),
        (vec![("place", String::new())], "place", "Indiquez le lieu"),
        (
            vec![("online_url", "javascript:alert(1)".into())],
            "online_url",
            "https://",
        ),
        (
            vec![("enrol_until", (today + time::Duration::days(40)).to_string())],
            "enrol_until",
            "doit précéder le début",
        ),
    ];
    let start = (today + time::Duration::days(20)).to_string();
    for (overrides, field, message) in cases {
        let mut fields: Vec<(&str, String)> = vec![
            ("starts_on", start.clone()),
            ("ends_on", start.clone()),
            ("place", "Alès".into()),
            ("capacity", "10".into()),
        ];
        for (k, v) in overrides {
            fields.retain(|(n, _)| *n != k);
            fields.push((k, v));
        }
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let before = count_sessions(&app).await;
        let res = app
            .submit(&format!("/formations/{module}/sessions"), &mut b, &pairs)
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", res.body);
        let text = res.text();
        assert!(text.contains(message), "{field} : « {message} » attendu");
        assert!(
            text.contains(&format!("id=\"{field}-error\"")),
            "{field} marqué en erreur"
        );
        assert_eq!(count_sessions(&app).await, before, "rien d'écrit ({field})");
    }
    // Someone outside the school may not schedule: 403.
    let other = app
        .person("x@grandest.fr", "Xavier Autre", "org-admin", Some(GRAND_EST))
        .await;
    let res = app
        .request(
            axum::http::Method::POST,
            &format!("/formations/{module}/sessions"),
            Some(&app.session(other).await),
            Some(form(&[
                ("starts_on", &start),
                ("ends_on", &start),
                ("place", "x"),
                ("capacity", "3"),
            ])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

/// (fields changed from a valid session, the field in error, its message).
type Case = (Vec<(&'static str, String)>, &'static str, &'static str);

async fn count_sessions(app: &TestApp) -> i64 {
    let mut c = app.ctx.db.conn().await.unwrap();
    c.ex()
        .fetch_scalar(maillage_db::query("SELECT COUNT(*) FROM training_sessions"))
        .await
        .unwrap()
}
