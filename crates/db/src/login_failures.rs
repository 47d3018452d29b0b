//! Login attempts, counted per IP, per account and per trusted device. An
//! attempt is recorded *before* the password is checked (so concurrent
//! attempts count each other) and deleted when it succeeds: what stays are
//! failures and attempts in flight.

use time::OffsetDateTime;

use crate::{DbResult, Ex, query};

pub async fn record(ex: Ex<'_>, scope: &str, key: &str, at: OffsetDateTime) -> DbResult<uuid::Uuid> {
    let id = crate::new_id();
    ex.execute(
        query("INSERT INTO login_failures (id, scope, key, at) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(scope)
            .bind(key)
            .bind(at),
    )
    .await?;
    Ok(id)
}

pub async fn count_since(ex: Ex<'_>, scope: &str, key: &str, since: OffsetDateTime) -> DbResult<i64> {
    ex.fetch_scalar(
        query("SELECT COUNT(*) FROM login_failures WHERE scope = $1 AND key = $2 AND at > $3")
            .bind(scope)
            .bind(key)
            .bind(since),
    )
    .await
}

pub async fn clear(ex: Ex<'_>, scope: &str, key: &str) -> DbResult<u64> {
    ex.execute(
        query("DELETE FROM login_failures WHERE scope = $1 AND key = $2")
            .bind(scope)
            .bind(key),
    )
    .await
}

pub async fn delete_before(ex: Ex<'_>, before: OffsetDateTime) -> DbResult<u64> {
    ex.execute(query("DELETE FROM login_failures WHERE at <= $1").bind(before))
        .await
}

/// Forgets these attempts (they succeeded).
pub async fn delete(ex: Ex<'_>, ids: &[uuid::Uuid]) -> DbResult<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let (q, marks) = crate::query::Query::dynamic(String::new()).bind_list(ids);
    let sql = format!("DELETE FROM login_failures WHERE id IN ({marks})");
    ex.execute(q.with_sql(sql)).await
}
