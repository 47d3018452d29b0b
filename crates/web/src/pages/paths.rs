//! `/formations/parcours`: paths of the schools — list, a path's page
//! (joining, applying), creating and editing a path and its steps, the
//! school's follow-up (`/suivi`), and `/mon-parcours`.

use askama::Template;
use axum::{
    Form,
    extract::{Path as UrlPath, Query, State},
    response::Response,
};
use maillage_core::{
    Actor, CoreError, FieldErrors,
    paths::{self, Input, Kind, ModuleChoice, Path, Record, Status, StepChange, Tracking},
    schools::{self, School},
};
use maillage_db::paths::MemberRow;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    AppState,
    error::WebError,
    forms::{field_errors, id_or_404, invalid, page, see_other},
    layout::{Caller, Layout},
};

#[derive(Template)]
#[template(path = "paths/list.html")]
struct ListPage {
    layout: Layout,
    paths: Vec<Path>,
    can_create: bool,
}

pub async fn list(State(state): State<AppState>, layout: Layout, Caller(caller): Caller) -> Result<Response, WebError> {
    let paths = paths::list(&state.ctx, &caller).await?;
    page(ListPage {
        layout,
        paths,
        can_create: !schools::manageable(&state.ctx, &caller).await?.is_empty(),
    })
}

#[derive(Template)]
#[template(path = "paths/show.html")]
struct ShowPage {
    layout: Layout,
    p: Path,
    can_edit: bool,
    membership: Option<MemberRow>,
    motivation: String,
    errors: FieldErrors,
}

impl ShowPage {
    fn follows(&self) -> bool {
        self.membership
            .as_ref()
            .is_some_and(|m| paths::member::follows(&m.status))
    }

    fn applied(&self) -> bool {
        self.membership
            .as_ref()
            .is_some_and(|m| m.status != paths::member::WITHDRAWN)
    }

    fn membership_label(&self) -> &'static str {
        self.membership
            .as_ref()
            .map(|m| paths::member::label(&m.status))
            .unwrap_or("")
    }
}

async fn render_show(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    id: Uuid,
    motivation: String,
    errors: FieldErrors,
) -> Result<ShowPage, WebError> {
    let p = paths::get(&state.ctx, caller, id).await?;
    let can_edit = maillage_core::catalogue::can_manage(&state.ctx, caller, p.school.id).await?;
    Ok(ShowPage {
        layout,
        membership: paths::my_membership(&state.ctx, caller, id).await?,
        can_edit,
        p,
        motivation,
        errors,
    })
}

pub async fn show(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, WebError> {
    page(
        render_show(
            &state,
            layout,
            &caller,
            id_or_404(&id)?,
            String::new(),
            FieldErrors::new(),
        )
        .await?,
    )
}

/// A path's form, as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct PathForm {
    school: String,
    title: String,
    description: String,
    kind: String,
    rule_months: String,
    deadline_months: String,
    shared: String,
}

impl PathForm {
    fn of(p: &Path) -> PathForm {
        PathForm {
            school: p.school.id.to_string(),
            title: p.title.clone(),
            description: p.description.clone(),
            kind: p.kind.key().to_owned(),
            rule_months: p.rule_months.map(|n| n.to_string()).unwrap_or_default(),
            deadline_months: p.deadline_months.map(|n| n.to_string()).unwrap_or_default(),
            shared: if p.shared { "oui".into() } else { String::new() },
        }
    }

    fn input(&self) -> Input {
        Input {
            title: self.title.clone(),
            description: self.description.clone(),
            kind: self.kind.clone(),
            rule_months: self.rule_months.clone(),
            deadline_months: self.deadline_months.clone(),
            shared: self.shared == "oui",
        }
    }
}

#[derive(Template)]
#[template(path = "paths/form.html")]
struct FormPage {
    layout: Layout,
    /// `None`: a new path.
    stored: Option<Path>,
    f: PathForm,
    schools: Vec<School>,
    kinds: &'static [Kind],
    /// Modules that may become steps (editing only).
    choices: Vec<ModuleChoice>,
    errors: FieldErrors,
}

