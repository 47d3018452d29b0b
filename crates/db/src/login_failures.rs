//! Failed login attempts, counted per IP, per account and per trusted device.

use time::OffsetDateTime;

use crate::{DbResult, Ex, query};

pub async fn record(ex: Ex<'_>, scope: &str, key: &str, at: OffsetDateTime) -> DbResult<u64> {
    ex.execute(
        query("INSERT INTO login_failures (id, scope, key, at) VALUES ($1, $2, $3, $4)")
            .bind(crate::new_id())
            .bind(scope)
            .bind(key)
            .bind(at),
    )
    .await
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
