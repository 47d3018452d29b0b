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

// ---------------------------------------------------------------------------
// The bank: search, writes, status history, team, organisations, themes
// ---------------------------------------------------------------------------

/// What a search of the bank asks for, beyond the viewer.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Analysed query terms: (word, stem) — a project matches when every
    /// term is a prefix of one of its words or equals one of its stems.
    pub terms: Vec<(String, Option<String>)>,
    pub statuses: Vec<String>,
    pub theme: Option<Uuid>,
    /// The sponsor's organisation or one concerned.
    pub organisation: Option<Uuid>,
    pub school: Option<Uuid>,
    pub promotion: Option<Uuid>,
    pub year: Option<i64>,
    /// Projects tied to this directory profile (its team).
    pub member: Option<Uuid>,
    /// Leave this project out (similar projects).
    pub except: Option<Uuid>,
    pub limit: i64,
    pub offset: i64,
}

fn filtered(select: &str, viewer: &Viewer, f: &Filter) -> Query {
    let (mut q, visible) = visible_sql(Query::dynamic(String::new()), viewer);
    let mut sql = format!("{select} FROM projects p {JOINS} WHERE {visible}");
    q = crate::query::match_terms(q, &mut sql, "p.search_terms", &f.terms);
    if !f.statuses.is_empty() {
        let keys: Vec<&str> = f.statuses.iter().map(String::as_str).collect();
        let (nq, marks) = q.bind_list(&keys);
        q = nq;
        sql.push_str(&format!(" AND p.status IN ({marks})"));
    }
    if let Some(theme) = f.theme {
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM project_themes pt WHERE pt.project_id = p.id AND pt.theme_id = {})",
            q.next_placeholder()
        ));
        q = q.bind(theme);
    }
    if let Some(org) = f.organisation {
        let p = q.next_placeholder();
        q = q.bind(org);
        sql.push_str(&format!(
            " AND (p.sponsor_organisation_id = {p} OR EXISTS (SELECT 1 FROM project_organisations po3 \
             WHERE po3.project_id = p.id AND po3.organisation_id = {p}))"
        ));
    }
    if let Some(school) = f.school {
        sql.push_str(&format!(" AND p.school_id = {}", q.next_placeholder()));
        q = q.bind(school);
    }
    if let Some(promotion) = f.promotion {
        sql.push_str(&format!(" AND p.promotion_id = {}", q.next_placeholder()));
        q = q.bind(promotion);
    }
    if let Some(year) = f.year {
        sql.push_str(&format!(" AND p.year = {}", q.next_placeholder()));
        q = q.bind(year);
    }
    if let Some(member) = f.member {
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM project_members pm3 WHERE pm3.project_id = p.id AND pm3.profile_id = {})",
            q.next_placeholder()
        ));
        q = q.bind(member);
    }
    if let Some(except) = f.except {
        sql.push_str(&format!(" AND p.id <> {}", q.next_placeholder()));
        q = q.bind(except);
    }
    q.with_sql(sql)
}

/// One page of the bank, most recently updated first.
pub async fn list(ex: Ex<'_>, viewer: &Viewer, f: &Filter) -> DbResult<Vec<ProjectRow>> {
    let q = filtered(&format!("SELECT {COLUMNS}"), viewer, f);
    let sql = format!(
        "{} ORDER BY p.year DESC, p.updated_at DESC, p.id LIMIT {} OFFSET {}",
        q.sql(),
        f.limit.clamp(1, 100_000),
        f.offset.max(0)
    );
    ex.fetch_all(q.with_sql(sql)).await
}

/// How many projects the same search finds (the same visibility rule).
pub async fn count(ex: Ex<'_>, viewer: &Viewer, f: &Filter) -> DbResult<i64> {
    ex.fetch_scalar(filtered("SELECT COUNT(*)", viewer, f)).await
}

/// The years of the projects the viewer sees (the year filter's choices).
pub async fn years(ex: Ex<'_>, viewer: &Viewer) -> DbResult<Vec<i64>> {
    let (q, visible) = visible_sql(Query::dynamic(String::new()), viewer);
    let sql = format!("SELECT DISTINCT p.year FROM projects p WHERE {visible} ORDER BY p.year DESC");
    let rows: Vec<(i64,)> = ex.fetch_all(q.with_sql(sql)).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// What a project says (written by the proposal and the edit form).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    pub title: String,
    pub problem: String,
    pub context: String,
    pub expected_impact: String,
    pub solution: String,
    pub impact: String,
    pub tools: String,
    pub lessons: String,
    pub contact: String,
    pub visibility: String,
    pub search_terms: String,
}

