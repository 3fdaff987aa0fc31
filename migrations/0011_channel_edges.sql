-- The edges every outside channel shares: where a polled channel stands (Telegram's
-- next update offset, an IMAP folder's UIDVALIDITY and last UID), written in the same
-- transaction as the messages it confirms; the health an administrator sees; and the
-- files a channel announced but has not handed over yet.

CREATE TABLE channel_cursors (
    channel_id INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE channel_health (
    channel_id    INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
    -- Last poll or webhook that worked, last message received, last message sent.
    last_poll_at  INTEGER,
    last_in_at    INTEGER,
    last_out_at   INTEGER,
    -- The last problem, in words for the administrator (never a secret), and when.
    last_error    TEXT NOT NULL DEFAULT '',
    last_error_at INTEGER,
    -- Counters of the day that began at `day_start` (midnight in the company's zone).
    day_start     INTEGER NOT NULL DEFAULT 0,
    in_today      INTEGER NOT NULL DEFAULT 0,
    out_today     INTEGER NOT NULL DEFAULT 0
) STRICT;

-- A contact's file the channel named but Atende could not fetch yet (its media URL
-- answered 5xx, the network failed): the message is stored and shows "anexo a caminho"
-- until a later try brings the file.
CREATE TABLE media_downloads (
    message_id    INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    channel_id    INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    -- The channel's handle for the file (WhatsApp media id, Telegram file_id …).
    reference     TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    declared_type TEXT NOT NULL DEFAULT '',
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_at       INTEGER NOT NULL,
    last_error    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX media_downloads_due ON media_downloads(channel_id, next_at);

