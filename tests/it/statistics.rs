//! Yearly statistics: what is counted (trained, half-days, hours,
//! completion), per school, organisation and network, who may see which
//! scope, and the page, charts and CSV agree (both databases).

use axum::http::StatusCode;
use maillage_core::{
    attendance, catalogue, enrolment,
    statistics::{self, Scope},
};
use uuid::Uuid;

use crate::harness::{ALES, GRAND_EST, TestApp};

struct Setup {
    admin: Uuid,
    ge_admin: Uuid,
    member: Uuid,
    school: Uuid,
    year: i32,
}

/// Alès's school runs a two-day session (four half-days of 3.5 h each);
/// three Alès people and one of Grand Est are enrolled. Attendance: the
/// first Alès person comes to all four half-days (module complete), the
/// second to two, the third to none; the Grand Est person to one.
async fn setup(app: &TestApp) -> Setup {
    let admin = app
        .person("ecole@ales.fr", "Claude Responsable", "org-admin", Some(ALES))
        .await;
    let ge_admin = app
        .person("admin@grandest.fr", "Dominique Admin", "org-admin", Some(GRAND_EST))
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
            format: "seminaire".into(),
            stage: "tous".into(),
            duration_value: "2".into(),
            duration_unit: "jours".into(),
            shared: true,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // A Monday and a Tuesday, three weeks ahead (four weekday half-days).
    let mut start = maillage_db::now().date() + time::Duration::days(21);
    while start.weekday() != time::Weekday::Monday {
        start = start.next_day().unwrap();
    }
    let session = enrolment::create(
        &app.ctx,
        &actor,
        module,
        &enrolment::Input {
            school: school.to_string(),
            starts_on: start.to_string(),
            ends_on: (start + time::Duration::days(1)).to_string(),
            place: "Salle du conseil, Alès".into(),
            capacity: "20".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let mut people = Vec::new();
    for (i, siren) in [ALES, ALES, ALES, GRAND_EST].iter().enumerate() {
        let u = app
            .person(
                &format!("p{i}@ville.fr"),
                &format!("Personne {i}"),
                "member",
                Some(siren),
            )
            .await;
        enrolment::enrol(&app.ctx, &app.actor(u).await, session).await.unwrap();
        people.push(u);
    }
    let (_, slots) = attendance::slots(&app.ctx, &actor, session).await.unwrap();
    assert_eq!(slots.len(), 4, "two weekdays, two half-days each");
    let present = |who: &[usize], slot: usize| -> Vec<(String, String)> {
        people
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let status = if who.contains(&i) && slot < [4, 2, 0, 1][i] {
                    "present"
                } else {
                    "absent"
                };
                (u.to_string(), status.to_owned())
            })
            .collect()
    };
    for (k, slot) in slots.iter().enumerate() {
        attendance::record(&app.ctx, &actor, session, slot.id, &present(&[0, 1, 2, 3], k))
            .await
            .unwrap_or_else(|e| panic!("émargement {k} : {e:?}"));
    }
    Setup {
        admin,
        ge_admin,
        member: people[0],
        school,
        year: start.year(),
    }
}

#[tokio::test]
async fn figures_per_school_organisation_and_network() {
    let app = TestApp::new().await;
    let s = setup(&app).await;
    let coordinator = app.person("anim@reseau.fr", "Anim", "coordinator", None).await;

    // The school: everyone who came to its sessions.
    let admin = app.actor(s.admin).await;
    let (scope, scopes) = statistics::scope(&app.ctx, &admin, &format!("ecole-{}", s.school))
        .await
        .unwrap();
    assert!(matches!(scope, Scope::School(_)));
    assert!(scopes.iter().any(|x| matches!(x, Scope::Network)));
    let r = statistics::report(&app.ctx, &admin, scope, s.year).await.unwrap();
    assert_eq!(r.trained, 3, "present at least once: persons 0, 1 and 3");
    assert_eq!(r.trained_managers, 2, "of whom Alès people");
    assert_eq!(r.half_days, 4 + 2 + 1);
    assert!(
        (r.hours - 7.0 * 3.5).abs() < 1e-9,
        "hours from the half-days' times: {}",
        r.hours
    );
    assert_eq!(r.sessions, 1);
    assert_eq!((r.completed, r.finished), (0, 0), "the session has not ended yet");
    assert_eq!(r.by_format.len(), 1);
    assert_eq!(r.by_format[0].label, "Séminaire");
    assert_eq!(r.by_format[0].people, 3);
    assert_eq!(r.by_month.len(), 12);
    assert_eq!(r.by_month.iter().map(|l| l.half_days).sum::<i64>(), 7);
    // The managers of Alès: the admin and three people.
    assert_eq!(r.managers, 4);
    assert_eq!(r.trained_share(), Some(50));

    // Grand Est's administrator: their organisation and the network, not
    // Alès's school.
    let ge = app.actor(s.ge_admin).await;
    let (scope, scopes) = statistics::scope(&app.ctx, &ge, &format!("organisation-{GRAND_EST}"))
        .await
        .unwrap();
    assert!(!scopes.iter().any(|x| matches!(x, Scope::School(_))));
    let r = statistics::report(&app.ctx, &ge, scope, s.year).await.unwrap();
    assert_eq!((r.trained, r.half_days, r.managers), (1, 1, 2));
    let denied = statistics::scope(&app.ctx, &ge, &format!("ecole-{}", s.school)).await;
    assert!(matches!(denied, Err(maillage_core::CoreError::Forbidden)));

    // The network, for the coordinator.
    let c = app.actor(coordinator).await;
    let (scope, _) = statistics::scope(&app.ctx, &c, "reseau").await.unwrap();
    let r = statistics::report(&app.ctx, &c, scope, s.year).await.unwrap();
    assert_eq!((r.trained, r.half_days), (3, 7));

    // A member has no statistics at all.
    let m = app.actor(s.member).await;
    assert!(matches!(
        statistics::scope(&app.ctx, &m, "").await,
        Err(maillage_core::CoreError::Forbidden)
    ));
}

