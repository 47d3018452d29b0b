//! Pages: statistics.
