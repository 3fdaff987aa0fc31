//! The `one_time_links` table: the first-administrator setup link and the
//! "cadastrar senha" links (new account and forgotten password).

use rusqlite::{params, Connection, OptionalExtension};

use super::DbResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Setup,
    SetPassword,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Setup => "setup",
            Purpose::SetPassword => "set_password",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Link {
    pub user_id: Option<i64>,
    pub expires_at: Option<i64>,
    pub used_at: Option<i64>,
}

pub fn insert_link(
    conn: &Connection,
    token_hash: &str,
    purpose: Purpose,
    user_id: Option<i64>,
    now: i64,
    expires_at: Option<i64>,
) -> DbResult<()> {
    conn.execute(
        "INSERT INTO one_time_links (token_hash, purpose, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![token_hash, purpose.as_str(), user_id, now, expires_at],
    )?;
    Ok(())
}

pub fn link_by_hash(conn: &Connection, token_hash: &str, purpose: Purpose) -> DbResult<Option<Link>> {
    Ok(conn
        .query_row(
            "SELECT user_id, expires_at, used_at FROM one_time_links WHERE token_hash = ?1 AND purpose = ?2",
            params![token_hash, purpose.as_str()],
            |r| Ok(Link { user_id: r.get(0)?, expires_at: r.get(1)?, used_at: r.get(2)? }),
        )
        .optional()?)
}

/// Marks a link used; false when it was already used (a second click racing the first).
pub fn spend_link(conn: &Connection, token_hash: &str, now: i64) -> DbResult<bool> {
    Ok(conn.execute(
        "UPDATE one_time_links SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL",
        params![token_hash, now],
    )? == 1)
}

/// Retires every unused link of a purpose (for one user, or all setup links).
pub fn retire_links(conn: &Connection, purpose: Purpose, user_id: Option<i64>, now: i64) -> DbResult<()> {
    conn.execute(
        "UPDATE one_time_links SET used_at = ?3 WHERE purpose = ?1 AND user_id IS ?2 AND used_at IS NULL",
        params![purpose.as_str(), user_id, now],
    )?;
    Ok(())
}
