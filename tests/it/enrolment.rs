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
            other => panic!("inattendu : {other:?}"),
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

// ---------------------------------------------------------------------------
// Session options, approval, enrolment by the school, guests, cycles
// ---------------------------------------------------------------------------

/// The school of a session.
async fn school_of(app: &TestApp, session: Uuid, admin: Uuid) -> Uuid {
    enrolment::get(&app.ctx, &app.actor(admin).await, session)
        .await
        .unwrap()
        .school_id
}

fn day(n: i64) -> String {
    (maillage_db::now().date() + time::Duration::days(n)).to_string()
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    let mut c = app.ctx.db.conn().await.unwrap();
    c.ex().fetch_scalar(maillage_db::query(sql)).await.unwrap()
}

async fn external_trainer(app: &TestApp, admin: Uuid, school: Uuid, name: &str) -> Uuid {
    maillage_core::trainers::create(
        &app.ctx,
        &app.actor(admin).await,
        &maillage_core::trainers::Input {
            school: school.to_string(),
            kind: "externe".into(),
            name: name.into(),
            employer: "Cabinet Conseil".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

/// Closed periods refuse a session with the period's name; a trainer or a
/// place booked twice is a warning confirmed with « Programmer malgré
/// tout »; nothing is written before the confirmation.
#[tokio::test]
async fn closed_periods_and_double_bookings() {
    let app = TestApp::new().await;
    let (module, first, admin) = session(&app, 5).await;
    let school = school_of(&app, first, admin).await;
    let mut b = app.session(admin).await;

    // A closed period: end before start refused, then a valid one.
    let res = app
        .submit(
            "/formations/periodes-fermees",
            &mut b,
            &[
                ("school", &school.to_string()),
                ("label", "Noël"),
                ("starts_on", &day(60)),
                ("ends_on", &day(50)),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("La date de fin précède la date de début"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM closed_periods").await, 0);
    let res = app
        .submit(
            "/formations/periodes-fermees",
            &mut b,
            &[
                ("school", &school.to_string()),
                ("label", "Vacances de Noël"),
                ("starts_on", &day(50)),
                ("ends_on", &day(60)),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let list = app.get("/formations/periodes-fermees", Some(&b)).await.text();
    assert!(list.contains("Vacances de Noël"), "{list}");
    // A member does not run a school: 403.
    let member = app.person("m@ales.fr", "Marie Membre", "member", Some(ALES)).await;
    let res = app
        .get("/formations/periodes-fermees", Some(&app.session(member).await))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    let before = count_sessions(&app).await;
    let res = app
        .submit(
            &format!("/formations/{module}/sessions"),
            &mut b,
            &[
                ("starts_on", &day(58)),
                ("ends_on", &day(62)),
                ("place", "Alès"),
                ("capacity", "10"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text().contains("période de fermeture « Vacances de Noël »"),
        "{}",
        res.body
    );
    assert_eq!(count_sessions(&app).await, before, "rien d'écrit");

    // A trainer in a session on day 30–31; the same trainer on day 31: a
    // warning, the form comes back with the checkbox; nothing written.
    let trainer = external_trainer(&app, admin, school, "Jeanne Formatrice").await;
    let t = trainer.to_string();
    let res = app
        .submit(
            &format!("/sessions/{first}/modifier"),
            &mut b,
            &[
                ("starts_on", &day(30)),
                ("ends_on", &day(31)),
                ("place", "Salle du conseil, 2 rue Michelet, Alès"),
                ("capacity", "5"),
                ("trainers", &t),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let fields = [
        ("starts_on", day(31)),
        ("ends_on", day(31)),
        ("place", "Médiathèque, Alès".to_owned()),
        ("capacity", "8".to_owned()),
        ("trainers", t.clone()),
    ];
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = app
        .submit(&format!("/formations/{module}/sessions"), &mut b, &pairs)
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = res.text();
    assert!(
        text.contains("Jeanne Formatrice intervient déjà dans la session « Prise de poste »"),
        "{text}"
    );
    assert!(text.contains("Programmer malgré tout") && text.contains("id=\"confirm\""));
    assert!(
        text.contains("value=\"Médiathèque, Alès\""),
        "ce qui a été saisi est gardé"
    );
    assert_eq!(count_sessions(&app).await, before);
    // The same place on overlapping dates: a warning too.
    let res = app
        .submit(
            &format!("/formations/{module}/sessions"),
            &mut b,
            &[
                ("starts_on", &day(30)),
                ("ends_on", &day(30)),
                ("place", "salle du conseil, 2 rue michelet, alès"),
                ("capacity", "8"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("est déjà pris par la session"), "{}", res.body);
    assert_eq!(count_sessions(&app).await, before);
    // Confirmed: scheduled.
    let mut confirmed = pairs.clone();
    confirmed.push(("confirm", "oui"));
    let res = app
        .submit(&format!("/formations/{module}/sessions"), &mut b, &confirmed)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(count_sessions(&app).await, before + 1);
}

/// A cycle created from the session form, co-organisers, an optional
/// session; the cycle's page lists its sessions in date order with their
/// places; the school edits its title.
#[tokio::test]
async fn cycles_and_co_organisers() {
    let app = TestApp::new().await;
    let (module, first, admin) = session(&app, 5).await;
    let school = school_of(&app, first, admin).await;
    let mut b = app.session(admin).await;
    let orgs = maillage_core::enrolment::form::co_organisers(&app.ctx).await.unwrap();
    let partner = orgs.first().expect("une organisation du réseau").clone();
    let res = app
        .submit(
            &format!("/formations/{module}/sessions"),
            &mut b,
            &[
                ("starts_on", &day(40)),
                ("ends_on", &day(40)),
                ("place", "Le Vigan"),
                ("capacity", "20"),
                ("new_cycle", "Cycle des Cévennes"),
                ("title", "Journée 2 — Le Vigan"),
                ("organisers", &partner.id.to_string()),
                ("organisers", "pas-un-id"),
            ],
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "une organisation inconnue"
    );
    assert!(res.text().contains("ne fait plus partie du réseau"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM cycles").await, 0, "rien d'écrit");
    let res = app
        .submit(
            &format!("/formations/{module}/sessions"),
            &mut b,
            &[
                ("starts_on", &day(40)),
                ("ends_on", &day(40)),
                ("place", "Le Vigan"),
                ("capacity", "20"),
                ("new_cycle", "Cycle des Cévennes"),
                ("title", "Journée 2 — Le Vigan"),
                ("organisers", &partner.id.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let second: Uuid = res.location()["/sessions/".len()..36 + "/sessions/".len()]
        .parse()
        .unwrap();
    let s = enrolment::get(&app.ctx, &app.actor(admin).await, second).await.unwrap();
    let cycle = s.cycle_id.expect("un cycle créé");
    let page = app.get(&format!("/sessions/{second}"), Some(&b)).await.text();
    assert!(
        page.contains("Co-organisée avec") && page.contains(&partner.name),
        "{page}"
    );
    assert!(page.contains("Cycle des Cévennes"));
    // The first session joins the cycle; an optional sixth day.
    let res = app
        .submit(
            &format!("/sessions/{first}/modifier"),
            &mut b,
            &[
                ("starts_on", &day(30)),
                ("ends_on", &day(31)),
                ("place", "Alès"),
                ("capacity", "5"),
                ("cycle", &cycle.to_string()),
                ("title", "Journée 1 — Alès"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = app
        .submit(
            &format!("/formations/{module}/sessions"),
            &mut b,
            &[
                ("starts_on", &day(70)),
                ("ends_on", &day(70)),
                ("place", "Anduze"),
                ("capacity", "20"),
                ("cycle", &cycle.to_string()),
                ("title", "Journée 6 — volontaires"),
                ("optional", "oui"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // Both a cycle and a new one: refused.
    let res = app
        .submit(
            &format!("/formations/{module}/sessions"),
            &mut b,
            &[
                ("starts_on", &day(80)),
                ("ends_on", &day(80)),
                ("place", "Anduze"),
                ("capacity", "20"),
                ("cycle", &cycle.to_string()),
                ("new_cycle", "Autre"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);

    let member = app.person("m@ales.fr", "Marie Membre", "member", Some(ALES)).await;
    let page = app
        .get(&format!("/formations/cycles/{cycle}"), Some(&app.session(member).await))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    let (j1, j2, j6) = (
        text.find("Journée 1 — Alès").expect("jour 1"),
        text.find("Journée 2 — Le Vigan").expect("jour 2"),
        text.find("Journée 6 — volontaires").expect("jour 6"),
    );
    assert!(j1 < j2 && j2 < j6, "dans l'ordre des dates");
    assert!(text.contains("facultative (volontaires)") && text.contains("Le Vigan"));
    assert!(!text.contains("Modifier le cycle"), "un membre ne modifie pas");
    let res = app
        .submit(
            &format!("/formations/cycles/{cycle}"),
            &mut b,
            &[("title", ""), ("description", "x")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = app
        .submit(
            &format!("/formations/cycles/{cycle}"),
            &mut b,
            &[
                ("title", "Cycle Cévennes 2027"),
                ("description", "Cinq jours, cinq communes."),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let text = app.get(&format!("/formations/cycles/{cycle}"), Some(&b)).await.text();
    assert!(text.contains("Cycle Cévennes 2027") && text.contains("Cinq jours, cinq communes."));
    // Another school's administrator may not edit it.
    let other = app
        .person("x@grandest.fr", "Xavier Autre", "org-admin", Some(GRAND_EST))
        .await;
    let res = app
        .request(
            axum::http::Method::POST,
            &format!("/formations/cycles/{cycle}"),
            Some(&app.session(other).await),
            Some(form(&[("title", "Volé"), ("description", "")])),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let _ = school;
}

async fn set_approval(app: &TestApp, session: Uuid, approval: &str) {
    let mut tx = app.ctx.db.begin().await.unwrap();
    tx.ex()
        .execute(
            maillage_db::query("UPDATE training_sessions SET approval = $2 WHERE id = $1")
                .bind(session)
                .bind(approval),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// With approval by the school: requests hold no seat until approved, then
/// take a seat or the waitlist in the order of approval; a refusal carries
/// its note; mails go both ways. With approval by the line manager: only
/// the manager decides (the school when none is known).
#[tokio::test]
async fn approval_by_the_school_and_by_the_line_manager() {
    let app = TestApp::new().await;
    let (_, id, admin) = session(&app, 1).await;
    set_approval(&app, id, "ecole").await;
    let a = app.person("a@ales.fr", "Alice Premier", "member", Some(ALES)).await;
    let b = app.person("b@ales.fr", "Bruno Second", "member", Some(ALES)).await;
    let c = app.person("c@ales.fr", "Chloé Troisième", "member", Some(ALES)).await;
    let (aa, ba, ca) = (app.actor(a).await, app.actor(b).await, app.actor(c).await);
    let mut abr = app.session(a).await;
    let res = app.submit(&format!("/sessions/{id}/inscription"), &mut abr, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.location().contains("demande-envoyee"));
    assert!(
        app.get(&format!("/sessions/{id}"), Some(&abr))
            .await
            .text()
            .contains("en attente de validation")
    );
    assert_eq!(enrolment::enrol(&app.ctx, &ba, id).await.unwrap(), Standing::Pending);
    assert_eq!(enrolment::enrol(&app.ctx, &ca, id).await.unwrap(), Standing::Pending);
    let again = enrolment::enrol(&app.ctx, &aa, id).await;
    assert!(
        matches!(again, Err(maillage_core::CoreError::Conflict(_))),
        "deux fois : {again:?}"
    );
    let s = enrolment::get(&app.ctx, &aa, id).await.unwrap();
    assert_eq!((s.enrolled, s.waiting), (0, 0), "aucune place prise");
    assert!(
        app.mails()
            .await
            .iter()
            .any(|m| m.contains("ecole@ales.fr") && m.contains("Demande d'inscription") && m.contains("Alice Premier")),
        "l'école est prévenue"
    );

    // Someone else may not decide (404), nor see the requests.
    let pending = maillage_core::enrolment::approval::pending(&app.ctx, &app.actor(admin).await)
        .await
        .unwrap();
    assert_eq!(pending.len(), 3);
    assert!(
        maillage_core::enrolment::approval::pending(&app.ctx, &ba)
            .await
            .unwrap()
            .is_empty()
    );
    let (ra, rb, rc) = (
        pending.iter().find(|r| r.email == "a@ales.fr").unwrap().id,
        pending.iter().find(|r| r.email == "b@ales.fr").unwrap().id,
        pending.iter().find(|r| r.email == "c@ales.fr").unwrap().id,
    );
    let mut bb = app.session(b).await;
    let res = app
        .submit(&format!("/mes-validations/{ra}"), &mut bb, &[("decision", "accepter")])
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let mut adm = app.session(admin).await;
    let page = app.get("/mes-validations", Some(&adm)).await.text();
    assert!(
        page.contains("Alice Premier") && page.contains("Chloé Troisième"),
        "{page}"
    );

    // B approved first takes the seat; then A goes to the waitlist.
    let res = app
        .submit(&format!("/mes-validations/{rb}"), &mut adm, &[("decision", "accepter")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        enrolment::standing(&app.ctx, &ba, id).await.unwrap(),
        Some(Standing::Enrolled)
    );
    let res = app
        .submit(&format!("/mes-validations/{ra}"), &mut adm, &[("decision", "accepter")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        enrolment::standing(&app.ctx, &aa, id).await.unwrap(),
        Some(Standing::Waiting(1))
    );
    let res = app
        .submit(
            &format!("/mes-validations/{rc}"),
            &mut adm,
            &[
                ("decision", "refuser"),
                ("note", "Session réservée aux nouveaux managers."),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        enrolment::standing(&app.ctx, &ca, id).await.unwrap(),
        Some(Standing::Refused)
    );
    // Deciding twice: a plain 409.
    let res = app
        .submit(&format!("/mes-validations/{rc}"), &mut adm, &[("decision", "accepter")])
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let mails = app.mails().await;
    assert!(
        mails
            .iter()
            .any(|m| m.contains("b@ales.fr") && m.contains("est acceptée : vous êtes inscrit"))
    );
    assert!(
        mails
            .iter()
            .any(|m| m.contains("c@ales.fr") && m.contains("Session réservée aux nouveaux managers."))
    );

    // The line manager decides for their team; the school does not.
    set_approval(&app, id, "responsable").await;
    let boss = app.person("chef@ales.fr", "Hélène Cheffe", "member", Some(ALES)).await;
    let d = app.person("d@ales.fr", "Denis Quatre", "member", Some(ALES)).await;
    {
        let (boss_profile, d_profile) = (app.profile_of(boss).await, app.profile_of(d).await);
        let mut tx = app.ctx.db.begin().await.unwrap();
        tx.ex()
            .execute(
                maillage_db::query("UPDATE profiles SET manager_id = $2 WHERE id = $1")
                    .bind(d_profile)
                    .bind(boss_profile),
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    let da = app.actor(d).await;
    assert_eq!(enrolment::enrol(&app.ctx, &da, id).await.unwrap(), Standing::Pending);
    assert!(
        app.mails()
            .await
            .iter()
            .any(|m| m.contains("chef@ales.fr") && m.contains("Denis Quatre"))
    );
    let boss_list = maillage_core::enrolment::approval::pending(&app.ctx, &app.actor(boss).await)
        .await
        .unwrap();
    assert_eq!(boss_list.len(), 1);
    assert!(boss_list[0].as_manager);
    let school_list = maillage_core::enrolment::approval::pending(&app.ctx, &app.actor(admin).await)
        .await
        .unwrap();
    assert!(
        school_list.is_empty(),
        "le responsable est connu : l'école ne décide pas"
    );
    let by_school =
        maillage_core::enrolment::approval::decide(&app.ctx, &app.actor(admin).await, boss_list[0].id, true, "").await;
    assert!(
        matches!(by_school, Err(maillage_core::CoreError::NotFound)),
        "{by_school:?}"
    );
    let standing = maillage_core::enrolment::approval::decide(
        &app.ctx,
        &app.actor(boss).await,
        boss_list[0].id,
        true,
        "Bonne idée",
    )
    .await
    .unwrap();
    assert_eq!(
        standing,
        Standing::Waiting(2),
        "la liste d'attente, dans l'ordre des validations"
    );
    // Without a known manager, the school decides.
    let e = app.person("e@ales.fr", "Emma Cinq", "member", Some(ALES)).await;
    assert_eq!(
        enrolment::enrol(&app.ctx, &app.actor(e).await, id).await.unwrap(),
        Standing::Pending
    );
    let school_list = maillage_core::enrolment::approval::pending(&app.ctx, &app.actor(admin).await)
        .await
        .unwrap();
    assert_eq!(school_list.len(), 1);
    assert!(!school_list[0].as_manager);
}

/// The school enrols people of its organisations (capacity, waitlist, never
/// twice), cancels someone (the waitlist moves up), raises the capacity (the
/// waitlist is served, each told by email), cannot go below the number
/// enrolled, and cancels the whole session (everyone told).
#[tokio::test]
async fn the_school_enrols_cancels_and_resizes() {
    let app = TestApp::new().await;
    let (module, id, admin) = session(&app, 2).await;
    let mut adm = app.session(admin).await;
    let mut people = Vec::new();
    for (i, name) in ["Alice Un", "Bruno Deux", "Chloé Trois", "Denis Quatre"]
        .iter()
        .enumerate()
    {
        people.push(app.person(&format!("p{i}@ales.fr"), name, "member", Some(ALES)).await);
    }
    let outsider = app
        .person("x@grandest.fr", "Xavier Autre", "member", Some(GRAND_EST))
        .await;
    let res = app
        .submit(
            &format!("/sessions/{id}/inscrire"),
            &mut adm,
            &[("email", "P0@ales.fr")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(
        app.mails()
            .await
            .iter()
            .any(|m| m.contains("p0@ales.fr") && m.contains("vous a inscrit"))
    );
    let twice = app
        .submit(
            &format!("/sessions/{id}/inscrire"),
            &mut adm,
            &[("person", &people[0].to_string())],
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.text().contains("Alice Un est déjà inscrit"), "{}", twice.body);
    for (who, message) in [
        (
            "x@grandest.fr",
            "Aucun compte de ce nom dans les organisations de l'école",
        ),
        ("pas une adresse", "adresse électronique valide"),
    ] {
        let res = app
            .submit(&format!("/sessions/{id}/inscrire"), &mut adm, &[("email", who)])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{who}");
        assert!(res.text().contains(message), "{who}: {}", res.body);
        assert!(res.text().contains("id=\"person-error\""));
    }
    let _ = outsider;
    for p in &people[1..] {
        let res = app
            .submit(
                &format!("/sessions/{id}/inscrire"),
                &mut adm,
                &[("person", &p.to_string())],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
    }
    let standing = async |i: usize| {
        enrolment::standing(&app.ctx, &app.actor(people[i]).await, id)
            .await
            .unwrap()
    };
    assert_eq!(standing(1).await, Some(Standing::Enrolled));
    assert_eq!(standing(2).await, Some(Standing::Waiting(1)));
    assert_eq!(standing(3).await, Some(Standing::Waiting(2)));

    // Capacity: below the number enrolled refused, 0 refused.
    let start = day(30);
    let end = day(31);
    let edit = |capacity: &'static str| {
        vec![
            ("starts_on", start.clone()),
            ("ends_on", end.clone()),
            ("place", "Salle du conseil, 2 rue Michelet, Alès".to_owned()),
            ("capacity", capacity.to_owned()),
        ]
    };
    for (capacity, message) in [("1", "ne peut pas être inférieur à 2"), ("0", "entre 1 et 10 000")] {
        let f = edit(capacity);
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = app.submit(&format!("/sessions/{id}/modifier"), &mut adm, &pairs).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{capacity}");
        assert!(res.text().contains(message), "{capacity}: {}", res.body);
    }
    assert_eq!(
        enrolment::get(&app.ctx, &app.actor(admin).await, id)
            .await
            .unwrap()
            .capacity,
        2
    );
    // Raised to 3: Chloé, first waiting, is promoted and told.
    let f = edit("3");
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = app.submit(&format!("/sessions/{id}/modifier"), &mut adm, &pairs).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(standing(2).await, Some(Standing::Enrolled));
    assert_eq!(standing(3).await, Some(Standing::Waiting(1)));
    assert!(
        app.mails()
            .await
            .iter()
            .any(|m| m.contains("p2@ales.fr") && m.contains("Une place s'est libérée"))
    );
    // The school cancels Alice (after the deadline too): Denis moves up.
    let res = app
        .submit(
            &format!("/sessions/{id}/participants/{}/annuler", people[0]),
            &mut adm,
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(standing(0).await, Some(Standing::Cancelled));
    assert_eq!(standing(3).await, Some(Standing::Enrolled));
    // A member may not cancel someone else: 403.
    let mut mb = app.session(people[1]).await;
    let res = app
        .submit(
            &format!("/sessions/{id}/participants/{}/annuler", people[2]),
            &mut mb,
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    // The whole session cancelled: everyone active told; enrolling refused.
    let res = app
        .submit(&format!("/sessions/{id}/annuler-session"), &mut adm, &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let mails = app.mails().await;
    for i in 1..4 {
        assert!(
            mails
                .iter()
                .any(|m| m.contains(&format!("p{i}@ales.fr")) && m.contains("est annulée")),
            "p{i} prévenu"
        );
    }
    assert!(
        !mails
            .iter()
            .any(|m| m.contains("p0@ales.fr") && m.contains("est annulée")),
        "Alice s'était désinscrite"
    );
    let late = app.person("z@ales.fr", "Zoé Tard", "member", Some(ALES)).await;
    let res = enrolment::enrol(&app.ctx, &app.actor(late).await, id).await;
    assert!(matches!(res, Err(maillage_core::CoreError::Conflict(ref m)) if m.contains("annulée")));
    let page = app.get(&format!("/formations/{module}"), Some(&adm)).await;
    assert_eq!(page.status, StatusCode::OK);
}

/// Guests for one day: the school adds and removes them; the school and
/// the session's trainers see them, nobody else.
#[tokio::test]
async fn guests_of_a_day() {
    let app = TestApp::new().await;
    let (_, id, admin) = session(&app, 5).await;
    let school = school_of(&app, id, admin).await;
    let mut adm = app.session(admin).await;
    let res = app
        .submit(
            &format!("/sessions/{id}/invites"),
            &mut adm,
            &[("name", "Sophie Élue"), ("quality", "élue"), ("day", &day(45))],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("Choisissez un jour de la session"), "{}", res.body);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM session_guests").await, 0);
    let res = app
        .submit(
            &format!("/sessions/{id}/invites"),
            &mut adm,
            &[("name", ""), ("quality", ""), ("day", &day(30))],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("Saisissez le nom"));
    let res = app
        .submit(
            &format!("/sessions/{id}/invites"),
            &mut adm,
            &[("name", "Sophie Élue"), ("quality", "élue"), ("day", &day(31))],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(
        app.get(&format!("/sessions/{id}"), Some(&adm))
            .await
            .text()
            .contains("Sophie Élue (élue)")
    );
    // A member does not see them; a trainer of the session does.
    let member = app.person("m@ales.fr", "Marie Membre", "member", Some(ALES)).await;
    let page = app
        .get(&format!("/sessions/{id}"), Some(&app.session(member).await))
        .await
        .text();
    assert!(!page.contains("Sophie Élue"));
    let trainer_user = app.person("f@ales.fr", "Fanny Formatrice", "trainer", Some(ALES)).await;
    let trainer = maillage_core::trainers::create(
        &app.ctx,
        &app.actor(admin).await,
        &maillage_core::trainers::Input {
            school: school.to_string(),
            kind: "interne".into(),
            email: "f@ales.fr".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let res = app
        .submit(
            &format!("/sessions/{id}/modifier"),
            &mut adm,
            &[
                ("starts_on", &day(30)),
                ("ends_on", &day(31)),
                ("place", "Salle du conseil, 2 rue Michelet, Alès"),
                ("capacity", "5"),
                ("trainers", &trainer.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = app
        .get(&format!("/sessions/{id}"), Some(&app.session(trainer_user).await))
        .await
        .text();
    assert!(
        page.contains("Sophie Élue") && page.contains("Fanny Formatrice"),
        "{page}"
    );
    let guests = maillage_core::enrolment::by_school::guests(&app.ctx, &app.actor(admin).await, id)
        .await
        .unwrap();
    let res = app
        .submit(
            &format!("/sessions/{id}/invites/{}/supprimer", guests[0].id),
            &mut adm,
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM session_guests").await, 0);
}
