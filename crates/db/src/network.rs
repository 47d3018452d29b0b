//! The network this installation serves (one row).

use time::OffsetDateTime;

use crate::{DbResult, Ex, query};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NetworkRow {
    pub name: String,
    pub description: String,
    pub created_at: OffsetDateTime,
}

pub async fn get(ex: Ex<'_>) -> DbResult<Option<NetworkRow>> {
    ex.fetch_optional(query("SELECT name, description, created_at FROM network WHERE id = 1"))
        .await
}

pub async fn upsert(ex: Ex<'_>, name: &str, description: &str) -> DbResult<u64> {
    ex.execute(
        query(
            "INSERT INTO network (id, name, description, created_at) VALUES (1, $1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description",
        )
        .bind(name)
        .bind(description)
        .bind(crate::now()),
    )
    .await
}

/// A trivial round trip, for `/health`.
pub async fn ping(ex: Ex<'_>) -> DbResult<()> {
    ex.fetch_scalar(query("SELECT CAST(1 AS BIGINT)")).await?;
    Ok(())
}
