//! Password policy, after CNIL deliberation 2022-100: length rather than
//! composition rules, a blocklist of common passwords, no forced expiry.
//! Login throttling (the other half of the CNIL recommendation) lives in core.

use crate::text::fold;

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error(
        "Le mot de passe doit comporter au moins {MIN_CHARS} caractères ; une phrase de passe de plusieurs mots est bienvenue."
    )]
    TooShort,
    #[error("Le mot de passe est trop long ({MAX_CHARS} caractères au plus).")]
    TooLong,
    #[error(
        "Ce mot de passe est trop courant ou trop facile à deviner : choisissez-en un autre, par exemple une phrase de plusieurs mots."
    )]
    Common,
    #[error("Le mot de passe ne doit pas reprendre votre adresse électronique ou votre nom.")]
    Personal,
}

/// Checks a new password against the policy. `personal` holds words the
/// password must not be built from (email local part, name).
pub fn check(password: &str, personal: &[&str]) -> Result<(), PasswordError> {
    let n = password.chars().count();
    if n < MIN_CHARS {
        return Err(PasswordError::TooShort);
    }
    if n > MAX_CHARS {
        return Err(PasswordError::TooLong);
    }
    let folded: String = fold(password).chars().filter(|c| !c.is_whitespace()).collect();
    if is_common(&folded) {
        return Err(PasswordError::Common);
    }
    // Compared on letters and digits only: « camille.martin1 » is built from
    // « Camille Martin » whatever the punctuation.
    let alnum: String = folded.chars().filter(|c| c.is_alphanumeric()).collect();
    for word in personal {
        let w: String = fold(word).chars().filter(|c| c.is_alphanumeric()).collect();
        if w.chars().count() >= 4 && alnum.contains(&w) && alnum.chars().count() < w.chars().count() + 8 {
            return Err(PasswordError::Personal);
        }
    }
    Ok(())
}

fn is_common(folded: &str) -> bool {
    if blocklist().any(|b| b == folded) {
        return true;
    }
    // One or two characters repeated, or a run of consecutive characters
    // ("abcdefghijkl", "123456789012").
    let chars: Vec<char> = folded.chars().collect();
    let distinct = {
        let mut c = chars.clone();
        c.sort_unstable();
        c.dedup();
        c.len()
    };
    if distinct <= 3 {
        return true;
    }
    let sequential = chars
        .windows(2)
        .filter(|w| (w[1] as i64 - w[0] as i64).abs() == 1 || (w[0] == '9' && w[1] == '0'))
        .count();
    sequential + 1 >= chars.len() - 1
}

/// Common long passwords and French keyboard walks, folded (lower-case, no
/// accents, no spaces). Shorter ones are already refused by the length rule,
/// so only those of 12 characters or more are listed.
fn blocklist() -> impl Iterator<Item = &'static str> {
    include_str!("../data/common_passwords.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_passphrases_without_composition_rules() {
        assert_eq!(check("le chat dort sur le radiateur", &[]), Ok(()));
        assert_eq!(check("correcthorsebatterystaple", &[]), Ok(()));
    }

    #[test]
    fn refuses_short_common_and_personal() {
        assert_eq!(check("Tr0ub4dor&3", &[]), Err(PasswordError::TooShort));
        assert_eq!(check("azertyuiop123", &[]), Err(PasswordError::Common));
        assert_eq!(check("Motdepasse123!", &[]), Err(PasswordError::Common));
        assert_eq!(check("123456789012", &[]), Err(PasswordError::Common));
        assert_eq!(check("aaaaaaaaaaaaaa", &[]), Err(PasswordError::Common));
        assert_eq!(
            check("camille.martin1", &["camille.martin"]),
            Err(PasswordError::Personal)
        );
    }
}
