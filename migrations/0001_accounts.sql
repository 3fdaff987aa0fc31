-- Accounts, sessions, one-time links, settings and the audit log.
-- Times are unix milliseconds (UTC) everywhere.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE users (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    username         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    email            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role             TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
    password_hash    TEXT,
    active           INTEGER NOT NULL DEFAULT 1,
    language         TEXT,
    phone            TEXT NOT NULL DEFAULT '',
    extension        TEXT NOT NULL DEFAULT '',
    -- CIDR ranges, one per line; empty means anywhere.
    allowed_networks TEXT NOT NULL DEFAULT '',
    totp_secret      TEXT,
    totp_enabled     INTEGER NOT NULL DEFAULT 0,
    -- Last accepted TOTP time step, so a code is never accepted twice.
    totp_last_step   INTEGER NOT NULL DEFAULT 0,
    failed_logins    INTEGER NOT NULL DEFAULT 0,
    locked_until     INTEGER,
    -- 'online', 'paused' or 'offline': whether routing may give this user work.
    status           TEXT NOT NULL DEFAULT 'offline' CHECK (status IN ('online', 'paused', 'offline')),
    last_heartbeat_at INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
) STRICT;

CREATE TABLE recovery_codes (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   INTEGER
) STRICT;
CREATE INDEX recovery_codes_user ON recovery_codes(user_id);

CREATE TABLE sessions (
    -- SHA-256 of the token held in the private cookie.
    id           TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    ip           TEXT NOT NULL,
    user_agent   TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_last_seen ON sessions(last_seen_at);

-- Single-use links: first-administrator setup and "cadastrar senha"/reset.
CREATE TABLE one_time_links (
    -- SHA-256 of the token in the link.
    token_hash TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL CHECK (purpose IN ('setup', 'set_password')),
    user_id    INTEGER REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    used_at    INTEGER
) STRICT;

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    action   TEXT NOT NULL,
    target   TEXT NOT NULL DEFAULT '',
    details  TEXT NOT NULL DEFAULT '{}',
    ip       TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_at ON audit_log(at);
