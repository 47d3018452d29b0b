//! API: paths.
