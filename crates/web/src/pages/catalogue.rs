//! `/formations`: the catalogue of the schools — search, a module's page,
//! creating and editing modules, taking a shared module into one's school.

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    response::Response,
};
use maillage_core::{
    Actor, FieldErrors,
    catalogue::{self, Input, Module, Params, Results},
    directory::{profile::ThemeRef, themes},
    schools::{self, School},
};
use maillage_domain::{
    catalogue::{DurationUnit, Format, Stage},
    category::Category,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    AppState,
    error::WebError,
    forms::{all, field_errors, first, id_or_404, invalid, page, query_string, see_other},
    layout::{Caller, Layout},
};

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub format: String,
    pub theme: String,
    pub ecole: String,
    pub categorie: String,
    pub public: String,
    pub page: String,
}

impl ListQuery {
    fn params(&self) -> Params {
        Params {
            q: self.q.clone(),
            format: self.format.clone(),
            theme: self.theme.clone(),
            school: self.ecole.clone(),
            category: self.categorie.clone(),
            stage: self.public.clone(),
            page: self.page.parse().unwrap_or(1),
        }
    }

    fn base(&self) -> String {
        query_string(&[
            ("q", &self.q),
            ("format", &self.format),
            ("theme", &self.theme),
            ("ecole", &self.ecole),
            ("categorie", &self.categorie),
            ("public", &self.public),
        ])
    }
}

#[derive(Template)]
#[template(path = "catalogue/list.html")]
struct ListPage {
    layout: Layout,
    q: ListQuery,
    results: Results,
    query_base: String,
    formats: &'static [Format],
    stages: &'static [Stage],
    categories: [Category; 4],
    themes: Vec<ThemeRef>,
    schools: Vec<School>,
    can_create: bool,
}

pub async fn list(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let results = catalogue::search(&state.ctx, &caller, &q.params()).await?;
    page(ListPage {
        layout,
        query_base: q.base(),
        q,
        results,
        formats: Format::ALL,
        stages: Stage::ALL,
        categories: Category::ALL,
        themes: themes::list(&state.ctx).await?,
        schools: schools::all(&state.ctx).await?,
        can_create: !schools::manageable(&state.ctx, &caller).await?.is_empty(),
    })
}

#[derive(Template)]
#[template(path = "catalogue/show.html")]
struct ShowPage {
    layout: Layout,
    m: Module,
    can_edit: bool,
    /// Schools of the viewer that may take this shared module.
    can_adopt_into: Vec<School>,
    /// Schools of the viewer that took it and may withdraw it.
    can_withdraw_from: Vec<School>,
    /// Coming sessions.
    sessions: Vec<maillage_core::enrolment::Session>,
    /// The viewer may schedule a session (their school designed or took it).
    can_schedule: bool,
    errors: FieldErrors,
}

