//! A professional email address, normalised (trimmed, lower-case) so that one
//! person cannot hold two accounts that differ by case.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Saisissez une adresse électronique.")]
    Empty,
    #[error("Saisissez une adresse électronique valide, par exemple prenom.nom@ville.fr.")]
    Invalid,
    #[error("L'adresse électronique est trop longue (254 caractères au plus).")]
    TooLong,
}

impl Email {
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        if s.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = s.rsplit_once('@').ok_or(EmailError::Invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && local
                .chars()
                .all(|c| !c.is_whitespace() && !c.is_control() && c != '<' && c != '>');
        if !(domain_ok && local_ok) {
            return Err(EmailError::Invalid);
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_spaces() {
        assert_eq!(
            Email::parse("  Camille.Martin@Ville-Ales.FR ").unwrap().as_str(),
            "camille.martin@ville-ales.fr"
        );
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "camille",
            "camille@",
            "@ville.fr",
            "a b@ville.fr",
            "a@ville",
            "a@.fr",
            "a@ville..fr",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} accepted");
        }
    }
}
