//! Calendars and reminders: a session's `.ics` (RFC 5545: CRLF, folding,
//! escaping, the Paris time zone; the online link only for those in the
//! session), the personal feed (exactly its owner's sessions; a new link
//! kills the old one; unknown links are 404), and the reminder mailed once
//! two days before a session.

use axum::http::StatusCode;
use maillage_core::{agenda, catalogue, enrolment};
use time::{Date, Duration};
use uuid::Uuid;

use crate::harness::{ALES, GRAND_EST, Res, TestApp};

const TITLE: &str = "Manager; coopérer, décider";
const VISIO: &str = "https://visio.example.fr/salle-ales-2026";

struct School {
    admin: Uuid,
    school: Uuid,
}

async fn school(app: &TestApp, email: &str, siren: &str, name: &str) -> School {
    let admin = app.person(email, "Claude Responsable", "org-admin", Some(siren)).await;
    let actor = app.actor(admin).await;
    let org = maillage_core::organisations::get(&app.ctx, siren).await.unwrap();
    let school = maillage_core::schools::create(&app.ctx, &actor, org.id, name, "")
        .await
        .unwrap();
    School { admin, school }
}

async fn module(app: &TestApp, s: &School, title: &str, shared: bool) -> Uuid {
    catalogue::create(
        &app.ctx,
        &app.actor(s.admin).await,
        s.school,
        &catalogue::Input {
            title: title.into(),
            format: "formation".into(),
            stage: "nouveaux".into(),
            duration_value: "1".into(),
            duration_unit: "jours".into(),
            shared,
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

/// A session of `module` starting in `days` days (one day, or two).
async fn session(app: &TestApp, s: &School, module: Uuid, days: i64, two_days: bool, capacity: i64) -> Uuid {
    let start = maillage_db::now().date() + Duration::days(days);
    let end = if two_days { start + Duration::days(1) } else { start };
    enrolment::create(
        &app.ctx,
        &app.actor(s.admin).await,
        module,
        &enrolment::Input {
            school: s.school.to_string(),
            starts_on: start.to_string(),
            ends_on: end.to_string(),
            place: "Salle du conseil, 2 rue Michelet, Alès".into(),
            online_url: VISIO.into(),
            capacity: capacity.to_string(),
            // Several sessions in the same room on purpose.
            confirm: true,
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

/// Sets the half-days of a session (replacing any).
async fn slots(app: &TestApp, session: Uuid, list: &[(Date, &str, &str, &str, &str)]) -> Vec<Uuid> {
    let mut tx = app.ctx.db.begin().await.unwrap();
    tx.ex()
        .execute(maillage_db::query("DELETE FROM session_slots WHERE session_id = $1").bind(session))
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (day, half, a, b, room) in list {
        let id = Uuid::now_v7();
        tx.ex()
            .execute(
                maillage_db::query(
                    "INSERT INTO session_slots (id, session_id, day, half, starts_at, ends_at, place, room) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(id)
                .bind(session)
                .bind(*day)
                .bind(*half)
                .bind(*a)
                .bind(*b)
                .bind("")
                .bind(*room),
            )
            .await
            .unwrap();
        ids.push(id);
    }
    tx.commit().await.unwrap();
    ids
}

/// Makes `user` a trainer of `s`'s school and of `session`.
async fn trainer_of(app: &TestApp, s: &School, user: Uuid, session: Uuid) {
    let id = Uuid::now_v7();
    let now = maillage_db::now();
    let mut tx = app.ctx.db.begin().await.unwrap();
    tx.ex()
        .execute(
            maillage_db::query(
                "INSERT INTO trainers (id, school_id, user_id, name, name_sort, internal, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
            )
            .bind(id)
            .bind(s.school)
            .bind(user)
            .bind("Dominique Formatrice")
            .bind("formatrice dominique")
            .bind(true)
            .bind(now),
        )
        .await
        .unwrap();
    tx.ex()
        .execute(
            maillage_db::query("INSERT INTO session_trainers (session_id, trainer_id) VALUES ($1, $2)")
                .bind(session)
                .bind(id),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn set_cancelled(app: &TestApp, session: Uuid) {
    let mut tx = app.ctx.db.begin().await.unwrap();
    tx.ex()
        .execute(
            maillage_db::query("UPDATE training_sessions SET cancelled = $2, updated_at = $3 WHERE id = $1")
                .bind(session)
                .bind(true)
                .bind(maillage_db::now()),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// The logical lines of a calendar, after checking its physical form:
/// CRLF only, at most 75 octets a line, continuation lines start with a space.
fn lines(res: &Res) -> Vec<String> {
    let text = std::str::from_utf8(&res.bytes).expect("UTF-8");
    assert!(text.ends_with("\r\n"), "fin de ligne CRLF");
    assert!(
        !text.replace("\r\n", "").contains(['\r', '\n']),
        "fin de ligne sans CRLF"
    );
    let mut out: Vec<String> = Vec::new();
    for l in text.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(l.len() <= 75, "ligne de {} octets : {l}", l.len());
        match l.strip_prefix(' ') {
            Some(rest) => out.last_mut().unwrap().push_str(rest),
            None => out.push(l.to_owned()),
        }
    }
    out
}

fn is_calendar(res: &Res) {
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.content_type(), "text/calendar; charset=utf-8");
    let disposition = res.headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment; filename=\""), "{disposition}");
    assert!(disposition.ends_with(".ics\""), "{disposition}");
}

/// The session's file: whoever may see the session; RFC 5545 form; the
/// online link only for those enrolled and the organisers.
#[tokio::test]
async fn a_session_file_for_whoever_sees_the_session() {
    let app = TestApp::new().await;
    let ales = school(&app, "ecole@ales.fr", ALES, "École d'Alès").await;
    let shared = module(&app, &ales, TITLE, true).await;
    let private = module(&app, &ales, "Module interne", false).await;
    let id = session(&app, &ales, shared, 30, true, 10).await;
    let inside = session(&app, &ales, private, 30, false, 10).await;
    let start = maillage_db::now().date() + Duration::days(30);
    let day = |d: Date| format!("{:04}{:02}{:02}", d.year(), d.month() as u8, d.day());
    let slot_ids = slots(
        &app,
        id,
        &[
            (start, "matin", "09:00", "12:30", "Salle 2, bâtiment B"),
            (start, "apres-midi", "14:00", "17:00", ""),
            (start + Duration::days(1), "matin", "09:00", "12:00", ""),
        ],
    )
    .await;
    let member = app
        .person("membre@ales.fr", "Camille Membre", "member", Some(ALES))
        .await;
    let other = app
        .person("autre@grandest.fr", "Alex Autre", "member", Some(GRAND_EST))
        .await;
    let path = format!("/sessions/{id}/agenda.ics");

    // Not enrolled: the file, without the link.
    let res = app.get(&path, Some(&app.session(member).await)).await;
    is_calendar(&res);
    let l = lines(&res);
    for expected in [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VTIMEZONE".to_owned(),
        "TZID:Europe/Paris".to_owned(),
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU".to_owned(),
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU".to_owned(),
        format!("DTSTART;TZID=Europe/Paris:{}T090000", day(start)),
        format!("DTEND;TZID=Europe/Paris:{}T123000", day(start)),
        format!("DTSTART;TZID=Europe/Paris:{}T140000", day(start)),
        format!("DTSTART;TZID=Europe/Paris:{}T090000", day(start + Duration::days(1))),
        "SUMMARY:Manager\\; coopérer\\, décider".to_owned(),
        "LOCATION:Salle du conseil\\, 2 rue Michelet\\, Alès\\, Salle 2\\, bâtiment B".to_owned(),
        format!("URL:http://127.0.0.1:8080/sessions/{id}"),
        "STATUS:CONFIRMED".to_owned(),
        "END:VCALENDAR".to_owned(),
    ] {
        assert!(l.contains(&expected), "{expected} absent de :\n{l:#?}");
    }
    assert!(l.iter().any(|x| x.starts_with("PRODID:")));
    assert!(l.iter().any(|x| x.starts_with("DTSTAMP:") && x.ends_with('Z')));
    assert!(l.iter().any(|x| x.starts_with("SEQUENCE:")));
    assert!(l.iter().any(|x| x.starts_with("LAST-MODIFIED:") && x.ends_with('Z')));
    // One event per half-day, each with its own stable UID.
    assert_eq!(l.iter().filter(|x| *x == "BEGIN:VEVENT").count(), 3);
    for s in &slot_ids {
        assert!(l.iter().any(|x| x.starts_with("UID:") && x.contains(&s.to_string())));
    }
    let again = lines(&app.get(&path, Some(&app.session(member).await)).await);
    let uids = |l: &[String]| l.iter().filter(|x| x.starts_with("UID:")).cloned().collect::<Vec<_>>();
    assert_eq!(uids(&l), uids(&again));
    assert!(
        !res.text().contains("visio.example"),
        "lien en ligne montré à une personne non inscrite"
    );

    // Enrolled: the link is there; so for the organisers.
    enrolment::enrol(&app.ctx, &app.actor(member).await, id).await.unwrap();
    let enrolled = app.get(&path, Some(&app.session(member).await)).await;
    assert!(
        lines(&enrolled).iter().any(|x| x.contains(VISIO)),
        "lien absent pour une personne inscrite"
    );
    let admin = app.get(&path, Some(&app.session(ales.admin).await)).await;
    assert!(lines(&admin).iter().any(|x| x.contains(VISIO)));
    // Another organisation's member: the shared module's session, without the link.
    let res = app.get(&path, Some(&app.session(other).await)).await;
    is_calendar(&res);
    assert!(!res.text().contains("visio.example"));

    // Without slots: one all-day event over the session's days.
    let res = app
        .get(
            &format!("/sessions/{inside}/agenda.ics"),
            Some(&app.session(member).await),
        )
        .await;
    is_calendar(&res);
    slots(&app, inside, &[]).await;
    let l = lines(
        &app.get(
            &format!("/sessions/{inside}/agenda.ics"),
            Some(&app.session(member).await),
        )
        .await,
    );
    assert!(l.contains(&format!("DTSTART;VALUE=DATE:{}", day(start))), "{l:#?}");
    assert!(l.contains(&format!("DTEND;VALUE=DATE:{}", day(start + Duration::days(1)))));

    // A session of a module not shared: hidden from another organisation.
    let res = app
        .get(
            &format!("/sessions/{inside}/agenda.ics"),
            Some(&app.session(other).await),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = app
        .get(
            &format!("/sessions/{}/agenda.ics", Uuid::now_v7()),
            Some(&app.session(member).await),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    // Anonymous: log in first.
    let res = app.get(&path, None).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.location().starts_with("/connexion?retour="));

    // A cancelled session says so.
    set_cancelled(&app, id).await;
    let l = lines(&app.get(&path, Some(&app.session(member).await)).await);
    assert!(l.contains(&"STATUS:CANCELLED".to_owned()));
}

/// The feed link from /mon-agenda: its full address, shown once.
async fn create_feed(app: &TestApp, user: Uuid) -> String {
    let mut browser = app.session(user).await;
    let res = app.submit("/mon-agenda/lien", &mut browser, &[]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let body = res.text();
    let start = body.find("http://127.0.0.1:8080/agenda/").expect("l'adresse du lien");
    let url = &body[start..];
    let end = url.find(".ics").expect(".ics") + 4;
    url[..end].trim_start_matches("http://127.0.0.1:8080").to_owned()
}

/// The feed shows exactly its owner's sessions (enrolled, waiting, trained),
/// to anyone holding the link; a new link kills the old one.
#[tokio::test]
async fn the_feed_lists_exactly_its_owners_sessions() {
    let app = TestApp::new().await;
    let ales = school(&app, "ecole@ales.fr", ALES, "École d'Alès").await;
    let ge = school(&app, "ecole@grandest.fr", GRAND_EST, "Manag'Est").await;
    let shared = module(&app, &ales, "Coopération", true).await;
    let ge_private = module(&app, &ge, "Module de Grand Est", false).await;
    let member = app
        .person("membre@ales.fr", "Camille Membre", "member", Some(ALES))
        .await;
    let first = app
        .person("premier@ales.fr", "Sacha Premier", "member", Some(ALES))
        .await;
    let ge_member = app
        .person("agent@grandest.fr", "Alex Agent", "member", Some(GRAND_EST))
        .await;
    let me = app.actor(member).await;

    let enrolled = session(&app, &ales, shared, 20, false, 10).await;
    let waiting = session(&app, &ales, shared, 21, false, 1).await;
    let trained = session(&app, &ales, shared, 22, false, 10).await;
    let left = session(&app, &ales, shared, 23, false, 10).await;
    let unrelated = session(&app, &ales, shared, 24, false, 10).await;
    let foreign = session(&app, &ge, ge_private, 25, false, 10).await;
    for s in [enrolled, waiting, trained, left, unrelated, foreign] {
        slots(&app, s, &[]).await;
    }
    enrolment::enrol(&app.ctx, &me, enrolled).await.unwrap();
    enrolment::enrol(&app.ctx, &app.actor(first).await, waiting)
        .await
        .unwrap();
    assert!(matches!(
        enrolment::enrol(&app.ctx, &me, waiting).await.unwrap(),
        enrolment::Standing::Waiting(1)
    ));
    trainer_of(&app, &ales, member, trained).await;
    enrolment::enrol(&app.ctx, &me, left).await.unwrap();
    enrolment::cancel(&app.ctx, &me, left).await.unwrap();
    enrolment::enrol(&app.ctx, &app.actor(first).await, unrelated)
        .await
        .unwrap();
    enrolment::enrol(&app.ctx, &app.actor(ge_member).await, foreign)
        .await
        .unwrap();

    // No feed yet: the page offers to create one.
    let page = app.get("/mon-agenda", Some(&app.session(member).await)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Créer mon lien d’agenda"));
    for s in [enrolled, waiting, trained] {
        assert!(
            page.text().contains(&format!("/sessions/{s}")),
            "session {s} absente de /mon-agenda"
        );
    }
    assert!(!page.text().contains(&format!("/sessions/{left}")));

    let feed = create_feed(&app, member).await;
    // Stored hashed: the token itself is nowhere in the database.
    let token = feed.trim_start_matches("/agenda/").trim_end_matches(".ics").to_owned();
    {
        let mut c = app.ctx.db.conn().await.unwrap();
        let (stored,): (String,) = c
            .ex()
            .fetch_one(maillage_db::query("SELECT token_hash FROM calendar_feeds WHERE user_id = $1").bind(member))
            .await
            .unwrap();
        assert_eq!(stored, maillage_core::security::token_hash(&token));
    }
    // The link is shown once: not on the page afterwards.
    let page = app.get("/mon-agenda", Some(&app.session(member).await)).await;
    assert!(!page.text().contains(&token));
    assert!(page.text().contains("Vous avez un lien d’agenda"));

    // No login needed.
    let res = app.get(&feed, None).await;
    is_calendar(&res);
    let l = lines(&res);
    let has = |s: Uuid| l.iter().any(|x| x.starts_with("UID:") && x.contains(&s.to_string()));
    assert!(has(enrolled) && has(waiting) && has(trained), "{l:#?}");
    assert!(!has(left), "une inscription annulée figure dans le flux");
    assert!(!has(unrelated), "la session d'une autre personne figure dans le flux");
    assert!(
        !has(foreign),
        "une session privée d'une autre organisation figure dans le flux"
    );
    assert_eq!(l.iter().filter(|x| *x == "BEGIN:VEVENT").count(), 3);
    assert!(
        l.contains(&"SUMMARY:Coopération (liste d'attente)".to_owned()),
        "{l:#?}"
    );
    assert!(l.contains(&"SUMMARY:Coopération (intervention)".to_owned()));
    // The link: for the sessions enrolled in and trained, not the waitlisted one.
    assert_eq!(l.iter().filter(|x| x.contains(VISIO)).count(), 2);

    // A new link: the old one stops.
    let renewed = create_feed(&app, member).await;
    assert_ne!(renewed, feed);
    assert_eq!(app.get(&feed, None).await.status, StatusCode::NOT_FOUND);
    is_calendar(&app.get(&renewed, None).await);

    // Unknown or malformed links: 404.
    let unknown = format!("/agenda/{}.ics", maillage_core::security::random_token());
    for path in [
        unknown.as_str(),
        renewed.trim_end_matches(".ics"),
        &format!("{renewed}x"),
        "/agenda/.ics",
        "/agenda/%2E%2E.ics",
    ] {
        let res = app.get(path, None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
    }

    // Deleted: the link stops too.
    let mut browser = app.session(member).await;
    let res = app.submit("/mon-agenda/lien/supprimer", &mut browser, &[]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.text().contains("Créer mon lien d’agenda"));
    assert_eq!(app.get(&renewed, None).await.status, StatusCode::NOT_FOUND);
    // The feed of another person is theirs: the Grand Est member's lists only theirs.
    let ge_feed = create_feed(&app, ge_member).await;
    let l = lines(&app.get(&ge_feed, None).await);
    assert_eq!(l.iter().filter(|x| *x == "BEGIN:VEVENT").count(), 1);
    assert!(
        l.iter()
            .any(|x| x.starts_with("UID:") && x.contains(&foreign.to_string()))
    );
    // Anonymous callers cannot create one.
    let res = app.get("/mon-agenda", None).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
}

/// Reminders: once, two days before, to those enrolled; not for cancelled
/// sessions nor cancelled enrolments; `reminded_at` set with the mail.
#[tokio::test]
async fn reminders_go_once_two_days_before() {
    let app = TestApp::new().await;
    let ales = school(&app, "ecole@ales.fr", ALES, "École d'Alès").await;
    let shared = module(&app, &ales, "Prise de poste", true).await;
    let member = app
        .person("membre@ales.fr", "Camille Membre", "member", Some(ALES))
        .await;
    let quitter = app
        .person("parti@ales.fr", "Dominique Parti", "member", Some(ALES))
        .await;
    let me = app.actor(member).await;

    let soon = session(&app, &ales, shared, 2, false, 10).await;
    let later = session(&app, &ales, shared, 5, false, 10).await;
    let called_off = session(&app, &ales, shared, 1, false, 10).await;
    let today = agenda::paris_today();
    // The session's dates are UTC dates; the reminder window is Paris's.
    let soon_day = maillage_db::now().date() + Duration::days(2);
    slots(
        &app,
        soon,
        &[
            (soon_day, "matin", "09:00", "12:30", "Salle 2"),
            (soon_day, "apres-midi", "14:00", "17:00", "Salle 2"),
        ],
    )
    .await;
    for s in [soon, later, called_off] {
        enrolment::enrol(&app.ctx, &me, s).await.unwrap();
    }
    let q = app.actor(quitter).await;
    enrolment::enrol(&app.ctx, &q, soon).await.unwrap();
    enrolment::cancel(&app.ctx, &q, soon).await.unwrap();
    set_cancelled(&app, called_off).await;
    let before = app.mails().await.len();

    let sent = agenda::send_reminders(&app.ctx).await.unwrap();
    assert_eq!(sent, 1, "un seul rappel (aujourd'hui à Paris : {today})");
    let mails = app.mails().await;
    let new: Vec<&String> = mails.iter().skip(before).collect();
    assert_eq!(new.len(), 1, "{new:#?}");
    let m = new[0];
    assert!(m.contains("membre@ales.fr"), "{m}");
    assert!(m.contains("Prise de poste"));
    assert!(m.contains("de 9 h 00 à 12 h 30 et de 14 h 00 à 17 h 00"), "{m}");
    assert!(m.contains("Salle du conseil, 2 rue Michelet, Alès, Salle 2"), "{m}");
    assert!(m.contains(VISIO), "{m}");
    assert!(m.contains(&format!("/sessions/{soon}")), "{m}");
    assert!(m.contains("annulez votre inscription"), "{m}");
    assert!(!m.contains("parti@ales.fr"));

    // Marked, in the database, for that enrolment only.
    let reminded: Vec<(Uuid, bool)> = {
        let mut c = app.ctx.db.conn().await.unwrap();
        c.ex()
            .fetch_all(
                maillage_db::query(
                    "SELECT session_id, reminded_at IS NOT NULL FROM enrolments WHERE user_id = $1 ORDER BY session_id",
                )
                .bind(member),
            )
            .await
            .unwrap()
    };
    for (s, r) in reminded {
        assert_eq!(r, s == soon, "session {s}");
    }

    // Idempotent: nothing more, however often the worker runs.
    assert_eq!(agenda::send_reminders(&app.ctx).await.unwrap(), 0);
    assert_eq!(app.mails().await.len(), mails.len());
}
