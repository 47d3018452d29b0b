-- École, third part: what a school runs around its sessions — cycles and
-- co-organisers, half-day slots, guests, trainers, closed periods, approval,
-- reminders, attendance and completion, paths, attestations, evaluations,
-- calendar feeds. Same tables and columns as ../postgres/0005_school_life.sql.

-- People: the date they took their current post (who is due for a
-- « prise de poste » path), their line manager (approval of enrolments,
-- casting), and who may see their training record on their profile
-- (same levels as the other `*_vis` columns; default: only them and admins).
ALTER TABLE profiles ADD COLUMN post_started_on TEXT;
ALTER TABLE profiles ADD COLUMN manager_id BLOB REFERENCES profiles (id) ON DELETE SET NULL;
ALTER TABLE profiles ADD COLUMN training_vis INTEGER NOT NULL DEFAULT 2;

-- A module is complete for someone who attended at least this share of
-- its session's half-days (percent).
ALTER TABLE modules ADD COLUMN completion_percent INTEGER NOT NULL DEFAULT 100;

-- Sessions grouped in a cycle (e.g. five days in five towns, plus a sixth
-- for volunteers), each with its own title within the cycle.
CREATE TABLE cycles (
    id BLOB PRIMARY KEY,
    school_id BLOB NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX cycles_school ON cycles (school_id);

ALTER TABLE training_sessions ADD COLUMN cycle_id BLOB REFERENCES cycles (id) ON DELETE SET NULL;
-- a volunteers' extra within its cycle (not required to complete it)
ALTER TABLE training_sessions ADD COLUMN optional INTEGER NOT NULL DEFAULT 0;
ALTER TABLE training_sessions ADD COLUMN title TEXT NOT NULL DEFAULT '';
-- who approves an enrolment before it takes a seat: 'aucune', 'ecole', 'responsable'
ALTER TABLE training_sessions ADD COLUMN approval TEXT NOT NULL DEFAULT 'aucune';

-- Organisations co-organising a session besides its school.
CREATE TABLE session_organisers (
    session_id BLOB NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    organisation_id BLOB NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, organisation_id)
);
CREATE INDEX session_organisers_org ON session_organisers (organisation_id);

-- The half-days of a session: attendance is taken per slot. `place` and
-- `room` override the session's place for that half-day.
CREATE TABLE session_slots (
    id BLOB PRIMARY KEY,
    session_id BLOB NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    -- 'matin' or 'apres-midi'
    half TEXT NOT NULL,
    -- local time in Europe/Paris, 'HH:MM'
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    room TEXT NOT NULL DEFAULT '',
    UNIQUE (session_id, day, half)
);
CREATE INDEX session_slots_day ON session_slots (day);

