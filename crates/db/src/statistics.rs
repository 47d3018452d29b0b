//! The facts the yearly statistics are computed from. Each query returns
//! plain rows for one period and one scope; the sums, shares and groupings
//! are made in `maillage_core::statistics`, so that the page, the CSV and the
//! tests count the same way on both backends.

use time::Date;
use uuid::Uuid;

use crate::{DbResult, Ex, query::Query};

/// Whose figures: the people of some organisations (an organisation, or all
/// the organisations of a school), or the sessions of one school, or the
/// whole network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Network,
    /// People whose profile is in one of these organisations.
    People(Vec<Uuid>),
    /// Sessions organised by this school (whoever attended).
    School(Uuid),
}

/// One half-day attended (`present`) by someone.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttendedRow {
    pub user_id: Uuid,
    pub organisation_id: Option<Uuid>,
    pub category: Option<String>,
    pub format: String,
    pub module_id: Uuid,
    pub session_id: Uuid,
    pub day: Date,
    pub starts_at: String,
    pub ends_at: String,
}

/// Binds the scope's condition: on the person (`p`) or the session (`s`).
fn scope_sql(q: Query, scope: &Scope) -> (Query, String) {
    match scope {
        Scope::Network => (q, String::new()),
        Scope::People(orgs) if orgs.is_empty() => (q, " AND 1 = 0".to_owned()),
        Scope::People(orgs) => {
            let (q, marks) = q.bind_list(orgs);
            (q, format!(" AND p.organisation_id IN ({marks})"))
        }
        Scope::School(school) => {
            let mark = q.next_placeholder();
            (q.bind(*school), format!(" AND s.school_id = {mark}"))
        }
    }
}

