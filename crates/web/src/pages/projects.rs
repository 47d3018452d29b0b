//! `/projets`: the project bank — search, proposing a project, its page
//! (the appetizer's decision and every status change, its history, team,
//! similar projects, and the life sections of `project_life`), editing it
//! and its team, its printable sheet, and the CSV of the bank.

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    response::Response,
    routing::{get, post},
};
use maillage_core::{
    Actor, FieldErrors,
    directory::{profile::Profile, profile::ThemeRef, themes},
    organisations::Organisation,
    projects::{
        Access,
        bank::{
            self, Event, Project, edit,
            proposal::{self, Input},
            search::{Params, Results},
            similar, status, team,
        },
        life::{self, Sections},
    },
    schools::{self, School},
};
use maillage_db::projects::PromotionRef;
use maillage_domain::project::{Status, Visibility};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    AppState,
    error::WebError,
    forms::{all, download, field_errors, first, id_or_404, invalid, page, query_string, see_other},
    layout::{Caller, Layout},
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projets", get(list))
        .route("/projets/export.csv", get(export_csv))
        .route("/projets/proposer", get(propose_form).post(propose))
        .route("/projets/{id}", get(show))
        .route("/projets/{id}/statut", post(change_status))
        .route("/projets/{id}/modifier", get(edit_form).post(update))
        .route("/projets/{id}/equipe", post(add_member))
        .route("/projets/{id}/equipe/{profile}/retirer", post(remove_member))
        .route("/projets/{id}/fiche", get(sheet))
}

// ---------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub statut: String,
    pub mis_en_oeuvre: String,
    pub theme: String,
    pub organisation: String,
    pub ecole: String,
    pub promotion: String,
    pub annee: String,
    pub page: String,
}

impl ListQuery {
    pub fn params(&self) -> Params {
        Params {
            q: self.q.clone(),
            status: self.statut.clone(),
            implemented: self.mis_en_oeuvre.clone(),
            theme: self.theme.clone(),
            organisation: self.organisation.clone(),
            school: self.ecole.clone(),
            promotion: self.promotion.clone(),
            year: self.annee.clone(),
            page: self.page.parse().unwrap_or(1),
        }
    }

    fn base(&self) -> String {
        query_string(&[
            ("q", &self.q),
            ("statut", &self.statut),
            ("mis_en_oeuvre", &self.mis_en_oeuvre),
            ("theme", &self.theme),
            ("organisation", &self.organisation),
            ("ecole", &self.ecole),
            ("promotion", &self.promotion),
            ("annee", &self.annee),
        ])
    }
}

#[derive(Template)]
#[template(path = "projects/list.html")]
struct ListPage {
    layout: Layout,
    q: ListQuery,
    results: Results,
    query_base: String,
    statuses: &'static [Status],
    themes: Vec<ThemeRef>,
    organisations: Vec<Organisation>,
    schools: Vec<School>,
    promotions: Vec<PromotionRef>,
    years: Vec<i64>,
    can_export: bool,
}

async fn list(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let results = bank::search::search(&state.ctx, &caller, &q.params()).await?;
    page(ListPage {
        layout,
        query_base: q.base(),
        q,
        results,
        statuses: Status::ALL,
        themes: themes::list(&state.ctx).await?,
        organisations: bank::organisations(&state.ctx).await?,
        schools: schools::all(&state.ctx).await?,
        promotions: bank::visible_promotions(&state.ctx, &caller).await?,
        years: bank::years(&state.ctx, &caller).await?,
        can_export: maillage_core::policy::allows(&caller, &maillage_core::policy::Action::ExportProjects),
    })
}

async fn export_csv(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let bytes = bank::export::csv(&state.ctx, &caller, &q.params()).await?;
    Ok(download(bytes, "text/csv; charset=utf-8", "banque-de-projets.csv"))
}

// ---------------------------------------------------------------------------
// Proposing
// ---------------------------------------------------------------------------

/// The proposal form, as typed (repeated `themes`).
#[derive(Clone, Default)]
struct ProposeForm {
    title: String,
    problem: String,
    context: String,
    expected_impact: String,
    sponsor_organisation: String,
    contact: String,
    school: String,
    themes: Vec<String>,
    visibility: String,
}

