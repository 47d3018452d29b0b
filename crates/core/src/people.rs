//! The network's accounts as the coordinator sees them (/admin/personnes),
//! and the audit log.

use maillage_db::{audit, organisations, roles, users};
use maillage_domain::role::Role;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    Actor, CoreResult, Ctx,
    policy::{self, Action},
};

pub struct Account {
    pub id: Uuid,
    pub display_name: String,
    pub email: String,
    pub activated: bool,
    /// (role, organisation name; `None` = network-wide, organisation SIREN)
    pub roles: Vec<(Role, Option<(String, String)>)>,
}

pub async fn list(ctx: &Ctx, actor: &Actor, text: Option<&str>, page: i64) -> CoreResult<Vec<Account>> {
    policy::require(actor, &Action::Administer)?;
    let mut conn = ctx.db.conn().await?;
    let per_page = 50;
    let rows = users::search(
        conn.ex(),
        text.map(str::trim).filter(|t| !t.is_empty()),
        per_page,
        (page.max(1) - 1).saturating_mul(per_page),
    )
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for u in rows {
        let mut list = Vec::new();
        for r in roles::of_user(conn.ex(), u.id).await? {
            let Ok(role) = Role::parse(&r.role) else { continue };
            let org = match r.organisation_id {
                Some(id) => organisations::by_id(conn.ex(), id).await?.map(|o| (o.name, o.siren)),
                None => None,
            };
            list.push((role, org));
        }
        out.push(Account {
            id: u.id,
            display_name: u.display_name,
            email: u.email,
            activated: u.password_hash.is_some(),
            roles: list,
        });
    }
    Ok(out)
}

pub struct AuditEntry {
    pub at: OffsetDateTime,
    pub actor: Option<String>,
    pub action: String,
    pub target: String,
    pub detail: String,
}

pub async fn audit_log(ctx: &Ctx, actor: &Actor) -> CoreResult<Vec<AuditEntry>> {
    policy::require(actor, &Action::ViewAudit)?;
    let mut conn = ctx.db.conn().await?;
    let mut out = Vec::new();
    for a in audit::latest(conn.ex(), 200).await? {
        let who = match a.actor_id {
            Some(id) => users::by_id(conn.ex(), id).await?.map(|u| u.display_name),
            None => None,
        };
        out.push(AuditEntry {
            at: a.at,
            actor: who,
            action: a.action,
            target: a.target,
            detail: a.detail,
        });
    }
    Ok(out)
}
