//! A professional phone number, as shown in the directory.
//!
//! [`Phone::parse`] reads what people type and HR software exports
//! (« 01 23 45 67 89 », « 01.23.45.67.89 », « +33 (0)1 23 45 67 89 »,
//! « 0033123456789 »…) and keeps one display form: a French number in its
//! national form « 01 23 45 67 89 », any other number in international form
//! « +262 262 12 34 56 » (overseas départements and foreign numbers alike).

use std::fmt;

/// A valid phone number in its display form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Phone(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// Letters, stray symbols, or a number of digits that fits no plan.
    #[error(
        "Numéro de téléphone non reconnu : écrivez 10 chiffres (01 23 45 67 89) ou un numéro international commençant par +."
    )]
    Invalid,
    /// Nine digits not starting with 0: a spreadsheet has most likely taken the
    /// number for a quantity and dropped its leading zero.
    #[error(
        "Numéro de téléphone incomplet : il manque sans doute le 0 du début (un tableur l'efface parfois) ; écrivez 10 chiffres, par exemple 01 23 45 67 89."
    )]
    MissingLeadingZero,
}

/// Longest text worth reading: a number with generous spacing and a « (0) ».
const MAX_INPUT_CHARS: usize = 40;

impl Phone {
    /// Reads a phone number; an empty (or blank) text is `Ok(None)`.
    ///
    /// Spaces (also no-break ones), dots, hyphens, slashes and parentheses
    /// separate digit groups; a single `+` may start the number, as may the
    /// international prefix `00`. A « (0) » after the country code is the
    /// national trunk prefix and is dropped.
    pub fn parse(input: &str) -> Result<Option<Phone>, PhoneError> {
        let s = input.trim();
        if s.is_empty() {
            return Ok(None);
        }
        if s.chars().count() > MAX_INPUT_CHARS {
            return Err(PhoneError::Invalid);
        }
        let (international, body) = match s.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        // Drop the trunk prefix written « (0) » in international numbers.
        let body = if international || body.starts_with("00") {
            body.replacen("(0)", "", 1)
        } else {
            body.to_owned()
        };
        let mut digits = String::with_capacity(body.len());
        for c in body.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '\u{a0}' | '\u{202f}' | '\t' | '.' | '-' | '/' | '(' | ')' => {}
                _ => return Err(PhoneError::Invalid),
            }
        }
        if international {
            return international_number(&digits).map(Some);
        }
        if let Some(rest) = digits.strip_prefix("00") {
            return international_number(rest).map(Some);
        }
        if digits.len() == 10 && digits.starts_with('0') {
            return Ok(Some(Phone(national(&digits))));
        }
        if digits.len() == 9 && !digits.starts_with('0') {
            return Err(PhoneError::MissingLeadingZero);
        }
        Err(PhoneError::Invalid)
    }

    /// The display form: « 01 23 45 67 89 » or « +262 262 12 34 56 ».
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The `tel:` link target (RFC 3966 global number), e.g. `tel:+33123456789`.
    pub fn tel_uri(&self) -> String {
        let digits: String = self.0.chars().filter(char::is_ascii_digit).collect();
        match digits.strip_prefix('0') {
            Some(rest) if !self.0.starts_with('+') => format!("tel:+33{rest}"),
            _ => format!("tel:+{digits}"),
        }
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `digits` follow the `+` (or `00`): country code and subscriber number.
fn international_number(digits: &str) -> Result<Phone, PhoneError> {
    if let Some(rest) = digits.strip_prefix("33") {
        // France: 9 digits after the country code; tolerate the 0 people
        // often keep (« +33 01 23 45 67 89 »).
        let national_digits = match rest.len() {
            9 if !rest.starts_with('0') => format!("0{rest}"),
            10 if rest.starts_with('0') && !rest.starts_with("00") => rest.to_owned(),
            _ => return Err(PhoneError::Invalid),
        };
        return Ok(Phone(national(&national_digits)));
    }
    if !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
        return Err(PhoneError::Invalid);
    }
    let code_len = country_code_len(digits);
    let (code, rest) = digits.split_at(code_len);
    let mut out = String::with_capacity(digits.len() * 2);
    out.push('+');
    out.push_str(code);
    if code == "1" && rest.len() == 10 {
        // North American plan: 212 555 1234.
        out.push(' ');
        out.push_str(&rest[..3]);
        out.push(' ');
        out.push_str(&rest[3..6]);
        out.push(' ');
        out.push_str(&rest[6..]);
    } else {
        // French habit: pairs, with a leading group of three when odd
        // (« +262 262 12 34 56 »).
        let first = if rest.len() % 2 == 1 {
            3.min(rest.len())
        } else {
            2.min(rest.len())
        };
        out.push(' ');
        out.push_str(&rest[..first]);
        for pair in rest.as_bytes()[first..].chunks(2) {
            out.push(' ');
            // Digits are ASCII, so any byte split is a char boundary.
            out.extend(pair.iter().map(|&b| b as char));
        }
    }
    Ok(Phone(out))
}

