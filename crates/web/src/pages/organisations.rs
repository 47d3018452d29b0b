//! `/organisations`: the members of the network, each one's public page, and
//! for its administrators its people, roles, invitations, profile and schools.

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    response::Response,
};
use maillage_core::{
    Actor, CoreError, FieldErrors, accounts,
    organisations::{self, Filter, Membership, Organisation, Page},
    policy::{self, Action},
    schools::{self, School},
};
use maillage_domain::{org_kind::OrgKind, reference, role::Role};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    AppState,
    error::WebError,
    forms::{field_errors, invalid, page, see_other},
    layout::{Caller, Layout},
};

#[derive(Template)]
#[template(path = "organisations/list.html")]
struct List {
    layout: Layout,
    result: Page<Organisation>,
    q: ListQuery,
    kinds: &'static [OrgKind],
    memberships: &'static [Membership],
    regions: &'static [(&'static str, &'static str)],
    query_base: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub statut: String,
    pub region: String,
    /// Text, parsed leniently: a bad page number shows page 1, not an error.
    pub page: String,
}

pub async fn list(
    State(state): State<AppState>,
    layout: Layout,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let filter = Filter {
        text: Some(q.q.clone()).filter(|s| !s.trim().is_empty()),
        kind: OrgKind::parse(&q.kind),
        membership: Membership::parse(&q.statut),
        region: Some(q.region.clone()).filter(|s| !s.is_empty()),
        page: q.page.parse().unwrap_or(1),
        per_page: 30,
    };
    let result = organisations::list(&state.ctx, &filter).await?;
    let regions = reference::regions();
    let query_base = format!(
        "q={}&type={}&statut={}&region={}",
        crate::middleware::url_encode(&q.q),
        crate::middleware::url_encode(&q.kind),
        crate::middleware::url_encode(&q.statut),
        crate::middleware::url_encode(&q.region)
    );
    page(List {
        layout,
        result,
        q,
        kinds: &OrgKind::ALL,
        memberships: &Membership::ALL,
        regions,
        query_base,
    })
}

#[derive(Template)]
#[template(path = "organisations/show.html")]
struct Show {
    layout: Layout,
    org: Organisation,
    schools: Vec<School>,
    can_edit: bool,
    can_create_school: bool,
    people: Option<organisations::People>,
    can_assign: bool,
    assignable: Vec<Role>,
    invite_email: String,
    invite_role: String,
    profile_description: String,
    profile_website: String,
    school_name: String,
    errors: FieldErrors,
}

struct ShowInput {
    invite_email: String,
    invite_role: String,
    profile_description: Option<String>,
    profile_website: Option<String>,
    school_name: String,
    errors: FieldErrors,
}

impl Default for ShowInput {
    fn default() -> Self {
        ShowInput {
            invite_email: String::new(),
            invite_role: "member".into(),
            profile_description: None,
            profile_website: None,
            school_name: String::new(),
            errors: FieldErrors::new(),
        }
    }
}

async fn render_show(
    state: &AppState,
    layout: Layout,
    caller: &Actor,
    siren: &str,
    input: ShowInput,
) -> Result<Show, WebError> {
    let org = organisations::get(&state.ctx, siren).await?;
    let schools = schools::of_organisation(&state.ctx, org.id).await?;
    let people = match organisations::people_of(&state.ctx, caller, &org).await {
        Ok(p) => Some(p),
        Err(CoreError::NotFound | CoreError::Unauthenticated | CoreError::Forbidden) => None,
        Err(e) => return Err(e.into()),
    };
    let assignable: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|r| {
            policy::allows(
                caller,
                &Action::AssignRole {
                    organisation: org.id,
                    role: *r,
                },
            )
        })
        .collect();
    Ok(Show {
        layout,
        can_edit: policy::allows(caller, &Action::EditOrganisation { organisation: org.id }),
        can_create_school: policy::allows(caller, &Action::CreateSchool { organisation: org.id }),
        can_assign: !assignable.is_empty(),
        assignable,
        people,
        invite_email: input.invite_email,
        invite_role: input.invite_role,
        profile_description: input.profile_description.unwrap_or_else(|| org.description.clone()),
        profile_website: input
            .profile_website
            .unwrap_or_else(|| org.website.clone().unwrap_or_default()),
        school_name: input.school_name,
        errors: input.errors,
        schools,
        org,
    })
}

