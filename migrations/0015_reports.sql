-- The reports: indexes for the history report's period, classification and tag
-- filters, and the satisfaction survey's answers the report shows and filters by
-- (written by the survey when a contact answers; one per conversation).
CREATE INDEX conversations_closed ON conversations(closed_at) WHERE status = 'closed';
CREATE INDEX conversation_tabulations_tabulation ON conversation_tabulations(tabulation_id);
CREATE INDEX conversation_tags_tag ON conversation_tags(tag_id);

CREATE TABLE survey_answers (
    conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
    score           INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment         TEXT NOT NULL DEFAULT '',
    answered_at     INTEGER NOT NULL
) STRICT;