async fn render_form(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    id: Option<Uuid>,
    f: Option<PathForm>,
    errors: FieldErrors,
) -> Result<FormPage, WebError> {
    let (stored, choices, schools) = match id {
        Some(id) => {
            let p = paths::get_managed(&state.ctx, caller, id).await?;
            let choices = paths::step_choices(&state.ctx, p.school.id).await?;
            (Some(p), choices, Vec::new())
        }
        None => {
            let schools = schools::manageable(&state.ctx, caller).await?;
            if schools.is_empty() {
                maillage_core::policy::require(caller, &maillage_core::policy::Action::UseAccount)?;
                return Err(CoreError::Forbidden.into());
            }
            (None, Vec::new(), schools)
        }
    };
    let f = f.unwrap_or_else(|| stored.as_ref().map(PathForm::of).unwrap_or_default());
    Ok(FormPage {
        layout,
        stored,
        f,
        schools,
        kinds: Kind::ALL,
        choices,
        errors,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
) -> Result<Response, WebError> {
    let f = PathForm {
        kind: Kind::Free.key().to_owned(),
        ..Default::default()
    };
    page(render_form(&state, layout, &caller, None, Some(f), FieldErrors::new()).await?)
}

pub async fn create(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Form(f): Form<PathForm>,
) -> Result<Response, WebError> {
    maillage_core::policy::require(&caller, &maillage_core::policy::Action::ViewCatalogue)?;
    let result = match Uuid::parse_str(f.school.trim()) {
        Ok(school) => paths::create(&state.ctx, &caller, school, &f.input()).await,
        Err(_) => Err(FieldErrors::single(
            "school",
            "Choisissez l’école qui propose ce parcours.",
        )),
    };
    match result {
        Ok(id) => Ok(see_other(&format!(
            "/formations/parcours/{id}/modifier?info=parcours-enregistre"
        ))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_form(&state, layout, &caller, None, Some(f), errors).await?)
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    page(render_form(&state, layout, &caller, Some(id), None, FieldErrors::new()).await?)
}

pub async fn update(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
    Form(f): Form<PathForm>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    match paths::update(&state.ctx, &caller, id, &f.input()).await {
        Ok(()) => Ok(see_other(&format!(
            "/formations/parcours/{id}?info=parcours-enregistre"
        ))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_form(&state, layout, &caller, Some(id), Some(f), errors).await?)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    module: String,
    required: String,
}

pub async fn add_step(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    match paths::add_step(&state.ctx, &caller, id, &f.module, f.required == "oui").await {
        Ok(()) => Ok(see_other(&format!(
            "/formations/parcours/{id}/modifier?info=etape-ajoutee#etapes"
        ))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_form(&state, layout, &caller, Some(id), None, errors).await?)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ChangeForm {
    action: String,
}

pub async fn change_step(
    State(state): State<AppState>,
    Caller(caller): Caller,
    UrlPath((id, step)): UrlPath<(String, String)>,
    Form(f): Form<ChangeForm>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let step = id_or_404(&step)?;
    let change = StepChange::parse(&f.action).ok_or_else(WebError::not_found)?;
    paths::change_step(&state.ctx, &caller, id, step, change).await?;
    Ok(see_other(&format!(
        "/formations/parcours/{id}/modifier?info=etape-modifiee#etapes"
    )))
}

pub async fn join(
    State(state): State<AppState>,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    paths::join(&state.ctx, &caller, id).await?;
    Ok(see_other(&format!("/formations/parcours/{id}?info=parcours-rejoint")))
}

pub async fn leave(
    State(state): State<AppState>,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    paths::leave(&state.ctx, &caller, id).await?;
    Ok(see_other(&format!("/formations/parcours/{id}?info=parcours-quitte")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ApplyForm {
    motivation: String,
}

pub async fn apply(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
    Form(f): Form<ApplyForm>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    match paths::apply(&state.ctx, &caller, id, &f.motivation).await {
        Ok(()) => Ok(see_other(&format!(
            "/formations/parcours/{id}?info=candidature-envoyee"
        ))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_show(&state, layout, &caller, id, f.motivation, errors).await?)
        }
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct TrackingQuery {
    statut: String,
}

#[derive(Template)]
#[template(path = "paths/tracking.html")]
struct TrackingPage {
    layout: Layout,
    t: Tracking,
    statut: String,
    statuses: &'static [Status],
    errors: FieldErrors,
    /// The candidate whose decision failed, and the note as typed.
    failed: Option<(Uuid, String)>,
}

impl TrackingPage {
    fn note_for(&self, user: &Uuid, stored: &str) -> String {
        match &self.failed {
            Some((u, note)) if u == user => note.clone(),
            _ => stored.to_owned(),
        }
    }
}

async fn render_tracking(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    id: Uuid,
    statut: String,
    errors: FieldErrors,
    failed: Option<(Uuid, String)>,
) -> Result<TrackingPage, WebError> {
    let t = paths::tracking(&state.ctx, caller, id, Status::parse(&statut)).await?;
    Ok(TrackingPage {
        layout,
        t,
        statut,
        statuses: Status::ALL,
        errors,
        failed,
    })
}

pub async fn tracking(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
    Query(q): Query<TrackingQuery>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    page(render_tracking(&state, layout, &caller, id, q.statut, FieldErrors::new(), None).await?)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    decision: String,
    note: String,
}

pub async fn decide(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    UrlPath((id, user)): UrlPath<(String, String)>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let user = id_or_404(&user)?;
    match paths::decide(&state.ctx, &caller, id, user, &f.decision, &f.note).await {
        Ok(()) => Ok(see_other(&format!(
            "/formations/parcours/{id}/suivi?info=decision-enregistree#candidatures"
        ))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_tracking(&state, layout, &caller, id, String::new(), errors, Some((user, f.note))).await?)
        }
    }
}

#[derive(Template)]
#[template(path = "paths/mine.html")]
struct MinePage {
    layout: Layout,
    r: Record,
}

pub async fn mine(State(state): State<AppState>, layout: Layout, Caller(caller): Caller) -> Result<Response, WebError> {
    let r = paths::mine(&state.ctx, &caller).await?;
    page(MinePage { layout, r })
}
