//! One error type for pages and API. A handler returns `Result<_, WebError>`;
//! `WebError` becomes a bare status carrying an [`ErrorInfo`], and the
//! `error_pages` middleware (which knows the caller and the path) renders it
//! once: a French HTML page with the site's layout, a redirect to the login
//! page, or JSON under `/api`. The same middleware gives a French page to the
//! bare errors of other layers (body too large, timeout, CSRF, 405).

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};
use maillage_core::{CoreError, FieldErrors};

#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub code: &'static str,
    pub message: String,
    pub fields: FieldErrors,
}

#[derive(Debug)]
pub struct WebError {
    status: StatusCode,
    info: ErrorInfo,
}

impl WebError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        WebError {
            status,
            info: ErrorInfo {
                code,
                message: message.into(),
                fields: FieldErrors::new(),
            },
        }
    }
    pub fn not_found() -> Self {
        CoreError::NotFound.into()
    }
}

/// The French sentence shown for a status when nothing more precise is known.
pub fn default_message(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => (
            "requete-invalide",
            "La requête est mal formée. Revenez à la page précédente et réessayez.",
        ),
        401 => ("connexion-requise", "Connectez-vous pour accéder à cette page."),
        403 => (
            "acces-refuse",
            "Vous n'avez pas les droits nécessaires pour cette action. Si vous pensez en avoir besoin, contactez l'administrateur de votre organisation.",
        ),
        404 => (
            "introuvable",
            "Cette page n'existe pas, ou vous n'y avez pas accès. Vérifiez l'adresse, ou repartez de l'accueil.",
        ),
        405 => (
            "methode-non-autorisee",
            "Cette adresse ne s'utilise pas ainsi : revenez à la page précédente.",
        ),
        408 | 503 | 504 => (
            "delai-depasse",
            "Le serveur a mis trop de temps à répondre. Réessayez dans un instant.",
        ),
        409 => (
            "conflit",
            "Cette action n'est plus possible dans l'état actuel. Rechargez la page.",
        ),
        413 => (
            "trop-volumineux",
            "Les données envoyées sont trop volumineuses. Réduisez la taille du texte ou du fichier, puis réessayez.",
        ),
        415 => (
            "format-non-pris-en-charge",
            "Le format des données envoyées n'est pas pris en charge.",
        ),
        422 => ("donnees-invalides", "Certaines données saisies ne sont pas valides."),
        429 => (
            "trop-de-requetes",
            "Trop de requêtes : patientez quelques minutes avant de réessayer.",
        ),
        _ => (
            "erreur-serveur",
            "Une erreur inattendue s'est produite de notre côté. Réessayez ; si le problème persiste, signalez-le à l'animation du réseau.",
        ),
    }
}

impl From<CoreError> for WebError {
    fn from(e: CoreError) -> Self {
        let (status, message, fields) = match e {
            CoreError::NotFound => (StatusCode::NOT_FOUND, None, FieldErrors::new()),
            CoreError::Forbidden => (StatusCode::FORBIDDEN, None, FieldErrors::new()),
            CoreError::Unauthenticated => (StatusCode::UNAUTHORIZED, None, FieldErrors::new()),
            CoreError::Invalid(f) => (StatusCode::UNPROCESSABLE_ENTITY, None, f),
            CoreError::Conflict(m) => (StatusCode::CONFLICT, Some(m), FieldErrors::new()),
            CoreError::TooManyRequests(m) => (StatusCode::TOO_MANY_REQUESTS, Some(m), FieldErrors::new()),
            CoreError::Internal(e) => {
                tracing::error!(error = ?e, "erreur interne");
                (StatusCode::INTERNAL_SERVER_ERROR, None, FieldErrors::new())
            }
        };
        let (code, default) = default_message(status);
        WebError {
            status,
            info: ErrorInfo {
                code,
                message: message.unwrap_or_else(|| default.to_owned()),
                fields,
            },
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        CoreError::Internal(anyhow::anyhow!("gabarit : {e}")).into()
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut res = self.status.into_response();
        res.extensions_mut().insert(self.info);
        res
    }
}
