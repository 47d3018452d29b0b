//! HTML pages, one module per capability; each handler calls one operation
//! of `maillage-core` and renders one template.

pub mod account;
pub mod admin;
pub mod agenda;
pub mod attendance;
pub mod attestations;
pub mod auth;
pub mod catalogue;
pub mod directory;
pub mod evaluations;
pub mod home;
pub mod import;
pub mod info;
pub mod organisations;
pub mod paths;
pub mod sessions;
pub mod statistics;
pub mod trainers;

/// Dates as French users read them: « 25 mars 2026 ».
pub fn date_fr(d: impl std::borrow::Borrow<time::Date>) -> String {
    let d = *d.borrow();
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    format!("{} {} {}", d.day(), MONTHS[d.month() as usize - 1], d.year())
}

/// A point in time in Paris time: « 25 mars 2026 à 14 h 05 » (UTC+1/+2
/// approximated by the European summer-time rule).
pub fn datetime_fr(t: impl std::borrow::Borrow<time::OffsetDateTime>) -> String {
    let local = paris(*t.borrow());
    format!("{} à {} h {:02}", date_fr(local.date()), local.hour(), local.minute())
}

/// UTC to Europe/Paris: CET, CEST from the last Sunday of March 01:00 UTC to
/// the last Sunday of October 01:00 UTC.
pub fn paris(t: time::OffsetDateTime) -> time::OffsetDateTime {
    use time::{Month, UtcOffset, Weekday};
    let t = t.to_offset(UtcOffset::UTC);
    let last_sunday = |month: Month| {
        let mut d = time::Date::from_calendar_date(t.year(), month, 31).expect("31 March and October exist");
        while d.weekday() != Weekday::Sunday {
            d = d.previous_day().expect("in range");
        }
        d.with_hms(1, 0, 0).expect("valid").assume_utc()
    };
    let summer = t >= last_sunday(Month::March) && t < last_sunday(Month::October);
    t.to_offset(UtcOffset::from_hms(if summer { 2 } else { 1 }, 0, 0).expect("valid offset"))
}

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
