//! French text folding: the basis of every search in Maillage.
//!
//! [`fold`] makes two spellings a French reader takes for the same word
//! compare equal: case, accents, ligatures, typographic apostrophes, hyphens
//! and spacing do not matter (« Saint-Étienne » and « saint etienne »,
//! « L’Hôte » and « l'hote »). [`fold_words`] goes one step further for
//! word-by-word matching: it keeps only letters and digits.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds a text for comparison and search: lowercase; accents and other
/// combining marks removed (é → e, ç → c); ligatures and special letters
/// spelled out (œ → oe, æ → ae, ß → ss, ø → o); typographic apostrophes
/// (’ ‘ ʼ and the like) → `'`; hyphens and dashes → space; whitespace
/// (including no-break spaces) collapsed to single spaces; trimmed.
///
/// ```
/// use maillage_domain::text::fold;
/// assert_eq!(fold("Saint-Étienne"), "saint etienne");
/// assert_eq!(fold("L’Hôte"), "l'hote");
/// ```
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Whether the last char pushed is a space (or nothing was pushed yet),
    // so that runs of spaces collapse and leading spaces vanish.
    let mut after_space = true;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        for lower in c.to_lowercase() {
            // `to_lowercase` may itself produce combining marks (İ → i̇).
            if is_combining_mark(lower) {
                continue;
            }
            let mapped: &str = match lower {
                'œ' => "oe",
                'æ' => "ae",
                'ß' => "ss",
                'ø' => "o",
                'ł' => "l",
                'đ' | 'ð' => "d",
                'þ' => "th",
                'ı' => "i",
                '\u{2019}' | '\u{2018}' | '\u{02bc}' | '\u{02bb}' | '\u{2032}' | '\u{00b4}' | '`' => "'",
                '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}'
                | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' => " ",
                '\u{00ad}' => "", // soft hyphen: invisible, not a word break
                c if c.is_whitespace() => " ",
                _ => {
                    out.push(lower);
                    after_space = false;
                    continue;
                }
            };
            for m in mapped.chars() {
                if m == ' ' {
                    if !after_space {
                        out.push(' ');
                        after_space = true;
                    }
                } else {
                    out.push(m);
                    after_space = false;
                }
            }
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// [`fold`], then every character that is neither a letter nor a digit
/// (apostrophes, punctuation, quotes, parentheses…) becomes a word break:
/// the result is lowercase words separated by single spaces.
///
/// ```
/// use maillage_domain::text::fold_words;
/// assert_eq!(fold_words("Val-d’Oise"), "val d oise");
/// assert_eq!(fold_words("CA ECLA (Espace Communautaire Lons Agglomération)"),
///            "ca ecla espace communautaire lons agglomeration");
/// ```
pub fn fold_words(s: &str) -> String {
    let folded = fold(s);
    let mut out = String::with_capacity(folded.len());
    for word in folded.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// « 8 000 »: an integer with French thousands separators (narrow no-break
/// spaces).
pub fn thousands(n: i64) -> String {
    let out = group_digits(&n.unsigned_abs().to_string());
    if n < 0 { format!("−{out}") } else { out }
}

/// « 1250000 » → « 1 250 000 »: digits grouped by three (narrow no-break
/// spaces), whatever their number.
pub fn group_digits(digits: &str) -> String {
    let count = digits.chars().count();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (count - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_case() {
        assert_eq!(fold("Saint-Étienne"), "saint etienne");
        assert_eq!(fold("ÉCOLE DES CADRES D'ALÈS"), "ecole des cadres d'ales");
        assert_eq!(fold("Besançon"), "besancon");
        assert_eq!(fold("Île-de-France"), "ile de france");
        assert_eq!(fold("Mâcon Noël Zoé Ÿ"), "macon noel zoe y");
        // Precomposed and decomposed spellings fold alike.
        assert_eq!(fold("e\u{301}lu"), fold("élu"));
        assert_eq!(fold("élu"), "elu");
    }

    #[test]
    fn ligatures_and_special_letters() {
        assert_eq!(fold("Œuvre cœur"), "oeuvre coeur");
        assert_eq!(fold("Æsope, ex æquo"), "aesope, ex aequo");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("İstanbul"), "istanbul");
    }

    #[test]
    fn apostrophes() {
        assert_eq!(fold("L’Hôte"), "l'hote");
        assert_eq!(fold("l‘hôte"), "l'hote");
        assert_eq!(fold("Lʼhôte"), "l'hote");
        assert_eq!(fold("L'Hôte"), "l'hote");
        assert_eq!(fold("Val-d’Oise"), fold("Val-d'Oise"));
    }

    #[test]
    fn hyphens_dashes_and_spaces() {
        assert_eq!(fold("Saint‑Étienne"), "saint etienne"); // no-break hyphen
        assert_eq!(fold("Aix – Marseille — Provence"), "aix marseille provence");
        assert_eq!(fold("CC Faucigny - Glières"), "cc faucigny glieres");
        assert_eq!(fold("  200\u{a0}041\u{202f}630\t\n"), "200 041 630");
        assert_eq!(fold("a\u{ad}b"), "ab");
        assert_eq!(fold("--"), "");
        assert_eq!(fold(""), "");
        assert_eq!(fold("   "), "");
    }

    #[test]
    fn french_thousands() {
        assert_eq!(thousands(50_000), "50\u{202f}000");
        assert_eq!(thousands(-1_250_000), "−1\u{202f}250\u{202f}000");
        assert_eq!(thousands(999), "999");
        assert_eq!(
            group_digits("1000000000000"),
            "1\u{202f}000\u{202f}000\u{202f}000\u{202f}000"
        );
    }

    #[test]
    fn fold_is_idempotent() {
        for s in ["Saint-Étienne", "L’Hôte", "Œ  æ ß", "Département du Val-d'Oise"] {
            assert_eq!(fold(&fold(s)), fold(s));
        }
    }

    #[test]
    fn words() {
        assert_eq!(fold_words("Département du Val-d'Oise"), "departement du val d oise");
        assert_eq!(fold_words("  L’Hôte  (test) « ok » "), "l hote test ok");
        assert_eq!(fold_words("'-'"), "");
    }
}
