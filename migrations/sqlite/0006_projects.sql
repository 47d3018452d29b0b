-- Promotions, the project bank and the casting of project groups. Same
-- tables and columns as ../postgres/0006_projects.sql.

-- Whether a person's promotions (« ancienne ou ancien de… ») show on their
-- directory profile: same levels as the other `*_vis` columns. Default: only
-- them and the administrators, until they allow more.
ALTER TABLE profiles ADD COLUMN alumni_vis INTEGER NOT NULL DEFAULT 2;

-- A promotion: a cohort of learners, from one or several organisations,
-- following a path of a school over given dates. After `ends_on` its
-- members are its alumni.
CREATE TABLE promotions (
    id BLOB PRIMARY KEY,
    school_id BLOB NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    path_id BLOB REFERENCES paths (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    name_sort TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    -- the free temperament categories the school uses in this promotion's
    -- casting, one per line (e.g. « Meneur », « Analytique »)
    temperaments TEXT NOT NULL DEFAULT '',
    created_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX promotions_school ON promotions (school_id, starts_on);

-- Members, and what the casting uses of them. The casting data is entered
-- by the school for this promotion only (minimum data: a birth year, not a
-- birth date); the temperament only with the person's consent, recorded.
CREATE TABLE promotion_members (
    promotion_id BLOB NOT NULL REFERENCES promotions (id) ON DELETE CASCADE,
    profile_id BLOB NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    -- 'F', 'H' or NULL (not given)
    gender TEXT,
    birth_year INTEGER,
    -- years as a manager
    seniority_years INTEGER,
    temperament TEXT,
    temperament_consent_at TEXT,
    -- casting group (1..K); NULL before the casting
    group_no INTEGER,
    added_at TEXT NOT NULL,
    PRIMARY KEY (promotion_id, profile_id)
);
CREATE INDEX promotion_members_profile ON promotion_members (profile_id);

-- The promotion's last casting: its parameters, so it can be reproduced.
CREATE TABLE promotion_castings (
    promotion_id BLOB PRIMARY KEY REFERENCES promotions (id) ON DELETE CASCADE,
    group_count INTEGER NOT NULL,
    min_size INTEGER,
    max_size INTEGER,
    seed INTEGER NOT NULL,
    computed_at TEXT NOT NULL,
    computed_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    -- people moved by hand since the computation
    moves INTEGER NOT NULL DEFAULT 0
);

-- Project banks: a project proposed by a sponsor (commanditaire) to a
-- school, screened at the « appetizer », carried by a promotion's group,
-- presented to a jury, then followed for years.
-- status: propose, retenu, non_retenu, en_cours, restitue, mis_en_oeuvre,
-- partiellement_mis_en_oeuvre, non_mis_en_oeuvre, abandonne
-- (crates/domain/src/project.rs); `status_reason`: the why of
-- non_retenu, partiellement/non_mis_en_oeuvre and abandonne.
-- visibility: brouillon (team), organisation, reseau.
CREATE TABLE projects (
    id BLOB PRIMARY KEY,
    -- the school that screens and follows it; a project not retained can be
    -- taken up by another school (the move is in project_events)
    school_id BLOB NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    promotion_id BLOB REFERENCES promotions (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    title_sort TEXT NOT NULL,
    problem TEXT NOT NULL DEFAULT '',
    context TEXT NOT NULL DEFAULT '',
    expected_impact TEXT NOT NULL DEFAULT '',
    solution TEXT NOT NULL DEFAULT '',
    -- the impact observed
    impact TEXT NOT NULL DEFAULT '',
    -- the training tools used, and the lessons learned
    tools TEXT NOT NULL DEFAULT '',
    lessons TEXT NOT NULL DEFAULT '',
    sponsor_organisation_id BLOB NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    -- the sponsor's account, if any: may comment
    sponsor_user_id BLOB REFERENCES users (id) ON DELETE SET NULL,
    -- how to reach the sponsor (name, service, professional email)
    contact TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    status_reason TEXT NOT NULL DEFAULT '',
    started_on TEXT,
    jury_on TEXT,
    jury TEXT NOT NULL DEFAULT '',
    visibility TEXT NOT NULL DEFAULT 'brouillon',
    -- the bank's year filter: the promotion's year, else the proposal's
    year INTEGER NOT NULL,
    -- analysed terms of title, problem, solution and lessons
    -- (crates/domain/src/search.rs), matched with LIKE like the catalogue
    search_terms TEXT NOT NULL,
    created_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX projects_school ON projects (school_id, updated_at);
CREATE INDEX projects_promotion ON projects (promotion_id);
CREATE INDEX projects_sponsor ON projects (sponsor_organisation_id);
CREATE INDEX projects_status ON projects (status, updated_at);

-- The team: people of the directory (learners, then alumni).
CREATE TABLE project_members (
    project_id BLOB NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    profile_id BLOB NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    added_at TEXT NOT NULL,
    PRIMARY KEY (project_id, profile_id)
);
CREATE INDEX project_members_profile ON project_members (profile_id);

-- Organisations concerned besides the sponsor (where it is implemented…).
CREATE TABLE project_organisations (
    project_id BLOB NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    organisation_id BLOB NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, organisation_id)
);
CREATE INDEX project_organisations_org ON project_organisations (organisation_id);

CREATE TABLE project_themes (
    project_id BLOB NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    theme_id BLOB NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, theme_id)
);
CREATE INDEX project_themes_theme ON project_themes (theme_id);

-- Status history (the appetizer's decision and its reason, a new proposal
-- to a later promotion, a take-up by another school, the jury…).
CREATE TABLE project_events (
    id BLOB PRIMARY KEY,
    project_id BLOB NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    school_id BLOB REFERENCES schools (id) ON DELETE SET NULL,
    promotion_id BLOB REFERENCES promotions (id) ON DELETE SET NULL,
    by_user BLOB REFERENCES users (id) ON DELETE SET NULL,
    at TEXT NOT NULL
);
CREATE INDEX project_events_project ON project_events (project_id, at);

-- The dated timeline of updates, written by the team and alumni for years.
CREATE TABLE project_updates (
    id BLOB PRIMARY KEY,
    project_id BLOB NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    author_id BLOB REFERENCES users (id) ON DELETE SET NULL,
    written_on TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX project_updates_project ON project_updates (project_id, written_on);

-- Impact indicators and their dated measures.
CREATE TABLE project_indicators (
    id BLOB PRIMARY KEY,
    project_id BLOB NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    baseline REAL,
    target REAL,
    position INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX project_indicators_project ON project_indicators (project_id, position);

CREATE TABLE project_measures (
    id BLOB PRIMARY KEY,
    indicator_id BLOB NOT NULL REFERENCES project_indicators (id) ON DELETE CASCADE,
    measured_on TEXT NOT NULL,
    value REAL NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX project_measures_indicator ON project_measures (indicator_id, measured_on);

-- Feedback from the public service's users (and others), as collected:
-- source: usager, agent, elu, partenaire, commanditaire, equipe.
CREATE TABLE project_feedback (
    id BLOB PRIMARY KEY,
    project_id BLOB NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    -- who said it, as they agreed to be named (« une usagère de la médiathèque »)
    author_label TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    received_on TEXT NOT NULL,
    recorded_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX project_feedback_project ON project_feedback (project_id, received_on);

-- The sponsor's (and the school's) comments.
CREATE TABLE project_comments (
    id BLOB PRIMARY KEY,
    project_id BLOB NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    author_id BLOB REFERENCES users (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX project_comments_project ON project_comments (project_id, created_at);

-- Deliverables: the file as uploaded, its type found from its content.
CREATE TABLE project_attachments (
    id BLOB PRIMARY KEY,
    project_id BLOB NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    content BLOB NOT NULL,
    uploaded_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX project_attachments_project ON project_attachments (project_id, created_at);

-- « Débogage »: a team asks the network for help with a question.
-- status: ouverte, resolue, codeveloppement (turned into a
-- co-development request).
CREATE TABLE help_requests (
    id BLOB PRIMARY KEY,
    project_id BLOB NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'ouverte',
    created_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE INDEX help_requests_status ON help_requests (status, created_at);
CREATE INDEX help_requests_project ON help_requests (project_id);

CREATE TABLE help_offers (
    id BLOB PRIMARY KEY,
    request_id BLOB NOT NULL REFERENCES help_requests (id) ON DELETE CASCADE,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (request_id, user_id)
);

-- Casting groups of a promotion, each with the project it carries.
CREATE TABLE promotion_groups (
    promotion_id BLOB NOT NULL REFERENCES promotions (id) ON DELETE CASCADE,
    group_no INTEGER NOT NULL,
    project_id BLOB REFERENCES projects (id) ON DELETE SET NULL,
    PRIMARY KEY (promotion_id, group_no)
);

-- The projects a member would like to work on, in order of preference.
CREATE TABLE promotion_wishes (
    promotion_id BLOB NOT NULL REFERENCES promotions (id) ON DELETE CASCADE,
    profile_id BLOB NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    project_id BLOB NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    PRIMARY KEY (promotion_id, profile_id, project_id)
);
