//! A small iCalendar writer (RFC 5545), enough for published calendars of
//! sessions: CRLF line ends, lines folded at 75 octets without splitting a
//! UTF-8 character, TEXT values escaped, one `VTIMEZONE` for Europe/Paris
//! so that local times stay right across summer time in every client.
//! Written by hand: it is short, and exact about what it produces.

use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

pub const TZID: &str = "Europe/Paris";

/// Europe/Paris since 1996: CET, CEST from the last Sunday of March 02:00 to
/// the last Sunday of October 03:00 (local time).
const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Paris",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19810329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19961027T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// When an event starts or ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// A local time in Europe/Paris.
    Local(PrimitiveDateTime),
    /// A whole day (`VALUE=DATE`); an end day is exclusive.
    Day(Date),
}

#[derive(Debug, Clone)]
pub struct Event {
    /// Stable across versions of the calendar, so clients update the event.
    pub uid: String,
    pub start: When,
    pub end: When,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub url: Option<String>,
    pub cancelled: bool,
    /// Grows with each change of the event.
    pub sequence: i64,
    pub last_modified: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct Calendar {
    /// Shown by clients as the calendar's name (`X-WR-CALNAME`).
    pub name: String,
    /// When this file was produced (`DTSTAMP` of every event).
    pub stamp: OffsetDateTime,
    pub events: Vec<Event>,
}

impl Calendar {
    /// The `text/calendar` document.
    pub fn to_ics(&self) -> String {
        let mut out = String::new();
        let mut line = |s: &str| out.push_str(&fold(s));
        line("BEGIN:VCALENDAR");
        line("VERSION:2.0");
        line("PRODID:-//Maillage//Agenda des sessions//FR");
        line("CALSCALE:GREGORIAN");
        line("METHOD:PUBLISH");
        line(&format!("X-WR-CALNAME:{}", text(&self.name)));
        line(&format!("X-WR-TIMEZONE:{TZID}"));
        for l in VTIMEZONE {
            line(l);
        }
        for e in &self.events {
            line("BEGIN:VEVENT");
            line(&format!("UID:{}", text(&e.uid)));
            line(&format!("DTSTAMP:{}", utc(self.stamp)));
            line(&format!("DTSTART{}", when(e.start)));
            line(&format!("DTEND{}", when(e.end)));
            line(&format!("SUMMARY:{}", text(&e.summary)));
            if !e.location.is_empty() {
                line(&format!("LOCATION:{}", text(&e.location)));
            }
            if !e.description.is_empty() {
                line(&format!("DESCRIPTION:{}", text(&e.description)));
            }
            if let Some(u) = &e.url {
                // A URI is not TEXT: no escaping, but never a line break.
                line(&format!("URL:{}", u.replace(['\r', '\n'], "")));
            }
            line(&format!(
                "STATUS:{}",
                if e.cancelled { "CANCELLED" } else { "CONFIRMED" }
            ));
            line(&format!("SEQUENCE:{}", e.sequence.clamp(0, i64::from(i32::MAX))));
            line(&format!("LAST-MODIFIED:{}", utc(e.last_modified)));
            line("TRANSP:OPAQUE");
            line("END:VEVENT");
        }
        line("END:VCALENDAR");
        out
    }
}

/// `;TZID=Europe/Paris:20261124T090000` or `;VALUE=DATE:20261124`.
fn when(w: When) -> String {
    match w {
        When::Local(t) => format!(
            ";TZID={TZID}:{:04}{:02}{:02}T{:02}{:02}{:02}",
            t.year(),
            t.month() as u8,
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        When::Day(d) => format!(";VALUE=DATE:{}", day(d)),
    }
}

fn day(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month() as u8, d.day())
}

/// A UTC time: `20261124T081500Z`.
fn utc(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!("{}T{:02}{:02}{:02}Z", day(t.date()), t.hour(), t.minute(), t.second())
}

/// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped,
/// line breaks as `\n`.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            // Other control characters are not allowed in TEXT.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded (§3.1): at most 75 octets per physical line,
/// continuation lines starting with a space, never inside a UTF-8
/// character; ends with CRLF.
pub fn fold(line: &str) -> String {
    const MAX: usize = 75;
    let mut out = String::with_capacity(line.len() + line.len() / MAX * 3 + 2);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > MAX {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

/// The reverse of [`fold`] and [`text`], for tests: logical lines.
#[cfg(test)]
pub fn unfold(ics: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for physical in ics.split("\r\n") {
        if let Some(rest) = physical.strip_prefix(' ') {
            lines.last_mut().expect("a continuation follows a line").push_str(rest);
        } else if !physical.is_empty() {
            lines.push(physical.to_owned());
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            text("Lundi; salle 2, bât. A\\B\nétage"),
            "Lundi\\; salle 2\\, bât. A\\\\B\\nétage"
        );
        assert_eq!(text("a\r\nb\rc"), "a\\nb\\nc");
        assert_eq!(text("tab\there"), "tabhere");
    }

    #[test]
    fn folding_keeps_75_octets_and_whole_characters() {
        assert_eq!(fold("SHORT:x"), "SHORT:x\r\n");
        let long = format!("SUMMARY:{}", "é".repeat(100));
        let folded = fold(&long);
        for l in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets : {l}", l.len());
            // Each physical line is valid UTF-8 on its own (a &str slice).
            assert!(std::str::from_utf8(l.as_bytes()).is_ok());
        }
        assert!(
            folded
                .split("\r\n")
                .skip(1)
                .filter(|l| !l.is_empty())
                .all(|l| l.starts_with(' '))
        );
        assert_eq!(unfold(&folded), vec![long.clone()]);
        // Exactly 75 octets: no fold; 76: one.
        let exact = "X".repeat(75);
        assert_eq!(fold(&exact), format!("{exact}\r\n"));
        assert_eq!(fold(&"X".repeat(76)), format!("{exact}\r\n X\r\n"));
        // A 4-octet character at the boundary moves whole to the next line.
        let emoji = format!("{}🙂", "X".repeat(73));
        assert_eq!(fold(&emoji), format!("{}\r\n 🙂\r\n", "X".repeat(73)));
    }

    #[test]
    fn a_calendar_reads_back() {
        let cal = Calendar {
            name: "Mes sessions".into(),
            stamp: datetime!(2026-11-22 04:30:15 UTC),
            events: vec![
                Event {
                    uid: "0192@maillage.example".into(),
                    start: When::Local(datetime!(2026-11-24 09:00)),
                    end: When::Local(datetime!(2026-11-24 12:30)),
                    summary: "Manager; coopérer, décider".into(),
                    location: "Salle du conseil, Alès".into(),
                    description: "École d'Alès\nhttps://maillage.example/sessions/1".into(),
                    url: Some("https://maillage.example/sessions/1".into()),
                    cancelled: false,
                    sequence: 3,
                    last_modified: datetime!(2026-11-20 10:00 +1),
                },
                Event {
                    uid: "0193@maillage.example".into(),
                    start: When::Day(date!(2026 - 12 - 01)),
                    end: When::Day(date!(2026 - 12 - 03)),
                    summary: "Séminaire".into(),
                    location: String::new(),
                    description: String::new(),
                    url: None,
                    cancelled: true,
                    sequence: 0,
                    last_modified: datetime!(2026-11-20 10:00 UTC),
                },
            ],
        };
        let ics = cal.to_ics();
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'), "LF sans CR");
        assert!(ics.split("\r\n").all(|l| l.len() <= 75));
        let lines = unfold(&ics);
        let expected = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Maillage//Agenda des sessions//FR",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:Mes sessions",
            "X-WR-TIMEZONE:Europe/Paris",
        ]
        .into_iter()
        .chain(VTIMEZONE.iter().copied())
        .chain([
            "BEGIN:VEVENT",
            "UID:0192@maillage.example",
            "DTSTAMP:20261122T043015Z",
            "DTSTART;TZID=Europe/Paris:20261124T090000",
            "DTEND;TZID=Europe/Paris:20261124T123000",
            "SUMMARY:Manager\\; coopérer\\, décider",
            "LOCATION:Salle du conseil\\, Alès",
            "DESCRIPTION:École d'Alès\\nhttps://maillage.example/sessions/1",
            "URL:https://maillage.example/sessions/1",
            "STATUS:CONFIRMED",
            "SEQUENCE:3",
            "LAST-MODIFIED:20261120T090000Z",
            "TRANSP:OPAQUE",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:0193@maillage.example",
            "DTSTAMP:20261122T043015Z",
            "DTSTART;VALUE=DATE:20261201",
            "DTEND;VALUE=DATE:20261203",
            "SUMMARY:Séminaire",
            "STATUS:CANCELLED",
            "SEQUENCE:0",
            "LAST-MODIFIED:20261120T100000Z",
            "TRANSP:OPAQUE",
            "END:VEVENT",
            "END:VCALENDAR",
        ]);
        assert_eq!(lines, expected.map(String::from).collect::<Vec<_>>());
    }
}
