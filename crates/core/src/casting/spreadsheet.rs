//! Reading a promotion for the casting from a spreadsheet saved as CSV.
//!
//! Columns (header line required; order free; titles compared without case,
//! accents, spaces, `_` or `-`): `id` (required), `age`, `genre`,
//! `anciennete`, `temperament`, `organisation`, `manager_id`, `voeux`, and
//! optionally `nom` and `prenom` for the report. Synonyms: `identifiant`;
//! `sexe`; `employeur`, `collectivite`; `responsable`, `id_responsable`;
//! `souhaits`. Any other column is refused (a misspelt `genre` must not be
//! silently ignored).
//!
//! The bytes are decoded and split by the directory import's reader
//! ([`import_file::parse`]): UTF-8 with or without BOM, UTF-16 with BOM,
//! Windows-1252 or ISO-8859-15; `;`, `,` or tab separators.
//!
//! Cells, all optional but `id`:
//!
//! - `genre`: `F`, `femme`, `féminin`, `Mme` → femme; `H`, `homme`, `M`
//!   (masculin, as on administrative forms), `masculin`, `M.`, `Monsieur` →
//!   homme; empty → not given. Anything else is an error: leave the cell
//!   empty rather than guess.
//! - `age`: whole years, 16 to 80. `anciennete`: whole years, 0 to 60.
//! - `manager_id`: the `id` of their line manager in the same file; their own
//!   id is an error; an id absent from the file is a warning (the link is
//!   ignored).
//! - `voeux`: project labels separated by `|` or `,` (a cell with commas in a
//!   comma-separated file must be quoted, as spreadsheets do).
//!
//! Every bad line is reported, with its line number and what to fix.

use std::collections::BTreeMap;
use std::fmt;

use maillage_domain::text::fold;

use super::model::{Gender, Person};
use crate::directory::import_file;

/// Most people one file may hold.
pub const MAX_PEOPLE: usize = 5_000;
const MAX_ID_CHARS: usize = 64;
const MAX_TEXT_CHARS: usize = 200;

/// A promotion read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub people: Vec<Person>,
    /// Problems that do not stop the casting (e.g. an unknown manager id).
    pub warnings: Vec<String>,
    /// « UTF-8 », « UTF-8 avec BOM », « Windows-1252 »…
    pub encoding: &'static str,
}

/// Every problem found, each a French sentence starting with its line
/// (« Ligne 4, colonne « genre » : … ») when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetError {
    pub problems: Vec<String>,
}

impl fmt::Display for SheetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problems.join("\n"))
    }
}

impl std::error::Error for SheetError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Column {
    Id,
    LastName,
    FirstName,
    Age,
    Gender,
    Seniority,
    Temperament,
    Organisation,
    Manager,
    Wishes,
}

const EXPECTED: &str = "id ; age ; genre ; anciennete ; temperament ; organisation ; manager_id ; voeux \
    (et, si vous le souhaitez, nom ; prenom)";

fn recognise(title: &str) -> Option<Column> {
    let key: String = fold(title).chars().filter(|c| c.is_alphanumeric()).collect();
    Some(match key.as_str() {
        "id" | "identifiant" => Column::Id,
        "nom" => Column::LastName,
        "prenom" => Column::FirstName,
        "age" | "ageans" => Column::Age,
        "genre" | "sexe" => Column::Gender,
        "anciennete" | "ancienneteans" => Column::Seniority,
        "temperament" => Column::Temperament,
        "organisation" | "employeur" | "collectivite" => Column::Organisation,
        "managerid" | "manager" | "responsable" | "idresponsable" | "responsableid" => Column::Manager,
        "voeux" | "voeu" | "souhaits" => Column::Wishes,
        _ => return None,
    })
}

