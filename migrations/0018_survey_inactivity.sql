-- The satisfaction survey while it is open, the agent an answer rates, a team's own
-- inactivity and survey rules, and the warnings inactivity has sent.

-- A survey asked after a close and not answered yet: the contact's next message on
-- the channel answers it (one open survey per contact and channel). `stage` is
-- `domain::survey::Stage` as JSON. The row leaves when the survey is answered,
-- let through or expired.
CREATE TABLE surveys (
    conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
    contact_id      INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    channel_id      INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    stage           TEXT NOT NULL,
    asked_at        INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX surveys_contact_channel ON surveys(contact_id, channel_id);
CREATE INDEX surveys_expiry ON surveys(expires_at);

-- Who was rated: the agent holding the conversation when it closed.
ALTER TABLE survey_answers ADD COLUMN agent_id INTEGER REFERENCES users(id) ON DELETE SET NULL;

-- A team's own rules; a team without a row (or with `own_inactivity` 0) follows the
-- company's auto-close, and `survey_enabled` NULL follows the company's survey.
CREATE TABLE team_rules (
    team_id                  INTEGER PRIMARY KEY REFERENCES teams(id) ON DELETE CASCADE,
    survey_enabled           INTEGER CHECK (survey_enabled IN (0, 1)),
    own_inactivity           INTEGER NOT NULL DEFAULT 0 CHECK (own_inactivity IN (0, 1)),
    -- Minutes; 0 turns the rule off.
    close_minutes            INTEGER NOT NULL DEFAULT 0,
    -- Empty: the company's closing message.
    closing_message          TEXT NOT NULL DEFAULT '',
    -- The warning goes this many minutes before the close.
    warning_minutes          INTEGER NOT NULL DEFAULT 0,
    warning_message          TEXT NOT NULL DEFAULT '',
    pending_minutes          INTEGER NOT NULL DEFAULT 0,
    unassigned_alert_minutes INTEGER NOT NULL DEFAULT 0,
    give_back_minutes        INTEGER NOT NULL DEFAULT 0
) STRICT;

-- The inactivity warning a conversation got, so it goes once per silence: a message
-- after `warned_at` makes a new silence.
CREATE TABLE inactivity_warnings (
    conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
    warned_at       INTEGER NOT NULL
) STRICT;
