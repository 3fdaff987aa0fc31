-- "Chat interno" switched off per team (F-AG-20): a member of such a team may not use
-- the internal chat, whatever their own permission says.
ALTER TABLE teams ADD COLUMN internal_chat_off INTEGER NOT NULL DEFAULT 0;