/// Reads the file: the people, or every problem found.
pub fn read(bytes: &[u8]) -> Result<Sheet, SheetError> {
    let file = import_file::parse(bytes).map_err(|e| SheetError {
        problems: vec![e.to_string()],
    })?;

    // Header: every column known, `id` present, no field twice.
    let mut columns: BTreeMap<Column, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    for (i, title) in file.headers.iter().enumerate() {
        match recognise(title) {
            None => problems.push(format!(
                "Ligne 1 : colonne « {title} » inconnue. Les colonnes possibles sont {EXPECTED} : \
                 renommez-la ou supprimez-la."
            )),
            Some(c) => {
                if let Some(&first) = columns.get(&c) {
                    problems.push(format!(
                        "Ligne 1 : les colonnes « {} » et « {title} » désignent la même information : gardez-en une seule.",
                        file.headers[first]
                    ));
                } else {
                    columns.insert(c, i);
                }
            }
        }
    }
    if !columns.contains_key(&Column::Id) {
        problems.push(format!(
            "Ligne 1 : il manque la colonne « id » (l'identifiant de chaque personne). Les colonnes possibles sont {EXPECTED}."
        ));
    }
    if !problems.is_empty() {
        return Err(SheetError { problems });
    }
    if file.rows.is_empty() {
        return Err(SheetError {
            problems: vec![
                "Le fichier ne contient aucune personne : mettez une ligne par personne sous la ligne des titres."
                    .to_owned(),
            ],
        });
    }
    if file.rows.len() > MAX_PEOPLE {
        return Err(SheetError {
            problems: vec![format!(
                "Le fichier compte {} personnes : le casting en accepte au plus {MAX_PEOPLE}.",
                file.rows.len()
            )],
        });
    }

    let mut people = Vec::with_capacity(file.rows.len());
    let mut lines = Vec::with_capacity(file.rows.len());
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for row in &file.rows {
        let cell = |c: Column| -> &str { columns.get(&c).and_then(|&i| row.cells.get(i)).map_or("", |s| s.trim()) };
        let mut problem = |c: Column, message: String| {
            let title = columns.get(&c).map_or("", |&i| file.headers[i].as_str());
            problems.push(format!("Ligne {}, colonne « {title} » : {message}", row.line));
        };
        let mut person = Person::default();

        let id = cell(Column::Id);
        if id.is_empty() {
            problem(
                Column::Id,
                "l'identifiant est vide : chaque personne doit en avoir un.".to_owned(),
            );
        } else if id.chars().count() > MAX_ID_CHARS {
            problem(
                Column::Id,
                format!("l'identifiant dépasse {MAX_ID_CHARS} caractères : raccourcissez-le."),
            );
        } else if let Some(&first) = seen.get(id) {
            problem(
                Column::Id,
                format!(
                    "l'identifiant « {id} » est déjà celui de la ligne {first} : chaque personne doit avoir un identifiant unique."
                ),
            );
        } else {
            seen.insert(id.to_owned(), row.line);
        }
        person.id = id.to_owned();

        for c in [
            Column::LastName,
            Column::FirstName,
            Column::Temperament,
            Column::Organisation,
            Column::Manager,
            Column::Wishes,
        ] {
            if cell(c).chars().count() > MAX_TEXT_CHARS {
                problem(
                    c,
                    format!("la cellule dépasse {MAX_TEXT_CHARS} caractères : raccourcissez-la."),
                );
            }
        }
        let name = [cell(Column::FirstName), cell(Column::LastName)]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        person.name = (!name.is_empty()).then_some(name);

        person.age = match whole_years(cell(Column::Age), 16, 80) {
            Ok(v) => v,
            Err(value) => {
                problem(
                    Column::Age,
                    format!(
                        "« {value} » n'est pas un âge valide : écrivez un nombre entier d'années entre 16 et 80, \
                         ou laissez la cellule vide."
                    ),
                );
                None
            }
        };
        person.seniority_years = match whole_years(cell(Column::Seniority), 0, 60) {
            Ok(v) => v,
            Err(value) => {
                problem(
                    Column::Seniority,
                    format!(
                        "« {value} » n'est pas une ancienneté valide : écrivez un nombre entier d'années entre 0 et 60, \
                         ou laissez la cellule vide."
                    ),
                );
                None
            }
        };
        person.gender = match gender(cell(Column::Gender)) {
            Ok(g) => g,
            Err(value) => {
                problem(
                    Column::Gender,
                    format!(
                        "« {value} » n'est pas reconnu : écrivez F (femme) ou H (homme) — M est aussi compris \
                         comme masculin —, ou laissez la cellule vide."
                    ),
                );
                None
            }
        };
        let text = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        person.temperament = text(cell(Column::Temperament));
        person.organisation = text(cell(Column::Organisation));
        person.manager_id = text(cell(Column::Manager));
        if !id.is_empty() && person.manager_id.as_deref() == Some(id) {
            problem(
                Column::Manager,
                "la personne est indiquée comme sa propre responsable : laissez la cellule vide ou \
                 indiquez l'identifiant de sa ou son responsable."
                    .to_owned(),
            );
        }
        person.wishes = wishes(cell(Column::Wishes));
        lines.push(row.line);
        people.push(person);
    }
    if !problems.is_empty() {
        return Err(SheetError { problems });
    }

    let mut warnings = Vec::new();
    for (p, line) in people.iter().zip(&lines) {
        if let Some(m) = p.manager_id.as_deref()
            && !seen.contains_key(m)
        {
            warnings.push(format!(
                "Ligne {line} : la ou le responsable « {m} » n'est pas dans le fichier : ce lien est ignoré."
            ));
        }
    }
    Ok(Sheet {
        people,
        warnings,
        encoding: file.encoding,
    })
}

/// A whole number in `lo..=hi`, or the text back when it is not one.
fn whole_years(s: &str, lo: u32, hi: u32) -> Result<Option<u32>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<u32>() {
        Ok(v) if (lo..=hi).contains(&v) && s.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(v)),
        _ => Err(s.to_owned()),
    }
}

fn gender(s: &str) -> Result<Option<Gender>, String> {
    let key = fold(s);
    let key = key.trim_end_matches('.');
    Ok(match key {
        "" => None,
        "f" | "femme" | "feminin" | "mme" | "madame" => Some(Gender::Femme),
        "h" | "homme" | "m" | "masculin" | "monsieur" => Some(Gender::Homme),
        _ => return Err(s.to_owned()),
    })
}

