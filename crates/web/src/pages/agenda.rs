//! Calendars: a session's `.ics` (`/sessions/{id}/agenda.ics`), the page of
//! one's sessions and calendar link (`/mon-agenda`), and the feed itself
//! (`/agenda/{token}.ics`, read by calendar applications without login).

use askama::Template;
use axum::{
    extract::{Path, State},
    http::HeaderValue,
    response::Response,
};
use maillage_core::agenda::{self, MySession};
use time::OffsetDateTime;

use crate::{
    AppState,
    error::WebError,
    forms::{id_or_404, page},
    layout::{Caller, Layout},
};

/// A calendar file to download (names built from dates and fixed words).
fn calendar(text: String, file: &str) -> Response {
    crate::forms::download(text, "text/calendar; charset=utf-8", file)
}

/// `/sessions/{id}/agenda.ics`: whoever may see the session page.
pub async fn session_ics(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (file, text) = agenda::session_ics(&state.ctx, &caller, id_or_404(&id)?).await?;
    Ok(calendar(text, &file))
}

/// `/agenda/{token}.ics`. The router cannot match a parameter followed by
/// a suffix within one segment (matchit 0.8), so the segment is taken whole
/// and must end in `.ics`.
pub async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response, WebError> {
    let token = file.strip_suffix(".ics").ok_or_else(WebError::not_found)?;
    let text = agenda::feed_ics(&state.ctx, token).await?;
    let mut res = calendar(text, "mon-agenda.ics");
    // The address is a secret: keep it out of search engines and referrers.
    res.headers_mut()
        .insert("x-robots-tag", HeaderValue::from_static("noindex, nofollow"));
    Ok(res)
}

#[derive(Template)]
#[template(path = "agenda/mine.html")]
struct MinePage {
    layout: Layout,
    sessions: Vec<MySession>,
    feed_created: Option<OffsetDateTime>,
    /// The feed's full address, right after its creation (shown once).
    new_url: Option<String>,
    deleted: bool,
}

async fn render(
    state: &AppState,
    layout: Layout,
    caller: &maillage_core::Actor,
    new_url: Option<String>,
    deleted: bool,
) -> Result<Response, WebError> {
    let feed_created = agenda::feed_created(&state.ctx, caller).await?;
    let sessions = agenda::my_sessions(&state.ctx, caller).await?;
    page(MinePage {
        layout,
        sessions,
        feed_created,
        new_url,
        deleted,
    })
}

pub async fn mine(State(state): State<AppState>, layout: Layout, Caller(caller): Caller) -> Result<Response, WebError> {
    render(&state, layout, &caller, None, false).await
}

/// Creates the feed, or replaces its link; the new address is shown in this
/// response only, like an API token on /compte.
pub async fn create_feed(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
) -> Result<Response, WebError> {
    let token = agenda::create_feed(&state.ctx, &caller).await?;
    let url = format!("{}{}", state.ctx.settings.public_url(), agenda::feed_path(&token));
    render(&state, layout, &caller, Some(url), false).await
}

pub async fn delete_feed(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
) -> Result<Response, WebError> {
    agenda::delete_feed(&state.ctx, &caller).await?;
    render(&state, layout, &caller, None, true).await
}
