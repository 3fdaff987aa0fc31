-- The full-text index is brought up to date once per batch of the writer, not once per
-- message. FTS5 writes what it holds to disk at every savepoint, and every write of a
-- batch runs in a savepoint of its own (`db::writer`): indexed by the triggers, each
-- message became a segment of its own, merged again and again, about a quarter of the
-- writer's time. Now the triggers only note the message here, in the same transaction,
-- and the batch's end (`messages::index_waiting`) indexes what waits, all at once,
-- before the COMMIT: a reader still never sees a message without its words.

CREATE TABLE message_search_waiting (message_id INTEGER PRIMARY KEY);

DROP TRIGGER message_search_insert;
DROP TRIGGER message_search_delete;
DROP TRIGGER message_search_update;

CREATE TRIGGER message_search_insert AFTER INSERT ON messages WHEN new.direction != 'system' BEGIN
    INSERT OR IGNORE INTO message_search_waiting (message_id) VALUES (new.id);
END;
-- A message still waiting is not in the index yet: it only leaves the list.
CREATE TRIGGER message_search_delete AFTER DELETE ON messages WHEN old.direction != 'system' BEGIN
    DELETE FROM message_search WHERE rowid = old.id
        AND NOT EXISTS (SELECT 1 FROM message_search_waiting WHERE message_id = old.id);
    DELETE FROM message_search_waiting WHERE message_id = old.id;
END;
-- Indexed again from the row as it is at the batch's end.
CREATE TRIGGER message_search_update AFTER UPDATE OF body, direction, conversation_id ON messages BEGIN
    DELETE FROM message_search WHERE rowid = old.id AND old.direction != 'system'
        AND NOT EXISTS (SELECT 1 FROM message_search_waiting WHERE message_id = old.id);
    DELETE FROM message_search_waiting WHERE message_id = old.id AND new.direction = 'system';
    INSERT OR IGNORE INTO message_search_waiting (message_id) SELECT new.id WHERE new.direction != 'system';
END;
