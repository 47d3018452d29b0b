//! Pages: trainers.
