//! Cross-cutting layers: security headers and the rendering of every error
//! (see `error`).

use askama::Template;
use axum::{
    Json,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};
use maillage_core::Actor;
use serde::Serialize;

use crate::{
    AppState,
    error::{ErrorInfo, default_message},
    forms::see_other,
    layout::Layout,
};

/// Security headers on every response (CSP `default-src 'self'`, no framing,
/// no MIME sniffing, a strict referrer policy). HSTS when served over HTTPS.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: &'static str, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(
        h,
        "content-security-policy",
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "same-origin");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(
        h,
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    );
    // Pages may show personal data or a secret shown once (a new API token):
    // never kept in shared or browser caches. Static files set their own.
    set(h, "cache-control", "no-store");
    if state.ctx.settings.secure_cookies() {
        set(h, "strict-transport-security", "max-age=31536000");
    }
    res
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    title: &'static str,
    info: ErrorInfo,
}

#[derive(Serialize)]
struct ApiErrorBody<'a> {
    /// Stable code, e.g. `introuvable`.
    erreur: &'a str,
    /// French sentence for the user.
    message: &'a str,
    /// Field-level messages, when the input was invalid.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    champs: Vec<ApiFieldError<'a>>,
}

#[derive(Serialize)]
struct ApiFieldError<'a> {
    champ: &'a str,
    message: &'a str,
}

fn title(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 => "Connexion requise",
        403 => "Accès refusé",
        404 => "Page introuvable",
        409 => "Action impossible",
        413 => "Envoi trop volumineux",
        422 => "Données invalides",
        429 => "Trop de tentatives",
        408 | 503 | 504 => "Délai dépassé",
        s if s >= 500 => "Erreur du serveur",
        _ => "Requête impossible",
    }
}

/// Renders error responses that have no body yet: handlers' `WebError`s and
/// the bare statuses of other layers. Pages get HTML, `/api` gets JSON.
pub async fn error_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| path.clone());
    let res = next.run(req).await;
    let actor = res.extensions().get::<Actor>().cloned().unwrap_or_default();
    let status = res.status();
    // Bare errors, and axum's extractor rejections (plain English text), get
    // the French rendering; pages that rendered their own error are kept.
    let plain = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/plain"));
    if status.as_u16() < 400 || (res.headers().contains_key(header::CONTENT_TYPE) && !plain) {
        return res;
    }
    let csrf = res.extensions().get::<tower_http::csrf::ProtectionError>().is_some();
    let info = res.extensions().get::<ErrorInfo>().cloned().unwrap_or_else(|| {
        let (code, message) = default_message(status);
        let message = if csrf {
            "Requête refusée : elle ne semble pas venir de ce site. Rechargez la page et renvoyez le formulaire."
                .to_owned()
        } else {
            message.to_owned()
        };
        ErrorInfo {
            code,
            message,
            fields: Default::default(),
        }
    });
    let is_api = path == "/api" || path.starts_with("/api/");
    if is_api {
        let body = ApiErrorBody {
            erreur: info.code,
            message: &info.message,
            champs: info
                .fields
                .0
                .iter()
                .map(|(c, m)| ApiFieldError { champ: c, message: m })
                .collect(),
        };
        let mut out = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            out.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        return out;
    }
    if status == StatusCode::UNAUTHORIZED && actor.user().is_none() {
        let back = url_encode(&path_and_query);
        return see_other(&format!("/connexion?retour={back}"));
    }
    let page = ErrorPage {
        layout: Layout::new(&state, &actor, &path, None).await,
        status: status.as_u16(),
        title: title(status),
        info,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "rendu de la page d'erreur impossible");
            (status, "Erreur").into_response()
        }
    }
}

/// Percent-encodes a path for use in a query string.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
