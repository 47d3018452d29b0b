//! SQL for attendance: the half-days of a session (`session_slots`), who was
//! there at each (`attendance`), and the modules completed through a session
//! (`completions`).

use time::{Date, Weekday};
use uuid::Uuid;

use crate::{DbResult, Ex, query};

pub const MORNING: &str = "matin";
pub const AFTERNOON: &str = "apres-midi";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SlotRow {
    pub id: Uuid,
    pub session_id: Uuid,
    pub day: Date,
    /// [`MORNING`] or [`AFTERNOON`].
    pub half: String,
    /// Local time (Europe/Paris), « HH:MM ».
    pub starts_at: String,
    pub ends_at: String,
    /// Overrides the session's place for this half-day ('' = the session's).
    pub place: String,
    pub room: String,
    /// How many people have a status recorded for this half-day.
    pub recorded: i64,
}

const SLOT_COLUMNS: &str = "s.id, s.session_id, s.day, s.half, s.starts_at, s.ends_at, s.place, s.room, \
    (SELECT COUNT(*) FROM attendance a WHERE a.slot_id = s.id) AS recorded";

pub struct NewSlot<'a> {
    pub session_id: Uuid,
    pub day: Date,
    pub half: &'a str,
    pub starts_at: &'a str,
    pub ends_at: &'a str,
    pub place: &'a str,
    pub room: &'a str,
}

/// Adds a half-day. A unique violation on (session_id, day, half) means the
/// half-day exists already.
pub async fn insert_slot(ex: Ex<'_>, s: &NewSlot<'_>) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO session_slots (id, session_id, day, half, starts_at, ends_at, place, room) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(s.session_id)
        .bind(s.day)
        .bind(s.half)
        .bind(s.starts_at)
        .bind(s.ends_at)
        .bind(s.place)
        .bind(s.room),
    )
    .await?;
    Ok(id)
}

/// The days a session is held by default: every weekday between the dates;
/// a session held only on a weekend keeps its weekend days.
pub fn default_days(starts_on: Date, ends_on: Date) -> Vec<Date> {
    let mut all = Vec::new();
    let mut d = starts_on;
    while d <= ends_on && all.len() < 366 {
        all.push(d);
        match d.next_day() {
            Some(n) => d = n,
            None => break,
        }
    }
    let weekend = |d: &Date| matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
    if all.iter().all(weekend) {
        all
    } else {
        all.into_iter().filter(|d| !weekend(d)).collect()
    }
}

/// One morning (09:00–12:30) and one afternoon (13:30–17:00) for each day of
/// [`default_days`]. Called in the transaction that creates the session.
pub async fn insert_default_slots(mut ex: Ex<'_>, session_id: Uuid, starts_on: Date, ends_on: Date) -> DbResult<()> {
    for day in default_days(starts_on, ends_on) {
        for (half, starts_at, ends_at) in [(MORNING, "09:00", "12:30"), (AFTERNOON, "13:30", "17:00")] {
            insert_slot(
                ex.reborrow(),
                &NewSlot {
                    session_id,
                    day,
                    half,
                    starts_at,
                    ends_at,
                    place: "",
                    room: "",
                },
            )
            .await?;
        }
    }
    Ok(())
}

/// The half-days of a session, in order.
pub async fn slots(ex: Ex<'_>, session_id: Uuid) -> DbResult<Vec<SlotRow>> {
    ex.fetch_all(
        crate::query::Query::dynamic(format!(
            "SELECT {SLOT_COLUMNS} FROM session_slots s WHERE s.session_id = $1 ORDER BY s.day, s.starts_at, s.half"
        ))
        .bind(session_id),
    )
    .await
}

/// The half-days of several sessions at once (calendars), in time order.
pub async fn slots_of_sessions(ex: Ex<'_>, session_ids: &[Uuid]) -> DbResult<Vec<SlotRow>> {
    if session_ids.is_empty() {
        return Ok(Vec::new());
    }
    let (q, marks) = crate::query::Query::dynamic(String::new()).bind_list(session_ids);
    ex.fetch_all(q.with_sql(format!(
        "SELECT {SLOT_COLUMNS} FROM session_slots s WHERE s.session_id IN ({marks}) ORDER BY s.day, s.starts_at, s.id"
    )))
    .await
}

/// One half-day of this session.
pub async fn slot(ex: Ex<'_>, session_id: Uuid, slot_id: Uuid) -> DbResult<Option<SlotRow>> {
    ex.fetch_optional(
        crate::query::Query::dynamic(format!(
            "SELECT {SLOT_COLUMNS} FROM session_slots s WHERE s.session_id = $1 AND s.id = $2"
        ))
        .bind(session_id)
        .bind(slot_id),
    )
    .await
}

