//! Reading an « agents » list exported by an HR software (SIRH) for import
//! into the directory: pure parsing and validation, no database, no I/O.
//!
//! Two steps, so that the page can offer a column-mapping step in between:
//!
//! 1. [`parse`] turns the uploaded bytes into a header and raw rows. It finds
//!    the encoding (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252,
//!    ISO-8859-15) and the separator (`;`, `,` or tab), and refuses whatever
//!    is not a CSV file (a spreadsheet, a PDF, an image, ragged lines, an
//!    unclosed quote, absurd sizes) with one French sentence telling what to
//!    fix and where.
//! 2. [`validate`] reads the rows through a column → [`Field`] mapping
//!    ([`suggest_mapping`] proposes one from the French titles) and returns
//!    the valid agents and every line's problems.
//!
//! Everything is linear in the size of the file.

use std::collections::HashMap;
use std::fmt;

use encoding_rs::{Encoding, ISO_8859_15, UTF_16BE, UTF_16LE, WINDOWS_1252};
use maillage_domain::category::Category;
use maillage_domain::email::{Email, EmailError};
use maillage_domain::phone::Phone;
use maillage_domain::text::{fold, fold_words};

/// Most agents one file may hold.
pub const MAX_ROWS: usize = 50_000;
/// Largest cell [`parse`] accepts, in bytes (UTF-8).
pub const MAX_CELL_BYTES: usize = 10_000;
/// Longest value [`validate`] imports, in characters.
pub const MAX_VALUE_CHARS: usize = 300;

/// A directory field a column can feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Field {
    LastName,
    FirstName,
    Function,
    Email,
    Phone,
    Category,
    Direction,
    Service,
    Cadre,
    Languages,
}

impl Field {
    pub const ALL: [Field; 10] = [
        Field::LastName,
        Field::FirstName,
        Field::Function,
        Field::Email,
        Field::Phone,
        Field::Category,
        Field::Direction,
        Field::Service,
        Field::Cadre,
        Field::Languages,
    ];

    /// Stable key for forms and the API.
    pub fn key(self) -> &'static str {
        match self {
            Field::LastName => "nom",
            Field::FirstName => "prenom",
            Field::Function => "fonction",
            Field::Email => "courriel",
            Field::Phone => "telephone",
            Field::Category => "categorie",
            Field::Direction => "direction",
            Field::Service => "service",
            Field::Cadre => "cadre",
            Field::Languages => "langues",
        }
    }

    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }

    /// French label, as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Field::LastName => "Nom",
            Field::FirstName => "Prénom",
            Field::Function => "Fonction",
            Field::Email => "Courriel",
            Field::Phone => "Téléphone",
            Field::Category => "Catégorie",
            Field::Direction => "Direction",
            Field::Service => "Service",
            Field::Cadre => "Cadre d'emplois",
            Field::Languages => "Langues",
        }
    }

    /// Whether every file must have a column for this field.
    pub fn mandatory(self) -> bool {
        matches!(self, Field::LastName | Field::FirstName | Field::Email)
    }
}

/// The file as read: header and rows, not yet interpreted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedFile {
    /// French-friendly name of the detected encoding: « UTF-8 », « UTF-8 avec
    /// BOM », « UTF-16 », « Windows-1252 », « ISO-8859-15 ».
    pub encoding: &'static str,
    pub delimiter: char,
    /// Column titles, trimmed; empty trailing columns are dropped.
    pub headers: Vec<String>,
    /// Non-empty rows, each with exactly `headers.len()` trimmed cells.
    pub rows: Vec<RawRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    /// 1-based physical line of the file where the record starts.
    pub line: usize,
    pub cells: Vec<String>,
}

/// A problem that stops the whole file. `message` is a French sentence
/// without the location; [`Display`](fmt::Display) prefixes « Ligne N,
/// colonne « X » : » when they are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub line: Option<usize>,
    pub column: Option<String>,
    pub message: String,
}

impl FileError {
    fn new(message: impl Into<String>) -> Self {
        FileError {
            line: None,
            column: None,
            message: message.into(),
        }
    }

    fn at(line: usize, column: Option<String>, message: impl Into<String>) -> Self {
        FileError {
            line: Some(line),
            column,
            message: message.into(),
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_located(f, self.line, self.column.as_deref(), &self.message)
    }
}

impl std::error::Error for FileError {}

/// A valid agent read from one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentRow {
    pub line: usize,
    pub last_name: String,
    pub first_name: String,
    pub function: String,
    pub email: Email,
    pub phone: Option<Phone>,
    pub category: Option<Category>,
    pub direction: String,
    pub service: String,
    pub cadre: String,
    pub languages: String,
}

/// A problem on one line (and usually one cell); the line is not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    pub line: usize,
    /// The column title, as written in the file.
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_located(f, Some(self.line), self.column.as_deref(), &self.message)
    }
}

/// « Ligne 7, colonne « Courriel » : adresse… », the message's first letter
/// lowered after the colon as French typography wants.
fn write_located(f: &mut fmt::Formatter<'_>, line: Option<usize>, column: Option<&str>, message: &str) -> fmt::Result {
    match (line, column) {
        (None, None) => return f.write_str(message),
        (Some(n), Some(c)) => write!(f, "Ligne {n}, colonne « {c} » : ")?,
        (Some(n), None) => write!(f, "Ligne {n} : ")?,
        (None, Some(c)) => write!(f, "Colonne « {c} » : ")?,
    }
    let mut chars = message.chars();
    match (chars.next(), chars.next()) {
        // Lower « Guillemet » but not « UTF-16 ».
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            write!(f, "{}{}", first.to_lowercase(), &message[first.len_utf8()..])
        }
        _ => f.write_str(message),
    }
}

// ---------------------------------------------------------------------------
// Step 1: bytes → rows

/// Reads the uploaded bytes as a CSV file: encoding, separator, header, rows.
/// Entirely empty lines are skipped; a file with a header and no row is `Ok`
/// with no rows.
pub fn parse(bytes: &[u8]) -> Result<ParsedFile, FileError> {
    let (mut text, encoding) = decode(bytes)?;
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(FileError::new("Le fichier est vide."));
    }
    reject_markup(&text)?;
    // Old Mac files end lines with CR alone; the CSV reader splits them, but
    // counts lines by LF: make line numbers right.
    if !text.contains('\n') && text.contains('\r') {
        text = text.replace('\r', "\n");
    }

    let directive = sep_directive(&text);
    let delimiter = match directive {
        Some(d) => d,
        None => detect_delimiter(&text),
    };
    let unclosed = unclosed_quote(&text, delimiter as u8);

    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter as u8)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = LineCounter {
        bytes: text.as_bytes(),
        pos: 0,
        line: 1,
    };
    let mut record = csv::StringRecord::new();
    let mut skip_directive = directive.is_some();
    let mut headers: Option<Vec<String>> = None;
    let mut rows: Vec<RawRow> = Vec::new();

    loop {
        let more = reader.read_record(&mut record).map_err(|_| {
            FileError::new(
                "Le fichier n'a pas pu être lu : enregistrez-le de nouveau au format CSV (séparateur point-virgule).",
            )
        })?;
        if !more {
            break;
        }
        let start = record.position().map_or(0, |p| p.byte()) as usize;
        let line = lines.record_start(start);
        if std::mem::take(&mut skip_directive) {
            continue;
        }
        let at_end = reader.position().byte() as usize >= text.len();

        let Some(headers) = headers.as_ref() else {
            if let Some((open_line, _)) = unclosed.filter(|_| at_end) {
                return Err(FileError::at(
                    open_line,
                    None,
                    unclosed_message("dans la ligne des titres"),
                ));
            }
            headers = Some(read_headers(&record, line)?);
            continue;
        };

        if let Some((open_line, field)) = unclosed.filter(|&(open_line, _)| at_end && open_line >= line) {
            return Err(FileError::at(
                open_line,
                column_name(headers, field),
                unclosed_message(""),
            ));
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(FileError::new(format!(
                "Le fichier compte plus de {} lignes d'agents : découpez-le en plusieurs fichiers.",
                maillage_domain::text::thousands(MAX_ROWS as i64)
            )));
        }
        let width = headers.len();
        if let Some(i) = swallowed_lines(&record, width, delimiter) {
            return Err(FileError::at(line, column_name(headers, i), unclosed_message("")));
        }
        if record.len() != width {
            let extra_blank = record.len() > width && record.iter().skip(width).all(|c| c.trim().is_empty());
            if !extra_blank {
                return Err(ragged(&record, line, headers, delimiter));
            }
        }
        let mut cells = Vec::with_capacity(width);
        for (i, cell) in record.iter().take(width).enumerate() {
            if cell.len() > MAX_CELL_BYTES {
                return Err(too_long_cell(line, column_name(headers, i)));
            }
            cells.push(cell.trim().to_owned());
        }
        rows.push(RawRow { line, cells });
    }

    if let Some((open_line, field)) = unclosed {
        // Not reached in practice: the record holding the quote is the last.
        let column = headers.as_deref().and_then(|h| column_name(h, field));
        return Err(FileError::at(open_line, column, unclosed_message("")));
    }
    let Some(headers) = headers else {
        return Err(FileError::new(
            "Le fichier ne contient pas de ligne de titres : la première ligne doit nommer les colonnes (Nom ; Prénom ; Courriel…).",
        ));
    };
    Ok(ParsedFile {
        encoding,
        delimiter,
        headers,
        rows,
    })
}

