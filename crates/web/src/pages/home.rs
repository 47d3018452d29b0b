//! `/`: the network's home — figures, members, what's new.

use askama::Template;
use axum::{extract::State, response::Response};
use maillage_core::{network, organisations, projects::life::help};

use crate::{
    AppState,
    error::WebError,
    forms::page,
    layout::{Caller, Layout},
};

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    layout: Layout,
    home: network::Home,
    recent: Vec<organisations::Organisation>,
    /// Open help requests of the projects the viewer may see (none when
    /// logged out): not cached, it depends on who looks.
    help: Vec<help::FeedItem>,
}

pub async fn show(State(state): State<AppState>, layout: Layout, Caller(caller): Caller) -> Result<Response, WebError> {
    let home = network::home(&state.ctx).await?;
    let recent = organisations::recently_joined(&state.ctx, 6).await?;
    let help = help::feed(&state.ctx, &caller, 5).await?;
    page(Home {
        layout,
        home,
        recent,
        help,
    })
}
