//! Pages: attestations.
