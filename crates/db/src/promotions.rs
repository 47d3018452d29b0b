//! SQL for promotions: the cohorts of a school, their members with the
//! casting data the school enters, the casting's parameters and groups, the
//! members' project wishes, and the alumni shown on profiles.
//!
//! Who sees a promotion ([`visible_sql`], the same rule as
//! `core::policy::Action::ViewPromotion`): its members and the people of its
//! school's organisations; the coordinator every one.

use maillage_domain::project::Status;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{DbResult, Ex, query, query::Query};

/// Who is looking (built from `core::policy::project_viewer`).
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub everything: bool,
    pub user_id: Uuid,
    /// Organisations the viewer belongs to (any role).
    pub member_of: Vec<Uuid>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PromotionRow {
    pub id: Uuid,
    pub school_id: Uuid,
    pub school_name: String,
    pub path_id: Option<Uuid>,
    pub path_title: Option<String>,
    pub name: String,
    pub description: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub temperaments: String,
    pub member_count: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

const COLUMNS: &str = "pr.id, pr.school_id, s.name AS school_name, pr.path_id, pa.title AS path_title, pr.name, \
    pr.description, pr.starts_on, pr.ends_on, pr.temperaments, \
    (SELECT COUNT(*) FROM promotion_members m WHERE m.promotion_id = pr.id) AS member_count, \
    pr.created_at, pr.updated_at";
const FROM: &str = "FROM promotions pr JOIN schools s ON s.id = pr.school_id LEFT JOIN paths pa ON pa.id = pr.path_id";

/// The visibility condition on promotion `pr` for `viewer`, bound on `q`.
pub fn visible_sql(mut q: Query, viewer: &Viewer) -> (Query, String) {
    if viewer.everything {
        return (q, "1 = 1".to_owned());
    }
    let me = q.next_placeholder();
    q = q.bind(viewer.user_id);
    let mut sql = format!(
        "EXISTS (SELECT 1 FROM promotion_members vm JOIN profiles vp ON vp.id = vm.profile_id \
         WHERE vm.promotion_id = pr.id AND vp.user_id = {me})"
    );
    if !viewer.member_of.is_empty() {
        let (nq, marks) = q.bind_list(&viewer.member_of);
        q = nq;
        sql = format!(
            "({sql} OR pr.school_id IN (SELECT school_id FROM school_organisations WHERE organisation_id IN ({marks})))"
        );
    }
    (q, sql)
}

/// What a list asks for besides the viewer.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub school: Option<Uuid>,
    /// Promotions running at some point of this year.
    pub year: Option<i32>,
}

/// The promotions `viewer` may see, the latest first.
pub async fn list(ex: Ex<'_>, viewer: &Viewer, f: &Filter) -> DbResult<Vec<PromotionRow>> {
    let (mut q, visible) = visible_sql(Query::dynamic(String::new()), viewer);
    let mut conditions = vec![visible];
    if let Some(school) = f.school {
        conditions.push(format!("pr.school_id = {}", q.next_placeholder()));
        q = q.bind(school);
    }
    if let Some(year) = f.year {
        let first = Date::from_calendar_date(year, time::Month::January, 1).ok();
        let last = Date::from_calendar_date(year, time::Month::December, 31).ok();
        if let (Some(first), Some(last)) = (first, last) {
            let a = q.next_placeholder();
            q = q.bind(last);
            let b = q.next_placeholder();
            q = q.bind(first);
            conditions.push(format!("pr.starts_on <= {a} AND pr.ends_on >= {b}"));
        }
    }
    let sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE {} ORDER BY pr.starts_on DESC, pr.name_sort, pr.id",
        conditions.join(" AND ")
    );
    ex.fetch_all(q.with_sql(sql)).await
}

/// A promotion, whoever looks (the caller decides who may).
pub async fn by_id(ex: Ex<'_>, id: Uuid) -> DbResult<Option<PromotionRow>> {
    let sql = format!("SELECT {COLUMNS} {FROM} WHERE pr.id = $1");
    ex.fetch_optional(Query::dynamic(sql).bind(id)).await
}

