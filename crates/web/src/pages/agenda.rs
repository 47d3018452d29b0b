//! Pages: agenda.