impl ProposeForm {
    fn from_pairs(p: &[(String, String)]) -> ProposeForm {
        ProposeForm {
            title: first(p, "title"),
            problem: first(p, "problem"),
            context: first(p, "context"),
            expected_impact: first(p, "expected_impact"),
            sponsor_organisation: first(p, "sponsor_organisation"),
            contact: first(p, "contact"),
            school: first(p, "school"),
            themes: all(p, "themes"),
            visibility: first(p, "visibility"),
        }
    }

    fn input(&self) -> Input {
        Input {
            title: self.title.clone(),
            problem: self.problem.clone(),
            context: self.context.clone(),
            expected_impact: self.expected_impact.clone(),
            sponsor_organisation: self.sponsor_organisation.clone(),
            contact: self.contact.clone(),
            school: self.school.clone(),
            themes: self.themes.clone(),
            visibility: self.visibility.clone(),
        }
    }

    fn has_theme(&self, t: &Uuid) -> bool {
        self.themes.iter().any(|x| *x == t.to_string())
    }
}

#[derive(Template)]
#[template(path = "projects/propose.html")]
struct ProposePage {
    layout: Layout,
    f: ProposeForm,
    sponsors: Vec<Organisation>,
    schools: Vec<School>,
    themes: Vec<ThemeRef>,
    visibilities: &'static [Visibility],
    errors: FieldErrors,
}

async fn render_propose(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    f: ProposeForm,
    errors: FieldErrors,
) -> Result<ProposePage, WebError> {
    Ok(ProposePage {
        layout,
        f,
        sponsors: bank::sponsor_choices(&state.ctx, caller).await?,
        schools: schools::all(&state.ctx).await?,
        themes: themes::list(&state.ctx).await?,
        visibilities: Visibility::ALL,
        errors,
    })
}

async fn propose_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
) -> Result<Response, WebError> {
    let mut f = ProposeForm {
        visibility: Visibility::Organisation.key().to_owned(),
        ..Default::default()
    };
    let sponsors = bank::sponsor_choices(&state.ctx, &caller).await?;
    if let [only] = sponsors.as_slice() {
        f.sponsor_organisation = only.id.to_string();
    }
    page(render_propose(&state, layout, &caller, f, FieldErrors::new()).await?)
}

async fn propose(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = ProposeForm::from_pairs(&pairs);
    match proposal::propose(&state.ctx, &caller, &f.input()).await {
        Ok(id) => Ok(see_other(&format!("/projets/{id}?info=projet-propose"))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_propose(&state, layout, &caller, f, errors).await?)
        }
    }
}

// ---------------------------------------------------------------------------
// A project's page, and its status
// ---------------------------------------------------------------------------

/// The status form, as typed.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct StatusForm {
    status: String,
    reason: String,
    promotion: String,
    school: String,
    jury: String,
    jury_on: String,
}

impl StatusForm {
    fn change(&self) -> status::Change {
        status::Change {
            status: self.status.clone(),
            reason: self.reason.clone(),
            promotion: self.promotion.clone(),
            school: self.school.clone(),
            jury: self.jury.clone(),
            jury_on: self.jury_on.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "projects/show.html")]
struct ShowPage {
    layout: Layout,
    p: Project,
    can_edit: bool,
    can_screen: bool,
    history: Vec<Event>,
    similar: Vec<Project>,
    /// The statuses the project may move to.
    next: &'static [Status],
    /// The school's promotions (the appetizer's and the start's choice).
    promotions: Vec<PromotionRef>,
    /// Schools the project may be proposed again to (empty: no such form).
    reproposal_schools: Vec<School>,
    f: StatusForm,
    errors: FieldErrors,
    life: Sections,
    /// The caller may open the promotion's page: link to it.
    promotion_link: bool,
}

impl ShowPage {
    fn appetizer(&self) -> bool {
        self.p.status == Status::Proposed
    }

    /// The status form: for the school, when the project may move to
    /// something else than a new proposal (which has its own form).
    fn status_form(&self) -> bool {
        self.can_screen && self.next.iter().any(|s| *s != Status::Proposed)
    }