/// « 0123456789 » → « 01 23 45 67 89 ».
fn national(digits: &str) -> String {
    let mut out = String::with_capacity(14);
    for (i, pair) in digits.as_bytes().chunks(2).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.extend(pair.iter().map(|&b| b as char));
    }
    out
}

/// Length of the ITU-T E.164 country code that starts `digits`.
fn country_code_len(digits: &str) -> usize {
    const TWO_DIGIT: [&str; 44] = [
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
        "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84",
        "86", "90", "91", "92", "93", "94", "95", "98",
    ];
    match digits.as_bytes().first() {
        Some(b'1' | b'7') => 1,
        _ if TWO_DIGIT.iter().any(|c| digits.starts_with(c)) => 2,
        _ => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> String {
        match Phone::parse(input) {
            Ok(Some(p)) => p.as_str().to_owned(),
            other => panic!("{input:?} gave {other:?}"),
        }
    }

    #[test]
    fn empty_is_none() {
        assert_eq!(Phone::parse(""), Ok(None));
        assert_eq!(Phone::parse("   \t"), Ok(None));
    }

    #[test]
    fn french_numbers_as_typed() {
        for input in [
            "01 23 45 67 89",
            "01.23.45.67.89",
            "01-23-45-67-89",
            "0123456789",
            " 01 23 45 67 89 ",
            "01\u{a0}23\u{a0}45\u{a0}67\u{a0}89",
            "01 23 45 67 89\u{202f}",
            "+33 1 23 45 67 89",
            "+33123456789",
            "+33 (0)1 23 45 67 89",
            "+33(0)123456789",
            "+33 01 23 45 67 89",
            "0033123456789",
            "00 33 1 23 45 67 89",
            "0033 (0)1 23 45 67 89",
            "(01) 23 45 67 89",
        ] {
            assert_eq!(ok(input), "01 23 45 67 89", "{input}");
        }
        assert_eq!(ok("06 12 34 56 78"), "06 12 34 56 78");
        assert_eq!(ok("+33 6 12 34 56 78"), "06 12 34 56 78");
    }

    #[test]
    fn overseas_and_foreign_numbers() {
        assert_eq!(ok("+262 262 12 34 56"), "+262 262 12 34 56");
        assert_eq!(ok("+262262123456"), "+262 262 12 34 56");
        assert_eq!(ok("00262 262 12 34 56"), "+262 262 12 34 56");
        assert_eq!(ok("+590 590 12 34 56"), "+590 590 12 34 56");
        assert_eq!(ok("+594 594 12 34 56"), "+594 594 12 34 56");
        assert_eq!(ok("+596 596 12 34 56"), "+596 596 12 34 56");
        assert_eq!(ok("+269 773 12 34"), "+269 773 12 34");
        assert_eq!(ok("+687 12 34 56"), "+687 12 34 56");
        assert_eq!(ok("+32 2 123 45 67"), "+32 21 23 45 67");
        assert_eq!(ok("+44 (0)20 7946 0958"), "+44 20 79 46 09 58");
        assert_eq!(ok("+1 (212) 555-1234"), "+1 212 555 1234");
        assert_eq!(ok("+41 22 123 45 67"), "+41 221 23 45 67");
    }

    #[test]
    fn rejects_with_a_french_sentence() {
        for bad in [
            "abc",
            "01 23 45 67 8",
            "01 23 45 67 89 0",
            "1234",
            "+33 1 23 45",
            "+33 1 23 45 67 89 10",
            "+1234567",
            "+1234567890123456",
            "+0 123 456 789",
            "01 23 45 67 89 poste 12",
            "tel: 0123456789",
            "++33123456789",
            "01+23456789",
            "0033",
            "00 0123456789",
            "+",
            "-",
        ] {
            assert_eq!(Phone::parse(bad), Err(PhoneError::Invalid), "{bad} accepted");
        }
        let long = "0".repeat(50);
        assert_eq!(Phone::parse(&long), Err(PhoneError::Invalid));
        assert_eq!(Phone::parse("123456789"), Err(PhoneError::MissingLeadingZero));
        let message = PhoneError::Invalid.to_string();
        assert!(message.starts_with("Numéro de téléphone non reconnu"), "{message}");
        assert!(message.contains("01 23 45 67 89"));
        assert!(PhoneError::MissingLeadingZero.to_string().contains("0 du début"));
    }

    #[test]
    fn display_and_tel_uri() {
        let p = Phone::parse("+33 (0)1 23 45 67 89").unwrap().unwrap();
        assert_eq!(p.to_string(), "01 23 45 67 89");
        assert_eq!(p.tel_uri(), "tel:+33123456789");
        let p = Phone::parse("+262 262 12 34 56").unwrap().unwrap();
        assert_eq!(p.tel_uri(), "tel:+262262123456");
    }

    #[test]
    fn parse_of_display_form_is_identity() {
        for input in [
            "01 23 45 67 89",
            "+262 262 12 34 56",
            "+1 212 555 1234",
            "+44 20 79 46 09 58",
        ] {
            assert_eq!(ok(&ok(input)), ok(input));
        }
    }
}
