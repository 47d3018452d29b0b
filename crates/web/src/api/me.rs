//! `/api/v1/moi`: who the token belongs to.

use axum::Json;
use maillage_core::CoreError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{error::WebError, layout::Caller};

#[derive(Serialize, ToSchema)]
pub struct ApiMe {
    pub nom: String,
    pub courriel: String,
    pub roles: Vec<ApiRole>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiRole {
    /// coordinator, org-admin, hr, trainer, member
    pub role: String,
    /// Identifiant de l'organisation ; absent pour un rôle sur tout le réseau.
    pub organisation: Option<String>,
}

/// Le titulaire du jeton et ses rôles.
#[utoipa::path(get, path = "/api/v1/moi", operation_id = "moi", tag = "compte",
    responses(
        (status = 200, description = "Le titulaire et ses rôles", body = ApiMe),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError)))]
pub async fn show(Caller(caller): Caller) -> Result<Json<ApiMe>, WebError> {
    let me = caller.user().ok_or(CoreError::Unauthenticated)?;
    Ok(Json(ApiMe {
        nom: me.display_name.clone(),
        courriel: me.email.clone(),
        roles: me
            .roles
            .iter()
            .map(|(r, o)| ApiRole {
                role: r.as_str().to_owned(),
                organisation: o.map(|o| o.to_string()),
            })
            .collect(),
    }))
}
