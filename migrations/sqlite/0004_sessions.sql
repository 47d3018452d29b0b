-- École, second part: sessions of a module and enrolments with a waitlist.
-- Same tables and columns as ../postgres/0004_sessions.sql.

-- A dated run of a module, organised by a school (the module's own, or one
-- that took it into its catalogue).
CREATE TABLE training_sessions (
    id BLOB PRIMARY KEY,
    module_id BLOB NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
    school_id BLOB NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    -- address (with the room) or empty when only online
    place TEXT NOT NULL DEFAULT '',
    online_url TEXT,
    capacity INTEGER NOT NULL,
    -- last day to enrol (inclusive); NULL: until the session starts
    enrol_until TEXT,
    -- last day to cancel without the school (inclusive); NULL: until it starts
    cancel_until TEXT,
    cancelled INTEGER NOT NULL DEFAULT 0,
    created_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX training_sessions_module ON training_sessions (module_id, starts_on);
CREATE INDEX training_sessions_school ON training_sessions (school_id, starts_on);

-- One person in one session: enrolled, waiting (in `seq` order) or cancelled.
CREATE TABLE enrolments (
    id BLOB PRIMARY KEY,
    session_id BLOB NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- 'inscrit', 'attente', 'annule'
    status TEXT NOT NULL,
    -- arrival order within the session: the waitlist is served in this order
    seq INTEGER NOT NULL,
    enrolled_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (session_id, user_id),
    UNIQUE (session_id, seq)
);
CREATE INDEX enrolments_user ON enrolments (user_id);
CREATE INDEX enrolments_status ON enrolments (session_id, status, seq);
