-- Administration: permission groups, teams, agents' settings, schedule groups,
-- tabulations, word filter, pauses, message templates, canned phrases, tags and
-- contact custom fields.

CREATE TABLE permission_groups (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    -- The built-in "Administrador geral" holds every permission and cannot be emptied.
    builtin     INTEGER NOT NULL DEFAULT 0,
    -- JSON array of "area:action" strings, e.g. ["teams:view", "teams:edit"].
    permissions TEXT NOT NULL DEFAULT '[]',
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE user_groups (
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES permission_groups(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, group_id)
) STRICT;

INSERT INTO permission_groups (name, builtin, permissions, created_at)
VALUES ('Administrador geral', 1, '["*"]', CAST(unixepoch('subsec') * 1000 AS INTEGER));
INSERT INTO user_groups (user_id, group_id)
SELECT id, (SELECT id FROM permission_groups WHERE builtin = 1) FROM users WHERE role = 'admin';

CREATE TABLE schedule_groups (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    time_zone  TEXT NOT NULL DEFAULT 'America/Sao_Paulo',
    active     INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
) STRICT;

-- Weekly opening intervals; minutes from midnight, end exclusive; end may be 1440.
CREATE TABLE schedule_intervals (
    id        INTEGER PRIMARY KEY,
    group_id  INTEGER NOT NULL REFERENCES schedule_groups(id) ON DELETE CASCADE,
    weekday   INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6), -- 0 = Monday
    start_min INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
    end_min   INTEGER NOT NULL CHECK (end_min BETWEEN 1 AND 1440),
    CHECK (end_min > start_min)
) STRICT;
CREATE INDEX schedule_intervals_group ON schedule_intervals(group_id);

-- Dated exceptions: a holiday (closed all day) or different hours on that date.
CREATE TABLE schedule_exceptions (
    id        INTEGER PRIMARY KEY,
    group_id  INTEGER NOT NULL REFERENCES schedule_groups(id) ON DELETE CASCADE,
    day       TEXT NOT NULL,            -- YYYY-MM-DD in the group's time zone
    label     TEXT NOT NULL DEFAULT '',
    -- NULL start/end: closed all day; otherwise open only in [start_min, end_min).
    start_min INTEGER,
    end_min   INTEGER,
    UNIQUE (group_id, day, start_min)
) STRICT;

CREATE TABLE teams (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE COLLATE NOCASE,
    -- 'manual': agents pull; 'auto': given to the least busy available member.
    distribution       TEXT NOT NULL DEFAULT 'auto' CHECK (distribution IN ('manual', 'auto')),
    -- 0 means no limit.
    queue_limit        INTEGER NOT NULL DEFAULT 0,
    require_tabulation INTEGER NOT NULL DEFAULT 0,
    active             INTEGER NOT NULL DEFAULT 1,
    created_at         INTEGER NOT NULL
) STRICT;

CREATE TABLE team_members (
    team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
) STRICT;
CREATE INDEX team_members_user ON team_members(user_id);

ALTER TABLE users ADD COLUMN capacity INTEGER NOT NULL DEFAULT 5;
ALTER TABLE users ADD COLUMN schedule_group_id INTEGER REFERENCES schedule_groups(id) ON DELETE SET NULL;
-- Outside the schedule group: 'warn' lets the agent go online with a warning, 'refuse' does not.
ALTER TABLE users ADD COLUMN outside_hours TEXT NOT NULL DEFAULT 'warn';
-- Which conversation history the agent may see: 'none', 'own' (own teams) or 'all'.
ALTER TABLE users ADD COLUMN history_scope TEXT NOT NULL DEFAULT 'own';
ALTER TABLE users ADD COLUMN internal_chat INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN require_2fa INTEGER NOT NULL DEFAULT 0;

-- Tabulations: reasons (parent_id NULL) and their sub-reasons, per team.
CREATE TABLE tabulations (
    id        INTEGER PRIMARY KEY,
    team_id   INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES tabulations(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    active    INTEGER NOT NULL DEFAULT 1
) STRICT;
CREATE UNIQUE INDEX tabulations_name ON tabulations(team_id, ifnull(parent_id, 0), name COLLATE NOCASE);

-- Word filter: 'blocked' words an agent may not send; 'ignore' terms that must not
-- open a new conversation right after one closed.
CREATE TABLE word_filter (
    id   INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('blocked', 'ignore')),
    term TEXT NOT NULL,
    UNIQUE (kind, term)
) STRICT;

CREATE TABLE pauses (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    max_minutes  INTEGER NOT NULL CHECK (max_minutes > 0),
    productive   INTEGER NOT NULL DEFAULT 0,
    -- cumulative: max_minutes is a limit over the day; otherwise per pause.
    cumulative   INTEGER NOT NULL DEFAULT 0,
    -- Allowed window in minutes from midnight (company time zone); NULL = any time.
    window_start INTEGER,
    window_end   INTEGER,
    active       INTEGER NOT NULL DEFAULT 1
) STRICT;

-- WhatsApp-style message templates (HSM).
CREATE TABLE message_templates (
    id       INTEGER PRIMARY KEY,
    team_id  INTEGER REFERENCES teams(id) ON DELETE CASCADE, -- NULL: every team
    name     TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'pt_BR',
    category TEXT NOT NULL DEFAULT 'utility' CHECK (category IN ('utility', 'marketing', 'authentication')),
    channel  TEXT NOT NULL DEFAULT 'whatsapp',
    header   TEXT NOT NULL DEFAULT '',
    body     TEXT NOT NULL,
    -- JSON array of button labels.
    buttons  TEXT NOT NULL DEFAULT '[]',
    active   INTEGER NOT NULL DEFAULT 1,
    UNIQUE (name, language)
) STRICT;

-- Canned phrases ("Frases padrão"): team-wide (team_id) or personal (owner_id).
CREATE TABLE canned_phrases (
    id       INTEGER PRIMARY KEY,
    team_id  INTEGER REFERENCES teams(id) ON DELETE CASCADE,
    owner_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    shortcut TEXT NOT NULL,
    text     TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX canned_phrases_shortcut ON canned_phrases(ifnull(team_id, 0), ifnull(owner_id, 0), shortcut COLLATE NOCASE);

CREATE TABLE tags (
    id      INTEGER PRIMARY KEY,
    team_id INTEGER REFERENCES teams(id) ON DELETE CASCADE, -- NULL: every team
    name    TEXT NOT NULL,
    color   TEXT NOT NULL DEFAULT '#0f5fa8'
) STRICT;
CREATE UNIQUE INDEX tags_name ON tags(ifnull(team_id, 0), name COLLATE NOCASE);

CREATE TABLE contact_fields (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind     TEXT NOT NULL CHECK (kind IN ('text', 'number', 'date', 'choice')),
    -- For 'choice': JSON array of options.
    choices  TEXT NOT NULL DEFAULT '[]',
    required INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL DEFAULT 0
) STRICT;
