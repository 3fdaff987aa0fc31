-- Bot flows: a flow's draft, its immutable published versions, the flow session of a
-- conversation running one, the flow a channel starts for new conversations, and the
-- conversation status 'bot' (with the bot, in no queue).
--
-- SQLite cannot change a CHECK constraint, so `conversations` is rebuilt the way its
-- documentation describes (create the new table, copy, drop the old, rename, indexes
-- again), with foreign keys off around the migration so the drop deletes nothing;
-- the migration then checks every foreign key before it commits.

CREATE TABLE conversations_new (
    id                INTEGER PRIMARY KEY,
    protocol          TEXT NOT NULL UNIQUE,
    channel_id        INTEGER NOT NULL REFERENCES channels(id),
    contact_id        INTEGER NOT NULL REFERENCES contacts(id),
    team_id           INTEGER REFERENCES teams(id) ON DELETE SET NULL,
    agent_id          INTEGER REFERENCES users(id) ON DELETE SET NULL,
    -- bot (running a flow, in no queue), waiting (in a team queue), active (with an
    -- agent), pending (waiting for the customer, not counted against capacity), closed.
    status            TEXT NOT NULL CHECK (status IN ('bot', 'waiting', 'active', 'pending', 'closed')),
    opened_at         INTEGER NOT NULL,
    queued_at         INTEGER NOT NULL,
    assigned_at       INTEGER,
    first_response_at INTEGER,
    last_message_at   INTEGER NOT NULL,
    last_inbound_at   INTEGER,
    closed_at         INTEGER,
    closed_by         INTEGER REFERENCES users(id) ON DELETE SET NULL,
    close_comment     TEXT NOT NULL DEFAULT '',
    unread            INTEGER NOT NULL DEFAULT 0,
    subject           TEXT NOT NULL DEFAULT '',
    -- A flow's transfer "com prioridade": ahead of the others in its team's queue.
    priority          INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO conversations_new (id, protocol, channel_id, contact_id, team_id, agent_id, status, opened_at,
    queued_at, assigned_at, first_response_at, last_message_at, last_inbound_at, closed_at, closed_by,
    close_comment, unread, subject)
SELECT id, protocol, channel_id, contact_id, team_id, agent_id, status, opened_at,
    queued_at, assigned_at, first_response_at, last_message_at, last_inbound_at, closed_at, closed_by,
    close_comment, unread, subject
FROM conversations;

DROP TABLE conversations;
ALTER TABLE conversations_new RENAME TO conversations;

CREATE UNIQUE INDEX conversations_one_open ON conversations(contact_id, channel_id) WHERE status != 'closed';
CREATE INDEX conversations_queue ON conversations(team_id, status, queued_at);
CREATE INDEX conversations_agent ON conversations(agent_id, status);
CREATE INDEX conversations_contact ON conversations(contact_id, closed_at);

CREATE TABLE flows (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    -- The definition being edited (JSON, `domain::flow::Definition`); checked on publish.
    draft      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- What "Publicar" froze: numbered per flow, never changed (the trigger refuses it), so
-- a conversation pinned to a version runs exactly what it started on.
CREATE TABLE flow_versions (
    id           INTEGER PRIMARY KEY,
    flow_id      INTEGER NOT NULL REFERENCES flows(id),
    number       INTEGER NOT NULL,
    definition   TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    published_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    UNIQUE (flow_id, number)
) STRICT;
CREATE TRIGGER flow_versions_immutable BEFORE UPDATE OF flow_id, number, definition ON flow_versions
BEGIN
    SELECT RAISE(ABORT, 'a published flow version cannot change');
END;

-- A conversation inside a flow: the version it is pinned to, where it is (the step's
-- state, JSON) and when the customer's silence counts as idle. The row leaves with
-- the flow (transfer, close, take-over).
CREATE TABLE flow_sessions (
    conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
    version_id      INTEGER NOT NULL REFERENCES flow_versions(id),
    state           TEXT NOT NULL,
    updated_at      INTEGER NOT NULL,
    idle_at         INTEGER NOT NULL
) STRICT;
CREATE INDEX flow_sessions_idle ON flow_sessions(idle_at);

-- The flow a channel starts for new conversations (its latest published version);
-- none: straight to the channel's team as before. A column, not a key in the
-- channel's JSON settings: ingest reads it on every new conversation, and the foreign
-- key clears it when the flow goes.
ALTER TABLE channels ADD COLUMN flow_id INTEGER REFERENCES flows(id) ON DELETE SET NULL;

-- How a flow's menu may be shown by a channel that has buttons or lists (WhatsApp):
-- beside the message, whose body is the numbered text every channel can send.
CREATE TABLE message_choices (
    message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    -- buttons (up to 3) or list (up to 10).
    style      TEXT NOT NULL CHECK (style IN ('buttons', 'list')),
    options    TEXT NOT NULL
) STRICT;
