//! Integration tests: the real router in process, a fresh database per test.
//! SQLite by default; the same suite runs on PostgreSQL when
//! `MAILLAGE_TEST_DATABASE_URL` is set (see scripts/with-postgres.sh).

mod harness;

mod accounts;
mod agenda;
mod api;
mod attendance;
mod casting_cli;
mod catalogue;
mod cli;
mod directory;
mod enrolment;
mod evaluations;
mod hostile;
mod mail;
mod organisations;
mod pages;
mod paths;
mod permissions;
mod project_life;
mod projects;
mod promotions;
mod statistics;
mod storage;
mod trainers;
