//! French full-text analysis, done here in Rust so that SQLite (FTS5) and
//! PostgreSQL (`to_tsvector('simple', …)`) index exactly the same terms.
//!
//! A document is indexed as words folded by [`crate::text::fold_words`]
//! (no case, no accents: « Élodie » → `elodie`) *and* their stems (`elodi`
//! → `elod`, « formations » → `format`). A query term `w` then matches a
//! document holding a word that starts with `w` (prefixes: « form » finds
//! « formation ») or holding `w`'s stem exactly (« élus » finds « élue »).
//!
//! Neither database's own French support would do: FTS5 has no stemmer and
//! PostgreSQL's `unaccent()` cannot be used in an index.

use rust_stemmers::{Algorithm, Stemmer};

use crate::text::fold_words;

/// Words too common to help (articles, prepositions). Single letters are
/// dropped anyway (« l' », « d' »).
const STOP_WORDS: &[&str] = &[
    "au", "aux", "ce", "ces", "dans", "de", "des", "du", "en", "et", "la", "le", "les", "ou", "par", "pour", "sur",
    "un", "une",
];

/// Longest word kept: longer ones are not words a person types.
const MAX_WORD: usize = 40;
/// Most terms a query keeps.
pub const MAX_QUERY_TERMS: usize = 8;

fn keep(word: &str) -> bool {
    let n = word.chars().count();
    (n >= 2 || (n == 1 && word.chars().all(|c| c.is_ascii_digit()))) && n <= MAX_WORD && !STOP_WORDS.contains(&word)
}

/// The stem of a folded word. A final plural `s` or `x` goes first: the
/// Snowball stemmer keeps « elus » apart from « elu ».
pub fn stem(word: &str) -> String {
    let singular = match word.strip_suffix('s').or_else(|| word.strip_suffix('x')) {
        Some(w) if w.chars().count() >= 3 && !w.ends_with('s') => w,
        _ => word,
    };
    Stemmer::create(Algorithm::French).stem(singular).into_owned()
}

/// The terms to index for some texts, as one space-separated string: each
/// word, followed by its stem when it differs.
pub fn index_terms<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for text in texts {
        for word in fold_words(text).split(' ').filter(|w| keep(w)) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
            let s = stem(word);
            if s != word && !s.is_empty() {
                out.push(' ');
                out.push_str(&s);
            }
        }
    }
    out
}

/// One query term: documents match by prefix of `word` or exactly `stem`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    word: String,
    stem: Option<String>,
}

/// A parsed search: every term must match (AND). Terms hold only letters and
/// digits, so the query strings built below cannot inject syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    terms: Vec<Term>,
}

impl Query {
    /// `None` when the text holds no searchable word (empty, punctuation,
    /// only stop words): the caller lists instead of searching.
    pub fn parse(text: &str) -> Option<Query> {
        let mut terms: Vec<Term> = Vec::new();
        for word in fold_words(text).split(' ').filter(|w| keep(w)) {
            if terms.iter().any(|t| t.word == word) {
                continue;
            }
            let s = stem(word);
            terms.push(Term {
                stem: (s != word && !s.is_empty()).then_some(s),
                word: word.to_owned(),
            });
            if terms.len() == MAX_QUERY_TERMS {
                break;
            }
        }
        (!terms.is_empty()).then_some(Query { terms })
    }

    /// The terms as (word, stem): a text matches when, for every term, one of
    /// its words starts with `word` or equals `stem` (for LIKE-based search
    /// over small tables).
    pub fn terms(&self) -> Vec<(String, Option<String>)> {
        self.terms.iter().map(|t| (t.word.clone(), t.stem.clone())).collect()
    }

    /// SQLite FTS5 MATCH expression: `("elus"* OR "elu") AND ("saint"*)`.
    pub fn fts5(&self) -> String {
        self.fts5_expanded(&[])
    }

