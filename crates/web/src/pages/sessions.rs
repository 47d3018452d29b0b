//! Sessions of a module: scheduling one (`/formations/{id}/sessions/nouvelle`),
//! its page with enrolment and cancellation (`/sessions/{id}`), and the
//! roster for the organising school.

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    response::Response,
};
use maillage_core::{
    Actor, FieldErrors,
    catalogue::{self, Module},
    enrolment::{self, Input, Participant, Session, Standing},
    schools,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    AppState,
    error::WebError,
    forms::{field_errors, id_or_404, invalid, page, see_other},
    layout::{Caller, Layout},
};

#[derive(Template)]
#[template(path = "sessions/show.html")]
struct ShowPage {
    layout: Layout,
    s: Session,
    standing: Option<Standing>,
    open: bool,
    can_cancel: bool,
    roster: Option<Vec<Participant>>,
}

pub async fn show(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let s = enrolment::get(&state.ctx, &caller, id).await?;
    let standing = enrolment::standing(&state.ctx, &caller, id).await?;
    let roster = if enrolment::can_manage(&state.ctx, &caller, &s).await? {
        Some(enrolment::roster(&state.ctx, &caller, id).await?)
    } else {
        None
    };
    let today = enrolment::today();
    page(ShowPage {
        layout,
        open: s.open(today),
        can_cancel: match standing {
            Some(Standing::Enrolled) => today <= s.cancel_until,
            Some(Standing::Waiting(_)) => true,
            _ => false,
        },
        standing,
        roster,
        s,
    })
}

pub async fn enrol(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let info = match enrolment::enrol(&state.ctx, &caller, id).await? {
        Standing::Enrolled => "inscription-confirmee",
        _ => "liste-attente",
    };
    Ok(see_other(&format!("/sessions/{id}?info={info}")))
}

pub async fn cancel(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    enrolment::cancel(&state.ctx, &caller, id).await?;
    Ok(see_other(&format!("/sessions/{id}?info=inscription-annulee")))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SessionForm {
    school: String,
    starts_on: String,
    ends_on: String,
    place: String,
    online_url: String,
    capacity: String,
    enrol_until: String,
    cancel_until: String,
}

impl SessionForm {
    fn input(&self) -> Input {
        Input {
            school: self.school.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            place: self.place.clone(),
            online_url: self.online_url.clone(),
            capacity: self.capacity.clone(),
            enrol_until: self.enrol_until.clone(),
            cancel_until: self.cancel_until.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "sessions/form.html")]
struct FormPage {
    layout: Layout,
    m: Module,
    /// Schools that may organise it: the module's own and those that took it.
    organisers: Vec<(Uuid, String)>,
    f: SessionForm,
    errors: FieldErrors,
}

async fn render_form(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    module_id: Uuid,
    f: SessionForm,
    errors: FieldErrors,
) -> Result<FormPage, WebError> {
    let m = catalogue::get(&state.ctx, caller, module_id).await?;
    let mine: Vec<Uuid> = schools::manageable(&state.ctx, caller)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let organisers: Vec<(Uuid, String)> = std::iter::once((m.school.id, m.school.name.clone()))
        .chain(m.adopted_by.iter().map(|a| (a.id, a.name.clone())))
        .filter(|(id, _)| mine.contains(id))
        .collect();
    if organisers.is_empty() {
        return Err(maillage_core::CoreError::Forbidden.into());
    }
    Ok(FormPage {
        layout,
        m,
        organisers,
        f,
        errors,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let f = SessionForm {
        capacity: "12".into(),
        ..Default::default()
    };
    page(render_form(&state, layout, &caller, id_or_404(&id)?, f, FieldErrors::new()).await?)
}

pub async fn create(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(f): Form<SessionForm>,
) -> Result<Response, WebError> {
    let module_id = id_or_404(&id)?;
    match enrolment::create(&state.ctx, &caller, module_id, &f.input()).await {
        Ok(id) => Ok(see_other(&format!("/sessions/{id}?info=session-creee"))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_form(&state, layout, &caller, module_id, f, errors).await?)
        }
    }
}
