//! Storage errors. A violated unique or foreign-key constraint is reported
//! with the constraint's name so that core can turn it into a field-level
//! message (« cette adresse est déjà utilisée ») instead of a 500.

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unique constraint violated: {0}")]
    Unique(String),
    #[error("foreign key violated: {0}")]
    ForeignKey(String),
    #[error(transparent)]
    Sqlx(sqlx::Error),
    #[error("migration {version} ({name}) failed: {source}")]
    Migration {
        version: i64,
        name: &'static str,
        source: sqlx::Error,
    },
    #[error("{0}")]
    Config(String),
}

pub type DbResult<T> = Result<T, DbError>;

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            // SQLite reports no constraint name, only the message
            // ("UNIQUE constraint failed: users.email"): keep the text so the
            // caller can match on the column either way.
            let what = db
                .constraint()
                .map(str::to_owned)
                .unwrap_or_else(|| db.message().to_owned());
            if db.is_unique_violation() {
                return DbError::Unique(what);
            }
            if db.is_foreign_key_violation() {
                return DbError::ForeignKey(what);
            }
        }
        DbError::Sqlx(e)
    }
}

impl DbError {
    /// True when a unique constraint on something named `needle` (a table,
    /// column or constraint name) failed.
    pub fn is_unique_on(&self, needle: &str) -> bool {
        matches!(self, DbError::Unique(what) if what.contains(needle))
    }
}
