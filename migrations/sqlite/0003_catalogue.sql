-- École, first part: the catalogue of modules. Same tables and columns as
-- ../postgres/0003_catalogue.sql.

-- A module of a school's catalogue (a formation, a seminar, a coaching…).
-- `shared` = 1: offered to the whole network; other schools may take it
-- into their catalogue (module_adoptions), the owning school stays credited.
CREATE TABLE modules (
    id BLOB PRIMARY KEY,
    school_id BLOB NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    -- folded title: French alphabetical order (« écoute » before « Zen »)
    title_sort TEXT NOT NULL,
    -- format key: formation, seminaire, debat, coaching-individuel…
    format TEXT NOT NULL,
    objectives TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    -- categories addressed, comma-separated (A+,A,B,C); empty: all
    audience_categories TEXT NOT NULL DEFAULT '',
    -- tous, nouveaux (managers new in post), confirmes
    audience_stage TEXT NOT NULL DEFAULT 'tous',
    duration_value INTEGER NOT NULL,
    -- jours, demi-journees, heures
    duration_unit TEXT NOT NULL,
    trainers TEXT NOT NULL DEFAULT '',
    shared INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    -- analysed terms of title, objectives and description
    -- (crates/domain/src/search.rs), matched with LIKE: a catalogue has
    -- hundreds of modules, not hundreds of thousands
    search_terms TEXT NOT NULL,
    created_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX modules_school ON modules (school_id, title_sort);
CREATE INDEX modules_shared ON modules (shared, title_sort);

CREATE TABLE module_themes (
    module_id BLOB NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
    theme_id BLOB NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    PRIMARY KEY (module_id, theme_id)
);
CREATE INDEX module_themes_theme ON module_themes (theme_id);

-- A shared module taken into another school's catalogue.
CREATE TABLE module_adoptions (
    module_id BLOB NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
    school_id BLOB NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    adopted_at TEXT NOT NULL,
    adopted_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (module_id, school_id)
);
CREATE INDEX module_adoptions_school ON module_adoptions (school_id);
