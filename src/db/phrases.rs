//! The `canned_phrases` table ("Frases padrão"): texts an agent inserts by typing
//! `/shortcut`. Administrators keep the company-wide ones (`team_id` NULL) and those of
//! a team; personal phrases (`owner_id`) are the agents' own and are not listed here.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::paging::like_pattern;
use super::DbResult;
use crate::domain::text::fold;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Phrase {
    pub id: i64,
    pub team_id: Option<i64>,
    /// The team's name, for lists (`None` for the whole company).
    pub team_name: Option<String>,
    /// Without the leading `/`.
    pub shortcut: String,
    pub text: String,
}

/// A phrase as typed in the form, already validated.
#[derive(Debug, Clone, Serialize)]
pub struct PhraseFields {
    pub shortcut: String,
    pub text: String,
    pub team_id: Option<i64>,
}

const SELECT: &str = "SELECT p.id, p.team_id, tm.name, p.shortcut, p.text
                      FROM canned_phrases p LEFT JOIN teams tm ON tm.id = p.team_id";

fn from_row(r: &Row) -> rusqlite::Result<Phrase> {
    Ok(Phrase { id: r.get(0)?, team_id: r.get(1)?, team_name: r.get(2)?, shortcut: r.get(3)?, text: r.get(4)? })
}

/// Company and team phrases whose shortcut or text contains `search`.
pub fn list_phrases(conn: &Connection, search: &str, limit: i64, offset: i64) -> DbResult<(Vec<Phrase>, i64)> {
    let pattern = like_pattern(search);
    let filter = "p.owner_id IS NULL AND (p.shortcut LIKE ?1 ESCAPE '\\' OR p.text LIKE ?1 ESCAPE '\\')";
    let total =
        conn.query_row(&format!("SELECT count(*) FROM canned_phrases p WHERE {filter}"), [&pattern], |r| r.get(0))?;
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE {filter} ORDER BY p.shortcut COLLATE NOCASE, tm.name COLLATE NOCASE LIMIT ?2 OFFSET ?3"
    ))?;
    let rows = stmt.query_map(params![pattern, limit, offset], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, total))
}

/// A company or team phrase (personal phrases are not found here).
pub fn phrase_by_id(conn: &Connection, id: i64) -> DbResult<Option<Phrase>> {
    Ok(conn.query_row(&format!("{SELECT} WHERE p.id = ?1 AND p.owner_id IS NULL"), [id], from_row).optional()?)
}

/// Whether another company or team phrase an agent of the same team would reach with
/// this shortcut exists (case- and accent-insensitive): a company-wide shortcut clashes
/// with every team's, a team's with that team's and the company-wide ones.
pub fn shortcut_taken(conn: &Connection, shortcut: &str, team_id: Option<i64>, except: Option<i64>) -> DbResult<bool> {
    let wanted = fold(shortcut.trim());
    let mut stmt = conn.prepare(
        "SELECT shortcut FROM canned_phrases
         WHERE owner_id IS NULL AND id IS NOT ?1 AND (?2 IS NULL OR team_id IS NULL OR team_id = ?2)",
    )?;
    let shortcuts = stmt.query_map(params![except, team_id], |r| r.get::<_, String>(0))?;
    for s in shortcuts {
        if fold(&s?) == wanted {
            return Ok(true);
        }
    }
    Ok(false)
}

pub fn insert_phrase(conn: &Connection, p: &PhraseFields) -> DbResult<i64> {
    conn.execute(
        "INSERT INTO canned_phrases (team_id, owner_id, shortcut, text) VALUES (?1, NULL, ?2, ?3)",
        params![p.team_id, p.shortcut, p.text],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn update_phrase(conn: &Connection, id: i64, p: &PhraseFields) -> DbResult<()> {
    conn.execute(
        "UPDATE canned_phrases SET team_id = ?2, shortcut = ?3, text = ?4 WHERE id = ?1 AND owner_id IS NULL",
        params![id, p.team_id, p.shortcut, p.text],
    )?;
    Ok(())
}

pub fn delete_phrase(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM canned_phrases WHERE id = ?1 AND owner_id IS NULL", [id])?;
    Ok(())
}
