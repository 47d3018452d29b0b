//! The catalogue: modules of the schools, their themes, and their adoption
//! by other schools.
//!
//! Who sees a module ([`visible_sql`]): everyone logged in when it is shared
//! with the network; otherwise the people of the owning school's
//! organisations (and of the schools that took it while it was shared).

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{DbResult, Ex, query, query::Query};

/// Who is looking (built by `core::policy`).
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    /// The coordinator: every module.
    pub everything: bool,
    /// Organisations the viewer belongs to.
    pub member_of: Vec<Uuid>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ModuleRow {
    pub id: Uuid,
    pub school_id: Uuid,
    pub school_name: String,
    pub title: String,
    pub format: String,
    pub objectives: String,
    pub description: String,
    pub audience_categories: String,
    pub audience_stage: String,
    pub duration_value: i64,
    pub duration_unit: String,
    pub trainers: String,
    pub shared: bool,
    pub archived: bool,
    pub completion_percent: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

const COLUMNS: &str = "m.id, m.school_id, s.name AS school_name, m.title, m.format, m.objectives, m.description, \
    m.audience_categories, m.audience_stage, m.duration_value, m.duration_unit, m.trainers, m.shared, m.archived, \
    m.completion_percent, m.created_at, m.updated_at";

/// The visibility condition on module `m` for `viewer`, bound on `q`.
fn visible_sql(mut q: Query, viewer: &Viewer) -> (Query, String) {
    if viewer.everything {
        return (q, "1 = 1".to_owned());
    }
    let mut sql = format!("m.shared = {}", q.next_placeholder());
    q = q.bind(true);
    if !viewer.member_of.is_empty() {
        let (nq, marks) = q.bind_list(&viewer.member_of);
        q = nq;
        sql = format!(
            "({sql} OR m.school_id IN (SELECT school_id FROM school_organisations WHERE organisation_id IN ({marks})) \
             OR m.id IN (SELECT a.module_id FROM module_adoptions a JOIN school_organisations so \
             ON so.school_id = a.school_id WHERE so.organisation_id IN ({marks})))"
        );
    }
    (q, sql)
}

#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    /// Analysed query terms: (word, stem) — a module matches when every term
    /// is a prefix of one of its words or equals one of its stems.
    pub terms: Vec<(String, Option<String>)>,
    pub format: Option<&'a str>,
    pub theme: Option<Uuid>,
    /// Modules of this school's catalogue: its own and those it took.
    pub school: Option<Uuid>,
    /// A category the module addresses (modules for all categories match).
    pub category: Option<&'a str>,
    pub stage: Option<&'a str>,
    pub include_archived: bool,
    pub limit: i64,
    pub offset: i64,
}

fn filtered(select: &str, viewer: &Viewer, f: &Filter<'_>) -> Query {
    let (mut q, visible) = visible_sql(Query::dynamic(String::new()), viewer);
    let mut sql = format!("{select} FROM modules m JOIN schools s ON s.id = m.school_id WHERE {visible}");
    if !f.include_archived {
        sql.push_str(&format!(" AND m.archived = {}", q.next_placeholder()));
        q = q.bind(false);
    }
    q = crate::query::match_terms(q, &mut sql, "m.search_terms", &f.terms);
    if let Some(format) = f.format {
        sql.push_str(&format!(" AND m.format = {}", q.next_placeholder()));
        q = q.bind(format);
    }
    if let Some(theme) = f.theme {
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM module_themes mt WHERE mt.module_id = m.id AND mt.theme_id = {})",
            q.next_placeholder()
        ));
        q = q.bind(theme);
    }
    if let Some(school) = f.school {
        let p = q.next_placeholder();
        q = q.bind(school);
        sql.push_str(&format!(
            " AND (m.school_id = {p} OR EXISTS (SELECT 1 FROM module_adoptions a \
             WHERE a.module_id = m.id AND a.school_id = {p}))"
        ));
    }
    if let Some(category) = f.category {
        sql.push_str(&format!(
            " AND (m.audience_categories = '' OR (',' || m.audience_categories || ',') LIKE {})",
            q.next_placeholder()
        ));
        q = q.bind(format!("%,{category},%"));
    }
    if let Some(stage) = f.stage {
        sql.push_str(&format!(
            " AND (m.audience_stage = 'tous' OR m.audience_stage = {})",
            q.next_placeholder()
        ));
        q = q.bind(stage);
    }
    q.with_sql(sql)
}

pub async fn list(ex: Ex<'_>, viewer: &Viewer, f: &Filter<'_>) -> DbResult<Vec<ModuleRow>> {
    let q = filtered(&format!("SELECT {COLUMNS}"), viewer, f);
    let sql = format!(
        "{} ORDER BY m.title_sort, m.id LIMIT {} OFFSET {}",
        q.sql(),
        f.limit.clamp(1, 1000),
        f.offset.max(0)
    );
    ex.fetch_all(q.with_sql(sql)).await
}

pub async fn count(ex: Ex<'_>, viewer: &Viewer, f: &Filter<'_>) -> DbResult<i64> {
    ex.fetch_scalar(filtered("SELECT COUNT(*)", viewer, f)).await
}

/// A module, if `viewer` may see it.
pub async fn by_id(ex: Ex<'_>, viewer: &Viewer, id: Uuid) -> DbResult<Option<ModuleRow>> {
    let (q, visible) = visible_sql(Query::dynamic(String::new()), viewer);
    let p = q.next_placeholder();
    let sql =
        format!("SELECT {COLUMNS} FROM modules m JOIN schools s ON s.id = m.school_id WHERE m.id = {p} AND {visible}");
    ex.fetch_optional(q.bind(id).with_sql(sql)).await
}

