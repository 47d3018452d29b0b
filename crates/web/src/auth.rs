//! Who is asking: resolves the session cookie or the API bearer token into an
//! [`Actor`] once per request, and the cookies that carry it.

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{HeaderMap, HeaderValue, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use maillage_core::{Actor, accounts, api_tokens};
use std::net::SocketAddr;

use crate::{AppState, error::WebError};

pub const SESSION_COOKIE: &str = "maillage_session";
pub const DEVICE_COOKIE: &str = "maillage_appareil";

/// The session token of the request, when it carried a live one.
#[derive(Clone, Debug)]
pub struct SessionToken(pub String);

/// The caller's IP address, as used for login throttling.
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure behind TLS.
pub fn set_cookie(name: &str, value: &str, max_age_secs: Option<i64>, secure: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age_secs {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).expect("cookie values are URL-safe base64")
}

pub fn clear_cookie(name: &str, secure: bool) -> HeaderValue {
    set_cookie(name, "", Some(0), secure)
}

fn client_ip(req: &Request, behind_proxy: bool) -> String {
    if behind_proxy
        && let Some(ip) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    {
        return ip;
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "local".into())
}

/// Puts `Actor`, `ClientIp` and (if any) `SessionToken` into the request.
pub async fn resolve_actor(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let ip = client_ip(&req, state.ctx.settings.behind_proxy);
    req.extensions_mut().insert(ClientIp(ip));
    // Personal tokens open the API only: on the pages (which change state)
    // a token must not act as a logged-in browser.
    let is_api = req.uri().path().starts_with("/api/");
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .map(str::to_owned)
        .filter(|_| is_api);
    let mut actor = Actor::Anonymous;
    if let Some(secret) = bearer {
        match api_tokens::authenticate(&state.ctx, &secret).await {
            Ok(Some(a)) => actor = a,
            Ok(None) => {
                return WebError::new(
                    axum::http::StatusCode::UNAUTHORIZED,
                    "jeton-invalide",
                    "Jeton d'API inconnu ou révoqué : créez-en un nouveau depuis votre compte.",
                )
                .into_response();
            }
            Err(e) => return WebError::from(e).into_response(),
        }
    } else if let Some(token) = cookie(req.headers(), SESSION_COOKIE).map(str::to_owned) {
        match accounts::actor_from_session(&state.ctx, &token).await {
            Ok(a) => {
                if matches!(a, Actor::User(_)) {
                    req.extensions_mut().insert(SessionToken(token));
                }
                actor = a;
            }
            Err(e) => return WebError::from(e).into_response(),
        }
    }
    req.extensions_mut().insert(actor.clone());
    let mut res = next.run(req).await;
    // For the error renderer outside this layer (the page frame shows who is logged in).
    res.extensions_mut().insert(actor);
    res
}
