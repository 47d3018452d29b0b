//! SQL for evaluations.
