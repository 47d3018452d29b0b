//! Integration tests: evaluations.
