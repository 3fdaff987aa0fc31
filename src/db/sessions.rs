//! The `sessions` table: one row per signed-in browser. The cookie holds a random token;
//! only its SHA-256 is stored, so a copy of the database cannot be used to sign in.

use rusqlite::{params, Connection, OptionalExtension};

use super::DbResult;

#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub user_id: i64,
    pub created_at: i64,
    pub last_seen_at: i64,
}

pub fn insert_session(conn: &Connection, id: &str, user_id: i64, now: i64, ip: &str, user_agent: &str) -> DbResult<()> {
    conn.execute(
        "INSERT INTO sessions (id, user_id, created_at, last_seen_at, ip, user_agent) VALUES (?1, ?2, ?3, ?3, ?4, ?5)",
        params![id, user_id, now, ip, user_agent],
    )?;
    Ok(())
}

pub fn session_by_id(conn: &Connection, id: &str) -> DbResult<Option<Session>> {
    Ok(conn
        .query_row("SELECT id, user_id, created_at, last_seen_at FROM sessions WHERE id = ?1", [id], |r| {
            Ok(Session { id: r.get(0)?, user_id: r.get(1)?, created_at: r.get(2)?, last_seen_at: r.get(3)? })
        })
        .optional()?)
}

pub fn touch_session(conn: &Connection, id: &str, now: i64) -> DbResult<()> {
    conn.execute("UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1", params![id, now])?;
    Ok(())
}

pub fn delete_session(conn: &Connection, id: &str) -> DbResult<()> {
    conn.execute("DELETE FROM sessions WHERE id = ?1", [id])?;
    Ok(())
}

/// Ends every session of a user except `keep` (the one making the change, if any).
pub fn delete_user_sessions(conn: &Connection, user_id: i64, keep: Option<&str>) -> DbResult<usize> {
    Ok(conn.execute("DELETE FROM sessions WHERE user_id = ?1 AND id IS NOT ?2", params![user_id, keep])?)
}

pub fn count_user_sessions(conn: &Connection, user_id: i64) -> DbResult<i64> {
    Ok(conn.query_row("SELECT count(*) FROM sessions WHERE user_id = ?1", [user_id], |r| r.get(0))?)
}

/// Deletes sessions idle since before `idle_before` or created before `created_before`.
pub fn delete_expired_sessions(conn: &Connection, idle_before: i64, created_before: i64) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare("DELETE FROM sessions WHERE last_seen_at < ?1 OR created_at < ?2 RETURNING user_id")?;
    let ids =
        stmt.query_map(params![idle_before, created_before], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}
