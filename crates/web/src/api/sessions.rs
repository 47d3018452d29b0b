//! `/api/v1/sessions`, `/api/v1/moi/inscriptions`, `/api/v1/intervenants`:
//! the coming sessions the caller may see (those of the modules of the
//! catalogue they see), one session with its half-days, organisers,
//! trainers and cycle, the roster for the organising school, the caller's
//! own enrolments, enrolling oneself (the same core operation as the page:
//! capacity, waitlist, approval), and the trainers the caller may see.

use axum::{
    Json,
    extract::{Path, Query, State},
};
use maillage_core::{
    enrolment::{self, Session, Standing},
    trainers::{self, Trainer},
};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{AppState, error::WebError, layout::Caller};

/// Une référence : identifiant (UUID) et nom.
#[derive(Serialize, ToSchema)]
pub struct ApiRef {
    pub id: String,
    pub nom: String,
}

/// Une demi-journée d'une session.
#[derive(Serialize, ToSchema)]
pub struct ApiSessionSlot {
    /// Jour (AAAA-MM-JJ).
    pub jour: String,
    /// matin ou apres-midi
    pub demi_journee: String,
    /// Heure de début, heure de Paris (HH:MM).
    pub debut: String,
    pub fin: String,
    /// Lieu de cette demi-journée (vide : celui de la session).
    pub lieu: String,
    pub salle: String,
}

/// Une session (une date d'un module).
#[derive(Serialize, ToSchema)]
pub struct ApiSession {
    /// Identifiant de la session (UUID).
    pub id: String,
    /// Identifiant du module (UUID).
    pub module: String,
    pub intitule: String,
    /// Titre de la session dans son cycle (peut être vide).
    pub titre: String,
    /// L'école organisatrice.
    pub ecole: ApiRef,
    /// Premier jour (AAAA-MM-JJ).
    pub debut: String,
    /// Dernier jour (AAAA-MM-JJ).
    pub fin: String,
    pub lieu: String,
    /// Vrai si la session a aussi lieu en ligne (le lien n'est donné
    /// qu'aux personnes inscrites, sur la page de la session).
    pub en_ligne: bool,
    pub places: i64,
    pub inscrits: i64,
    pub en_attente: i64,
    /// Dernier jour pour s'inscrire (AAAA-MM-JJ).
    pub inscriptions_jusqu_au: String,
    /// Dernier jour pour annuler (AAAA-MM-JJ).
    pub annulation_jusqu_au: String,
    pub annulee: bool,
    /// Validation des inscriptions : aucune, ecole, responsable.
    pub validation: String,
    /// Le cycle dont la session fait partie.
    pub cycle: Option<ApiRef>,
    /// Vrai pour une session facultative de son cycle (volontaires).
    pub facultative: bool,
}

/// Une session avec ses demi-journées, ses co-organisateurs et ses intervenants.
#[derive(Serialize, ToSchema)]
pub struct ApiSessionDetail {
    #[serde(flatten)]
    pub session: ApiSession,
    pub co_organisateurs: Vec<ApiRef>,
    pub intervenants: Vec<ApiRef>,
    pub demi_journees: Vec<ApiSessionSlot>,
}

/// Une personne inscrite (ou en attente) à une session.
#[derive(Serialize, ToSchema)]
pub struct ApiEnrolment {
    pub nom: String,
    pub courriel: String,
    /// inscrit, attente, a_valider, refuse, annule
    pub statut: String,
    /// Rang sur la liste d'attente (1 : la prochaine), sinon absent.
    pub rang: Option<i64>,
    /// Date de la demande (RFC 3339, UTC).
    pub depuis: String,
}

/// Une session à laquelle l'appelant s'est inscrit ou a demandé à participer.
#[derive(Serialize, ToSchema)]
pub struct ApiMyEnrolment {
    pub session: String,
    pub module: String,
    pub intitule: String,
    pub titre: String,
    pub ecole: String,
    pub debut: String,
    pub fin: String,
    pub annulee: bool,
    /// inscrit, attente, a_valider, refuse, annule
    pub statut: String,
}

/// Le résultat d'une inscription.
#[derive(Serialize, ToSchema)]
pub struct ApiEnrolResult {
    /// inscrit, attente ou a_valider
    pub statut: String,
    /// Rang sur la liste d'attente, le cas échéant.
    pub rang: Option<i64>,
}

