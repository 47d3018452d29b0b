//! Schools (écoles), each attached to one or several organisations.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{DbResult, Ex, query};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SchoolRow {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub created_at: OffsetDateTime,
}

pub async fn insert(ex: Ex<'_>, name: &str, description: &str) -> DbResult<Uuid> {
    let id = crate::new_id();
    let now = crate::now();
    ex.execute(
        query("INSERT INTO schools (id, name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)")
            .bind(id)
            .bind(name)
            .bind(description)
            .bind(now),
    )
    .await?;
    Ok(id)
}

pub async fn attach(ex: Ex<'_>, school_id: Uuid, organisation_id: Uuid) -> DbResult<u64> {
    ex.execute(
        query(
            "INSERT INTO school_organisations (school_id, organisation_id) VALUES ($1, $2) \
             ON CONFLICT (school_id, organisation_id) DO NOTHING",
        )
        .bind(school_id)
        .bind(organisation_id),
    )
    .await
}

pub async fn by_id(ex: Ex<'_>, id: Uuid) -> DbResult<Option<SchoolRow>> {
    ex.fetch_optional(query("SELECT id, name, description, created_at FROM schools WHERE id = $1").bind(id))
        .await
}

pub async fn of_organisation(ex: Ex<'_>, organisation_id: Uuid) -> DbResult<Vec<SchoolRow>> {
    ex.fetch_all(
        query(
            "SELECT s.id, s.name, s.description, s.created_at FROM schools s \
             JOIN school_organisations so ON so.school_id = s.id \
             WHERE so.organisation_id = $1 ORDER BY s.name",
        )
        .bind(organisation_id),
    )
    .await
}

pub async fn all(ex: Ex<'_>) -> DbResult<Vec<SchoolRow>> {
    ex.fetch_all(query(
        "SELECT id, name, description, created_at FROM schools ORDER BY name",
    ))
    .await
}

/// The organisations a school belongs to (ids).
pub async fn organisation_ids(ex: Ex<'_>, school_id: Uuid) -> DbResult<Vec<Uuid>> {
    let rows: Vec<(Uuid,)> = ex
        .fetch_all(query("SELECT organisation_id FROM school_organisations WHERE school_id = $1").bind(school_id))
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub async fn count(ex: Ex<'_>) -> DbResult<i64> {
    ex.fetch_scalar(query("SELECT COUNT(*) FROM schools")).await
}

/// The (school, organisation) links of several schools at once.
pub async fn links(ex: Ex<'_>, school_ids: &[Uuid]) -> DbResult<Vec<(Uuid, Uuid)>> {
    if school_ids.is_empty() {
        return Ok(Vec::new());
    }
    let (q, marks) = crate::query::Query::dynamic(String::new()).bind_list(school_ids);
    let sql = format!("SELECT school_id, organisation_id FROM school_organisations WHERE school_id IN ({marks})");
    ex.fetch_all(q.with_sql(sql)).await
}
