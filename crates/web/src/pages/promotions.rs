//! `/promotions`: the promotions of the schools — list, a promotion's page
//! (members, groups, projects; « anciens et anciennes » after the end), the
//! school's forms (the promotion, its members and their casting data), the
//! members' project wishes (`/voeux`) and the casting of project groups
//! (`/groupes`).

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path as UrlPath, Query, State},
    response::Response,
    routing::{get, post},
};
use maillage_core::{
    Actor, CoreError, FieldErrors,
    promotions::{
        self, Access, Input, PathRef, Promotion,
        groups::{self, Casting, PublicGroup, RunInput},
        members::{self, Candidate, CastingInput, GENDERS, MAX_WISHES, Member, Shown, WISH_FIELDS, Wishes},
    },
    schools::School,
};
use maillage_db::promotions::ProjectRef;
use maillage_domain::project::Status;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    AppState,
    error::WebError,
    forms::{all, field_errors, first, id_or_404, invalid, page, see_other},
    layout::{Caller, Layout},
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/promotions", get(list).post(create))
        .route("/promotions/nouvelle", get(new_form))
        .route("/promotions/{id}", get(show))
        .route("/promotions/{id}/modifier", get(edit_form).post(update))
        .route("/promotions/{id}/membres", get(members_page).post(add_member))
        .route("/promotions/{id}/membres/courriels", post(add_emails))
        .route("/promotions/{id}/membres/{profile}", get(member_form).post(save_member))
        .route("/promotions/{id}/membres/{profile}/retirer", post(remove_member))
        .route("/promotions/{id}/voeux", get(wishes_form).post(save_wishes))
        .route("/promotions/{id}/groupes", get(groups_page).post(run_casting))
        .route("/promotions/{id}/groupes/deplacer", post(move_member))
        .route("/promotions/{id}/groupes/equipes", post(form_teams))
        .route("/promotions/{id}/groupes/{group}/projet", post(set_project))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TeamsQuery {
    /// After « Constituer les équipes »: the groups left alone, as numbers
    /// (`2,3`); anything else in it is ignored.
    ignores: String,
}

impl TeamsQuery {
    fn skipped(&self) -> Vec<i64> {
        self.ignores
            .split(',')
            .filter_map(|n| n.trim().parse::<i64>().ok())
            .filter(|n| (1..=500).contains(n))
            .take(50)
            .collect()
    }
}

// ---------------------------------------------------------------------------
// List
// ---------------------------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    ecole: String,
    annee: String,
}

#[derive(Template)]
#[template(path = "promotions/list.html")]
struct ListPage {
    layout: Layout,
    promotions: Vec<Promotion>,
    schools: Vec<(Uuid, String)>,
    ecole: String,
    annee: String,
    can_create: bool,
}

pub async fn list(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    maillage_core::policy::require(&caller, &maillage_core::policy::Action::UseAccount)?;
    let filter = promotions::ListFilter {
        school: Uuid::parse_str(q.ecole.trim()).ok(),
        year: maillage_core::dates::filter_year(&q.annee),
    };
    let all_visible = promotions::list(&state.ctx, &caller, &Default::default()).await?;
    let mut schools: Vec<(Uuid, String)> = all_visible
        .iter()
        .map(|p| (p.school.id, p.school.name.clone()))
        .collect();
    schools.sort_by(|a, b| a.1.cmp(&b.1));
    schools.dedup();
    let promotions = promotions::list(&state.ctx, &caller, &filter).await?;
    page(ListPage {
        layout,
        promotions,
        schools,
        ecole: q.ecole,
        annee: q.annee,
        can_create: !promotions::manageable_schools(&state.ctx, &caller).await?.is_empty(),
    })
}

// ---------------------------------------------------------------------------
// A promotion's page
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "promotions/show.html")]
struct ShowPage {
    layout: Layout,
    p: Promotion,
    access: Access,
    members: Vec<Shown>,
    groups: Vec<PublicGroup>,
    projects: Vec<ProjectRef>,
}

impl ShowPage {
    fn status_label(&self, key: &str) -> &'static str {
        Status::parse(key).map(Status::label).unwrap_or_default()
    }
}

pub async fn show(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let (p, access) = promotions::get(&state.ctx, &caller, id).await?;
    let (members, _) = members::list(&state.ctx, &caller, id).await?;
    page(ShowPage {
        layout,
        groups: groups::public_groups(&state.ctx, &caller, id).await?,
        projects: promotions::projects(&state.ctx, &caller, id).await?,
        p,
        access,
        members,
    })
}

