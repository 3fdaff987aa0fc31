-- The REST API's tokens (F-IN-1): named, not tied to a person, scoped per resource,
-- optionally limited to networks, revocable. Only the SHA-256 of the token is kept;
-- `hint` is its first characters, so an administrator can tell tokens apart.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    hint         TEXT NOT NULL,
    -- JSON array of scope codes: 'contacts:read', 'contacts:write', …
    scopes       TEXT NOT NULL DEFAULT '[]',
    -- CIDR ranges, one per line; empty: any network.
    networks     TEXT NOT NULL DEFAULT '',
    created_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    last_used_ip TEXT NOT NULL DEFAULT '',
    revoked_at   INTEGER
) STRICT;

-- `Idempotency-Key` of creating requests, per token, kept 24 hours: the request's hash
-- and the answer it got, replayed when the same key comes again with the same body.
CREATE TABLE api_idempotency (
    token_id     INTEGER NOT NULL REFERENCES api_tokens(id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    response     TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (token_id, key)
) STRICT;
CREATE INDEX api_idempotency_age ON api_idempotency(created_at);

-- What a token did, in the audit log and a contact's history of changes.
ALTER TABLE audit_log ADD COLUMN api_token_id INTEGER REFERENCES api_tokens(id) ON DELETE SET NULL;
ALTER TABLE contact_changes ADD COLUMN api_token_id INTEGER REFERENCES api_tokens(id) ON DELETE SET NULL;
