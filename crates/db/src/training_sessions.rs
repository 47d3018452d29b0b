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
    pub cycle_id: Option<Uuid>,
    pub cycle_title: Option<String>,
    pub optional: bool,
    pub title: String,
    pub approval: String,
}

const COLUMNS: &str = "t.id, t.module_id, m.title AS module_title, m.school_id AS module_school_id, \
    m.shared AS module_shared, t.school_id, s.name AS school_name, t.starts_on, t.ends_on, t.place, t.online_url, \
    t.capacity, t.enrol_until, t.cancel_until, t.cancelled, \
    (SELECT COUNT(*) FROM enrolments e WHERE e.session_id = t.id AND e.status = 'inscrit') AS enrolled, \
    (SELECT COUNT(*) FROM enrolments e WHERE e.session_id = t.id AND e.status = 'attente') AS waiting, \
    t.created_at, t.cycle_id, c.title AS cycle_title, t.optional, t.title, t.approval";

const FROM: &str = "FROM training_sessions t JOIN modules m ON m.id = t.module_id JOIN schools s ON s.id = t.school_id \
    LEFT JOIN cycles c ON c.id = t.cycle_id";

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
    pub cycle_id: Option<Uuid>,
    pub optional: bool,
    pub title: &'a str,
    /// 'aucune', 'ecole' or 'responsable'.
    pub approval: &'a str,
}

pub async fn insert(ex: Ex<'_>, s: &NewSession<'_>) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO training_sessions (id, module_id, school_id, starts_on, ends_on, place, online_url, \
             capacity, enrol_until, cancel_until, cancelled, created_by, created_at, updated_at, \
             cycle_id, optional, title, approval) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15, $16, $17)",
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
        .bind(crate::now())
        .bind(s.cycle_id)
        .bind(s.optional)
        .bind(s.title)
        .bind(s.approval),
    )
    .await?;
    Ok(id)
}

/// Changes what the school may change of a session (not its module nor its
/// school).
pub async fn update(ex: Ex<'_>, id: Uuid, s: &NewSession<'_>) -> DbResult<u64> {
    ex.execute(
        query(
            "UPDATE training_sessions SET starts_on = $2, ends_on = $3, place = $4, online_url = $5, capacity = $6, \
             enrol_until = $7, cancel_until = $8, cycle_id = $9, optional = $10, title = $11, approval = $12, \
             updated_at = $13 WHERE id = $1",
        )
        .bind(id)
        .bind(s.starts_on)
        .bind(s.ends_on)
        .bind(s.place)
        .bind(s.online_url)
        .bind(s.capacity)
        .bind(s.enrol_until)
        .bind(s.cancel_until)
        .bind(s.cycle_id)
        .bind(s.optional)
        .bind(s.title)
        .bind(s.approval)
        .bind(crate::now()),
    )
    .await
}

pub async fn set_cancelled(ex: Ex<'_>, id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("UPDATE training_sessions SET cancelled = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(true)
            .bind(crate::now()),
    )
    .await
}

/// An id and a name (organisers, trainers).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Named {
    pub id: Uuid,
    pub name: String,
}

/// Replaces the organisations co-organising a session.
pub async fn set_organisers(mut ex: Ex<'_>, session_id: Uuid, organisations: &[Uuid]) -> DbResult<()> {
    ex.reborrow()
        .execute(query("DELETE FROM session_organisers WHERE session_id = $1").bind(session_id))
        .await?;
    for o in organisations {
        ex.reborrow()
            .execute(
                query("INSERT INTO session_organisers (session_id, organisation_id) VALUES ($1, $2)")
                    .bind(session_id)
                    .bind(*o),
            )
            .await?;
    }
    Ok(())
}

pub async fn organisers_of(ex: Ex<'_>, session_id: Uuid) -> DbResult<Vec<Named>> {
    ex.fetch_all(
        query(
            "SELECT o.id, o.name FROM session_organisers so JOIN organisations o ON o.id = so.organisation_id \
             WHERE so.session_id = $1 ORDER BY o.name",
        )
        .bind(session_id),
    )
    .await
}

