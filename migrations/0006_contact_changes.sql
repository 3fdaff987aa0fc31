-- Who changed what on a contact, and when, for the contact page ("Alterações"): one
-- row per field changed, and one for the creation (field ''). Contacts are
-- company-wide, and so is their history.
CREATE TABLE contact_changes (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    -- The agent who made the change, or the channel that created the contact.
    actor_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    channel_id INTEGER REFERENCES channels(id) ON DELETE SET NULL,
    -- 'name', 'email', 'phone', 'custom:<field id>'; '' for the creation.
    field      TEXT NOT NULL,
    old_value  TEXT NOT NULL DEFAULT '',
    new_value  TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX contact_changes_contact ON contact_changes(contact_id, id);
