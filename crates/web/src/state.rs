//! Shared state of the router.

use std::sync::Arc;

use maillage_core::Ctx;

#[derive(Clone)]
pub struct AppState {
    pub ctx: Ctx,
    /// The network's name, shown in every page's header (read at start).
    pub network_name: Arc<str>,
}

impl AppState {
    pub async fn new(ctx: Ctx) -> anyhow::Result<AppState> {
        let network_name = maillage_core::network::name(&ctx).await?;
        Ok(AppState {
            ctx,
            network_name: network_name.into(),
        })
    }
}
