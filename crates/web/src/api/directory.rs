//! `/api/v1/annuaire`: the directory, with the caller's rights. A field the
//! caller may not see is `null`, exactly like a field left empty: the answer
//! never tells which.

use axum::{
    Json,
    extract::{Path, Query, State},
};
use maillage_core::directory::{
    Profile, Visibility,
    profile::{self, Settings, ThemeRef},
    search::{self as directory_search, Params},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{AppState, error::WebError, layout::Caller};

/// Une fiche de l'annuaire, telle que l'appelant peut la voir. Un champ
/// `null` (ou une liste vide) signifie « non renseigné ou non visible pour
/// vous » : la réponse ne dit pas lequel des deux.
#[derive(Serialize, ToSchema)]
pub struct ApiProfile {
    /// Identifiant de la fiche (UUID).
    pub id: String,
    pub prenom: String,
    pub nom: String,
    pub organisation: ApiProfileOrganisation,
    /// Null : non renseignée ou non visible pour vous.
    pub fonction: Option<String>,
    /// Null : non renseignée ou non visible pour vous.
    pub direction: Option<String>,
    /// Null : non renseigné ou non visible pour vous.
    pub service: Option<String>,
    /// A+, A, B ou C. Null : non renseignée ou non visible pour vous.
    pub categorie: Option<String>,
    /// Null : non renseigné ou non visible pour vous.
    pub cadre_emplois: Option<String>,
    /// Courriel professionnel. Null : non renseigné ou non visible pour vous.
    pub courriel: Option<String>,
    /// Téléphone professionnel (« 01 23 45 67 89 », ou « +… » hors de France
    /// métropolitaine). Null : non renseigné ou non visible pour vous.
    pub telephone: Option<String>,
    /// Présentation libre. Null : non renseignée ou non visible pour vous.
    pub presentation: Option<String>,
    /// Langues pratiquées. Vide : non renseignées ou non visibles pour vous.
    pub langues: Vec<String>,
    /// Thématiques d'expertise. Vide : non renseignées ou non visibles pour vous.
    pub expertises: Vec<ApiTheme>,
    /// Centres d'intérêt. Vide : non renseignés ou non visibles pour vous.
    pub centres_interet: Vec<ApiTheme>,
    /// Adresse de la photo sur le site (page ouverte à une session, pas à un
    /// jeton d'API). Null : pas de photo, ou photo non visible pour vous.
    pub photo: Option<String>,
    /// Qui voit chaque champ : présent seulement pour la personne elle-même
    /// et pour les administrateurs de la fiche.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibilite: Option<ApiVisibility>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiProfileOrganisation {
    /// 9 chiffres.
    pub siren: String,
    pub nom: String,
}

/// Une thématique du réseau.
#[derive(Serialize, ToSchema)]
pub struct ApiTheme {
    /// Identifiant (UUID), utilisable comme paramètre `theme` de la recherche.
    pub id: String,
    pub nom: String,
}

/// Qui peut voir chaque champ de la fiche : `reseau` (tout le réseau),
/// `organisation` (les personnes de l'organisation de la fiche) ou `prive`
/// (la personne et les administrateurs).
#[derive(Serialize, ToSchema)]
pub struct ApiVisibility {
    /// reseau, organisation, prive
    pub fonction: String,
    /// Direction et service. reseau, organisation, prive
    pub direction_service: String,
    /// reseau, organisation, prive
    pub categorie: String,
    /// reseau, organisation, prive
    pub cadre_emplois: String,
    /// reseau, organisation, prive
    pub courriel: String,
    /// reseau, organisation, prive
    pub telephone: String,
    /// reseau, organisation, prive
    pub presentation: String,
    /// reseau, organisation, prive
    pub langues: String,
    /// Expertises et centres d'intérêt. reseau, organisation, prive
    pub thematiques: String,
    /// reseau, organisation, prive
    pub photo: String,
    /// Présence de la fiche dans l'annuaire : reseau (annuaire du réseau),
    /// organisation (annuaire de son organisation seulement), prive (hors de
    /// l'annuaire).
    pub presence: String,
}

/// Une page de résultats.
#[derive(Serialize, ToSchema)]
pub struct ApiDirectoryPage {
    /// Nombre de fiches trouvées, compté jusqu'à 1 000.
    pub total: i64,
    /// Vrai s'il y en a plus que `total` (« plus de 1 000 »).
    pub total_plafonne: bool,
    pub page: i64,
    pub par_page: i64,
    pub fiches: Vec<ApiProfile>,
}

fn themes(list: Vec<ThemeRef>) -> Vec<ApiTheme> {
    list.into_iter()
        .map(|t| ApiTheme {
            id: t.id.to_string(),
            nom: t.name,
        })
        .collect()
}

fn visibility(s: &Settings) -> ApiVisibility {
    let k = |v: Visibility| v.key().to_owned();
    ApiVisibility {
        fonction: k(s.function),
        direction_service: k(s.unit),
        categorie: k(s.category),
        cadre_emplois: k(s.cadre),
        courriel: k(s.email),
        telephone: k(s.phone),
        presentation: k(s.bio),
        langues: k(s.languages),
        thematiques: k(s.themes),
        photo: k(s.photo),
        presence: k(s.listed),
    }
}

fn api(p: Profile) -> ApiProfile {
    ApiProfile {
        id: p.id.to_string(),
        visibilite: p.settings.as_ref().map(visibility),
        photo: p.has_photo.then(|| format!("/annuaire/{}/photo", p.id)),
        prenom: p.first_name,
        nom: p.last_name,
        organisation: ApiProfileOrganisation {
            siren: p.organisation_siren,
            nom: p.organisation_name,
        },
        fonction: p.function,
        direction: p.direction,
        service: p.service,
        categorie: p.category.map(|c| c.as_str().to_owned()),
        cadre_emplois: p.cadre,
        courriel: p.email,
        telephone: p.phone,
        presentation: p.bio,
        langues: p.languages,
        expertises: themes(p.expertise),
        centres_interet: themes(p.interests),
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Mots cherchés dans les noms, fonctions, directions, thématiques… (sans
    /// tenir compte des accents ni de la casse). Sans mots : toutes les
    /// fiches, par ordre alphabétique.
    q: Option<String>,
    /// SIREN de l'organisation.
    organisation: Option<String>,
    /// Type d'organisation : commune, cc, ca, cu, metropole, departement,
    /// region, cnfpt, cdg, autre.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    kind: Option<String>,
    /// Code de région.
    region: Option<String>,
    /// Code de département.
    departement: Option<String>,
    /// A+, A, B ou C.
    categorie: Option<String>,
    /// Identifiant d'une thématique (expertise ou centre d'intérêt).
    theme: Option<String>,
    /// Page (à partir de 1 ; une valeur invalide donne la page 1).
    page: Option<String>,
}

/// Chercher dans l'annuaire. Seules les fiches et les champs que l'appelant
/// peut voir sont cherchés et renvoyés ; une valeur de filtre inconnue est
/// ignorée (ou ne trouve rien), jamais une erreur.
#[utoipa::path(get, path = "/api/v1/annuaire", operation_id = "annuaire", params(SearchParams), tag = "annuaire",
    responses(
        (status = 200, description = "Une page de fiches (20 par page)", body = ApiDirectoryPage),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError)))]