/// Promotions by name (the demo finds its own).
pub async fn by_name(ex: Ex<'_>, name: &str) -> DbResult<Option<PromotionRow>> {
    let sql = format!("SELECT {COLUMNS} {FROM} WHERE pr.name = $1 ORDER BY pr.id LIMIT 1");
    ex.fetch_optional(Query::dynamic(sql).bind(name)).await
}

/// Whether the user is a member (through their directory profile).
pub async fn is_member(ex: Ex<'_>, promotion_id: Uuid, user_id: Uuid) -> DbResult<bool> {
    Ok(ex
        .fetch_scalar(
            query(
                "SELECT COUNT(*) FROM promotion_members m JOIN profiles p ON p.id = m.profile_id \
                 WHERE m.promotion_id = $1 AND p.user_id = $2",
            )
            .bind(promotion_id)
            .bind(user_id),
        )
        .await?
        > 0)
}

/// What a promotion says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    pub path_id: Option<Uuid>,
    pub name: String,
    pub description: String,
    pub starts_on: Date,
    pub ends_on: Date,
    /// One category per line.
    pub temperaments: String,
}

pub async fn insert(ex: Ex<'_>, school_id: Uuid, f: &Fields, created_by: Option<Uuid>) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO promotions (id, school_id, path_id, name, name_sort, description, starts_on, ends_on, \
             temperaments, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
        )
        .bind(id)
        .bind(school_id)
        .bind(f.path_id)
        .bind(f.name.as_str())
        .bind(maillage_domain::text::fold(&f.name))
        .bind(f.description.as_str())
        .bind(f.starts_on)
        .bind(f.ends_on)
        .bind(f.temperaments.as_str())
        .bind(created_by)
        .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

pub async fn update(ex: Ex<'_>, id: Uuid, f: &Fields) -> DbResult<u64> {
    ex.execute(
        query(
            "UPDATE promotions SET path_id = $2, name = $3, name_sort = $4, description = $5, starts_on = $6, \
             ends_on = $7, temperaments = $8, updated_at = $9 WHERE id = $1",
        )
        .bind(id)
        .bind(f.path_id)
        .bind(f.name.as_str())
        .bind(maillage_domain::text::fold(&f.name))
        .bind(f.description.as_str())
        .bind(f.starts_on)
        .bind(f.ends_on)
        .bind(f.temperaments.as_str())
        .bind(crate::now()),
    )
    .await
}

/// Marks the promotion changed (members, casting).
pub async fn touch(ex: Ex<'_>, id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("UPDATE promotions SET updated_at = $2 WHERE id = $1")
            .bind(id)
            .bind(crate::now()),
    )
    .await
}

// ---------------------------------------------------------------------------
// Members and their casting data
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub profile_id: Uuid,
    pub user_id: Option<Uuid>,
    pub first_name: String,
    pub last_name: String,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    /// The line manager's profile (from the directory).
    pub manager_id: Option<Uuid>,
    pub gender: Option<String>,
    pub birth_year: Option<i64>,
    pub seniority_years: Option<i64>,
    pub temperament: Option<String>,
    pub temperament_consent_at: Option<OffsetDateTime>,
    pub group_no: Option<i64>,
    pub added_at: OffsetDateTime,
    /// Whether the viewer finds this person in the directory (the
    /// directory's rule, `listed <= tier`); always true from [`members`] and
    /// [`member`], which serve the school's work, not a viewer.
    pub listed_for_viewer: bool,
}

/// The members' columns, `listed` being the SQL of `listed_for_viewer`.
fn member_sql(listed: &str) -> String {
    format!(
        "SELECT m.profile_id, p.user_id, p.first_name, p.last_name, p.organisation_id, \
         o.name AS organisation_name, p.manager_id, m.gender, m.birth_year, m.seniority_years, m.temperament, \
         m.temperament_consent_at, m.group_no, m.added_at, {listed} AS listed_for_viewer FROM promotion_members m \
         JOIN profiles p ON p.id = m.profile_id JOIN organisations o ON o.id = p.organisation_id"
    )
}

