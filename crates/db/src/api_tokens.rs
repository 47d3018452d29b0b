//! Personal API tokens. Only the SHA-256 of the secret is stored; the secret
//! is shown once, at creation.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{DbResult, Ex, query};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiTokenRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub prefix: String,
    pub created_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

pub async fn insert(ex: Ex<'_>, user_id: Uuid, name: &str, token_hash: &str, prefix: &str) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(user_id)
        .bind(name)
        .bind(token_hash)
        .bind(prefix)
        .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

/// A live (not revoked) token: its id, owner and last use.
pub async fn live(ex: Ex<'_>, token_hash: &str) -> DbResult<Option<(Uuid, Uuid, Option<OffsetDateTime>)>> {
    ex.fetch_optional(
        query("SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
            .bind(token_hash),
    )
    .await
}

pub async fn mark_used(ex: Ex<'_>, id: Uuid, now: OffsetDateTime) -> DbResult<u64> {
    ex.execute(
        query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now),
    )
    .await
}

pub async fn of_user(ex: Ex<'_>, user_id: Uuid) -> DbResult<Vec<ApiTokenRow>> {
    ex.fetch_all(
        query(
            "SELECT id, user_id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens \
             WHERE user_id = $1 ORDER BY created_at DESC",
        )
        .bind(user_id),
    )
    .await
}

/// Revokes a token of this user (the user scope makes another's token unreachable).
pub async fn revoke(ex: Ex<'_>, user_id: Uuid, id: Uuid) -> DbResult<u64> {
    ex.execute(
        query(
            "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 \
             AND revoked_at IS NULL",
        )
        .bind(id)
        .bind(user_id)
        .bind(crate::now()),
    )
    .await
}

/// Revokes every live token of a user (after a password reset).
pub async fn revoke_all(ex: Ex<'_>, user_id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL")
            .bind(user_id)
            .bind(crate::now()),
    )
    .await
}