/// Tracks physical line numbers as the reader moves forward (linear overall).
struct LineCounter<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
}

impl LineCounter<'_> {
    /// The line of the record whose reading began at byte `start`: the reader
    /// may still stand on the previous line's end or on blank lines, which it
    /// skips.
    fn record_start(&mut self, start: usize) -> usize {
        let start = start.clamp(self.pos, self.bytes.len());
        self.line += self.bytes[self.pos..start].iter().filter(|&&b| b == b'\n').count();
        self.pos = start;
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'\n' => self.line += 1,
                b'\r' => {}
                _ => break,
            }
            self.pos += 1;
        }
        self.line
    }
}

fn read_headers(record: &csv::StringRecord, line: usize) -> Result<Vec<String>, FileError> {
    let mut headers = Vec::with_capacity(record.len());
    for (i, cell) in record.iter().enumerate() {
        if cell.len() > MAX_CELL_BYTES {
            return Err(too_long_cell(line, Some(format!("n° {}", i + 1))));
        }
        headers.push(
            cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                .to_owned(),
        );
    }
    // Spreadsheets often leave a separator at the end of every line.
    while headers.last().is_some_and(String::is_empty) {
        headers.pop();
    }
    if headers.is_empty() {
        return Err(FileError::at(
            line,
            None,
            "La ligne des titres est vide : la première ligne doit nommer les colonnes (Nom ; Prénom ; Courriel…).",
        ));
    }
    if let Some(i) = headers.iter().position(String::is_empty) {
        return Err(FileError::at(
            line,
            None,
            format!(
                "La colonne n° {} n'a pas de titre : donnez-lui un titre (par exemple « Service ») ou supprimez-la.",
                i + 1
            ),
        ));
    }
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(headers.len());
    for (i, h) in headers.iter().enumerate() {
        let key = match fold(h) {
            k if k.is_empty() => h.clone(),
            k => k,
        };
        if let Some(first) = seen.insert(key, i) {
            return Err(FileError::at(
                line,
                Some(h.clone()),
                format!(
                    "Deux colonnes portent le titre « {h} » (colonnes n° {} et {}) : renommez ou supprimez l'une d'elles.",
                    first + 1,
                    i + 1
                ),
            ));
        }
    }
    Ok(headers)
}

fn column_name(headers: &[String], index: usize) -> Option<String> {
    Some(match headers.get(index) {
        Some(h) => h.clone(),
        None => format!("n° {}", index + 1),
    })
}

fn unclosed_message(place: &str) -> String {
    let place = if place.is_empty() {
        String::new()
    } else {
        format!(" {place}")
    };
    format!(
        "Guillemet non fermé à partir de cette ligne{place} : une cellule commence par un guillemet (\") qui n'est jamais refermé, \
         si bien qu'elle avale la suite du fichier. Ajoutez le guillemet fermant ou retirez le guillemet ouvrant."
    )
}

fn too_long_cell(line: usize, column: Option<String>) -> FileError {
    FileError::at(
        line,
        column,
        format!(
            "La cellule est beaucoup trop longue (plus de {} octets) : vérifiez son contenu et ses guillemets.",
            maillage_domain::text::thousands(MAX_CELL_BYTES as i64)
        ),
    )
}

/// The cell (if any) that holds whole lines of the file: a line break
/// followed by text with as many separators as a line has. That is a quote
/// opened and closed lines later, not a multi-line cell.
fn swallowed_lines(record: &csv::StringRecord, width: usize, delimiter: char) -> Option<usize> {
    let threshold = width.saturating_sub(1).max(2);
    record
        .iter()
        .position(|cell| cell.contains('\n') && cell.split('\n').any(|l| l.matches(delimiter).count() >= threshold))
}

fn ragged(record: &csv::StringRecord, line: usize, headers: &[String], delimiter: char) -> FileError {
    // A cell holding a line break in a line of the wrong width: a quote
    // opened and closed lines later, swallowing the line ends in between.
    if let Some(i) = record.iter().position(|c| c.contains(['\n', '\r'])) {
        return FileError::at(line, column_name(headers, i), unclosed_message(""));
    }
    let separator = match delimiter {
        '\t' => "tabulations".to_owned(),
        d => format!("séparateurs ({d})"),
    };
    let cells = |n: usize| {
        if n > 1 {
            format!("{n} cellules")
        } else {
            format!("{n} cellule")
        }
    };
    let mut message = format!(
        "{} au lieu de {}. Vérifiez les {separator} et les guillemets de cette ligne.",
        cells(record.len()),
        headers.len()
    );
    if headers.len() == 1 {
        message.push_str(
            " La première ligne du fichier doit être celle des titres des colonnes : retirez les lignes placées au-dessus.",
        );
    }
    FileError::at(line, None, message)
}

/// Decodes the bytes, refusing what is obviously not a text file.
fn decode(bytes: &[u8]) -> Result<(String, &'static str), FileError> {
    if bytes.is_empty() {
        return Err(FileError::new("Le fichier est vide."));
    }
    reject_binary_formats(bytes)?;
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        reject_nul(rest)?;
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((s.to_owned(), "UTF-8 avec BOM")),
            Err(e) => {
                let line = 1 + rest[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count();
                Err(FileError::at(
                    line,
                    None,
                    "Le fichier se déclare en UTF-8 mais contient des caractères d'un autre encodage : \
                     ré-enregistrez-le au format « CSV UTF-8 ».",
                ))
            }
        };
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_utf16(rest, UTF_16LE);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_utf16(rest, UTF_16BE);
    }
    reject_nul(bytes)?;
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_owned(), "UTF-8"));
    }
    // 8-bit: C1 bytes are printable only in Windows-1252; otherwise the
    // bytes that are letters in ISO-8859-15 (€ Š š Ž ž Œ œ Ÿ) but symbols in
    // Windows-1252 tell the former.
    let encoding: &'static Encoding = if bytes.iter().any(|b| (0x80..=0x9F).contains(b)) {
        WINDOWS_1252
    } else if bytes
        .iter()
        .any(|b| matches!(b, 0xA4 | 0xA6 | 0xA8 | 0xB4 | 0xB8 | 0xBC | 0xBD | 0xBE))
    {
        ISO_8859_15
    } else {
        WINDOWS_1252
    };
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let name = if encoding == ISO_8859_15 {
        "ISO-8859-15"
    } else {
        "Windows-1252"
    };
    Ok((text.into_owned(), name))
}