/// A promotion's members, by name (for the school's work: the casting, the
/// teams; `listed_for_viewer` is true).
pub async fn members(ex: Ex<'_>, promotion_id: Uuid) -> DbResult<Vec<MemberRow>> {
    let sql = format!(
        "{} WHERE m.promotion_id = $1 ORDER BY p.name_sort, p.id",
        member_sql("(1 = 1)")
    );
    ex.fetch_all(Query::dynamic(sql).bind(promotion_id)).await
}

/// A promotion's members, by name, each with whether `scope`'s viewer finds
/// them in the directory (`listed <= tier`, `profiles::tier_sql`): what the
/// promotion's page and API may show of them.
pub async fn members_for(ex: Ex<'_>, scope: &crate::profiles::Scope, promotion_id: Uuid) -> DbResult<Vec<MemberRow>> {
    let (q, tier) = crate::profiles::tier_sql(Query::dynamic(String::new()), scope);
    let pid = q.next_placeholder();
    let sql = format!(
        "{} WHERE m.promotion_id = {pid} ORDER BY p.name_sort, p.id",
        member_sql(&format!("(p.listed <= {tier})"))
    );
    ex.fetch_all(q.bind(promotion_id).with_sql(sql)).await
}

pub async fn member(ex: Ex<'_>, promotion_id: Uuid, profile_id: Uuid) -> DbResult<Option<MemberRow>> {
    let sql = format!(
        "{} WHERE m.promotion_id = $1 AND m.profile_id = $2",
        member_sql("(1 = 1)")
    );
    ex.fetch_optional(Query::dynamic(sql).bind(promotion_id).bind(profile_id))
        .await
}

/// Adds a member; nothing when already there. Returns the rows written.
pub async fn add_member(ex: Ex<'_>, promotion_id: Uuid, profile_id: Uuid) -> DbResult<u64> {
    ex.execute(
        query(
            "INSERT INTO promotion_members (promotion_id, profile_id, added_at) VALUES ($1, $2, $3) \
             ON CONFLICT (promotion_id, profile_id) DO NOTHING",
        )
        .bind(promotion_id)
        .bind(profile_id)
        .bind(crate::now()),
    )
    .await
}

/// Removes a member and their wishes.
pub async fn remove_member(mut ex: Ex<'_>, promotion_id: Uuid, profile_id: Uuid) -> DbResult<u64> {
    ex.reborrow()
        .execute(
            query("DELETE FROM promotion_wishes WHERE promotion_id = $1 AND profile_id = $2")
                .bind(promotion_id)
                .bind(profile_id),
        )
        .await?;
    ex.execute(
        query("DELETE FROM promotion_members WHERE promotion_id = $1 AND profile_id = $2")
            .bind(promotion_id)
            .bind(profile_id),
    )
    .await
}

/// The casting data of a member, as the school entered it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CastingData {
    pub gender: Option<String>,
    pub birth_year: Option<i64>,
    pub seniority_years: Option<i64>,
    pub temperament: Option<String>,
    pub temperament_consent_at: Option<OffsetDateTime>,
}

pub async fn set_casting_data(ex: Ex<'_>, promotion_id: Uuid, profile_id: Uuid, d: &CastingData) -> DbResult<u64> {
    ex.execute(
        query(
            "UPDATE promotion_members SET gender = $3, birth_year = $4, seniority_years = $5, temperament = $6, \
             temperament_consent_at = $7 WHERE promotion_id = $1 AND profile_id = $2",
        )
        .bind(promotion_id)
        .bind(profile_id)
        .bind(d.gender.clone())
        .bind(d.birth_year)
        .bind(d.seniority_years)
        .bind(d.temperament.clone())
        .bind(d.temperament_consent_at),
    )
    .await
}

pub async fn set_group(ex: Ex<'_>, promotion_id: Uuid, profile_id: Uuid, group_no: Option<i64>) -> DbResult<u64> {
    ex.execute(
        query("UPDATE promotion_members SET group_no = $3 WHERE promotion_id = $1 AND profile_id = $2")
            .bind(promotion_id)
            .bind(profile_id)
            .bind(group_no),
    )
    .await
}