/// Who proposes what to whom (the rest of a new project's row).
#[derive(Debug, Clone)]
pub struct NewProject {
    pub school_id: Uuid,
    pub sponsor_organisation_id: Uuid,
    pub sponsor_user_id: Option<Uuid>,
    pub status: String,
    pub year: i64,
    pub created_by: Option<Uuid>,
}

pub async fn insert(ex: Ex<'_>, n: &NewProject, f: &Fields) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO projects (id, school_id, title, title_sort, problem, context, expected_impact, solution, \
             impact, tools, lessons, sponsor_organisation_id, sponsor_user_id, contact, status, visibility, year, \
             search_terms, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
             $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20)",
        )
        .bind(id)
        .bind(n.school_id)
        .bind(f.title.as_str())
        .bind(maillage_domain::text::fold(&f.title))
        .bind(f.problem.as_str())
        .bind(f.context.as_str())
        .bind(f.expected_impact.as_str())
        .bind(f.solution.as_str())
        .bind(f.impact.as_str())
        .bind(f.tools.as_str())
        .bind(f.lessons.as_str())
        .bind(n.sponsor_organisation_id)
        .bind(n.sponsor_user_id)
        .bind(f.contact.as_str())
        .bind(n.status.as_str())
        .bind(f.visibility.as_str())
        .bind(n.year)
        .bind(f.search_terms.as_str())
        .bind(n.created_by)
        .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

pub async fn update(ex: Ex<'_>, id: Uuid, f: &Fields) -> DbResult<u64> {
    ex.execute(
        query(
            "UPDATE projects SET title = $2, title_sort = $3, problem = $4, context = $5, expected_impact = $6, \
             solution = $7, impact = $8, tools = $9, lessons = $10, contact = $11, visibility = $12, \
             search_terms = $13, updated_at = $14 WHERE id = $1",
        )
        .bind(id)
        .bind(f.title.as_str())
        .bind(maillage_domain::text::fold(&f.title))
        .bind(f.problem.as_str())
        .bind(f.context.as_str())
        .bind(f.expected_impact.as_str())
        .bind(f.solution.as_str())
        .bind(f.impact.as_str())
        .bind(f.tools.as_str())
        .bind(f.lessons.as_str())
        .bind(f.contact.as_str())
        .bind(f.visibility.as_str())
        .bind(f.search_terms.as_str())
        .bind(crate::now()),
    )
    .await
}

/// A project's standing after a status change (everything the change may
/// move: the school that follows it, its promotion, its dates, its jury).
#[derive(Debug, Clone)]
pub struct Standing {
    pub status: String,
    pub status_reason: String,
    pub school_id: Uuid,
    pub promotion_id: Option<Uuid>,
    pub started_on: Option<Date>,
    pub jury_on: Option<Date>,
    pub jury: String,
    pub year: i64,
}

pub async fn set_standing(ex: Ex<'_>, id: Uuid, s: &Standing) -> DbResult<u64> {
    ex.execute(
        query(
            "UPDATE projects SET status = $2, status_reason = $3, school_id = $4, promotion_id = $5, \
             started_on = $6, jury_on = $7, jury = $8, year = $9, updated_at = $10 WHERE id = $1",
        )
        .bind(id)
        .bind(s.status.as_str())
        .bind(s.status_reason.as_str())
        .bind(s.school_id)
        .bind(s.promotion_id)
        .bind(s.started_on)
        .bind(s.jury_on)
        .bind(s.jury.as_str())
        .bind(s.year)
        .bind(crate::now()),
    )
    .await
}

/// One line of a project's status history.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub project_id: Uuid,
    pub status: &'a str,
    pub reason: &'a str,
    pub school_id: Option<Uuid>,
    pub promotion_id: Option<Uuid>,
    pub by_user: Option<Uuid>,
    pub at: OffsetDateTime,
}

/// Adds a line to the history; its id (what the mails it causes are keyed on).
pub async fn insert_event(ex: Ex<'_>, e: &NewEvent<'_>) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO project_events (id, project_id, status, reason, school_id, promotion_id, by_user, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(e.project_id)
        .bind(e.status)
        .bind(e.reason)
        .bind(e.school_id)
        .bind(e.promotion_id)
        .bind(e.by_user)
        .bind(e.at),
    )
    .await?;
    Ok(id)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub id: Uuid,
    pub status: String,
    pub reason: String,
    pub school_id: Option<Uuid>,
    pub school_name: Option<String>,
    pub promotion_id: Option<Uuid>,
    pub promotion_name: Option<String>,
    pub by_name: Option<String>,
    pub at: OffsetDateTime,
}