fn decode_utf16(bytes: &[u8], encoding: &'static Encoding) -> Result<(String, &'static str), FileError> {
    if bytes.len() % 2 == 1 {
        return Err(FileError::new(
            "Le fichier en UTF-16 (« texte Unicode ») est tronqué : il lui manque un octet à la fin. \
             Enregistrez-le de nouveau, de préférence au format « CSV UTF-8 ».",
        ));
    }
    let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(bytes) else {
        return Err(FileError::new(
            "Le fichier en UTF-16 (« texte Unicode ») contient des caractères invalides : \
             enregistrez-le de nouveau, de préférence au format « CSV UTF-8 ».",
        ));
    };
    if text.contains('\0') {
        return Err(binary_error());
    }
    Ok((text.into_owned(), "UTF-16"))
}

fn binary_error() -> FileError {
    FileError::new(
        "Ce fichier n'est pas un fichier texte CSV (il contient des données binaires) : \
         exportez la liste depuis votre logiciel RH, ou enregistrez-la depuis votre tableur, au format CSV (séparateur point-virgule).",
    )
}

fn reject_nul(bytes: &[u8]) -> Result<(), FileError> {
    if bytes.contains(&0) {
        Err(binary_error())
    } else {
        Ok(())
    }
}

fn reject_binary_formats(bytes: &[u8]) -> Result<(), FileError> {
    const SPREADSHEET: &str = "C'est un classeur (Excel ou LibreOffice), pas un fichier CSV : \
        ouvrez-le et enregistrez-le au format CSV (séparateur point-virgule).";
    const PDF: &str = "C'est un document PDF, pas un fichier CSV : exportez la liste depuis votre logiciel RH \
        au format CSV (séparateur point-virgule).";
    const IMAGE: &str = "C'est une image, pas un fichier CSV : exportez la liste depuis votre logiciel RH \
        au format CSV (séparateur point-virgule).";
    let message = if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        // .xlsx, .ods (ZIP containers)
        SPREADSHEET
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        // .xls (OLE compound file)
        SPREADSHEET
    } else if bytes.starts_with(b"%PDF") {
        PDF
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n")
        || bytes.starts_with(b"\xFF\xD8\xFF")
        || bytes.starts_with(b"GIF87a")
        || bytes.starts_with(b"GIF89a")
        || (bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP"))
        || bytes.starts_with(b"II*\0")
        || bytes.starts_with(b"MM\0*")
    {
        IMAGE
    } else {
        return Ok(());
    };
    Err(FileError::new(message))
}

/// Some HR software exports « .xls » files that are really web pages or
/// Excel 2003 XML.
fn reject_markup(text: &str) -> Result<(), FileError> {
    let start: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(16)
        .collect();
    let start = start.to_ascii_lowercase();
    if ["<!doctype", "<html", "<?xml", "<table"]
        .iter()
        .any(|m| start.starts_with(m))
    {
        return Err(FileError::new(
            "C'est une page web ou un fichier XML, pas un fichier CSV : ouvrez-le dans votre tableur \
             et enregistrez-le au format CSV (séparateur point-virgule).",
        ));
    }
    Ok(())
}

/// Excel's `sep=;` first line, which names the separator.
fn sep_directive(text: &str) -> Option<char> {
    let first = text.split('\n').next()?.trim_end_matches('\r');
    let first = first.strip_prefix('\u{feff}').unwrap_or(first);
    let rest = first.get(..4).filter(|p| p.eq_ignore_ascii_case("sep="))?;
    let mut chars = first[rest.len()..].chars();
    match (chars.next(), chars.next()) {
        (Some(c @ (';' | ',' | '\t' | '|')), None) => Some(c),
        _ => None,
    }
}

/// The separator used most often, outside quotes, on the header line (the
/// first non-blank one); `;` wins ties, and files with one column.
fn detect_delimiter(text: &str) -> char {
    let start = text.trim_start_matches(|c: char| c == '\u{feff}' || c.is_whitespace() && c != '\t');
    let (mut semicolons, mut tabs, mut commas) = (0usize, 0usize, 0usize);
    let mut in_quotes = false;
    for b in start.bytes() {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' | b'\r' if !in_quotes => break,
            b';' if !in_quotes => semicolons += 1,
            b'\t' if !in_quotes => tabs += 1,
            b',' if !in_quotes => commas += 1,
            _ => {}
        }
    }
    if semicolons >= tabs && semicolons >= commas {
        ';'
    } else if tabs >= commas {
        '\t'
    } else {
        ','
    }
}

/// Where a quoted cell opens that is still open at the end of the file:
/// (line, index of the cell in its record). Follows the CSV reader's rules:
/// a quote opens a quoted cell only at the start of a cell; `""` inside is a
/// literal quote.
fn unclosed_quote(text: &str, delimiter: u8) -> Option<(usize, usize)> {
    #[derive(Clone, Copy)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    let (mut line, mut field) = (1usize, 0usize);
    let mut opened = (1usize, 0usize);
    for b in text.bytes() {
        let terminator = b == b'\n' || b == b'\r';
        state = match state {
            State::Quoted if b == b'"' => State::QuoteInQuoted,
            State::Quoted => State::Quoted,
            State::QuoteInQuoted if b == b'"' => State::Quoted,
            State::FieldStart if b == b'"' => {
                opened = (line, field);
                State::Quoted
            }
            _ if b == delimiter => {
                field += 1;
                State::FieldStart
            }
            _ if terminator => {
                field = 0;
                State::FieldStart
            }
            _ => State::Unquoted,
        };
        if b == b'\n' {
            line += 1;
        }
    }
    matches!(state, State::Quoted).then_some(opened)
}

// ---------------------------------------------------------------------------
// Column mapping

/// Column titles each field is recognised by, compared after folding (case,
/// accents, punctuation and spaces ignored), best first: when several columns
/// fit one field, the best title wins and the others stay unmapped.
const ALIASES: [(Field, &[&str]); 10] = [
    (
        Field::LastName,
        &[
            "nomdusage",
            "nomusuel",
            "nom",
            "nomdefamille",
            "nomdenaissance",
            "nompatronymique",
        ],
    ),
    (Field::FirstName, &["prenom", "prenomusuel", "prenoms"]),
    (
        Field::Function,
        &[
            "fonction",
            "intituleduposte",
            "intituleposte",
            "libelleduposte",
            "poste",
            "emploi",
            "metier",
        ],
    ),
    (
        Field::Email,
        &[
            "courriel",
            "courrielprofessionnel",
            "email",
            "emailprofessionnel",
            "mail",
            "mel",
            "adresseelectronique",
            "adressemail",
            "adresseemail",
            "adressecourriel",
        ],
    ),
    (
        Field::Phone,
        &[
            "telephoneprofessionnel",
            "telprofessionnel",
            "telephone",
            "tel",
            "telephonefixe",
            "portable",
            "telephoneportable",
            "mobile",
        ],
    ),
    (Field::Category, &["categorie", "cat", "categoriehierarchique"]),
    (Field::Direction, &["direction"]),
    (Field::Service, &["service"]),
    (
        Field::Cadre,
        &["cadredemplois", "cadredemploi", "cadreemplois", "grade"],
    ),
    (Field::Languages, &["langues", "languesparlees", "langue"]),
];