/// Profiles to add, by name: those listed for the viewer (the directory's
/// rule: `listed <= tier`), `tier` given by `profiles::tier_sql`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CandidateRow {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub organisation_name: String,
}

/// Up to `limit` profiles whose folded name contains `folded`, listed for
/// the viewer, not yet members of the promotion.
pub async fn candidates(
    ex: Ex<'_>,
    scope: &crate::profiles::Scope,
    promotion_id: Uuid,
    folded: &str,
    limit: i64,
) -> DbResult<Vec<CandidateRow>> {
    let (q, tier) = crate::profiles::tier_sql(Query::dynamic(String::new()), scope);
    let like = q.next_placeholder();
    let q = q.bind(format!("%{}%", crate::organisations::escape_like(folded)));
    let pid = q.next_placeholder();
    let q = q.bind(promotion_id);
    let lim = q.next_placeholder();
    let q = q.bind(limit);
    let sql = format!(
        "SELECT p.id, p.first_name, p.last_name, o.name AS organisation_name FROM profiles p \
         JOIN organisations o ON o.id = p.organisation_id WHERE p.listed <= {tier} AND p.name_sort LIKE {like} ESCAPE '\\' \
         AND NOT EXISTS (SELECT 1 FROM promotion_members m WHERE m.promotion_id = {pid} AND m.profile_id = p.id) \
         ORDER BY p.name_sort, p.id LIMIT {lim}"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

/// Whether the profile is listed for the viewer (may be added by them).
pub async fn listed_for(ex: Ex<'_>, scope: &crate::profiles::Scope, profile_id: Uuid) -> DbResult<bool> {
    let (q, tier) = crate::profiles::tier_sql(Query::dynamic(String::new()), scope);
    let id = q.next_placeholder();
    let sql = format!("SELECT COUNT(*) FROM profiles p WHERE p.id = {id} AND p.listed <= {tier}");
    Ok(ex.fetch_scalar(q.bind(profile_id).with_sql(sql)).await? > 0)
}

/// The profile of each address (folded to lower case), listed for the viewer.
pub async fn listed_by_email(
    ex: Ex<'_>,
    scope: &crate::profiles::Scope,
    emails: &[String],
) -> DbResult<Vec<(Uuid, String)>> {
    if emails.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(sqlx::FromRow)]
    struct Hit {
        id: Uuid,
        email: String,
    }
    let (q, tier) = crate::profiles::tier_sql(Query::dynamic(String::new()), scope);
    let lowered: Vec<String> = emails.iter().map(|e| e.to_lowercase()).collect();
    let mut q = q;
    let mut marks = Vec::new();
    for e in &lowered {
        marks.push(q.next_placeholder());
        q = q.bind(e.as_str());
    }
    let sql = format!(
        "SELECT p.id, LOWER(p.email) AS email FROM profiles p WHERE LOWER(p.email) IN ({}) AND p.listed <= {tier}",
        marks.join(", ")
    );
    let rows: Vec<Hit> = ex.fetch_all(q.with_sql(sql)).await?;
    Ok(rows.into_iter().map(|h| (h.id, h.email)).collect())
}

// ---------------------------------------------------------------------------
// Projects, wishes, casting, groups
// ---------------------------------------------------------------------------

/// A project of the promotion, as the casting and the wishes need it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProjectRef {
    pub id: Uuid,
    pub title: String,
    pub status: String,
}

