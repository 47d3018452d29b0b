//! Cycles: sessions of a school grouped under one title (e.g. five days in
//! five towns plus a sixth for volunteers). The sessions point to their
//! cycle (`training_sessions.cycle_id`).

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{DbResult, Ex, query};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CycleRow {
    pub id: Uuid,
    pub school_id: Uuid,
    pub school_name: String,
    pub title: String,
    pub description: String,
    pub updated_at: OffsetDateTime,
}

const SELECT: &str = "SELECT c.id, c.school_id, s.name AS school_name, c.title, c.description, c.updated_at \
    FROM cycles c JOIN schools s ON s.id = c.school_id";

pub async fn insert(ex: Ex<'_>, school_id: Uuid, title: &str, description: &str) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO cycles (id, school_id, title, description, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(id)
        .bind(school_id)
        .bind(title)
        .bind(description)
        .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

pub async fn by_id(ex: Ex<'_>, id: Uuid) -> DbResult<Option<CycleRow>> {
    ex.fetch_optional(crate::query::Query::dynamic(format!("{SELECT} WHERE c.id = $1")).bind(id))
        .await
}

/// A school's cycles, by title.
pub async fn of_school(ex: Ex<'_>, school_id: Uuid) -> DbResult<Vec<CycleRow>> {
    ex.fetch_all(
        crate::query::Query::dynamic(format!("{SELECT} WHERE c.school_id = $1 ORDER BY c.title, c.id")).bind(school_id),
    )
    .await
}

/// Changes the title and description (scoped to the school).
pub async fn update(ex: Ex<'_>, school_id: Uuid, id: Uuid, title: &str, description: &str) -> DbResult<u64> {
    ex.execute(
        query("UPDATE cycles SET title = $3, description = $4, updated_at = $5 WHERE id = $1 AND school_id = $2")
            .bind(id)
            .bind(school_id)
            .bind(title)
            .bind(description)
            .bind(crate::now()),
    )
    .await
}
