//! SQL for statistics.
