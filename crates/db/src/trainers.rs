//! Trainers (intervenants) of a school, internal (linked to an account) or
//! external, their modules (`module_trainers`) and sessions
//! (`session_trainers`). A school may offer a trainer to the network
//! (`shared`): the other schools then see and book them.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{DbResult, Ex, query, query::Query};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TrainerRow {
    pub id: Uuid,
    pub school_id: Uuid,
    pub school_name: String,
    pub user_id: Option<Uuid>,
    pub name: String,
    pub internal: bool,
    pub employer: String,
    pub email: Option<String>,
    pub bio: String,
    pub shared: bool,
    pub updated_at: OffsetDateTime,
}

const SELECT: &str = "SELECT tr.id, tr.school_id, s.name AS school_name, tr.user_id, tr.name, tr.internal, \
    tr.employer, tr.email, tr.bio, tr.shared, tr.updated_at FROM trainers tr JOIN schools s ON s.id = tr.school_id";

/// Who sees which trainers: every trainer (the coordinator), or those of the
/// schools of `member_of` (organisations) and the shared ones.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub everything: bool,
    pub member_of: Vec<Uuid>,
}

fn visible(q: Query, viewer: &Viewer) -> (Query, String) {
    if viewer.everything {
        return (q, "1 = 1".to_owned());
    }
    let p = q.next_placeholder();
    let q = q.bind(true);
    if viewer.member_of.is_empty() {
        return (q, format!("tr.shared = {p}"));
    }
    let (q, marks) = q.bind_list(&viewer.member_of);
    (
        q,
        format!(
            "(tr.shared = {p} OR tr.school_id IN \
             (SELECT school_id FROM school_organisations WHERE organisation_id IN ({marks})))"
        ),
    )
}

/// A trainer's fields.
pub struct Fields<'a> {
    pub user_id: Option<Uuid>,
    pub name: &'a str,
    pub internal: bool,
    pub employer: &'a str,
    pub email: Option<&'a str>,
    pub bio: &'a str,
    pub shared: bool,
}

pub async fn insert(ex: Ex<'_>, school_id: Uuid, f: &Fields<'_>) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO trainers (id, school_id, user_id, name, name_sort, internal, employer, email, bio, shared, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
        )
        .bind(id)
        .bind(school_id)
        .bind(f.user_id)
        .bind(f.name)
        .bind(maillage_domain::text::fold(f.name))
        .bind(f.internal)
        .bind(f.employer)
        .bind(f.email)
        .bind(f.bio)
        .bind(f.shared)
        .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

/// Changes a trainer (scoped to its school).
pub async fn update(ex: Ex<'_>, school_id: Uuid, id: Uuid, f: &Fields<'_>) -> DbResult<u64> {
    ex.execute(
        query(
            "UPDATE trainers SET user_id = $3, name = $4, name_sort = $5, internal = $6, employer = $7, email = $8, \
             bio = $9, shared = $10, updated_at = $11 WHERE id = $1 AND school_id = $2",
        )
        .bind(id)
        .bind(school_id)
        .bind(f.user_id)
        .bind(f.name)
        .bind(maillage_domain::text::fold(f.name))
        .bind(f.internal)
        .bind(f.employer)
        .bind(f.email)
        .bind(f.bio)
        .bind(f.shared)
        .bind(crate::now()),
    )
    .await
}

/// One trainer, if the viewer may see them.
pub async fn by_id(ex: Ex<'_>, viewer: &Viewer, id: Uuid) -> DbResult<Option<TrainerRow>> {
    let (q, cond) = visible(Query::dynamic(String::new()).bind(id), viewer);
    ex.fetch_optional(q.with_sql(format!("{SELECT} WHERE tr.id = $1 AND {cond}")))
        .await
}

/// The trainers the viewer may see, by name; `school`: only those a session
/// of this school may book (its own and the shared ones).
pub async fn list(ex: Ex<'_>, viewer: &Viewer, school: Option<Uuid>) -> DbResult<Vec<TrainerRow>> {
    let (mut q, cond) = visible(Query::dynamic(String::new()), viewer);
    let mut sql = format!("{SELECT} WHERE {cond}");
    if let Some(s) = school {
        let p = q.next_placeholder();
        q = q.bind(s);
        let b = q.next_placeholder();
        q = q.bind(true);
        sql.push_str(&format!(" AND (tr.school_id = {p} OR tr.shared = {b})"));
    }
    sql.push_str(" ORDER BY tr.name_sort, tr.id");
    ex.fetch_all(q.with_sql(sql)).await
}

/// The trainers of a module the viewer may see.
pub async fn of_module(ex: Ex<'_>, viewer: &Viewer, module_id: Uuid) -> DbResult<Vec<TrainerRow>> {
    let (q, cond) = visible(Query::dynamic(String::new()).bind(module_id), viewer);
    ex.fetch_all(q.with_sql(format!(
        "{SELECT} WHERE tr.id IN (SELECT trainer_id FROM module_trainers WHERE module_id = $1) AND {cond} \
         ORDER BY tr.name_sort, tr.id"
    )))
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ModuleRef {
    pub id: Uuid,
    pub title: String,
}

/// The modules a trainer teaches, by title.
pub async fn modules_of(ex: Ex<'_>, trainer_id: Uuid) -> DbResult<Vec<ModuleRef>> {
    ex.fetch_all(
        query(
            "SELECT m.id, m.title FROM module_trainers mt JOIN modules m ON m.id = mt.module_id \
             WHERE mt.trainer_id = $1 ORDER BY m.title_sort, m.id",
        )
        .bind(trainer_id),
    )
    .await
}

pub async fn link_module(ex: Ex<'_>, trainer_id: Uuid, module_id: Uuid) -> DbResult<u64> {
    ex.execute(
        query(
            "INSERT INTO module_trainers (module_id, trainer_id) SELECT $1, $2 WHERE NOT EXISTS \
             (SELECT 1 FROM module_trainers WHERE module_id = $1 AND trainer_id = $2)",
        )
        .bind(module_id)
        .bind(trainer_id),
    )
    .await
}

pub async fn unlink_module(ex: Ex<'_>, trainer_id: Uuid, module_id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("DELETE FROM module_trainers WHERE module_id = $1 AND trainer_id = $2")
            .bind(module_id)
            .bind(trainer_id),
    )
    .await
}
