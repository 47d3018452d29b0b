//! Storage of Maillage, and the only crate that knows SQL.
//!
//! One SQL text runs on two native pools (SQLite by default, PostgreSQL when
//! `DATABASE_URL` says so): see [`pool`] for the connection types and [`query`]
//! for how one statement is bound and run on either backend. Every function of
//! the capability modules takes an [`Ex`] (a connection or a transaction) and,
//! where data belongs to an organisation, the caller's scope explicitly.

pub mod activity;
pub mod api_tokens;
pub mod attendance;
pub mod attestations;
pub mod audit;
pub mod calendar;
pub mod closed_periods;
pub mod cycles;
pub mod error;
pub mod evaluations;
pub mod jobs;
pub mod login_failures;
pub mod migrate;
pub mod modules;
pub mod network;
pub mod one_time_tokens;
pub mod organisations;
pub mod paths;
pub mod pool;
pub mod profiles;
pub mod project_life;
pub mod projects;
pub mod promotions;
pub mod query;
pub mod roles;
pub mod schools;
pub mod secrets;
pub mod sessions;
pub mod statistics;
pub mod trainers;
pub mod training_sessions;
pub mod users;

pub use error::{DbError, DbResult};
pub use pool::{Backend, Conn, Db, Ex, Tx, write_generation};
pub use query::{Value, query};

/// The current time, truncated to the microsecond: PostgreSQL keeps
/// microseconds, so values read back compare equal on both backends.
pub fn now() -> time::OffsetDateTime {
    let t = time::OffsetDateTime::now_utc();
    t.replace_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}

/// A new time-ordered identifier (UUID v7): index-friendly on both backends.
pub fn new_id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}
