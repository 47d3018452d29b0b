//! Calendars: what the `.ics` files are made of (sessions and their
//! half-days), the personal feeds (`calendar_feeds`, the token stored as its
//! SHA-256 like every other token) and the reminders sent before a session
//! (`enrolments.reminded_at`).

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{DbResult, Ex, query, query::Query};

/// A session as a calendar shows it. `status` and `trains` describe the
/// feed's owner (`None`/`false` for a single session's file).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CalendarSessionRow {
    pub id: Uuid,
    pub module_title: String,
    pub title: String,
    pub school_name: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub place: String,
    pub online_url: Option<String>,
    pub cancelled: bool,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub status: Option<String>,
    pub trains: bool,
}

const COLUMNS: &str = "t.id, m.title AS module_title, t.title, s.name AS school_name, t.starts_on, t.ends_on, \
    t.place, t.online_url, t.cancelled, t.created_at, t.updated_at";
const FROM: &str = "FROM training_sessions t JOIN modules m ON m.id = t.module_id JOIN schools s ON s.id = t.school_id";

/// One session (the caller checked the viewer may see it).
pub async fn session(ex: Ex<'_>, id: Uuid) -> DbResult<Option<CalendarSessionRow>> {
    ex.fetch_optional(
        Query::dynamic(format!(
            "SELECT {COLUMNS}, CAST(NULL AS TEXT) AS status, $2 AS trains {FROM} WHERE t.id = $1"
        ))
        .bind(id)
        .bind(false),
    )
    .await
}

/// The sessions of one person ending on or after `from`: those they are
/// enrolled in or waiting for, and those they train (a trainer linked to
/// their account). Nothing else: the feed shows only the owner's own sessions.
pub async fn of_user(ex: Ex<'_>, user_id: Uuid, from: Date) -> DbResult<Vec<CalendarSessionRow>> {
    ex.fetch_all(
        Query::dynamic(format!(
            "SELECT {COLUMNS}, \
             (SELECT e.status FROM enrolments e WHERE e.session_id = t.id AND e.user_id = $1 \
              AND e.status IN ('inscrit', 'attente')) AS status, \
             EXISTS (SELECT 1 FROM session_trainers st JOIN trainers tr ON tr.id = st.trainer_id \
              WHERE st.session_id = t.id AND tr.user_id = $1) AS trains \
             {FROM} WHERE t.ends_on >= $2 AND ( \
             t.id IN (SELECT session_id FROM enrolments WHERE user_id = $1 AND status IN ('inscrit', 'attente')) \
             OR t.id IN (SELECT st.session_id FROM session_trainers st JOIN trainers tr ON tr.id = st.trainer_id \
              WHERE tr.user_id = $1)) \
             ORDER BY t.starts_on, t.id"
        ))
        .bind(user_id)
        .bind(from),
    )
    .await
}

// ---- personal feeds ----

/// The owner of a feed, by the hash of its token.
pub async fn feed_owner(ex: Ex<'_>, token_hash: &str) -> DbResult<Option<Uuid>> {
    let row: Option<(Uuid,)> = ex
        .fetch_optional(query("SELECT user_id FROM calendar_feeds WHERE token_hash = $1").bind(token_hash))
        .await?;
    Ok(row.map(|r| r.0))
}

/// When this person's feed was created, if they have one.
pub async fn feed_created(ex: Ex<'_>, user_id: Uuid) -> DbResult<Option<OffsetDateTime>> {
    let row: Option<(OffsetDateTime,)> = ex
        .fetch_optional(query("SELECT created_at FROM calendar_feeds WHERE user_id = $1").bind(user_id))
        .await?;
    Ok(row.map(|r| r.0))
}

/// Gives this person a feed with a new token; a previous one stops working.
pub async fn replace_feed(ex: Ex<'_>, user_id: Uuid, token_hash: &str) -> DbResult<u64> {
    let mut ex = ex;
    delete_feed(ex.reborrow(), user_id).await?;
    ex.execute(
        query("INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)")
            .bind(user_id)
            .bind(token_hash)
            .bind(crate::now()),
    )
    .await
}

pub async fn delete_feed(ex: Ex<'_>, user_id: Uuid) -> DbResult<u64> {
    ex.execute(query("DELETE FROM calendar_feeds WHERE user_id = $1").bind(user_id))
        .await
}

// ---- reminders ----

/// An enrolment to remind of its session.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReminderRow {
    pub enrolment_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub session_id: Uuid,
    pub module_title: String,
    pub title: String,
    pub school_name: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub place: String,
    pub online_url: Option<String>,
    pub cancel_until: Option<Date>,
}

/// Enrolled people not yet reminded of a session (not cancelled) starting
/// between `from` and `to` included.
pub async fn due_reminders(ex: Ex<'_>, from: Date, to: Date) -> DbResult<Vec<ReminderRow>> {
    ex.fetch_all(
        query(
            "SELECT e.id AS enrolment_id, u.email, u.display_name, t.id AS session_id, m.title AS module_title, \
             t.title, s.name AS school_name, t.starts_on, t.ends_on, t.place, t.online_url, t.cancel_until \
             FROM enrolments e JOIN users u ON u.id = e.user_id \
             JOIN training_sessions t ON t.id = e.session_id \
             JOIN modules m ON m.id = t.module_id JOIN schools s ON s.id = t.school_id \
             WHERE e.status = 'inscrit' AND e.reminded_at IS NULL AND t.cancelled = $3 \
             AND t.starts_on >= $1 AND t.starts_on <= $2 \
             ORDER BY t.starts_on, e.seq",
        )
        .bind(from)
        .bind(to)
        .bind(false),
    )
    .await
}

/// Marks an enrolment reminded; 0 if it already was (another worker), so
/// the caller sends nothing.
pub async fn mark_reminded(ex: Ex<'_>, enrolment_id: Uuid, now: OffsetDateTime) -> DbResult<u64> {
    ex.execute(
        query("UPDATE enrolments SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL AND status = 'inscrit'")
            .bind(enrolment_id)
            .bind(now),
    )
    .await
}