/// Removes a half-day of this session if no attendance was recorded for it
/// (returns 0 otherwise).
pub async fn delete_slot(ex: Ex<'_>, session_id: Uuid, slot_id: Uuid) -> DbResult<u64> {
    ex.execute(
        query(
            "DELETE FROM session_slots WHERE session_id = $1 AND id = $2 \
             AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.slot_id = $2)",
        )
        .bind(session_id)
        .bind(slot_id),
    )
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttendanceRow {
    pub slot_id: Uuid,
    pub user_id: Uuid,
    /// 'present', 'absent', 'excuse'.
    pub status: String,
}

/// Every status recorded for a session's half-days.
pub async fn of_session(ex: Ex<'_>, session_id: Uuid) -> DbResult<Vec<AttendanceRow>> {
    ex.fetch_all(
        query(
            "SELECT a.slot_id, a.user_id, a.status FROM attendance a \
             JOIN session_slots s ON s.id = a.slot_id WHERE s.session_id = $1",
        )
        .bind(session_id),
    )
    .await
}

/// Records (or corrects) one person's status for a half-day.
pub async fn upsert(ex: Ex<'_>, slot_id: Uuid, user_id: Uuid, status: &str, by: Option<Uuid>) -> DbResult<u64> {
    ex.execute(
        query(
            "INSERT INTO attendance (slot_id, user_id, status, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (slot_id, user_id) DO UPDATE SET status = excluded.status, \
             recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        )
        .bind(slot_id)
        .bind(user_id)
        .bind(status)
        .bind(by)
        .bind(crate::now()),
    )
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Tally {
    pub user_id: Uuid,
    /// Half-days this person was present at.
    pub present: i64,
}

/// For each person enrolled ('inscrit'), how many half-days of the session
/// they attended (0 included).
pub async fn tallies(ex: Ex<'_>, session_id: Uuid) -> DbResult<Vec<Tally>> {
    ex.fetch_all(
        query(
            "SELECT e.user_id, (SELECT COUNT(*) FROM attendance a JOIN session_slots s ON s.id = a.slot_id \
             WHERE s.session_id = e.session_id AND a.user_id = e.user_id AND a.status = 'present') AS present \
             FROM enrolments e WHERE e.session_id = $1 AND e.status = 'inscrit'",
        )
        .bind(session_id),
    )
    .await
}

pub async fn count_slots(ex: Ex<'_>, session_id: Uuid) -> DbResult<i64> {
    ex.fetch_scalar(query("SELECT COUNT(*) FROM session_slots WHERE session_id = $1").bind(session_id))
        .await
}

/// The share of half-days (percent) needed to complete the module of a session.
pub async fn completion_percent(ex: Ex<'_>, session_id: Uuid) -> DbResult<i64> {
    ex.fetch_scalar(
        query(
            "SELECT m.completion_percent FROM training_sessions t JOIN modules m ON m.id = t.module_id \
             WHERE t.id = $1",
        )
        .bind(session_id),
    )
    .await
}

/// Records that someone completed a module through a session (once).
pub async fn insert_completion(
    ex: Ex<'_>,
    user_id: Uuid,
    module_id: Uuid,
    session_id: Uuid,
    completed_on: Date,
) -> DbResult<u64> {
    ex.execute(
        query(
            "INSERT INTO completions (id, user_id, module_id, session_id, completed_on, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, session_id) DO NOTHING",
        )
        .bind(crate::new_id())
        .bind(user_id)
        .bind(module_id)
        .bind(session_id)
        .bind(completed_on)
        .bind(crate::now()),
    )
    .await
}

pub async fn delete_completion(ex: Ex<'_>, user_id: Uuid, session_id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("DELETE FROM completions WHERE user_id = $1 AND session_id = $2")
            .bind(user_id)
            .bind(session_id),
    )
    .await
}

/// Who completed the module through this session.
pub async fn completed(ex: Ex<'_>, session_id: Uuid) -> DbResult<Vec<Uuid>> {
    let rows: Vec<(Uuid,)> = ex
        .fetch_all(query("SELECT user_id FROM completions WHERE session_id = $1").bind(session_id))
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Whether this account is one of the session's trainers.
pub async fn is_trainer(ex: Ex<'_>, session_id: Uuid, user_id: Uuid) -> DbResult<bool> {
    Ok(ex
        .fetch_scalar(
            query(
                "SELECT COUNT(*) FROM session_trainers st JOIN trainers t ON t.id = st.trainer_id \
                 WHERE st.session_id = $1 AND t.user_id = $2",
            )
            .bind(session_id)
            .bind(user_id),
        )
        .await?
        > 0)
}

/// The names of the session's trainers, by name.
pub async fn trainer_names(ex: Ex<'_>, session_id: Uuid) -> DbResult<Vec<String>> {
    let rows: Vec<(String,)> = ex
        .fetch_all(
            query(
                "SELECT t.name FROM session_trainers st JOIN trainers t ON t.id = st.trainer_id \
                 WHERE st.session_id = $1 ORDER BY t.name_sort",
            )
            .bind(session_id),
        )
        .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The guests invited for one day of a session (name, quality), by name:
/// printed on that day's sign-in sheets.
pub async fn guests_of_day(ex: Ex<'_>, session_id: Uuid, day: Date) -> DbResult<Vec<(String, String)>> {
    ex.fetch_all(
        query("SELECT name, quality FROM session_guests WHERE session_id = $1 AND day = $2 ORDER BY name")
            .bind(session_id)
            .bind(day),
    )
    .await
}
