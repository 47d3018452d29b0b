//! SQL for paths.
