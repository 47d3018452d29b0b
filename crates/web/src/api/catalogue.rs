//! `/api/v1/formations`: the catalogue of the schools, with the caller's
//! rights. A module not shared with the network is seen only by the people of
//! the school that designed it (and of the schools that took it): to anyone
//! else it does not exist (404).

use axum::{
    Json,
    extract::{Path, Query, State},
};
use maillage_core::catalogue::{self, Module, Params};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{AppState, api::directory::ApiTheme, error::WebError, layout::Caller};

/// Une valeur d'une liste fermée : sa clé (stable, utilisable comme filtre)
/// et son libellé en français.
#[derive(Serialize, ToSchema)]
pub struct ApiKeyLabel {
    pub cle: String,
    pub libelle: String,
}

/// La durée d'un module.
#[derive(Serialize, ToSchema)]
pub struct ApiDuration {
    /// Nombre d'unités (1 à 1 000).
    pub valeur: i64,
    /// jours, demi-journees, heures
    pub unite: String,
    /// En toutes lettres, par exemple « 2 jours ».
    pub texte: String,
    /// En heures, pour les statistiques (un jour compte 7 heures, une
    /// demi-journée 3,5).
    pub heures: f64,
}

/// Une école du réseau.
#[derive(Serialize, ToSchema)]
pub struct ApiSchoolRef {
    /// Identifiant (UUID), utilisable comme paramètre `ecole` de la recherche.
    pub id: String,
    pub nom: String,
}

/// Un module du catalogue (formation, séminaire, coaching…).
#[derive(Serialize, ToSchema)]
pub struct ApiModule {
    /// Identifiant du module (UUID).
    pub id: String,
    pub intitule: String,
    /// Clés : formation, seminaire, debat, coaching-individuel,
    /// coaching-collectif, codeveloppement, psychologue, conference,
    /// expedition, ressource.
    pub format: ApiKeyLabel,
    pub objectifs: String,
    /// Déroulé, contenu.
    pub programme: String,
    /// Catégories visées (A+, A, B, C). Vide : toutes les catégories.
    pub categories: Vec<String>,
    /// Managers visés. Clés : tous, nouveaux, confirmes.
    pub public: ApiKeyLabel,
    pub duree: ApiDuration,
    pub intervenants: String,
    /// Vrai si le module est proposé à tout le réseau (les autres écoles
    /// peuvent le reprendre).
    pub partage: bool,
    /// Vrai si le module n'est plus proposé.
    pub archive: bool,
    /// L'école qui a conçu le module (toujours créditée).
    pub ecole: ApiSchoolRef,
    /// Les autres écoles qui l'ont repris dans leur catalogue.
    pub reprise_par: Vec<ApiSchoolRef>,
    pub thematiques: Vec<ApiTheme>,
    /// Date de la dernière modification (RFC 3339, UTC).
    pub mis_a_jour: String,
}

/// Une page de résultats.
#[derive(Serialize, ToSchema)]
pub struct ApiModulePage {
    /// Nombre de modules trouvés.
    pub total: i64,
    pub page: i64,
    pub par_page: i64,
    pub modules: Vec<ApiModule>,
}

fn school(id: Uuid, name: String) -> ApiSchoolRef {
    ApiSchoolRef {
        id: id.to_string(),
        nom: name,
    }
}

fn api(m: Module) -> ApiModule {
    ApiModule {
        id: m.id.to_string(),
        format: ApiKeyLabel {
            cle: m.format.key().to_owned(),
            libelle: m.format.label().to_owned(),
        },
        categories: m.categories.iter().map(|c| c.as_str().to_owned()).collect(),
        public: ApiKeyLabel {
            cle: m.stage.key().to_owned(),
            libelle: m.stage.label().to_owned(),
        },
        duree: ApiDuration {
            valeur: m.duration_value,
            unite: m.duration_unit.key().to_owned(),
            texte: m.duration(),
            heures: m.duration_unit.hours(m.duration_value),
        },
        mis_a_jour: m.updated_at.format(&Rfc3339).unwrap_or_default(),
        ecole: school(m.school.id, m.school.name),
        reprise_par: m.adopted_by.into_iter().map(|s| school(s.id, s.name)).collect(),
        thematiques: m
            .themes
            .into_iter()
            .map(|t| ApiTheme {
                id: t.id.to_string(),
                nom: t.name,
            })
            .collect(),
        intitule: m.title,
        objectifs: m.objectives,
        programme: m.description,
        intervenants: m.trainers,
        partage: m.shared,
        archive: m.archived,
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Mots cherchés dans l'intitulé, les objectifs, le programme et les
    /// intervenants (sans tenir compte des accents ni de la casse). Sans
    /// mots : tous les modules, par ordre alphabétique.
    q: Option<String>,
    /// Format : formation, seminaire, debat, coaching-individuel,
    /// coaching-collectif, codeveloppement, psychologue, conference,
    /// expedition, ressource.
    format: Option<String>,
    /// Identifiant d'une thématique.
    theme: Option<String>,
    /// Identifiant d'une école : les modules de son catalogue (les siens et
    /// ceux qu'elle a repris).
    ecole: Option<String>,
    /// A+, A, B ou C : les modules qui s'adressent à cette catégorie (dont
    /// ceux ouverts à toutes).
    categorie: Option<String>,
    /// Managers visés : nouveaux ou confirmes (les modules pour tous les
    /// managers sont compris).
    public: Option<String>,
    /// Page (à partir de 1 ; une valeur invalide donne la page 1).
    page: Option<String>,
}

/// Chercher dans le catalogue des écoles. Seuls les modules que l'appelant
/// peut voir sont cherchés et renvoyés (ceux partagés avec le réseau, et
/// ceux des écoles de ses organisations) ; les modules archivés n'y sont
/// pas. Une valeur de filtre inconnue est ignorée, jamais une erreur.
#[utoipa::path(get, path = "/api/v1/formations", operation_id = "formations", params(SearchParams), tag = "formations",
    responses(
        (status = 200, description = "Une page de modules (20 par page), par ordre alphabétique", body = ApiModulePage),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError)))]
pub async fn search(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(p): Query<SearchParams>,
) -> Result<Json<ApiModulePage>, WebError> {
    let params = Params {
        q: p.q.unwrap_or_default(),
        format: p.format.unwrap_or_default(),
        theme: p.theme.unwrap_or_default(),
        school: p.ecole.unwrap_or_default(),
        category: p.categorie.unwrap_or_default(),
        stage: p.public.unwrap_or_default(),
        page: p.page.and_then(|s| s.trim().parse().ok()).unwrap_or(1),
    };
    let results = catalogue::search(&state.ctx, &caller, &params).await?;
    Ok(Json(ApiModulePage {
        total: results.total,
        page: results.page,
        par_page: results.per_page,
        modules: results.items.into_iter().map(api).collect(),
    }))
}

/// Un module du catalogue.
#[utoipa::path(get, path = "/api/v1/formations/{id}", operation_id = "formation", tag = "formations",
    params(("id" = String, Path, description = "Identifiant du module (UUID)")),
    responses(
        (status = 200, description = "Le module", body = ApiModule),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError),
        (status = 404, description = "Module inconnu, ou non visible pour vous", body = crate::api::ApiError)))]
pub async fn show(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<ApiModule>, WebError> {
    // Not a UUID: no module has the nil id, so the core answers 404 — and
    // still 401 first to an anonymous caller.
    let id = Uuid::parse_str(id.trim()).unwrap_or(Uuid::nil());
    Ok(Json(api(catalogue::get(&state.ctx, &caller, id).await?)))
}
