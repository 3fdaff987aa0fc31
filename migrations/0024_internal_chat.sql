-- Internal chat ("Chat interno", F-AG-20): colleagues write to each other, one to one
-- or in their team's channel. Kept apart from the customers' conversations: nothing
-- here is read by the floor, the reports, the exports, the customers' search or the
-- webhooks.

-- A thread is either a pair of users (the lower id first, one thread per pair) or a
-- team's channel (one per team).
CREATE TABLE internal_threads (
    id         INTEGER PRIMARY KEY,
    user_low   INTEGER REFERENCES users(id) ON DELETE CASCADE,
    user_high  INTEGER REFERENCES users(id) ON DELETE CASCADE,
    team_id    INTEGER REFERENCES teams(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    CHECK ((team_id IS NULL AND user_low IS NOT NULL AND user_high IS NOT NULL AND user_low < user_high)
        OR (team_id IS NOT NULL AND user_low IS NULL AND user_high IS NULL))
) STRICT;
CREATE UNIQUE INDEX internal_threads_pair ON internal_threads(user_low, user_high) WHERE team_id IS NULL;
CREATE UNIQUE INDEX internal_threads_team ON internal_threads(team_id) WHERE team_id IS NOT NULL;
CREATE INDEX internal_threads_high ON internal_threads(user_high) WHERE team_id IS NULL;

CREATE TABLE internal_messages (
    id         INTEGER PRIMARY KEY,
    thread_id  INTEGER NOT NULL REFERENCES internal_threads(id) ON DELETE CASCADE,
    author_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX internal_messages_thread ON internal_messages(thread_id, id);

-- The last message each participant has read in a thread.
CREATE TABLE internal_reads (
    thread_id    INTEGER NOT NULL REFERENCES internal_threads(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    last_read_id INTEGER NOT NULL,
    PRIMARY KEY (thread_id, user_id)
) STRICT, WITHOUT ROWID;

-- Search over the messages' text; the query joins it to the threads the reader takes part in.
CREATE VIRTUAL TABLE internal_messages_fts USING fts5(
    body, content = 'internal_messages', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER internal_messages_fts_insert AFTER INSERT ON internal_messages BEGIN
    INSERT INTO internal_messages_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER internal_messages_fts_delete AFTER DELETE ON internal_messages BEGIN
    INSERT INTO internal_messages_fts (internal_messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
