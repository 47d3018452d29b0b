//! `/api/v1/projets`: the project bank — search (the same filters as
//! `/projets`), a project with its status history, proposing a project, and
//! changing its status. Only the projects the caller may see; the same core
//! operations as the pages, so the same rules and the same French errors
//! (`champs` names the fields of the form).

use axum::{
    Form, Json, Router,
    extract::{FromRequest, Path, Query, Request, State},
    http::{StatusCode, header},
    routing::{get, post},
};
use maillage_core::projects::bank::{self, Event, Project, proposal, search::Params, status};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use time::format_description::well_known::Rfc3339;
use utoipa::{IntoParams, ToSchema};

use crate::{
    AppState,
    api::catalogue::{ApiKeyLabel, ApiSchoolRef},
    error::WebError,
    forms::id_or_404,
    layout::Caller,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/projets", get(search).post(propose))
        .route("/api/v1/projets/{id}", get(show))
        .route("/api/v1/projets/{id}/statut", post(change_status))
}

fn bad_request(message: &str) -> WebError {
    WebError::new(StatusCode::BAD_REQUEST, "requete-invalide", message)
}

/// A body as JSON (`Content-Type: application/json`), as a form, or none
/// at all (every field empty: the operation says what is missing).
async fn body<T: DeserializeOwned + Default + Send + 'static>(state: &AppState, req: Request) -> Result<T, WebError> {
    let kind = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    match kind {
        Some(k) if k.starts_with("application/json") => {
            let Json(v) = Json::<T>::from_request(req, state)
                .await
                .map_err(|_| bad_request("Le corps de la requête n'est pas un JSON valide pour cette opération."))?;
            Ok(v)
        }
        Some(_) => {
            let Form(v) = Form::<T>::from_request(req, state)
                .await
                .map_err(|_| bad_request("Le corps de la requête est illisible : envoyez du JSON."))?;
            Ok(v)
        }
        None => Ok(T::default()),
    }
}

/// Une organisation liée à un projet.
#[derive(Serialize, ToSchema)]
pub struct ApiProjectOrganisation {
    /// Identifiant (UUID), utilisable comme paramètre `organisation` de la recherche.
    pub id: String,
    pub nom: String,
}

/// Une personne de l'équipe.
#[derive(Serialize, ToSchema)]
pub struct ApiProjectMember {
    pub nom: String,
    pub organisation: String,
    /// Identifiant de sa fiche d'annuaire, si l'annuaire la montre à l'appelant.
    pub fiche: Option<String>,
}

/// Un changement de statut.
#[derive(Serialize, ToSchema)]
pub struct ApiProjectEvent {
    /// Date et heure (RFC 3339, UTC).
    pub le: String,
    pub statut: ApiKeyLabel,
    pub raison: String,
    pub ecole: Option<String>,
    pub promotion: Option<String>,
    /// Vrai quand le projet est repris par une autre école.
    pub reprise_par_une_autre_ecole: bool,
    pub par: Option<String>,
}

/// Un projet de la banque.
#[derive(Serialize, ToSchema)]
pub struct ApiProject {
    /// Identifiant du projet (UUID).
    pub id: String,
    pub intitule: String,
    /// Clés : propose, retenu, non_retenu, en_cours, restitue,
    /// mis_en_oeuvre, partiellement_mis_en_oeuvre, non_mis_en_oeuvre, abandonne.
    pub statut: ApiKeyLabel,
    /// Pourquoi (non retenu, partiellement ou non mis en œuvre, abandonné).
    pub raison_du_statut: String,
    /// Clés : brouillon, organisation, reseau.
    pub visibilite: ApiKeyLabel,
    pub ecole: ApiSchoolRef,
    /// Identifiant et nom de la promotion qui le porte.
    pub promotion: Option<ApiProjectOrganisation>,
    pub annee: i64,
    pub commanditaire: ApiProjectOrganisation,
    pub contact: String,
    pub organisations_concernees: Vec<ApiProjectOrganisation>,
    pub thematiques: Vec<String>,
    pub equipe: Vec<ApiProjectMember>,
    pub probleme: String,
    pub contexte: String,
    pub impact_attendu: String,
    pub solution: String,
    pub impact_constate: String,
    pub outils_de_formation: String,
    pub enseignements: String,
    /// Début du projet (AAAA-MM-JJ).
    pub debut: Option<String>,
    pub jury: String,
    /// Date du jury (AAAA-MM-JJ).
    pub date_du_jury: Option<String>,
    /// Date de la dernière modification (RFC 3339, UTC).
    pub mis_a_jour: String,
    /// L'historique des statuts, du plus ancien au plus récent (vide dans les listes).
    pub historique: Vec<ApiProjectEvent>,
}

fn key_label(key: &str, label: &str) -> ApiKeyLabel {
    ApiKeyLabel {
        cle: key.to_owned(),
        libelle: label.to_owned(),
    }
}

