//! API: attendance.
