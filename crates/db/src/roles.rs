//! Role assignments: (account, organisation, role); `organisation_id` is
//! `None` for the network-wide coordinator role.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{DbResult, Ex, query};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoleRow {
    pub user_id: Uuid,
    pub organisation_id: Option<Uuid>,
    pub role: String,
    pub granted_at: OffsetDateTime,
}

/// Grants a role; granting it twice is not an error.
pub async fn grant(
    ex: Ex<'_>,
    user_id: Uuid,
    organisation_id: Option<Uuid>,
    role: &str,
    granted_by: Option<Uuid>,
) -> DbResult<u64> {
    // NOT EXISTS rather than ON CONFLICT: the unique index does not see two
    // NULL organisations as equal.
    ex.execute(
        query(
            "INSERT INTO role_assignments (id, user_id, organisation_id, role, granted_at, granted_by) \
             SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS (SELECT 1 FROM role_assignments \
             WHERE user_id = $2 AND role = $4 AND (organisation_id = $3 \
             OR (organisation_id IS NULL AND $3 IS NULL)))",
        )
        .bind(crate::new_id())
        .bind(user_id)
        .bind(organisation_id)
        .bind(role)
        .bind(crate::now())
        .bind(granted_by),
    )
    .await
}

pub async fn revoke(ex: Ex<'_>, user_id: Uuid, organisation_id: Option<Uuid>, role: &str) -> DbResult<u64> {
    ex.execute(
        query(
            "DELETE FROM role_assignments WHERE user_id = $1 AND role = $3 \
             AND (organisation_id = $2 OR (organisation_id IS NULL AND $2 IS NULL))",
        )
        .bind(user_id)
        .bind(organisation_id)
        .bind(role),
    )
    .await
}

/// Withdraws every role an account holds in one organisation.
pub async fn revoke_all_in(ex: Ex<'_>, user_id: Uuid, organisation_id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("DELETE FROM role_assignments WHERE user_id = $1 AND organisation_id = $2")
            .bind(user_id)
            .bind(organisation_id),
    )
    .await
}

pub async fn of_user(ex: Ex<'_>, user_id: Uuid) -> DbResult<Vec<RoleRow>> {
    ex.fetch_all(
        query(
            "SELECT user_id, organisation_id, role, granted_at FROM role_assignments \
             WHERE user_id = $1 ORDER BY granted_at",
        )
        .bind(user_id),
    )
    .await
}

pub async fn in_organisation(ex: Ex<'_>, organisation_id: Uuid) -> DbResult<Vec<RoleRow>> {
    ex.fetch_all(
        query(
            "SELECT user_id, organisation_id, role, granted_at FROM role_assignments \
             WHERE organisation_id = $1 ORDER BY granted_at",
        )
        .bind(organisation_id),
    )
    .await
}

/// How many accounts hold `role` anywhere (e.g. « is there a coordinator left? »).
pub async fn count_role(ex: Ex<'_>, role: &str) -> DbResult<i64> {
    ex.fetch_scalar(query("SELECT COUNT(DISTINCT user_id) FROM role_assignments WHERE role = $1").bind(role))
        .await
}
