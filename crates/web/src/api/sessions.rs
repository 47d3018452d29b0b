//! API: sessions.
