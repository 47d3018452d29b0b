//! The project bank: projects, and who may see them ([`visible_sql`], the one
//! visibility rule of every list, search, page, export and API answer).
//!
//! A project is visible:
//! - to the coordinator, always;
//! - to its creator, its sponsor's account, its team and its school's
//!   managers (the administrators of the school's organisations), whatever
//!   its visibility — « brouillon » is theirs;
//! - at « organisation », also to the people of its organisations: the
//!   sponsor's, the ones concerned (`project_organisations`), the team
//!   members' and the school's;
//! - at « reseau », to everyone logged in.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{DbResult, Ex, query, query::Query};

/// Who is looking (built by `core::policy::project_viewer`).
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub everything: bool,
    pub user_id: Uuid,
    /// Organisations the viewer belongs to (any role).
    pub member_of: Vec<Uuid>,
    /// Organisations the viewer administers: their schools' projects are
    /// theirs to screen and follow.
    pub admin_of: Vec<Uuid>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProjectRow {
    pub id: Uuid,
    pub school_id: Uuid,
    pub school_name: String,
    pub promotion_id: Option<Uuid>,
    pub promotion_name: Option<String>,
    pub title: String,
    pub problem: String,
    pub context: String,
    pub expected_impact: String,
    pub solution: String,
    pub impact: String,
    pub tools: String,
    pub lessons: String,
    pub sponsor_organisation_id: Uuid,
    pub sponsor_organisation_name: String,
    pub sponsor_user_id: Option<Uuid>,
    pub contact: String,
    pub status: String,
    pub status_reason: String,
    pub started_on: Option<Date>,
    pub jury_on: Option<Date>,
    pub jury: String,
    pub visibility: String,
    pub year: i64,
    pub created_by: Option<Uuid>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// The columns of [`ProjectRow`], for `FROM projects p` + [`JOINS`].
pub const COLUMNS: &str = "p.id, p.school_id, s.name AS school_name, p.promotion_id, pr.name AS promotion_name, \
    p.title, p.problem, p.context, p.expected_impact, p.solution, p.impact, p.tools, p.lessons, \
    p.sponsor_organisation_id, o.name AS sponsor_organisation_name, p.sponsor_user_id, p.contact, \
    p.status, p.status_reason, p.started_on, p.jury_on, p.jury, p.visibility, p.year, \
    p.created_by, p.created_at, p.updated_at";

/// What [`COLUMNS`] needs besides `projects p`.
pub const JOINS: &str = "JOIN schools s ON s.id = p.school_id \
    JOIN organisations o ON o.id = p.sponsor_organisation_id \
    LEFT JOIN promotions pr ON pr.id = p.promotion_id";

/// The visibility condition on project `p` for `viewer`, bound on `q`.
pub fn visible_sql(mut q: Query, viewer: &Viewer) -> (Query, String) {
    if viewer.everything {
        return (q, "1 = 1".to_owned());
    }
    let me = q.next_placeholder();
    q = q.bind(viewer.user_id);
    let mut own = vec![
        format!("p.created_by = {me}"),
        format!("p.sponsor_user_id = {me}"),
        format!(
            "EXISTS (SELECT 1 FROM project_members pm JOIN profiles tp ON tp.id = pm.profile_id \
             WHERE pm.project_id = p.id AND tp.user_id = {me})"
        ),
    ];
    if !viewer.admin_of.is_empty() {
        let (nq, marks) = q.bind_list(&viewer.admin_of);
        q = nq;
        own.push(format!(
            "p.school_id IN (SELECT school_id FROM school_organisations WHERE organisation_id IN ({marks}))"
        ));
    }
    let network = q.next_placeholder();
    q = q.bind("reseau");
    own.push(format!("p.visibility = {network}"));
    if !viewer.member_of.is_empty() {
        let level = q.next_placeholder();
        q = q.bind("organisation");
        let (nq, marks) = q.bind_list(&viewer.member_of);
        q = nq;
        own.push(format!(
            "(p.visibility = {level} AND (p.sponsor_organisation_id IN ({marks}) \
             OR EXISTS (SELECT 1 FROM project_organisations po WHERE po.project_id = p.id AND po.organisation_id IN ({marks})) \
             OR EXISTS (SELECT 1 FROM project_members pm2 JOIN profiles tp2 ON tp2.id = pm2.profile_id \
                        WHERE pm2.project_id = p.id AND tp2.organisation_id IN ({marks})) \
             OR p.school_id IN (SELECT school_id FROM school_organisations WHERE organisation_id IN ({marks}))))"
        ));
    }
    (q, format!("({})", own.join(" OR ")))
}

/// A project, if `viewer` may see it.
pub async fn by_id(ex: Ex<'_>, viewer: &Viewer, id: Uuid) -> DbResult<Option<ProjectRow>> {
    let (q, visible) = visible_sql(Query::dynamic(String::new()), viewer);
    let p = q.next_placeholder();
    let sql = format!("SELECT {COLUMNS} FROM projects p {JOINS} WHERE p.id = {p} AND {visible}");
    ex.fetch_optional(q.bind(id).with_sql(sql)).await
}

/// Which of these projects `viewer` may see (e.g. a person's projects on
/// their profile, a promotion's groups).
pub async fn visible_among(ex: Ex<'_>, viewer: &Viewer, ids: &[Uuid]) -> DbResult<Vec<Uuid>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(sqlx::FromRow)]
    struct Id {
        id: Uuid,
    }
    let (q, visible) = visible_sql(Query::dynamic(String::new()), viewer);
    let (q, marks) = q.bind_list(ids);
    let sql = format!("SELECT p.id FROM projects p WHERE p.id IN ({marks}) AND {visible}");
    let rows: Vec<Id> = ex.fetch_all(q.with_sql(sql)).await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// Whether the user is in the project's team (through their profile).
pub async fn is_team_member(ex: Ex<'_>, project_id: Uuid, user_id: Uuid) -> DbResult<bool> {
    let q = query(
        "SELECT COUNT(*) FROM project_members pm JOIN profiles tp ON tp.id = pm.profile_id \
         WHERE pm.project_id = $1 AND tp.user_id = $2",
    )
    .bind(project_id)
    .bind(user_id);
    Ok(ex.fetch_scalar(q).await? > 0)
}