fn recognise(header: &str) -> Option<(Field, usize)> {
    let compact: String = fold_words(header).chars().filter(|c| !c.is_whitespace()).collect();
    let lookup = |key: &str| {
        ALIASES
            .iter()
            .find_map(|(field, names)| names.iter().position(|n| *n == key).map(|rank| (*field, rank)))
    };
    lookup(&compact).or_else(|| {
        // « Nom de l'agent », « Prénom agent »
        ["delagent", "agent"]
            .iter()
            .find_map(|suffix| compact.strip_suffix(suffix).filter(|s| !s.is_empty()))
            .and_then(lookup)
    })
}

/// Proposes a field for each column from its title; unknown titles are
/// `None`. No field is proposed for two columns.
pub fn suggest_mapping(headers: &[String]) -> Vec<Option<Field>> {
    let found: Vec<Option<(Field, usize)>> = headers.iter().map(|h| recognise(h)).collect();
    let mut best: HashMap<Field, (usize, usize)> = HashMap::new();
    for (i, f) in found.iter().enumerate() {
        if let Some((field, rank)) = *f {
            let entry = best.entry(field).or_insert((rank, i));
            if rank < entry.0 {
                *entry = (rank, i);
            }
        }
    }
    found
        .iter()
        .enumerate()
        .map(|(i, f)| f.and_then(|(field, _)| (best[&field].1 == i).then_some(field)))
        .collect()
}

// ---------------------------------------------------------------------------
// Step 2: rows → agents

/// Reads every row through `mapping` (one entry per column of `file`).
///
/// A file-level problem (a mandatory field no column feeds, two columns for
/// one field) is an `Err`. Otherwise: the valid agents, and every problem of
/// every line (empty when the file is clean); a line with a problem is not
/// among the agents.
pub fn validate(file: &ParsedFile, mapping: &[Option<Field>]) -> Result<(Vec<AgentRow>, Vec<LineProblem>), FileError> {
    if mapping.len() != file.headers.len() {
        return Err(FileError::new(format!(
            "La correspondance des colonnes ({} colonnes) ne correspond pas au fichier ({} colonnes) : recommencez l'import.",
            mapping.len(),
            file.headers.len()
        )));
    }
    let mut columns: HashMap<Field, usize> = HashMap::new();
    for (i, field) in mapping.iter().enumerate() {
        let Some(field) = *field else { continue };
        if let Some(first) = columns.insert(field, i) {
            return Err(FileError {
                line: None,
                column: Some(file.headers[i].clone()),
                message: format!(
                    "Les colonnes « {} » et « {} » correspondent toutes deux au champ « {} » : n'en gardez qu'une.",
                    file.headers[first],
                    file.headers[i],
                    field.label()
                ),
            });
        }
    }
    let missing: Vec<String> = Field::ALL
        .into_iter()
        .filter(|f| f.mandatory() && !columns.contains_key(f))
        .map(|f| format!("« {} »", f.label()))
        .collect();
    match missing.as_slice() {
        [] => {}
        [one] => {
            return Err(FileError::new(format!(
                "La colonne {one} est obligatoire : ajoutez-la au fichier ou indiquez quelle colonne la contient."
            )));
        }
        [init @ .., last] => {
            return Err(FileError::new(format!(
                "Les colonnes {} et {last} sont obligatoires : ajoutez-les au fichier ou indiquez quelles colonnes les contiennent.",
                init.join(", ")
            )));
        }
    }

    let mut agents = Vec::with_capacity(file.rows.len());
    let mut problems = Vec::new();
    let mut emails: HashMap<Email, usize> = HashMap::with_capacity(file.rows.len());
    for row in &file.rows {
        if row.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut reader = RowReader {
            file,
            row,
            columns: &columns,
            problems: &mut problems,
            ok: true,
        };
        let last_name = reader.text(Field::LastName);
        let first_name = reader.text(Field::FirstName);
        let function = reader.text(Field::Function);
        let email = reader.email(&mut emails);
        let phone = reader.parsed(Field::Phone, |s| {
            Phone::parse(s).map_err(|e| format!("{e} Valeur lue : « {s} »."))
        });
        let category = reader.parsed(Field::Category, |s| Category::parse(s).map_err(|e| e.to_string()));
        let direction = reader.text(Field::Direction);
        let service = reader.text(Field::Service);
        let cadre = reader.text(Field::Cadre);
        let languages = reader.text(Field::Languages);
        if let (true, Some(email)) = (reader.ok, email) {
            agents.push(AgentRow {
                line: row.line,
                last_name,
                first_name,
                function,
                email,
                phone: phone.flatten(),
                category: category.flatten(),
                direction,
                service,
                cadre,
                languages,
            });
        }
    }
    Ok((agents, problems))
}

/// Reads the cells of one row, recording its problems.
struct RowReader<'a> {
    file: &'a ParsedFile,
    row: &'a RawRow,
    columns: &'a HashMap<Field, usize>,
    problems: &'a mut Vec<LineProblem>,
    ok: bool,
}

impl RowReader<'_> {
    fn problem(&mut self, column: usize, message: String) {
        self.ok = false;
        self.problems.push(LineProblem {
            line: self.row.line,
            column: Some(self.file.headers[column].clone()),
            message,
        });
    }

    /// The cleaned cell of `field` and its column, `None` when no column
    /// feeds it or the value is too long (reported). Empty mandatory cells
    /// are reported too.
    fn cell(&mut self, field: Field) -> Option<(String, usize)> {
        let &column = self.columns.get(&field)?;
        let value = clean(self.row.cells.get(column).map_or("", String::as_str));
        let chars = value.chars().count();
        if chars > MAX_VALUE_CHARS {
            self.problem(
                column,
                format!(
                    "Le texte compte {chars} caractères, pour {MAX_VALUE_CHARS} au plus : raccourcissez-le \
                     (la présentation de l'agent ne s'importe pas, chacun la rédige sur son profil)."
                ),
            );
            return None;
        }
        if value.is_empty() && field.mandatory() {
            self.problem(
                column,
                format!("{} manquant : ce champ est obligatoire.", field.label()),
            );
            return None;
        }
        Some((value, column))
    }

    fn text(&mut self, field: Field) -> String {
        self.cell(field).map(|(v, _)| v).unwrap_or_default()
    }

    fn parsed<T>(&mut self, field: Field, parse: impl FnOnce(&str) -> Result<T, String>) -> Option<T> {
        let (value, column) = self.cell(field)?;
        match parse(&value) {
            Ok(v) => Some(v),
            Err(message) => {
                self.problem(column, message);
                None
            }
        }
    }

    fn email(&mut self, seen: &mut HashMap<Email, usize>) -> Option<Email> {
        let (value, column) = self.cell(Field::Email)?;
        let email = match Email::parse(&value) {
            Ok(email) => email,
            Err(EmailError::TooLong) => {
                self.problem(column, EmailError::TooLong.to_string());
                return None;
            }
            Err(_) => {
                self.problem(
                    column,
                    format!(
                        "Adresse électronique « {value} » non valide : corrigez-la (par exemple prenom.nom@ville.fr)."
                    ),
                );
                return None;
            }
        };
        if let Some(&first) = seen.get(&email) {
            self.problem(
                column,
                format!("Adresse déjà présente ligne {first} : chaque agent doit avoir sa propre adresse."),
            );
            return None;
        }
        seen.insert(email.clone(), self.row.line);
        Some(email)
    }
}

