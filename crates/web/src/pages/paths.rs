//! Pages: paths.
