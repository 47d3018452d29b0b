//! Calendars and reminders: a `.ics` file per session (for whoever may see
//! the session), a personal feed `/agenda/{token}.ics` of one's own sessions
//! (enrolled, waiting, or training), and the reminder mail sent two days
//! before a session.
//!
//! The feed is read by calendar applications, which cannot log in: its
//! secret token is the credential. It is stored hashed
//! ([`security::token_hash`], like every token), shown once at creation,
//! and regenerating it stops the old link.

pub mod ics;

use maillage_db::{
    attendance::{SlotRow, slots_of_sessions},
    calendar::{self as db, CalendarSessionRow},
};
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime};
use uuid::Uuid;

use crate::{
    Actor, CoreError, CoreResult, Ctx, accounts, enrolment,
    mail::{self, Mail},
    policy::{self, Action},
    security,
};
use ics::{Calendar, Event, When};

/// How far back a feed goes: clients keep what they already have.
const FEED_HISTORY: Duration = Duration::days(366);
/// Reminders go out for sessions starting within this many days (J-2).
pub const REMINDER_DAYS: i64 = 2;

// ---------------------------------------------------------------------------
// Paris time
// ---------------------------------------------------------------------------

use crate::dates::{date_fr, parse_hhmm};
pub use crate::dates::{paris, paris_today};

/// « 9 h 00 » from 'HH:MM'.
fn time_fr(hhmm: &str) -> String {
    match parse_hhmm(hhmm) {
        Some(t) => format!("{} h {:02}", t.hour(), t.minute()),
        None => hhmm.to_owned(),
    }
}

// ---------------------------------------------------------------------------
// Building events
// ---------------------------------------------------------------------------

/// What the viewer of a calendar may see of a session beyond its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// May see the session but is not in it (the session's own file).
    Viewer,
    Enrolled,
    Waiting,
    Trainer,
    /// Organises it (the school's administrators).
    Manager,
}

impl Role {
    /// The online link is for the people in the session and its organisers
    /// (the same rule as the session page).
    fn sees_link(self) -> bool {
        matches!(self, Role::Enrolled | Role::Trainer | Role::Manager)
    }
}

/// The host part of the site's address, for UIDs (`<id>@<host>`).
fn uid_host(site: &str) -> String {
    let rest = site.split_once("://").map_or(site, |(_, r)| r);
    let host = rest.split(['/', ':']).next().unwrap_or("");
    if host.is_empty() {
        "maillage".to_owned()
    } else {
        host.to_owned()
    }
}

fn summary(s: &CalendarSessionRow, role: Role) -> String {
    let mut out = String::new();
    if s.cancelled {
        out.push_str("Annulée : ");
    }
    out.push_str(&s.module_title);
    if !s.title.trim().is_empty() {
        out.push_str(" — ");
        out.push_str(s.title.trim());
    }
    match role {
        Role::Waiting => out.push_str(" (liste d'attente)"),
        Role::Trainer => out.push_str(" (intervention)"),
        _ => {}
    }
    out
}