/// Replaces the trainers of a session.
pub async fn set_trainers(mut ex: Ex<'_>, session_id: Uuid, trainers: &[Uuid]) -> DbResult<()> {
    ex.reborrow()
        .execute(query("DELETE FROM session_trainers WHERE session_id = $1").bind(session_id))
        .await?;
    for t in trainers {
        ex.reborrow()
            .execute(
                query("INSERT INTO session_trainers (session_id, trainer_id) VALUES ($1, $2)")
                    .bind(session_id)
                    .bind(*t),
            )
            .await?;
    }
    Ok(())
}

pub async fn trainers_of(ex: Ex<'_>, session_id: Uuid) -> DbResult<Vec<Named>> {
    ex.fetch_all(
        query(
            "SELECT tr.id, tr.name FROM session_trainers st JOIN trainers tr ON tr.id = st.trainer_id \
             WHERE st.session_id = $1 ORDER BY tr.name_sort",
        )
        .bind(session_id),
    )
    .await
}

/// Whether this user is a trainer of the session (through a trainer linked
/// to their account).
pub async fn is_trainer(ex: Ex<'_>, session_id: Uuid, user_id: Uuid) -> DbResult<bool> {
    Ok(ex
        .fetch_scalar(
            query(
                "SELECT COUNT(*) FROM session_trainers st JOIN trainers tr ON tr.id = st.trainer_id \
                 WHERE st.session_id = $1 AND tr.user_id = $2",
            )
            .bind(session_id)
            .bind(user_id),
        )
        .await?
        > 0)
}

/// Another session (not cancelled) overlapping the dates, with what it
/// shares: a trainer's name or the place.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Clash {
    pub what: String,
    pub session_id: Uuid,
    pub module_title: String,
    pub starts_on: Date,
}