// ---------------------------------------------------------------------------
// Creating and editing
// ---------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct PromotionForm {
    school: String,
    path: String,
    name: String,
    description: String,
    starts_on: String,
    ends_on: String,
    temperaments: String,
}

impl PromotionForm {
    fn of(p: &Promotion) -> PromotionForm {
        PromotionForm {
            school: p.school.id.to_string(),
            path: p.path.as_ref().map(|x| x.id.to_string()).unwrap_or_default(),
            name: p.name.clone(),
            description: p.description.clone(),
            starts_on: p.starts_on.to_string(),
            ends_on: p.ends_on.to_string(),
            temperaments: p.temperaments.join("\n"),
        }
    }

    fn input(&self) -> Input {
        Input {
            path: self.path.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            temperaments: self.temperaments.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "promotions/form.html")]
struct FormPage {
    layout: Layout,
    stored: Option<Promotion>,
    f: PromotionForm,
    schools: Vec<School>,
    /// (school, path) pairs: every path of the schools offered.
    paths: Vec<(Uuid, PathRef)>,
    errors: FieldErrors,
}

impl FormPage {
    fn school_name(&self, id: &Uuid) -> String {
        self.schools
            .iter()
            .find(|s| s.id == *id)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    }
}

async fn render_form(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    id: Option<Uuid>,
    f: Option<PromotionForm>,
    errors: FieldErrors,
) -> Result<FormPage, WebError> {
    let (stored, schools) = match id {
        Some(id) => {
            let p = promotions::get_managed(&state.ctx, caller, id).await?;
            let school = maillage_core::schools::get(&state.ctx, p.school.id).await?;
            (Some(p), vec![school])
        }
        None => {
            maillage_core::policy::require(caller, &maillage_core::policy::Action::UseAccount)?;
            let schools = promotions::manageable_schools(&state.ctx, caller).await?;
            if schools.is_empty() {
                return Err(CoreError::Forbidden.into());
            }
            (None, schools)
        }
    };
    let mut paths = Vec::new();
    for s in &schools {
        for p in promotions::path_choices(&state.ctx, s.id).await? {
            paths.push((s.id, p));
        }
    }
    let f = f.unwrap_or_else(|| stored.as_ref().map(PromotionForm::of).unwrap_or_default());
    Ok(FormPage {
        layout,
        stored,
        f,
        schools,
        paths,
        errors,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
) -> Result<Response, WebError> {
    page(render_form(&state, layout, &caller, None, None, FieldErrors::new()).await?)
}

pub async fn create(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Form(f): Form<PromotionForm>,
) -> Result<Response, WebError> {
    maillage_core::policy::require(&caller, &maillage_core::policy::Action::UseAccount)?;
    let result = match Uuid::parse_str(f.school.trim()) {
        Ok(school) => promotions::create(&state.ctx, &caller, school, &f.input()).await,
        Err(_) => Err(FieldErrors::single("school", "Choisissez l’école de la promotion.")),
    };
    match result {
        Ok(id) => Ok(see_other(&format!(
            "/promotions/{id}/membres?info=promotion-enregistree"
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
    Form(f): Form<PromotionForm>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    match promotions::update(&state.ctx, &caller, id, &f.input()).await {
        Ok(()) => Ok(see_other(&format!("/promotions/{id}?info=promotion-enregistree"))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_form(&state, layout, &caller, Some(id), Some(f), errors).await?)
        }
    }
}

// ---------------------------------------------------------------------------
// Members (the school)
// ---------------------------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MembersQuery {
    q: String,
}

#[derive(Template)]
#[template(path = "promotions/members.html")]
struct MembersPage {
    layout: Layout,
    p: Promotion,
    members: Vec<Member>,
    q: String,
    candidates: Vec<Candidate>,
    emails: String,
    errors: FieldErrors,
}

async fn render_members(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    id: Uuid,
    q: String,
    emails: String,
    errors: FieldErrors,
) -> Result<MembersPage, WebError> {
    let p = promotions::get_managed(&state.ctx, caller, id).await?;
    let members = members::list(&state.ctx, caller, id)
        .await?
        .0
        .into_iter()
        .map(|s| s.member)
        .collect();
    let candidates = if q.trim().is_empty() {
        Vec::new()
    } else {
        members::candidates(&state.ctx, caller, id, &q).await?
    };
    Ok(MembersPage {
        layout,
        p,
        members,
        q,
        candidates,
        emails,
        errors,
    })
}

pub async fn members_page(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
    Query(q): Query<MembersQuery>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    page(render_members(&state, layout, &caller, id, q.q, String::new(), FieldErrors::new()).await?)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AddForm {
    person: String,
    q: String,
}

pub async fn add_member(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
    Form(f): Form<AddForm>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    match members::add(&state.ctx, &caller, id, &f.person).await {
        Ok(()) => Ok(see_other(&format!(
            "/promotions/{id}/membres?info=membre-ajoute#membres"
        ))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_members(&state, layout, &caller, id, f.q, String::new(), errors).await?)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EmailsForm {
    emails: String,
}

pub async fn add_emails(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
    Form(f): Form<EmailsForm>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    match members::add_by_emails(&state.ctx, &caller, id, &f.emails).await {
        Ok(_) => Ok(see_other(&format!(
            "/promotions/{id}/membres?info=membres-ajoutes#membres"
        ))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_members(&state, layout, &caller, id, String::new(), f.emails, errors).await?)
        }
    }
}

pub async fn remove_member(
    State(state): State<AppState>,
    Caller(caller): Caller,
    UrlPath((id, profile)): UrlPath<(String, String)>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let profile = id_or_404(&profile)?;
    members::remove(&state.ctx, &caller, id, profile).await?;
    Ok(see_other(&format!(
        "/promotions/{id}/membres?info=membre-retire#membres"
    )))
}

// ---------------------------------------------------------------------------
// A member's casting data (the school)
// ---------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct CastingForm {
    gender: String,
    birth_year: String,
    seniority_years: String,
    temperament: String,
    consent: String,
}

impl CastingForm {
    /// The stored data. The consent box starts unticked: it records a
    /// consent given now, for a temperament entered or changed; the consent
    /// already recorded stands while the temperament stays the same
    /// (`members::set_casting`).
    fn of(m: &Member) -> CastingForm {
        let c = m.casting.clone().unwrap_or_default();
        CastingForm {
            gender: c.gender.unwrap_or_default(),
            birth_year: c.birth_year.map(|y| y.to_string()).unwrap_or_default(),
            seniority_years: c.seniority_years.map(|y| y.to_string()).unwrap_or_default(),
            consent: String::new(),
            temperament: c.temperament.unwrap_or_default(),
        }
    }

    fn input(&self) -> CastingInput {
        CastingInput {
            gender: self.gender.clone(),
            birth_year: self.birth_year.clone(),
            seniority_years: self.seniority_years.clone(),
            temperament: self.temperament.clone(),
            consent: self.consent == "oui",
        }
    }
}

#[derive(Template)]
#[template(path = "promotions/member.html")]
struct MemberPage {
    layout: Layout,
    p: Promotion,
    m: Member,
    f: CastingForm,
    genders: [(&'static str, &'static str); 3],
    years_hint: String,
    errors: FieldErrors,
}

async fn render_member(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    id: Uuid,
    profile: Uuid,
    f: Option<CastingForm>,
    errors: FieldErrors,
) -> Result<MemberPage, WebError> {
    let p = promotions::get_managed(&state.ctx, caller, id).await?;
    let m = members::get_managed(&state.ctx, caller, id, profile).await?;
    Ok(MemberPage {
        layout,
        f: f.unwrap_or_else(|| CastingForm::of(&m)),
        p,
        m,
        genders: GENDERS,
        years_hint: {
            let (lo, hi) = members::birth_year_range(maillage_core::dates::paris_today());
            format!("Quatre chiffres, entre {lo} et {hi}. Une année suffit, pas de date.")
        },
        errors,
    })
}

pub async fn member_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    UrlPath((id, profile)): UrlPath<(String, String)>,
) -> Result<Response, WebError> {
    let (id, profile) = (id_or_404(&id)?, id_or_404(&profile)?);
    page(render_member(&state, layout, &caller, id, profile, None, FieldErrors::new()).await?)
}

pub async fn save_member(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    UrlPath((id, profile)): UrlPath<(String, String)>,
    Form(f): Form<CastingForm>,
) -> Result<Response, WebError> {
    let (id, profile) = (id_or_404(&id)?, id_or_404(&profile)?);
    match members::set_casting(&state.ctx, &caller, id, profile, &f.input()).await {
        Ok(()) => Ok(see_other(&format!(
            "/promotions/{id}/membres?info=donnees-enregistrees#membres"
        ))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_member(&state, layout, &caller, id, profile, Some(f), errors).await?)
        }
    }
}

// ---------------------------------------------------------------------------
// Wishes (the member)
// ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "promotions/wishes.html")]
struct WishesPage {
    layout: Layout,
    p: Promotion,
    w: Wishes,
    /// The choice of each rank, as typed (ids; empty: none).
    chosen: Vec<String>,
    errors: FieldErrors,
}

/// One rank of the wishes form: its field, what is chosen, its error.
struct WishRow<'a> {
    field: &'static str,
    rank: usize,
    chosen: &'a str,
    error: Option<&'a str>,
}

impl WishesPage {
    fn rows(&self) -> Vec<WishRow<'_>> {
        WISH_FIELDS
            .iter()
            .zip(&self.chosen)
            .enumerate()
            .map(|(i, (field, chosen))| WishRow {
                field,
                rank: i + 1,
                chosen,
                error: self.errors.get(field),
            })
            .collect()
    }
}

async fn render_wishes(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    id: Uuid,
    chosen: Option<Vec<String>>,
    errors: FieldErrors,
) -> Result<WishesPage, WebError> {
    let (p, _) = promotions::get(&state.ctx, caller, id).await?;
    let w = members::my_wishes(&state.ctx, caller, id).await?;
    let mut chosen = chosen.unwrap_or_else(|| w.mine.iter().map(Uuid::to_string).collect());
    chosen.resize(MAX_WISHES, String::new());
    Ok(WishesPage {
        layout,
        p,
        w,
        chosen,
        errors,
    })
}

pub async fn wishes_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    page(render_wishes(&state, layout, &caller, id, None, FieldErrors::new()).await?)
}

pub async fn save_wishes(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let chosen: Vec<String> = (1..=MAX_WISHES).map(|i| first(&pairs, &format!("wish{i}"))).collect();
    match members::set_my_wishes(&state.ctx, &caller, id, &chosen).await {
        Ok(()) => Ok(see_other(&format!("/promotions/{id}/voeux?info=voeux-enregistres"))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_wishes(&state, layout, &caller, id, Some(chosen), errors).await?)
        }
    }
}

