//! Periods when a school schedules no session (holidays, closure).

use time::Date;
use uuid::Uuid;

use crate::{DbResult, Ex, query};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClosedPeriodRow {
    pub id: Uuid,
    pub school_id: Uuid,
    pub school_name: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub label: String,
}

const SELECT: &str = "SELECT p.id, p.school_id, s.name AS school_name, p.starts_on, p.ends_on, p.label \
    FROM closed_periods p JOIN schools s ON s.id = p.school_id";

pub async fn insert(ex: Ex<'_>, school_id: Uuid, starts_on: Date, ends_on: Date, label: &str) -> DbResult<Uuid> {
    let id = crate::new_id();
    ex.execute(
        query(
            "INSERT INTO closed_periods (id, school_id, starts_on, ends_on, label, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(school_id)
        .bind(starts_on)
        .bind(ends_on)
        .bind(label)
        .bind(crate::now()),
    )
    .await?;
    Ok(id)
}

pub async fn by_id(ex: Ex<'_>, id: Uuid) -> DbResult<Option<ClosedPeriodRow>> {
    ex.fetch_optional(crate::query::Query::dynamic(format!("{SELECT} WHERE p.id = $1")).bind(id))
        .await
}

/// Removes a period (scoped to its school).
pub async fn delete(ex: Ex<'_>, school_id: Uuid, id: Uuid) -> DbResult<u64> {
    ex.execute(
        query("DELETE FROM closed_periods WHERE id = $1 AND school_id = $2")
            .bind(id)
            .bind(school_id),
    )
    .await
}

/// The periods of these schools, by start.
pub async fn of_schools(ex: Ex<'_>, schools: &[Uuid]) -> DbResult<Vec<ClosedPeriodRow>> {
    if schools.is_empty() {
        return Ok(Vec::new());
    }
    let (q, marks) = crate::query::Query::dynamic(String::new()).bind_list(schools);
    ex.fetch_all(q.with_sql(format!(
        "{SELECT} WHERE p.school_id IN ({marks}) ORDER BY p.starts_on, s.name, p.id"
    )))
    .await
}

/// The school's periods overlapping [starts_on, ends_on].
pub async fn overlapping(
    ex: Ex<'_>,
    school_id: Uuid,
    starts_on: Date,
    ends_on: Date,
) -> DbResult<Vec<ClosedPeriodRow>> {
    ex.fetch_all(
        crate::query::Query::dynamic(format!(
            "{SELECT} WHERE p.school_id = $1 AND p.starts_on <= $3 AND p.ends_on >= $2 ORDER BY p.starts_on"
        ))
        .bind(school_id)
        .bind(starts_on)
        .bind(ends_on),
    )
    .await
}
