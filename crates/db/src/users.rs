//! Accounts.

use time::OffsetDateTime;
use uuid::Uuid;

use crate::{DbResult, Ex, query, query::Query};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub active: bool,
    pub created_at: OffsetDateTime,
    pub password_changed_at: Option<OffsetDateTime>,
}

const COLUMNS: &str = "id, email, display_name, password_hash, active, created_at, password_changed_at";

/// Inserts an account; a unique violation on `users.email` means the address is taken.
pub async fn insert(ex: Ex<'_>, email: &str, display_name: &str, password_hash: Option<&str>) -> DbResult<Uuid> {
    let id = crate::new_id();
    let now = crate::now();
    ex.execute(
        query(
            "INSERT INTO users (id, email, display_name, password_hash, active, created_at, \
             password_changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(email)
        .bind(display_name)
        .bind(password_hash)
        .bind(true)
        .bind(now)
        .bind(password_hash.map(|_| now)),
    )
    .await?;
    Ok(id)
}

pub async fn by_email(ex: Ex<'_>, email: &str) -> DbResult<Option<UserRow>> {
    ex.fetch_optional(Query::dynamic(format!("SELECT {COLUMNS} FROM users WHERE email = $1")).bind(email))
        .await
}

pub async fn by_id(ex: Ex<'_>, id: Uuid) -> DbResult<Option<UserRow>> {
    ex.fetch_optional(Query::dynamic(format!("SELECT {COLUMNS} FROM users WHERE id = $1")).bind(id))
        .await
}

pub async fn set_password(ex: Ex<'_>, id: Uuid, password_hash: &str) -> DbResult<u64> {
    ex.execute(
        query("UPDATE users SET password_hash = $2, password_changed_at = $3 WHERE id = $1")
            .bind(id)
            .bind(password_hash)
            .bind(crate::now()),
    )
    .await
}

pub async fn count(ex: Ex<'_>) -> DbResult<i64> {
    ex.fetch_scalar(query("SELECT COUNT(*) FROM users")).await
}

/// Accounts holding at least one role in `organisation_id`, by name.
pub async fn in_organisation(ex: Ex<'_>, organisation_id: Uuid) -> DbResult<Vec<UserRow>> {
    ex.fetch_all(
        Query::dynamic(format!(
            "SELECT {COLUMNS} FROM users WHERE id IN \
             (SELECT user_id FROM role_assignments WHERE organisation_id = $1) \
             ORDER BY display_name, email"
        ))
        .bind(organisation_id),
    )
    .await
}

/// Every account (coordinator's view), optionally filtered on email/name.
pub async fn search(ex: Ex<'_>, text: Option<&str>, limit: i64, offset: i64) -> DbResult<Vec<UserRow>> {
    let mut q = Query::dynamic(String::new());
    let mut sql = format!("SELECT {COLUMNS} FROM users");
    if let Some(t) = text {
        let p = q.next_placeholder();
        sql.push_str(&format!(
            " WHERE LOWER(email) LIKE {p} ESCAPE '\\' OR LOWER(display_name) LIKE {p} ESCAPE '\\'"
        ));
        q = q.bind(format!("%{}%", crate::organisations::escape_like(&t.to_lowercase())));
    }
    sql.push_str(&format!(
        " ORDER BY display_name, email LIMIT {} OFFSET {}",
        limit.clamp(1, 500),
        offset.max(0)
    ));
    ex.fetch_all(q.with_sql(sql)).await
}
