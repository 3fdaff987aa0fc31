//! The `teams` table ("Equipes") and `team_members`.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::DbResult;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Team {
    pub id: i64,
    pub name: String,
    /// `manual` (agents pull) or `auto` (least busy available member).
    pub distribution: String,
    /// 0 = no limit.
    pub queue_limit: i64,
    pub require_tabulation: bool,
    pub active: bool,
}

pub const COLUMNS: &str = "id, name, distribution, queue_limit, require_tabulation, active";

pub fn from_row(r: &Row) -> rusqlite::Result<Team> {
    Ok(Team {
        id: r.get(0)?,
        name: r.get(1)?,
        distribution: r.get(2)?,
        queue_limit: r.get(3)?,
        require_tabulation: r.get(4)?,
        active: r.get(5)?,
    })
}

/// Every team, active first, by name (for pickers and filters).
pub fn all_teams(conn: &Connection) -> DbResult<Vec<Team>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM teams ORDER BY active DESC, name COLLATE NOCASE"))?;
    let rows = stmt.query_map([], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn team_by_id(conn: &Connection, id: i64) -> DbResult<Option<Team>> {
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM teams WHERE id = ?1"), [id], from_row).optional()?)
}

/// The teams a user belongs to (ids).
pub fn team_ids_of_user(conn: &Connection, user_id: i64) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT team_id FROM team_members WHERE user_id = ?1 ORDER BY team_id")?;
    let ids = stmt.query_map([user_id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// Replaces the teams of a user (ids of teams that do not exist are ignored).
pub fn set_user_teams(conn: &Connection, user_id: i64, team_ids: &[i64]) -> DbResult<()> {
    conn.execute("DELETE FROM team_members WHERE user_id = ?1", [user_id])?;
    let mut stmt =
        conn.prepare("INSERT OR IGNORE INTO team_members (team_id, user_id) SELECT id, ?2 FROM teams WHERE id = ?1")?;
    for t in team_ids {
        stmt.execute(params![t, user_id])?;
    }
    Ok(())
}
