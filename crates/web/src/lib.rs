//! The HTTP layer of Maillage, and the only crate that knows HTTP, HTML and
//! JSON. Pages (askama templates) and the JSON API call the same operations
//! of `maillage-core`; errors are rendered once as a French HTML page and
//! once as JSON (see [`error`]).

pub mod api;
pub mod auth;
pub mod charts;
pub mod error;
pub mod forms;
pub mod layout;
pub mod middleware;
pub mod pages;
pub mod router;
pub mod state;

pub use router::router;
pub use state::AppState;
