//! `/api/v1/moi`: who the token belongs to.

use axum::{Json, extract::State};
use maillage_core::{CoreError, accounts};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{AppState, error::WebError, layout::Caller};

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
    /// SIREN de l'organisation ; absent pour un rôle sur tout le réseau.
    pub organisation: Option<String>,
}

/// Le titulaire du jeton et ses rôles.
#[utoipa::path(get, path = "/api/v1/moi", operation_id = "moi", tag = "compte",
    responses(
        (status = 200, description = "Le titulaire et ses rôles", body = ApiMe),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError)))]
pub async fn show(State(state): State<AppState>, Caller(caller): Caller) -> Result<Json<ApiMe>, WebError> {
    let me = caller.user().ok_or(CoreError::Unauthenticated)?;
    let roles = accounts::my_roles(&state.ctx, &caller).await?;
    Ok(Json(ApiMe {
        nom: me.display_name.clone(),
        courriel: me.email.clone(),
        roles: roles
            .into_iter()
            .map(|(r, o)| ApiRole {
                role: r.as_str().to_owned(),
                organisation: o.map(|o| o.siren),
            })
            .collect(),
    }))
}