/// Un intervenant.
#[derive(Serialize, ToSchema)]
pub struct ApiTrainer {
    pub id: String,
    pub nom: String,
    /// Vrai pour un intervenant interne (un compte du réseau).
    pub interne: bool,
    pub employeur: String,
    pub presentation: String,
    pub ecole: ApiRef,
    /// Vrai si son école le propose au réseau.
    pub propose_au_reseau: bool,
}

fn status(s: Standing) -> (&'static str, Option<i64>) {
    match s {
        Standing::Enrolled => ("inscrit", None),
        Standing::Waiting(r) => ("attente", Some(r)),
        Standing::Pending => ("a_valider", None),
        Standing::Refused => ("refuse", None),
        Standing::Cancelled => ("annule", None),
    }
}

fn api(s: Session) -> ApiSession {
    ApiSession {
        id: s.id.to_string(),
        module: s.module_id.to_string(),
        ecole: ApiRef {
            id: s.school_id.to_string(),
            nom: s.school_name,
        },
        debut: s.starts_on.to_string(),
        fin: s.ends_on.to_string(),
        en_ligne: s.online_url.is_some(),
        places: s.capacity,
        inscrits: s.enrolled,
        en_attente: s.waiting,
        inscriptions_jusqu_au: s.enrol_until.to_string(),
        annulation_jusqu_au: s.cancel_until.to_string(),
        annulee: s.cancelled,
        validation: s.approval.key().to_owned(),
        cycle: s.cycle_id.map(|id| ApiRef {
            id: id.to_string(),
            nom: s.cycle_title.unwrap_or_default(),
        }),
        facultative: s.optional,
        intitule: s.module_title,
        titre: s.title,
        lieu: s.place,
    }
}

fn id_or_nil(id: &str) -> Uuid {
    // Not a UUID: nothing has the nil id, so the core answers 404 — and
    // still 401 first to an anonymous caller.
    Uuid::parse_str(id.trim()).unwrap_or(Uuid::nil())
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct SessionParams {
    /// Identifiant d'un module : ses sessions seulement.
    module: Option<String>,
    /// Identifiant d'une école : les sessions qu'elle organise.
    ecole: Option<String>,
    /// À partir de ce jour (AAAA-MM-JJ ; par défaut aujourd'hui). Une
    /// valeur invalide est ignorée.
    depuis: Option<String>,
}

/// Les prochaines sessions que l'appelant peut voir (celles des modules du
/// catalogue qu'il voit), non annulées, par date ; 200 au plus.
#[utoipa::path(get, path = "/api/v1/sessions", operation_id = "sessions", params(SessionParams), tag = "sessions",
    responses(
        (status = 200, description = "Les sessions, par date", body = Vec<ApiSession>),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(p): Query<SessionParams>,
) -> Result<Json<Vec<ApiSession>>, WebError> {
    let uuid = |s: Option<String>| s.and_then(|s| Uuid::parse_str(s.trim()).ok());
    let from = p.depuis.and_then(|d| maillage_core::dates::parse_day(&d));
    let sessions = enrolment::upcoming(&state.ctx, &caller, uuid(p.module), uuid(p.ecole), from).await?;
    Ok(Json(sessions.into_iter().map(api).collect()))
}

/// Une session, avec ses demi-journées, ses co-organisateurs, ses
/// intervenants et son cycle.
#[utoipa::path(get, path = "/api/v1/sessions/{id}", operation_id = "session", tag = "sessions",
    params(("id" = String, Path, description = "Identifiant de la session (UUID)")),
    responses(
        (status = 200, description = "La session", body = ApiSessionDetail),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError),
        (status = 404, description = "Session inconnue, ou non visible pour vous", body = crate::api::ApiError)))]
pub async fn show(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<ApiSessionDetail>, WebError> {
    let id = id_or_nil(&id);
    let s = enrolment::get(&state.ctx, &caller, id).await?;
    let d = enrolment::details(&state.ctx, &caller, id).await?;
    let refs = |v: Vec<enrolment::Named>| {
        v.into_iter()
            .map(|n| ApiRef {
                id: n.id.to_string(),
                nom: n.name,
            })
            .collect()
    };
    Ok(Json(ApiSessionDetail {
        session: api(s),
        co_organisateurs: refs(d.organisers),
        intervenants: refs(d.trainers),
        demi_journees: d
            .slots
            .into_iter()
            .map(|sl| ApiSessionSlot {
                jour: sl.day.to_string(),
                demi_journee: sl.half,
                debut: sl.starts_at,
                fin: sl.ends_at,
                lieu: sl.place,
                salle: sl.room,
            })
            .collect(),
    }))
}

/// Les inscriptions d'une session, dans l'ordre d'arrivée (l'école
/// organisatrice seulement).
#[utoipa::path(get, path = "/api/v1/sessions/{id}/inscriptions", operation_id = "session_inscriptions", tag = "sessions",
    params(("id" = String, Path, description = "Identifiant de la session (UUID)")),
    responses(
        (status = 200, description = "Les inscriptions", body = Vec<ApiEnrolment>),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError),
        (status = 403, description = "Vous n'organisez pas cette session", body = crate::api::ApiError),
        (status = 404, description = "Session inconnue, ou non visible pour vous", body = crate::api::ApiError)))]
