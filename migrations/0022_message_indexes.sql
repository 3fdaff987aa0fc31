-- Full-text search over messages with each message's conversation in the index itself,
-- so a search learns where a word was said without reading the messages table once a
-- hit. Contentless: the text stays only in `messages`; the index keeps the words
-- (deletable) and, as an unindexed column, the conversation. System lines (events) are
-- not indexed at all. It replaces `messages_fts` and its triggers.

DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;
DROP TABLE messages_fts;

CREATE VIRTUAL TABLE message_search USING fts5(
    body, conversation_id UNINDEXED,
    content = '', contentless_delete = 1, contentless_unindexed = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO message_search (rowid, body, conversation_id)
    SELECT id, body, conversation_id FROM messages WHERE direction != 'system';

CREATE TRIGGER message_search_insert AFTER INSERT ON messages WHEN new.direction != 'system' BEGIN
    INSERT INTO message_search (rowid, body, conversation_id) VALUES (new.id, new.body, new.conversation_id);
END;
CREATE TRIGGER message_search_delete AFTER DELETE ON messages WHEN old.direction != 'system' BEGIN
    DELETE FROM message_search WHERE rowid = old.id;
END;
CREATE TRIGGER message_search_update AFTER UPDATE OF body, direction, conversation_id ON messages BEGIN
    DELETE FROM message_search WHERE rowid = old.id AND old.direction != 'system';
    INSERT INTO message_search (rowid, body, conversation_id)
        SELECT new.id, new.body, new.conversation_id WHERE new.direction != 'system';
END;

-- A conversation's system lines (transfers and the other events), which "Agentes" reads
-- for every conversation of a period without reading its other messages.
CREATE INDEX messages_system ON messages(conversation_id) WHERE direction = 'system';
