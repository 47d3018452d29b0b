//! Directory exports: a CSV table for spreadsheets and vCards for address
//! books. Pure writers: they build bytes or text, the caller sends them.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

/// Byte order mark: without it Excel reads UTF-8 as Windows-1252.
const BOM: &str = "\u{feff}";

/// A CSV table as Excel opens it in a French locale: UTF-8 with a byte order
/// mark, `;` between cells, CRLF at the end of every line (the last one
/// included).
///
/// A cell is put between double quotes, with its double quotes doubled, when
/// it contains a separator (`;` or `,`), a double quote or a line break. A
/// cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return, which a
/// spreadsheet would take for a formula (« CSV injection »), is prefixed with
/// a single quote `'`: `=SUM(A1)` is written `'=SUM(A1)`. This also applies
/// to phone numbers such as `+33 1 23 45 67 89`, which then show as text.
pub fn csv(headers: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut out = String::from(BOM);
    push_csv_line(&mut out, headers.iter().copied());
    for row in rows {
        push_csv_line(&mut out, row.iter().map(String::as_str));
    }
    out.into_bytes()
}

fn push_csv_line<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(';');
        }
        push_csv_cell(out, cell);
    }
    out.push_str("\r\n");
}

fn push_csv_cell(out: &mut String, cell: &str) {
    let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quoted = cell.contains([';', ',', '"', '\r', '\n']);
    if quoted {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    for c in cell.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quoted {
        out.push('"');
    }
}

/// What a vCard says about one person. Absent or blank fields are left out of
/// the card.
#[derive(Debug, Clone, Copy)]
pub struct Card<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub organisation: &'a str,
    pub direction: Option<&'a str>,
    pub service: Option<&'a str>,
    pub title: Option<&'a str>,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub note: Option<&'a str>,
    pub categories: &'a [String],
    /// Language tags (RFC 5646), such as `fr` or `en`.
    pub languages: &'a [String],
    /// A JPEG, embedded as a `data:` URI.
    pub photo_jpeg: Option<&'a [u8]>,
}

/// The vCard 4.0 (RFC 6350) of one person: CRLF line ends, text values
/// escaped (§3.4), lines folded at 75 octets (§3.2) without cutting a UTF-8
/// character.
///
/// The organisation, direction and service form one `ORG` property
/// (`ORG:Ville d'Alès;Direction des ressources humaines;Service formation`);
/// a missing level is skipped. `FN` falls back on the organisation when the
/// person has no name, since it is mandatory.
/// The language tag of a language as people name it in French (or of a
/// tag typed as such): « anglais » → `en`, « LSF » → `fsl`.
pub fn language_tag(name: &str) -> Option<&'static str> {
    const TAGS: &[(&str, &str)] = &[
        ("francais", "fr"),
        ("fr", "fr"),
        ("anglais", "en"),
        ("en", "en"),
        ("espagnol", "es"),
        ("es", "es"),
        ("allemand", "de"),
        ("de", "de"),
        ("italien", "it"),
        ("it", "it"),
        ("portugais", "pt"),
        ("neerlandais", "nl"),
        ("arabe", "ar"),
        ("chinois", "zh"),
        ("russe", "ru"),
        ("polonais", "pl"),
        ("roumain", "ro"),
        ("turc", "tr"),
        ("occitan", "oc"),
        ("breton", "br"),
        ("basque", "eu"),
        ("catalan", "ca"),
        ("corse", "co"),
        ("alsacien", "gsw"),
        ("lsf", "fsl"),
        ("langue des signes francaise", "fsl"),
    ];
    let folded = maillage_domain::text::fold(name);
    TAGS.iter().find(|(n, _)| *n == folded).map(|(_, t)| *t)
}

