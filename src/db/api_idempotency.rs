//! The `api_idempotency` table: a creating request's `Idempotency-Key`, per token, with
//! the hash of the request and the answer it got (kept 24 hours).

use rusqlite::{params, Connection, OptionalExtension};

use super::DbResult;

/// How long a key is remembered.
pub const KEEP_MS: i64 = 24 * 60 * 60 * 1000;

/// The answer stored under a key.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub request_hash: String,
    pub status: u16,
    pub response: String,
}

/// The answer stored under the token's key, if it is younger than a day.
pub fn find(conn: &Connection, token_id: i64, key: &str, now: i64) -> DbResult<Option<Stored>> {
    Ok(conn
        .query_row(
            "SELECT request_hash, status, response FROM api_idempotency
             WHERE token_id = ?1 AND key = ?2 AND created_at > ?3",
            params![token_id, key, now - KEEP_MS],
            |r| Ok(Stored { request_hash: r.get(0)?, status: r.get(1)?, response: r.get(2)? }),
        )
        .optional()?)
}

/// Keeps the answer under the key (replacing one older than a day).
pub fn store(conn: &Connection, token_id: i64, key: &str, stored: &Stored, now: i64) -> DbResult<()> {
    conn.execute(
        "INSERT INTO api_idempotency (token_id, key, request_hash, status, response, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (token_id, key) DO UPDATE SET request_hash = excluded.request_hash,
             status = excluded.status, response = excluded.response, created_at = excluded.created_at",
        params![token_id, key, stored.request_hash, stored.status, stored.response, now],
    )?;
    Ok(())
}

/// Forgets keys older than a day; how many.
pub fn prune(conn: &Connection, now: i64) -> DbResult<usize> {
    Ok(conn.execute("DELETE FROM api_idempotency WHERE created_at <= ?1", [now - KEEP_MS])?)
}
