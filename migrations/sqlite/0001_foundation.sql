-- Foundation: the network, its member organisations and schools, accounts,
-- roles, sessions, tokens, the job queue and the activity/audit logs.
-- Same tables and columns as ../postgres/0001_foundation.sql (a test checks it).
-- SQLite dialect: UUIDs are 16-byte BLOBs; times are RFC 3339 TEXT in UTC
-- with exactly 6 fraction digits (crates/db/src/query.rs, sqlite_time), so
-- text order is time order; booleans are INTEGER 0/1.

-- One row: the network this installation serves.
CREATE TABLE network (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

-- Member organisations (collectivités, CNFPT, centres de gestion…). SIREN is
-- the natural key used in URLs; `membership` is the status in the network.
CREATE TABLE organisations (
    id BLOB PRIMARY KEY,
    siren TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- name folded (lower case, no accents) for accent-insensitive filtering
    name_folded TEXT NOT NULL,
    kind TEXT NOT NULL,
    departement TEXT,
    region TEXT,
    membership TEXT NOT NULL,
    joined_on TEXT,
    left_on TEXT,
    description TEXT NOT NULL DEFAULT '',
    website TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX organisations_membership ON organisations (membership, name);

-- Schools (écoles); a mutualised school belongs to several organisations.
CREATE TABLE schools (
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE school_organisations (
    school_id BLOB NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    organisation_id BLOB NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    PRIMARY KEY (school_id, organisation_id)
);
CREATE INDEX school_organisations_org ON school_organisations (organisation_id);

-- Accounts. Email is stored normalised (lower case). A NULL password_hash
-- means the account was invited and has not chosen a password yet.
CREATE TABLE users (
    id BLOB PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    password_changed_at TEXT
);

-- Roles. Every role but coordinator is held within one organisation; a
-- coordinator's is network-wide (organisation_id NULL). Uniqueness of the
-- NULL case is enforced by the INSERT … WHERE NOT EXISTS in db/roles.rs
-- (exact on SQLite's single writer; on PostgreSQL two simultaneous grants of
-- the coordinator role to one person could both pass: harmless duplicates).
CREATE TABLE role_assignments (
    id BLOB PRIMARY KEY,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id BLOB REFERENCES organisations (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    granted_by BLOB REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX role_assignments_unique ON role_assignments (user_id, organisation_id, role);
CREATE INDEX role_assignments_org ON role_assignments (organisation_id, role);

-- Browser sessions; the cookie holds a random token, only its SHA-256 is kept.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins, for throttling: scope 'ip', 'account' or 'device'.
CREATE TABLE login_failures (
    id BLOB PRIMARY KEY,
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (scope, key, at);

-- Single-use links sent by email: password reset, invitation.
CREATE TABLE one_time_tokens (
    token_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    user_id BLOB REFERENCES users (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    organisation_id BLOB REFERENCES organisations (id) ON DELETE CASCADE,
    role TEXT,
    created_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id, purpose);

-- Personal API tokens; only the SHA-256 of the secret is kept.
CREATE TABLE api_tokens (
    id BLOB PRIMARY KEY,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- The job queue (mail…): enqueued in the same transaction as the write that
-- causes it; `dedup_key` makes enqueueing idempotent; workers claim with
-- `locked_until` (SQLite has a single writer).
CREATE TABLE jobs (
    id BLOB PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    dedup_key TEXT UNIQUE,
    run_after TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    locked_until TEXT,
    done_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX jobs_pending ON jobs (done_at, run_after);

-- What's new in the network (home page feed).
CREATE TABLE activity (
    id BLOB PRIMARY KEY,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    organisation_id BLOB REFERENCES organisations (id) ON DELETE CASCADE,
    actor_id BLOB REFERENCES users (id) ON DELETE SET NULL,
    summary TEXT NOT NULL,
    link TEXT
);
CREATE INDEX activity_at ON activity (at);

-- Who did what to whom: administrative changes and access to confidential data.
CREATE TABLE audit_log (
    id BLOB PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id BLOB REFERENCES users (id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Keys generated at first start (HMAC of device cookies…), never in config.
CREATE TABLE app_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at TEXT NOT NULL
);