// ---------------------------------------------------------------------------
// Casting (the school)
// ---------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct RunForm {
    groups: String,
    min_size: String,
    max_size: String,
    seed: String,
}

impl RunForm {
    fn input(&self) -> RunInput {
        RunInput {
            groups: self.groups.clone(),
            min_size: self.min_size.clone(),
            max_size: self.max_size.clone(),
            seed: self.seed.clone(),
        }
    }
}

/// Which of the page's small forms was refused (its errors are keyed
/// `group` / `project` by the core): the summary links to its select, which
/// keeps the choice.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Refused {
    /// « Déplacer » of this person (select `move-{profile}`).
    Move { profile: Uuid, group: String },
    /// The project of group `n` (select `project-{n}`).
    Project { group: i64, project: String },
}

#[derive(Template)]
#[template(path = "promotions/groups.html")]
struct GroupsPage {
    layout: Layout,
    p: Promotion,
    c: Casting,
    f: RunForm,
    errors: FieldErrors,
    refused: Option<Refused>,
    /// Groups « Constituer les équipes » left alone.
    skipped: Vec<i64>,
}

impl GroupsPage {
    /// Where an error of the summary points: the field of the form it is
    /// about.
    fn anchor(&self, field: &str) -> String {
        match (&self.refused, field) {
            (Some(Refused::Move { profile, .. }), "group") => format!("move-{profile}"),
            (Some(Refused::Project { group, .. }), "project") => format!("project-{group}"),
            _ => field.to_owned(),
        }
    }

