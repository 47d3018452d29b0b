//! SQL for attendance.
