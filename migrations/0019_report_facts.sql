-- Facts the agents' and service-level reports read: when a conversation first reached
-- people, who gave the first human reply, each user's status over time, and the
-- service-level target.

-- The moment the conversation first entered a team queue (or was taken straight from
-- the bot): set once, never reset by a transfer (queued_at is). NULL while it is with
-- the bot, and for one closed in the bot without ever reaching people.
ALTER TABLE conversations ADD COLUMN first_queued_at INTEGER;
-- The agent whose message was the first human reply (first_response_at).
ALTER TABLE conversations ADD COLUMN first_response_by INTEGER REFERENCES users(id) ON DELETE SET NULL;

-- Backfill. A conversation that ran a flow reached people when the flow handed it over
-- ('flow-transferred:…') or an agent took it ('flow-taken:…'); one that never ran a
-- flow waited from its opening (opened_at, which is queued_at until a transfer resets
-- it): a fair reading of what was kept. Conversations still with the bot stay NULL.
UPDATE conversations SET first_queued_at = coalesce(
    (SELECT min(m.created_at) FROM messages m WHERE m.conversation_id = conversations.id
       AND m.direction = 'system' AND (m.body LIKE 'flow-transferred:%' OR m.body LIKE 'flow-taken:%')),
    CASE WHEN status = 'bot' OR EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = conversations.id
         AND m.direction = 'system' AND m.body LIKE 'flow-%') THEN NULL ELSE opened_at END);
UPDATE conversations SET first_response_by = (
    SELECT m.author_id FROM messages m WHERE m.conversation_id = conversations.id AND m.direction = 'out'
       AND m.author_id IS NOT NULL ORDER BY m.id LIMIT 1)
WHERE first_response_at IS NOT NULL;
CREATE INDEX conversations_first_queued ON conversations(first_queued_at) WHERE first_queued_at IS NOT NULL;

-- A user's status over time (online, paused, offline): one open span per user (ended_at
-- NULL), closed when users.status changes, whatever changes it (sign-in and sign-out,
-- pauses, the reaper, an administrator), by the trigger below. The reaper ends the
-- span of someone whose page went quiet at their last heartbeat, so a server that was
-- down does not count as time online.
CREATE TABLE status_spans (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status     TEXT NOT NULL CHECK (status IN ('online', 'paused', 'offline')),
    started_at INTEGER NOT NULL,
    ended_at   INTEGER
) STRICT;
CREATE UNIQUE INDEX status_spans_open ON status_spans(user_id) WHERE ended_at IS NULL;
CREATE INDEX status_spans_end ON status_spans(ended_at);
-- The pauses of a period are read the same way (ended after its start).
CREATE INDEX agent_pauses_end ON agent_pauses(ended_at);

-- Who is online or paused now starts a span at their last heartbeat (or now).
INSERT INTO status_spans (user_id, status, started_at)
SELECT id, status, coalesce(last_heartbeat_at, CAST(unixepoch('subsec') * 1000 AS INTEGER))
FROM users WHERE status != 'offline';

-- A change of status ends the open span and opens the next; leaving a pause by any way
-- (sign-out, the reaper) ends the pause taken, as "Ficar disponível" does.
CREATE TRIGGER users_status_span AFTER UPDATE OF status ON users
WHEN OLD.status IS NOT NEW.status
BEGIN
    UPDATE status_spans SET ended_at = max(started_at, CAST(unixepoch('subsec') * 1000 AS INTEGER))
     WHERE user_id = NEW.id AND ended_at IS NULL;
    UPDATE agent_pauses SET ended_at = max(started_at, CAST(unixepoch('subsec') * 1000 AS INTEGER))
     WHERE user_id = NEW.id AND ended_at IS NULL AND NEW.status != 'paused';
    INSERT INTO status_spans (user_id, status, started_at)
    VALUES (NEW.id, NEW.status, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;

-- A team's service-level target ("80% em 60 s"); NULL follows the company's, kept in
-- the settings under 'service_level'.
ALTER TABLE team_rules ADD COLUMN service_target_seconds INTEGER;
ALTER TABLE team_rules ADD COLUMN service_goal_percent INTEGER;
