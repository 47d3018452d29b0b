//! The error every operation returns. When to use what:
//! - `NotFound`: the thing does not exist **or the actor may not know it
//!   exists** (another organisation's private data): never reveal it with a 403.
//! - `Forbidden`: the actor knows the thing but may not do this (403).
//! - `Unauthenticated`: log in first (pages redirect to /connexion, API 401).
//! - `Invalid`: bad input; messages per field, in French, saying what to fix.
//! - `Conflict` / `TooManyRequests`: a French sentence for the user.
//! - `Internal`: anything else (anyhow); logged, shown as a generic 500.
//!
//! The web crate renders each variant once as an HTML page and once as JSON.

use std::fmt;

use maillage_db::DbError;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }
    /// `Ok(())` when empty, else the `Invalid` error.
    pub fn into_result(self) -> CoreResult<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(CoreError::Invalid(self))
        }
    }
    pub fn single(field: &'static str, message: impl Into<String>) -> CoreError {
        let mut e = FieldErrors::new();
        e.add(field, message);
        CoreError::Invalid(e)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("introuvable")]
    NotFound,
    #[error("accès refusé")]
    Forbidden,
    #[error("connexion requise")]
    Unauthenticated,
    #[error("données invalides")]
    Invalid(FieldErrors),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type CoreResult<T> = Result<T, CoreError>;

/// Turns the « password threads saturated » condition into a 429 the user
/// can act on; any other failure stays internal.
pub fn busy_or_internal(e: anyhow::Error) -> CoreError {
    if e.is::<crate::security::Busy>() {
        CoreError::TooManyRequests(
            "Le service de connexion est très sollicité en ce moment. Réessayez dans quelques secondes.".into(),
        )
    } else {
        CoreError::Internal(e)
    }
}

impl From<DbError> for CoreError {
    fn from(e: DbError) -> Self {
        CoreError::Internal(e.into())
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (field, msg)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" ; ")?;
            }
            write!(f, "{field} : {msg}")?;
        }
        Ok(())
    }
}
