//! Dates as French people read them, and Paris time: one place for the
//! pages, the mails, the PDFs and the calendars.

use time::{Date, Month, OffsetDateTime, Time, UtcOffset, Weekday};

use crate::FieldErrors;

pub const MONTHS: [&str; 12] = [
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

/// « 24 novembre 2026 ».
pub fn date_fr(d: Date) -> String {
    format!("{} {} {}", d.day(), MONTHS[d.month() as usize - 1], d.year())
}

/// UTC to Europe/Paris: CET, CEST from the last Sunday of March 01:00 UTC to
/// the last Sunday of October 01:00 UTC (the European rule since 1996; the
/// same rule as the `VTIMEZONE` of the calendars).
pub fn paris(t: OffsetDateTime) -> OffsetDateTime {
    let t = t.to_offset(UtcOffset::UTC);
    let last_sunday = |month: Month| {
        let mut d = Date::from_calendar_date(t.year(), month, 31).expect("31 March and October exist");
        while d.weekday() != Weekday::Sunday {
            d = d.previous_day().expect("in range");
        }
        d.with_hms(1, 0, 0).expect("valid").assume_utc()
    };
    let summer = t >= last_sunday(Month::March) && t < last_sunday(Month::October);
    t.to_offset(UtcOffset::from_hms(if summer { 2 } else { 1 }, 0, 0).expect("valid offset"))
}

/// Today's date in Paris.
pub fn paris_today() -> Date {
    paris(maillage_db::now()).date()
}

/// A date typed in a form (`AAAA-MM-JJ`, what `<input type="date">`
/// sends): a French error on `field` when unreadable, or when empty and
/// `required`.
pub fn date_field(errors: &mut FieldErrors, field: &'static str, value: &str, required: bool) -> Option<Date> {
    let v = value.trim();
    if v.is_empty() {
        if required {
            errors.add(field, "Saisissez une date.");
        }
        return None;
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match Date::parse(v, &format) {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(field, "Saisissez une date valide (jj/mm/aaaa).");
            None
        }
    }
}

/// A stored local time `HH:MM` (half-days).
pub fn parse_hhmm(s: &str) -> Option<Time> {
    let (h, m) = s.trim().split_once(':')?;
    Time::from_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()
}

/// Hours between two `HH:MM` times (0 when unreadable or reversed).
pub fn hours_between(starts: &str, ends: &str) -> f64 {
    match (parse_hhmm(starts), parse_hhmm(ends)) {
        (Some(a), Some(b)) if b > a => (b - a).whole_minutes() as f64 / 60.0,
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn french_dates_and_paris_time() {
        assert_eq!(date_fr(date!(2027 - 03 - 02)), "2 mars 2027");
        assert_eq!(paris(datetime!(2026-01-15 12:00 UTC)).hour(), 13);
        assert_eq!(paris(datetime!(2026-07-15 12:00 UTC)).hour(), 14);
        // The change happens at 01:00 UTC on the last Sunday of March.
        assert_eq!(paris(datetime!(2026-03-29 00:59 UTC)).hour(), 1);
        assert_eq!(paris(datetime!(2026-03-29 01:00 UTC)).hour(), 3);
    }
}
