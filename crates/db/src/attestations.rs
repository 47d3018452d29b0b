//! SQL for attestations: a snapshot of what was certified, found again by its
//! public verification code.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{DbResult, Ex, query};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttestationRow {
    pub id: Uuid,
    pub code: String,
    pub user_id: Option<Uuid>,
    pub holder_name: String,
    pub kind: String,
    pub session_id: Option<Uuid>,
    pub school_id: Option<Uuid>,
    pub title: String,
    pub school_name: String,
    pub details: String,
    pub issued_on: Date,
    pub revoked_at: Option<OffsetDateTime>,
}

const COLUMNS: &str = "id, code, user_id, holder_name, kind, session_id, school_id, title, school_name, details, \
    issued_on, revoked_at";

pub struct NewAttestation<'a> {
    pub code: &'a str,
    pub user_id: Uuid,
    pub holder_name: &'a str,
    pub session_id: Uuid,
    pub school_id: Uuid,
    pub title: &'a str,
    pub school_name: &'a str,
    pub details: &'a str,
    pub issued_on: Date,
    pub issued_by: Option<Uuid>,
}

/// Issues a session attestation. A unique violation on `code` means the
/// random code was drawn twice: draw again.
pub async fn insert(ex: Ex<'_>, a: &NewAttestation<'_>) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO attestations (id, code, user_id, holder_name, kind, session_id, path_id, school_id, title, \
             school_name, details, issued_on, issued_by, revoked_at, created_at) \
             VALUES ($1, $2, $3, $4, 'session', $5, NULL, $6, $7, $8, $9, $10, $11, NULL, $12)",
        )
        .bind(id)
        .bind(a.code)
        .bind(a.user_id)
        .bind(a.holder_name)
        .bind(a.session_id)
        .bind(a.school_id)
        .bind(a.title)
        .bind(a.school_name)
        .bind(a.details)
        .bind(a.issued_on)
        .bind(a.issued_by)
        .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

pub async fn by_code(ex: Ex<'_>, code: &str) -> DbResult<Option<AttestationRow>> {
    ex.fetch_optional(
        crate::query::Query::dynamic(format!("SELECT {COLUMNS} FROM attestations WHERE code = $1")).bind(code),
    )
    .await
}

/// The attestation of this person for this session that is still valid.
pub async fn of_person(ex: Ex<'_>, session_id: Uuid, user_id: Uuid) -> DbResult<Option<AttestationRow>> {
    ex.fetch_optional(
        crate::query::Query::dynamic(format!(
            "SELECT {COLUMNS} FROM attestations WHERE kind = 'session' AND session_id = $1 AND user_id = $2 \
             AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1"
        ))
        .bind(session_id)
        .bind(user_id),
    )
    .await
}

/// Every attestation issued for a session.
pub async fn of_session(ex: Ex<'_>, session_id: Uuid) -> DbResult<Vec<AttestationRow>> {
    ex.fetch_all(
        crate::query::Query::dynamic(format!(
            "SELECT {COLUMNS} FROM attestations WHERE kind = 'session' AND session_id = $1 ORDER BY holder_name"
        ))
        .bind(session_id),
    )
    .await
}
