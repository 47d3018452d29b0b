//! A school's planning around its sessions: cycles
//! (`/formations/cycles/{id}`), closed periods
//! (`/formations/periodes-fermees`) and the enrolment requests waiting for
//! the viewer's approval (`/mes-validations`).

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    response::Response,
};
use maillage_core::{
    Actor, FieldErrors,
    closed_periods::{self, ClosedPeriod},
    cycles::{self, CycleView},
    enrolment::approval::{self, Request},
    schools::{self, School},
};
use uuid::Uuid;

use crate::{
    AppState,
    error::WebError,
    forms::{field_errors, first, id_or_404, invalid, page, see_other},
    layout::{Caller, Layout},
};

#[derive(Template)]
#[template(path = "cycles/show.html")]
struct CyclePage {
    layout: Layout,
    v: CycleView,
    title: String,
    description: String,
    errors: FieldErrors,
}

pub async fn show(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let v = cycles::get(&state.ctx, &caller, id_or_404(&id)?).await?;
    page(CyclePage {
        layout,
        title: v.cycle.title.clone(),
        description: v.cycle.description.clone(),
        v,
        errors: FieldErrors::new(),
    })
}

pub async fn update(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let (title, description) = (first(&pairs, "title"), first(&pairs, "description"));
    match cycles::update(&state.ctx, &caller, id, &title, &description).await {
        Ok(()) => Ok(see_other(&format!("/formations/cycles/{id}?info=cycle-enregistre"))),
        Err(e) => {
            let errors = field_errors(e)?;
            let v = cycles::get(&state.ctx, &caller, id).await?;
            invalid(CyclePage {
                layout,
                v,
                title,
                description,
                errors,
            })
        }
    }
}

#[derive(Template)]
#[template(path = "cycles/closed_periods.html")]
struct ClosedPage {
    layout: Layout,
    periods: Vec<ClosedPeriod>,
    schools: Vec<School>,
    f: closed_periods::Input,
    errors: FieldErrors,
}

async fn render_closed(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    f: closed_periods::Input,
    errors: FieldErrors,
) -> Result<ClosedPage, WebError> {
    let schools = schools::manageable(&state.ctx, caller).await?;
    if schools.is_empty() {
        // Only for those who run a school.
        return Err(maillage_core::CoreError::Forbidden.into());
    }
    Ok(ClosedPage {
        layout,
        periods: closed_periods::list(&state.ctx, caller).await?,
        schools,
        f,
        errors,
    })
}

pub async fn closed_list(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
) -> Result<Response, WebError> {
    maillage_core::policy::require(&caller, &maillage_core::policy::Action::ViewCatalogue)?;
    page(render_closed(&state, layout, &caller, Default::default(), FieldErrors::new()).await?)
}

pub async fn closed_add(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = closed_periods::Input {
        school: first(&pairs, "school"),
        label: first(&pairs, "label"),
        starts_on: first(&pairs, "starts_on"),
        ends_on: first(&pairs, "ends_on"),
    };
    match closed_periods::add(&state.ctx, &caller, &f).await {
        Ok(_) => Ok(see_other("/formations/periodes-fermees?info=periode-ajoutee")),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_closed(&state, layout, &caller, f, errors).await?)
        }
    }
}

pub async fn closed_remove(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    closed_periods::remove(&state.ctx, &caller, id_or_404(&id)?).await?;
    Ok(see_other("/formations/periodes-fermees?info=periode-retiree"))
}

#[derive(Template)]
#[template(path = "cycles/approvals.html")]
struct ApprovalsPage {
    layout: Layout,
    requests: Vec<Request>,
}

pub async fn approvals(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
) -> Result<Response, WebError> {
    page(ApprovalsPage {
        layout,
        requests: approval::pending(&state.ctx, &caller).await?,
    })
}

/// `decision`: « accepter » or « refuser »; `note`: optional.
pub async fn decide(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id: Uuid = id_or_404(&id)?;
    let approve = match first(&pairs, "decision").as_str() {
        "accepter" => true,
        "refuser" => false,
        _ => {
            return Err(maillage_core::CoreError::Invalid(FieldErrors(vec![(
                "decision",
                "Choisissez d'accepter ou de refuser la demande.".into(),
            )]))
            .into());
        }
    };
    approval::decide(&state.ctx, &caller, id, approve, &first(&pairs, "note")).await?;
    Ok(see_other("/mes-validations?info=demande-traitee"))
}
