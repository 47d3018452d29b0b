//! `/api/v1/promotions`: the promotions the caller may see (their members
//! and groups), and for the school's managers the casting: the members'
//! casting data, the groups with their report, and running the casting.
//! The same core operations as the pages, so the same rules and the same
//! French errors.

use axum::{
    Form, Json, Router,
    extract::{FromRequest, Path as UrlPath, Query, Request, State},
    http::{StatusCode, header},
    routing::{get, post},
};
use maillage_core::promotions::{
    self, Promotion,
    groups::{self, RunInput},
    members::{self, Shown},
};
use serde::{Deserialize, Serialize};
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
        .route("/api/v1/promotions", get(list))
        .route("/api/v1/promotions/{id}", get(show))
        .route("/api/v1/promotions/{id}/groupes", get(groups_report))
        .route("/api/v1/promotions/{id}/casting", post(run_casting))
}

/// Un parcours suivi par une promotion.
#[derive(Serialize, ToSchema)]
pub struct ApiPathRef {
    pub id: String,
    pub intitule: String,
}

/// Les données de casting d'un membre : pour les seuls responsables de l'école.
#[derive(Serialize, ToSchema)]
pub struct ApiCastingData {
    /// « F », « H », ou absent (non renseigné).
    pub genre: Option<String>,
    pub annee_naissance: Option<i64>,
    /// Ancienneté comme manager, en années.
    pub anciennete: Option<i64>,
    /// Renseigné seulement avec l'accord de la personne.
    pub temperament: Option<String>,
    /// Date de l'accord (RFC 3339, UTC).
    pub accord_temperament: Option<String>,
}

/// Un membre d'une promotion, tel que l'annuaire vous le montre.
#[derive(Serialize, ToSchema)]
pub struct ApiPromotionMember {
    /// Identifiant de sa fiche d'annuaire (UUID) ; absent quand l'annuaire
    /// ne vous montre pas cette personne (sauf pour les responsables de
    /// l'école).
    pub fiche: Option<String>,
    /// Son nom ; « Une personne de {organisation} » quand l'annuaire ne vous
    /// montre pas cette personne (sauf pour les responsables de l'école).
    pub nom: String,
    pub organisation: String,
    /// Numéro du groupe projet (à partir de 1), après le casting.
    pub groupe: Option<i64>,
    /// Absent sauf pour les responsables de l'école.
    pub casting: Option<ApiCastingData>,
}

/// Une promotion.
#[derive(Serialize, ToSchema)]
pub struct ApiPromotion {
    pub id: String,
    pub nom: String,
    pub ecole: ApiSchoolRef,
    pub parcours: Option<ApiPathRef>,
    pub presentation: String,
    /// AAAA-MM-JJ.
    pub debut: String,
    /// AAAA-MM-JJ ; après cette date, les membres en sont les anciens et anciennes.
    pub fin: String,
    /// Clés : a-venir, en-cours, terminee.
    pub etat: ApiKeyLabel,
    /// Catégories de tempérament du casting.
    pub temperaments: Vec<String>,
    pub nombre_membres: i64,
    /// Les membres (vide dans les listes).
    pub membres: Vec<ApiPromotionMember>,
    /// Date de la dernière modification (RFC 3339, UTC).
    pub mis_a_jour: String,
}

