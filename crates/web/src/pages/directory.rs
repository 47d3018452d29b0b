//! `/annuaire` (search, profiles, exports) and `/profil` (one's own profile).
//! Every handler calls one operation of `maillage_core::directory`; what a
//! viewer may see is decided there, never here.

use askama::Template;
use axum::{
    Form,
    extract::{Multipart, Path, Query, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use maillage_core::{
    Actor, CoreError, FieldErrors,
    directory::{
        Profile, Visibility,
        edit::{self, AdminInput, Colleague, OwnInput, VisibilityInput},
        profile::{self, Change, ThemeRef},
        search::{self, Params, Results},
        themes,
    },
    organisations::{self, Organisation},
    policy::{self, Action},
};
use maillage_domain::{category::Category, org_kind::OrgKind, reference};
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
pub struct SearchQuery {
    pub q: String,
    pub organisation: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub region: String,
    pub departement: String,
    pub categorie: String,
    pub theme: String,
    /// Text, parsed leniently: a bad page number shows page 1.
    pub page: String,
}

impl SearchQuery {
    fn params(&self) -> Params {
        Params {
            q: self.q.clone(),
            organisation: self.organisation.clone(),
            kind: self.kind.clone(),
            region: self.region.clone(),
            departement: self.departement.clone(),
            category: self.categorie.clone(),
            theme: self.theme.clone(),
            page: self.page.parse().unwrap_or(1),
        }
    }

    /// The query string without the page, for pagination and export links.
    fn base(&self) -> String {
        query_string(&[
            ("q", &self.q),
            ("organisation", &self.organisation),
            ("type", &self.kind),
            ("region", &self.region),
            ("departement", &self.departement),
            ("categorie", &self.categorie),
            ("theme", &self.theme),
        ])
    }
}

#[derive(Template)]
#[template(path = "directory/search.html")]
struct SearchPage {
    layout: Layout,
    q: SearchQuery,
    results: Results,
    query_base: String,
    organisations: Vec<Organisation>,
    kinds: &'static [OrgKind],
    regions: &'static [(&'static str, &'static str)],
    departements: Vec<(String, &'static str)>,
    categories: [Category; 4],
    themes: Vec<ThemeRef>,
    can_export: bool,
    can_import: bool,
    /// The viewer has a profile they have not reviewed yet.
    unreviewed_profile: bool,
}

pub async fn search(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Query(q): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let results = search::search(&state.ctx, &caller, &q.params()).await?;
    let organisations = organisations::list(
        &state.ctx,
        &organisations::Filter {
            per_page: 200,
            ..Default::default()
        },
    )
    .await?
    .items;
    let mut departements: Vec<(String, &'static str)> = organisations
        .iter()
        .filter_map(|o| o.departement.clone())
        .filter_map(|code| reference::departement_name(&code).map(|name| (code, name)))
        .collect();
    departements.sort();
    departements.dedup();
    let can_import = organisations
        .iter()
        .any(|o| policy::allows(&caller, &Action::ImportPeople { organisation: o.id }));
    let unreviewed_profile = match profile::mine(&state.ctx, &caller).await? {
        Some(id) => profile::get(&state.ctx, &caller, id)
            .await
            .map(|p| p.consented_at.is_none())
            .unwrap_or(false),
        None => false,
    };
    page(SearchPage {
        layout,
        query_base: q.base(),
        q,
        results,
        organisations,
        kinds: &OrgKind::ALL,
        regions: reference::regions(),
        departements,
        categories: Category::ALL,
        themes: themes::list(&state.ctx).await?,
        can_export: policy::allows(&caller, &Action::ExportDirectory),
        can_import,
        unreviewed_profile,
    })
}

pub async fn export_csv(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(q): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let bytes = search::export_csv(&state.ctx, &caller, &q.params()).await?;
    Ok(crate::forms::download(bytes, "text/csv; charset=utf-8", "annuaire.csv"))
}

#[derive(Template)]
#[template(path = "directory/show.html")]
struct ShowPage {
    layout: Layout,
    p: Profile,
    can_edit_admin: bool,
    history: Vec<Change>,
    /// The person's training record, when they allow this viewer to see it.
    training: Option<maillage_core::paths::Record>,
    /// « Qui a travaillé sur quoi » : the person's projects this viewer may see.
    projects: Vec<maillage_core::projects::bank::Project>,
    /// The promotions the person is an alumna or alumnus of, when they allow
    /// this viewer to see them (`alumni_vis`).
    alumni: Vec<maillage_core::promotions::Alumnus>,
}

pub async fn show(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let p = profile::get(&state.ctx, &caller, id_or_404(&id)?).await?;
    let history = if p.sees_everything() {
        profile::history(&state.ctx, &caller, p.id).await?
    } else {
        Vec::new()
    };
    page(ShowPage {
        can_edit_admin: policy::allows(
            &caller,
            &Action::EditProfileAdministrative {
                organisation: p.organisation_id,
            },
        ),
        layout,
        training: maillage_core::paths::record_for_profile(&state.ctx, &caller, &p).await?,
        projects: maillage_core::projects::bank::search::of_profile(&state.ctx, &caller, p.id).await?,
        alumni: maillage_core::promotions::members::alumni_for_profile(&state.ctx, &p).await?,
        p,
        history,
    })
}

pub async fn photo(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let jpeg = profile::photo(&state.ctx, &caller, id_or_404(&id)?).await?;
    let mut res = jpeg.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    Ok(res)
}

pub async fn vcard(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (file, card) = search::vcard(&state.ctx, &caller, id_or_404(&id)?).await?;
    Ok(crate::forms::download(card, "text/vcard; charset=utf-8", &file))
}

// ---- administrators: edit the administrative fields, remove ----

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct AdminForm {
    first_name: String,
    last_name: String,
    function_title: String,
    direction: String,
    service: String,
    category: String,
    cadre: String,
    email: String,
    phone: String,
    post_started_on: String,
    manager: String,
}

impl AdminForm {
    fn of(p: &Profile) -> AdminForm {
        AdminForm {
            first_name: p.first_name.clone(),
            last_name: p.last_name.clone(),
            function_title: p.function.clone().unwrap_or_default(),
            direction: p.direction.clone().unwrap_or_default(),
            service: p.service.clone().unwrap_or_default(),
            category: p.category.map(|c| c.as_str().to_owned()).unwrap_or_default(),
            cadre: p.cadre.clone().unwrap_or_default(),
            email: p.email.clone().unwrap_or_default(),
            phone: p.phone.clone().unwrap_or_default(),
            post_started_on: p.post_started_on.map(|d| d.to_string()).unwrap_or_default(),
            manager: p.manager_id.map(|m| m.to_string()).unwrap_or_default(),
        }
    }

    fn input(&self) -> AdminInput {
        AdminInput {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            function_title: self.function_title.clone(),
            direction: self.direction.clone(),
            service: self.service.clone(),
            category: self.category.clone(),
            cadre: self.cadre.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            post_started_on: self.post_started_on.clone(),
            manager: self.manager.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "directory/admin_edit.html")]
struct AdminEditPage {
    layout: Layout,
    p: Profile,
    a: AdminForm,
    categories: [Category; 4],
    /// Who may be the person's line manager.
    colleagues: Vec<Colleague>,
    errors: FieldErrors,
}

async fn editable(state: &AppState, caller: &Actor, id: &str) -> Result<Profile, WebError> {
    let p = profile::get(&state.ctx, caller, id_or_404(id)?).await?;
    policy::require(
        caller,
        &Action::EditProfileAdministrative {
            organisation: p.organisation_id,
        },
    )?;
    Ok(p)
}

pub async fn admin_edit_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let p = editable(&state, &caller, &id).await?;
    page(AdminEditPage {
        layout,
        a: AdminForm::of(&p),
        colleagues: edit::colleagues(&state.ctx, &p).await?,
        p,
        categories: Category::ALL,
        errors: FieldErrors::new(),
    })
}

pub async fn admin_edit(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(f): Form<AdminForm>,
) -> Result<Response, WebError> {
    let p = editable(&state, &caller, &id).await?;
    match edit::update_admin(&state.ctx, &caller, p.id, &f.input()).await {
        Ok(()) => Ok(see_other(&format!("/annuaire/{}?info=fiche-modifiee", p.id))),
        Err(e) => invalid(AdminEditPage {
            errors: field_errors(e)?,
            layout,
            a: f,
            colleagues: edit::colleagues(&state.ctx, &p).await?,
            p,
            categories: Category::ALL,
        }),
    }
}

pub async fn remove(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    edit::remove(&state.ctx, &caller, id_or_404(&id)?).await?;
    Ok(see_other("/annuaire?info=fiche-supprimee"))
}

// ---- the person: /profil ----

/// The person's form, as submitted or prefilled.
#[derive(Clone, Default)]
struct OwnForm {
    admin: AdminForm,
    bio: String,
    languages: String,
    expertise: Vec<String>,
    interests: Vec<String>,
    vis: Vec<(&'static str, &'static str, String)>,
}

/// (form name, label, help) of each visibility choice, in form order.
const VIS_FIELDS: [(&str, &str); 12] = [
    ("function_vis", "Fonction"),
    ("unit_vis", "Direction et service"),
    ("category_vis", "Catégorie"),
    ("cadre_vis", "Cadre d'emplois"),
    ("email_vis", "Courriel professionnel"),
    ("phone_vis", "Téléphone professionnel"),
    ("bio_vis", "Présentation"),
    ("languages_vis", "Langues"),
    ("themes_vis", "Thématiques"),
    ("photo_vis", "Photo"),
    ("training_vis", "Mon parcours de formation"),
    ("alumni_vis", "Mes promotions (ancienne ou ancien de…)"),
];

impl OwnForm {
    fn of(p: &Profile) -> OwnForm {
        let s = p.settings.as_ref();
        let key = |f: fn(&profile::Settings) -> Visibility| s.map(f).unwrap_or(Visibility::Private).key().to_owned();
        let levels = [
            key(|s| s.function),
            key(|s| s.unit),
            key(|s| s.category),
            key(|s| s.cadre),
            key(|s| s.email),
            key(|s| s.phone),
            key(|s| s.bio),
            key(|s| s.languages),
            key(|s| s.themes),
            key(|s| s.photo),
            key(|s| s.training),
            key(|s| s.alumni),
        ];
        let mut vis: Vec<(&'static str, &'static str, String)> = VIS_FIELDS
            .iter()
            .zip(levels)
            .map(|((name, label), v)| (*name, *label, v))
            .collect();
        vis.push(("listed", "Présence dans l'annuaire", key(|s| s.listed)));
        OwnForm {
            admin: AdminForm::of(p),
            bio: p.bio.clone().unwrap_or_default(),
            languages: p.languages.join(", "),
            expertise: p.expertise.iter().map(|t| t.id.to_string()).collect(),
            interests: p.interests.iter().map(|t| t.id.to_string()).collect(),
            vis,
        }
    }

    fn from_pairs(pairs: &[(String, String)]) -> OwnForm {
        let get = |k: &str| first(pairs, k);
        let all = |k: &str| all(pairs, k);
        let mut vis: Vec<(&'static str, &'static str, String)> = VIS_FIELDS
            .iter()
            .map(|(name, label)| (*name, *label, get(name)))
            .collect();
        vis.push(("listed", "Présence dans l'annuaire", get("listed")));
        OwnForm {
            admin: AdminForm {
                first_name: get("first_name"),
                last_name: get("last_name"),
                function_title: get("function_title"),
                direction: get("direction"),
                service: get("service"),
                category: get("category"),
                cadre: get("cadre"),
                email: get("email"),
                phone: get("phone"),
                post_started_on: get("post_started_on"),
                manager: get("manager"),
            },
            bio: get("bio"),
            languages: get("languages"),
            expertise: all("expertise"),
            interests: all("interests"),
            vis,
        }
    }

    /// Whether the theme is ticked in the list `expertise` or `interests`.
    fn has(&self, list: &str, theme: &Uuid) -> bool {
        let ids = if list == "expertise" {
            &self.expertise
        } else {
            &self.interests
        };
        ids.iter().any(|i| *i == theme.to_string())
    }

    fn vis_of(&self, name: &str) -> String {
        self.vis
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, _, v)| v.clone())
            .unwrap_or_default()
    }

    fn input(&self) -> OwnInput {
        OwnInput {
            admin: self.admin.input(),
            bio: self.bio.clone(),
            languages: self.languages.clone(),
            expertise: self.expertise.clone(),
            interests: self.interests.clone(),
            visibility: VisibilityInput {
                function: self.vis_of("function_vis"),
                unit: self.vis_of("unit_vis"),
                category: self.vis_of("category_vis"),
                cadre: self.vis_of("cadre_vis"),
                email: self.vis_of("email_vis"),
                phone: self.vis_of("phone_vis"),
                bio: self.vis_of("bio_vis"),
                languages: self.vis_of("languages_vis"),
                themes: self.vis_of("themes_vis"),
                photo: self.vis_of("photo_vis"),
                listed: self.vis_of("listed"),
                training: self.vis_of("training_vis"),
                alumni: self.vis_of("alumni_vis"),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "directory/own.html")]
struct OwnPage {
    layout: Layout,
    /// `None`: the account has no profile (e.g. a coordinator outside any
    /// organisation).
    p: Option<Profile>,
    f: OwnForm,
    /// `f.admin`, under the name the shared fields template expects.
    a: AdminForm,
    themes: Vec<ThemeRef>,
    categories: [Category; 4],
    visibilities: [Visibility; 3],
    /// Who may be the person's line manager.
    colleagues: Vec<Colleague>,
    /// The person's paths and completed modules.
    training: Option<maillage_core::paths::Record>,
    errors: FieldErrors,
    photo_error: Option<String>,
}

async fn own_profile(state: &AppState, caller: &Actor) -> Result<Option<Profile>, WebError> {
    Ok(match edit::ensure_own(&state.ctx, caller).await? {
        Some(id) => Some(profile::get(&state.ctx, caller, id).await?),
        None => None,
    })
}

async fn render_own(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    form: Option<OwnForm>,
    errors: FieldErrors,
    photo_error: Option<String>,
) -> Result<OwnPage, WebError> {
    let p = own_profile(state, caller).await?;
    let f = form.or_else(|| p.as_ref().map(OwnForm::of)).unwrap_or_default();
    let (colleagues, training) = match &p {
        Some(p) => (
            edit::colleagues(&state.ctx, p).await?,
            maillage_core::paths::record_for_profile(&state.ctx, caller, p).await?,
        ),
        None => (Vec::new(), None),
    };
    Ok(OwnPage {
        colleagues,
        training,
        layout,
        p,
        a: f.admin.clone(),
        f,
        themes: themes::list(&state.ctx).await?,
        categories: Category::ALL,
        visibilities: Visibility::ALL,
        errors,
        photo_error,
    })
}

pub async fn own_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
) -> Result<Response, WebError> {
    policy::require(&caller, &Action::UseAccount)?;
    page(render_own(&state, layout, &caller, None, FieldErrors::new(), None).await?)
}

pub async fn own_update(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    policy::require(&caller, &Action::UseAccount)?;
    let f = OwnForm::from_pairs(&pairs);
    match edit::update_own(&state.ctx, &caller, &f.input()).await {
        Ok(()) => Ok(see_other("/profil?info=profil-enregistre")),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_own(&state, layout, &caller, Some(f), errors, None).await?)
        }
    }
}

pub async fn own_photo(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    policy::require(&caller, &Action::UseAccount)?;
    let mut upload = None;
    while let Some(field) = multipart.next_field().await.map_err(bad_upload)? {
        if field.name() == Some("photo") {
            upload = Some(field.bytes().await.map_err(bad_upload)?.to_vec());
        }
    }
    let result = match upload.filter(|b| !b.is_empty()) {
        Some(bytes) => edit::set_own_photo(&state.ctx, &caller, Some(bytes)).await,
        None => Err(FieldErrors::single(
            "photo",
            "Choisissez une photo (JPEG, PNG ou WebP).",
        )),
    };
    match result {
        Ok(()) => Ok(see_other("/profil?info=photo-enregistree")),
        Err(e) => {
            let errors = field_errors(e)?;
            let message = errors.get("photo").map(str::to_owned);
            invalid(render_own(&state, layout, &caller, None, FieldErrors::new(), message).await?)
        }
    }
}

pub async fn own_photo_remove(State(state): State<AppState>, Caller(caller): Caller) -> Result<Response, WebError> {
    edit::set_own_photo(&state.ctx, &caller, None).await?;
    Ok(see_other("/profil?info=photo-retiree"))
}

/// A malformed multipart body (cut connection, bad boundary).
pub fn bad_upload(e: axum::extract::multipart::MultipartError) -> WebError {
    WebError::new(
        e.status(),
        "envoi-invalide",
        "Le fichier n'a pas pu être reçu en entier. Réessayez ; s'il est très volumineux, réduisez-le.",
    )
}

// ---- the coordinator: themes ----

#[derive(Template)]
#[template(path = "directory/themes.html")]
struct ThemesPage {
    layout: Layout,
    themes: Vec<ThemeRef>,
    name: String,
    errors: FieldErrors,
    starter: &'static [&'static str],
}

