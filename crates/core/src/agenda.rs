//! Calendars (.ics per session, personal feed) and reminders before sessions.