/// Trims and collapses inner whitespace (control characters count as such).
fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "Nom;Prénom;Fonction;Courriel;Téléphone;Catégorie;Direction;Service";

    fn parse_ok(bytes: &[u8]) -> ParsedFile {
        match parse(bytes) {
            Ok(f) => f,
            Err(e) => panic!("refused: {e}"),
        }
    }

    fn parse_err(bytes: &[u8]) -> FileError {
        match parse(bytes) {
            Ok(f) => panic!("accepted: {f:?}"),
            Err(e) => e,
        }
    }

    fn cells(row: &RawRow) -> Vec<&str> {
        row.cells.iter().map(String::as_str).collect()
    }

    fn run(text: &str) -> (Vec<AgentRow>, Vec<LineProblem>) {
        let file = parse_ok(text.as_bytes());
        let mapping = suggest_mapping(&file.headers);
        validate(&file, &mapping).unwrap()
    }

    // --- encodings -------------------------------------------------------

    #[test]
    fn utf8_plain_and_with_bom() {
        let text = format!("{HEADER}\nMartin;Élodie;Directrice;elodie.martin@ville.fr;;A;DRH;Formation\n");
        let file = parse_ok(text.as_bytes());
        assert_eq!(file.encoding, "UTF-8");
        assert_eq!(file.delimiter, ';');
        assert_eq!(file.headers.len(), 8);
        assert_eq!(file.rows.len(), 1);
        assert_eq!(file.rows[0].line, 2);
        assert_eq!(file.rows[0].cells[1], "Élodie");

        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        let file = parse_ok(&bom);
        assert_eq!(file.encoding, "UTF-8 avec BOM");
        assert_eq!(file.headers[0], "Nom", "the BOM is not part of the first title");
        assert_eq!(file.rows[0].cells[1], "Élodie");
    }

    #[test]
    fn ascii_only_is_utf8() {
        assert_eq!(parse_ok(b"Nom;Prenom;Courriel\nMartin;Paul;p@v.fr\n").encoding, "UTF-8");
    }

    #[test]
    fn windows_1252_by_its_c1_letters() {
        // « Œuvre » with Œ = 0x8C (Windows-1252 only), « Élodie » with É = 0xC9.
        let bytes = b"Nom;Pr\xE9nom;Fonction\n\x8Cuvre;\xC9lodie;Charg\xE9e de mission\n";
        let file = parse_ok(bytes);
        assert_eq!(file.encoding, "Windows-1252");
        assert_eq!(file.headers[1], "Prénom");
        assert_eq!(cells(&file.rows[0]), ["Œuvre", "Élodie", "Chargée de mission"]);
        // The euro sign 0x80 says Windows-1252 too.
        let file = parse_ok(b"Nom;Budget\nH\xE9l\xE8ne;100 \x80\n");
        assert_eq!(file.encoding, "Windows-1252");
        assert_eq!(cells(&file.rows[0]), ["Hélène", "100 €"]);
    }

    #[test]
    fn iso_8859_15_by_its_letters() {
        // « Œuvre » with Œ = 0xBC (¼ in Windows-1252), « Hélène ».
        let bytes = b"Nom;Pr\xE9nom\n\xBCuvre;H\xE9l\xE8ne\nC\xBDur;\xC9lodie\n";
        let file = parse_ok(bytes);
        assert_eq!(file.encoding, "ISO-8859-15");
        assert_eq!(cells(&file.rows[0]), ["Œuvre", "Hélène"]);
        assert_eq!(cells(&file.rows[1]), ["Cœur", "Élodie"]);
        let file = parse_ok(b"Nom;Budget\nH\xE9l\xE8ne;100 \xA4\n");
        assert_eq!(file.encoding, "ISO-8859-15");
        assert_eq!(file.rows[0].cells[1], "100 €");
    }

    #[test]
    fn plain_latin_letters_default_to_windows_1252() {
        let file = parse_ok(b"Nom;Pr\xE9nom\nMartin;H\xE9l\xE8ne\nDupr\xE9;\xC9lodie\n");
        assert_eq!(file.encoding, "Windows-1252");
        assert_eq!(cells(&file.rows[0]), ["Martin", "Hélène"]);
        assert_eq!(cells(&file.rows[1]), ["Dupré", "Élodie"]);
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut out = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for unit in text.encode_utf16() {
            out.extend_from_slice(&if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        out
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        // Excel's « texte Unicode »: UTF-16 LE, tab-separated.
        let text = "Nom\tPrénom\tCourriel\r\nŒuvre\tÉlodie\telodie@ville.fr\r\n";
        for big_endian in [false, true] {
            let file = parse_ok(&utf16(text, big_endian));
            assert_eq!(file.encoding, "UTF-16");
            assert_eq!(file.delimiter, '\t');
            assert_eq!(cells(&file.rows[0]), ["Œuvre", "Élodie", "elodie@ville.fr"]);
            assert_eq!(file.rows[0].line, 2);
        }
    }

    #[test]
    fn utf16_of_odd_length_is_refused() {
        let mut bytes = utf16("Nom;Prénom\nA;B\n", false);
        bytes.push(b'x');
        let e = parse_err(&bytes);
        assert!(e.message.contains("tronqué"), "{e}");
        // An unpaired surrogate.
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend_from_slice(&[b'N', 0, 0x00, 0xD8, b'x', 0]);
        assert!(parse_err(&bytes).message.contains("caractères invalides"));
    }

    #[test]
    fn utf8_bom_followed_by_latin1_is_refused_with_its_line() {
        let e = parse_err(b"\xEF\xBB\xBFNom;Pr\xC3\xA9nom\nMartin;H\xE9l\xE8ne\n");
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("CSV UTF-8"), "{e}");
    }

    // --- separators, quotes, lines ---------------------------------------

    #[test]
    fn comma_and_tab_separators() {
        let file = parse_ok(b"Nom,Pr\xC3\xA9nom,Courriel\nMartin,Paul,p@v.fr\n");
        assert_eq!(file.delimiter, ',');
        assert_eq!(cells(&file.rows[0]), ["Martin", "Paul", "p@v.fr"]);
        let file = parse_ok(b"Nom\tPrenom\tCourriel\nMartin\tPaul\tp@v.fr\n");
        assert_eq!(file.delimiter, '\t');
        // Commas inside a semicolon file are text, and vice versa.
        let file = parse_ok("Nom;Prénom;Fonction\nMartin;Paul;Chef, adjoint\n".as_bytes());
        assert_eq!(file.delimiter, ';');
        assert_eq!(file.rows[0].cells[2], "Chef, adjoint");
        let file = parse_ok(b"Nom,Prenom,Fonction\nMartin,Paul,\"Chef; adjoint\"\n");
        assert_eq!(file.delimiter, ',');
        assert_eq!(file.rows[0].cells[2], "Chef; adjoint");
    }

    #[test]
    fn separator_counted_outside_quotes() {
        let file = parse_ok(b"\"Nom;court\",\"Prenom;usuel\",Courriel\nA,B,c@v.fr\n");
        assert_eq!(file.delimiter, ',');
        assert_eq!(file.headers, ["Nom;court", "Prenom;usuel", "Courriel"]);
    }

    #[test]
    fn excel_sep_directive() {
        let file = parse_ok(b"sep=,\nNom,Prenom;x,Courriel\nA,B;y,c@v.fr\n");
        assert_eq!(file.delimiter, ',');
        assert_eq!(file.headers, ["Nom", "Prenom;x", "Courriel"]);
        assert_eq!(file.rows[0].line, 3);
    }

    #[test]
    fn quoted_cells_with_separators_quotes_and_line_breaks() {
        let text = "Nom;Prénom;Fonction;Courriel\n\
                    Martin;Paul;\"Chef de projet ; « SI »\";p@v.fr\n\
                    Durand;Anne;\"Directrice\ngénérale\nadjointe\";a@v.fr\n\
                    Petit;Luc;\"Le \"\"chef\"\"\";l@v.fr\n";
        let file = parse_ok(text.as_bytes());
        assert_eq!(file.rows.len(), 3);
        assert_eq!(file.rows[0].cells[2], "Chef de projet ; « SI »");
        assert_eq!(file.rows[1].cells[2], "Directrice\ngénérale\nadjointe");
        assert_eq!(file.rows[1].line, 3);
        assert_eq!(file.rows[2].line, 6, "lines inside quotes are counted");
        assert_eq!(file.rows[2].cells[2], "Le \"chef\"");
        // validate makes the multi-line function one line.
        let mapping = [
            Some(Field::LastName),
            Some(Field::FirstName),
            Some(Field::Function),
            Some(Field::Email),
        ];
        let (agents, problems) = validate(&file, &mapping).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(agents[1].function, "Directrice générale adjointe");
    }

    #[test]
    fn crlf_blank_lines_and_trailing_lines() {
        let text = "Nom;Prénom;Courriel\r\nMartin;Paul;p@v.fr\r\n\r\n\r\nDurand;Anne;a@v.fr\r\n;;\r\n  ;  ; \r\n\r\n";
        let file = parse_ok(text.as_bytes());
        assert_eq!(file.rows.len(), 2);
        assert_eq!((file.rows[0].line, file.rows[1].line), (2, 5));
        assert_eq!(cells(&file.rows[1]), ["Durand", "Anne", "a@v.fr"], "no stray CR");
        // Without a final line break, too.
        let file = parse_ok(b"Nom;Prenom;Courriel\r\nMartin;Paul;p@v.fr");
        assert_eq!(file.rows.len(), 1);
    }

    #[test]
    fn blank_lines_before_the_header_and_cr_only_files() {
        let file = parse_ok(b"\n\nNom;Prenom\n\nMartin;Paul\n");
        assert_eq!(file.headers, ["Nom", "Prenom"]);
        assert_eq!(file.rows[0].line, 5);
        let file = parse_ok(b"Nom;Prenom\rMartin;Paul\rDurand;Anne\r");
        assert_eq!(file.rows.len(), 2);
        assert_eq!(file.rows[1].line, 3);
    }

    #[test]
    fn cells_are_trimmed_and_trailing_empty_columns_tolerated() {
        // Spreadsheets end every line with a separator.
        let file = parse_ok(b"Nom;Prenom;Courriel;\n  Martin ; Paul ;p@v.fr;\nDurand;Anne;a@v.fr;;;\n");
        assert_eq!(file.headers, ["Nom", "Prenom", "Courriel"]);
        assert_eq!(cells(&file.rows[0]), ["Martin", "Paul", "p@v.fr"]);
        assert_eq!(cells(&file.rows[1]), ["Durand", "Anne", "a@v.fr"]);
    }

    #[test]
    fn header_only_is_an_empty_list() {
        let file = parse_ok(format!("{HEADER}\n").as_bytes());
        assert!(file.rows.is_empty());
        let (agents, problems) = validate(&file, &suggest_mapping(&file.headers)).unwrap();
        assert!(agents.is_empty() && problems.is_empty());
        assert!(parse_ok(b"Nom;Prenom;Courriel\n;;\n\n").rows.is_empty());
    }

    // --- refused files ---------------------------------------------------

    #[test]
    fn empty_files() {
        for bytes in [
            &b""[..],
            b"   \n\r\n\t ",
            b"\xEF\xBB\xBF",
            b"\xEF\xBB\xBF \n",
            b"\xFF\xFE",
            b"\xFF\xFE \0\n\0",
        ] {
            let e = parse_err(bytes);
            assert_eq!(e.message, "Le fichier est vide.", "{bytes:?}");
            assert_eq!(e.to_string(), "Le fichier est vide.");
        }
    }

    #[test]
    fn spreadsheets_pdf_images_and_binaries() {
        let e = parse_err(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00");
        assert_eq!(
            e.message,
            "C'est un classeur (Excel ou LibreOffice), pas un fichier CSV : ouvrez-le et enregistrez-le au format CSV (séparateur point-virgule)."
        );
        assert_eq!((e.line, e.column), (None, None));
        assert!(
            parse_err(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0")
                .message
                .starts_with("C'est un classeur")
        );
        assert!(
            parse_err(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")
                .message
                .starts_with("C'est un document PDF")
        );
        assert!(
            parse_err(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
                .message
                .starts_with("C'est une image")
        );
        assert!(
            parse_err(b"\xFF\xD8\xFF\xE0\0\x10JFIF")
                .message
                .starts_with("C'est une image")
        );
        assert!(parse_err(b"GIF89a\x01\0").message.starts_with("C'est une image"));
        let e = parse_err(b"Nom;Prenom\nMar\0tin;Paul\n");
        assert!(e.message.contains("données binaires"), "{e}");
        let e = parse_err(b"<html><table><tr><td>Nom</td></tr></table></html>");
        assert!(e.message.starts_with("C'est une page web"), "{e}");
        assert!(
            parse_err(b"<?xml version=\"1.0\"?><Workbook/>")
                .message
                .starts_with("C'est une page web")
        );
    }

    #[test]
    fn ragged_line_is_located() {
        let mut text = String::from("Nom;Prénom;Fonction;Courriel;Téléphone;Catégorie;Direction;Service\n");
        for i in 0..5 {
            text.push_str(&format!("N{i};P{i};F;n{i}@v.fr;;A;D;S\n"));
        }
        text.push_str("Martin;Paul;Chef;p@v.fr;0123456789\n"); // line 7: 5 cells
        text.push_str("Durand;Anne;F;a@v.fr;;A;D;S\n");
        let e = parse_err(text.as_bytes());
        assert_eq!(e.line, Some(7));
        assert_eq!(e.column, None);
        assert_eq!(
            e.message,
            "5 cellules au lieu de 8. Vérifiez les séparateurs (;) et les guillemets de cette ligne."
        );
        assert_eq!(
            e.to_string(),
            "Ligne 7 : 5 cellules au lieu de 8. Vérifiez les séparateurs (;) et les guillemets de cette ligne."
        );
        // Too many cells, not all empty.
        let e = parse_err(b"Nom;Prenom;Courriel\nA;B;c@v.fr;;x\n");
        assert_eq!(e.line, Some(2));
        assert!(e.message.starts_with("5 cellules au lieu de 3"), "{e}");
        // Comma file: the message names the comma.
        let e = parse_err(b"Nom,Prenom,Courriel\nA,B\n");
        assert!(e.message.contains("séparateurs (,)"), "{e}");
    }

    #[test]
    fn title_line_above_the_header_gets_a_hint() {
        let e = parse_err("Export des agents au 01/03/2025\nNom;Prénom;Courriel\nA;B;c@v.fr\n".as_bytes());
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("retirez les lignes placées au-dessus"), "{e}");
    }

    #[test]
    fn unclosed_quote_running_to_the_end() {
        let text = "Nom;Prénom;Fonction;Courriel\n\
                    Martin;Paul;Chef;p@v.fr\n\
                    Durand;Anne;\"Directrice;a@v.fr\n\
                    Petit;Luc;Agent;l@v.fr\n\
                    Roux;Léa;Agent;r@v.fr\n";
        let e = parse_err(text.as_bytes());
        assert_eq!(e.line, Some(3));
        assert_eq!(e.column.as_deref(), Some("Fonction"));
        assert!(
            e.message.starts_with("Guillemet non fermé à partir de cette ligne"),
            "{e}"
        );
        assert!(
            e.to_string()
                .starts_with("Ligne 3, colonne « Fonction » : guillemet non fermé à partir de cette ligne"),
            "{e}"
        );
        // Even when the record happens to have the right width.
        let e = parse_err(b"Nom;Prenom;Courriel\nA;B;\"c@v.fr\n");
        assert_eq!((e.line, e.column.as_deref()), (Some(2), Some("Courriel")));
        // A lone quote on the last line.
        assert_eq!(parse_err(b"Nom;Prenom\nA;B\n\"\n").line, Some(3));
        // In the header.
        let e = parse_err(b"Nom;\"Prenom;Courriel\nA;B;c\n");
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("ligne des titres"), "{e}");
    }

    #[test]
    fn stray_quote_swallowing_lines() {
        // A quote opened on line 3 closes on line 5: one record of the wrong
        // width spanning three lines.
        let text = "Nom;Prénom;Fonction;Courriel\n\
                    Martin;Paul;Chef;p@v.fr\n\
                    Durand;Anne;\"Directrice;a@v.fr\n\
                    Petit;Luc;Agent;l@v.fr\n\
                    Roux;Léa;Agent\";r@v.fr\n\
                    Blanc;Zoé;Agent;z@v.fr\n";
        let e = parse_err(text.as_bytes());
        assert_eq!(e.line, Some(3));
        assert_eq!(e.column.as_deref(), Some("Fonction"));
        assert!(e.message.starts_with("Guillemet non fermé"), "{e}");
        // Closed one line later, leaving a line of the wrong width.
        let text = "Nom;Prénom;Fonction;Courriel\n\
                    Durand;Anne;\"Directrice;a@v.fr\n\
                    Petit;Luc\";Agent;l@v.fr\n\
                    Blanc;Zoé;Agent;z@v.fr\n";
        let e = parse_err(text.as_bytes());
        assert_eq!((e.line, e.column.as_deref()), (Some(2), Some("Fonction")));
        assert!(e.message.starts_with("Guillemet non fermé"), "{e}");
    }

    #[test]
    fn quotes_inside_unquoted_cells_are_text() {
        let file = parse_ok(b"Nom;Surnom\nMartin;dit \"le grand\"\n");
        assert_eq!(file.rows[0].cells[1], "dit \"le grand\"");
    }

    #[test]
    fn huge_cells_are_located_without_echo() {
        let mut bytes = b"Nom;Prenom;Fonction;Courriel\nMartin;Paul;Chef;p@v.fr\nDurand;Anne;".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', 10 * 1024 * 1024));
        bytes.extend_from_slice(b";a@v.fr\n");
        let e = parse_err(&bytes);
        assert_eq!(e.line, Some(3));
        assert_eq!(e.column.as_deref(), Some("Fonction"));
        assert!(e.message.contains("trop longue"), "{e}");
        assert!(!e.to_string().contains("xxx"));
        // The limit itself.
        let ok = format!("Nom;Fonction\nA;{}\n", "é".repeat(MAX_CELL_BYTES / 2));
        assert_eq!(parse_ok(ok.as_bytes()).rows.len(), 1);
        let over = format!("Nom;Fonction\nA;{}\n", "x".repeat(MAX_CELL_BYTES + 1));
        let e = parse_err(over.as_bytes());
        assert_eq!((e.line, e.column.as_deref()), (Some(2), Some("Fonction")));
        // In the header.
        let e = parse_err(format!("Nom;{}\nA;B\n", "x".repeat(MAX_CELL_BYTES + 1)).as_bytes());
        assert_eq!((e.line, e.column.as_deref()), (Some(1), Some("n° 2")));
    }

    #[test]
    fn too_many_rows() {
        let mut text = String::from("Nom;Prenom;Courriel\n");
        for i in 0..MAX_ROWS {
            text.push_str(&format!("N;P;a{i}@v.fr\n"));
        }
        assert_eq!(parse_ok(text.as_bytes()).rows.len(), MAX_ROWS);
        text.push_str("N;P;last@v.fr\n");
        let e = parse_err(text.as_bytes());
        assert!(e.message.contains("plus de 50\u{202f}000 lignes"), "{e}");
    }

    #[test]
    fn duplicate_and_empty_titles() {
        let e = parse_err("Nom;Service;Prénom;SERVICE\nA;B;C;D\n".as_bytes());
        assert_eq!((e.line, e.column.as_deref()), (Some(1), Some("SERVICE")));
        assert!(e.message.contains("colonnes n° 2 et 4"), "{e}");
        let e = parse_err(b"Nom;;Courriel\nA;B;c@v.fr\n");
        assert_eq!(e.line, Some(1));
        assert!(e.message.starts_with("La colonne n° 2 n'a pas de titre"), "{e}");
        let e = parse_err(b";;\nA;B;C\n");
        assert!(e.message.starts_with("La ligne des titres est vide"), "{e}");
        let e = parse_err(b"sep=;\n");
        assert!(e.message.contains("pas de ligne de titres"), "{e}");
    }

    // --- mapping ---------------------------------------------------------

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn french_titles_and_their_variants() {
        let h = headers(&[
            "NOM",
            "PRÉNOM",
            "Intitulé du poste",
            "Adresse électronique",
            "Tél.",
            "Cat.",
            "Direction",
            "Service",
            "Cadre d’emplois",
            "Langues",
            "Matricule",
        ]);
        assert_eq!(
            suggest_mapping(&h),
            [
                Some(Field::LastName),
                Some(Field::FirstName),
                Some(Field::Function),
                Some(Field::Email),
                Some(Field::Phone),
                Some(Field::Category),
                Some(Field::Direction),
                Some(Field::Service),
                Some(Field::Cadre),
                Some(Field::Languages),
                None,
            ]
        );
        let h = headers(&["Nom d'usage", "Prénom", "E-mail", "Tel", "Emploi", "Grade", "Catégorie"]);
        assert_eq!(
            suggest_mapping(&h),
            [
                Some(Field::LastName),
                Some(Field::FirstName),
                Some(Field::Email),
                Some(Field::Phone),
                Some(Field::Function),
                Some(Field::Cadre),
                Some(Field::Category),
            ]
        );
        for (title, field) in [
            ("Nom de famille", Field::LastName),
            ("Courriel", Field::Email),
            ("Email", Field::Email),
            ("Mail", Field::Email),
            ("Adresse mail", Field::Email),
            ("Téléphone professionnel", Field::Phone),
            ("Portable", Field::Phone),
            ("  fonction  ", Field::Function),
            ("Poste", Field::Function),
            ("Nom de l'agent", Field::LastName),
        ] {
            assert_eq!(suggest_mapping(&headers(&[title])), [Some(field)], "{title}");
        }
    }

    #[test]
    fn one_column_per_field_the_best_title_wins() {
        let h = headers(&["Nom de naissance", "Portable", "Nom d'usage", "Téléphone", "Prénom"]);
        assert_eq!(
            suggest_mapping(&h),
            [
                None,
                None,
                Some(Field::LastName),
                Some(Field::Phone),
                Some(Field::FirstName)
            ]
        );
        let h = headers(&["Nom", "nom"]);
        assert_eq!(suggest_mapping(&h), [Some(Field::LastName), None]);
    }

    #[test]
    fn field_keys_labels_and_mandatory() {
        for f in Field::ALL {
            assert_eq!(Field::from_key(f.key()), Some(f));
        }
        assert_eq!(Field::from_key("bio"), None);
        assert_eq!(Field::Cadre.label(), "Cadre d'emplois");
        assert_eq!(Field::FirstName.key(), "prenom");
        let mandatory: Vec<Field> = Field::ALL.into_iter().filter(|f| f.mandatory()).collect();
        assert_eq!(mandatory, [Field::LastName, Field::FirstName, Field::Email]);
    }

    // --- validation ------------------------------------------------------

    #[test]
    fn a_clean_file() {
        let text = format!(
            "{HEADER};Cadre d'emplois;Langues\n\
             martin ;  Jean   Pierre ;Chef de service;Jean-Pierre.Martin@Ville.FR;+33 (0)1 23 45 67 89;Cat. A;DRH;Formation;Attaché;anglais, espagnol\n\
             Durand;Anne;;anne.durand@ville.fr;;;;;;\n"
        );
        let (agents, problems) = run(&text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(agents.len(), 2);
        let a = &agents[0];
        assert_eq!(a.line, 2);
        assert_eq!(a.last_name, "martin");
        assert_eq!(a.first_name, "Jean Pierre");
        assert_eq!(a.function, "Chef de service");
        assert_eq!(a.email.as_str(), "jean-pierre.martin@ville.fr");
        assert_eq!(a.phone.as_ref().map(Phone::as_str), Some("01 23 45 67 89"));
        assert_eq!(a.category, Some(Category::A));
        assert_eq!((a.direction.as_str(), a.service.as_str()), ("DRH", "Formation"));
        assert_eq!(
            (a.cadre.as_str(), a.languages.as_str()),
            ("Attaché", "anglais, espagnol")
        );
        let b = &agents[1];
        assert_eq!((b.phone.clone(), b.category, b.function.as_str()), (None, None, ""));
    }

    #[test]
    fn missing_mandatory_columns() {
        let file = parse_ok("Nom;Prénom;Fonction\nA;B;C\n".as_bytes());
        let e = validate(&file, &suggest_mapping(&file.headers)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "La colonne « Courriel » est obligatoire : ajoutez-la au fichier ou indiquez quelle colonne la contient."
        );
        let file = parse_ok(b"Fonction;Service\nA;B\n");
        let e = validate(&file, &suggest_mapping(&file.headers)).unwrap_err();
        assert!(
            e.message
                .starts_with("Les colonnes « Nom », « Prénom » et « Courriel » sont obligatoires"),
            "{e}"
        );
        // The mapping step can fill the gap.
        let file = parse_ok("Nom;Prénom;Adresse pro\nA;B;c@v.fr\n".as_bytes());
        let mut mapping = suggest_mapping(&file.headers);
        assert_eq!(mapping[2], None);
        mapping[2] = Some(Field::Email);
        assert_eq!(validate(&file, &mapping).unwrap().0.len(), 1);
    }

    #[test]
    fn two_columns_for_one_field_or_a_wrong_mapping() {
        let file = parse_ok("Nom;Prénom;Courriel;Mail perso\nA;B;c@v.fr;d@v.fr\n".as_bytes());
        let mapping = [
            Some(Field::LastName),
            Some(Field::FirstName),
            Some(Field::Email),
            Some(Field::Email),
        ];
        let e = validate(&file, &mapping).unwrap_err();
        assert_eq!(e.column.as_deref(), Some("Mail perso"));
        assert!(e.message.contains("« Courriel » et « Mail perso »"), "{e}");
        let e = validate(&file, &mapping[..3]).unwrap_err();
        assert!(e.message.contains("recommencez"), "{e}");
    }

    #[test]
    fn every_line_problem_is_reported() {
        let long = "x".repeat(MAX_VALUE_CHARS + 1);
        let text = format!(
            "{HEADER}\n\
             Martin;Paul;Chef;paul.martin@ville.fr;;A;D;S\n\
             ;Anne;Chef;anne@ville.fr;;A;D;S\n\
             Petit;Luc;Chef;pas-une-adresse;;A;D;S\n\
             Roux;Léa;Chef;lea@ville.fr;abc;A;D;S\n\
             Blanc;Zoé;Chef;zoe@ville.fr;;D;D;S\n\
             Noir;Jo;{long};jo@ville.fr;;A;D;S\n\
             Martin;Pauline;Chef;Paul.Martin@ville.fr;;A;D;S\n\
             ;;;;;;;\n\
             Vert;;Chef;;123456789;Z;D;S\n"
        );
        let (agents, problems) = run(&text);
        assert_eq!(agents.iter().map(|a| a.line).collect::<Vec<_>>(), [2]);
        let got: Vec<(usize, &str)> = problems
            .iter()
            .map(|p| (p.line, p.column.as_deref().unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                (3, "Nom"),
                (4, "Courriel"),
                (5, "Téléphone"),
                (6, "Catégorie"),
                (7, "Fonction"),
                (8, "Courriel"),
                (10, "Prénom"),
                (10, "Courriel"),
                (10, "Téléphone"),
                (10, "Catégorie"),
            ]
        );
        assert_eq!(problems[0].message, "Nom manquant : ce champ est obligatoire.");
        assert!(
            problems[1].message.contains("« pas-une-adresse » non valide"),
            "{}",
            problems[1]
        );
        assert!(
            problems[2].message.starts_with("Numéro de téléphone non reconnu"),
            "{}",
            problems[2]
        );
        assert!(problems[2].message.contains("« abc »"));
        assert_eq!(
            problems[3].message,
            "Catégorie inconnue « D » : indiquez A+, A, B ou C."
        );
        assert!(
            problems[4].message.contains("301 caractères, pour 300 au plus"),
            "{}",
            problems[4]
        );
        assert!(
            problems[5].message.starts_with("Adresse déjà présente ligne 2"),
            "{}",
            problems[5]
        );
        assert_eq!(problems[6].message, "Prénom manquant : ce champ est obligatoire.");
        assert_eq!(problems[7].message, "Courriel manquant : ce champ est obligatoire.");
        assert!(problems[8].message.contains("0 du début"), "{}", problems[8]);
        assert_eq!(
            problems[5].to_string(),
            "Ligne 8, colonne « Courriel » : adresse déjà présente ligne 2 : chaque agent doit avoir sa propre adresse."
        );
    }

    #[test]
    fn duplicate_reported_even_when_the_first_line_has_other_problems() {
        let (agents, problems) = run("Nom;Prénom;Courriel;Catégorie\nA;B;x@v.fr;Z\nC;D;x@v.fr;A\nE;F;X@V.FR;B\n");
        assert!(agents.is_empty());
        let lines: Vec<(usize, &str)> = problems.iter().map(|p| (p.line, p.message.as_str())).collect();
        assert_eq!(lines[1].0, 3);
        assert!(lines[1].1.starts_with("Adresse déjà présente ligne 2"));
        assert!(lines[2].1.starts_with("Adresse déjà présente ligne 2"));
    }

    #[test]
    fn unmapped_columns_are_not_checked() {
        let long = "x".repeat(MAX_VALUE_CHARS * 2);
        let (agents, problems) = run(&format!("Nom;Prénom;Courriel;Biographie\nA;B;c@v.fr;{long}\n"));
        assert!(problems.is_empty());
        assert_eq!(agents.len(), 1);
    }

    #[test]
    fn validating_is_linear_on_a_big_file() {
        let mut text = String::from("Nom;Prénom;Courriel;Téléphone;Catégorie\n");
        for i in 0..MAX_ROWS {
            text.push_str(&format!("Nom{i};Prénom;agent{i}@ville.fr;01 23 45 67 89;B\n"));
        }
        let (agents, problems) = run(&text);
        assert_eq!((agents.len(), problems.len()), (MAX_ROWS, 0));
    }
}
