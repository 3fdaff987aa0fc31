-- Retention (F-AD-10), the demands a protocol links (F-RE-6) and the long exports that
-- are built in the background.

-- When a conversation's text and files, or a contact's personal data, were removed
-- (by "Anonimizar contato" or by retention), so the retention pass never does it twice.
ALTER TABLE conversations ADD COLUMN anonymised_at INTEGER;
ALTER TABLE contacts ADD COLUMN anonymised_at INTEGER;
-- The retention pass reads the oldest closed conversations not anonymised yet.
CREATE INDEX conversations_retained ON conversations(closed_at) WHERE status = 'closed' AND anonymised_at IS NULL;
