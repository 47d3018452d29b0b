//! API: evaluations. `GET /api/v1/sessions/{id}/evaluations`: the aggregated,
//! anonymous results of a session's questionnaires, for the organising
//! school and the session's trainers (the same rule and the same threshold
//! of 3 answers as the page).

use axum::{
    Json,
    extract::{Path, State},
};
use maillage_core::evaluations::{self, QuestionKind};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{AppState, error::WebError, layout::Caller};

/// Les résultats d'une question.
#[derive(Serialize, ToSchema)]
pub struct ApiQuestionResult {
    pub libelle: String,
    /// note (de 1 à 5) ou texte
    pub type_question: String,
    /// Nombre de réponses.
    pub reponses: i64,
    /// Pour une note : le nombre de réponses donnant 1, 2, 3, 4, 5.
    pub repartition: Option<Vec<i64>>,
    /// Pour une note : la moyenne, arrondie au dixième.
    pub moyenne: Option<f64>,
    /// Pour une réponse libre : les réponses, triées par ordre alphabétique.
    pub textes: Option<Vec<String>>,
}

/// Un questionnaire d'une session et ses résultats.
#[derive(Serialize, ToSchema)]
pub struct ApiEvaluation {
    /// Identifiant (UUID).
    pub id: String,
    /// chaud ou froid
    pub moment: String,
    pub titre: String,
    /// Ouverture (AAAA-MM-JJ).
    pub ouverture: String,
    /// Clôture (AAAA-MM-JJ).
    pub cloture: String,
    pub personnes_invitees: i64,
    pub personnes_ayant_repondu: i64,
    /// Faux tant qu'il y a moins de 3 réponses : `questions` est alors vide.
    pub resultats_visibles: bool,
    pub questions: Vec<ApiQuestionResult>,
}

/// Les questionnaires d'une session.
#[derive(Serialize, ToSchema)]
pub struct ApiSessionEvaluations {
    /// Identifiant de la session (UUID).
    pub session: String,
    pub questionnaires: Vec<ApiEvaluation>,
}

#[utoipa::path(get, path = "/api/v1/sessions/{id}/evaluations", operation_id = "evaluations_session", tag = "sessions",
    params(("id" = String, Path, description = "Identifiant de la session (UUID)")),
    responses(
        (status = 200, description = "Les questionnaires et leurs résultats agrégés", body = ApiSessionEvaluations),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError),
        (status = 403, description = "Ni gestionnaire de l'école ni intervenant de la session", body = crate::api::ApiError),
        (status = 404, description = "Session inconnue, ou non visible pour vous", body = crate::api::ApiError)))]
pub async fn session(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<ApiSessionEvaluations>, WebError> {
    let id = Uuid::parse_str(id.trim()).unwrap_or(Uuid::nil());
    let e = evaluations::of_session(&state.ctx, &caller, id).await?;
    Ok(Json(ApiSessionEvaluations {
        session: e.session.id.to_string(),
        questionnaires: e
            .evaluations
            .into_iter()
            .map(|(ev, r)| ApiEvaluation {
                id: ev.id.to_string(),
                moment: ev.kind.key().to_owned(),
                titre: ev.title,
                ouverture: ev.opens_on.to_string(),
                cloture: ev.closes_on.to_string(),
                personnes_invitees: ev.invited,
                personnes_ayant_repondu: ev.answered,
                resultats_visibles: r.shown(),
                questions: r
                    .questions
                    .into_iter()
                    .map(|q| {
                        let note = q.kind == QuestionKind::Note;
                        ApiQuestionResult {
                            moyenne: note
                                .then(|| q.average().replace(',', ".").parse::<f64>().ok())
                                .flatten(),
                            repartition: note.then(|| q.distribution.to_vec()),
                            textes: (!note).then(|| q.texts.clone()),
                            libelle: q.label,
                            type_question: q.kind.key().to_owned(),
                            reponses: q.count,
                        }
                    })
                    .collect(),
            })
            .collect(),
    }))
}
