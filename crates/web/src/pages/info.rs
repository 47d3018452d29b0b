//! Information pages linked from every footer, static assets and `/health`.

use askama::Template;
use axum::{
    Json,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;

use crate::{AppState, error::WebError, forms::page, layout::Layout};

#[derive(Template)]
#[template(path = "info/accessibility.html")]
struct Accessibility {
    layout: Layout,
}

pub async fn accessibility(layout: Layout) -> Result<Response, WebError> {
    page(Accessibility { layout })
}

#[derive(Template)]
#[template(path = "info/privacy.html")]
struct Privacy {
    layout: Layout,
}

pub async fn privacy(layout: Layout) -> Result<Response, WebError> {
    page(Privacy { layout })
}

#[derive(Template)]
#[template(path = "info/sitemap.html")]
struct Sitemap {
    layout: Layout,
}

pub async fn sitemap(layout: Layout) -> Result<Response, WebError> {
    page(Sitemap { layout })
}

// Assets are compiled into the binary: one file to install.
const CSS: &str = include_str!("../../../../static/maillage.css");
const FAVICON: &str = include_str!("../../../../static/favicon.svg");

pub async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

pub async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        FAVICON,
    )
        .into_response()
}

#[derive(Serialize)]
struct Health {
    statut: &'static str,
    base: &'static str,
}

/// Liveness and database check, for supervision.
pub async fn health(State(state): State<AppState>) -> Response {
    let backend = match state.ctx.db.backend() {
        maillage_db::Backend::Sqlite => "sqlite",
        maillage_db::Backend::Postgres => "postgresql",
    };
    let ok = match state.ctx.db.conn().await {
        Ok(mut c) => maillage_db::network::ping(c.ex()).await.is_ok(),
        Err(_) => false,
    };
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(Health {
            statut: if ok { "ok" } else { "base de données injoignable" },
            base: backend,
        }),
    )
        .into_response()
}
