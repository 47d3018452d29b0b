//! SIREN: the 9-digit identifier of a French legal entity (INSEE's SIRENE
//! directory). Every collectivité has one.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A valid SIREN: exactly 9 ASCII digits whose Luhn key is right.
///
/// Built only by [`Siren::parse`], which accepts the usual spellings of a
/// person (« 200 041 630 », with spaces or non-breaking spaces between the
/// digit groups). Displayed grouped (`200 041 630`); serialised as the plain
/// 9 digits (`"200041630"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Siren(String);

/// Why a text is not a SIREN. The messages are meant for the person who
/// typed it: they say what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SirenError {
    #[error("Saisissez le SIREN : 9 chiffres, par exemple 200 041 630.")]
    Empty,
    #[error(
        "Le SIREN ne comporte que des chiffres, éventuellement séparés par des espaces : retirez le caractère « {0} »."
    )]
    InvalidCharacter(char),
    #[error("Vous avez saisi un SIRET (14 chiffres) : le SIREN en est les 9 premiers chiffres.")]
    LooksLikeSiret,
    #[error("Le SIREN doit comporter exactement 9 chiffres (vous en avez saisi {0}).")]
    WrongLength(usize),
    #[error("Ce SIREN n'existe pas : sa clé de contrôle est incorrecte. Vérifiez les chiffres saisis.")]
    BadChecksum,
}

/// Separators a person may put between digit groups: space, no-break space
/// and narrow no-break space (French typography).
fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}')
}

/// The Luhn key of a string of ASCII digits.
fn luhn_ok(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let d2 = d * 2;
                if d2 > 9 { d2 - 9 } else { d2 }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

impl Siren {
    /// Parses a SIREN typed by a person: 9 digits, optionally grouped with
    /// spaces or non-breaking spaces, surrounding spaces ignored; anything
    /// else is refused; the Luhn key must be right.
    pub fn parse(input: &str) -> Result<Siren, SirenError> {
        let trimmed = input.trim_matches(|c: char| c.is_whitespace());
        if trimmed.is_empty() {
            return Err(SirenError::Empty);
        }
        let mut digits = String::with_capacity(9);
        for c in trimmed.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
            } else if !is_separator(c) {
                return Err(SirenError::InvalidCharacter(c));
            }
        }
        match digits.len() {
            9 => {}
            14 => return Err(SirenError::LooksLikeSiret),
            n => return Err(SirenError::WrongLength(n)),
        }
        if !luhn_ok(&digits) {
            return Err(SirenError::BadChecksum);
        }
        Ok(Siren(digits))
    }

    /// The 9 digits, without separators.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 9 digits, without separators.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Siren {
    /// Grouped by three: `200 041 630`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.0;
        write!(f, "{} {} {}", &s[0..3], &s[3..6], &s[6..9])
    }
}

impl FromStr for Siren {
    type Err = SirenError;

    fn from_str(s: &str) -> Result<Siren, SirenError> {
        Siren::parse(s)
    }
}

impl AsRef<str> for Siren {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for Siren {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Siren {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Siren, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Siren::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as DeError, StrDeserializer};

    #[test]
    fn real_sirens_from_the_reference() {
        // CA Alès Agglomération, commune d'Alès, Région Grand Est,
        // Département du Val-d'Oise, Orléans Métropole, CA Ardenne Métropole.
        for s in [
            "200066918",
            "213000078",
            "200052264",
            "229501275",
            "244500468",
            "200041630",
        ] {
            let siren = Siren::parse(s).unwrap();
            assert_eq!(siren.as_str(), s);
        }
    }

    #[test]
    fn spaces_and_no_break_spaces_between_groups() {
        let expected = Siren::parse("200041630").unwrap();
        for s in [
            "200 041 630",
            "200\u{a0}041\u{a0}630",
            "200\u{202f}041\u{202f}630",
            "  200041630 ",
            "2 0 0 0 4 1 6 3 0",
            "\t200 041 630\n",
        ] {
            assert_eq!(Siren::parse(s), Ok(expected.clone()), "{s:?}");
        }
    }

    #[test]
    fn display_is_grouped_and_as_str_is_plain() {
        let siren = Siren::parse("200041630").unwrap();
        assert_eq!(siren.to_string(), "200 041 630");
        assert_eq!(siren.as_str(), "200041630");
        assert_eq!(siren.clone().into_string(), "200041630");
        assert_eq!("200 041 630".parse::<Siren>(), Ok(siren));
    }

    #[test]
    fn bad_length() {
        assert_eq!(Siren::parse("20004163"), Err(SirenError::WrongLength(8)));
        assert_eq!(Siren::parse("2000416300"), Err(SirenError::WrongLength(10)));
        assert_eq!(Siren::parse("200 041 630 00012"), Err(SirenError::LooksLikeSiret));
        assert_eq!(Siren::parse(""), Err(SirenError::Empty));
        assert_eq!(Siren::parse("   "), Err(SirenError::Empty));
        assert_eq!(
            SirenError::WrongLength(8).to_string(),
            "Le SIREN doit comporter exactement 9 chiffres (vous en avez saisi 8)."
        );
    }

    #[test]
    fn letters_and_other_characters_are_refused() {
        assert_eq!(Siren::parse("20004163O"), Err(SirenError::InvalidCharacter('O')));
        assert_eq!(Siren::parse("200.041.630"), Err(SirenError::InvalidCharacter('.')));
        assert_eq!(Siren::parse("200-041-630"), Err(SirenError::InvalidCharacter('-')));
        // Non-ASCII digits are not digits of a SIREN.
        assert_eq!(Siren::parse("２00041630"), Err(SirenError::InvalidCharacter('２')));
        assert!(SirenError::InvalidCharacter('O').to_string().contains("« O »"));
    }

    #[test]
    fn bad_checksum() {
        assert_eq!(Siren::parse("200041631"), Err(SirenError::BadChecksum));
        // Two swapped digits are caught too.
        assert_eq!(Siren::parse("200014630"), Err(SirenError::BadChecksum));
        assert_eq!(
            SirenError::BadChecksum.to_string(),
            "Ce SIREN n'existe pas : sa clé de contrôle est incorrecte. Vérifiez les chiffres saisis."
        );
    }

    #[test]
    fn serde_is_the_plain_string() {
        let de: StrDeserializer<'_, DeError> = "200 041 630".into_deserializer();
        let siren = Siren::deserialize(de).unwrap();
        assert_eq!(siren.as_str(), "200041630");
        let de: StrDeserializer<'_, DeError> = "200041631".into_deserializer();
        let err = Siren::deserialize(de).unwrap_err();
        assert!(err.to_string().contains("clé de contrôle"));
    }
}
