//! The network as a whole: its name, the home page's figures and feed.

use maillage_db::{activity, network, organisations, schools, users};
use time::OffsetDateTime;

use crate::{CoreResult, Ctx};

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

pub async fn name(ctx: &Ctx) -> CoreResult<String> {
    let mut conn = ctx.db.conn().await?;
    Ok(network::get(conn.ex())
        .await?
        .map(|n| n.name)
        .unwrap_or_else(|| DEFAULT_NAME.into()))
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
