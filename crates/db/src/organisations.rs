//! Member organisations of the network.

use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{DbResult, Ex, query, query::Query};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrganisationRow {
    pub id: Uuid,
    pub siren: String,
    pub name: String,
    pub kind: String,
    pub departement: Option<String>,
    pub region: Option<String>,
    pub membership: String,
    pub joined_on: Option<Date>,
    pub left_on: Option<Date>,
    pub description: String,
    pub website: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

const COLUMNS: &str = "id, siren, name, kind, departement, region, membership, joined_on, \
    left_on, description, website, created_at, updated_at";

pub struct NewOrganisation<'a> {
    pub siren: &'a str,
    pub name: &'a str,
    pub name_folded: &'a str,
    pub kind: &'a str,
    pub departement: Option<&'a str>,
    pub region: Option<&'a str>,
    pub membership: &'a str,
    pub joined_on: Option<Date>,
}

pub async fn insert(ex: Ex<'_>, o: &NewOrganisation<'_>) -> DbResult<Uuid> {
    let id = crate::new_id();
    let now = crate::now();
    ex.execute(
        query(
            "INSERT INTO organisations (id, siren, name, name_folded, kind, departement, region, \
             membership, joined_on, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
        )
        .bind(id)
        .bind(o.siren)
        .bind(o.name)
        .bind(o.name_folded)
        .bind(o.kind)
        .bind(o.departement)
        .bind(o.region)
        .bind(o.membership)
        .bind(o.joined_on)
        .bind(now),
    )
    .await?;
    Ok(id)
}

pub async fn by_siren(ex: Ex<'_>, siren: &str) -> DbResult<Option<OrganisationRow>> {
    ex.fetch_optional(Query::dynamic(format!("SELECT {COLUMNS} FROM organisations WHERE siren = $1")).bind(siren))
        .await
}

pub async fn by_id(ex: Ex<'_>, id: Uuid) -> DbResult<Option<OrganisationRow>> {
    ex.fetch_optional(Query::dynamic(format!("SELECT {COLUMNS} FROM organisations WHERE id = $1")).bind(id))
        .await
}

#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    /// Folded text contained in the folded name.
    pub name: Option<String>,
    pub kind: Option<String>,
    pub membership: Option<String>,
    pub region: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

fn filtered(select: &str, f: &ListFilter) -> Query {
    let mut q = Query::dynamic(String::new());
    let mut sql = format!("{select} FROM organisations WHERE 1 = 1");
    if let Some(name) = &f.name {
        sql.push_str(&format!(" AND name_folded LIKE {}", q.next_placeholder()));
        q = q.bind(format!("%{}%", escape_like(name)));
        sql.push_str(" ESCAPE '\\'");
    }
    for (col, v) in [("kind", &f.kind), ("membership", &f.membership), ("region", &f.region)] {
        if let Some(v) = v {
            sql.push_str(&format!(" AND {col} = {}", q.next_placeholder()));
            q = q.bind(v.as_str());
        }
    }
    q.with_sql(sql)
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

pub async fn list(ex: Ex<'_>, f: &ListFilter) -> DbResult<Vec<OrganisationRow>> {
    let q = filtered(&format!("SELECT {COLUMNS}"), f);
    let sql = format!(
        "{} ORDER BY name_folded, siren LIMIT {} OFFSET {}",
        q.sql(),
        f.limit.clamp(1, 1000),
        f.offset.max(0)
    );
    ex.fetch_all(q.with_sql(sql)).await
}

pub async fn count(ex: Ex<'_>, f: &ListFilter) -> DbResult<i64> {
    ex.fetch_scalar(filtered("SELECT COUNT(*)", f)).await
}

pub async fn count_members(ex: Ex<'_>) -> DbResult<i64> {
    ex.fetch_scalar(query("SELECT COUNT(*) FROM organisations WHERE membership = 'membre'"))
        .await
}

pub async fn update_membership(
    ex: Ex<'_>,
    id: Uuid,
    membership: &str,
    joined_on: Option<Date>,
    left_on: Option<Date>,
) -> DbResult<u64> {
    ex.execute(
        query(
            "UPDATE organisations SET membership = $2, joined_on = $3, left_on = $4, \
             updated_at = $5 WHERE id = $1",
        )
        .bind(id)
        .bind(membership)
        .bind(joined_on)
        .bind(left_on)
        .bind(crate::now()),
    )
    .await
}

pub async fn update_profile(ex: Ex<'_>, id: Uuid, description: &str, website: Option<&str>) -> DbResult<u64> {
    ex.execute(
        query("UPDATE organisations SET description = $2, website = $3, updated_at = $4 WHERE id = $1")
            .bind(id)
            .bind(description)
            .bind(website)
            .bind(crate::now()),
    )
    .await
}

/// Organisations by id, for resolving role assignments.
pub async fn by_ids(ex: Ex<'_>, ids: &[Uuid]) -> DbResult<Vec<OrganisationRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (q, marks) = Query::dynamic(String::new()).bind_list(ids);
    let sql = format!("SELECT {COLUMNS} FROM organisations WHERE id IN ({marks}) ORDER BY name_folded");
    ex.fetch_all(q.with_sql(sql)).await
}

/// The members that joined most recently (home page).
pub async fn recently_joined(ex: Ex<'_>, limit: i64) -> DbResult<Vec<OrganisationRow>> {
    ex.fetch_all(
        Query::dynamic(format!(
            "SELECT {COLUMNS} FROM organisations WHERE membership = 'membre' AND joined_on IS NOT NULL \
             ORDER BY joined_on DESC, name_folded LIMIT $1"
        ))
        .bind(limit),
    )
    .await
}
