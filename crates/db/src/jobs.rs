//! The job queue. A job is enqueued in the same transaction as the write that
//! causes it, so it exists if and only if the write committed. Jobs are
//! idempotent: `dedup_key` makes a second enqueue a no-op, and a job may run
//! again after a crash (its lease expires).

use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::{Backend, DbResult, Ex, query};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    pub id: Uuid,
    pub kind: String,
    pub payload: String,
    pub attempts: i32,
}

pub async fn enqueue(
    ex: Ex<'_>,
    kind: &str,
    payload: &str,
    dedup_key: Option<&str>,
    run_after: OffsetDateTime,
) -> DbResult<u64> {
    ex.execute(
        query(
            "INSERT INTO jobs (id, kind, payload, dedup_key, run_after, attempts, created_at) \
             VALUES ($1, $2, $3, $4, $5, 0, $6) ON CONFLICT (dedup_key) DO NOTHING",
        )
        .bind(crate::new_id())
        .bind(kind)
        .bind(payload)
        .bind(dedup_key)
        .bind(run_after)
        .bind(crate::now()),
    )
    .await
}

/// Claims the next due job for `lease`; `None` when there is nothing to do.
pub async fn claim(ex: Ex<'_>, now: OffsetDateTime, lease: Duration) -> DbResult<Option<JobRow>> {
    // PostgreSQL: SKIP LOCKED lets several workers poll without blocking each
    // other. SQLite has a single writer, so the plain form is already exclusive.
    let q = match ex.backend() {
        Backend::Postgres => query(
            "UPDATE jobs SET locked_until = $2, attempts = attempts + 1 WHERE id = \
             (SELECT id FROM jobs WHERE done_at IS NULL AND run_after <= $1 \
              AND (locked_until IS NULL OR locked_until < $1) \
              ORDER BY run_after LIMIT 1 FOR UPDATE SKIP LOCKED) \
             RETURNING id, kind, payload, attempts",
        ),
        Backend::Sqlite => query(
            "UPDATE jobs SET locked_until = $2, attempts = attempts + 1 WHERE id = \
             (SELECT id FROM jobs WHERE done_at IS NULL AND run_after <= $1 \
              AND (locked_until IS NULL OR locked_until < $1) \
              ORDER BY run_after LIMIT 1) \
             RETURNING id, kind, payload, attempts",
        ),
    };
    ex.fetch_optional(q.bind(now).bind(now + lease)).await
}

pub async fn complete(ex: Ex<'_>, id: Uuid, now: OffsetDateTime) -> DbResult<u64> {
    ex.execute(
        // The payload goes: a sent mail may hold a reset or invitation link,
        // which must not stay readable in the database.
        query("UPDATE jobs SET done_at = $2, locked_until = NULL, last_error = NULL, payload = '' WHERE id = $1")
            .bind(id)
            .bind(now),
    )
    .await
}

/// Records a failure and schedules a retry at `retry_at`.
pub async fn fail(ex: Ex<'_>, id: Uuid, error: &str, retry_at: OffsetDateTime) -> DbResult<u64> {
    ex.execute(
        query("UPDATE jobs SET last_error = $2, run_after = $3, locked_until = NULL WHERE id = $1")
            .bind(id)
            .bind(error)
            .bind(retry_at),
    )
    .await
}

pub async fn count_pending(ex: Ex<'_>) -> DbResult<i64> {
    ex.fetch_scalar(query("SELECT COUNT(*) FROM jobs WHERE done_at IS NULL"))
        .await
}

/// Forgets jobs completed before `before`.
pub async fn delete_done_before(ex: Ex<'_>, before: OffsetDateTime) -> DbResult<u64> {
    ex.execute(query("DELETE FROM jobs WHERE done_at IS NOT NULL AND done_at <= $1").bind(before))
        .await
}