/// Every half-day attended between `from` and `to` (inclusive) in sessions
/// that were not cancelled.
pub async fn attended(ex: Ex<'_>, scope: &Scope, from: Date, to: Date) -> DbResult<Vec<AttendedRow>> {
    let q = Query::dynamic(String::new())
        .bind("present")
        .bind(from)
        .bind(to)
        .bind(false);
    let (q, cond) = scope_sql(q, scope);
    let sql = format!(
        "SELECT a.user_id, p.organisation_id, p.category, m.format, m.id AS module_id, s.id AS session_id, \
         sl.day, sl.starts_at, sl.ends_at \
         FROM attendance a \
         JOIN session_slots sl ON sl.id = a.slot_id \
         JOIN training_sessions s ON s.id = sl.session_id \
         JOIN modules m ON m.id = s.module_id \
         LEFT JOIN profiles p ON p.user_id = a.user_id \
         WHERE a.status = $1 AND sl.day >= $2 AND sl.day <= $3 AND s.cancelled = $4{cond} \
         ORDER BY sl.day"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

/// One person enrolled in a session that ended in the period, and whether
/// they completed its module through it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FinishedRow {
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub completed: bool,
}

/// People enrolled (`inscrit`) in the sessions that ended between `from`
/// and `to`, with whether a completion came from that session.
pub async fn finished(ex: Ex<'_>, scope: &Scope, from: Date, to: Date) -> DbResult<Vec<FinishedRow>> {
    let q = Query::dynamic(String::new())
        .bind("inscrit")
        .bind(from)
        .bind(to)
        .bind(false);
    let (q, cond) = scope_sql(q, scope);
    let sql = format!(
        "SELECT e.user_id, s.id AS session_id, \
         EXISTS (SELECT 1 FROM completions c WHERE c.user_id = e.user_id AND c.session_id = s.id) AS completed \
         FROM enrolments e \
         JOIN training_sessions s ON s.id = e.session_id \
         LEFT JOIN profiles p ON p.user_id = e.user_id \
         WHERE e.status = $1 AND s.ends_on >= $2 AND s.ends_on <= $3 AND s.cancelled = $4{cond}"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

/// The managers of the scope: profiles of its organisations (all of them,
/// listed in the directory or not), by category. For a school: the profiles
/// of the school's organisations.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HeadcountRow {
    pub category: Option<String>,
    pub people: i64,
}

pub async fn headcount(ex: Ex<'_>, organisations: Option<&[Uuid]>) -> DbResult<Vec<HeadcountRow>> {
    let q = Query::dynamic(String::new());
    let (q, cond) = match organisations {
        None => (q, String::new()),
        Some([]) => (q, " WHERE 1 = 0".to_owned()),
        Some(orgs) => {
            let (q, marks) = q.bind_list(orgs);
            (q, format!(" WHERE p.organisation_id IN ({marks})"))
        }
    };
    let sql = format!("SELECT p.category, COUNT(*) AS people FROM profiles p{cond} GROUP BY p.category");
    ex.fetch_all(q.with_sql(sql)).await
}

/// Scores given to « note » questions of the « à chaud » questionnaires of
/// the sessions that ended in the period: answers are anonymous, so they can
/// only be grouped by session (and so by school), never by the person's
/// organisation.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ScoreRow {
    pub session_id: Uuid,
    pub score: i64,
}

/// Results of a questionnaire are shown from this many answers (fewer could
/// identify who answered); the statistics count the same ones.
pub const MIN_ANSWERS: i64 = 3;

pub async fn hot_scores(ex: Ex<'_>, school: Option<Uuid>, from: Date, to: Date) -> DbResult<Vec<ScoreRow>> {
    let mut q = Query::dynamic(String::new())
        .bind("chaud")
        .bind("note")
        .bind(from)
        .bind(to)
        .bind(false);
    let mut cond = String::new();
    if let Some(school) = school {
        cond = format!(" AND s.school_id = {}", q.next_placeholder());
        q = q.bind(school);
    }
    let sql = format!(
        "SELECT ev.session_id, an.score \
         FROM evaluation_answers an \
         JOIN evaluation_items it ON it.id = an.item_id \
         JOIN evaluations ev ON ev.id = it.evaluation_id \
         JOIN training_sessions s ON s.id = ev.session_id \
         WHERE ev.kind = $1 AND it.kind = $2 AND an.score IS NOT NULL \
         AND s.ends_on >= $3 AND s.ends_on <= $4 AND s.cancelled = $5{cond} \
         AND ev.id IN (SELECT r.evaluation_id FROM evaluation_responses r GROUP BY r.evaluation_id \
         HAVING COUNT(*) >= {MIN_ANSWERS})"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

/// The first and last days with a session (the statistics page offers the
/// years between them).
pub async fn span(ex: Ex<'_>) -> DbResult<Option<(Date, Date)>> {
    #[derive(sqlx::FromRow)]
    struct SpanRow {
        first_day: Option<Date>,
        last_day: Option<Date>,
    }
    let r: SpanRow = ex
        .fetch_one(Query::dynamic(
            "SELECT MIN(starts_on) AS first_day, MAX(ends_on) AS last_day FROM training_sessions".to_owned(),
        ))
        .await?;
    Ok(r.first_day.zip(r.last_day))
}

/// A person of the scope's organisations with a date of taking their post,
/// and a mandatory path of a school of their organisation with its rule.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MandatoryRow {
    pub path_id: Uuid,
    pub path_title: String,
    pub rule_months: i64,
    pub user_id: Option<Uuid>,
    pub profile_id: Uuid,
    pub post_started_on: Date,
}

pub async fn mandatory(ex: Ex<'_>, organisations: Option<&[Uuid]>) -> DbResult<Vec<MandatoryRow>> {
    let q = Query::dynamic(String::new()).bind("obligatoire");
    let (q, cond) = match organisations {
        None => (q, String::new()),
        Some([]) => (q, " AND 1 = 0".to_owned()),
        Some(orgs) => {
            let (q, marks) = q.bind_list(orgs);
            (q, format!(" AND p.organisation_id IN ({marks})"))
        }
    };
    let sql = format!(
        "SELECT pa.id AS path_id, pa.title AS path_title, pa.rule_months, p.user_id, p.id AS profile_id, \
         p.post_started_on \
         FROM paths pa \
         JOIN school_organisations so ON so.school_id = pa.school_id \
         JOIN profiles p ON p.organisation_id = so.organisation_id \
         WHERE pa.kind = $1 AND pa.rule_months IS NOT NULL AND p.post_started_on IS NOT NULL{cond} \
         ORDER BY pa.title_sort, pa.id"
    );
    ex.fetch_all(q.with_sql(sql)).await
}
