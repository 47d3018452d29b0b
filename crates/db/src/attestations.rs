//! SQL for attestations.
