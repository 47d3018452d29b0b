//! Half-day slots of a session, attendance sheets and module completion.