pub fn vcard(card: &Card<'_>) -> String {
    let mut out = String::new();
    push_line(&mut out, "BEGIN:VCARD");
    push_line(&mut out, "VERSION:4.0");

    let first = card.first_name.trim();
    let last = card.last_name.trim();
    let full_name = match (first.is_empty(), last.is_empty()) {
        (false, false) => format!("{first} {last}"),
        (false, true) => first.to_owned(),
        (true, false) => last.to_owned(),
        (true, true) => card.organisation.trim().to_owned(),
    };
    push_line(&mut out, &format!("FN:{}", escape(&full_name)));
    // N: family; given; additional; prefixes; suffixes.
    push_line(&mut out, &format!("N:{};{};;;", escape(last), escape(first)));

    let units: Vec<String> = [Some(card.organisation), card.direction, card.service]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|unit| !unit.is_empty())
        .map(escape)
        .collect();
    if !units.is_empty() {
        push_line(&mut out, &format!("ORG:{}", units.join(";")));
    }
    if let Some(title) = present(card.title) {
        push_line(&mut out, &format!("TITLE:{}", escape(title)));
    }
    if let Some(email) = present(card.email) {
        push_line(&mut out, &format!("EMAIL;TYPE=work:{}", escape(email)));
    }
    if let Some(phone) = present(card.phone) {
        push_line(&mut out, &format!("TEL;TYPE=work,voice:{}", escape(phone)));
    }
    if let Some(note) = present(card.note) {
        push_line(&mut out, &format!("NOTE:{}", escape(note)));
    }
    let categories: Vec<String> = card
        .categories
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .map(escape)
        .collect();
    if !categories.is_empty() {
        push_line(&mut out, &format!("CATEGORIES:{}", categories.join(",")));
    }
    // LANG takes a language tag (RFC 5646); people write language names.
    // Names without a known tag are left out rather than written wrong.
    for tag in card.languages.iter().filter_map(|l| language_tag(l)) {
        push_line(&mut out, &format!("LANG:{tag}"));
    }
    if let Some(jpeg) = card.photo_jpeg.filter(|jpeg| !jpeg.is_empty()) {
        push_line(
            &mut out,
            &format!("PHOTO:data:image/jpeg;base64,{}", BASE64.encode(jpeg)),
        );
    }

    push_line(&mut out, "END:VCARD");
    out
}

fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// Escapes a text value (RFC 6350 §3.4): backslash, comma and semicolon get a
/// backslash, a line break (CRLF, LF or CR) becomes `\n`. Other control
/// characters, which a text value may not hold, are dropped (a tab is kept).
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | ',' | ';' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Largest number of octets on a physical line, CRLF excluded (§3.2).
const FOLD_AT: usize = 75;

