//! `/api/v1/organisations`.

use axum::{
    Json,
    extract::{Path, Query, State},
};
use maillage_core::organisations::{self, Filter, Membership, Organisation};
use maillage_domain::org_kind::OrgKind;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{AppState, error::WebError, layout::Caller};

#[derive(Serialize, ToSchema)]
pub struct ApiOrganisation {
    /// 9 chiffres.
    pub siren: String,
    pub nom: String,
    /// commune, cc, ca, cu, metropole, departement, region, cnfpt, cdg, autre
    #[serde(rename = "type")]
    pub kind: String,
    pub departement: Option<String>,
    pub region: Option<String>,
    /// membre, candidate, partenaire, ancien
    pub statut: String,
    /// Date d'adhésion (AAAA-MM-JJ).
    pub membre_depuis: Option<String>,
    pub presentation: String,
    pub site: Option<String>,
    pub ecoles: Option<Vec<ApiSchool>>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiSchool {
    pub id: String,
    pub nom: String,
    /// SIREN des organisations de l'école (plusieurs si elle est mutualisée).
    pub organisations: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiOrganisationList {
    pub total: i64,
    pub page: i64,
    pub par_page: i64,
    pub organisations: Vec<ApiOrganisation>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiPerson {
    pub nom: String,
    pub courriel: String,
    /// coordinator, org-admin, hr, trainer, member
    pub roles: Vec<String>,
}

fn api(o: Organisation) -> ApiOrganisation {
    ApiOrganisation {
        siren: o.siren,
        nom: o.name,
        kind: o.kind.as_str().to_owned(),
        departement: o.departement,
        region: o.region,
        statut: o.membership.as_str().to_owned(),
        membre_depuis: o.joined_on.map(|d| d.to_string()),
        presentation: o.description,
        site: o.website,
        ecoles: None,
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Texte contenu dans le nom (sans tenir compte des accents ni de la casse).
    q: Option<String>,
    /// Type d'organisation.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    kind: Option<String>,
    /// Statut dans le réseau.
    statut: Option<String>,
    /// Code de région.
    region: Option<String>,
    /// Page (à partir de 1).
    page: Option<i64>,
    /// Éléments par page (1 à 200, 50 par défaut).
    par_page: Option<i64>,
}

/// Les organisations du réseau (informations publiques).
#[utoipa::path(get, path = "/api/v1/organisations", operation_id = "organisations", params(ListParams), tag = "organisations",
    security((), ("jeton" = [])),
    responses(
        (status = 200, description = "Une page de la liste", body = ApiOrganisationList),
        (status = 400, description = "Paramètre invalide (par exemple `page` qui n'est pas un nombre)", body = crate::api::ApiError),
        (status = 401, description = "Jeton inconnu ou révoqué (sans jeton, la liste est publique)", body = crate::api::ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    Query(p): Query<ListParams>,
) -> Result<Json<ApiOrganisationList>, WebError> {
    let filter = Filter {
        text: p.q.filter(|s| !s.trim().is_empty()),
        kind: p.kind.as_deref().and_then(OrgKind::parse),
        membership: p.statut.as_deref().and_then(Membership::parse),
        region: p.region,
        page: p.page.unwrap_or(1).max(1),
        per_page: p.par_page.unwrap_or(50).clamp(1, 200),
    };
    let page = organisations::list(&state.ctx, &filter).await?;
    Ok(Json(ApiOrganisationList {
        total: page.total,
        page: page.page,
        par_page: page.per_page,
        organisations: page.items.into_iter().map(api).collect(),
    }))
}

/// Une organisation, avec ses écoles.
#[utoipa::path(get, path = "/api/v1/organisations/{siren}", operation_id = "organisation", tag = "organisations",
    params(("siren" = String, Path, description = "SIREN (9 chiffres)", example = "200066918")),
    security((), ("jeton" = [])),
    responses(
        (status = 200, description = "L'organisation et ses écoles", body = ApiOrganisation),
        (status = 401, description = "Jeton inconnu ou révoqué (sans jeton, la fiche est publique)", body = crate::api::ApiError),
        (status = 404, description = "Aucune organisation du réseau n'a ce SIREN", body = crate::api::ApiError)))]
pub async fn show(State(state): State<AppState>, Path(siren): Path<String>) -> Result<Json<ApiOrganisation>, WebError> {
    let org = organisations::get(&state.ctx, &siren).await?;
    let schools = maillage_core::schools::of_organisation(&state.ctx, org.id).await?;
    let mut out = api(org);
    out.ecoles = Some(
        schools
            .into_iter()
            .map(|s| ApiSchool {
                id: s.id.to_string(),
                nom: s.name,
                organisations: s.organisations.into_iter().map(|o| o.siren).collect(),
            })
            .collect(),
    );
    Ok(Json(out))
}

/// Les personnes d'une organisation et leurs rôles : réservé à ses
/// administrateurs et chargés RH, et à l'animation du réseau (404 sinon).
#[utoipa::path(get, path = "/api/v1/organisations/{siren}/personnes", operation_id = "organisation_personnes", tag = "organisations",
    params(("siren" = String, Path, description = "SIREN (9 chiffres)", example = "200066918")),
    responses(
        (status = 200, description = "Les personnes et leurs rôles dans l'organisation", body = Vec<ApiPerson>),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError),
        (status = 404, description = "Organisation inconnue, ou réservée à d'autres", body = crate::api::ApiError)))]
pub async fn people(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(siren): Path<String>,
) -> Result<Json<Vec<ApiPerson>>, WebError> {
    let people = organisations::people(&state.ctx, &caller, &siren).await?;
    Ok(Json(
        people
            .people
            .into_iter()
            .map(|p| ApiPerson {
                nom: p.display_name,
                courriel: p.email,
                roles: p.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            })
            .collect(),
    ))
}
