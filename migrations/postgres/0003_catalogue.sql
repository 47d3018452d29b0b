-- École, first part: the catalogue of modules. Same tables and columns as
-- ../sqlite/0003_catalogue.sql.

-- A module of a school's catalogue (a formation, a seminar, a coaching…).
-- `shared`: offered to the whole network; other schools may take it
-- into their catalogue (module_adoptions), the owning school stays credited.
CREATE TABLE modules (
    id UUID PRIMARY KEY,
    school_id UUID NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
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
    duration_value BIGINT NOT NULL,
    -- jours, demi-journees, heures
    duration_unit TEXT NOT NULL,
    trainers TEXT NOT NULL DEFAULT '',
    shared BOOLEAN NOT NULL DEFAULT FALSE,
    archived BOOLEAN NOT NULL DEFAULT FALSE,
    -- analysed terms of title, objectives and description
    -- (crates/domain/src/search.rs), matched with LIKE: a catalogue has
    -- hundreds of modules, not hundreds of thousands
    search_terms TEXT NOT NULL,
    created_by UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX modules_school ON modules (school_id, title_sort);
CREATE INDEX modules_shared ON modules (shared, title_sort);

CREATE TABLE module_themes (
    module_id UUID NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
    theme_id UUID NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    PRIMARY KEY (module_id, theme_id)
);
CREATE INDEX module_themes_theme ON module_themes (theme_id);

-- A shared module taken into another school's catalogue.
CREATE TABLE module_adoptions (
    module_id UUID NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
    school_id UUID NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    adopted_at TIMESTAMPTZ NOT NULL,
    adopted_by UUID REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (module_id, school_id)
);
CREATE INDEX module_adoptions_school ON module_adoptions (school_id);
