//! `/admin`: the coordinator's pages — add organisations from the official
//! reference, memberships, accounts and roles, audit log.

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    response::Response,
};
use maillage_core::{
    FieldErrors, network,
    organisations::{self, Membership, NewOrganisation, Organisation},
    people,
    policy::{self, Action},
};
use maillage_domain::{org_kind::OrgKind, reference};
use serde::Deserialize;

use crate::{
    AppState,
    error::WebError,
    forms::{field_errors, invalid, page, see_other},
    layout::{Caller, Layout},
};

#[derive(Template)]
#[template(path = "admin/index.html")]
struct Index {
    layout: Layout,
    home: network::Home,
}

pub async fn index(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
) -> Result<Response, WebError> {
    policy::require(&caller, &Action::Administer)?;
    let home = network::home(&state.ctx).await?;
    page(Index { layout, home })
}

#[derive(Template)]
#[template(path = "admin/new_organisation.html")]
struct NewOrg {
    layout: Layout,
    q: String,
    kind: String,
    candidates: Vec<Candidate>,
    searched: bool,
    input: NewOrgInput,
    errors: FieldErrors,
    manual_kinds: [OrgKind; 3],
    memberships: &'static [Membership],
}

struct Candidate {
    siren: String,
    name: String,
    kind: &'static str,
    place: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PickerQuery {
    q: String,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct NewOrgInput {
    siren: String,
    name: String,
    kind: String,
    membership: String,
    joined_on: String,
}

fn candidates(q: &str, kind: &str) -> Vec<Candidate> {
    if q.trim().is_empty() {
        return Vec::new();
    }
    reference::search_kind(q, OrgKind::parse(kind), 30)
        .into_iter()
        .map(|c| Candidate {
            siren: c.siren.as_str().to_owned(),
            name: c.name.clone(),
            kind: c.kind.label(),
            place: [c.departement_name(), c.region_name()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect()
}

pub async fn new_organisation(
    layout: Layout,
    Caller(caller): Caller,
    Query(q): Query<PickerQuery>,
) -> Result<Response, WebError> {
    policy::require(&caller, &Action::CreateOrganisation)?;
    let input = NewOrgInput {
        membership: "membre".into(),
        ..Default::default()
    };
    page(NewOrg {
        layout,
        candidates: candidates(&q.q, &q.kind),
        searched: !q.q.trim().is_empty(),
        q: q.q,
        kind: q.kind,
        input,
        errors: FieldErrors::new(),
        manual_kinds: [OrgKind::Cnfpt, OrgKind::CentreDeGestion, OrgKind::Autre],
        memberships: &Membership::ALL,
    })
}

pub async fn create_organisation(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Form(input): Form<NewOrgInput>,
) -> Result<Response, WebError> {
    let new = NewOrganisation {
        siren: input.siren.clone(),
        name: input.name.clone(),
        kind: input.kind.clone(),
        membership: input.membership.clone(),
        joined_on: input.joined_on.clone(),
    };
    match organisations::create(&state.ctx, &caller, &new).await {
        Ok(org) => Ok(see_other(&format!(
            "/organisations/{}?info=organisation-ajoutee",
            org.siren
        ))),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(NewOrg {
                layout,
                q: String::new(),
                kind: String::new(),
                candidates: Vec::new(),
                searched: false,
                input,
                errors,
                manual_kinds: [OrgKind::Cnfpt, OrgKind::CentreDeGestion, OrgKind::Autre],
                memberships: &Membership::ALL,
            })
        }
    }
}

#[derive(Template)]
#[template(path = "admin/membership.html")]
struct MembershipPage {
    layout: Layout,
    org: Organisation,
    input: MembershipInput,
    errors: FieldErrors,
    memberships: &'static [Membership],
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MembershipInput {
    membership: String,
    joined_on: String,
    left_on: String,
}

pub async fn membership_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(siren): Path<String>,
) -> Result<Response, WebError> {
    policy::require(&caller, &Action::ManageMembership)?;
    let org = organisations::get(&state.ctx, &siren).await?;
    let input = MembershipInput {
        membership: org.membership.as_str().to_owned(),
        joined_on: org.joined_on.map(|d| d.to_string()).unwrap_or_default(),
        left_on: org.left_on.map(|d| d.to_string()).unwrap_or_default(),
    };
    page(MembershipPage {
        layout,
        org,
        input,
        errors: FieldErrors::new(),
        memberships: &Membership::ALL,
    })
}

pub async fn set_membership(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Path(siren): Path<String>,
    Form(input): Form<MembershipInput>,
) -> Result<Response, WebError> {
    match organisations::set_membership(
        &state.ctx,
        &caller,
        &siren,
        &input.membership,
        &input.joined_on,
        &input.left_on,
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!("/organisations/{siren}?info=adhesion-modifiee"))),
        Err(e) => {
            let errors = field_errors(e)?;
            let org = organisations::get(&state.ctx, &siren).await?;
            invalid(MembershipPage {
                layout,
                org,
                input,
                errors,
                memberships: &Membership::ALL,
            })
        }
    }
}

#[derive(Template)]
#[template(path = "admin/people.html")]
struct People {
    layout: Layout,
    q: String,
    accounts: Vec<people::Account>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PeopleQuery {
    q: String,
    page: String,
}

pub async fn people(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Query(q): Query<PeopleQuery>,
) -> Result<Response, WebError> {
    let accounts = people::list(&state.ctx, &caller, Some(&q.q), q.page.parse().unwrap_or(1)).await?;
    page(People {
        layout,
        q: q.q,
        accounts,
    })
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct Audit {
    layout: Layout,
    entries: Vec<people::AuditEntry>,
}

pub async fn audit(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
) -> Result<Response, WebError> {
    let entries = people::audit_log(&state.ctx, &caller).await?;
    page(Audit { layout, entries })
}

#[derive(Template)]
#[template(path = "admin/network.html")]
struct NetworkPage {
    layout: Layout,
    name: String,
    description: String,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NetworkInput {
    name: String,
    description: String,
}

pub async fn network_form(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
) -> Result<Response, WebError> {
    policy::require(&caller, &Action::ManageNetwork)?;
    let home = network::home(&state.ctx).await?;
    page(NetworkPage {
        layout,
        name: home.name,
        description: home.description,
        errors: FieldErrors::new(),
    })
}

pub async fn update_network(
    State(state): State<AppState>,
    layout: Layout,
    Caller(caller): Caller,
    Form(input): Form<NetworkInput>,
) -> Result<Response, WebError> {
    match network::update(&state.ctx, &caller, &input.name, &input.description).await {
        Ok(()) => Ok(see_other("/admin?info=reseau-modifie")),
        Err(e) => {
            let errors = field_errors(e)?;
            invalid(NetworkPage {
                layout,
                name: input.name,
                description: input.description,
                errors,
            })
        }
    }
}