/// Sessions overlapping [starts_on, ends_on] where one of `trainers` is
/// booked (`except`: the session being edited).
pub async fn trainer_clashes(
    ex: Ex<'_>,
    trainers: &[Uuid],
    starts_on: Date,
    ends_on: Date,
    except: Option<Uuid>,
) -> DbResult<Vec<Clash>> {
    if trainers.is_empty() {
        return Ok(Vec::new());
    }
    let q = crate::query::Query::dynamic(String::new())
        .bind(starts_on)
        .bind(ends_on)
        .bind(except.unwrap_or(Uuid::nil()))
        .bind(false);
    let (q, marks) = q.bind_list(trainers);
    let sql = format!(
        "SELECT tr.name AS what, t.id AS session_id, m.title AS module_title, t.starts_on \
         FROM session_trainers st JOIN trainers tr ON tr.id = st.trainer_id \
         JOIN training_sessions t ON t.id = st.session_id JOIN modules m ON m.id = t.module_id \
         WHERE t.starts_on <= $2 AND t.ends_on >= $1 AND t.id <> $3 AND t.cancelled = $4 \
         AND st.trainer_id IN ({marks}) ORDER BY t.starts_on, tr.name_sort"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

/// Sessions overlapping [starts_on, ends_on] at the same place (compared
/// without case).
pub async fn place_clashes(
    ex: Ex<'_>,
    place: &str,
    starts_on: Date,
    ends_on: Date,
    except: Option<Uuid>,
) -> DbResult<Vec<Clash>> {
    ex.fetch_all(
        query(
            "SELECT t.place AS what, t.id AS session_id, m.title AS module_title, t.starts_on \
             FROM training_sessions t JOIN modules m ON m.id = t.module_id \
             WHERE t.starts_on <= $2 AND t.ends_on >= $1 AND t.id <> $3 AND t.cancelled = $4 \
             AND LOWER(t.place) = LOWER($5) ORDER BY t.starts_on",
        )
        .bind(starts_on)
        .bind(ends_on)
        .bind(except.unwrap_or(Uuid::nil()))
        .bind(false)
        .bind(place),
    )
    .await
}

/// Coming sessions (ending on or after `from`), optionally of one module
/// or one school, by date.
pub async fn upcoming(
    ex: Ex<'_>,
    from: Date,
    module_id: Option<Uuid>,
    school_id: Option<Uuid>,
    limit: i64,
) -> DbResult<Vec<SessionRow>> {
    let mut q = crate::query::Query::dynamic(String::new()).bind(from).bind(false);
    let mut sql = format!("SELECT {COLUMNS} {FROM} WHERE t.ends_on >= $1 AND t.cancelled = $2");
    if let Some(m) = module_id {
        sql.push_str(&format!(" AND t.module_id = {}", q.next_placeholder()));
        q = q.bind(m);
    }
    if let Some(s) = school_id {
        sql.push_str(&format!(" AND t.school_id = {}", q.next_placeholder()));
        q = q.bind(s);
    }
    sql.push_str(&format!(" ORDER BY t.starts_on, t.id LIMIT {}", q.next_placeholder()));
    q = q.bind(limit);
    ex.fetch_all(q.with_sql(sql)).await
}

/// The sessions of a cycle, by date.
pub async fn of_cycle(ex: Ex<'_>, cycle_id: Uuid) -> DbResult<Vec<SessionRow>> {
    ex.fetch_all(
        crate::query::Query::dynamic(format!(
            "SELECT {COLUMNS} {FROM} WHERE t.cycle_id = $1 ORDER BY t.starts_on, t.id"
        ))
        .bind(cycle_id),
    )
    .await
}

/// The sessions a trainer runs, most recent first.
pub async fn of_trainer(ex: Ex<'_>, trainer_id: Uuid) -> DbResult<Vec<SessionRow>> {
    ex.fetch_all(
        crate::query::Query::dynamic(format!(
            "SELECT {COLUMNS} {FROM} WHERE t.id IN (SELECT session_id FROM session_trainers WHERE trainer_id = $1) \
             ORDER BY t.starts_on DESC, t.id"
        ))
        .bind(trainer_id),
    )
    .await
}

/// A session and where one person stands in it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MineRow {
    pub session_id: Uuid,
    pub module_id: Uuid,
    pub module_title: String,
    pub title: String,
    pub school_name: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub cancelled: bool,
    pub status: String,
}

/// Every session one person asked for, by date.
pub async fn of_user(ex: Ex<'_>, user_id: Uuid) -> DbResult<Vec<MineRow>> {
    ex.fetch_all(
        query(
            "SELECT t.id AS session_id, t.module_id, m.title AS module_title, t.title, s.name AS school_name, \
             t.starts_on, t.ends_on, t.cancelled, e.status \
             FROM enrolments e JOIN training_sessions t ON t.id = e.session_id \
             JOIN modules m ON m.id = t.module_id JOIN schools s ON s.id = t.school_id \
             WHERE e.user_id = $1 ORDER BY t.starts_on DESC, t.id",
        )
        .bind(user_id),
    )
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GuestRow {
    pub id: Uuid,
    pub day: Date,
    pub name: String,
    pub quality: String,
}

pub async fn insert_guest(ex: Ex<'_>, session_id: Uuid, day: Date, name: &str, quality: &str) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO session_guests (id, session_id, day, name, quality, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(session_id)
        .bind(day)
        .bind(name)
        .bind(quality)
        .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

pub async fn delete_guest(ex: Ex<'_>, session_id: Uuid, id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("DELETE FROM session_guests WHERE session_id = $1 AND id = $2")
            .bind(session_id)
            .bind(id),
    )
    .await
}

pub async fn guests_of(ex: Ex<'_>, session_id: Uuid) -> DbResult<Vec<GuestRow>> {
    ex.fetch_all(
        query("SELECT id, day, name, quality FROM session_guests WHERE session_id = $1 ORDER BY day, name")
            .bind(session_id),
    )
    .await
}

/// A person with an account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonRow {
    pub id: Uuid,
    pub display_name: String,
    pub email: String,
}

/// The people holding a role in one of the school's organisations: whom the
/// school may enrol.
pub async fn people_of_school(ex: Ex<'_>, school_id: Uuid) -> DbResult<Vec<PersonRow>> {
    ex.fetch_all(
        query(
            "SELECT u.id, u.display_name, u.email FROM users u WHERE u.id IN \
             (SELECT r.user_id FROM role_assignments r JOIN school_organisations so \
              ON so.organisation_id = r.organisation_id WHERE so.school_id = $1) \
             ORDER BY u.display_name, u.email",
        )
        .bind(school_id),
    )
    .await
}

/// The administrators of the school's organisations (who decide for the
/// school), with an active account: those mailed for the school.
pub async fn school_admins(ex: Ex<'_>, school_id: Uuid) -> DbResult<Vec<PersonRow>> {
    ex.fetch_all(
        query(
            "SELECT u.id, u.display_name, u.email FROM users u WHERE u.active = $3 AND u.id IN \
             (SELECT r.user_id FROM role_assignments r JOIN school_organisations so \
              ON so.organisation_id = r.organisation_id WHERE so.school_id = $1 AND r.role = $2) \
             ORDER BY u.email",
        )
        .bind(school_id)
        .bind("org-admin")
        .bind(true),
    )
    .await
}

/// The account of a person's line manager (`profiles.manager_id`), if known.
pub async fn line_manager(ex: Ex<'_>, user_id: Uuid) -> DbResult<Option<PersonRow>> {
    ex.fetch_optional(
        query(
            "SELECT u.id, u.display_name, u.email FROM profiles p JOIN profiles mp ON mp.id = p.manager_id \
             JOIN users u ON u.id = mp.user_id WHERE p.user_id = $1",
        )
        .bind(user_id),
    )
    .await
}

/// An enrolment waiting for a decision, with its session.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PendingRow {
    pub id: Uuid,
    pub session_id: Uuid,
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub module_title: String,
    pub school_id: Uuid,
    pub school_name: String,
    pub starts_on: Date,
    pub approval: String,
    pub manager_user_id: Option<Uuid>,
    pub created_at: OffsetDateTime,
}

