-- An outbound message sent as one of the provider's approved templates (WhatsApp,
-- outside the 24-hour window). The message itself is an ordinary one whose body is
-- the template's text as the contact reads it, so the pane, the transcript and the
-- search need nothing new; this row holds only what the sender needs besides: the
-- template's name, language, header and parameters (domain::message_template::TemplateSend
-- as JSON). A message without a row here is free text.
CREATE TABLE template_sends (
    message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    template   TEXT NOT NULL
) STRICT;