    /// The FTS5 expression with each word's prefix spelled out as the index
    /// terms it stands for: `expansions[i]`, when given, lists every indexed
    /// term that starts with the word of term `i` (`None`, or no entry,
    /// keeps the prefix query). `("formation" OR "formations" OR "format")`
    /// matches the same rows as `("formation"* OR "format")`, but FTS5 reads
    /// an OR of exact terms lazily, while it merges the whole doclists of a
    /// prefix before yielding the first row (docs/BENCHMARKS.md, « Annuaire »).
    pub fn fts5_expanded(&self, expansions: &[Option<Vec<String>>]) -> String {
        let quote = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
        let parts: Vec<String> = self
            .terms
            .iter()
            .enumerate()
            .map(|(i, t)| match expansions.get(i).and_then(Option::as_ref) {
                None => match &t.stem {
                    Some(s) => format!("({}* OR {})", quote(&t.word), quote(s)),
                    None => format!("{}*", quote(&t.word)),
                },
                Some(terms) => {
                    let mut alternatives: Vec<&str> = terms.iter().map(String::as_str).collect();
                    if let Some(s) = t.stem.as_deref().filter(|s| !alternatives.contains(s)) {
                        alternatives.push(s);
                    }
                    if alternatives.is_empty() {
                        // No indexed term starts with the word, and it has no
                        // stem: the word as an exact term, which matches nothing.
                        alternatives.push(&t.word);
                    }
                    let quoted: Vec<String> = alternatives.into_iter().map(quote).collect();
                    format!("({})", quoted.join(" OR "))
                }
            })
            .collect();
        parts.join(" AND ")
    }

    /// PostgreSQL `to_tsquery('simple', …)` text: `('elus':* | 'elu') & 'saint':*`.
    pub fn tsquery(&self) -> String {
        self.join(" & ", |t| match &t.stem {
            Some(s) => format!("('{}':* | '{s}')", t.word),
            None => format!("'{}':*", t.word),
        })
    }

    fn join(&self, sep: &str, f: impl Fn(&Term) -> String) -> String {
        self.terms.iter().map(f).collect::<Vec<_>>().join(sep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether a query matches a text, the way both databases evaluate it.
    fn matches(query: &str, text: &str) -> bool {
        let index = index_terms([text]);
        let terms: Vec<&str> = index.split(' ').collect();
        let q = Query::parse(query).expect("query");
        q.terms.iter().all(|t| {
            terms
                .iter()
                .any(|i| i.starts_with(t.word.as_str()) || t.stem.as_deref() == Some(i))
        })
    }

    #[test]
    fn french_equivalences() {
        assert!(matches("elodie", "Élodie Martin"));
        assert!(matches("ÉLODIE", "elodie martin"));
        assert!(matches("élue", "Les élus du territoire"));
        assert!(matches("élus", "Une élue engagée"));
        assert!(matches("l'hote", "Marie L’Hôte"));
        assert!(matches("Saint-Etienne", "Saint-Étienne Métropole"));
        assert!(matches("form", "Responsable formation"));
        assert!(matches("formations", "Chargée de formation"));
        assert!(matches("transition écologique", "Transition écologique et énergie"));
        assert!(!matches("elodie", "Émilie Martin"));
        assert!(!matches("formation numérique", "Responsable formation"));
    }

    #[test]
    fn queries_are_safe_syntax() {
        let q = Query::parse("\"a\" OR b* -c (NEAR) 'd' : & | !x").expect("query");
        for term in &q.terms {
            assert!(term.word.chars().all(char::is_alphanumeric), "{term:?}");
        }
        assert_eq!(Query::parse("  ' - ; "), None);
        assert_eq!(Query::parse("de la"), None);
        assert_eq!(Query::parse("élus").expect("q").tsquery(), "('elus':* | 'elu')");
        assert_eq!(Query::parse("form").expect("q").fts5(), "\"form\"*");
        let q = Query::parse("formations l'hote").expect("q");
        assert_eq!(
            q.fts5_expanded(&[Some(vec!["formations".into()]), None]),
            "(\"formations\" OR \"format\") AND (\"hote\"* OR \"hot\")"
        );
        assert_eq!(
            q.fts5_expanded(&[
                Some(Vec::new()),
                Some(vec!["hote".into(), "hotel".into(), "hot\"x".into()])
            ]),
            "(\"format\") AND (\"hote\" OR \"hotel\" OR \"hot\"\"x\" OR \"hot\")"
        );
        assert_eq!(
            Query::parse("zzzz").expect("q").fts5_expanded(&[Some(Vec::new())]),
            "(\"zzzz\")"
        );
    }

    #[test]
    fn query_terms_are_bounded() {
        let long = "mot ".repeat(50) + &"a".repeat(500);
        let q = Query::parse(&(long + " un deux trois quatre cinq six sept huit neuf dix")).expect("q");
        assert!(q.terms.len() <= MAX_QUERY_TERMS);
    }
}
