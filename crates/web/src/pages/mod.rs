//! HTML pages, one module per capability; each handler calls one operation
//! of `maillage-core` and renders one template.

pub mod account;
pub mod admin;
pub mod agenda;
pub mod attendance;
pub mod attestations;
pub mod auth;
pub mod catalogue;
pub mod cycles;
pub mod directory;
pub mod evaluations;
pub mod home;
pub mod import;
pub mod info;
pub mod organisations;
pub mod paths;
pub mod project_life;
pub mod projects;
pub mod promotions;
pub mod sessions;
pub mod statistics;
pub mod trainers;

/// Dates as French users read them: « 25 mars 2026 » (the one rule is
/// `maillage_core::dates`; this takes references too, for templates).
pub fn date_fr(d: impl std::borrow::Borrow<time::Date>) -> String {
    maillage_core::dates::date_fr(*d.borrow())
}

/// A point in time in Paris time: « 25 mars 2026 à 14 h 05 » (UTC+1/+2
/// approximated by the European summer-time rule).
pub fn datetime_fr(t: impl std::borrow::Borrow<time::OffsetDateTime>) -> String {
    let local = paris(*t.borrow());
    format!("{} à {} h {:02}", date_fr(local.date()), local.hour(), local.minute())
}

pub use maillage_core::dates::paris;

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn paris_time() {
        assert_eq!(datetime_fr(datetime!(2026-03-25 13:05 UTC)), "25 mars 2026 à 14 h 05");
        assert_eq!(
            datetime_fr(datetime!(2026-07-14 08:00 UTC)),
            "14 juillet 2026 à 10 h 00"
        );
    }
}
