//! Pages: evaluations.
