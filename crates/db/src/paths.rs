//! SQL for paths (parcours): the paths, their ordered steps, their members
//! and candidates, who a mandatory path concerns, and the completions that
//! make progress.
//!
//! Who sees a path ([`visible_sql`], the same rule as modules): everyone
//! logged in when it is shared with the network; otherwise the people of
//! the owning school's organisations.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{DbResult, Ex, modules::Viewer, query, query::Query};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PathRow {
    pub id: Uuid,
    pub school_id: Uuid,
    pub school_name: String,
    pub title: String,
    pub description: String,
    pub kind: String,
    pub rule_months: Option<i64>,
    pub deadline_months: Option<i64>,
    pub shared: bool,
    pub steps: i64,
    pub updated_at: OffsetDateTime,
}

const COLUMNS: &str = "p.id, p.school_id, s.name AS school_name, p.title, p.description, p.kind, p.rule_months, \
    p.deadline_months, p.shared, (SELECT COUNT(*) FROM path_steps ps WHERE ps.path_id = p.id) AS steps, p.updated_at";

/// The visibility condition on path `p` for `viewer`, bound on `q`.
fn visible_sql(mut q: Query, viewer: &Viewer) -> (Query, String) {
    if viewer.everything {
        return (q, "1 = 1".to_owned());
    }
    let mut sql = format!("p.shared = {}", q.next_placeholder());
    q = q.bind(true);
    if !viewer.member_of.is_empty() {
        let (nq, marks) = q.bind_list(&viewer.member_of);
        q = nq;
        sql = format!(
            "({sql} OR p.school_id IN (SELECT school_id FROM school_organisations WHERE organisation_id IN ({marks})))"
        );
    }
    (q, sql)
}