pub async fn show(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(siren): Path<String>,
) -> Result<Response, WebError> {
    page(render_show(&state, layout, &caller, &siren, ShowInput::default()).await?)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteInput {
    email: String,
    role: String,
}

pub async fn invite(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(siren): Path<String>,
    Form(input): Form<InviteInput>,
) -> Result<Response, WebError> {
    let org = organisations::get(&state.ctx, &siren).await?;
    match accounts::invite(&state.ctx, &caller, org.id, &input.email, &input.role).await {
        Ok(()) => Ok(see_other(&format!(
            "/organisations/{}?info=invitation-envoyee#personnes",
            org.siren
        ))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(
                render_show(
                    &state,
                    layout,
                    &caller,
                    &siren,
                    ShowInput {
                        invite_email: input.email,
                        invite_role: input.role,
                        errors,
                        ..Default::default()
                    },
                )
                .await?,
            )
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RoleInput {
    user_id: String,
    role: String,
    action: String,
}

pub async fn set_role(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(siren): Path<String>,
    Form(input): Form<RoleInput>,
) -> Result<Response, WebError> {
    let user_id = Uuid::parse_str(&input.user_id).map_err(|_| WebError::not_found())?;
    organisations::set_role(
        &state.ctx,
        &caller,
        &siren,
        user_id,
        &input.role,
        input.action != "retirer",
    )
    .await?;
    Ok(see_other(&format!(
        "/organisations/{siren}?info=role-modifie#personnes"
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProfileInput {
    description: String,
    website: String,
}

pub async fn update_profile(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(siren): Path<String>,
    Form(input): Form<ProfileInput>,
) -> Result<Response, WebError> {
    match organisations::update_profile(&state.ctx, &caller, &siren, &input.description, &input.website).await {
        Ok(()) => Ok(see_other(&format!("/organisations/{siren}?info=profil-modifie"))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(
                render_show(
                    &state,
                    layout,
                    &caller,
                    &siren,
                    ShowInput {
                        profile_description: Some(input.description),
                        profile_website: Some(input.website),
                        errors,
                        ..Default::default()
                    },
                )
                .await?,
            )
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SchoolInput {
    name: String,
}

pub async fn create_school(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(siren): Path<String>,
    Form(input): Form<SchoolInput>,
) -> Result<Response, WebError> {
    let org = organisations::get(&state.ctx, &siren).await?;
    match schools::create(&state.ctx, &caller, org.id, &input.name, "").await {
        Ok(_) => Ok(see_other(&format!("/organisations/{siren}?info=ecole-creee#ecoles"))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(
                render_show(
                    &state,
                    layout,
                    &caller,
                    &siren,
                    ShowInput {
                        school_name: input.name,
                        errors,
                        ..Default::default()
                    },
                )
                .await?,
            )
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AttachInput {
    siren: String,
}

/// Shares a school with another organisation (mutualised school).
pub async fn attach_school(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path((siren, school)): Path<(String, Uuid)>,
    Form(input): Form<AttachInput>,
) -> Result<Response, WebError> {
    // The school must be one of this organisation's: the address names both.
    let org = organisations::get(&state.ctx, &siren).await?;
    if !schools::get(&state.ctx, school)
        .await?
        .organisations
        .iter()
        .any(|o| o.id == org.id)
    {
        return Err(WebError::not_found());
    }
    match schools::attach(&state.ctx, &caller, school, &input.siren).await {
        Ok(()) => Ok(see_other(&format!("/organisations/{siren}?info=ecole-partagee#ecoles"))),
        Err(e) => Err(e.into()),
    }
}
