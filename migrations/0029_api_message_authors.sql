-- A message (or a floor event) written through the REST API: the token that wrote it,
-- shown to agents as its author ("API · ERP") and named in webhooks. A token is not a
-- person, so `author_id` stays empty.
ALTER TABLE messages ADD COLUMN api_token_id INTEGER REFERENCES api_tokens(id) ON DELETE SET NULL;
