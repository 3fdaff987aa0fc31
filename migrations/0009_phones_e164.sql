-- One-time steps on existing data that need the application's own code (reading phone
-- numbers with libphonenumber, which SQL cannot), run at start right after the
-- migrations: each is recorded here when done, so it runs once. The first converts
-- stored phone numbers to E.164 digits ("11987654321" → "5511987654321").
CREATE TABLE one_time_steps (
    name    TEXT PRIMARY KEY,
    done_at INTEGER NOT NULL
) STRICT;
