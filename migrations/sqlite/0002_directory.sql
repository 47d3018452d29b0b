-- Directory (annuaire): profiles, their themes, photos, change history, the
-- full-text index and pending imports. Same tables and columns as
-- ../postgres/0002_directory.sql, except the search index (profile_fts),
-- which is an FTS5 table here and a tsvector table there (the schema-parity
-- test skips it).
--
-- Visibility levels (the `*_vis` columns and `listed`), compared with the
-- viewer's tier (crates/db/src/profiles.rs, `tier_sql`):
--   0 the whole network, 1 the person's organisation, 2 only the person and
--   the administrators (`listed` = 2: out of the directory).

CREATE TABLE profiles (
    id BLOB PRIMARY KEY,
    -- rowid base of this profile's three rows in profile_fts (seq * 4 + tier)
    search_seq INTEGER NOT NULL UNIQUE,
    user_id BLOB UNIQUE REFERENCES users (id) ON DELETE SET NULL,
    organisation_id BLOB NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    -- folded « last first », for ordering and name lookups
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
    -- when the person read the directory's information text and chose
    consented_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX profiles_name ON profiles (name_sort);
CREATE INDEX profiles_org ON profiles (organisation_id, name_sort);
CREATE INDEX profiles_category ON profiles (category, name_sort);

-- Themes of expertise and interest; the coordinator manages the list.
CREATE TABLE themes (
    id BLOB PRIMARY KEY,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE profile_themes (
    profile_id BLOB NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    theme_id BLOB NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    -- 'expertise' or 'interest'
    kind TEXT NOT NULL,
    PRIMARY KEY (profile_id, theme_id, kind)
);
CREATE INDEX profile_themes_theme ON profile_themes (theme_id, profile_id);

-- The processed photo (JPEG, metadata stripped), never the upload.
CREATE TABLE profile_photos (
    profile_id BLOB PRIMARY KEY REFERENCES profiles (id) ON DELETE CASCADE,
    jpeg BLOB NOT NULL,
    updated_at TEXT NOT NULL
);

-- Dated history of changes: who, when, which fields (never the values).
CREATE TABLE profile_changes (
    id BLOB PRIMARY KEY,
    profile_id BLOB NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    changed_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    changed_at TEXT NOT NULL,
    -- 'profil' (the person), 'administration', 'import'
    source TEXT NOT NULL,
    -- comma-separated field keys
    fields TEXT NOT NULL
);
CREATE INDEX profile_changes_profile ON profile_changes (profile_id, changed_at);

-- An uploaded agents file between its upload and its validation (pruned
-- after a day).
CREATE TABLE imports (
    id BLOB PRIMARY KEY,
    organisation_id BLOB NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    created_by BLOB REFERENCES users (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    data BLOB NOT NULL,
    -- JSON array: one field key or null per column
    mapping TEXT,
    created_at TEXT NOT NULL
);

-- Full-text index: three rows per profile (rowid = search_seq * 4 + tier),
-- each holding the terms of the fields visible at that tier
-- (crates/core/src/directory/index.rs). Contentless: only the index is kept.
-- Full detail (not `detail = column`): with column detail, a contentless
-- table's bm25() is always 0 and results would not be ranked.
CREATE VIRTUAL TABLE profile_fts USING fts5 (
    names,
    body,
    content = '',
    contentless_delete = 1,
    prefix = '2 3',
    tokenize = 'unicode61 remove_diacritics 0'
);
