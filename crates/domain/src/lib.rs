//! Value types of Maillage. Nothing here does I/O: a value that exists past a
//! constructor (`parse`) is valid, so the other crates never re-check it.

/// An enum stored by a key, shown by a French label (catalogue formats,
/// project statuses…): one definition of `key`, `label`, `parse`, `ALL`.
macro_rules! keyed_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => ($key:literal, $label:literal)),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and URL form.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(key: &str) -> Option<$name> {
                let key = key.trim();
                $name::ALL.iter().copied().find(|v| v.key() == key)
            }
        }
    };
}

pub mod catalogue;
pub mod category;
pub mod email;
pub mod org_kind;
pub mod password;
pub mod phone;
pub mod project;
pub mod reference;
pub mod role;
pub mod search;
pub mod siren;
pub mod text;
