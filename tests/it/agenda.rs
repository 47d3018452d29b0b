//! Integration tests: agenda.
