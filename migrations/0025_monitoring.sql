-- "Monitoramento": the "Hoje" panel reads the company's day by these instants.
CREATE INDEX conversations_opened ON conversations(opened_at);
CREATE INDEX conversations_first_response ON conversations(first_response_at) WHERE first_response_at IS NOT NULL;
CREATE INDEX survey_answers_answered ON survey_answers(answered_at);

-- A team's queue thresholds on "Monitoramento" (a longest wait, a count waiting):
-- past either, the queue is shown red. Kept apart from team_rules, which the team's
-- own form writes under teams:edit; these are set on the monitoring page under
-- monitoring:edit. No row, or NULL: no threshold.
CREATE TABLE monitoring_thresholds (
    team_id              INTEGER PRIMARY KEY REFERENCES teams(id) ON DELETE CASCADE,
    longest_wait_seconds INTEGER CHECK (longest_wait_seconds > 0),
    waiting_count        INTEGER CHECK (waiting_count > 0)
) STRICT;
