//! Value types of Maillage. Nothing here does I/O: a value that exists past a
//! constructor (`parse`) is valid, so the other crates never re-check it.

pub mod catalogue;
pub mod category;
pub mod email;
pub mod org_kind;
pub mod password;
pub mod phone;
pub mod reference;
pub mod role;
pub mod search;
pub mod siren;
pub mod text;