/// The promotion's projects that `viewer` may see (`projects::visible_sql`),
/// by title; `retained_only`: those retained or under way (what members
/// wish for and groups carry).
pub async fn projects(
    ex: Ex<'_>,
    viewer: &crate::projects::Viewer,
    promotion_id: Uuid,
    retained_only: bool,
) -> DbResult<Vec<ProjectRef>> {
    let (q, visible) = crate::projects::visible_sql(Query::dynamic(String::new()), viewer);
    let pid = q.next_placeholder();
    let mut q = q.bind(promotion_id);
    let mut status = String::new();
    if retained_only {
        let a = q.next_placeholder();
        q = q.bind(Status::Retained.key());
        let b = q.next_placeholder();
        q = q.bind(Status::InProgress.key());
        status = format!(" AND p.status IN ({a}, {b})");
    }
    let sql = format!(
        "SELECT p.id, p.title, p.status FROM projects p WHERE p.promotion_id = {pid}{status} AND {visible} \
         ORDER BY p.title_sort, p.id"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WishRow {
    pub profile_id: Uuid,
    pub project_id: Uuid,
    pub rank: i64,
}

/// Every wish of a promotion, by person then rank.
pub async fn wishes(ex: Ex<'_>, promotion_id: Uuid) -> DbResult<Vec<WishRow>> {
    ex.fetch_all(
        query(
            "SELECT profile_id, project_id, rank FROM promotion_wishes WHERE promotion_id = $1 \
             ORDER BY profile_id, rank",
        )
        .bind(promotion_id),
    )
    .await
}

/// Replaces someone's wishes (in order of preference).
pub async fn set_wishes(mut ex: Ex<'_>, promotion_id: Uuid, profile_id: Uuid, projects: &[Uuid]) -> DbResult<()> {
    ex.reborrow()
        .execute(
            query("DELETE FROM promotion_wishes WHERE promotion_id = $1 AND profile_id = $2")
                .bind(promotion_id)
                .bind(profile_id),
        )
        .await?;
    for (i, p) in projects.iter().enumerate() {
        ex.reborrow()
            .execute(
                query(
                    "INSERT INTO promotion_wishes (promotion_id, profile_id, project_id, rank) VALUES ($1, $2, $3, $4)",
                )
                .bind(promotion_id)
                .bind(profile_id)
                .bind(*p)
                .bind(i as i64 + 1),
            )
            .await?;
    }
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CastingRow {
    pub group_count: i64,
    pub min_size: Option<i64>,
    pub max_size: Option<i64>,
    pub seed: i64,
    pub computed_at: OffsetDateTime,
    pub computed_by_name: Option<String>,
    pub moves: i64,
}

pub async fn casting(ex: Ex<'_>, promotion_id: Uuid) -> DbResult<Option<CastingRow>> {
    ex.fetch_optional(
        query(
            "SELECT c.group_count, c.min_size, c.max_size, c.seed, c.computed_at, u.display_name AS computed_by_name, \
             c.moves FROM promotion_castings c LEFT JOIN users u ON u.id = c.computed_by WHERE c.promotion_id = $1",
        )
        .bind(promotion_id),
    )
    .await
}

/// The parameters of a casting just computed (moves back to 0).
#[derive(Debug, Clone, Copy)]
pub struct NewCasting {
    pub group_count: i64,
    pub min_size: Option<i64>,
    pub max_size: Option<i64>,
    pub seed: i64,
}

pub async fn save_casting(ex: Ex<'_>, promotion_id: Uuid, c: &NewCasting, by: Option<Uuid>) -> DbResult<u64> {
    ex.execute(
        query(
            "INSERT INTO promotion_castings (promotion_id, group_count, min_size, max_size, seed, computed_at, \
             computed_by, moves) VALUES ($1, $2, $3, $4, $5, $6, $7, 0) ON CONFLICT (promotion_id) DO UPDATE SET \
             group_count = excluded.group_count, min_size = excluded.min_size, max_size = excluded.max_size, \
             seed = excluded.seed, computed_at = excluded.computed_at, computed_by = excluded.computed_by, moves = 0",
        )
        .bind(promotion_id)
        .bind(c.group_count)
        .bind(c.min_size)
        .bind(c.max_size)
        .bind(c.seed)
        .bind(crate::now())
        .bind(by),
    )
    .await
}

pub async fn count_move(ex: Ex<'_>, promotion_id: Uuid) -> DbResult<u64> {
    ex.execute(query("UPDATE promotion_castings SET moves = moves + 1 WHERE promotion_id = $1").bind(promotion_id))
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GroupRow {
    pub group_no: i64,
    pub project_id: Option<Uuid>,
    pub project_title: Option<String>,
}

pub async fn groups(ex: Ex<'_>, promotion_id: Uuid) -> DbResult<Vec<GroupRow>> {
    ex.fetch_all(
        query(
            "SELECT g.group_no, g.project_id, p.title AS project_title FROM promotion_groups g \
             LEFT JOIN projects p ON p.id = g.project_id WHERE g.promotion_id = $1 ORDER BY g.group_no",
        )
        .bind(promotion_id),
    )
    .await
}

/// Groups 1..=count, keeping the project of the groups that remain.
pub async fn resize_groups(mut ex: Ex<'_>, promotion_id: Uuid, count: i64) -> DbResult<()> {
    ex.reborrow()
        .execute(
            query("DELETE FROM promotion_groups WHERE promotion_id = $1 AND group_no > $2")
                .bind(promotion_id)
                .bind(count),
        )
        .await?;
    for g in 1..=count {
        ex.reborrow()
            .execute(
                query(
                    "INSERT INTO promotion_groups (promotion_id, group_no, project_id) VALUES ($1, $2, NULL) \
                     ON CONFLICT (promotion_id, group_no) DO NOTHING",
                )
                .bind(promotion_id)
                .bind(g),
            )
            .await?;
    }
    Ok(())
}

pub async fn set_group_project(
    ex: Ex<'_>,
    promotion_id: Uuid,
    group_no: i64,
    project_id: Option<Uuid>,
) -> DbResult<u64> {
    ex.execute(
        query("UPDATE promotion_groups SET project_id = $3 WHERE promotion_id = $1 AND group_no = $2")
            .bind(promotion_id)
            .bind(group_no)
            .bind(project_id),
    )
    .await
}

/// Adds people to a project's team (nothing for those already in it).
pub async fn add_to_team(mut ex: Ex<'_>, project_id: Uuid, profiles: &[Uuid]) -> DbResult<u64> {
    let mut n = 0;
    for p in profiles {
        n += ex
            .reborrow()
            .execute(
                query(
                    "INSERT INTO project_members (project_id, profile_id, added_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (project_id, profile_id) DO NOTHING",
                )
                .bind(project_id)
                .bind(*p)
                .bind(crate::now()),
            )
            .await?;
    }
    Ok(n)
}

// ---------------------------------------------------------------------------
// Alumni
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AlumnusRow {
    pub promotion_id: Uuid,
    pub name: String,
    pub school_name: String,
    pub starts_on: Date,
    pub ends_on: Date,
}

/// The promotions a profile belongs to that ended before `today`.
pub async fn alumni_of(ex: Ex<'_>, profile_id: Uuid, today: Date) -> DbResult<Vec<AlumnusRow>> {
    ex.fetch_all(
        query(
            "SELECT pr.id AS promotion_id, pr.name, s.name AS school_name, pr.starts_on, pr.ends_on \
             FROM promotion_members m JOIN promotions pr ON pr.id = m.promotion_id \
             JOIN schools s ON s.id = pr.school_id WHERE m.profile_id = $1 AND pr.ends_on < $2 \
             ORDER BY pr.ends_on DESC, pr.id",
        )
        .bind(profile_id)
        .bind(today),
    )
    .await
}

/// Sets who sees a profile's promotions as alumni (demo data; the person
/// changes it on their own profile form).
pub async fn set_alumni_vis(ex: Ex<'_>, profile_id: Uuid, level: i32) -> DbResult<u64> {
    ex.execute(
        query("UPDATE profiles SET alumni_vis = $2 WHERE id = $1")
            .bind(profile_id)
            .bind(level),
    )
    .await
}

/// The profiles of an organisation, in name order (demo data).
pub async fn profiles_in(ex: Ex<'_>, organisation_id: Uuid, limit: i64) -> DbResult<Vec<Uuid>> {
    let rows: Vec<(Uuid,)> = ex
        .fetch_all(
            query("SELECT id FROM profiles WHERE organisation_id = $1 ORDER BY name_sort, id LIMIT $2")
                .bind(organisation_id)
                .bind(limit),
        )
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
