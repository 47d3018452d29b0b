//! Single-use links sent by email (password reset, invitation).

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{DbResult, Ex, query};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OneTimeTokenRow {
    pub token_hash: String,
    pub purpose: String,
    pub user_id: Option<Uuid>,
    pub email: String,
    pub organisation_id: Option<Uuid>,
    pub role: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
}

pub struct NewToken<'a> {
    pub token_hash: &'a str,
    pub purpose: &'a str,
    pub user_id: Option<Uuid>,
    pub email: &'a str,
    pub organisation_id: Option<Uuid>,
    pub role: Option<&'a str>,
    pub created_by: Option<Uuid>,
    pub expires_at: OffsetDateTime,
}

pub async fn insert(ex: Ex<'_>, t: &NewToken<'_>) -> DbResult<u64> {
    ex.execute(
        query(
            "INSERT INTO one_time_tokens (token_hash, purpose, user_id, email, organisation_id, \
             role, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(t.token_hash)
        .bind(t.purpose)
        .bind(t.user_id)
        .bind(t.email)
        .bind(t.organisation_id)
        .bind(t.role)
        .bind(t.created_by)
        .bind(crate::now())
        .bind(t.expires_at),
    )
    .await
}

/// The unused, unexpired token of this purpose.
pub async fn usable(
    ex: Ex<'_>,
    token_hash: &str,
    purpose: &str,
    now: OffsetDateTime,
) -> DbResult<Option<OneTimeTokenRow>> {
    ex.fetch_optional(
        query(
            "SELECT token_hash, purpose, user_id, email, organisation_id, role, created_by, \
             created_at, expires_at, used_at FROM one_time_tokens \
             WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
        )
        .bind(token_hash)
        .bind(purpose)
        .bind(now),
    )
    .await
}

/// Marks the token used; returns 0 if it was already used (a concurrent
/// request won), so the caller can refuse the second use.
pub async fn consume(ex: Ex<'_>, token_hash: &str, now: OffsetDateTime) -> DbResult<u64> {
    ex.execute(
        query("UPDATE one_time_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL")
            .bind(token_hash)
            .bind(now),
    )
    .await
}

/// Voids the other pending tokens of a user for a purpose (a new reset link
/// replaces the previous ones).
pub async fn void_for_user(ex: Ex<'_>, user_id: Uuid, purpose: &str, now: OffsetDateTime) -> DbResult<u64> {
    ex.execute(
        query(
            "UPDATE one_time_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 \
             AND used_at IS NULL",
        )
        .bind(user_id)
        .bind(purpose)
        .bind(now),
    )
    .await
}

/// Pending invitations of an organisation.
pub async fn pending_invitations(
    ex: Ex<'_>,
    organisation_id: Uuid,
    now: OffsetDateTime,
) -> DbResult<Vec<OneTimeTokenRow>> {
    ex.fetch_all(
        query(
            "SELECT token_hash, purpose, user_id, email, organisation_id, role, created_by, \
             created_at, expires_at, used_at FROM one_time_tokens \
             WHERE organisation_id = $1 AND purpose = 'invitation' AND used_at IS NULL \
             AND expires_at > $2 ORDER BY created_at DESC",
        )
        .bind(organisation_id)
        .bind(now),
    )
    .await
}

/// Forgets links that expired or were used before `before`.
pub async fn delete_stale(ex: Ex<'_>, before: OffsetDateTime) -> DbResult<u64> {
    ex.execute(
        query("DELETE FROM one_time_tokens WHERE expires_at <= $1 OR (used_at IS NOT NULL AND used_at <= $1)")
            .bind(before),
    )
    .await
}

/// How many links of this purpose were created for the user since `since`.
pub async fn count_created_since(ex: Ex<'_>, user_id: Uuid, purpose: &str, since: OffsetDateTime) -> DbResult<i64> {
    ex.fetch_scalar(
        query("SELECT COUNT(*) FROM one_time_tokens WHERE user_id = $1 AND purpose = $2 AND created_at > $3")
            .bind(user_id)
            .bind(purpose)
            .bind(since),
    )
    .await
}
