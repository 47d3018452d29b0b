//! The JSON API under `/api/v1`, described by an OpenAPI 3.1 document
//! generated from this code at `/api/openapi.json`. Handlers call the same
//! core operations as the pages; errors are the same `WebError`, rendered as
//! JSON by the `error_pages` middleware. Authentication: a personal token
//! (`Authorization: Bearer mlg_…`) created from /compte, or the session.

pub mod attendance;
pub mod catalogue;
pub mod directory;
pub mod evaluations;
pub mod me;
pub mod organisations;
pub mod paths;
pub mod projects;
pub mod promotions;
pub mod sessions;

use axum::{Json, response::IntoResponse};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "API de Maillage",
        description = "Lecture des données du réseau avec les droits du titulaire du jeton. \
                       Les erreurs ont la forme {\"erreur\": code, \"message\": phrase, \"champs\": [...]}.",
        license(name = "AGPL-3.0-or-later")
    ),
    paths(
        organisations::list,
        organisations::show,
        organisations::people,
        directory::search,
        directory::show,
        catalogue::search,
        catalogue::show,
        sessions::list,
        sessions::show,
        sessions::roster,
        sessions::enrol,
        sessions::mine,
        sessions::trainers,
        paths::list,
        paths::show,
        paths::mine,
        attendance::register,
        evaluations::session,
        me::show,
        promotions::list,
        promotions::show,
        promotions::groups_report,
        promotions::run_casting,
        // Projets — the bank (api/projects.rs)
        projects::search,
        projects::show,
        projects::propose,
        projects::change_status
    ),
    components(schemas(
        organisations::ApiOrganisation,
        organisations::ApiOrganisationList,
        organisations::ApiSchool,
        organisations::ApiPerson,
        directory::ApiDirectoryPage,
        directory::ApiProfile,
        directory::ApiProfileOrganisation,
        directory::ApiTheme,
        directory::ApiVisibility,
        catalogue::ApiModulePage,
        catalogue::ApiModule,
        catalogue::ApiKeyLabel,
        catalogue::ApiDuration,
        catalogue::ApiSchoolRef,
        sessions::ApiRef,
        sessions::ApiSession,
        sessions::ApiSessionDetail,
        sessions::ApiSessionSlot,
        sessions::ApiEnrolment,
        sessions::ApiMyEnrolment,
        sessions::ApiEnrolResult,
        sessions::ApiTrainer,
        // Projets — the bank (api/projects.rs)
        projects::ApiProjectPage,
        projects::ApiProject,
        projects::ApiProjectOrganisation,
        projects::ApiProjectMember,
        projects::ApiProjectEvent,
        projects::ApiProposal,
        projects::ApiStatusChange,
        paths::ApiPath,
        paths::ApiStep,
        paths::ApiMyPath,
        paths::ApiMyStep,
        attendance::ApiRegister,
        attendance::ApiSlot,
        attendance::ApiAttendee,
        evaluations::ApiSessionEvaluations,
        evaluations::ApiEvaluation,
        evaluations::ApiQuestionResult,
        me::ApiMe,
        me::ApiRole,
        promotions::ApiPromotion,
        promotions::ApiPromotionMember,
        promotions::ApiCastingData,
        promotions::ApiPathRef,
        promotions::ApiGroup,
        promotions::ApiCasting,
        promotions::ApiCastingRequest,
        ApiError
    )),
    modifiers(&BearerAuth),
    security(("jeton" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "jeton",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("Jeton personnel créé depuis /compte"))
                    .build(),
            ),
        );
    }
}

/// The error body of every non-2xx answer.
#[derive(utoipa::ToSchema, serde::Serialize)]
pub struct ApiError {
    /// Stable code, e.g. `introuvable`.
    pub erreur: String,
    /// A French sentence for the user.
    pub message: String,
    /// Field-level messages when the input was invalid.
    pub champs: Option<Vec<ApiFieldError>>,
}

#[derive(utoipa::ToSchema, serde::Serialize)]
pub struct ApiFieldError {
    pub champ: String,
    pub message: String,
}

pub async fn openapi_json() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}
