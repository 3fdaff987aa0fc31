-- The queue limit applied: where a new conversation goes when its team's queue is at
-- the limit, and what the contact is told then ('' = the default text of the
-- company's language, with {{posicao}} for the place in the queue).
ALTER TABLE teams ADD COLUMN overflow_team_id INTEGER REFERENCES teams(id) ON DELETE SET NULL;
ALTER TABLE teams ADD COLUMN queue_full_message TEXT NOT NULL DEFAULT '';

-- Notices for administrators, shown on the admin overview until someone marks them
-- read. 'queue_full': a team's queue reached its limit (details: JSON with the limit).
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    team_id    INTEGER REFERENCES teams(id) ON DELETE CASCADE,
    details    TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    read_at    INTEGER,
    read_by    INTEGER REFERENCES users(id) ON DELETE SET NULL
) STRICT;
CREATE INDEX notifications_unread ON notifications(kind, team_id) WHERE read_at IS NULL;