/// A project's status history, oldest first.
pub async fn events(ex: Ex<'_>, project_id: Uuid) -> DbResult<Vec<EventRow>> {
    ex.fetch_all(
        query(
            "SELECT e.id, e.status, e.reason, e.school_id, s.name AS school_name, e.promotion_id, \
             pr.name AS promotion_name, u.display_name AS by_name, e.at FROM project_events e \
             LEFT JOIN schools s ON s.id = e.school_id LEFT JOIN promotions pr ON pr.id = e.promotion_id \
             LEFT JOIN users u ON u.id = e.by_user WHERE e.project_id = $1 ORDER BY e.at, e.id",
        )
        .bind(project_id),
    )
    .await
}

pub async fn set_themes(mut ex: Ex<'_>, project_id: Uuid, themes: &[Uuid]) -> DbResult<()> {
    ex.reborrow()
        .execute(query("DELETE FROM project_themes WHERE project_id = $1").bind(project_id))
        .await?;
    for t in themes {
        ex.reborrow()
            .execute(
                query("INSERT INTO project_themes (project_id, theme_id) VALUES ($1, $2)")
                    .bind(project_id)
                    .bind(*t),
            )
            .await?;
    }
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkRow {
    pub project_id: Uuid,
    pub id: Uuid,
    pub name: String,
}

pub async fn themes_of(ex: Ex<'_>, project_ids: &[Uuid]) -> DbResult<Vec<LinkRow>> {
    if project_ids.is_empty() {
        return Ok(Vec::new());
    }
    let (q, marks) = Query::dynamic(String::new()).bind_list(project_ids);
    let sql = format!(
        "SELECT pt.project_id, t.id, t.name FROM project_themes pt JOIN themes t ON t.id = pt.theme_id \
         WHERE pt.project_id IN ({marks}) ORDER BY t.name_folded"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

pub async fn set_organisations(mut ex: Ex<'_>, project_id: Uuid, organisations: &[Uuid]) -> DbResult<()> {
    ex.reborrow()
        .execute(query("DELETE FROM project_organisations WHERE project_id = $1").bind(project_id))
        .await?;
    for o in organisations {
        ex.reborrow()
            .execute(
                query("INSERT INTO project_organisations (project_id, organisation_id) VALUES ($1, $2)")
                    .bind(project_id)
                    .bind(*o),
            )
            .await?;
    }
    Ok(())
}

/// An organisation concerned (besides the sponsor), with its SIREN for links.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrgLinkRow {
    pub project_id: Uuid,
    pub id: Uuid,
    pub name: String,
    pub siren: String,
}

pub async fn organisations_of(ex: Ex<'_>, project_ids: &[Uuid]) -> DbResult<Vec<OrgLinkRow>> {
    if project_ids.is_empty() {
        return Ok(Vec::new());
    }
    let (q, marks) = Query::dynamic(String::new()).bind_list(project_ids);
    let sql = format!(
        "SELECT po.project_id, o.id, o.name, o.siren FROM project_organisations po \
         JOIN organisations o ON o.id = po.organisation_id WHERE po.project_id IN ({marks}) ORDER BY o.name"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

/// A team member, and whether the viewer may open their directory profile
/// (`listed <= tier`, the directory's own rule: `profiles::tier_sql`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub project_id: Uuid,
    pub profile_id: Uuid,
    pub user_id: Option<Uuid>,
    pub first_name: String,
    pub last_name: String,
    pub organisation_name: String,
    pub listed_for_viewer: bool,
}

pub async fn members_of(ex: Ex<'_>, scope: &crate::profiles::Scope, project_ids: &[Uuid]) -> DbResult<Vec<MemberRow>> {
    if project_ids.is_empty() {
        return Ok(Vec::new());
    }
    let (q, tier) = crate::profiles::tier_sql(Query::dynamic(String::new()), scope);
    let (q, marks) = q.bind_list(project_ids);
    let sql = format!(
        "SELECT pm.project_id, p.id AS profile_id, p.user_id, p.first_name, p.last_name, \
         o.name AS organisation_name, (p.listed <= {tier}) AS listed_for_viewer FROM project_members pm \
         JOIN profiles p ON p.id = pm.profile_id JOIN organisations o ON o.id = p.organisation_id \
         WHERE pm.project_id IN ({marks}) ORDER BY p.last_name, p.first_name, p.id"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

/// Adds a person to the team; adding them twice is not an error.
pub async fn add_member(ex: Ex<'_>, project_id: Uuid, profile_id: Uuid) -> DbResult<u64> {
    ex.execute(
        query(
            "INSERT INTO project_members (project_id, profile_id, added_at) VALUES ($1, $2, $3) \
             ON CONFLICT (project_id, profile_id) DO NOTHING",
        )
        .bind(project_id)
        .bind(profile_id)
        .bind(crate::now()),
    )
    .await
}

pub async fn remove_member(ex: Ex<'_>, project_id: Uuid, profile_id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("DELETE FROM project_members WHERE project_id = $1 AND profile_id = $2")
            .bind(project_id)
            .bind(profile_id),
    )
    .await
}

/// A promotion as the bank shows it (its school, its name, its year).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PromotionRef {
    pub id: Uuid,
    pub school_id: Uuid,
    pub name: String,
    pub starts_on: Date,
}

/// The promotions of a school, the latest first.
pub async fn promotions_of_school(ex: Ex<'_>, school_id: Uuid) -> DbResult<Vec<PromotionRef>> {
    ex.fetch_all(
        query(
            "SELECT id, school_id, name, starts_on FROM promotions WHERE school_id = $1 \
             ORDER BY starts_on DESC, name_sort",
        )
        .bind(school_id),
    )
    .await
}

/// The promotions of the projects the viewer sees (the search's filter: a
/// promotion is not public, a visible project's promotion is shown with it).
pub async fn visible_promotions(ex: Ex<'_>, viewer: &Viewer) -> DbResult<Vec<PromotionRef>> {
    let (q, visible) = visible_sql(Query::dynamic(String::new()), viewer);
    let sql = format!(
        "SELECT pr.id, pr.school_id, pr.name, pr.starts_on FROM promotions pr WHERE pr.id IN \
         (SELECT p.promotion_id FROM projects p WHERE p.promotion_id IS NOT NULL AND {visible}) \
         ORDER BY pr.starts_on DESC, pr.name_sort"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

pub async fn promotion(ex: Ex<'_>, id: Uuid) -> DbResult<Option<PromotionRef>> {
    ex.fetch_optional(query("SELECT id, school_id, name, starts_on FROM promotions WHERE id = $1").bind(id))
        .await
}

/// The projects most like one: sharing themes or search terms, visible to
/// the viewer, scored by shared themes (×3) then shared terms.
pub async fn similar(
    ex: Ex<'_>,
    viewer: &Viewer,
    id: Uuid,
    themes: &[Uuid],
    terms: &[String],
    limit: i64,
) -> DbResult<Vec<ProjectRow>> {
    if themes.is_empty() && terms.is_empty() {
        return Ok(Vec::new());
    }
    let (mut q, visible) = visible_sql(Query::dynamic(String::new()), viewer);
    let mut score = Vec::new();
    if !themes.is_empty() {
        let (nq, marks) = q.bind_list(themes);
        q = nq;
        score.push(format!(
            "3 * (SELECT COUNT(*) FROM project_themes st WHERE st.project_id = p.id AND st.theme_id IN ({marks}))"
        ));
    }
    for t in terms {
        let p = q.next_placeholder();
        q = q.bind(format!("% {} %", crate::organisations::escape_like(t)));
        score.push(format!(
            "(CASE WHEN (' ' || p.search_terms || ' ') LIKE {p} ESCAPE '\\' THEN 1 ELSE 0 END)"
        ));
    }
    let except = q.next_placeholder();
    q = q.bind(id);
    let score = score.join(" + ");
    let sql = format!(
        "SELECT {COLUMNS} FROM projects p {JOINS} WHERE {visible} AND p.id <> {except} AND ({score}) > 0 \
         ORDER BY ({score}) DESC, p.updated_at DESC, p.id LIMIT {}",
        limit.clamp(1, 50)
    );
    ex.fetch_all(q.with_sql(sql)).await
}

/// The search terms of a project (for its similar projects).
pub async fn search_terms(ex: Ex<'_>, id: Uuid) -> DbResult<String> {
    let row: Option<(String,)> = ex
        .fetch_optional(query("SELECT search_terms FROM projects WHERE id = $1").bind(id))
        .await?;
    Ok(row.map(|r| r.0).unwrap_or_default())
}

/// Directory profiles of an organisation, by name, from `offset` (the demo
/// makes teams of them).
pub async fn profiles_in(ex: Ex<'_>, organisation_id: Uuid, offset: i64, limit: i64) -> DbResult<Vec<Uuid>> {
    let sql = format!(
        "SELECT id FROM profiles WHERE organisation_id = $1 ORDER BY name_sort, id LIMIT {} OFFSET {}",
        limit.clamp(1, 100),
        offset.max(0)
    );
    let rows: Vec<(Uuid,)> = ex.fetch_all(Query::dynamic(sql).bind(organisation_id)).await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}
