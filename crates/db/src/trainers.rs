//! SQL for trainers.
