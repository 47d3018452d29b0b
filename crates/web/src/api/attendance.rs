//! API: attendance. `GET /api/v1/sessions/{id}/emargement`: the half-days of a
//! session and each enrolled person's status, for the organising school and
//! the session's trainers (the same rule as the attendance pages).

use axum::{
    Json,
    extract::{Path, State},
};
use maillage_core::attendance;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{AppState, error::WebError, layout::Caller};

/// Une demi-journée d'une session.
#[derive(Serialize, ToSchema)]
pub struct ApiSlot {
    /// Identifiant (UUID).
    pub id: String,
    /// Jour (AAAA-MM-JJ).
    pub jour: String,
    /// matin ou apres-midi
    pub demi_journee: String,
    /// Heure de début, HH:MM (heure de Paris).
    pub debut: String,
    /// Heure de fin, HH:MM (heure de Paris).
    pub fin: String,
    /// Lieu (celui de la demi-journée, sinon celui de la session).
    pub lieu: String,
    pub salle: String,
}

/// Une personne inscrite et sa présence à chaque demi-journée.
#[derive(Serialize, ToSchema)]
pub struct ApiAttendee {
    /// Identifiant du compte (UUID).
    pub id: String,
    pub nom: String,
    /// Dans l'ordre de `demi_journees` : present, absent, excuse, ou null
    /// si rien n'est encore saisi.
    pub presences: Vec<Option<String>>,
    /// Vrai si la présence atteint le seuil du module (module validé).
    pub module_valide: bool,
}

/// L'émargement d'une session.
#[derive(Serialize, ToSchema)]
pub struct ApiRegister {
    /// Identifiant de la session (UUID).
    pub session: String,
    pub demi_journees: Vec<ApiSlot>,
    pub personnes: Vec<ApiAttendee>,
}

#[utoipa::path(get, path = "/api/v1/sessions/{id}/emargement", operation_id = "emargement", tag = "sessions",
    params(("id" = String, Path, description = "Identifiant de la session (UUID)")),
    responses(
        (status = 200, description = "Les demi-journées et les présences", body = ApiRegister),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError),
        (status = 403, description = "Ni gestionnaire de l'école ni intervenant de la session", body = crate::api::ApiError),
        (status = 404, description = "Session inconnue, ou non visible pour vous", body = crate::api::ApiError)))]
pub async fn register(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<ApiRegister>, WebError> {
    let id = Uuid::parse_str(id.trim()).unwrap_or(Uuid::nil());
    let r = attendance::register(&state.ctx, &caller, id).await?;
    Ok(Json(ApiRegister {
        session: r.session.id.to_string(),
        demi_journees: r
            .slots
            .iter()
            .map(|s| ApiSlot {
                id: s.id.to_string(),
                jour: s.day.to_string(),
                demi_journee: s.half.key().to_owned(),
                debut: s.starts_at.clone(),
                fin: s.ends_at.clone(),
                lieu: s.place.clone(),
                salle: s.room.clone(),
            })
            .collect(),
        personnes: r
            .people
            .into_iter()
            .map(|p| ApiAttendee {
                id: p.user_id.to_string(),
                nom: p.name,
                presences: p.statuses.iter().map(|s| s.map(|s| s.key().to_owned())).collect(),
                module_valide: p.completed,
            })
            .collect(),
    }))
}
