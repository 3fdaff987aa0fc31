//! The `tags` table: labels agents put on conversations, for every team
//! (`team_id` NULL) or for one.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::paging::like_pattern;
use super::DbResult;
use crate::domain::text::fold;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tag {
    pub id: i64,
    pub team_id: Option<i64>,
    /// The team's name, for lists (`None` for every team).
    pub team_name: Option<String>,
    pub name: String,
    /// `#rrggbb`, lower case.
    pub color: String,
}

/// A tag as typed in the form, already validated.
#[derive(Debug, Clone, Serialize)]
pub struct TagFields {
    pub name: String,
    pub color: String,
    pub team_id: Option<i64>,
}

const SELECT: &str =
    "SELECT t.id, t.team_id, tm.name, t.name, t.color FROM tags t LEFT JOIN teams tm ON tm.id = t.team_id";

fn from_row(r: &Row) -> rusqlite::Result<Tag> {
    Ok(Tag { id: r.get(0)?, team_id: r.get(1)?, team_name: r.get(2)?, name: r.get(3)?, color: r.get(4)? })
}

pub fn list_tags(conn: &Connection, search: &str, limit: i64, offset: i64) -> DbResult<(Vec<Tag>, i64)> {
    let pattern = like_pattern(search);
    let total = conn.query_row("SELECT count(*) FROM tags WHERE name LIKE ?1 ESCAPE '\\'", [&pattern], |r| r.get(0))?;
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE t.name LIKE ?1 ESCAPE '\\' ORDER BY t.name COLLATE NOCASE, tm.name COLLATE NOCASE LIMIT ?2 OFFSET ?3"
    ))?;
    let rows = stmt.query_map(params![pattern, limit, offset], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, total))
}

pub fn tag_by_id(conn: &Connection, id: i64) -> DbResult<Option<Tag>> {
    Ok(conn.query_row(&format!("{SELECT} WHERE t.id = ?1"), [id], from_row).optional()?)
}

/// The tags on a conversation, by name.
pub fn tags_of_conversation(conn: &Connection, conversation_id: i64) -> DbResult<Vec<Tag>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} JOIN conversation_tags x ON x.tag_id = t.id WHERE x.conversation_id = ?1 ORDER BY t.name COLLATE NOCASE"
    ))?;
    let rows = stmt.query_map([conversation_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Whether another tag an agent of the same team would see has this name (case- and
/// accent-insensitive): a tag for every team clashes with every team's tags, a team's
/// tag with that team's and with those for every team.
pub fn tag_name_taken(conn: &Connection, name: &str, team_id: Option<i64>, except: Option<i64>) -> DbResult<bool> {
    let wanted = fold(name.trim());
    let mut stmt =
        conn.prepare("SELECT name FROM tags WHERE id IS NOT ?1 AND (?2 IS NULL OR team_id IS NULL OR team_id = ?2)")?;
    let names = stmt.query_map(params![except, team_id], |r| r.get::<_, String>(0))?;
    for n in names {
        if fold(&n?) == wanted {
            return Ok(true);
        }
    }
    Ok(false)
}

pub fn insert_tag(conn: &Connection, t: &TagFields) -> DbResult<i64> {
    conn.execute("INSERT INTO tags (team_id, name, color) VALUES (?1, ?2, ?3)", params![t.team_id, t.name, t.color])?;
    Ok(conn.last_insert_rowid())
}

pub fn update_tag(conn: &Connection, id: i64, t: &TagFields) -> DbResult<()> {
    conn.execute(
        "UPDATE tags SET team_id = ?2, name = ?3, color = ?4 WHERE id = ?1",
        params![id, t.team_id, t.name, t.color],
    )?;
    Ok(())
}

pub fn delete_tag(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM tags WHERE id = ?1", [id])?;
    Ok(())
}