/// Which of these modules `viewer` may see.
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
    let sql = format!("SELECT m.id FROM modules m WHERE m.id IN ({marks}) AND {visible}");
    let rows: Vec<Id> = ex.fetch_all(q.with_sql(sql)).await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// What a module says (everything but ids and dates).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    pub title: String,
    pub format: String,
    pub objectives: String,
    pub description: String,
    pub audience_categories: String,
    pub audience_stage: String,
    pub duration_value: i64,
    pub duration_unit: String,
    pub trainers: String,
    pub shared: bool,
    pub archived: bool,
    pub search_terms: String,
    /// Share of a session's half-days to attend to complete the module (1–100).
    pub completion_percent: i64,
}

pub async fn insert(ex: Ex<'_>, school_id: Uuid, f: &Fields, created_by: Option<Uuid>) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO modules (id, school_id, title_sort, title, format, objectives, description, audience_categories, \
             audience_stage, duration_value, duration_unit, trainers, shared, archived, search_terms, created_by, \
             created_at, updated_at, completion_percent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
             $13, $14, $15, $16, $17, $17, $18)",
        )
        .bind(id)
        .bind(school_id)
        .bind(maillage_domain::text::fold(&f.title))
        .bind(f.title.as_str())
        .bind(f.format.as_str())
        .bind(f.objectives.as_str())
        .bind(f.description.as_str())
        .bind(f.audience_categories.as_str())
        .bind(f.audience_stage.as_str())
        .bind(f.duration_value)
        .bind(f.duration_unit.as_str())
        .bind(f.trainers.as_str())
        .bind(f.shared)
        .bind(f.archived)
        .bind(f.search_terms.as_str())
        .bind(created_by)
        .bind(crate::now())
        .bind(f.completion_percent),
    )
    .await?;
    Ok(id)
}

pub async fn update(ex: Ex<'_>, id: Uuid, f: &Fields) -> DbResult<u64> {
    ex.execute(
        query(
            "UPDATE modules SET title = $2, format = $3, objectives = $4, description = $5, \
             audience_categories = $6, audience_stage = $7, duration_value = $8, duration_unit = $9, \
             trainers = $10, shared = $11, archived = $12, search_terms = $13, updated_at = $14, \
             title_sort = $15, completion_percent = $16 WHERE id = $1",
        )
        .bind(id)
        .bind(f.title.as_str())
        .bind(f.format.as_str())
        .bind(f.objectives.as_str())
        .bind(f.description.as_str())
        .bind(f.audience_categories.as_str())
        .bind(f.audience_stage.as_str())
        .bind(f.duration_value)
        .bind(f.duration_unit.as_str())
        .bind(f.trainers.as_str())
        .bind(f.shared)
        .bind(f.archived)
        .bind(f.search_terms.as_str())
        .bind(crate::now())
        .bind(maillage_domain::text::fold(&f.title))
        .bind(f.completion_percent),
    )
    .await
}

pub async fn set_themes(mut ex: Ex<'_>, module_id: Uuid, themes: &[Uuid]) -> DbResult<()> {
    ex.reborrow()
        .execute(query("DELETE FROM module_themes WHERE module_id = $1").bind(module_id))
        .await?;
    for t in themes {
        ex.reborrow()
            .execute(
                query("INSERT INTO module_themes (module_id, theme_id) VALUES ($1, $2)")
                    .bind(module_id)
                    .bind(*t),
            )
            .await?;
    }
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ModuleThemeRow {
    pub module_id: Uuid,
    pub theme_id: Uuid,
    pub name: String,
}

pub async fn themes_of(ex: Ex<'_>, module_ids: &[Uuid]) -> DbResult<Vec<ModuleThemeRow>> {
    if module_ids.is_empty() {
        return Ok(Vec::new());
    }
    let (q, marks) = Query::dynamic(String::new()).bind_list(module_ids);
    let sql = format!(
        "SELECT mt.module_id, mt.theme_id, t.name FROM module_themes mt JOIN themes t ON t.id = mt.theme_id \
         WHERE mt.module_id IN ({marks}) ORDER BY t.name_folded"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AdoptionRow {
    pub module_id: Uuid,
    pub school_id: Uuid,
    pub school_name: String,
    pub adopted_at: OffsetDateTime,
}

/// The schools that took some modules into their catalogue.
pub async fn adoptions_of(ex: Ex<'_>, module_ids: &[Uuid]) -> DbResult<Vec<AdoptionRow>> {
    if module_ids.is_empty() {
        return Ok(Vec::new());
    }
    let (q, marks) = Query::dynamic(String::new()).bind_list(module_ids);
    let sql = format!(
        "SELECT a.module_id, a.school_id, s.name AS school_name, a.adopted_at FROM module_adoptions a \
         JOIN schools s ON s.id = a.school_id WHERE a.module_id IN ({marks}) ORDER BY s.name"
    );
    ex.fetch_all(q.with_sql(sql)).await
}

/// Takes a module into a school's catalogue; doing it twice is not an error.
pub async fn adopt(ex: Ex<'_>, module_id: Uuid, school_id: Uuid, by: Option<Uuid>) -> DbResult<u64> {
    ex.execute(
        query(
            "INSERT INTO module_adoptions (module_id, school_id, adopted_at, adopted_by) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (module_id, school_id) DO NOTHING",
        )
        .bind(module_id)
        .bind(school_id)
        .bind(crate::now())
        .bind(by),
    )
    .await
}

pub async fn unadopt(ex: Ex<'_>, module_id: Uuid, school_id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("DELETE FROM module_adoptions WHERE module_id = $1 AND school_id = $2")
            .bind(module_id)
            .bind(school_id),
    )
    .await
}