/// Appends a content line, folded: every physical line holds at most
/// [`FOLD_AT`] octets, continuation lines start with one space (which
/// counts), and no UTF-8 character is split.
fn push_line(out: &mut String, line: &str) {
    let mut rest = line;
    let mut room = FOLD_AT;
    loop {
        if rest.len() <= room {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = room;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        room = FOLD_AT - 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> &str {
        std::str::from_utf8(bytes).unwrap()
    }

    fn card<'a>() -> Card<'a> {
        Card {
            first_name: "Camille",
            last_name: "Martin",
            organisation: "Ville d'Alès",
            direction: None,
            service: None,
            title: None,
            email: None,
            phone: None,
            note: None,
            categories: &[],
            languages: &[],
            photo_jpeg: None,
        }
    }

    /// Undoes the folding (§3.2).
    fn unfold(card: &str) -> String {
        card.replace("\r\n ", "")
    }

    fn lines(card: &str) -> Vec<String> {
        let unfolded = unfold(card);
        assert!(unfolded.ends_with("\r\n"));
        unfolded
            .trim_end_matches("\r\n")
            .split("\r\n")
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn csv_has_bom_semicolons_and_crlf() {
        let out = csv(
            &["Nom", "Prénom"],
            [
                vec!["Martin".into(), "Camille".into()],
                vec!["Dupré".into(), "Zoé".into()],
            ],
        );
        assert!(out.starts_with(&[0xEF, 0xBB, 0xBF]));
        assert_eq!(text(&out[3..]), "Nom;Prénom\r\nMartin;Camille\r\nDupré;Zoé\r\n");
    }

    #[test]
    fn csv_with_no_rows_has_the_header_line() {
        assert_eq!(text(&csv(&["Nom"], Vec::<Vec<String>>::new())), "\u{feff}Nom\r\n");
    }

    #[test]
    fn csv_quotes_when_needed() {
        let out = csv(
            &["a", "b", "c", "d", "e", "f"],
            [vec![
                "Direction \"RH\"".into(),
                "Alès; Nîmes".into(),
                "ligne 1\nligne 2".into(),
                "x\r\ny".into(),
                "Martin, Camille".into(),
                String::new(),
            ]],
        );
        assert_eq!(
            text(&out).lines().nth(1).unwrap(),
            "\"Direction \"\"RH\"\"\";\"Alès; Nîmes\";\"ligne 1"
        );
        assert!(text(&out).ends_with(
            "\"Direction \"\"RH\"\"\";\"Alès; Nîmes\";\"ligne 1\nligne 2\";\"x\r\ny\";\"Martin, Camille\";\r\n"
        ));
    }

    #[test]
    fn csv_neutralises_formulas() {
        let row = |cell: &str| {
            let out = csv(&["x"], [vec![cell.to_owned()]]);
            text(&out)
                .trim_start_matches('\u{feff}')
                .split_once("\r\n")
                .unwrap()
                .1
                .to_owned()
        };
        assert_eq!(row("=SUM(A1)"), "'=SUM(A1)\r\n");
        assert_eq!(row("+33 1 23 45 67 89"), "'+33 1 23 45 67 89\r\n");
        assert_eq!(row("-2"), "'-2\r\n");
        assert_eq!(row("@x"), "'@x\r\n");
        assert_eq!(row("\tx"), "'\tx\r\n");
        assert_eq!(row("\r=1"), "\"'\r=1\"\r\n");
        assert_eq!(
            row("=HYPERLINK(\"http://x\";\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\"\r\n"
        );
        // Only the first character matters.
        assert_eq!(row("Jean-Pierre"), "Jean-Pierre\r\n");
        assert_eq!(row("a=b"), "a=b\r\n");
        // Headers are cells like the others.
        assert_eq!(text(&csv(&["=x"], Vec::<Vec<String>>::new())), "\u{feff}'=x\r\n");
    }

    #[test]
    fn csv_keeps_accents_in_utf8() {
        let out = csv(
            &["Région"],
            [vec!["Île-de-France, Provence-Alpes-Côte d'Azur — œuvre".into()]],
        );
        assert!(text(&out).contains("\"Île-de-France, Provence-Alpes-Côte d'Azur — œuvre\""));
        assert!(out.windows(2).any(|w| w == "Î".as_bytes()));
    }

    #[test]
    fn minimal_vcard_omits_absent_fields() {
        let out = vcard(&card());
        assert_eq!(
            out,
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Camille Martin\r\nN:Martin;Camille;;;\r\nORG:Ville d'Alès\r\nEND:VCARD\r\n"
        );
        for absent in ["TITLE", "EMAIL", "TEL", "NOTE", "CATEGORIES", "LANG", "PHOTO"] {
            assert!(!out.contains(absent));
        }
        // Blank is absent too.
        let blank = Card {
            title: Some("  "),
            email: Some(""),
            categories: &[String::new()],
            ..card()
        };
        assert_eq!(vcard(&blank), out);
    }

    #[test]
    fn full_vcard() {
        let categories = ["Catégorie A".to_owned(), "RH, formation".to_owned()];
        let languages = ["français".to_owned(), "Anglais".to_owned(), "klingon".to_owned()];
        let photo = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        let full = Card {
            direction: Some("Direction des ressources humaines"),
            service: Some("Service formation"),
            title: Some("Responsable formation"),
            email: Some("camille.martin@ville-ales.fr"),
            phone: Some("+33 4 66 56 10 00"),
            note: Some("Référente; réseau Occitanie"),
            categories: &categories,
            languages: &languages,
            photo_jpeg: Some(&photo),
            ..card()
        };
        let out = vcard(&full);
        assert!(out.ends_with("END:VCARD\r\n"));
        assert_eq!(
            lines(&out),
            [
                "BEGIN:VCARD",
                "VERSION:4.0",
                "FN:Camille Martin",
                "N:Martin;Camille;;;",
                "ORG:Ville d'Alès;Direction des ressources humaines;Service formation",
                "TITLE:Responsable formation",
                "EMAIL;TYPE=work:camille.martin@ville-ales.fr",
                "TEL;TYPE=work,voice:+33 4 66 56 10 00",
                "NOTE:Référente\\; réseau Occitanie",
                "CATEGORIES:Catégorie A,RH\\, formation",
                "LANG:fr",
                "LANG:en",
                "PHOTO:data:image/jpeg;base64,/9j/4AAQ",
                "END:VCARD",
            ]
        );
    }

    #[test]
    fn org_skips_a_missing_level() {
        let out = vcard(&Card {
            service: Some("Service paie"),
            ..card()
        });
        assert!(out.contains("\r\nORG:Ville d'Alès;Service paie\r\n"));
    }

    #[test]
    fn vcard_escapes_text() {
        let c = Card {
            first_name: "Anne;Marie",
            last_name: "O\\Brien, Jr",
            note: Some("ligne 1\nligne 2\r\nligne 3\rfin\u{7}"),
            ..card()
        };
        let lines = lines(&vcard(&c));
        assert!(
            lines.contains(&"FN:Anne\\;Marie O\\\\Brien\\, Jr".to_owned()),
            "{lines:?}"
        );
        assert!(lines.contains(&"N:O\\\\Brien\\, Jr;Anne\\;Marie;;;".to_owned()));
        assert!(lines.contains(&"NOTE:ligne 1\\nligne 2\\nligne 3\\nfin".to_owned()));
    }

    #[test]
    fn name_falls_back_on_organisation() {
        let out = vcard(&Card {
            first_name: "",
            last_name: " ",
            ..card()
        });
        assert!(out.contains("\r\nFN:Ville d'Alès\r\nN:;;;;\r\n"));
    }

    #[test]
    fn long_lines_are_folded_without_splitting_characters() {
        let note = "Élue référente « égalité » à la Métropole ; chargée de l'accueil des élèves-fonctionnaires, \
                    des stagiaires étrangers (ça, c'est nouveau) et du réseau des écoles d'Île-de-France. "
            .repeat(4);
        let jpeg: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
        let out = vcard(&Card {
            note: Some(&note),
            photo_jpeg: Some(&jpeg),
            ..card()
        });

        assert!(out.ends_with("\r\n"));
        let physical: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(physical.len() > 20);
        for line in &physical {
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
            assert!(!line.contains(['\r', '\n']));
        }
        // `out` is a String, so no character was cut; some lines are full.
        assert!(physical.iter().any(|l| l.len() == 75));
        assert!(physical.iter().filter(|l| l.starts_with(' ')).count() > 10);

        let unfolded = lines(&out);
        let expected_note = format!("NOTE:{}", escape(note.trim()));
        assert!(unfolded.contains(&expected_note));
        assert!(expected_note.contains("Métropole \\; chargée") && expected_note.contains("(ça\\, c'est"));
        let photo = unfolded
            .iter()
            .find_map(|l| l.strip_prefix("PHOTO:data:image/jpeg;base64,"))
            .unwrap();
        assert_eq!(BASE64.decode(photo).unwrap(), jpeg);
    }

    #[test]
    fn folding_at_multibyte_boundaries() {
        // Every split position relative to 2-, 3- and 4-byte characters.
        for prefix in 0..4 {
            for ch in ['é', '€', '😀'] {
                let value: String = "x".repeat(prefix) + &ch.to_string().repeat(100);
                let mut out = String::new();
                push_line(&mut out, &format!("NOTE:{value}"));
                let physical: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
                for (i, line) in physical.iter().enumerate() {
                    assert!(line.len() <= 75);
                    // Only a partial character is moved to the next line.
                    if i + 1 < physical.len() {
                        assert!(line.len() > 75 - ch.len_utf8(), "{line:?}");
                    }
                }
                assert_eq!(unfold(&out), format!("NOTE:{value}\r\n"));
            }
        }
    }
}
