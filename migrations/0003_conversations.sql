-- The floor: channels, contacts, conversations, messages, the outbox, attachments,
-- pauses taken, and full-text search over messages.

CREATE TABLE channels (
    id                INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('webchat', 'whatsapp', 'telegram', 'email')),
    name              TEXT NOT NULL,
    -- Public key in widget URLs and webhook paths.
    key               TEXT NOT NULL UNIQUE,
    active            INTEGER NOT NULL DEFAULT 1,
    default_team_id   INTEGER REFERENCES teams(id) ON DELETE SET NULL,
    schedule_group_id INTEGER REFERENCES schedule_groups(id) ON DELETE SET NULL,
    -- Kind-specific settings as JSON (web chat: colour, greeting, pre-chat fields).
    config            TEXT NOT NULL DEFAULT '{}',
    created_at        INTEGER NOT NULL
) STRICT;

-- One global sequence for protocol numbers (WC00000000042, WA…, TL…, EM…).
CREATE TABLE sequences (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) STRICT;
INSERT INTO sequences (name, value) VALUES ('protocol', 0);

CREATE TABLE contacts (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL DEFAULT '',
    -- Digits only: country + area + number.
    phone      TEXT NOT NULL DEFAULT '',
    -- Custom fields as JSON {field_id: value}.
    custom     TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX contacts_phone ON contacts(phone);
CREATE INDEX contacts_name ON contacts(name COLLATE NOCASE);

-- How a contact is known on a channel: the web chat visitor token (hashed), a
-- WhatsApp number, a Telegram chat id, an e-mail address.
CREATE TABLE contact_identities (
    channel_id  INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (channel_id, external_id)
) STRICT;
CREATE INDEX contact_identities_contact ON contact_identities(contact_id);

CREATE TABLE conversations (
    id                INTEGER PRIMARY KEY,
    protocol          TEXT NOT NULL UNIQUE,
    channel_id        INTEGER NOT NULL REFERENCES channels(id),
    contact_id        INTEGER NOT NULL REFERENCES contacts(id),
    team_id           INTEGER REFERENCES teams(id) ON DELETE SET NULL,
    agent_id          INTEGER REFERENCES users(id) ON DELETE SET NULL,
    -- waiting (in a team queue), active (with an agent), pending (waiting for the
    -- customer, not counted against capacity), closed.
    status            TEXT NOT NULL CHECK (status IN ('waiting', 'active', 'pending', 'closed')),
    opened_at         INTEGER NOT NULL,
    queued_at         INTEGER NOT NULL,
    assigned_at       INTEGER,
    first_response_at INTEGER,
    last_message_at   INTEGER NOT NULL,
    last_inbound_at   INTEGER,
    closed_at         INTEGER,
    closed_by         INTEGER REFERENCES users(id) ON DELETE SET NULL,
    close_comment     TEXT NOT NULL DEFAULT '',
    -- Inbound messages the assigned agent has not seen.
    unread            INTEGER NOT NULL DEFAULT 0
) STRICT;
-- A contact has at most one open conversation per channel.
CREATE UNIQUE INDEX conversations_one_open ON conversations(contact_id, channel_id) WHERE status != 'closed';
CREATE INDEX conversations_queue ON conversations(team_id, status, queued_at);
CREATE INDEX conversations_agent ON conversations(agent_id, status);
CREATE INDEX conversations_contact ON conversations(contact_id, closed_at);

CREATE TABLE attachments (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    -- Stored under the data directory by content hash.
    sha256          TEXT NOT NULL,
    size            INTEGER NOT NULL,
    content_type    TEXT NOT NULL,
    -- The file name as sent, neutralised for display and downloads.
    file_name       TEXT NOT NULL,
    created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX attachments_conversation ON attachments(conversation_id);

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    channel_id      INTEGER NOT NULL REFERENCES channels(id),
    -- in: from the contact; out: to the contact; internal: agents only; system: events.
    direction       TEXT NOT NULL CHECK (direction IN ('in', 'out', 'internal', 'system')),
    author_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body            TEXT NOT NULL DEFAULT '',
    attachment_id   INTEGER REFERENCES attachments(id) ON DELETE SET NULL,
    -- The channel's id for the message (de-duplication of retried deliveries).
    external_id     TEXT,
    -- received (in), queued → sent → delivered → read, or failed (out).
    status          TEXT NOT NULL DEFAULT 'received'
                    CHECK (status IN ('received', 'queued', 'sent', 'delivered', 'read', 'failed')),
    failure         TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX messages_external ON messages(channel_id, direction, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX messages_conversation ON messages(conversation_id, id);

CREATE VIRTUAL TABLE messages_fts USING fts5(
    body, content = 'messages', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO messages_fts (rowid, body) VALUES (new.id, new.body);
END;

-- Outbound messages waiting for their channel; a row leaves when delivered or failed.
CREATE TABLE outbox (
    message_id      INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    channel_id      INTEGER NOT NULL REFERENCES channels(id),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX outbox_due ON outbox(channel_id, next_attempt_at);

CREATE TABLE conversation_tags (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    tag_id          INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (conversation_id, tag_id)
) STRICT;

-- Classifications: several per conversation when the contact raised several matters.
CREATE TABLE conversation_tabulations (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    tabulation_id   INTEGER NOT NULL REFERENCES tabulations(id),
    added_by        INTEGER REFERENCES users(id) ON DELETE SET NULL,
    added_at        INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, tabulation_id)
) STRICT;

-- Colleagues invited into a conversation.
CREATE TABLE conversation_participants (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    invited_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    invited_at      INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
) STRICT;

-- Pauses agents take (F-AG-13); ended_at NULL while paused.
CREATE TABLE agent_pauses (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    pause_id   INTEGER NOT NULL REFERENCES pauses(id),
    started_at INTEGER NOT NULL,
    ended_at   INTEGER
) STRICT;
CREATE INDEX agent_pauses_user ON agent_pauses(user_id, started_at);

-- When an agent last finished a conversation (routing ties go to the longest idle).
ALTER TABLE users ADD COLUMN last_assigned_at INTEGER;
