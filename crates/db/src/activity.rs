//! « Quoi de neuf » : what happened in the network, for the home page.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{DbResult, Ex, query};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActivityRow {
    pub id: Uuid,
    pub at: OffsetDateTime,
    pub kind: String,
    pub organisation_id: Option<Uuid>,
    pub summary: String,
    pub link: Option<String>,
}

pub async fn record(
    ex: Ex<'_>,
    kind: &str,
    organisation_id: Option<Uuid>,
    actor_id: Option<Uuid>,
    summary: &str,
    link: Option<&str>,
    at: OffsetDateTime,
) -> DbResult<u64> {
    ex.execute(
        query(
            "INSERT INTO activity (id, at, kind, organisation_id, actor_id, summary, link) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(crate::new_id())
        .bind(at)
        .bind(kind)
        .bind(organisation_id)
        .bind(actor_id)
        .bind(summary)
        .bind(link),
    )
    .await
}

/// The latest public events of the network (everything recorded here is
/// network-visible: private events are not recorded in this feed).
pub async fn latest(ex: Ex<'_>, limit: i64) -> DbResult<Vec<ActivityRow>> {
    ex.fetch_all(
        query(
            "SELECT id, at, kind, organisation_id, summary, link FROM activity \
             ORDER BY at DESC, id DESC LIMIT $1",
        )
        .bind(limit),
    )
    .await
}
