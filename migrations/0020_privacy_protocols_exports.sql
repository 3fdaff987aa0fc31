-- Retention (F-AD-10), the demands a protocol links (F-RE-6) and the long exports that
-- are built in the background.

-- When a conversation's text and files, or a contact's personal data, were removed
-- (by "Anonimizar contato" or by retention), so the retention pass never does it twice.
ALTER TABLE conversations ADD COLUMN anonymised_at INTEGER;
ALTER TABLE contacts ADD COLUMN anonymised_at INTEGER;
-- The retention pass reads the oldest closed conversations not anonymised yet.
CREATE INDEX conversations_retained ON conversations(closed_at) WHERE status = 'closed' AND anonymised_at IS NULL;

-- A customer's demand across conversations (Decreto 11.034/2022): a conversation linked
-- to an earlier protocol of the same contact, by an agent ("Vincular a protocolo
-- anterior", `linked_by`) or because the customer quoted it (`linked_by` NULL).
-- `demand_id` is always the demand's first conversation, so a demand is one lookup.
CREATE TABLE protocol_links (
    conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
    demand_id       INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    linked_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    linked_at       INTEGER NOT NULL,
    CHECK (conversation_id != demand_id)
) STRICT;
CREATE INDEX protocol_links_demand ON protocol_links(demand_id);
