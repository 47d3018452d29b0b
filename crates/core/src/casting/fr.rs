//! Small French-writing helpers for the casting's messages and report.

/// « 1 personne », « 3 personnes », « 0 personne » (French keeps 0 and 1
/// singular).
pub(crate) fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n > 1 { plural } else { singular })
}

/// A score with two decimals and a decimal comma: « 0,87 ».
pub(crate) fn score(x: f64) -> String {
    format!("{x:.2}").replace('.', ",")
}

/// A whole number of years from a mean: « 41 ans ».
pub(crate) fn years(x: f64) -> String {
    let y = x.round() as i64;
    format!("{y} an{}", if y.abs() > 1 { "s" } else { "" })
}

/// A share as a whole percentage: « 48 % » (no-break space before %).
pub fn percent(part: u32, whole: u32) -> String {
    let p = if whole == 0 {
        0.0
    } else {
        100.0 * f64::from(part) / f64::from(whole)
    };
    format!("{:.0}\u{a0}%", p)
}

/// « de 5 personnes » or « de 5 à 6 personnes ».
pub(crate) fn sizes(min: usize, max: usize) -> String {
    if min == max {
        format!("de {}", count(min, "personne", "personnes"))
    } else {
        format!("de {min} à {max} personnes")
    }
}

/// Upper-cases the first letter (a label starting a sentence).
pub(crate) fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_numbers() {
        assert_eq!(count(1, "femme", "femmes"), "1 femme");
        assert_eq!(count(0, "femme", "femmes"), "0 femme");
        assert_eq!(count(3, "femme", "femmes"), "3 femmes");
        assert_eq!(score(0.876), "0,88");
        assert_eq!(years(41.4), "41 ans");
        assert_eq!(years(1.0), "1 an");
        assert_eq!(percent(1, 3), "33\u{a0}%");
        assert_eq!(sizes(5, 6), "de 5 à 6 personnes");
        assert_eq!(sizes(1, 1), "de 1 personne");
        assert_eq!(capitalise("la personne id 3"), "La personne id 3");
    }
}