pub async fn roster(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<ApiEnrolment>>, WebError> {
    let people = enrolment::roster(&state.ctx, &caller, id_or_nil(&id)).await?;
    Ok(Json(
        people
            .into_iter()
            .map(|p| {
                let (statut, rang) = status(p.standing);
                ApiEnrolment {
                    nom: p.name,
                    courriel: p.email,
                    statut: statut.to_owned(),
                    rang,
                    depuis: p.since.format(&Rfc3339).unwrap_or_default(),
                }
            })
            .collect(),
    ))
}

/// S'inscrire à une session : une place s'il en reste, sinon la liste
/// d'attente ; si la session demande une validation, la demande attend
/// celle-ci (statut a_valider).
#[utoipa::path(post, path = "/api/v1/sessions/{id}/inscription", operation_id = "session_inscription", tag = "sessions",
    params(("id" = String, Path, description = "Identifiant de la session (UUID)")),
    responses(
        (status = 200, description = "Inscrit, en attente ou à valider", body = ApiEnrolResult),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError),
        (status = 404, description = "Session inconnue, ou non visible pour vous", body = crate::api::ApiError),
        (status = 409, description = "Déjà inscrit, inscriptions closes ou session annulée", body = crate::api::ApiError)))]
pub async fn enrol(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<Json<ApiEnrolResult>, WebError> {
    let standing = enrolment::enrol(&state.ctx, &caller, id_or_nil(&id)).await?;
    let (statut, rang) = status(standing);
    Ok(Json(ApiEnrolResult {
        statut: statut.to_owned(),
        rang,
    }))
}

/// Mes inscriptions et demandes, de la plus récente session à la plus ancienne.
#[utoipa::path(get, path = "/api/v1/moi/inscriptions", operation_id = "mes_inscriptions", tag = "sessions",
    responses(
        (status = 200, description = "Mes inscriptions", body = Vec<ApiMyEnrolment>),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError)))]
pub async fn mine(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> Result<Json<Vec<ApiMyEnrolment>>, WebError> {
    Ok(Json(
        enrolment::mine(&state.ctx, &caller)
            .await?
            .into_iter()
            .map(|m| ApiMyEnrolment {
                session: m.session_id.to_string(),
                module: m.module_id.to_string(),
                intitule: m.module_title,
                titre: m.title,
                ecole: m.school_name,
                debut: m.starts_on.to_string(),
                fin: m.ends_on.to_string(),
                annulee: m.cancelled,
                statut: m.status,
            })
            .collect(),
    ))
}

fn api_trainer(t: Trainer) -> ApiTrainer {
    ApiTrainer {
        id: t.id.to_string(),
        nom: t.name,
        interne: t.internal,
        employeur: t.employer,
        presentation: t.bio,
        ecole: ApiRef {
            id: t.school_id.to_string(),
            nom: t.school_name,
        },
        propose_au_reseau: t.shared,
    }
}

/// Les intervenants que l'appelant peut voir : ceux des écoles de ses
/// organisations et ceux proposés au réseau, par nom.
#[utoipa::path(get, path = "/api/v1/intervenants", operation_id = "intervenants", tag = "sessions",
    responses(
        (status = 200, description = "Les intervenants", body = Vec<ApiTrainer>),
        (status = 401, description = "Sans jeton ni session, ou jeton inconnu ou révoqué", body = crate::api::ApiError)))]
pub async fn trainers(
    State(state): State<AppState>,
    Caller(caller): Caller,
) -> Result<Json<Vec<ApiTrainer>>, WebError> {
    Ok(Json(
        trainers::list(&state.ctx, &caller)
            .await?
            .into_iter()
            .map(api_trainer)
            .collect(),
    ))
}