const PENDING: &str = "SELECT e.id, e.session_id, e.user_id, u.display_name, u.email, m.title AS module_title, \
    t.school_id, s.name AS school_name, t.starts_on, t.approval, mp.user_id AS manager_user_id, e.updated_at AS created_at \
    FROM enrolments e JOIN users u ON u.id = e.user_id JOIN training_sessions t ON t.id = e.session_id \
    JOIN modules m ON m.id = t.module_id JOIN schools s ON s.id = t.school_id \
    LEFT JOIN profiles p ON p.user_id = e.user_id LEFT JOIN profiles mp ON mp.id = p.manager_id";

/// One enrolment with what decides who approves it.
pub async fn pending_by_id(ex: Ex<'_>, id: Uuid) -> DbResult<Option<PendingRow>> {
    ex.fetch_optional(crate::query::Query::dynamic(format!("{PENDING} WHERE e.id = $1")).bind(id))
        .await
}

/// Requests waiting for `user_id`: as the line manager (approval
/// 'responsable'), or for the schools in `schools` (approval 'ecole', or
/// 'responsable' when no manager is known), oldest first.
pub async fn pending_for(ex: Ex<'_>, user_id: Uuid, schools: &[Uuid]) -> DbResult<Vec<PendingRow>> {
    let q = crate::query::Query::dynamic(String::new())
        .bind("a_valider")
        .bind(user_id)
        .bind(false);
    let school_cond = if schools.is_empty() {
        (q, "1 = 0".to_owned())
    } else {
        let (q, marks) = q.bind_list(schools);
        (
            q,
            format!("(t.school_id IN ({marks}) AND (t.approval = 'ecole' OR mp.user_id IS NULL))"),
        )
    };
    let (q, cond) = school_cond;
    let sql = format!(
        "{PENDING} WHERE e.status = $1 AND t.cancelled = $3 \
         AND ((t.approval = 'responsable' AND mp.user_id = $2) OR {cond}) ORDER BY e.updated_at, e.id"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

/// Records a decision on an enrolment waiting for approval: approved (then
/// `status` is 'inscrit' or 'attente', at the end of the arrival order — the
/// waitlist is served in the order of approval) or refused ('refuse').
pub async fn decide(ex: Ex<'_>, id: Uuid, session_id: Uuid, status: &str, by: Uuid, note: &str) -> DbResult<u64> {
    ex.execute(
        query(
            "UPDATE enrolments SET status = $3, decided_by = $4, decision_note = $5, updated_at = $6, \
             seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM enrolments WHERE session_id = $2) WHERE id = $1",
        )
        .bind(id)
        .bind(session_id)
        .bind(status)
        .bind(by)
        .bind(note)
        .bind(crate::now()),
    )
    .await
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
    pub decision_note: String,
}

const ENROLMENT_COLUMNS: &str =
    "e.id, e.session_id, e.user_id, e.status, e.seq, u.display_name, u.email, e.created_at, e.decision_note";

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
