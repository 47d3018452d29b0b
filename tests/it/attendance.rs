//! Attendance and attestations: default half-days, the half-days page and
//! its French errors, attendance sheets (school and the session's trainers
//! only), completion at the module's threshold, the sign-in sheet and the
//! tagged attestation PDFs, public verification, and what other
//! organisations cannot see.

use axum::http::StatusCode;
use maillage_core::{catalogue, enrolment};
use time::{Date, Duration, Weekday};
use uuid::Uuid;

use crate::harness::{ALES, Browser, GRAND_EST, TestApp};

struct Fixture {
    session: Uuid,
    /// The school's admin (Alès).
    admin: Uuid,
    /// Enrolled members.
    ana: Uuid,
    bob: Uuid,
    /// A member who did not enrol.
    dan: Uuid,
    /// A trainer of the session (an account linked to a trainer).
    trainer: Uuid,
    /// A trainer of the school, not of this session.
    other_trainer: Uuid,
    /// The slots, in order (Monday morning … Tuesday afternoon).
    slots: Vec<Uuid>,
}

fn next_monday(from: Date) -> Date {
    let mut d = from;
    while d.weekday() != Weekday::Monday {
        d = d.next_day().unwrap();
    }
    d
}

async fn add_trainer(app: &TestApp, school: Uuid, user: Uuid, name: &str, session: Option<Uuid>) {
    let mut tx = app.ctx.db.begin().await.unwrap();
    let id = maillage_db::new_id();
    tx.ex()
        .execute(
            maillage_db::query(
                "INSERT INTO trainers (id, school_id, user_id, name, name_sort, internal, employer, email, bio, \
                 shared, created_at, updated_at) VALUES ($1, $2, $3, $4, $4, $5, '', NULL, '', $6, $7, $7)",
            )
            .bind(id)
            .bind(school)
            .bind(user)
            .bind(name)
            .bind(true)
            .bind(false)
            .bind(maillage_db::now()),
        )
        .await
        .unwrap();
    if let Some(s) = session {
        tx.ex()
            .execute(
                maillage_db::query("INSERT INTO session_trainers (session_id, trainer_id) VALUES ($1, $2)")
                    .bind(s)
                    .bind(id),
            )
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

/// A private module of Alès's school (validated at 75 %), a session on a
/// Monday and Tuesday, two people enrolled, one trainer.
async fn fixture(app: &TestApp) -> Fixture {
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
            completion_percent: "75".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let start = next_monday(maillage_db::now().date() + Duration::days(30));
    let session = enrolment::create(
        &app.ctx,
        &actor,
        module,
        &enrolment::Input {
            school: school.to_string(),
            starts_on: start.to_string(),
            ends_on: (start + Duration::days(1)).to_string(),
            place: "Salle du conseil, 2 rue Michelet, Alès".into(),
            capacity: "10".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let ana = app.person("ana@ales.fr", "Ana Martin", "member", Some(ALES)).await;
    let bob = app.person("bob@ales.fr", "Bob Durand", "member", Some(ALES)).await;
    let dan = app.person("dan@ales.fr", "Dan Absent", "member", Some(ALES)).await;
    for p in [ana, bob] {
        enrolment::enrol(&app.ctx, &app.actor(p).await, session).await.unwrap();
    }
    let trainer = app
        .person("formatrice@ales.fr", "Fanny Formatrice", "trainer", Some(ALES))
        .await;
    let other_trainer = app.person("autre@ales.fr", "Otto Autre", "trainer", Some(ALES)).await;
    add_trainer(app, school, trainer, "Fanny Formatrice", Some(session)).await;
    add_trainer(app, school, other_trainer, "Otto Autre", None).await;
    let mut conn = app.ctx.db.conn().await.unwrap();
    let slots = maillage_db::attendance::slots(conn.ex(), session)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    Fixture {
        session,
        admin,
        ana,
        bob,
        dan,
        trainer,
        other_trainer,
        slots,
    }
}

async fn count(app: &TestApp, sql: &'static str, id: Uuid) -> i64 {
    let mut conn = app.ctx.db.conn().await.unwrap();
    conn.ex().fetch_scalar(maillage_db::query(sql).bind(id)).await.unwrap()
}

async fn completions(app: &TestApp, session: Uuid) -> Vec<Uuid> {
    let mut conn = app.ctx.db.conn().await.unwrap();
    maillage_db::attendance::completed(conn.ex(), session).await.unwrap()
}

async fn save(app: &TestApp, b: &mut Browser, f: &Fixture, slot: usize, marks: &[(Uuid, &str)]) -> crate::harness::Res {
    let keys: Vec<(String, String)> = marks.iter().map(|(u, s)| (format!("p-{u}"), (*s).to_owned())).collect();
    let pairs: Vec<(&str, &str)> = keys.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.submit(
        &format!("/sessions/{}/emargement/{}", f.session, f.slots[slot]),
        b,
        &pairs,
    )
    .await
}

#[test]
fn default_days_skip_weekends_unless_only_weekend() {
    use maillage_db::attendance::default_days;
    let friday = Date::from_calendar_date(2027, time::Month::March, 5).unwrap();
    let monday = friday + Duration::days(3);
    assert_eq!(default_days(friday, monday), vec![friday, monday]);
    let saturday = friday + Duration::days(1);
    assert_eq!(
        default_days(saturday, saturday + Duration::days(1)),
        vec![saturday, saturday + Duration::days(1)]
    );
    assert_eq!(default_days(friday, friday), vec![friday]);
}

/// The module's threshold: 1 to 100, empty means 100; a French error otherwise.
#[tokio::test]
async fn the_completion_threshold_is_checked() {
    let app = TestApp::new().await;
    let f = fixture(&app).await;
    let actor = app.actor(f.admin).await;
    let school = maillage_core::enrolment::get(&app.ctx, &actor, f.session)
        .await
        .unwrap()
        .school_id;
    for bad in ["0", "101", "beaucoup"] {
        let res = catalogue::create(
            &app.ctx,
            &actor,
            school,
            &catalogue::Input {
                title: format!("Seuil {bad}"),
                format: "formation".into(),
                stage: "tous".into(),
                duration_value: "1".into(),
                duration_unit: "jours".into(),
                completion_percent: bad.into(),
                ..Default::default()
            },
        )
        .await;
        match res {
            Err(maillage_core::CoreError::Invalid(e)) => assert_eq!(
                e.get("completion_percent"),
                Some("Saisissez un pourcentage entre 1 et 100, par exemple 80.")
            ),
            other => panic!("{bad} : {other:?}"),
        }
    }
    let m = catalogue::get(&app.ctx, &actor, {
        let s = maillage_core::enrolment::get(&app.ctx, &actor, f.session)
            .await
            .unwrap();
        s.module_id
    })
    .await
    .unwrap();
    assert_eq!(m.completion_percent, 75);
}

#[tokio::test]
async fn half_days_are_created_and_adjusted_by_the_school() {
    let app = TestApp::new().await;
    let f = fixture(&app).await;
    assert_eq!(f.slots.len(), 4, "deux jours, matin et après-midi");
    let mut conn = app.ctx.db.conn().await.unwrap();
    let rows = maillage_db::attendance::slots(conn.ex(), f.session).await.unwrap();
    drop(conn);
    assert_eq!(
        (
            rows[0].half.as_str(),
            rows[0].starts_at.as_str(),
            rows[0].ends_at.as_str()
        ),
        ("matin", "09:00", "12:30")
    );
    assert_eq!(
        (
            rows[1].half.as_str(),
            rows[1].starts_at.as_str(),
            rows[1].ends_at.as_str()
        ),
        ("apres-midi", "13:30", "17:00")
    );
    let tuesday = rows[3].day;

    let mut admin = app.session(f.admin).await;
    let page = app
        .visit(&format!("/sessions/{}/demi-journees", f.session), &mut admin)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Salle du conseil"));

    // Remove Tuesday afternoon (nothing recorded), then add it back with
    // another place.
    let res = app
        .submit(
            &format!("/sessions/{}/demi-journees/{}/supprimer", f.session, f.slots[3]),
            &mut admin,
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM session_slots WHERE session_id = $1",
            f.session
        )
        .await,
        3
    );
    let path = format!("/sessions/{}/demi-journees", f.session);
    let day = tuesday.to_string();
    let res = app
        .submit(
            &path,
            &mut admin,
            &[
                ("day", &day),
                ("half", "apres-midi"),
                ("starts_at", "14:00"),
                ("ends_at", "17:30"),
                ("place", "Mairie d'Anduze"),
                ("room", "Salle 2"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = app.visit(&path, &mut admin).await;
    assert!(page.text().contains("Mairie d'Anduze"));

    // Bad input: French errors, the form keeps what was typed, nothing added.
    for (fields, message) in [
        (
            [
                ("day", day.as_str()),
                ("half", "matin"),
                ("starts_at", "12:00"),
                ("ends_at", "09:00"),
            ],
            "L'heure de fin doit suivre l'heure de début.",
        ),
        (
            [
                ("day", day.as_str()),
                ("half", "matin"),
                ("starts_at", "9h"),
                ("ends_at", "12:00"),
            ],
            "Saisissez une heure au format HH:MM",
        ),
        (
            [
                ("day", "2001-01-01"),
                ("half", "matin"),
                ("starts_at", "09:00"),
                ("ends_at", "12:00"),
            ],
            "Choisissez un jour de la session",
        ),
        (
            [
                ("day", day.as_str()),
                ("half", "matin"),
                ("starts_at", "09:00"),
                ("ends_at", "12:00"),
            ],
            "a déjà une demi-journée",
        ),
        (
            [
                ("day", day.as_str()),
                ("half", "soir"),
                ("starts_at", "09:00"),
                ("ends_at", "12:00"),
            ],
            "Choisissez le matin ou l'après-midi.",
        ),
    ] {
        let res = app.submit(&path, &mut admin, &fields).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(res.text().contains(message), "« {message} » absent");
    }
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM session_slots WHERE session_id = $1",
            f.session
        )
        .await,
        4
    );

    // Only the school: a trainer of the session may not change half-days.
    let mut trainer = app.session(f.trainer).await;
    assert_eq!(app.visit(&path, &mut trainer).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn attendance_completion_and_refusals() {
    let app = TestApp::new().await;
    let f = fixture(&app).await;
    let mut admin = app.session(f.admin).await;

    // The sheet lists the enrolled people, not the others.
    let sheet = app
        .visit(
            &format!("/sessions/{}/emargement/{}", f.session, f.slots[0]),
            &mut admin,
        )
        .await;
    assert_eq!(sheet.status, StatusCode::OK);
    assert!(sheet.text().contains("Ana Martin") && sheet.text().contains("Bob Durand"));
    assert!(!sheet.text().contains("Dan Absent"));

    // Below the threshold (1 of 4 < 75 %): no completion.
    let res = save(&app, &mut admin, &f, 0, &[(f.ana, "present"), (f.bob, "absent")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(completions(&app, f.session).await.is_empty());
    save(&app, &mut admin, &f, 1, &[(f.ana, "present"), (f.bob, "excuse")]).await;
    assert!(completions(&app, f.session).await.is_empty());
    // 3 of 4 = 75 %: Ana completes the module.
    save(&app, &mut admin, &f, 2, &[(f.ana, "present"), (f.bob, "present")]).await;
    assert_eq!(completions(&app, f.session).await, vec![f.ana]);
    // Saving again changes nothing (one completion per person and session).
    save(&app, &mut admin, &f, 2, &[(f.ana, "present"), (f.bob, "present")]).await;
    assert_eq!(completions(&app, f.session).await, vec![f.ana]);
    // Corrected to absent: below the threshold again, the completion goes.
    save(&app, &mut admin, &f, 2, &[(f.ana, "absent")]).await;
    assert!(completions(&app, f.session).await.is_empty());
    save(&app, &mut admin, &f, 3, &[(f.ana, "present")]).await;
    assert_eq!(completions(&app, f.session).await, vec![f.ana]);

    // Someone not enrolled: a French error, and nothing written (not even
    // Bob's line sent with it).
    let before = count(
        &app,
        "SELECT COUNT(*) FROM attendance a JOIN session_slots s ON s.id = a.slot_id WHERE s.session_id = $1",
        f.session,
    )
    .await;
    let res = save(&app, &mut admin, &f, 3, &[(f.bob, "present"), (f.dan, "present")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text().contains("n'est pas inscrite à cette session"),
        "{}",
        res.body
    );
    let after = count(
        &app,
        "SELECT COUNT(*) FROM attendance a JOIN session_slots s ON s.id = a.slot_id WHERE s.session_id = $1",
        f.session,
    )
    .await;
    assert_eq!(before, after);
    let res = save(&app, &mut admin, &f, 3, &[(f.bob, "ailleurs")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A half-day with attendance can no longer be removed.
    let res = app
        .submit(
            &format!("/sessions/{}/demi-journees/{}/supprimer", f.session, f.slots[0]),
            &mut admin,
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);

    // The session's trainer records; another trainer and a member may not;
    // another organisation does not see the private module's session.
    let mut trainer = app.session(f.trainer).await;
    assert_eq!(
        app.visit(&format!("/sessions/{}/emargement", f.session), &mut trainer)
            .await
            .status,
        StatusCode::OK
    );
    let res = save(&app, &mut trainer, &f, 3, &[(f.bob, "present")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let mut other = app.session(f.other_trainer).await;
    assert_eq!(
        save(&app, &mut other, &f, 3, &[(f.bob, "absent")]).await.status,
        StatusCode::FORBIDDEN
    );
    let mut ana = app.session(f.ana).await;
    assert_eq!(
        save(&app, &mut ana, &f, 3, &[(f.ana, "present")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.visit(&format!("/sessions/{}/emargement", f.session), &mut ana)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let ge = app
        .person("admin@grand-est.fr", "Gaëlle Est", "org-admin", Some(GRAND_EST))
        .await;
    let mut ge = app.session(ge).await;
    for path in [
        format!("/sessions/{}/emargement", f.session),
        format!("/sessions/{}/emargement/{}", f.session, f.slots[0]),
        format!("/sessions/{}/emargement/{}/feuille.pdf", f.session, f.slots[0]),
        format!("/sessions/{}/demi-journees", f.session),
        format!("/sessions/{}/attestations", f.session),
        format!("/sessions/{}/attestations/{}", f.session, f.ana),
        format!("/sessions/{}/attestation.pdf", f.session),
    ] {
        assert_eq!(app.visit(&path, &mut ge).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        save(&app, &mut ge, &f, 3, &[(f.bob, "absent")]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM attendance WHERE user_id = $1 AND status = 'present'",
            f.bob
        )
        .await,
        2,
        "Bob : présent aux 3e et 4e demi-journées, rien d’écrit par les refusés"
    );

    // The API: the register for the school, 403 for a member.
    let token = app.token(f.admin).await;
    let res = app
        .api(&format!("/api/v1/sessions/{}/emargement", f.session), Some(&token))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let json = res.json();
    assert_eq!(json["demi_journees"].as_array().unwrap().len(), 4);
    let people = json["personnes"].as_array().unwrap();
    let ana_line = people.iter().find(|p| p["nom"] == "Ana Martin").unwrap();
    assert_eq!(ana_line["presences"][0], "present");
    assert_eq!(ana_line["module_valide"], true);
    let member_token = app.token(f.bob).await;
    assert_eq!(
        app.api(
            &format!("/api/v1/sessions/{}/emargement", f.session),
            Some(&member_token)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn sign_in_sheet_attestations_and_verification() {
    let app = TestApp::new().await;
    let f = fixture(&app).await;
    let mut admin = app.session(f.admin).await;

    // The printable sign-in sheet, for the school and the session's trainer.
    let path = format!("/sessions/{}/emargement/{}/feuille.pdf", f.session, f.slots[0]);
    for b in [&mut admin, &mut app.session(f.trainer).await] {
        let res = app.visit(&path, b).await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.content_type(), "application/pdf");
        assert!(res.bytes.starts_with(b"%PDF"));
    }
    assert_eq!(
        app.visit(&path, &mut app.session(f.ana).await).await.status,
        StatusCode::FORBIDDEN
    );

    // No attendance yet: no attestation.
    let mut ana = app.session(f.ana).await;
    let own = format!("/sessions/{}/attestation.pdf", f.session);
    assert_eq!(app.visit(&own, &mut ana).await.status, StatusCode::CONFLICT);
    save(&app, &mut admin, &f, 0, &[(f.ana, "present"), (f.bob, "absent")]).await;

    // Ana's own attestation: a tagged PDF, issued once, then served again.
    let res = app.visit(&own, &mut ana).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.bytes.starts_with(b"%PDF"));
    assert!(contains(&res.bytes, b"/StructTreeRoot"), "PDF balisé");
    assert!(contains(&res.bytes, b"/Lang"), "langue du document");
    assert_eq!(app.visit(&own, &mut ana).await.status, StatusCode::OK);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM attestations WHERE session_id = $1",
            f.session
        )
        .await,
        1,
        "émise une seule fois"
    );
    // Bob (never present) has nothing certified yet; Dan (not enrolled)
    // has nothing to ask for.
    assert_eq!(
        app.visit(&own, &mut app.session(f.bob).await).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.visit(&own, &mut app.session(f.dan).await).await.status,
        StatusCode::FORBIDDEN
    );

    // The school lists and downloads them; a member may not.
    let list = app
        .visit(&format!("/sessions/{}/attestations", f.session), &mut admin)
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text().contains("Ana Martin") && list.text().contains("Bob Durand"));
    let res = app
        .visit(&format!("/sessions/{}/attestations/{}", f.session, f.ana), &mut admin)
        .await;
    assert!(res.bytes.starts_with(b"%PDF"));
    assert_eq!(
        app.visit(&format!("/sessions/{}/attestations", f.session), &mut ana)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.visit(&format!("/sessions/{}/attestations/{}", f.session, f.bob), &mut ana)
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // Public verification, no login: the holder, the title, the school.
    let mut conn = app.ctx.db.conn().await.unwrap();
    let code = maillage_db::attestations::of_person(conn.ex(), f.session, f.ana)
        .await
        .unwrap()
        .unwrap()
        .code;
    drop(conn);
    assert_eq!(code.len(), 12);
    let res = app.get(&format!("/attestations/{code}"), None).await;
    assert_eq!(res.status, StatusCode::OK);
    let text = res.text();
    assert!(text.contains("Ana Martin") && text.contains("Prise de poste") && text.contains("École d'Alès"));
    assert!(text.contains("1 demi-journée sur 4"), "{text}");
    assert!(!text.contains("ana@ales.fr"), "pas de courriel");
    let lower = code.to_lowercase();
    let res = app.get(&format!("/attestations/verifier?code={lower}"), None).await;
    assert_eq!(res.location(), format!("/attestations/{code}"));
    assert_eq!(app.get("/attestations/verifier", None).await.status, StatusCode::OK);
    let res = app.get("/attestations/ABCDEFGHJKMN", None).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.text().contains("Code inconnu"));

    // Revoked: still found, shown as revoked.
    let mut tx = app.ctx.db.begin().await.unwrap();
    tx.ex()
        .execute(
            maillage_db::query("UPDATE attestations SET revoked_at = $2 WHERE code = $1")
                .bind(code.as_str())
                .bind(maillage_db::now()),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(
        app.get(&format!("/attestations/{code}"), None)
            .await
            .text()
            .contains("révoquée")
    );
}
