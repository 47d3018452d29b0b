//! Browser sessions. Only the SHA-256 of the cookie's token is stored, so a
//! leaked database does not leak live sessions.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{DbResult, Ex, query};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub token_hash: String,
    pub user_id: Uuid,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
}

pub async fn insert(ex: Ex<'_>, token_hash: &str, user_id: Uuid, expires_at: OffsetDateTime) -> DbResult<u64> {
    let now = crate::now();
    ex.execute(
        query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $3)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at),
    )
    .await
}

/// The live session with this token, if any.
pub async fn live(ex: Ex<'_>, token_hash: &str, now: OffsetDateTime) -> DbResult<Option<SessionRow>> {
    ex.fetch_optional(
        query(
            "SELECT token_hash, user_id, created_at, expires_at, last_seen_at FROM sessions \
             WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now),
    )
    .await
}

pub async fn touch(ex: Ex<'_>, token_hash: &str, now: OffsetDateTime, expires_at: OffsetDateTime) -> DbResult<u64> {
    ex.execute(
        query("UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE token_hash = $1")
            .bind(token_hash)
            .bind(now)
            .bind(expires_at),
    )
    .await
}

pub async fn delete(ex: Ex<'_>, token_hash: &str) -> DbResult<u64> {
    ex.execute(query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash))
        .await
}

/// Ends every session of a user but `keep` (e.g. after a password change).
pub async fn delete_for_user(ex: Ex<'_>, user_id: Uuid, keep: Option<&str>) -> DbResult<u64> {
    ex.execute(
        query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id)
            .bind(keep.unwrap_or("")),
    )
    .await
}

pub async fn delete_expired(ex: Ex<'_>, now: OffsetDateTime) -> DbResult<u64> {
    ex.execute(query("DELETE FROM sessions WHERE expires_at <= $1").bind(now))
        .await
}
