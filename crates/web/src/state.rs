//! Shared state of the router.

use maillage_core::Ctx;

#[derive(Clone)]
pub struct AppState {
    pub ctx: Ctx,
}

impl AppState {
    pub async fn new(ctx: Ctx) -> anyhow::Result<AppState> {
        Ok(AppState { ctx })
    }
}