/// Labels split on `|` and `,`, trimmed, without blanks or repeats (folded).
fn wishes(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for part in s.split(['|', ',']) {
        let part = part.trim();
        let key = fold(part);
        if !key.is_empty() && !keys.contains(&key) {
            keys.push(key);
            out.push(part.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_french_spreadsheet() {
        let text = "\u{feff}ID;Âge;Genre;Ancienneté;Tempérament;Organisation;Manager_ID;Vœux;Nom;Prénom\r\n\
                    1;45;F;20;Rouge;CC Val;;Mobilité|Accueil;Martin;Camille\r\n\
                    2;;h;;;CC Val;1;;;\r\n\
                    3;33;;2;bleu;CA Nord;99;\"Accueil, Mobilité\";;\r\n";
        let sheet = read(text.as_bytes()).unwrap();
        assert_eq!(sheet.encoding, "UTF-8 avec BOM");
        assert_eq!(sheet.people.len(), 3);
        let p = &sheet.people[0];
        assert_eq!(p.id, "1");
        assert_eq!(p.name.as_deref(), Some("Camille Martin"));
        assert_eq!(p.age, Some(45));
        assert_eq!(p.gender, Some(Gender::Femme));
        assert_eq!(p.seniority_years, Some(20));
        assert_eq!(p.wishes, vec!["Mobilité", "Accueil"]);
        assert_eq!(sheet.people[1].gender, Some(Gender::Homme));
        assert_eq!(sheet.people[1].manager_id.as_deref(), Some("1"));
        assert_eq!(sheet.people[2].gender, None);
        assert_eq!(sheet.people[2].wishes, vec!["Accueil", "Mobilité"]);
        assert_eq!(sheet.warnings.len(), 1);
        assert!(sheet.warnings[0].starts_with("Ligne 4 :"), "{:?}", sheet.warnings);
        assert!(sheet.warnings[0].contains("« 99 »"));
    }

    #[test]
    fn windows_1252_and_commas() {
        // « Ancienneté » and « Véronique » in Windows-1252.
        let mut bytes = b"id,anciennet\xe9,genre,nom\n".to_vec();
        bytes.extend_from_slice(b"a,3,M,V\xe9ronique\n");
        let sheet = read(&bytes).unwrap();
        assert_eq!(sheet.encoding, "Windows-1252");
        assert_eq!(sheet.people[0].seniority_years, Some(3));
        assert_eq!(sheet.people[0].gender, Some(Gender::Homme));
        assert_eq!(sheet.people[0].name.as_deref(), Some("Véronique"));
    }

    #[test]
    fn every_bad_line_is_listed() {
        let text = "id;age;genre;anciennete;manager_id\n\
                    1;45;F;3;\n\
                    2;abc;X;;2\n\
                    1;12;H;70;\n\
                    ;30;F;;\n";
        let err = read(text.as_bytes()).unwrap_err();
        let all = err.to_string();
        assert!(all.contains("Ligne 3, colonne « age » : « abc »"), "{all}");
        assert!(
            all.contains("Ligne 3, colonne « genre » : « X » n'est pas reconnu"),
            "{all}"
        );
        assert!(
            all.contains("Ligne 3, colonne « manager_id » : la personne est indiquée comme sa propre responsable"),
            "{all}"
        );
        assert!(
            all.contains("Ligne 4, colonne « id » : l'identifiant « 1 » est déjà celui de la ligne 2"),
            "{all}"
        );
        assert!(all.contains("Ligne 4, colonne « age » : « 12 »"), "{all}");
        assert!(all.contains("Ligne 4, colonne « anciennete » : « 70 »"), "{all}");
        assert!(
            all.contains("Ligne 5, colonne « id » : l'identifiant est vide"),
            "{all}"
        );
        assert_eq!(err.problems.len(), 7, "{all}");
    }

    #[test]
    fn header_problems() {
        let err = read(b"id;genr;age\n1;F;30\n").unwrap_err();
        assert!(err.to_string().contains("colonne « genr » inconnue"), "{err}");
        let err = read(b"nom;age\nA;30\n").unwrap_err();
        assert!(err.to_string().contains("il manque la colonne « id »"), "{err}");
        let err = read(b"id;genre;sexe\n1;F;F\n").unwrap_err();
        assert!(err.to_string().contains("désignent la même information"), "{err}");
        let err = read(b"id;genre\n").unwrap_err();
        assert!(err.to_string().contains("aucune personne"), "{err}");
        let err = read(b"").unwrap_err();
        assert!(err.to_string().contains("vide"), "{err}");
    }

    #[test]
    fn gender_values() {
        for (s, g) in [
            ("F", Some(Gender::Femme)),
            ("femme", Some(Gender::Femme)),
            ("Féminin", Some(Gender::Femme)),
            ("Mme", Some(Gender::Femme)),
            ("H", Some(Gender::Homme)),
            ("M", Some(Gender::Homme)),
            ("M.", Some(Gender::Homme)),
            ("Homme", Some(Gender::Homme)),
            ("", None),
        ] {
            assert_eq!(gender(s), Ok(g), "{s}");
        }
        assert!(gender("X").is_err());
        assert!(gender("autre").is_err());
    }
}
