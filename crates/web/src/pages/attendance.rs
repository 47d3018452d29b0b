//! Pages: attendance. The half-days of a session for the school
//! (`/sessions/{id}/demi-journees`), the attendance sheets for the school and
//! the session's trainers (`/sessions/{id}/emargement`, one form per
//! half-day) and the printable sign-in sheet (PDF).

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    response::Response,
};
use maillage_core::{
    FieldErrors,
    attendance::{self, Sheet, Slot, SlotInput, Status},
    enrolment::Session,
};
use serde::Deserialize;

use crate::{
    AppState,
    error::WebError,
    forms::{field_errors, id_or_404, invalid, page, see_other},
    layout::{Caller, Layout},
};

/// A PDF answer, shown in the browser or saved under `file`.
pub fn pdf_response(bytes: Vec<u8>, file: &str) -> Response {
    crate::forms::inline(bytes, "application/pdf", file)
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SlotForm {
    day: String,
    half: String,
    starts_at: String,
    ends_at: String,
    place: String,
    room: String,
}

#[derive(Template)]
#[template(path = "attendance/slots.html")]
struct SlotsPage {
    layout: Layout,
    s: Session,
    slots: Vec<Slot>,
    f: SlotForm,
    errors: FieldErrors,
}

async fn render_slots(
    state: &AppState,
    layout: Layout,
    caller: &maillage_core::Actor,
    id: uuid::Uuid,
    f: SlotForm,
    errors: FieldErrors,
) -> Result<SlotsPage, WebError> {
    let (s, slots) = attendance::half_days(&state.ctx, caller, id).await?;
    Ok(SlotsPage {
        layout,
        s,
        slots,
        f,
        errors,
    })
}

pub async fn slots(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let f = SlotForm {
        half: "matin".into(),
        starts_at: "09:00".into(),
        ends_at: "12:30".into(),
        ..Default::default()
    };
    page(render_slots(&state, layout, &caller, id, f, FieldErrors::new()).await?)
}

pub async fn add_slot(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(f): Form<SlotForm>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let input = SlotInput {
        day: f.day.clone(),
        half: f.half.clone(),
        starts_at: f.starts_at.clone(),
        ends_at: f.ends_at.clone(),
        place: f.place.clone(),
        room: f.room.clone(),
    };
    match attendance::add_slot(&state.ctx, &caller, id, &input).await {
        Ok(_) => Ok(see_other(&format!(
            "/sessions/{id}/demi-journees?info=demi-journee-ajoutee"
        ))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_slots(&state, layout, &caller, id, f, errors).await?)
        }
    }
}

pub async fn remove_slot(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((id, slot)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (id, slot) = (id_or_404(&id)?, id_or_404(&slot)?);
    attendance::remove_slot(&state.ctx, &caller, id, slot).await?;
    Ok(see_other(&format!(
        "/sessions/{id}/demi-journees?info=demi-journee-supprimee"
    )))
}

#[derive(Template)]
#[template(path = "attendance/index.html")]
struct IndexPage {
    layout: Layout,
    s: Session,
    slots: Vec<Slot>,
    enrolled: usize,
    completed: usize,
}

pub async fn index(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let r = attendance::register(&state.ctx, &caller, id).await?;
    page(IndexPage {
        layout,
        enrolled: r.people.len(),
        completed: r.people.iter().filter(|p| p.completed).count(),
        s: r.session,
        slots: r.slots,
    })
}

#[derive(Template)]
#[template(path = "attendance/sheet.html")]
struct SheetPage {
    layout: Layout,
    /// The session (for the breadcrumb shared with the other pages).
    s: Session,
    sheet: Sheet,
    statuses: [Status; 3],
    errors: FieldErrors,
}

pub async fn sheet(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path((id, slot)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (id, slot) = (id_or_404(&id)?, id_or_404(&slot)?);
    let sheet = attendance::sheet(&state.ctx, &caller, id, slot).await?;
    page(SheetPage {
        layout,
        s: sheet.session.clone(),
        sheet,
        statuses: Status::ALL,
        errors: FieldErrors::new(),
    })
}

/// The sheet as posted: `p-{person id}` = status.
pub async fn record(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path((id, slot)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let (id, slot) = (id_or_404(&id)?, id_or_404(&slot)?);
    let entries: Vec<(String, String)> = pairs
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("p-").map(|who| (who.to_owned(), v.clone())))
        .collect();
    match attendance::record(&state.ctx, &caller, id, slot, &entries).await {
        Ok(_) => Ok(see_other(&format!(
            "/sessions/{id}/emargement?info=emargement-enregistre"
        ))),
        Err(e) => {
            let errors = field_errors(e)?;
            let mut sheet = attendance::sheet(&state.ctx, &caller, id, slot).await?;
            // Show what was typed.
            for line in &mut sheet.lines {
                if let Some((_, v)) = entries.iter().find(|(who, _)| *who == line.user_id.to_string()) {
                    line.status = Status::parse(v);
                }
            }
            invalid(SheetPage {
                layout,
                s: sheet.session.clone(),
                sheet,
                statuses: Status::ALL,
                errors,
            })
        }
    }
}

pub async fn sign_in_sheet(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((id, slot)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (id, slot) = (id_or_404(&id)?, id_or_404(&slot)?);
    let pdf = attendance::sign_in_sheet(&state.ctx, &caller, id, slot).await?;
    Ok(pdf_response(pdf, "feuille-emargement.pdf"))
}