    /// The move form's error for this person, if it was refused.
    fn move_error(&self, profile: &Uuid) -> Option<&str> {
        match &self.refused {
            Some(Refused::Move { profile: p, .. }) if p == profile => self.errors.get("group"),
            _ => None,
        }
    }

    /// The group chosen in this person's refused move (kept on 422).
    fn move_choice(&self, profile: &Uuid) -> String {
        match &self.refused {
            Some(Refused::Move { profile: p, group }) if p == profile => group.trim().to_owned(),
            _ => String::new(),
        }
    }

    /// The project form's error for group `n`, if it was refused.
    fn project_error(&self, number: &i64) -> Option<&str> {
        match &self.refused {
            Some(Refused::Project { group, .. }) if group == number => self.errors.get("project"),
            _ => None,
        }
    }

    /// Group numbers 1..=K of the last casting.
    fn numbers(&self) -> Vec<i64> {
        self.c
            .last
            .as_ref()
            .map(|l| (1..=l.group_count).collect())
            .unwrap_or_default()
    }

    /// The project selected for group `n`: as typed when its form was
    /// refused, else as stored.
    fn project_of(&self, number: &i64) -> String {
        if let Some(Refused::Project { group, project }) = &self.refused
            && group == number
        {
            return project.trim().to_owned();
        }
        self.c
            .groups
            .iter()
            .find(|g| g.group_no == *number)
            .and_then(|g| g.project_id)
            .map(|p| p.to_string())
            .unwrap_or_default()
    }