/// The events of one session: one per half-day, or, for a session whose
/// half-days are not set, one spanning its days.
fn events(site: &str, s: &CalendarSessionRow, slots: &[&SlotRow], role: Role) -> Vec<Event> {
    let host = uid_host(site);
    let page = format!("{site}/sessions/{}", s.id);
    let link = s.online_url.as_deref().filter(|_| role.sees_link());
    let mut description = format!("Organisée par {}.", s.school_name);
    match (link, &s.online_url) {
        (Some(u), _) => description.push_str(&format!("\nEn ligne : {u}")),
        (None, Some(_)) => description.push_str("\nEn ligne : lien communiqué aux personnes inscrites."),
        _ => {}
    }
    if role == Role::Waiting {
        description.push_str("\nVous êtes sur la liste d'attente : vous serez prévenu·e si une place se libère.");
    }
    description.push_str(&format!("\nLa session : {page}"));
    let location = |place: &str, room: &str| {
        let place = if place.trim().is_empty() {
            s.place.trim()
        } else {
            place.trim()
        };
        let mut out = [place, room.trim()]
            .iter()
            .filter(|x| !x.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        if out.is_empty() {
            out = link.map_or_else(|| "En ligne".to_owned(), str::to_owned);
        }
        out
    };
    // Any change to the session moves `updated_at`: clients replace the
    // event when SEQUENCE grows.
    let sequence = (s.updated_at - s.created_at).whole_seconds().max(0);
    let event = |uid: String, start: When, end: When, place: &str, room: &str| Event {
        uid,
        start,
        end,
        summary: summary(s, role),
        location: location(place, room),
        description: description.clone(),
        url: Some(page.clone()),
        cancelled: s.cancelled,
        sequence,
        last_modified: s.updated_at,
    };
    if slots.is_empty() {
        let end = s.ends_on.next_day().unwrap_or(s.ends_on);
        return vec![event(
            format!("session-{}@{host}", s.id),
            When::Day(s.starts_on),
            When::Day(end),
            "",
            "",
        )];
    }
    slots
        .iter()
        .map(|slot| {
            let uid = format!("demi-journee-{}@{host}", slot.id);
            match (parse_hhmm(&slot.starts_at), parse_hhmm(&slot.ends_at)) {
                (Some(a), Some(b)) if a < b => event(
                    uid,
                    When::Local(PrimitiveDateTime::new(slot.day, a)),
                    When::Local(PrimitiveDateTime::new(slot.day, b)),
                    &slot.place,
                    &slot.room,
                ),
                // Times not set properly: the whole day rather than nothing.
                _ => event(
                    uid,
                    When::Day(slot.day),
                    When::Day(slot.day.next_day().unwrap_or(slot.day)),
                    &slot.place,
                    &slot.room,
                ),
            }
        })
        .collect()
}

fn calendar(name: String, events: Vec<Event>) -> String {
    Calendar {
        name,
        stamp: maillage_db::now(),
        events,
    }
    .to_ics()
}

// ---------------------------------------------------------------------------
// A session's file
// ---------------------------------------------------------------------------

/// The `.ics` of a session, for whoever may see the session; the online
/// link only for those enrolled and its organisers. Returns (file name, text).
pub async fn session_ics(ctx: &Ctx, actor: &Actor, session_id: Uuid) -> CoreResult<(String, String)> {
    let session = enrolment::get(ctx, actor, session_id).await?;
    let role = if enrolment::can_manage(ctx, actor, &session).await? {
        Role::Manager
    } else if enrolment::standing(ctx, actor, session_id).await? == Some(enrolment::Standing::Enrolled) {
        Role::Enrolled
    } else {
        Role::Viewer
    };
    let mut conn = ctx.db.conn().await?;
    let row = db::session(conn.ex(), session_id).await?.ok_or(CoreError::NotFound)?;
    let slots = slots_of_sessions(conn.ex(), &[session_id]).await?;
    drop(conn);
    let slots: Vec<&SlotRow> = slots.iter().collect();
    let site = ctx.settings.public_url();
    let text = calendar(row.module_title.clone(), events(&site, &row, &slots, role));
    Ok((format!("session-{}.ics", row.starts_on), text))
}

// ---------------------------------------------------------------------------
// The personal feed
// ---------------------------------------------------------------------------

/// The path of a feed, from its token.
pub fn feed_path(token: &str) -> String {
    format!("/agenda/{token}.ics")
}

/// When the actor's feed was created, if they have one.
pub async fn feed_created(ctx: &Ctx, actor: &Actor) -> CoreResult<Option<OffsetDateTime>> {
    policy::require(actor, &Action::UseAccount)?;
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let mut conn = ctx.db.conn().await?;
    Ok(db::feed_created(conn.ex(), me.id).await?)
}

/// Creates the actor's feed, or gives it a new token (the old link stops
/// working). Returns the token, to be shown once.
pub async fn create_feed(ctx: &Ctx, actor: &Actor) -> CoreResult<String> {
    policy::require(actor, &Action::UseAccount)?;
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let token = security::random_token();
    let mut tx = ctx.db.begin().await?;
    db::replace_feed(tx.ex(), me.id, &security::token_hash(&token)).await?;
    maillage_db::audit::record(tx.ex(), Some(me.id), "agenda.feed-create", &me.email, "").await?;
    tx.commit().await?;
    Ok(token)
}

/// Deletes the actor's feed: its link stops working.
pub async fn delete_feed(ctx: &Ctx, actor: &Actor) -> CoreResult<()> {
    policy::require(actor, &Action::UseAccount)?;
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let mut tx = ctx.db.begin().await?;
    if db::delete_feed(tx.ex(), me.id).await? > 0 {
        maillage_db::audit::record(tx.ex(), Some(me.id), "agenda.feed-delete", &me.email, "").await?;
    }
    tx.commit().await?;
    Ok(())
}

/// One of someone's sessions, for /mon-agenda.
#[derive(Debug, Clone)]
pub struct MySession {
    pub id: Uuid,
    pub summary: String,
    pub school_name: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub waiting: bool,
    pub trains: bool,
    pub cancelled: bool,
}

/// The actor's coming sessions: the same as their feed shows.
pub async fn my_sessions(ctx: &Ctx, actor: &Actor) -> CoreResult<Vec<MySession>> {
    policy::require(actor, &Action::UseAccount)?;
    let me = actor.user().ok_or(CoreError::Unauthenticated)?;
    let mut conn = ctx.db.conn().await?;
    let rows = db::of_user(conn.ex(), me.id, paris_today()).await?;
    Ok(rows
        .into_iter()
        .map(|s| {
            let role = role_in(&s);
            MySession {
                id: s.id,
                summary: summary(&s, Role::Viewer),
                school_name: s.school_name,
                starts_on: s.starts_on,
                ends_on: s.ends_on,
                waiting: role == Role::Waiting,
                trains: s.trains,
                cancelled: s.cancelled,
            }
        })
        .collect())
}

/// The feed owner's place in a session of their feed: training comes
/// first (it needs the link), then enrolment.
fn role_in(s: &CalendarSessionRow) -> Role {
    if s.trains {
        Role::Trainer
    } else if s.status.as_deref() == Some("attente") {
        Role::Waiting
    } else {
        Role::Enrolled
    }
}

/// The feed behind `/agenda/{token}.ics`, without login: the sessions of
/// the token's owner. An unknown token, or the account of someone who can
/// no longer log in, is `NotFound`.
pub async fn feed_ics(ctx: &Ctx, token: &str) -> CoreResult<String> {
    // Tokens are URL-safe base64 of 32 bytes; anything else cannot exist.
    if token.len() != 43
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(CoreError::NotFound);
    }
    let mut conn = ctx.db.conn().await?;
    let owner = db::feed_owner(conn.ex(), &security::token_hash(token))
        .await?
        .ok_or(CoreError::NotFound)?;
    if accounts::load_actor(conn.ex(), owner).await?.user().is_none() {
        return Err(CoreError::NotFound);
    }
    let sessions = db::of_user(conn.ex(), owner, paris_today() - FEED_HISTORY).await?;
    let ids: Vec<Uuid> = sessions.iter().map(|s| s.id).collect();
    let slots = slots_of_sessions(conn.ex(), &ids).await?;
    drop(conn);
    let site = ctx.settings.public_url();
    let events = sessions
        .iter()
        .flat_map(|s| {
            let mine: Vec<&SlotRow> = slots.iter().filter(|x| x.session_id == s.id).collect();
            events(&site, s, &mine, role_in(s))
        })
        .collect();
    Ok(calendar("Mes sessions de formation".to_owned(), events))
}

