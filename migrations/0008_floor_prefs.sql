-- How the agent sends from the composer: 'enter' (Enter sends, Shift+Enter adds a
-- line) or 'ctrl-enter' (Ctrl+Enter sends, Enter adds a line).
ALTER TABLE users ADD COLUMN send_key TEXT NOT NULL DEFAULT 'enter' CHECK (send_key IN ('enter', 'ctrl-enter'));