fn api(p: Promotion, members: Vec<Shown>, manages: bool) -> ApiPromotion {
    ApiPromotion {
        id: p.id.to_string(),
        ecole: ApiSchoolRef {
            id: p.school.id.to_string(),
            nom: p.school.name,
        },
        parcours: p.path.map(|x| ApiPathRef {
            id: x.id.to_string(),
            intitule: x.title,
        }),
        debut: p.starts_on.to_string(),
        fin: p.ends_on.to_string(),
        etat: ApiKeyLabel {
            cle: p.phase.key().to_owned(),
            libelle: p.phase.label().to_owned(),
        },
        nombre_membres: p.member_count,
        mis_a_jour: p.updated_at.format(&Rfc3339).unwrap_or_default(),
        membres: members
            .into_iter()
            .map(
                |Shown {
                     member: m,
                     name,
                     linked,
                     ..
                 }| ApiPromotionMember {
                    fiche: (linked || manages).then(|| m.profile_id.to_string()),
                    nom: name,
                    groupe: m.group_no,
                    casting: m.casting.map(|c| ApiCastingData {
                        genre: c.gender,
                        annee_naissance: c.birth_year,
                        anciennete: c.seniority_years,
                        temperament: c.temperament,
                        accord_temperament: c.temperament_consent_at.and_then(|t| t.format(&Rfc3339).ok()),
                    }),
                    organisation: m.organisation_name,
                },
            )
            .collect(),
        nom: p.name,
        presentation: p.description,
        temperaments: p.temperaments,
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Identifiant d'une école (UUID).
    ecole: Option<String>,
    /// Les promotions en cours pendant cette année.
    annee: Option<i32>,
}

/// Les promotions que l'appelant peut voir : celles dont il est membre et
/// celles des écoles de ses organisations, les plus récentes d'abord.
#[utoipa::path(get, path = "/api/v1/promotions", operation_id = "promotions", tag = "promotions",
    params(ListParams),
    responses(
        (status = 200, description = "Les promotions (sans les membres)", body = Vec<ApiPromotion>),
        (status = 400, description = "Paramètre invalide (par exemple `annee` qui n'est pas une année)", body = crate::api::ApiError),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(q): Query<ListParams>,
) -> Result<Json<Vec<ApiPromotion>>, WebError> {
    let filter = promotions::ListFilter {
        school: q.ecole.as_deref().and_then(|s| uuid::Uuid::parse_str(s.trim()).ok()),
        year: q.annee,
    };
    Ok(Json(
        promotions::list(&state.ctx, &caller, &filter)
            .await?
            .into_iter()
            .map(|p| api(p, Vec::new(), false))
            .collect(),
    ))
}

/// Une promotion et ses membres ; les données de casting des membres pour
/// les seuls responsables de l'école.
#[utoipa::path(get, path = "/api/v1/promotions/{id}", operation_id = "une_promotion", tag = "promotions",
    params(("id" = String, Path, description = "Identifiant de la promotion (UUID)")),
    responses(
        (status = 200, description = "La promotion et ses membres", body = ApiPromotion),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError),
        (status = 404, description = "Promotion inconnue, ou non visible pour vous", body = crate::api::ApiError)))]
pub async fn show(
    State(state): State<AppState>,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
) -> Result<Json<ApiPromotion>, WebError> {
    let id = id_or_404(&id)?;
    let (p, _) = promotions::get(&state.ctx, &caller, id).await?;
    let (members, access) = members::list(&state.ctx, &caller, id).await?;
    Ok(Json(api(p, members, access.manages)))
}

/// Un groupe projet et ses membres.
#[derive(Serialize, ToSchema)]
pub struct ApiGroup {
    /// À partir de 1.
    pub numero: i64,
    /// Identifiant du projet attribué au groupe (UUID), s'il y en a un.
    pub projet: Option<String>,
    /// Identifiants des fiches des membres.
    pub membres: Vec<String>,
}

/// Les groupes du dernier casting et leur rapport.
#[derive(Serialize, ToSchema)]
pub struct ApiCasting {
    /// Absent tant qu'aucun casting n'a été fait.
    pub nombre_groupes: Option<i64>,
    pub taille_min: Option<i64>,
    pub taille_max: Option<i64>,
    /// La graine (entier de 0 à 18446744073709551615) : avec les mêmes
    /// membres et paramètres, elle redonne les mêmes groupes.
    pub graine: Option<u64>,
    /// Déplacements faits à la main depuis le calcul.
    pub deplacements: i64,
    pub groupes: Vec<ApiGroup>,
    /// Le rapport par groupe et par critère (règles respectées ou non,
    /// critères respectés, en partie ou manqués, en toutes lettres), tel que
    /// le calcule le moteur de casting sur les groupes actuels.
    #[schema(value_type = Option<Object>, nullable)]
    pub rapport: Option<serde_json::Value>,
}

async fn casting_answer(
    state: &AppState,
    caller: &maillage_core::Actor,
    id: uuid::Uuid,
) -> Result<ApiCasting, WebError> {
    let c = groups::casting_page(&state.ctx, caller, id).await?;
    let numbers: Vec<i64> = c
        .last
        .as_ref()
        .map(|l| (1..=l.group_count).collect())
        .unwrap_or_default();
    Ok(ApiCasting {
        nombre_groupes: c.last.as_ref().map(|l| l.group_count),
        taille_min: c.last.as_ref().and_then(|l| l.min_size),
        taille_max: c.last.as_ref().and_then(|l| l.max_size),
        graine: c.seed(),
        deplacements: c.last.as_ref().map(|l| l.moves).unwrap_or(0),
        groupes: numbers
            .iter()
            .map(|n| ApiGroup {
                numero: *n,
                projet: c
                    .groups
                    .iter()
                    .find(|g| g.group_no == *n)
                    .and_then(|g| g.project_id)
                    .map(|p| p.to_string()),
                membres: c.members_of(n).iter().map(|m| m.profile_id.to_string()).collect(),
            })
            .collect(),
        rapport: c.report.as_ref().and_then(|r| serde_json::to_value(r).ok()),
    })
}

