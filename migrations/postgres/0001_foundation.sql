-- Foundation: the network, its member organisations and schools, accounts,
-- roles, sessions, tokens, the job queue and the activity/audit logs.
-- Same tables and columns as ../sqlite/0001_foundation.sql (a test checks it).
-- No extensions, triggers, advisory locks or LISTEN/NOTIFY: keeps
-- PostgreSQL-compatible distributed engines possible.

-- One row: the network this installation serves.
CREATE TABLE network (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);

-- Member organisations (collectivités, CNFPT, centres de gestion…). SIREN is
-- the natural key used in URLs; `membership` is the status in the network.
CREATE TABLE organisations (
    id UUID PRIMARY KEY,
    siren TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- name folded (lower case, no accents) for accent-insensitive filtering
    name_folded TEXT NOT NULL,
    kind TEXT NOT NULL,
    departement TEXT,
    region TEXT,
    membership TEXT NOT NULL,
    joined_on DATE,
    left_on DATE,
    description TEXT NOT NULL DEFAULT '',
    website TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX organisations_membership ON organisations (membership, name);

-- Schools (écoles); a mutualised school belongs to several organisations.
CREATE TABLE schools (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE school_organisations (
    school_id UUID NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    organisation_id UUID NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    PRIMARY KEY (school_id, organisation_id)
);
CREATE INDEX school_organisations_org ON school_organisations (organisation_id);

-- Accounts. Email is stored normalised (lower case). A NULL password_hash
-- means the account was invited and has not chosen a password yet.
CREATE TABLE users (
    id UUID PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL,
    password_changed_at TIMESTAMPTZ
);

-- Roles. Every role but coordinator is held within one organisation; a
-- coordinator's is network-wide (organisation_id NULL). Uniqueness of the
-- NULL case is enforced by the INSERT … WHERE NOT EXISTS in db/roles.rs
-- (exact on SQLite's single writer; on PostgreSQL two simultaneous grants of
-- the coordinator role to one person could both pass: harmless duplicates).
CREATE TABLE role_assignments (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id UUID REFERENCES organisations (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    granted_at TIMESTAMPTZ NOT NULL,
    granted_by UUID REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX role_assignments_unique ON role_assignments (user_id, organisation_id, role);
CREATE INDEX role_assignments_org ON role_assignments (organisation_id, role);

-- Browser sessions; the cookie holds a random token, only its SHA-256 is kept.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins, for throttling: scope 'ip', 'account' or 'device'.
CREATE TABLE login_failures (
    id UUID PRIMARY KEY,
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (scope, key, at);

-- Single-use links sent by email: password reset, invitation.
CREATE TABLE one_time_tokens (
    token_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    user_id UUID REFERENCES users (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    organisation_id UUID REFERENCES organisations (id) ON DELETE CASCADE,
    role TEXT,
    created_by UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id, purpose);

-- Personal API tokens; only the SHA-256 of the secret is kept.
CREATE TABLE api_tokens (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- The job queue (mail…): enqueued in the same transaction as the write that
-- causes it; `dedup_key` makes enqueueing idempotent; workers claim with
-- `locked_until` (and FOR UPDATE SKIP LOCKED on PostgreSQL).
CREATE TABLE jobs (
    id UUID PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    dedup_key TEXT UNIQUE,
    run_after TIMESTAMPTZ NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    locked_until TIMESTAMPTZ,
    done_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX jobs_pending ON jobs (done_at, run_after);

-- What's new in the network (home page feed).
CREATE TABLE activity (
    id UUID PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    kind TEXT NOT NULL,
    organisation_id UUID REFERENCES organisations (id) ON DELETE CASCADE,
    actor_id UUID REFERENCES users (id) ON DELETE SET NULL,
    summary TEXT NOT NULL,
    link TEXT
);
CREATE INDEX activity_at ON activity (at);

-- Who did what to whom: administrative changes and access to confidential data.
CREATE TABLE audit_log (
    id UUID PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    actor_id UUID REFERENCES users (id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Keys generated at first start (HMAC of device cookies…), never in config.
CREATE TABLE app_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