fn api(p: Project, history: Vec<Event>) -> ApiProject {
    let r = p.row;
    ApiProject {
        id: r.id.to_string(),
        statut: key_label(p.status.key(), p.status.label()),
        visibilite: key_label(p.visibility.key(), p.visibility.label()),
        ecole: ApiSchoolRef {
            id: r.school_id.to_string(),
            nom: r.school_name,
        },
        promotion: r
            .promotion_id
            .zip(r.promotion_name)
            .map(|(id, nom)| ApiProjectOrganisation {
                id: id.to_string(),
                nom,
            }),
        commanditaire: ApiProjectOrganisation {
            id: r.sponsor_organisation_id.to_string(),
            nom: r.sponsor_organisation_name,
        },
        organisations_concernees: p
            .organisations
            .into_iter()
            .map(|o| ApiProjectOrganisation {
                id: o.id.to_string(),
                nom: o.name,
            })
            .collect(),
        thematiques: p.themes.into_iter().map(|t| t.name).collect(),
        equipe: p
            .members
            .into_iter()
            .map(|m| ApiProjectMember {
                fiche: m.linked.then(|| m.profile_id.to_string()),
                nom: m.name,
                organisation: m.organisation,
            })
            .collect(),
        debut: r.started_on.map(|d| d.to_string()),
        date_du_jury: r.jury_on.map(|d| d.to_string()),
        mis_a_jour: r.updated_at.format(&Rfc3339).unwrap_or_default(),
        historique: history
            .into_iter()
            .map(|e| ApiProjectEvent {
                le: e.at.format(&Rfc3339).unwrap_or_default(),
                statut: key_label(e.status.key(), e.status.label()),
                raison: e.reason,
                ecole: e.school,
                promotion: e.promotion.map(|(_, name)| name),
                reprise_par_une_autre_ecole: e.school_changed,
                par: e.by,
            })
            .collect(),
        intitule: r.title,
        raison_du_statut: r.status_reason,
        annee: r.year,
        contact: r.contact,
        probleme: r.problem,
        contexte: r.context,
        impact_attendu: r.expected_impact,
        solution: r.solution,
        impact_constate: r.impact,
        outils_de_formation: r.tools,
        enseignements: r.lessons,
        jury: r.jury,
    }
}

/// Une page de résultats de la banque de projets.
#[derive(Serialize, ToSchema)]
pub struct ApiProjectPage {
    /// Nombre de projets trouvés (visibles par l'appelant).
    pub total: i64,
    pub page: i64,
    pub par_page: i64,
    pub projets: Vec<ApiProject>,
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Mots cherchés dans l'intitulé, le problème, la solution et les
    /// enseignements (sans tenir compte des accents, de la casse ni du
    /// pluriel).
    q: Option<String>,
    /// Clé d'un statut (propose, retenu, non_retenu…).
    statut: Option<String>,
    /// oui (mis en œuvre, en tout ou partie), non (non mis en œuvre), sinon tous.
    mis_en_oeuvre: Option<String>,
    /// Identifiant d'une thématique.
    theme: Option<String>,
    /// Identifiant d'une organisation, commanditaire ou concernée.
    organisation: Option<String>,
    /// Identifiant d'une école.
    ecole: Option<String>,
    /// Identifiant d'une promotion.
    promotion: Option<String>,
    /// Année (celle de la promotion, sinon de la proposition).
    annee: Option<String>,
    /// Page (à partir de 1 ; une valeur invalide donne la page 1).
    page: Option<String>,
}

/// Chercher dans la banque de projets. Seuls les projets que l'appelant peut
/// voir sont cherchés, comptés et renvoyés. Une valeur de filtre inconnue
/// est ignorée, jamais une erreur.
#[utoipa::path(get, path = "/api/v1/projets", operation_id = "projets", params(SearchParams), tag = "projets",
    responses(
        (status = 200, description = "Une page de projets (20 par page), les plus récents d'abord", body = ApiProjectPage),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError)))]
pub async fn search(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(p): Query<SearchParams>,
) -> Result<Json<ApiProjectPage>, WebError> {
    let params = Params {
        q: p.q.unwrap_or_default(),
        status: p.statut.unwrap_or_default(),
        implemented: p.mis_en_oeuvre.unwrap_or_default(),
        theme: p.theme.unwrap_or_default(),
        organisation: p.organisation.unwrap_or_default(),
        school: p.ecole.unwrap_or_default(),
        promotion: p.promotion.unwrap_or_default(),
        year: p.annee.unwrap_or_default(),
        page: p.page.and_then(|s| s.trim().parse().ok()).unwrap_or(1),
    };
    let results = bank::search::search(&state.ctx, &caller, &params).await?;
    Ok(Json(ApiProjectPage {
        total: results.total,
        page: results.page,
        par_page: results.per_page,
        projets: results.items.into_iter().map(|p| api(p, Vec::new())).collect(),
    }))
}

async fn detail(state: &AppState, caller: &maillage_core::Actor, id: uuid::Uuid) -> Result<ApiProject, WebError> {
    let (p, _) = bank::get(&state.ctx, caller, id).await?;
    let history = bank::history(&state.ctx, caller, id).await?;
    Ok(api(p, history))
}