/// The paths `viewer` may see, by title.
pub async fn list(ex: Ex<'_>, viewer: &Viewer) -> DbResult<Vec<PathRow>> {
    let (q, visible) = visible_sql(Query::dynamic(String::new()), viewer);
    let sql = format!(
        "SELECT {COLUMNS} FROM paths p JOIN schools s ON s.id = p.school_id WHERE {visible} \
         ORDER BY p.title_sort, p.id"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

/// A path, if `viewer` may see it.
pub async fn by_id(ex: Ex<'_>, viewer: &Viewer, id: Uuid) -> DbResult<Option<PathRow>> {
    let (q, visible) = visible_sql(Query::dynamic(String::new()), viewer);
    let p = q.next_placeholder();
    let sql =
        format!("SELECT {COLUMNS} FROM paths p JOIN schools s ON s.id = p.school_id WHERE p.id = {p} AND {visible}");
    ex.fetch_optional(q.bind(id).with_sql(sql)).await
}

/// What a path says (everything but ids, steps and dates).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    pub title: String,
    pub description: String,
    pub kind: String,
    pub rule_months: Option<i64>,
    pub deadline_months: Option<i64>,
    pub shared: bool,
}

pub async fn insert(ex: Ex<'_>, school_id: Uuid, f: &Fields, created_by: Option<Uuid>) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO paths (id, school_id, title, title_sort, description, kind, rule_months, deadline_months, \
             shared, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
        )
        .bind(id)
        .bind(school_id)
        .bind(f.title.as_str())
        .bind(maillage_domain::text::fold(&f.title))
        .bind(f.description.as_str())
        .bind(f.kind.as_str())
        .bind(f.rule_months)
        .bind(f.deadline_months)
        .bind(f.shared)
        .bind(created_by)
        .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

pub async fn update(ex: Ex<'_>, id: Uuid, f: &Fields) -> DbResult<u64> {
    ex.execute(
        query(
            "UPDATE paths SET title = $2, title_sort = $3, description = $4, kind = $5, rule_months = $6, \
             deadline_months = $7, shared = $8, updated_at = $9 WHERE id = $1",
        )
        .bind(id)
        .bind(f.title.as_str())
        .bind(maillage_domain::text::fold(&f.title))
        .bind(f.description.as_str())
        .bind(f.kind.as_str())
        .bind(f.rule_months)
        .bind(f.deadline_months)
        .bind(f.shared)
        .bind(crate::now()),
    )
    .await
}

/// Marks the path changed (its steps were edited).
pub async fn touch(ex: Ex<'_>, id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("UPDATE paths SET updated_at = $2 WHERE id = $1")
            .bind(id)
            .bind(crate::now()),
    )
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StepRow {
    pub id: Uuid,
    pub path_id: Uuid,
    pub position: i64,
    pub module_id: Uuid,
    pub module_title: String,
    pub module_school_name: String,
    pub required: bool,
}

/// The steps of some paths, in order.
pub async fn steps_of(ex: Ex<'_>, path_ids: &[Uuid]) -> DbResult<Vec<StepRow>> {
    if path_ids.is_empty() {
        return Ok(Vec::new());
    }
    let (q, marks) = Query::dynamic(String::new()).bind_list(path_ids);
    let sql = format!(
        "SELECT ps.id, ps.path_id, ps.position, ps.module_id, m.title AS module_title, \
         s.name AS module_school_name, ps.required FROM path_steps ps JOIN modules m ON m.id = ps.module_id \
         JOIN schools s ON s.id = m.school_id WHERE ps.path_id IN ({marks}) ORDER BY ps.path_id, ps.position"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

/// Appends a step at the end of the path.
pub async fn add_step(mut ex: Ex<'_>, path_id: Uuid, module_id: Uuid, required: bool) -> DbResult<Uuid> {
    let last = ex
        .reborrow()
        .fetch_scalar(query("SELECT COALESCE(MAX(position), 0) FROM path_steps WHERE path_id = $1").bind(path_id))
        .await?;
    let id = crate::new_id();
    ex.execute(
        query("INSERT INTO path_steps (id, path_id, position, module_id, required) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(path_id)
            .bind(last + 1)
            .bind(module_id)
            .bind(required),
    )
    .await?;
    Ok(id)
}

pub async fn set_required(ex: Ex<'_>, path_id: Uuid, step_id: Uuid, required: bool) -> DbResult<u64> {
    ex.execute(
        query("UPDATE path_steps SET required = $3 WHERE id = $2 AND path_id = $1")
            .bind(path_id)
            .bind(step_id)
            .bind(required),
    )
    .await
}

pub async fn remove_step(ex: Ex<'_>, path_id: Uuid, step_id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("DELETE FROM path_steps WHERE id = $2 AND path_id = $1")
            .bind(path_id)
            .bind(step_id),
    )
    .await
}

/// Swaps the positions of two steps of a path. The positions are unique,
/// so one step waits at position 0 (never used) meanwhile.
pub async fn swap_steps(mut ex: Ex<'_>, path_id: Uuid, a: (Uuid, i64), b: (Uuid, i64)) -> DbResult<()> {
    for (id, position) in [(a.0, 0), (b.0, a.1), (a.0, b.1)] {
        ex.reborrow()
            .execute(
                query("UPDATE path_steps SET position = $3 WHERE id = $2 AND path_id = $1")
                    .bind(path_id)
                    .bind(id)
                    .bind(position),
            )
            .await?;
    }
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub path_id: Uuid,
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub status: String,
    pub motivation: String,
    pub decision_note: String,
    pub post_started_on: Option<Date>,
    pub created_at: OffsetDateTime,
}

const MEMBER_COLUMNS: &str = "pm.path_id, pm.user_id, u.display_name, u.email, pm.status, pm.motivation, \
    pm.decision_note, pr.post_started_on, pm.created_at";
const MEMBER_FROM: &str =
    "FROM path_members pm JOIN users u ON u.id = pm.user_id LEFT JOIN profiles pr ON pr.user_id = pm.user_id";

/// Everyone who joined or applied to a path, by name.
pub async fn members(ex: Ex<'_>, path_id: Uuid) -> DbResult<Vec<MemberRow>> {
    let sql = format!("SELECT {MEMBER_COLUMNS} {MEMBER_FROM} WHERE pm.path_id = $1 ORDER BY u.display_name, u.id");
    ex.fetch_all(Query::dynamic(sql).bind(path_id)).await
}

pub async fn member(ex: Ex<'_>, path_id: Uuid, user_id: Uuid) -> DbResult<Option<MemberRow>> {
    let sql = format!("SELECT {MEMBER_COLUMNS} {MEMBER_FROM} WHERE pm.path_id = $1 AND pm.user_id = $2");
    ex.fetch_optional(Query::dynamic(sql).bind(path_id).bind(user_id)).await
}

/// The paths someone joined or applied to.
pub async fn memberships_of(ex: Ex<'_>, user_id: Uuid) -> DbResult<Vec<MemberRow>> {
    let sql = format!("SELECT {MEMBER_COLUMNS} {MEMBER_FROM} WHERE pm.user_id = $1");
    ex.fetch_all(Query::dynamic(sql).bind(user_id)).await
}

/// Joins or applies (again: a withdrawn or refused person may come back).
pub async fn upsert_member(ex: Ex<'_>, path_id: Uuid, user_id: Uuid, status: &str, motivation: &str) -> DbResult<u64> {
    ex.execute(
        query(
            "INSERT INTO path_members (path_id, user_id, status, motivation, created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (path_id, user_id) DO UPDATE SET status = excluded.status, motivation = excluded.motivation, \
             decision_note = '', decided_by = NULL, decided_at = NULL, created_at = excluded.created_at",
        )
        .bind(path_id)
        .bind(user_id)
        .bind(status)
        .bind(motivation)
        .bind(crate::now()),
    )
    .await
}

pub async fn set_member_status(ex: Ex<'_>, path_id: Uuid, user_id: Uuid, status: &str) -> DbResult<u64> {
    ex.execute(
        query("UPDATE path_members SET status = $3 WHERE path_id = $1 AND user_id = $2")
            .bind(path_id)
            .bind(user_id)
            .bind(status),
    )
    .await
}

/// The school's decision on an application.
pub async fn decide(
    ex: Ex<'_>,
    path_id: Uuid,
    user_id: Uuid,
    status: &str,
    note: &str,
    by: Option<Uuid>,
) -> DbResult<u64> {
    ex.execute(
        query(
            "UPDATE path_members SET status = $3, decision_note = $4, decided_by = $5, decided_at = $6 \
             WHERE path_id = $1 AND user_id = $2",
        )
        .bind(path_id)
        .bind(user_id)
        .bind(status)
        .bind(note)
        .bind(by)
        .bind(crate::now()),
    )
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConcernedRow {
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub post_started_on: Date,
}

/// The people with an account and a profile in the school's organisations
/// who took their post on or after `since` (a mandatory path's rule).
pub async fn concerned_by_rule(ex: Ex<'_>, school_id: Uuid, since: Date) -> DbResult<Vec<ConcernedRow>> {
    ex.fetch_all(
        query(
            "SELECT u.id AS user_id, u.display_name, u.email, pr.post_started_on FROM profiles pr \
             JOIN users u ON u.id = pr.user_id WHERE pr.post_started_on IS NOT NULL AND pr.post_started_on >= $2 \
             AND pr.organisation_id IN (SELECT organisation_id FROM school_organisations WHERE school_id = $1) \
             ORDER BY u.display_name, u.id",
        )
        .bind(school_id)
        .bind(since),
    )
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostRow {
    pub post_started_on: Option<Date>,
    pub organisation_id: Uuid,
}

/// Where someone works and since when (for the mandatory paths that concern
/// them); `None` without a profile.
pub async fn post_of(ex: Ex<'_>, user_id: Uuid) -> DbResult<Option<PostRow>> {
    ex.fetch_optional(query("SELECT post_started_on, organisation_id FROM profiles WHERE user_id = $1").bind(user_id))
        .await
}

/// The mandatory paths of the schools of this organisation.
pub async fn mandatory_of_organisation(ex: Ex<'_>, organisation_id: Uuid) -> DbResult<Vec<PathRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM paths p JOIN schools s ON s.id = p.school_id WHERE p.kind = 'obligatoire' \
         AND p.school_id IN (SELECT school_id FROM school_organisations WHERE organisation_id = $1) \
         ORDER BY p.title_sort, p.id"
    );
    ex.fetch_all(Query::dynamic(sql).bind(organisation_id)).await
}

/// Paths by id, whoever looks (the caller decided they may).
pub async fn by_ids(ex: Ex<'_>, ids: &[Uuid]) -> DbResult<Vec<PathRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (q, marks) = Query::dynamic(String::new()).bind_list(ids);
    let sql = format!(
        "SELECT {COLUMNS} FROM paths p JOIN schools s ON s.id = p.school_id WHERE p.id IN ({marks}) \
         ORDER BY p.title_sort, p.id"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CompletionRow {
    pub user_id: Uuid,
    pub module_id: Uuid,
    pub module_title: String,
    pub completed_on: Date,
}

/// The modules some people completed, earliest first.
pub async fn completions_of(ex: Ex<'_>, user_ids: &[Uuid]) -> DbResult<Vec<CompletionRow>> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let (q, marks) = Query::dynamic(String::new()).bind_list(user_ids);
    let sql = format!(
        "SELECT c.user_id, c.module_id, m.title AS module_title, c.completed_on FROM completions c \
         JOIN modules m ON m.id = c.module_id WHERE c.user_id IN ({marks}) ORDER BY c.completed_on, m.title_sort"
    );
    ex.fetch_all(q.with_sql(sql)).await
}
