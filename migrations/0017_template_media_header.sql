-- "Modelos de mensagem" is the one home of WhatsApp's approved templates (the channel's
-- settings no longer list them). A template's header is either text (`header`) or a
-- file the same for every send: its format ('image', 'video', 'document') and the
-- public address Meta fetches it from. '' means a text header (possibly empty).
ALTER TABLE message_templates ADD COLUMN header_format TEXT NOT NULL DEFAULT ''
    CHECK (header_format IN ('', 'image', 'video', 'document'));
ALTER TABLE message_templates ADD COLUMN header_link TEXT NOT NULL DEFAULT '';
