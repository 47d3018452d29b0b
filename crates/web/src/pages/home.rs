//! `/`: the network's home — figures, members, what's new.

use askama::Template;
use axum::{extract::State, response::Response};
use maillage_core::{network, organisations};

use crate::{AppState, error::WebError, forms::page, layout::Layout};

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    layout: Layout,
    home: network::Home,
    recent: Vec<organisations::Organisation>,
}

pub async fn show(State(state): State<AppState>, layout: Layout) -> Result<Response, WebError> {
    let home = network::home(&state.ctx).await?;
    let recent = organisations::recently_joined(&state.ctx, 6).await?;
    page(Home { layout, home, recent })
}
