//! The audit log: administrative changes and access to confidential data.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{DbResult, Ex, query};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub at: OffsetDateTime,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub target: String,
    pub detail: String,
}

pub async fn record(ex: Ex<'_>, actor_id: Option<Uuid>, action: &str, target: &str, detail: &str) -> DbResult<u64> {
    ex.execute(
        query("INSERT INTO audit_log (id, at, actor_id, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(crate::new_id())
            .bind(crate::now())
            .bind(actor_id)
            .bind(action)
            .bind(target)
            .bind(detail),
    )
    .await
}

pub async fn latest(ex: Ex<'_>, limit: i64) -> DbResult<Vec<AuditRow>> {
    ex.fetch_all(
        query("SELECT at, actor_id, action, target, detail FROM audit_log ORDER BY at DESC, id DESC LIMIT $1")
            .bind(limit),
    )
    .await
}
