//! The directory (annuaire): each person's profile in their organisation,
//! what each field shows to whom, French full-text search, the agents-file
//! import and the exports.
//!
//! Privacy in one sentence: the storage computes each viewer's tier for each
//! profile (`maillage_db::profiles::tier_sql`) and only ever matches or
//! returns what that tier may see; [`profile::Profile`] then blanks every
//! field above it, so no page, API answer or export can show it.

pub mod edit;
pub mod export;
pub mod generate;
pub mod import;
pub mod import_file;
pub mod index;
pub mod photo;
pub mod profile;
pub mod search;
pub mod themes;
pub mod visibility;

pub use profile::Profile;
pub use visibility::Visibility;
