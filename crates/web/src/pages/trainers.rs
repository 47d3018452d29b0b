//! Trainers (`/intervenants`): the list the viewer may see, a trainer's page
//! (bio, modules, sessions), adding and editing one, offering them to the
//! network, linking them to modules.

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    response::Response,
};
use maillage_core::{
    Actor, CoreError, FieldErrors,
    catalogue::{self, Module},
    schools::{self, School},
    trainers::{self, Input, Profile, Trainer},
};
use uuid::Uuid;

use crate::{
    AppState,
    error::WebError,
    forms::{field_errors, first, id_or_404, invalid, page, see_other},
    layout::{Caller, Layout},
};

#[derive(Template)]
#[template(path = "trainers/list.html")]
struct ListPage {
    layout: Layout,
    trainers: Vec<Trainer>,
    can_create: bool,
}

pub async fn list(State(state): State<AppState>, layout: Layout, Caller(caller): Caller) -> Result<Response, WebError> {
    let trainers = trainers::list(&state.ctx, &caller).await?;
    page(ListPage {
        layout,
        trainers,
        can_create: !schools::manageable(&state.ctx, &caller).await?.is_empty(),
    })
}

#[derive(Template)]
#[template(path = "trainers/show.html")]
struct ShowPage {
    layout: Layout,
    p: Profile,
    /// Modules the school may link the trainer to (its catalogue's).
    linkable: Vec<Module>,
    errors: FieldErrors,
}

async fn render_show(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    id: Uuid,
    errors: FieldErrors,
) -> Result<ShowPage, WebError> {
    let p = trainers::profile(&state.ctx, caller, id).await?;
    let linkable = if p.can_edit {
        catalogue::search(
            &state.ctx,
            caller,
            &catalogue::Params {
                school: p.trainer.school_id.to_string(),
                page: 1,
                ..Default::default()
            },
        )
        .await?
        .items
        .into_iter()
        .filter(|m| !p.modules.iter().any(|(id, _)| *id == m.id))
        .collect()
    } else {
        Vec::new()
    };
    Ok(ShowPage {
        layout,
        p,
        linkable,
        errors,
    })
}

pub async fn show(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    page(render_show(&state, layout, &caller, id_or_404(&id)?, FieldErrors::new()).await?)
}

#[derive(Template)]
#[template(path = "trainers/form.html")]
struct FormPage {
    layout: Layout,
    /// The trainer edited (else a new one).
    editing: Option<Trainer>,
    schools: Vec<School>,
    f: Input,
    errors: FieldErrors,
}

fn input_of(pairs: &[(String, String)]) -> Input {
    let get = |k: &str| first(pairs, k);
    Input {
        school: get("school"),
        kind: get("kind"),
        email: get("email"),
        name: get("name"),
        employer: get("employer"),
        bio: get("bio"),
        shared: get("shared") == "oui",
    }
}

async fn render_form(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    editing: Option<Trainer>,
    f: Input,
    errors: FieldErrors,
) -> Result<FormPage, WebError> {
    maillage_core::policy::require(caller, &maillage_core::policy::Action::ViewCatalogue)?;
    let schools = schools::manageable(&state.ctx, caller).await?;
    if schools.is_empty() {
        return Err(CoreError::Forbidden.into());
    }
    Ok(FormPage {
        layout,
        editing,
        schools,
        f,
        errors,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
) -> Result<Response, WebError> {
    let f = Input {
        kind: "externe".into(),
        ..Default::default()
    };
    page(render_form(&state, layout, &caller, None, f, FieldErrors::new()).await?)
}

pub async fn create(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = input_of(&pairs);
    match trainers::create(&state.ctx, &caller, &f).await {
        Ok(id) => Ok(see_other(&format!("/intervenants/{id}?info=intervenant-enregistre"))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_form(&state, layout, &caller, None, f, errors).await?)
        }
    }
}

async fn editable(state: &AppState, caller: &Actor, id: Uuid) -> Result<Trainer, WebError> {
    let t = trainers::get(&state.ctx, caller, id).await?;
    catalogue::require_manage(&state.ctx, caller, t.school_id).await?;
    Ok(t)
}

pub async fn edit_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let t = editable(&state, &caller, id_or_404(&id)?).await?;
    let f = Input {
        school: t.school_id.to_string(),
        kind: if t.internal { "interne" } else { "externe" }.into(),
        email: t.email.clone().unwrap_or_default(),
        name: t.name.clone(),
        employer: t.employer.clone(),
        bio: t.bio.clone(),
        shared: t.shared,
    };
    page(render_form(&state, layout, &caller, Some(t), f, FieldErrors::new()).await?)
}

pub async fn update(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let f = input_of(&pairs);
    match trainers::update(&state.ctx, &caller, id, &f).await {
        Ok(()) => Ok(see_other(&format!("/intervenants/{id}?info=intervenant-enregistre"))),
        Err(e) => {
            let errors = field_errors(e)?;
            let t = editable(&state, &caller, id).await?;
            invalid(render_form(&state, layout, &caller, Some(t), f, errors).await?)
        }
    }
}

/// « Proposer au réseau » (`shared=oui`) or withdraw the offer.
pub async fn share(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let shared = first(&pairs, "shared") == "oui";
    trainers::set_shared(&state.ctx, &caller, id, shared).await?;
    Ok(see_other(&format!("/intervenants/{id}?info=intervenant-enregistre")))
}

pub async fn link_module(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    match trainers::link_module(&state.ctx, &caller, id, &first(&pairs, "module")).await {
        Ok(()) => Ok(see_other(&format!("/intervenants/{id}?info=intervenant-enregistre"))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_show(&state, layout, &caller, id, errors).await?)
        }
    }
}

pub async fn unlink_module(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((id, module)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (id, module) = (id_or_404(&id)?, id_or_404(&module)?);
    trainers::unlink_module(&state.ctx, &caller, id, module).await?;
    Ok(see_other(&format!("/intervenants/{id}?info=intervenant-enregistre")))
}