pub async fn search(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(p): Query<SearchParams>,
) -> Result<Json<ApiDirectoryPage>, WebError> {
    let params = Params {
        q: p.q.unwrap_or_default(),
        organisation: p.organisation.unwrap_or_default(),
        kind: p.kind.unwrap_or_default(),
        region: p.region.unwrap_or_default(),
        departement: p.departement.unwrap_or_default(),
        category: p.categorie.unwrap_or_default(),
        theme: p.theme.unwrap_or_default(),
        page: p.page.and_then(|s| s.trim().parse().ok()).unwrap_or(1),
    };
    let results = directory_search::search(&state.ctx, &caller, &params).await?;
    Ok(Json(ApiDirectoryPage {
        total: results.total,
        total_plafonne: results.capped,
        page: results.page,
        par_page: results.per_page,
        fiches: results.items.into_iter().map(api).collect(),
    }))
}

/// Une fiche de l'annuaire.
#[utoipa::path(get, path = "/api/v1/annuaire/{id}", operation_id = "fiche", tag = "annuaire",
    params(("id" = String, Path, description = "Identifiant de la fiche (UUID)")),
    responses(
        (status = 200, description = "La fiche, avec les champs que vous pouvez voir", body = ApiProfile),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError),
        (status = 404, description = "Fiche inconnue, ou non visible pour vous", body = crate::api::ApiError)))]
pub async fn show(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<ApiProfile>, WebError> {
    // Not a UUID: no profile has the nil id, so the core answers 404 — and
    // still 401 first to an anonymous caller.
    let id = Uuid::parse_str(id.trim()).unwrap_or(Uuid::nil());
    Ok(Json(api(profile::get(&state.ctx, &caller, id).await?)))
}
