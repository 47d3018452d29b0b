//! Catégories hiérarchiques of the fonction publique territoriale: A+ (the
//! informal « A+ » of senior managers: administrateurs, ingénieurs en chef…),
//! A, B, C.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    APlus,
    A,
    B,
    C,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("Catégorie inconnue « {0} » : indiquez A+, A, B ou C.")]
pub struct UnknownCategory(pub String);

impl Category {
    pub const ALL: [Category; 4] = [Category::APlus, Category::A, Category::B, Category::C];

    /// The stored and displayed form: `A+`, `A`, `B`, `C`.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::APlus => "A+",
            Category::A => "A",
            Category::B => "B",
            Category::C => "C",
        }
    }

    /// Reads what people and HR software write: « A+ », « a », « Cat. B »,
    /// « catégorie C », « Catégorie A+ ». An empty text is `Ok(None)`.
    pub fn parse(input: &str) -> Result<Option<Category>, UnknownCategory> {
        let folded = crate::text::fold(input);
        let mut s = folded.as_str().trim();
        for prefix in ["categorie", "cat.", "cat"] {
            if let Some(rest) = s.strip_prefix(prefix) {
                s = rest.trim();
                break;
            }
        }
        let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        match compact.as_str() {
            "" if input.trim().is_empty() => Ok(None),
            "a+" | "aplus" => Ok(Some(Category::APlus)),
            "a" => Ok(Some(Category::A)),
            "b" => Ok(Some(Category::B)),
            "c" => Ok(Some(Category::C)),
            _ => Err(UnknownCategory(input.trim().to_owned())),
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_hr_software_writes() {
        assert_eq!(Category::parse("A+"), Ok(Some(Category::APlus)));
        assert_eq!(Category::parse(" a "), Ok(Some(Category::A)));
        assert_eq!(Category::parse("Cat. B"), Ok(Some(Category::B)));
        assert_eq!(Category::parse("Catégorie C"), Ok(Some(Category::C)));
        assert_eq!(Category::parse("catégorie A +"), Ok(Some(Category::APlus)));
        assert_eq!(Category::parse(""), Ok(None));
        assert!(Category::parse("D").is_err());
        assert!(Category::parse("cat").is_err());
    }
}
