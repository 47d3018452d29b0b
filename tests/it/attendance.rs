//! Integration tests: attendance.
