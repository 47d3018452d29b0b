//! Pages: attendance.
