-- Outgoing webhooks (F-IN-2): the company's subscriptions and one delivery row per
-- change and subscription, written in the same transaction as the change itself and
-- delivered by a worker that claims a row with a lease, as the outbox does.

CREATE TABLE webhook_subscriptions (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL,
    -- The events it receives, separated by single spaces ("message.created contact.updated").
    events        TEXT NOT NULL,
    -- The HMAC-SHA256 key of the signatures (hex); shown once, when made or rotated.
    secret        TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- Chosen on purpose: the target may be a private, loopback or link-local address.
    allow_private INTEGER NOT NULL DEFAULT 0 CHECK (allow_private IN (0, 1)),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    -- The delivery's id as the receiver sees it (payload `id`, X-Atende-Delivery), the
    -- same on every attempt.
    public_id       TEXT NOT NULL UNIQUE,
    subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
    event           TEXT NOT NULL,
    -- The conversation the event is about (NULL for a contact's): deliveries of one
    -- conversation to one subscription leave in order.
    conversation_id INTEGER,
    -- The JSON body, as of the change.
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    leased_until    INTEGER NOT NULL DEFAULT 0,
    -- Retries run for 24 hours from here: the change, or the last "Reenviar".
    retry_since     INTEGER NOT NULL,
    last_attempt_at INTEGER,
    response_status INTEGER,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(subscription_id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_in_order ON webhook_deliveries(subscription_id, conversation_id, id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries(subscription_id, id);
CREATE INDEX webhook_deliveries_age ON webhook_deliveries(created_at) WHERE status <> 'pending';
