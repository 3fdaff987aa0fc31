-- The outbox delivers once: a worker claims a row by setting `leased_until` before it
-- sends, so no other worker or pass takes it meanwhile; when the lease runs out (the
-- worker died mid-send) the row is due again. 0 means not leased.
ALTER TABLE outbox ADD COLUMN leased_until INTEGER NOT NULL DEFAULT 0;

-- The channel's own id for a message we sent (WhatsApp's wamid, Telegram's
-- message_id, the e-mail's Message-ID): later status updates name it.
ALTER TABLE messages ADD COLUMN provider_id TEXT;
CREATE INDEX messages_provider ON messages(channel_id, provider_id) WHERE provider_id IS NOT NULL;