async fn render_show(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    id: Uuid,
    errors: FieldErrors,
) -> Result<ShowPage, WebError> {
    let m = catalogue::get(&state.ctx, caller, id).await?;
    let mine = schools::manageable(&state.ctx, caller).await?;
    let can_edit = mine.iter().any(|s| s.id == m.school.id);
    let can_schedule = can_edit || mine.iter().any(|s| m.adopted_by.iter().any(|a| a.id == s.id));
    let (took, rest): (Vec<School>, Vec<School>) = mine
        .into_iter()
        .filter(|s| s.id != m.school.id)
        .partition(|s| m.adopted_by.iter().any(|a| a.id == s.id));
    Ok(ShowPage {
        layout,
        can_edit,
        can_adopt_into: if m.shared { rest } else { Vec::new() },
        can_withdraw_from: took,
        sessions: maillage_core::enrolment::of_module(&state.ctx, caller, m.id).await?,
        can_schedule,
        m,
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

/// The module form, as typed (checkbox lists repeat their name).
#[derive(Clone, Default)]
struct ModuleForm {
    school: String,
    title: String,
    format: String,
    objectives: String,
    description: String,
    categories: Vec<String>,
    stage: String,
    duration_value: String,
    duration_unit: String,
    trainers: String,
    themes: Vec<String>,
    shared: bool,
    archived: bool,
    completion_percent: String,
}

impl ModuleForm {
    fn from_pairs(pairs: &[(String, String)]) -> ModuleForm {
        let get = |k: &str| first(pairs, k);
        let all = |k: &str| all(pairs, k);
        ModuleForm {
            school: get("school"),
            title: get("title"),
            format: get("format"),
            objectives: get("objectives"),
            description: get("description"),
            categories: all("categories"),
            stage: get("stage"),
            duration_value: get("duration_value"),
            duration_unit: get("duration_unit"),
            trainers: get("trainers"),
            themes: all("themes"),
            shared: get("shared") == "oui",
            archived: get("archived") == "oui",
            completion_percent: get("completion_percent"),
        }
    }

    fn of(m: &Module) -> ModuleForm {
        ModuleForm {
            school: m.school.id.to_string(),
            title: m.title.clone(),
            format: m.format.key().to_owned(),
            objectives: m.objectives.clone(),
            description: m.description.clone(),
            categories: m.categories.iter().map(|c| c.as_str().to_owned()).collect(),
            stage: m.stage.key().to_owned(),
            duration_value: m.duration_value.to_string(),
            duration_unit: m.duration_unit.key().to_owned(),
            trainers: m.trainers.clone(),
            themes: m.themes.iter().map(|t| t.id.to_string()).collect(),
            shared: m.shared,
            archived: m.archived,
            completion_percent: m.completion_percent.to_string(),
        }
    }

    fn input(&self) -> Input {
        Input {
            title: self.title.clone(),
            format: self.format.clone(),
            objectives: self.objectives.clone(),
            description: self.description.clone(),
            categories: self.categories.clone(),
            stage: self.stage.clone(),
            duration_value: self.duration_value.clone(),
            duration_unit: self.duration_unit.clone(),
            trainers: self.trainers.clone(),
            themes: self.themes.clone(),
            shared: self.shared,
            archived: self.archived,
            completion_percent: self.completion_percent.clone(),
        }
    }

    fn has_category(&self, c: &Category) -> bool {
        self.categories.iter().any(|x| x == c.as_str())
    }

    fn has_theme(&self, t: &Uuid) -> bool {
        self.themes.iter().any(|x| *x == t.to_string())
    }
}

#[derive(Template)]
#[template(path = "catalogue/form.html")]
struct FormPage {
    layout: Layout,
    /// `None`: a new module.
    id: Option<Uuid>,
    /// The module's title as stored (the breadcrumb), not as typed.
    stored_title: String,
    f: ModuleForm,
    schools: Vec<School>,
    formats: &'static [Format],
    stages: &'static [Stage],
    units: &'static [DurationUnit],
    categories: [Category; 4],
    themes: Vec<ThemeRef>,
    errors: FieldErrors,
}

async fn render_form(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    id: Option<Uuid>,
    f: ModuleForm,
    errors: FieldErrors,
) -> Result<FormPage, WebError> {
    let schools = schools::manageable(&state.ctx, caller).await?;
    if schools.is_empty() && id.is_none() {
        maillage_core::policy::require(caller, &maillage_core::policy::Action::UseAccount)?;
        return Err(maillage_core::CoreError::Forbidden.into());
    }
    let stored_title = match id {
        Some(id) => catalogue::get(&state.ctx, caller, id).await?.title,
        None => String::new(),
    };
    Ok(FormPage {
        layout,
        id,
        stored_title,
        f,
        schools,
        formats: Format::ALL,
        stages: Stage::ALL,
        units: DurationUnit::ALL,
        categories: Category::ALL,
        themes: themes::list(&state.ctx).await?,
        errors,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
) -> Result<Response, WebError> {
    let f = ModuleForm {
        stage: Stage::All.key().to_owned(),
        duration_value: "1".into(),
        duration_unit: DurationUnit::Days.key().to_owned(),
        completion_percent: "100".into(),
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
    maillage_core::policy::require(&caller, &maillage_core::policy::Action::ViewCatalogue)?;
    let f = ModuleForm::from_pairs(&pairs);
    let result = match Uuid::parse_str(f.school.trim()) {
        Ok(school) => catalogue::create(&state.ctx, &caller, school, &f.input()).await,
        Err(_) => Err(FieldErrors::single(
            "school",
            "Choisissez l'école dont ce module fait partie.",
        )),
    };
    match result {
        Ok(id) => Ok(see_other(&format!("/formations/{id}?info=module-enregistre"))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_form(&state, layout, &caller, None, f, errors).await?)
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let m = catalogue::get(&state.ctx, &caller, id).await?;
    if !catalogue::can_manage(&state.ctx, &caller, m.school.id).await? {
        return Err(maillage_core::CoreError::Forbidden.into());
    }
    page(
        render_form(
            &state,
            layout,
            &caller,
            Some(id),
            ModuleForm::of(&m),
            FieldErrors::new(),
        )
        .await?,
    )
}

pub async fn update(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let f = ModuleForm::from_pairs(&pairs);
    match catalogue::update(&state.ctx, &caller, id, &f.input()).await {
        Ok(()) => Ok(see_other(&format!("/formations/{id}?info=module-enregistre"))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_form(&state, layout, &caller, Some(id), f, errors).await?)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SchoolForm {
    school: String,
}

pub async fn adopt(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(f): Form<SchoolForm>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let result = match Uuid::parse_str(f.school.trim()) {
        Ok(school) => catalogue::adopt(&state.ctx, &caller, id, school).await,
        Err(_) => Err(FieldErrors::single(
            "school",
            "Choisissez l'école qui reprend ce module.",
        )),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/formations/{id}?info=module-repris"))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_show(&state, layout, &caller, id, errors).await?)
        }
    }
}

pub async fn withdraw(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(f): Form<SchoolForm>,
) -> Result<Response, WebError> {
    maillage_core::policy::require(&caller, &maillage_core::policy::Action::ViewCatalogue)?;
    let id = id_or_404(&id)?;
    let school = Uuid::parse_str(f.school.trim()).map_err(|_| WebError::not_found())?;
    catalogue::unadopt(&state.ctx, &caller, id, school).await?;
    // A module no longer shared is out of sight once withdrawn.
    Ok(see_other(&if catalogue::get(&state.ctx, &caller, id).await.is_ok() {
        format!("/formations/{id}?info=module-retire")
    } else {
        format!("/formations?ecole={school}&info=module-retire")
    }))
}
