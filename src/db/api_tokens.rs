//! The `api_tokens` table: the REST API's tokens, kept by their SHA-256 only.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::DbResult;

/// A token as the list shows it and the API guard checks it (never the token itself).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    /// The token's first characters (`atd_1a2B…`), to tell tokens apart.
    pub hint: String,
    pub scopes: Vec<String>,
    /// CIDR ranges, one per line; empty: any network.
    pub networks: String,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub last_used_ip: String,
    pub revoked_at: Option<i64>,
}

const SELECT: &str = "SELECT t.id, t.name, t.hint, t.scopes, t.networks, u.name, t.created_at, t.last_used_at,
                             t.last_used_ip, t.revoked_at
                      FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by";

fn from_row(r: &Row) -> rusqlite::Result<ApiToken> {
    let scopes: String = r.get(3)?;
    Ok(ApiToken {
        id: r.get(0)?,
        name: r.get(1)?,
        hint: r.get(2)?,
        scopes: serde_json::from_str(&scopes).unwrap_or_default(),
        networks: r.get(4)?,
        created_by: r.get(5)?,
        created_at: r.get(6)?,
        last_used_at: r.get(7)?,
        last_used_ip: r.get(8)?,
        revoked_at: r.get(9)?,
    })
}

/// What is stored of a new token.
#[derive(Debug, Clone, Serialize)]
pub struct NewToken {
    pub name: String,
    #[serde(skip)]
    pub token_hash: String,
    pub hint: String,
    pub scopes: Vec<String>,
    pub networks: String,
}

pub fn insert(conn: &Connection, t: &NewToken, created_by: Option<i64>, now: i64) -> DbResult<i64> {
    conn.execute(
        "INSERT INTO api_tokens (name, token_hash, hint, scopes, networks, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            t.name,
            t.token_hash,
            t.hint,
            serde_json::to_string(&t.scopes).unwrap_or_else(|_| "[]".into()),
            t.networks,
            created_by,
            now
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Every token, the ones in use first, newest first.
pub fn all(conn: &Connection) -> DbResult<Vec<ApiToken>> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY t.revoked_at IS NOT NULL, t.id DESC"))?;
    let rows = stmt.query_map([], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn by_id(conn: &Connection, id: i64) -> DbResult<Option<ApiToken>> {
    Ok(conn.query_row(&format!("{SELECT} WHERE t.id = ?1"), [id], from_row).optional()?)
}

/// The token that is not revoked with this hash.
pub fn active_by_hash(conn: &Connection, hash: &str) -> DbResult<Option<ApiToken>> {
    Ok(conn
        .query_row(&format!("{SELECT} WHERE t.token_hash = ?1 AND t.revoked_at IS NULL"), [hash], from_row)
        .optional()?)
}

/// Revokes a token still in use; whether it was.
pub fn revoke(conn: &Connection, id: i64, now: i64) -> DbResult<bool> {
    Ok(conn.execute("UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL", params![id, now])?
        > 0)
}

/// Records a use, at most once per `every` ms (a busy token writes once a minute, not
/// on every request).
pub fn touch(conn: &Connection, id: i64, ip: &str, now: i64, every: i64) -> DbResult<()> {
    conn.execute(
        "UPDATE api_tokens SET last_used_at = ?2, last_used_ip = ?3
         WHERE id = ?1 AND (last_used_at IS NULL OR last_used_at <= ?2 - ?4 OR last_used_ip != ?3)",
        params![id, now, ip, every],
    )?;
    Ok(())
}