// ---------------------------------------------------------------------------
// Reminders
// ---------------------------------------------------------------------------

/// Mails everyone enrolled in a session (not cancelled) starting within
/// [`REMINDER_DAYS`] days (Paris date), once: `reminded_at` is set in the
/// transaction that enqueues the mail. Run periodically by the job worker;
/// returns the number of reminders queued.
pub async fn send_reminders(ctx: &Ctx) -> anyhow::Result<usize> {
    let today = paris_today();
    let due = {
        let mut conn = ctx.db.conn().await?;
        db::due_reminders(conn.ex(), today, today + Duration::days(REMINDER_DAYS)).await?
    };
    if due.is_empty() {
        return Ok(0);
    }
    let mut ids: Vec<Uuid> = due.iter().map(|r| r.session_id).collect();
    ids.sort();
    ids.dedup();
    let slots = {
        let mut conn = ctx.db.conn().await?;
        slots_of_sessions(conn.ex(), &ids).await?
    };
    let site = ctx.settings.public_url();
    let mut sent = 0;
    for r in &due {
        let mine: Vec<&SlotRow> = slots.iter().filter(|s| s.session_id == r.session_id).collect();
        let mail = reminder_mail(&site, r, &mine, today);
        let mut tx = ctx.db.begin().await?;
        // Another worker may have sent it meanwhile: then nothing to do.
        if db::mark_reminded(tx.ex(), r.enrolment_id, maillage_db::now()).await? == 1 {
            mail::enqueue(tx.ex(), &mail, Some(&format!("rappel:{}", r.enrolment_id))).await?;
            sent += 1;
        }
        tx.commit_bookkeeping().await?;
    }
    Ok(sent)
}

