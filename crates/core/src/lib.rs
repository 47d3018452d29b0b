//! Operations of Maillage and the one permission policy, shared by the pages,
//! the JSON API, the command line and the jobs. Nothing here knows HTTP or
//! SQL: storage goes through `maillage-db`, presentation is the web crate's.

pub mod accounts;
pub mod actor;
pub mod agenda;
pub mod api_tokens;
pub mod attendance;
pub mod attestations;
pub mod cache;
pub mod casting;
pub mod catalogue;
pub mod closed_periods;
pub mod config;
pub mod context;
pub mod cycles;
pub mod dates;
pub mod demo;
pub mod demo_projects;
pub mod demo_school;
pub mod directory;
pub mod enrolment;
pub mod error;
pub mod evaluations;
pub mod jobs;
pub mod mail;
pub mod network;
pub mod organisations;
pub mod paths;
pub mod pdf;
pub mod people;
pub mod policy;
pub mod projects;
pub mod promotions;
pub mod rush;
pub mod schools;
pub mod security;
pub mod statistics;
pub mod throttle;
pub mod trainers;

pub use actor::{Actor, UserCtx};
pub use context::Ctx;
pub use error::{CoreError, CoreResult, FieldErrors};
