//! Pages: attestations. A participant's own (`/sessions/{id}/attestation.pdf`),
//! the school's list and downloads (`/sessions/{id}/attestations`), and the
//! public verification by code (`/attestations/verifier`, `/attestations/{code}`,
//! no login: only what the paper itself shows).

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use maillage_core::{
    CoreError,
    attestations::{self, Attestation, Candidate},
    enrolment::Session,
};
use serde::Deserialize;

use crate::{
    AppState,
    error::WebError,
    forms::{id_or_404, page, see_other},
    layout::{Caller, Layout},
    pages::attendance::pdf_response,
};

pub async fn own(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let a = attestations::own(&state.ctx, &caller, id_or_404(&id)?).await?;
    let pdf = attestations::pdf(&state.ctx, &a)?;
    Ok(pdf_response(pdf, &format!("attestation-{}.pdf", a.code)))
}

#[derive(Template)]
#[template(path = "attestations/list.html")]
struct ListPage {
    layout: Layout,
    s: Session,
    people: Vec<Candidate>,
}

pub async fn list(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (s, people) = attestations::of_session(&state.ctx, &caller, id_or_404(&id)?).await?;
    page(ListPage { layout, s, people })
}

/// A participant's attestation for the school (issued on first download).
pub async fn of_person(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((id, person)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let a = attestations::for_person(&state.ctx, &caller, id_or_404(&id)?, id_or_404(&person)?).await?;
    let pdf = attestations::pdf(&state.ctx, &a)?;
    Ok(pdf_response(pdf, &format!("attestation-{}.pdf", a.code)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeQuery {
    code: Option<String>,
}

#[derive(Template)]
#[template(path = "attestations/verify.html")]
struct VerifyPage {
    layout: Layout,
    code: String,
}

/// The verification form; sent with a code, goes to that code's page.
pub async fn verify_form(layout: Layout, Query(q): Query<CodeQuery>) -> Result<Response, WebError> {
    match q.code.as_deref().map(attestations::normalise_code) {
        Some(c) if !c.is_empty() && c.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            Ok(see_other(&format!("/attestations/{c}")))
        }
        _ => page(VerifyPage {
            layout,
            code: q.code.unwrap_or_default(),
        }),
    }
}

#[derive(Template)]
#[template(path = "attestations/show.html")]
struct ShowPage {
    layout: Layout,
    a: Attestation,
}

#[derive(Template)]
#[template(path = "attestations/unknown.html")]
struct UnknownPage {
    layout: Layout,
    code: String,
}

pub async fn show(
    State(state): State<AppState>,
    layout: Layout,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    match attestations::verify(&state.ctx, &code).await {
        Ok(a) => page(ShowPage { layout, a }),
        Err(CoreError::NotFound) => {
            let html = UnknownPage { layout, code }.render()?;
            Ok((axum::http::StatusCode::NOT_FOUND, axum::response::Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

use axum::response::IntoResponse;
