//! Integration tests: the real router in process, a fresh database per test.
//! SQLite by default; the same suite runs on PostgreSQL when
//! `MAILLAGE_TEST_DATABASE_URL` is set (see scripts/with-postgres.sh).

mod harness;

mod accounts;
mod api;
mod catalogue;
mod cli;
mod directory;
mod enrolment;
mod hostile;
mod mail;
mod organisations;
mod pages;
mod permissions;
mod storage;
