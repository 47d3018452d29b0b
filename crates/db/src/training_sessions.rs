//! Sessions of a module (dated runs) and enrolments with their waitlist.
//!
//! Never overbooked, even with simultaneous requests: every change to a
//! session's enrolments first takes the session's lock ([`lock`]) inside the
//! write transaction — SQLite's single writer (`BEGIN IMMEDIATE`) already
//! serialises them; PostgreSQL takes the session row `FOR UPDATE`. Counting
//! the seats and writing the enrolment then happen with no one else in
//! between.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{Backend, DbResult, Ex, query};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub id: Uuid,
    pub module_id: Uuid,
    pub module_title: String,
    pub module_school_id: Uuid,
    pub module_shared: bool,
    pub school_id: Uuid,
    pub school_name: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub place: String,
    pub online_url: Option<String>,
    pub capacity: i64,
    pub enrol_until: Option<Date>,
    pub cancel_until: Option<Date>,
    pub cancelled: bool,
    pub enrolled: i64,
    pub waiting: i64,
    pub created_at: OffsetDateTime,
}

const COLUMNS: &str = "t.id, t.module_id, m.title AS module_title, m.school_id AS module_school_id, \
    m.shared AS module_shared, t.school_id, s.name AS school_name, t.starts_on, t.ends_on, t.place, t.online_url, \
    t.capacity, t.enrol_until, t.cancel_until, t.cancelled, \
    (SELECT COUNT(*) FROM enrolments e WHERE e.session_id = t.id AND e.status = 'inscrit') AS enrolled, \
    (SELECT COUNT(*) FROM enrolments e WHERE e.session_id = t.id AND e.status = 'attente') AS waiting, \
    t.created_at";

const FROM: &str = "FROM training_sessions t JOIN modules m ON m.id = t.module_id JOIN schools s ON s.id = t.school_id";

pub struct NewSession<'a> {
    pub module_id: Uuid,
    pub school_id: Uuid,
    pub starts_on: Date,
    pub ends_on: Date,
    pub place: &'a str,
    pub online_url: Option<&'a str>,
    pub capacity: i64,
    pub enrol_until: Option<Date>,
    pub cancel_until: Option<Date>,
    pub created_by: Option<Uuid>,
}

pub async fn insert(ex: Ex<'_>, s: &NewSession<'_>) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO training_sessions (id, module_id, school_id, starts_on, ends_on, place, online_url, \
             capacity, enrol_until, cancel_until, cancelled, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
        )
        .bind(id)
        .bind(s.module_id)
        .bind(s.school_id)
        .bind(s.starts_on)
        .bind(s.ends_on)
        .bind(s.place)
        .bind(s.online_url)
        .bind(s.capacity)
        .bind(s.enrol_until)
        .bind(s.cancel_until)
        .bind(false)
        .bind(s.created_by)
        .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

pub async fn by_id(ex: Ex<'_>, id: Uuid) -> DbResult<Option<SessionRow>> {
    ex.fetch_optional(crate::query::Query::dynamic(format!("SELECT {COLUMNS} {FROM} WHERE t.id = $1")).bind(id))
        .await
}

/// The sessions of a module (from `from` on), by date.
pub async fn of_module(ex: Ex<'_>, module_id: Uuid, from: Date) -> DbResult<Vec<SessionRow>> {
    ex.fetch_all(
        crate::query::Query::dynamic(format!(
            "SELECT {COLUMNS} {FROM} WHERE t.module_id = $1 AND t.ends_on >= $2 ORDER BY t.starts_on, t.id"
        ))
        .bind(module_id)
        .bind(from),
    )
    .await
}