/// Un projet et l'historique de ses statuts.
#[utoipa::path(get, path = "/api/v1/projets/{id}", operation_id = "projet", tag = "projets",
    params(("id" = String, Path, description = "Identifiant du projet (UUID)")),
    responses(
        (status = 200, description = "Le projet", body = ApiProject),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError),
        (status = 404, description = "Projet inconnu, ou non visible pour vous", body = crate::api::ApiError)))]
pub async fn show(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<ApiProject>, WebError> {
    Ok(Json(detail(&state, &caller, id_or_404(&id)?).await?))
}

/// Une proposition de projet.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ApiProposal {
    pub intitule: String,
    /// Le problème à résoudre (obligatoire).
    pub probleme: String,
    pub contexte: String,
    pub impact_attendu: String,
    /// Identifiant de l'organisation commanditaire : la vôtre (les
    /// responsables d'une école proposent pour toute organisation).
    pub commanditaire: String,
    pub contact: String,
    /// Identifiant de l'école à qui le projet est proposé.
    pub ecole: String,
    /// Identifiants de thématiques du réseau.
    pub thematiques: Vec<String>,
    /// brouillon, organisation (par défaut) ou reseau.
    pub visibilite: String,
}

/// Proposer un projet à une école : il est « proposé », l'école est prévenue
/// par courriel. Corps JSON (ou formulaire).
#[utoipa::path(post, path = "/api/v1/projets", operation_id = "proposer_projet", tag = "projets",
    request_body = ApiProposal,
    responses(
        (status = 200, description = "Le projet proposé", body = ApiProject),
        (status = 400, description = "Corps illisible (JSON mal formé ou d'un mauvais type)", body = crate::api::ApiError),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError),
        (status = 403, description = "Vous ne pouvez proposer que pour votre organisation", body = crate::api::ApiError),
        (status = 422, description = "Proposition incomplète ou invalide (détail dans `champs`)", body = crate::api::ApiError)))]
pub async fn propose(
    State(state): State<AppState>,
    Caller(caller): Caller,
    req: Request,
) -> Result<Json<ApiProject>, WebError> {
    let b: ApiProposal = body(&state, req).await?;
    let input = proposal::Input {
        title: b.intitule,
        problem: b.probleme,
        context: b.contexte,
        expected_impact: b.impact_attendu,
        sponsor_organisation: b.commanditaire,
        contact: b.contact,
        school: b.ecole,
        themes: b.thematiques,
        visibility: b.visibilite,
    };
    let id = proposal::propose(&state.ctx, &caller, &input).await?;
    Ok(Json(detail(&state, &caller, id).await?))
}

/// Un changement de statut.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ApiStatusChange {
    /// Clé du nouveau statut (retenu, non_retenu, en_cours, restitue,
    /// mis_en_oeuvre, partiellement_mis_en_oeuvre, non_mis_en_oeuvre,
    /// abandonne, propose pour le proposer à nouveau).
    pub statut: String,
    /// Pourquoi : obligatoire pour non_retenu, partiellement_mis_en_oeuvre,
    /// non_mis_en_oeuvre et abandonne.
    pub raison: String,
    /// Identifiant d'une promotion de l'école (en le retenant ou en le lançant).
    pub promotion: String,
    /// Pour « propose » : identifiant de l'école qui le reprend (vide : la même).
    pub ecole: String,
    /// Pour « restitue » : le jury.
    pub jury: String,
    /// Pour « restitue » : la date du jury (AAAA-MM-JJ), pas avant le début.
    pub date_du_jury: String,
}

/// Changer le statut d'un projet (responsables de son école ; une autre
/// école peut le reprendre en le proposant à nouveau). Corps JSON (ou
/// formulaire).
#[utoipa::path(post, path = "/api/v1/projets/{id}/statut", operation_id = "statut_projet", tag = "projets",
    params(("id" = String, Path, description = "Identifiant du projet (UUID)")),
    request_body = ApiStatusChange,
    responses(
        (status = 200, description = "Le projet avec son nouveau statut", body = ApiProject),
        (status = 400, description = "Corps illisible (JSON mal formé ou d'un mauvais type)", body = crate::api::ApiError),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError),
        (status = 403, description = "Réservé aux responsables de l'école du projet", body = crate::api::ApiError),
        (status = 404, description = "Projet inconnu, ou non visible pour vous", body = crate::api::ApiError),
        (status = 422, description = "Statut inconnu, passage impossible, raison, jury ou date manquants (détail dans `champs`)", body = crate::api::ApiError)))]
pub async fn change_status(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    req: Request,
) -> Result<Json<ApiProject>, WebError> {
    let id = id_or_404(&id)?;
    let b: ApiStatusChange = body(&state, req).await?;
    let change = status::Change {
        status: b.statut,
        reason: b.raison,
        promotion: b.promotion,
        school: b.ecole,
        jury: b.jury,
        jury_on: b.date_du_jury,
    };
    status::change(&state.ctx, &caller, id, &change).await?;
    Ok(Json(detail(&state, &caller, id).await?))
}