fn reminder_mail(site: &str, r: &db::ReminderRow, slots: &[&SlotRow], today: Date) -> Mail {
    let mut title = r.module_title.clone();
    if !r.title.trim().is_empty() {
        title = format!("{title} — {}", r.title.trim());
    }
    let when = if slots.is_empty() {
        if r.ends_on == r.starts_on {
            format!("le {}", date_fr(r.starts_on))
        } else {
            format!("du {} au {}", date_fr(r.starts_on), date_fr(r.ends_on))
        }
    } else {
        // One line per day: « le 24 novembre 2026 de 9 h 00 à 12 h 30 et de 14 h 00 à 17 h 30 ».
        let mut days: Vec<(Date, Vec<String>)> = Vec::new();
        for s in slots {
            let times = format!("de {} à {}", time_fr(&s.starts_at), time_fr(&s.ends_at));
            match days.last_mut() {
                Some((d, t)) if *d == s.day => t.push(times),
                _ => days.push((s.day, vec![times])),
            }
        }
        days.iter()
            .map(|(d, t)| format!("le {} {}", date_fr(*d), t.join(" et ")))
            .collect::<Vec<_>>()
            .join(",\n  ")
    };
    let mut places: Vec<String> = slots
        .iter()
        .map(|s| {
            let place = if s.place.trim().is_empty() {
                r.place.trim()
            } else {
                s.place.trim()
            };
            [place, s.room.trim()]
                .iter()
                .filter(|x| !x.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        })
        .filter(|p| !p.is_empty())
        .collect();
    places.dedup();
    if places.is_empty() && !r.place.trim().is_empty() {
        places.push(r.place.trim().to_owned());
    }
    let mut body = format!(
        "Bonjour {name},\n\nVous êtes inscrit·e à la session « {title} » organisée par {school}. Pour rappel :\n\n\
         Quand : {when}\n",
        name = r.display_name,
        school = r.school_name,
    );
    if !places.is_empty() {
        body.push_str(&format!("Où : {}\n", places.join(" ; ")));
    }
    if let Some(u) = &r.online_url {
        body.push_str(&format!("En ligne : {u}\n"));
    }
    let page = format!("{site}/sessions/{}", r.session_id);
    let cancel_until = r
        .cancel_until
        .unwrap_or(r.starts_on.previous_day().unwrap_or(r.starts_on));
    if today <= cancel_until {
        body.push_str(&format!(
            "\nSi vous ne pouvez plus y participer, annulez votre inscription avant le {} inclus pour libérer \
             votre place :\n\n{page}\n",
            date_fr(cancel_until)
        ));
    } else {
        body.push_str(&format!(
            "\nSi vous ne pouvez plus y participer, le délai d'annulation en ligne est passé : prévenez \
             directement {}. La page de la session :\n\n{page}\n",
            r.school_name
        ));
    }
    body.push_str(&format!("\nPour l'ajouter à votre agenda : {page}/agenda.ics\n"));
    Mail {
        to: r.email.clone(),
        subject: format!("Rappel : {title}, {}", date_fr(r.starts_on)),
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn paris_dates() {
        assert_eq!(paris(datetime!(2026-11-22 23:30 UTC)).date(), date!(2026 - 11 - 23));
        assert_eq!(paris(datetime!(2026-07-14 21:59 UTC)).date(), date!(2026 - 07 - 14));
        assert_eq!(paris(datetime!(2026-07-14 22:00 UTC)).date(), date!(2026 - 07 - 15));
    }

    #[test]
    fn hosts_for_uids() {
        assert_eq!(uid_host("https://ecoles.example.fr"), "ecoles.example.fr");
        assert_eq!(uid_host("http://127.0.0.1:8080/maillage"), "127.0.0.1");
        assert_eq!(uid_host(""), "maillage");
    }

    fn row() -> CalendarSessionRow {
        CalendarSessionRow {
            id: Uuid::nil(),
            module_title: "Manager; coopérer".into(),
            title: "Jour 1".into(),
            school_name: "École d'Alès".into(),
            starts_on: date!(2026 - 11 - 24),
            ends_on: date!(2026 - 11 - 25),
            place: "Salle du conseil".into(),
            online_url: Some("https://visio.example/abc".into()),
            cancelled: false,
            created_at: datetime!(2026-11-01 10:00 UTC),
            updated_at: datetime!(2026-11-01 10:05 UTC),
            status: Some("inscrit".into()),
            trains: false,
        }
    }

    #[test]
    fn the_link_only_for_those_in_the_session() {
        let s = row();
        let viewer = events("https://m.example", &s, &[], Role::Viewer);
        assert_eq!(viewer.len(), 1);
        assert!(!viewer[0].description.contains("visio.example"));
        assert_eq!(viewer[0].start, When::Day(date!(2026 - 11 - 24)));
        assert_eq!(viewer[0].end, When::Day(date!(2026 - 11 - 26)));
        assert_eq!(viewer[0].sequence, 300);
        assert_eq!(viewer[0].uid, format!("session-{}@m.example", Uuid::nil()));
        let waiting = events("https://m.example", &s, &[], Role::Waiting);
        assert!(!waiting[0].description.contains("visio.example"));
        assert!(waiting[0].summary.ends_with("(liste d'attente)"));
        for role in [Role::Enrolled, Role::Trainer, Role::Manager] {
            assert!(
                events("https://m.example", &s, &[], role)[0]
                    .description
                    .contains("https://visio.example/abc")
            );
        }
    }

    #[test]
    fn one_event_per_half_day() {
        let s = row();
        let slot = |half: &str, a: &str, b: &str, room: &str| SlotRow {
            id: Uuid::now_v7(),
            session_id: s.id,
            day: date!(2026 - 11 - 24),
            half: half.into(),
            starts_at: a.into(),
            ends_at: b.into(),
            place: String::new(),
            room: room.into(),
            recorded: 0,
        };
        let slots = [
            slot("matin", "09:00", "12:30", "Salle 2"),
            slot("apres-midi", "14:00", "17:00", ""),
        ];
        let refs: Vec<&SlotRow> = slots.iter().collect();
        let ev = events("https://m.example", &s, &refs, Role::Enrolled);
        assert_eq!(ev.len(), 2);
        assert_eq!(ev[0].start, When::Local(datetime!(2026-11-24 09:00)));
        assert_eq!(ev[0].end, When::Local(datetime!(2026-11-24 12:30)));
        assert_eq!(ev[0].location, "Salle du conseil, Salle 2");
        assert_eq!(ev[1].location, "Salle du conseil");
        assert_ne!(ev[0].uid, ev[1].uid);
        assert_eq!(ev[0].summary, "Manager; coopérer — Jour 1");
    }
}