    /// « Restitué » is among the next statuses: ask for the jury.
    fn asks_jury(&self) -> bool {
        self.next.contains(&Status::Presented)
    }
}

async fn render_show(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    id: Uuid,
    f: StatusForm,
    errors: FieldErrors,
) -> Result<ShowPage, WebError> {
    let (p, access) = bank::get(&state.ctx, caller, id).await?;
    let can_screen = access.can_screen(caller);
    let reproposal_schools = if p.status.may_become(Status::Proposed) {
        if can_screen {
            schools::all(&state.ctx).await?
        } else {
            schools::manageable(&state.ctx, caller)
                .await?
                .into_iter()
                .filter(|s| s.id != p.row.school_id)
                .collect()
        }
    } else {
        Vec::new()
    };
    let life = life::sections(&state.ctx, caller, &p.row, &access).await?;
    Ok(ShowPage {
        layout,
        promotion_link: bank::may_view_promotion(&state.ctx, caller, &p).await?,
        can_edit: access.can_edit(caller),
        can_screen,
        history: bank::history(&state.ctx, caller, id).await?,
        similar: similar::similar(&state.ctx, caller, &p).await?,
        next: p.status.next(),
        promotions: if can_screen {
            bank::promotions_of_school(&state.ctx, p.row.school_id).await?
        } else {
            Vec::new()
        },
        reproposal_schools,
        p,
        f,
        errors,
        life,
    })
}

async fn show(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    page(render_show(&state, layout, &caller, id, StatusForm::default(), FieldErrors::new()).await?)
}

async fn change_status(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(f): Form<StatusForm>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    match status::change(&state.ctx, &caller, id, &f.change()).await {
        // After a take-up too, whoever changed the status still sees the
        // project (they manage its new school).
        Ok(_) => Ok(see_other(&format!("/projets/{id}?info=projet-statut"))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_show(&state, layout, &caller, id, f, errors).await?)
        }
    }
}

// ---------------------------------------------------------------------------
// Editing, and the team
// ---------------------------------------------------------------------------

/// The edit form, as typed (repeated `themes` and `organisations`).
#[derive(Clone, Default)]
struct EditForm {
    title: String,
    problem: String,
    context: String,
    expected_impact: String,
    solution: String,
    impact: String,
    tools: String,
    lessons: String,
    contact: String,
    visibility: String,
    themes: Vec<String>,
    organisations: Vec<String>,
}

impl EditForm {
    fn from_pairs(p: &[(String, String)]) -> EditForm {
        EditForm {
            title: first(p, "title"),
            problem: first(p, "problem"),
            context: first(p, "context"),
            expected_impact: first(p, "expected_impact"),
            solution: first(p, "solution"),
            impact: first(p, "impact"),
            tools: first(p, "tools"),
            lessons: first(p, "lessons"),
            contact: first(p, "contact"),
            visibility: first(p, "visibility"),
            themes: all(p, "themes"),
            organisations: all(p, "organisations"),
        }
    }

    fn of(p: &Project) -> EditForm {
        let r = &p.row;
        EditForm {
            title: r.title.clone(),
            problem: r.problem.clone(),
            context: r.context.clone(),
            expected_impact: r.expected_impact.clone(),
            solution: r.solution.clone(),
            impact: r.impact.clone(),
            tools: r.tools.clone(),
            lessons: r.lessons.clone(),
            contact: r.contact.clone(),
            visibility: r.visibility.clone(),
            themes: p.themes.iter().map(|t| t.id.to_string()).collect(),
            organisations: p.organisations.iter().map(|o| o.id.to_string()).collect(),
        }
    }

    fn input(&self) -> edit::Input {
        edit::Input {
            title: self.title.clone(),
            problem: self.problem.clone(),
            context: self.context.clone(),
            expected_impact: self.expected_impact.clone(),
            solution: self.solution.clone(),
            impact: self.impact.clone(),
            tools: self.tools.clone(),
            lessons: self.lessons.clone(),
            contact: self.contact.clone(),
            visibility: self.visibility.clone(),
            themes: self.themes.clone(),
            organisations: self.organisations.clone(),
        }
    }