/// The session's lock, taken before counting or changing its enrolments
/// (see the module comment). Returns the capacity, or `None` if the session
/// does not exist.
pub async fn lock(ex: Ex<'_>, id: Uuid) -> DbResult<Option<i64>> {
    let sql = match ex.backend() {
        // The transaction holds SQLite's only write lock already.
        Backend::Sqlite => "SELECT capacity FROM training_sessions WHERE id = $1",
        Backend::Postgres => "SELECT capacity FROM training_sessions WHERE id = $1 FOR UPDATE",
    };
    let row: Option<(i64,)> = ex
        .fetch_optional(crate::query::Query::dynamic(sql.to_owned()).bind(id))
        .await?;
    Ok(row.map(|r| r.0))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EnrolmentRow {
    pub id: Uuid,
    pub session_id: Uuid,
    pub user_id: Uuid,
    pub status: String,
    pub seq: i64,
    pub display_name: String,
    pub email: String,
    pub created_at: OffsetDateTime,
}

const ENROLMENT_COLUMNS: &str = "e.id, e.session_id, e.user_id, e.status, e.seq, u.display_name, u.email, e.created_at";

pub async fn count_enrolled(ex: Ex<'_>, session_id: Uuid) -> DbResult<i64> {
    ex.fetch_scalar(
        query("SELECT COUNT(*) FROM enrolments WHERE session_id = $1 AND status = 'inscrit'").bind(session_id),
    )
    .await
}

pub async fn enrolment_of(ex: Ex<'_>, session_id: Uuid, user_id: Uuid) -> DbResult<Option<EnrolmentRow>> {
    ex.fetch_optional(
        crate::query::Query::dynamic(format!(
            "SELECT {ENROLMENT_COLUMNS} FROM enrolments e JOIN users u ON u.id = e.user_id \
             WHERE e.session_id = $1 AND e.user_id = $2"
        ))
        .bind(session_id)
        .bind(user_id),
    )
    .await
}

/// Everyone in a session, in arrival order.
pub async fn enrolments(ex: Ex<'_>, session_id: Uuid) -> DbResult<Vec<EnrolmentRow>> {
    ex.fetch_all(
        crate::query::Query::dynamic(format!(
            "SELECT {ENROLMENT_COLUMNS} FROM enrolments e JOIN users u ON u.id = e.user_id \
             WHERE e.session_id = $1 ORDER BY e.seq"
        ))
        .bind(session_id),
    )
    .await
}

/// The waitlist position of an enrolment waiting (1 = next).
pub async fn waiting_rank(ex: Ex<'_>, session_id: Uuid, seq: i64) -> DbResult<i64> {
    ex.fetch_scalar(
        query("SELECT COUNT(*) FROM enrolments WHERE session_id = $1 AND status = 'attente' AND seq <= $2")
            .bind(session_id)
            .bind(seq),
    )
    .await
}

/// Adds someone at the end of the session's arrival order, with `status`.
/// Call under [`lock`]. A unique violation on (session_id, user_id) means
/// the person is already there.
pub async fn insert_enrolment(
    ex: Ex<'_>,
    session_id: Uuid,
    user_id: Uuid,
    status: &str,
    by: Option<Uuid>,
) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO enrolments (id, session_id, user_id, status, seq, enrolled_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(seq), 0) + 1 FROM enrolments WHERE session_id = $2), \
             $5, $6, $6)",
        )
        .bind(id)
        .bind(session_id)
        .bind(user_id)
        .bind(status)
        .bind(by)
        .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

/// Re-enrols someone who had cancelled, at the end of the arrival order.
pub async fn reactivate(ex: Ex<'_>, id: Uuid, session_id: Uuid, status: &str) -> DbResult<u64> {
    ex.execute(
        query(
            "UPDATE enrolments SET status = $3, updated_at = $4, \
             seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM enrolments WHERE session_id = $2) WHERE id = $1",
        )
        .bind(id)
        .bind(session_id)
        .bind(status)
        .bind(crate::now()),
    )
    .await
}

pub async fn set_status(ex: Ex<'_>, id: Uuid, status: &str) -> DbResult<u64> {
    ex.execute(
        query("UPDATE enrolments SET status = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(status)
            .bind(crate::now()),
    )
    .await
}

/// The first person waiting, if any.
pub async fn first_waiting(ex: Ex<'_>, session_id: Uuid) -> DbResult<Option<EnrolmentRow>> {
    ex.fetch_optional(
        crate::query::Query::dynamic(format!(
            "SELECT {ENROLMENT_COLUMNS} FROM enrolments e JOIN users u ON u.id = e.user_id \
             WHERE e.session_id = $1 AND e.status = 'attente' ORDER BY e.seq LIMIT 1"
        ))
        .bind(session_id),
    )
    .await
}