-- Guests invited for one day of a session (e.g. elected officials).
CREATE TABLE session_guests (
    id BLOB PRIMARY KEY,
    session_id BLOB NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    name TEXT NOT NULL,
    quality TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX session_guests_session ON session_guests (session_id, day);

-- Trainers (intervenants), internal (an account of the network) or
-- external; a school may offer its internal trainers to the network.
CREATE TABLE trainers (
    id BLOB PRIMARY KEY,
    school_id BLOB NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    user_id BLOB REFERENCES users (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    name_sort TEXT NOT NULL,
    internal INTEGER NOT NULL DEFAULT 1,
    -- employer or company (external trainers)
    employer TEXT NOT NULL DEFAULT '',
    email TEXT,
    bio TEXT NOT NULL DEFAULT '',
    shared INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX trainers_school ON trainers (school_id, name_sort);
CREATE INDEX trainers_user ON trainers (user_id);

CREATE TABLE module_trainers (
    module_id BLOB NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
    trainer_id BLOB NOT NULL REFERENCES trainers (id) ON DELETE CASCADE,
    PRIMARY KEY (module_id, trainer_id)
);
CREATE INDEX module_trainers_trainer ON module_trainers (trainer_id);

CREATE TABLE session_trainers (
    session_id BLOB NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    trainer_id BLOB NOT NULL REFERENCES trainers (id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, trainer_id)
);
CREATE INDEX session_trainers_trainer ON session_trainers (trainer_id);

-- Periods when a school schedules no session (holidays, closure).
CREATE TABLE closed_periods (
    id BLOB PRIMARY KEY,
    school_id BLOB NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX closed_periods_school ON closed_periods (school_id, starts_on);

-- Enrolments: 'a_valider' (waiting for approval, holds no seat) and
-- 'refuse' join the statuses; when the reminder mail went out.
ALTER TABLE enrolments ADD COLUMN reminded_at TEXT;
ALTER TABLE enrolments ADD COLUMN decided_by BLOB REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE enrolments ADD COLUMN decision_note TEXT NOT NULL DEFAULT '';

-- Attendance per half-day: 'present', 'absent', 'excuse'.
CREATE TABLE attendance (
    slot_id BLOB NOT NULL REFERENCES session_slots (id) ON DELETE CASCADE,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    recorded_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (slot_id, user_id)
);
CREATE INDEX attendance_user ON attendance (user_id);

-- A module completed by someone through a session (attendance reached the
-- module's threshold).
CREATE TABLE completions (
    id BLOB PRIMARY KEY,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    module_id BLOB NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
    session_id BLOB REFERENCES training_sessions (id) ON DELETE SET NULL,
    completed_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (user_id, session_id)
);
CREATE INDEX completions_user ON completions (user_id, module_id);
CREATE INDEX completions_module ON completions (module_id, completed_on);

-- Paths (parcours): ordered steps of modules, required or optional.
-- kind: 'libre' (anyone joins), 'obligatoire' (who must follow it is given
-- by the rule below), 'candidature' (by application and selection).
CREATE TABLE paths (
    id BLOB PRIMARY KEY,
    school_id BLOB NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    title_sort TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    -- 'obligatoire': everyone in the school's organisations who took their
    -- post less than `rule_months` months ago must follow it...
    rule_months INTEGER,
    -- ...and finish it within `deadline_months` of taking the post (late after)
    deadline_months INTEGER,
    shared INTEGER NOT NULL DEFAULT 0,
    created_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX paths_school ON paths (school_id, title_sort);

CREATE TABLE path_steps (
    id BLOB PRIMARY KEY,
    path_id BLOB NOT NULL REFERENCES paths (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    module_id BLOB NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
    required INTEGER NOT NULL DEFAULT 1,
    UNIQUE (path_id, position)
);
CREATE INDEX path_steps_module ON path_steps (module_id);

-- People following a path outside its rule, or applying to it:
-- 'candidat', 'retenu', 'non_retenu', 'inscrit', 'retire'.
CREATE TABLE path_members (
    path_id BLOB NOT NULL REFERENCES paths (id) ON DELETE CASCADE,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    motivation TEXT NOT NULL DEFAULT '',
    decision_note TEXT NOT NULL DEFAULT '',
    decided_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    decided_at TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (path_id, user_id)
);
CREATE INDEX path_members_user ON path_members (user_id);

-- Attestations as issued (a snapshot: what was certified stays readable
-- at the verification URL even if the session changes later).
CREATE TABLE attestations (
    id BLOB PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    user_id BLOB REFERENCES users (id) ON DELETE SET NULL,
    holder_name TEXT NOT NULL,
    -- 'session', 'parcours'
    kind TEXT NOT NULL,
    session_id BLOB REFERENCES training_sessions (id) ON DELETE SET NULL,
    path_id BLOB REFERENCES paths (id) ON DELETE SET NULL,
    school_id BLOB REFERENCES schools (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    school_name TEXT NOT NULL,
    -- what is certified, in French (dates, half-days attended, hours)
    details TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    issued_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    revoked_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX attestations_user ON attestations (user_id);
CREATE INDEX attestations_session ON attestations (session_id);

-- Evaluation questionnaires: templates a school edits...
CREATE TABLE evaluation_templates (
    id BLOB PRIMARY KEY,
    school_id BLOB NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    -- 'chaud' (right after the session) or 'froid' (months later)
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX evaluation_templates_school ON evaluation_templates (school_id);

CREATE TABLE evaluation_questions (
    id BLOB PRIMARY KEY,
    template_id BLOB NOT NULL REFERENCES evaluation_templates (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    -- 'note' (1 to 5) or 'texte'
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    UNIQUE (template_id, position)
);

-- ...and a questionnaire opened for one session, its questions copied from
-- the template (editing the template never changes what was answered).
CREATE TABLE evaluations (
    id BLOB PRIMARY KEY,
    session_id BLOB NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (session_id, kind)
);

CREATE TABLE evaluation_items (
    id BLOB PRIMARY KEY,
    evaluation_id BLOB NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    UNIQUE (evaluation_id, position)
);

-- Who is asked and whether they answered — never which answer is theirs.
CREATE TABLE evaluation_invitations (
    evaluation_id BLOB NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    answered INTEGER NOT NULL DEFAULT 0,
    -- when the invitation mail was queued (the questionnaire opened); NULL: not yet
    notified_on TEXT,
    PRIMARY KEY (evaluation_id, user_id)
);

-- Anonymous answers: random (v4) ids and a date without time, so that no
-- answer can be matched with its author by order or timing. WITHOUT ROWID:
-- rows are stored in the order of their random ids, not of their arrival.
CREATE TABLE evaluation_responses (
    id BLOB PRIMARY KEY,
    evaluation_id BLOB NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    submitted_on TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX evaluation_responses_evaluation ON evaluation_responses (evaluation_id);

CREATE TABLE evaluation_answers (
    response_id BLOB NOT NULL REFERENCES evaluation_responses (id) ON DELETE CASCADE,
    item_id BLOB NOT NULL REFERENCES evaluation_items (id) ON DELETE CASCADE,
    score INTEGER,
    text TEXT,
    PRIMARY KEY (response_id, item_id)
) WITHOUT ROWID;
CREATE INDEX evaluation_answers_item ON evaluation_answers (item_id);

-- One secret calendar feed per person (/agenda/{token}.ics); the token is
-- stored hashed like every other token.
CREATE TABLE calendar_feeds (
    user_id BLOB PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