    fn has_theme(&self, t: &Uuid) -> bool {
        self.themes.iter().any(|x| *x == t.to_string())
    }

    fn has_organisation(&self, o: &Uuid) -> bool {
        self.organisations.iter().any(|x| *x == o.to_string())
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EditQuery {
    /// A name to look for in the directory (adding someone to the team).
    personne: String,
}

#[derive(Template)]
#[template(path = "projects/edit.html")]
struct EditPage {
    layout: Layout,
    p: Project,
    f: EditForm,
    themes: Vec<ThemeRef>,
    organisations: Vec<Organisation>,
    visibilities: &'static [Visibility],
    errors: FieldErrors,
    /// The team part: the name looked for, who matched, its errors.
    personne: String,
    candidates: Vec<Profile>,
    team_errors: FieldErrors,
}

struct EditState {
    f: Option<EditForm>,
    errors: FieldErrors,
    personne: String,
    team_errors: FieldErrors,
}

async fn render_edit(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    id: Uuid,
    s: EditState,
) -> Result<EditPage, WebError> {
    let (p, access) = bank::get(&state.ctx, caller, id).await?;
    access.require_edit(caller)?;
    let candidates = team::candidates(&state.ctx, caller, id, &s.personne).await?;
    Ok(EditPage {
        layout,
        f: s.f.unwrap_or_else(|| EditForm::of(&p)),
        p,
        themes: themes::list(&state.ctx).await?,
        organisations: bank::organisations(&state.ctx).await?,
        visibilities: Visibility::ALL,
        errors: s.errors,
        personne: s.personne,
        candidates,
        team_errors: s.team_errors,
    })
}

async fn edit_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Query(q): Query<EditQuery>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let s = EditState {
        f: None,
        errors: FieldErrors::new(),
        personne: q.personne,
        team_errors: FieldErrors::new(),
    };
    page(render_edit(&state, layout, &caller, id, s).await?)
}

async fn update(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let f = EditForm::from_pairs(&pairs);
    match edit::update(&state.ctx, &caller, id, &f.input()).await {
        Ok(()) => Ok(see_other(&format!("/projets/{id}?info=projet-modifie"))),
        Err(e) => {
            let errors = field_errors(e)?;
            let s = EditState {
                f: Some(f),
                errors,
                personne: String::new(),
                team_errors: FieldErrors::new(),
            };
            invalid(render_edit(&state, layout, &caller, id, s).await?)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MemberForm {
    profile: String,
}

async fn add_member(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(f): Form<MemberForm>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    match team::add(&state.ctx, &caller, id, &f.profile).await {
        Ok(()) => Ok(see_other(&format!("/projets/{id}/modifier?info=projet-equipe#equipe"))),
        Err(e) => {
            let team_errors = field_errors(e)?;
            let s = EditState {
                f: None,
                errors: FieldErrors::new(),
                personne: String::new(),
                team_errors,
            };
            invalid(render_edit(&state, layout, &caller, id, s).await?)
        }
    }
}

async fn remove_member(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((id, profile)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let profile = id_or_404(&profile)?;
    team::remove(&state.ctx, &caller, id, profile).await?;
    Ok(see_other(&format!("/projets/{id}/modifier?info=projet-equipe#equipe")))
}

// ---------------------------------------------------------------------------
// The printable sheet
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "projects/sheet.html")]
struct SheetPage {
    layout: Layout,
    p: Project,
    history: Vec<Event>,
    life: Sections,
    printed_on: String,
    /// The caller may open the promotion's page: link to it.
    promotion_link: bool,
}

async fn sheet(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let (p, access): (Project, Access) = bank::get(&state.ctx, &caller, id).await?;
    let life = life::sections(&state.ctx, &caller, &p.row, &access).await?;
    page(SheetPage {
        layout,
        promotion_link: bank::may_view_promotion(&state.ctx, &caller, &p).await?,
        history: bank::history(&state.ctx, &caller, id).await?,
        life,
        p,
        printed_on: crate::pages::date_fr(maillage_core::dates::paris_today()),
    })
}
