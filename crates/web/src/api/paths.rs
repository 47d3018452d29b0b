//! `/api/v1/parcours`: the paths of the schools (seen like their modules), and
//! `/api/v1/moi/parcours`: the caller's own progress.

use axum::{
    Json,
    extract::{Path as UrlPath, State},
};
use maillage_core::paths::{self, MyPath, Path};
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use utoipa::ToSchema;

use crate::{
    AppState,
    api::catalogue::{ApiKeyLabel, ApiSchoolRef},
    error::WebError,
    forms::id_or_404,
    layout::Caller,
};

/// Une étape d'un parcours.
#[derive(Serialize, ToSchema)]
pub struct ApiStep {
    /// Rang de l'étape (1 pour la première).
    pub rang: i64,
    /// Identifiant du module (UUID).
    pub module: String,
    pub intitule: String,
    /// Vrai pour une étape du socle ; faux pour une option (qui ne compte
    /// pas pour terminer le parcours).
    pub obligatoire: bool,
}

/// Un parcours de formation.
#[derive(Serialize, ToSchema)]
pub struct ApiPath {
    /// Identifiant du parcours (UUID).
    pub id: String,
    pub intitule: String,
    pub presentation: String,
    /// Clés : libre, obligatoire, candidature.
    pub type_parcours: ApiKeyLabel,
    /// Parcours obligatoire : concerne les personnes en poste depuis moins
    /// de ce nombre de mois.
    pub regle_mois: Option<i64>,
    /// Parcours obligatoire : à terminer dans ce nombre de mois après la
    /// prise de poste.
    pub delai_mois: Option<i64>,
    /// La règle, en toutes lettres.
    pub regle: String,
    pub partage: bool,
    pub ecole: ApiSchoolRef,
    pub nombre_etapes: i64,
    /// Les étapes, dans l'ordre (vide dans les listes).
    pub etapes: Vec<ApiStep>,
    /// Date de la dernière modification (RFC 3339, UTC).
    pub mis_a_jour: String,
}

fn api(p: Path) -> ApiPath {
    ApiPath {
        id: p.id.to_string(),
        type_parcours: ApiKeyLabel {
            cle: p.kind.key().to_owned(),
            libelle: p.kind.label().to_owned(),
        },
        regle: p.rule(),
        etapes: p
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| ApiStep {
                rang: i as i64 + 1,
                module: s.module_id.to_string(),
                intitule: s.module_title.clone(),
                obligatoire: s.required,
            })
            .collect(),
        nombre_etapes: p.step_count,
        mis_a_jour: p.updated_at.format(&Rfc3339).unwrap_or_default(),
        ecole: ApiSchoolRef {
            id: p.school.id.to_string(),
            nom: p.school.name,
        },
        intitule: p.title,
        presentation: p.description,
        regle_mois: p.rule_months,
        delai_mois: p.deadline_months,
        partage: p.shared,
    }
}

/// Les parcours que l'appelant peut voir : ceux des écoles de ses
/// organisations et ceux partagés avec le réseau, par ordre alphabétique.
#[utoipa::path(get, path = "/api/v1/parcours", operation_id = "parcours", tag = "formations",
    responses(
        (status = 200, description = "Les parcours (sans le détail des étapes)", body = Vec<ApiPath>),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError)))]
pub async fn list(State(state): State<AppState>, Caller(caller): Caller) -> Result<Json<Vec<ApiPath>>, WebError> {
    Ok(Json(
        paths::list(&state.ctx, &caller).await?.into_iter().map(api).collect(),
    ))
}

/// Un parcours et ses étapes.
#[utoipa::path(get, path = "/api/v1/parcours/{id}", operation_id = "un_parcours", tag = "formations",
    params(("id" = String, Path, description = "Identifiant du parcours (UUID)")),
    responses(
        (status = 200, description = "Le parcours avec ses étapes", body = ApiPath),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError),
        (status = 404, description = "Parcours inconnu, ou non visible pour vous", body = crate::api::ApiError)))]
pub async fn show(
    State(state): State<AppState>,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
) -> Result<Json<ApiPath>, WebError> {
    Ok(Json(api(paths::get(&state.ctx, &caller, id_or_404(&id)?).await?)))
}

/// Une étape d'un parcours suivi, avec ce qui est fait.
#[derive(Serialize, ToSchema)]
pub struct ApiMyStep {
    pub module: String,
    pub intitule: String,
    pub obligatoire: bool,
    /// Date à laquelle le module a été validé (AAAA-MM-JJ), absente sinon.
    pub fait_le: Option<String>,
}

/// Un parcours qui concerne l'appelant.
#[derive(Serialize, ToSchema)]
pub struct ApiMyPath {
    pub parcours: String,
    pub intitule: String,
    /// Clés : a-faire, en-cours, en-retard, termine. Absent pour une
    /// candidature en attente ou non retenue.
    pub statut: Option<ApiKeyLabel>,
    /// Vrai si le parcours est obligatoire pour l'appelant (selon sa date
    /// de prise de poste).
    pub obligatoire_pour_moi: bool,
    /// candidat, retenu, non_retenu, inscrit ; absent si concerné par la
    /// règle seulement.
    pub inscription: Option<String>,
    /// Date limite (AAAA-MM-JJ), pour un parcours obligatoire avec délai.
    pub echeance: Option<String>,
    pub etapes: Vec<ApiMyStep>,
}

fn api_mine(p: MyPath) -> ApiMyPath {
    ApiMyPath {
        parcours: p.path.id.to_string(),
        statut: p.status.map(|s| ApiKeyLabel {
            cle: s.key().to_owned(),
            libelle: s.label().to_owned(),
        }),
        obligatoire_pour_moi: p.by_rule,
        echeance: p.deadline.map(|d| d.to_string()),
        etapes: p
            .steps
            .into_iter()
            .map(|s| ApiMyStep {
                module: s.step.module_id.to_string(),
                intitule: s.step.module_title,
                obligatoire: s.step.required,
                fait_le: s.done_on.map(|d| d.to_string()),
            })
            .collect(),
        inscription: p.membership,
        intitule: p.path.title,
    }
}

/// Les parcours de l'appelant et son avancement.
#[utoipa::path(get, path = "/api/v1/moi/parcours", operation_id = "mes_parcours", tag = "formations",
    responses(
        (status = 200, description = "Les parcours qui concernent l'appelant", body = Vec<ApiMyPath>),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError)))]
pub async fn mine(State(state): State<AppState>, Caller(caller): Caller) -> Result<Json<Vec<ApiMyPath>>, WebError> {
    Ok(Json(
        paths::mine_without_sessions(&state.ctx, &caller)
            .await?
            .paths
            .into_iter()
            .map(api_mine)
            .collect(),
    ))
}