async fn render_themes(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    name: String,
    errors: FieldErrors,
) -> Result<ThemesPage, WebError> {
    policy::require(caller, &Action::ManageThemes)?;
    Ok(ThemesPage {
        layout,
        themes: themes::list(&state.ctx).await?,
        name,
        errors,
        starter: themes::STARTER,
    })
}

pub async fn themes_page(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
) -> Result<Response, WebError> {
    page(render_themes(&state, layout, &caller, String::new(), FieldErrors::new()).await?)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ThemeForm {
    name: String,
}

pub async fn theme_add(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Form(f): Form<ThemeForm>,
) -> Result<Response, WebError> {
    match themes::add(&state.ctx, &caller, &f.name).await {
        Ok(_) => Ok(see_other("/admin/thematiques?info=thematique-ajoutee")),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(render_themes(&state, layout, &caller, f.name, errors).await?)
        }
    }
}

pub async fn theme_add_starter(State(state): State<AppState>, Caller(caller): Caller) -> Result<Response, WebError> {
    for name in themes::STARTER {
        match themes::add(&state.ctx, &caller, name).await {
            Ok(_) | Err(CoreError::Invalid(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(see_other("/admin/thematiques?info=thematique-ajoutee"))
}

pub async fn theme_rename(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Form(f): Form<ThemeForm>,
) -> Result<Response, WebError> {
    let id = id_or_404(&id)?;
    match themes::rename(&state.ctx, &caller, id, &f.name).await {
        Ok(()) => Ok(see_other("/admin/thematiques?info=thematique-renommee")),
        Err(e) => {
            let mut errors = field_errors(e)?;
            // The rename fields are per theme: point the summary at this one.
            for (field, _) in errors.0.iter_mut() {
                *field = "name";
            }
            invalid(render_themes(&state, layout, &caller, f.name, errors).await?)
        }
    }
}

pub async fn theme_remove(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    themes::remove(&state.ctx, &caller, id_or_404(&id)?).await?;
    Ok(see_other("/admin/thematiques?info=thematique-supprimee"))
}
