//! SQL for calendar.
