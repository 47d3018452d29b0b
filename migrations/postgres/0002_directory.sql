-- Directory (annuaire): profiles, their themes, photos, change history, the
-- full-text index and pending imports. Same tables and columns as
-- ../sqlite/0002_directory.sql, except the search index (profile_fts),
-- which is a tsvector table here and an FTS5 table there (the
-- schema-parity test skips it).
--
-- Visibility levels (the `*_vis` columns and `listed`), compared with the
-- viewer's tier (crates/db/src/profiles.rs, `tier_sql`):
--   0 the whole network, 1 the person's organisation, 2 only the person and
--   the administrators (`listed` = 2: out of the directory).

CREATE TABLE profiles (
    id UUID PRIMARY KEY,
    -- used by SQLite's FTS5 rowids; a sequence here
    search_seq BIGSERIAL NOT NULL UNIQUE,
    user_id UUID UNIQUE REFERENCES users (id) ON DELETE SET NULL,
    organisation_id UUID NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    name_sort TEXT NOT NULL,
    function_title TEXT NOT NULL DEFAULT '',
    function_vis INTEGER NOT NULL DEFAULT 0,
    direction TEXT NOT NULL DEFAULT '',
    service TEXT NOT NULL DEFAULT '',
    unit_vis INTEGER NOT NULL DEFAULT 0,
    category TEXT,
    category_vis INTEGER NOT NULL DEFAULT 1,
    cadre TEXT NOT NULL DEFAULT '',
    cadre_vis INTEGER NOT NULL DEFAULT 2,
    email TEXT UNIQUE,
    email_vis INTEGER NOT NULL DEFAULT 1,
    phone TEXT,
    phone_vis INTEGER NOT NULL DEFAULT 1,
    bio TEXT NOT NULL DEFAULT '',
    bio_vis INTEGER NOT NULL DEFAULT 0,
    languages TEXT NOT NULL DEFAULT '',
    languages_vis INTEGER NOT NULL DEFAULT 0,
    themes_vis INTEGER NOT NULL DEFAULT 0,
    photo_vis INTEGER NOT NULL DEFAULT 0,
    listed INTEGER NOT NULL DEFAULT 0,
    consented_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX profiles_name ON profiles (name_sort);
CREATE INDEX profiles_org ON profiles (organisation_id, name_sort);
CREATE INDEX profiles_category ON profiles (category, name_sort);

CREATE TABLE themes (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE profile_themes (
    profile_id UUID NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    theme_id UUID NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    PRIMARY KEY (profile_id, theme_id, kind)
);
CREATE INDEX profile_themes_theme ON profile_themes (theme_id, profile_id);

CREATE TABLE profile_photos (
    profile_id UUID PRIMARY KEY REFERENCES profiles (id) ON DELETE CASCADE,
    jpeg BYTEA NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE profile_changes (
    id UUID PRIMARY KEY,
    profile_id UUID NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    changed_by UUID REFERENCES users (id) ON DELETE SET NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    source TEXT NOT NULL,
    fields TEXT NOT NULL
);
CREATE INDEX profile_changes_profile ON profile_changes (profile_id, changed_at);

CREATE TABLE imports (
    id UUID PRIMARY KEY,
    organisation_id UUID NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    created_by UUID REFERENCES users (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    data BYTEA NOT NULL,
    mapping TEXT,
    created_at TIMESTAMPTZ NOT NULL
);

-- Full-text index: three rows per profile (tier 0, 1, 2), each holding the
-- terms of the fields visible at that tier, names weighted 'A'.
CREATE TABLE profile_fts (
    profile_id UUID NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    tier SMALLINT NOT NULL,
    document TSVECTOR NOT NULL,
    PRIMARY KEY (profile_id, tier)
);
CREATE INDEX profile_fts_document ON profile_fts USING GIN (document);
