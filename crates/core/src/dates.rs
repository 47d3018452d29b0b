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

/// The years the platform deals in. Outside them a date is a typing
/// mistake, and PostgreSQL would refuse some of them (before 4713 BC)
/// where SQLite stores anything: one bound for forms, filters and the API.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// A year typed in a filter: `None` when unreadable or outside [`YEARS`]
/// (the filter is then not applied).
pub fn filter_year(s: &str) -> Option<i32> {
    s.trim().parse().ok().filter(|y| YEARS.contains(y))
}

/// A day as `<input type="date">` sends it (`AAAA-MM-JJ`), or as French
/// people type it (`JJ/MM/AAAA`); `None` when unreadable or outside
/// [`YEARS`].
pub fn parse_day(s: &str) -> Option<Date> {
    let s = s.trim();
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    let fr = time::macros::format_description!("[day]/[month]/[year]");
    Date::parse(s, &iso)
        .or_else(|_| Date::parse(s, &fr))
        .ok()
        .filter(|d| YEARS.contains(&d.year()))
}

/// A date typed in a form (`AAAA-MM-JJ`, what `<input type="date">`
/// sends): a French error on `field` when unreadable, outside [`YEARS`],
/// or when empty and `required`.
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
        Ok(d) if YEARS.contains(&d.year()) => Some(d),
        Ok(_) => {
            errors.add(
                field,
                format!("Saisissez une date entre {} et {}.", YEARS.start(), YEARS.end()),
            );
            None
        }
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

    #[test]
    fn days_and_years_outside_the_platforms_are_refused() {
        assert_eq!(parse_day("2026-03-25"), Some(date!(2026 - 03 - 25)));
        assert_eq!(parse_day(" 25/03/2026 "), Some(date!(2026 - 03 - 25)));
        for bad in ["-8690-01-01", "0001-01-01", "2999-01-01", "2026-02-30", "demain", ""] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
        assert_eq!(filter_year(" 2026 "), Some(2026));
        for bad in ["-8690", "1899", "2201", "deux mille", ""] {
            assert_eq!(filter_year(bad), None, "{bad}");
        }
        let mut errors = FieldErrors::new();
        assert_eq!(
            date_field(&mut errors, "d", "2026-03-25", true),
            Some(date!(2026 - 03 - 25))
        );
        assert!(errors.is_empty());
        assert_eq!(date_field(&mut errors, "d", "-0044-03-15", true), None);
        assert_eq!(date_field(&mut errors, "e", "2026-13-01", true), None);
        assert_eq!(date_field(&mut errors, "f", "", true), None);
        assert_eq!(date_field(&mut errors, "g", "", false), None);
        assert_eq!(errors.get("d"), Some("Saisissez une date entre 1900 et 2200."));
        assert_eq!(errors.get("e"), Some("Saisissez une date valide (jj/mm/aaaa)."));
        assert_eq!(errors.get("f"), Some("Saisissez une date."));
        assert_eq!(errors.get("g"), None);
    }
}
