//! The `pauses` table: the pause types agents choose from ("Almoço", "Café" …).

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::paging::like_pattern;
use super::DbResult;

/// A stored pause: its id and what its form saves.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Pause {
    pub id: i64,
    #[serde(flatten)]
    pub fields: PauseFields,
}

/// A pause as typed in the form, already validated.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PauseFields {
    pub name: String,
    pub max_minutes: i64,
    pub productive: bool,
    pub cumulative: bool,
    pub window_start: Option<i64>,
    pub window_end: Option<i64>,
    pub active: bool,
}

const COLUMNS: &str = "id, name, max_minutes, productive, cumulative, window_start, window_end, active";

fn from_row(r: &Row) -> rusqlite::Result<Pause> {
    let fields = PauseFields {
        name: r.get(1)?,
        max_minutes: r.get(2)?,
        productive: r.get(3)?,
        cumulative: r.get(4)?,
        window_start: r.get(5)?,
        window_end: r.get(6)?,
        active: r.get(7)?,
    };
    Ok(Pause { id: r.get(0)?, fields })
}

pub fn list_pauses(conn: &Connection, search: &str, limit: i64, offset: i64) -> DbResult<(Vec<Pause>, i64)> {
    let pattern = like_pattern(search);
    let total =
        conn.query_row("SELECT count(*) FROM pauses WHERE name LIKE ?1 ESCAPE '\\'", [&pattern], |r| r.get(0))?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM pauses WHERE name LIKE ?1 ESCAPE '\\' ORDER BY active DESC, name COLLATE NOCASE LIMIT ?2 OFFSET ?3"
    ))?;
    let rows = stmt.query_map(params![pattern, limit, offset], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, total))
}

pub fn pause_by_id(conn: &Connection, id: i64) -> DbResult<Option<Pause>> {
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM pauses WHERE id = ?1"), [id], from_row).optional()?)
}

pub fn insert_pause(conn: &Connection, p: &PauseFields) -> DbResult<i64> {
    conn.execute(
        "INSERT INTO pauses (name, max_minutes, productive, cumulative, window_start, window_end, active)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![p.name, p.max_minutes, p.productive, p.cumulative, p.window_start, p.window_end, p.active],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn update_pause(conn: &Connection, id: i64, p: &PauseFields) -> DbResult<()> {
    conn.execute(
        "UPDATE pauses SET name = ?2, max_minutes = ?3, productive = ?4, cumulative = ?5, window_start = ?6,
                window_end = ?7, active = ?8 WHERE id = ?1",
        params![id, p.name, p.max_minutes, p.productive, p.cumulative, p.window_start, p.window_end, p.active],
    )?;
    Ok(())
}

pub fn delete_pause(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM pauses WHERE id = ?1", [id])?;
    Ok(())
}

/// Whether agents have taken this pause (the reports refer to it).
pub fn in_use(conn: &Connection, id: i64) -> DbResult<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM agent_pauses WHERE pause_id = ?1)", [id], |r| r.get(0))?)
}

pub fn deactivate(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("UPDATE pauses SET active = 0 WHERE id = ?1", [id])?;
    Ok(())
}

/// The active pauses, as the agent's menu lists them.
pub fn active_pauses(conn: &Connection) -> DbResult<Vec<Pause>> {
    let mut stmt =
        conn.prepare(&format!("SELECT {COLUMNS} FROM pauses WHERE active = 1 ORDER BY name COLLATE NOCASE"))?;
    let rows = stmt.query_map([], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The pause a user is in now and when it began.
pub fn taken_now(conn: &Connection, user_id: i64) -> DbResult<Option<(Pause, i64)>> {
    let columns = COLUMNS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ");
    Ok(conn
        .query_row(
            &format!(
                "SELECT {columns}, a.started_at FROM agent_pauses a JOIN pauses p ON p.id = a.pause_id
                 WHERE a.user_id = ?1 AND a.ended_at IS NULL ORDER BY a.started_at DESC LIMIT 1"
            ),
            [user_id],
            |r| Ok((from_row(r)?, r.get(8)?)),
        )
        .optional()?)
}

/// Milliseconds of a pause a user took and ended since `since`.
pub fn taken_since(conn: &Connection, user_id: i64, pause_id: i64, since: i64) -> DbResult<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(sum(ended_at - started_at), 0) FROM agent_pauses
         WHERE user_id = ?1 AND pause_id = ?2 AND ended_at IS NOT NULL AND started_at >= ?3",
        params![user_id, pause_id, since],
        |r| r.get(0),
    )?)
}

/// The clock of the pause a user is in now, against its limit (a cumulative pause
/// counts what was taken of it since `day_start`).
pub fn clock_now(
    conn: &Connection,
    user_id: i64,
    day_start: i64,
) -> DbResult<Option<(Pause, crate::domain::pause::PauseClock)>> {
    let Some((pause, started_at)) = taken_now(conn, user_id)? else { return Ok(None) };
    let used_before = if pause.fields.cumulative { taken_since(conn, user_id, pause.id, day_start)? } else { 0 };
    let clock = crate::domain::pause::PauseClock::new(started_at, used_before, pause.fields.max_minutes);
    Ok(Some((pause, clock)))
}

/// Users in a pause now.
pub fn users_paused(conn: &Connection) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT DISTINCT user_id FROM agent_pauses WHERE ended_at IS NULL")?;
    let rows = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