/// Les groupes projet et le rapport du casting : pour les responsables de
/// l'école (403 pour les autres personnes qui voient la promotion).
#[utoipa::path(get, path = "/api/v1/promotions/{id}/groupes", operation_id = "promotion_groupes", tag = "promotions",
    params(("id" = String, Path, description = "Identifiant de la promotion (UUID)")),
    responses(
        (status = 200, description = "Les groupes et leur rapport", body = ApiCasting),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError),
        (status = 403, description = "Réservé aux responsables de l'école", body = crate::api::ApiError),
        (status = 404, description = "Promotion inconnue, ou non visible pour vous", body = crate::api::ApiError)))]
pub async fn groups_report(
    State(state): State<AppState>,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
) -> Result<Json<ApiCasting>, WebError> {
    let id = id_or_404(&id)?;
    Ok(Json(casting_answer(&state, &caller, id).await?))
}

/// A number sent as JSON (any integer: a seed goes up to `u64::MAX`), or
/// as text in a form; the core reads and checks it.
#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum NumberOrText {
    Number(i64),
    Unsigned(u64),
    Text(String),
}

impl NumberOrText {
    fn text(v: &Option<NumberOrText>) -> String {
        match v {
            Some(NumberOrText::Number(n)) => n.to_string(),
            Some(NumberOrText::Unsigned(n)) => n.to_string(),
            Some(NumberOrText::Text(t)) => t.clone(),
            None => String::new(),
        }
    }
}

/// Les paramètres d'un casting.
#[derive(Deserialize, ToSchema)]
pub struct ApiCastingRequest {
    /// Nombre de groupes.
    #[schema(value_type = i64)]
    groupes: Option<NumberOrText>,
    /// Taille minimale d'un groupe (facultatif).
    #[schema(value_type = Option<i64>)]
    #[serde(default)]
    taille_min: Option<NumberOrText>,
    /// Taille maximale d'un groupe (facultatif).
    #[schema(value_type = Option<i64>)]
    #[serde(default)]
    taille_max: Option<NumberOrText>,
    /// Graine, entier de 0 à 18446744073709551615 (facultatif : tirée au
    /// hasard, et renvoyée dans la réponse).
    #[schema(value_type = Option<u64>)]
    #[serde(default)]
    graine: Option<NumberOrText>,
}

fn bad_request(message: &str) -> WebError {
    WebError::new(StatusCode::BAD_REQUEST, "requete-invalide", message)
}

/// Lance le casting (responsables de l'école) et enregistre les groupes ;
/// quand une règle ne peut pas être tenue, rien n'est enregistré et la
/// réponse 422 dit laquelle et pourquoi (`champs`). Corps en JSON ou en
/// formulaire.
#[utoipa::path(post, path = "/api/v1/promotions/{id}/casting", operation_id = "promotion_casting", tag = "promotions",
    params(("id" = String, Path, description = "Identifiant de la promotion (UUID)")),
    request_body(content = ApiCastingRequest, description = "Les paramètres du casting"),
    responses(
        (status = 200, description = "Les groupes constitués et leur rapport", body = ApiCasting),
        (status = 400, description = "Corps illisible", body = crate::api::ApiError),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError),
        (status = 403, description = "Réservé aux responsables de l'école", body = crate::api::ApiError),
        (status = 404, description = "Promotion inconnue, ou non visible pour vous", body = crate::api::ApiError),
        (status = 422, description = "Paramètres invalides, ou règle impossible à tenir (expliquée)", body = crate::api::ApiError)))]
pub async fn run_casting(
    State(state): State<AppState>,
    Caller(caller): Caller,
    UrlPath(id): UrlPath<String>,
    req: Request,
) -> Result<Json<ApiCasting>, WebError> {
    // Who asks before what is asked: no token is a 401, whatever the body.
    maillage_core::policy::require(&caller, &maillage_core::policy::Action::UseAccount)?;
    let id = id_or_404(&id)?;
    let json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let body: ApiCastingRequest = if json {
        Json::<ApiCastingRequest>::from_request(req, &state)
            .await
            .map_err(|_| bad_request("Le corps de la requête n'est pas un JSON valide pour un casting."))?
            .0
    } else {
        Form::<ApiCastingRequest>::from_request(req, &state)
            .await
            .map_err(|_| bad_request("Le corps de la requête est illisible : envoyez du JSON."))?
            .0
    };
    let mut seed = NumberOrText::text(&body.graine);
    if seed.trim().is_empty() {
        seed = groups::random_seed().to_string();
    }
    let input = RunInput {
        groups: NumberOrText::text(&body.groupes),
        min_size: NumberOrText::text(&body.taille_min),
        max_size: NumberOrText::text(&body.taille_max),
        seed,
    };
    groups::run(&state.ctx, &caller, id, &input).await?;
    Ok(Json(casting_answer(&state, &caller, id).await?))
}
