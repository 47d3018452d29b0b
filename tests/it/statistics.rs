//! Integration tests: statistics.