    fn status_icon(&self, s: &maillage_core::casting::Status) -> &'static str {
        use maillage_core::casting::Status as S;
        match s {
            S::Met => "✔",
            S::Partial => "◐",
            S::Missed => "✘",
            S::NotScored => "–",
        }
    }

    fn status_text(&self, s: &maillage_core::casting::Status) -> &'static str {
        use maillage_core::casting::Status as S;
        match s {
            S::Met => "respecté",
            S::Partial => "en partie",
            S::Missed => "manqué",
            S::NotScored => "non renseigné",
        }
    }

    /// A score in 0..=1 as the report writes shares: « 87 % ».
    fn percent(&self, score: &f64) -> String {
        maillage_core::casting::percent((score.clamp(0.0, 1.0) * 1000.0).round() as u32, 1000)
    }

    /// The skipped groups, « 2, 3 ».
    fn skipped_list(&self) -> String {
        self.skipped.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
    }
}

async fn render_groups(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    id: Uuid,
    f: Option<RunForm>,
    errors: FieldErrors,
    refused: Option<Refused>,
) -> Result<GroupsPage, WebError> {
    let p = promotions::get_managed(&state.ctx, caller, id).await?;
    let c = groups::casting_page(&state.ctx, caller, id).await?;
    let f = f.unwrap_or_else(|| match &c.last {
        Some(l) => RunForm {
            groups: l.group_count.to_string(),
            min_size: l.min_size.map(|n| n.to_string()).unwrap_or_default(),
            max_size: l.max_size.map(|n| n.to_string()).unwrap_or_default(),
            seed: groups::random_seed().to_string(),
        },
        None => RunForm {
            groups: (c.members.len() / 6).max(1).to_string(),
            seed: groups::random_seed().to_string(),
            ..Default::default()
        },
    });
    Ok(GroupsPage {
        layout,
        p,
        c,
        f,
        errors,
        refused,
        skipped: Vec::new(),
    })
}

pub async fn groups_page(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
    Query(q): Query<TeamsQuery>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let mut p = render_groups(&state, layout, &caller, id, None, FieldErrors::new(), None).await?;
    p.skipped = q.skipped();
    page(p)
}

pub async fn run_casting(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
    Form(f): Form<RunForm>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    match groups::run(&state.ctx, &caller, id, &f.input()).await {
        Ok(()) => Ok(see_other(&format!(
            "/promotions/{id}/groupes?info=casting-calcule#rapport"
        ))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_groups(&state, layout, &caller, id, Some(f), errors, None).await?)
        }
    }
}

pub async fn move_member(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let profile = id_or_404(&first(&pairs, "person"))?;
    let group = first(&pairs, "group");
    match groups::move_member(&state.ctx, &caller, id, profile, &group).await {
        Ok(()) => Ok(see_other(&format!("/promotions/{id}/groupes?info=deplacement#rapport"))),
        Err(e) => {
            let errors = field_errors(e)?;
            let refused = Some(Refused::Move { profile, group });
            invalid(render_groups(&state, layout, &caller, id, None, errors, refused).await?)
        }
    }
}

pub async fn set_project(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    UrlPath((id, group)): UrlPath<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let group: i64 = group.parse().map_err(|_| WebError::not_found())?;
    let project = all(&pairs, "project").into_iter().next().unwrap_or_default();
    match groups::set_project(&state.ctx, &caller, id, group, &project).await {
        Ok(()) => Ok(see_other(&format!(
            "/promotions/{id}/groupes?info=projet-attribue#groupes"
        ))),
        Err(e) => {
            let errors = field_errors(e)?;
            let refused = Some(Refused::Project { group, project });
            invalid(render_groups(&state, layout, &caller, id, None, errors, refused).await?)
        }
    }
}

pub async fn form_teams(
    State(state): State<AppState>,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    let teams = groups::form_teams(&state.ctx, &caller, id).await?;
    let ignores = if teams.skipped.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = teams.skipped.iter().map(i64::to_string).collect();
        format!("&ignores={}", list.join(","))
    };
    Ok(see_other(&format!(
        "/promotions/{id}/groupes?info=equipes{ignores}#groupes"
    )))
}