#[tokio::test]
async fn the_page_the_chart_and_the_csv_say_the_same() {
    let app = TestApp::new().await;
    let s = setup(&app).await;
    let mut b = app.session(s.admin).await;
    let url = format!("/ecole/statistiques?annee={}&portee=ecole-{}", s.year, s.school);
    let res = app.visit(&url, &mut b).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let html = res.text();
    assert!(html.contains("<svg class=\"chart\" role=\"img\""), "a chart");
    assert!(html.contains("<title id=\"par-format-title\">"), "named chart");
    assert!(html.contains("<caption id=\"formats-caption\">"), "and its table");
    assert!(
        html.contains("<th scope=\"row\">Séminaire</th><td>3</td><td>7</td><td>24,5</td>"),
        "{html}"
    );
    assert!(html.contains("24,5 h"), "the value written next to the bar");

    let res = app
        .visit(
            &format!("/ecole/statistiques.csv?annee={}&portee=ecole-{}", s.year, s.school),
            &mut b,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.content_type().starts_with("text/csv"));
    let csv = res.text();
    assert!(csv.contains("Personnes formées;;3"), "{csv}");
    assert!(csv.contains("Heures de formation suivies;;\"24,5\""), "{csv}");
    assert!(csv.contains("Personnes formées par format;Séminaire;3"), "{csv}");

    // A year without sessions is offered only as far as sessions go.
    let res = app
        .visit(
            &format!("/ecole/statistiques?annee=1990&portee=ecole-{}", s.school),
            &mut b,
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);

    // A member: 403 on both; anonymous: to the login page.
    let mut m = app.session(s.member).await;
    assert_eq!(
        app.visit("/ecole/statistiques", &mut m).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.visit("/ecole/statistiques.csv", &mut m).await.status,
        StatusCode::FORBIDDEN
    );
    let anon = app.get("/ecole/statistiques", None).await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
}

/// The demo reproduces the documents' figures: Alès's school, 230 managers
/// and more than 150 trained in the year (seed 003); the Pôle territorial's
/// cycle, 40 managers of five communautés de communes over five days, each
/// in another place, plus an optional sixth day (seed 002).
#[tokio::test]
async fn the_demo_has_the_documents_figures() {
    let app = TestApp::with_demo().await;
    let coordinator = app.user_id("animation@demo.example").await;
    let c = app.actor(coordinator).await;
    let (_, scopes) = statistics::scope(&app.ctx, &c, "").await.unwrap();
    let ales = scopes
        .iter()
        .find(|s| matches!(s, Scope::School(x) if x.name == "École des cadres d'Alès Agglomération"))
        .expect("Alès's school")
        .clone();
    let year = maillage_db::now().year();
    let r = statistics::report(&app.ctx, &c, ales, year).await.unwrap();
    // In the first weeks of a year the demo's sessions are in the previous one.
    let r = if r.trained == 0 {
        let Scope::School(_) = &r.scope else { unreachable!() };
        statistics::report(&app.ctx, &c, r.scope.clone(), year - 1)
            .await
            .unwrap()
    } else {
        r
    };
    assert_eq!(r.managers, 230, "seed 003: 230 managers");
    assert!(r.trained >= 150, "seed 003: 150+ trained, got {}", r.trained);
    assert!(r.trained_managers <= r.managers);
    assert!(r.by_format.len() >= 6, "every kind of training: {:?}", r.by_format);
    assert!(r.completed > 0 && r.completed <= r.finished);
    assert!(r.satisfaction.is_some(), "« à chaud » answers");

    let pole = scopes
        .iter()
        .find(|s| matches!(s, Scope::School(x) if x.name.contains("Albigeois")))
        .expect("the Pôle territorial's school")
        .clone();
    let Scope::School(school) = &pole else { unreachable!() };
    let mut conn = app.ctx.db.conn().await.unwrap();
    let cycles = maillage_db::cycles::of_school(conn.ex(), school.id).await.unwrap();
    assert_eq!(cycles.len(), 1);
    let days = maillage_db::training_sessions::of_cycle(conn.ex(), cycles[0].id)
        .await
        .unwrap();
    assert_eq!(days.len(), 6, "five days and a sixth");
    let mut places: Vec<&str> = days.iter().filter(|d| !d.optional).map(|d| d.place.as_str()).collect();
    places.sort_unstable();
    places.dedup();
    assert_eq!(places.len(), 5, "each day in another place");
    for d in days.iter().filter(|d| !d.optional) {
        assert_eq!(
            maillage_db::training_sessions::count_enrolled(conn.ex(), d.id)
                .await
                .unwrap(),
            40,
            "seed 002: the 40 managers"
        );
    }
    assert!(days.iter().any(|d| d.optional), "the sixth day is for volunteers");
}
