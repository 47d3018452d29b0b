//! The network as a whole: its name, the home page's figures and feed.

use maillage_db::{activity, audit, network, organisations, schools, users};
use time::OffsetDateTime;

use crate::{
    Actor, CoreResult, Ctx, FieldErrors,
    policy::{self, Action},
};

pub const DEFAULT_NAME: &str = "Réseau des écoles de management";

#[derive(Debug, Clone)]
pub struct Home {
    pub name: String,
    pub description: String,
    pub members: i64,
    pub schools: i64,
    pub accounts: i64,
    pub news: Vec<News>,
}

#[derive(Debug, Clone)]
pub struct News {
    pub at: OffsetDateTime,
    pub summary: String,
    pub link: Option<String>,
}

/// The network's name, shown in every page's header (cached).
pub async fn name(ctx: &Ctx) -> CoreResult<String> {
    let name = ctx
        .caches
        .network_name
        .get_or_compute("", || async {
            let mut conn = ctx.db.conn().await?;
            Ok(network::get(conn.ex())
                .await?
                .map(|n| n.name)
                .unwrap_or_else(|| DEFAULT_NAME.into()))
        })
        .await?;
    Ok((*name).clone())
}

/// Names and describes the network (coordinator).
pub async fn update(ctx: &Ctx, actor: &Actor, name: &str, description: &str) -> CoreResult<()> {
    policy::require(actor, &Action::ManageNetwork)?;
    let (name, description) = (name.trim(), description.trim());
    let mut errors = FieldErrors::new();
    match name.chars().count() {
        0 => errors.add("name", "Donnez un nom au réseau, par exemple « Réseau Remix »."),
        n if n > 120 => errors.add("name", "Le nom est trop long (120 caractères au plus)."),
        _ => {}
    }
    if description.chars().count() > 2000 {
        errors.add(
            "description",
            "La présentation est trop longue (2 000 caractères au plus).",
        );
    }
    errors.into_result()?;
    let mut tx = ctx.db.begin().await?;
    network::upsert(tx.ex(), name, description).await?;
    audit::record(tx.ex(), actor.user_id(), "network.update", name, "").await?;
    tx.commit().await?;
    Ok(())
}

/// Everything on the home page is public information about the network
/// (cached: the same for every visitor).
pub async fn home(ctx: &Ctx) -> CoreResult<Home> {
    let home = ctx.caches.home.get_or_compute("", || compute_home(ctx)).await?;
    Ok((*home).clone())
}

async fn compute_home(ctx: &Ctx) -> CoreResult<Home> {
    let mut conn = ctx.db.conn().await?;
    let net = network::get(conn.ex()).await?;
    Ok(Home {
        name: net
            .as_ref()
            .map(|n| n.name.clone())
            .unwrap_or_else(|| DEFAULT_NAME.into()),
        description: net.map(|n| n.description).unwrap_or_default(),
        members: organisations::count_members(conn.ex()).await?,
        schools: schools::count(conn.ex()).await?,
        accounts: users::count(conn.ex()).await?,
        news: activity::latest(conn.ex(), 12)
            .await?
            .into_iter()
            .map(|a| News {
                at: a.at,
                summary: a.summary,
                link: a.link,
            })
            .collect(),
    })
}
