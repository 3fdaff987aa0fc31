//! The `canned_phrases` table ("Frases padrão"): texts an agent inserts by typing
//! `/shortcut`. Administrators keep the company-wide ones (`team_id` NULL) and those of
//! a team; personal phrases (`owner_id`) are each agent's own, kept by them alone.

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

/// A phrase an agent may use in a conversation, and where it comes from.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UsablePhrase {
    pub id: i64,
    pub shortcut: String,
    pub text: String,
    /// The team's name for a team phrase.
    pub team_name: Option<String>,
    /// The agent's own phrase.
    pub personal: bool,
}

/// The phrases `user_id` may use in a conversation of `team_id`: their own, the team's
/// and the company-wide ones, in that order (the first of a shortcut wins), each by
/// shortcut.
pub fn usable_phrases(conn: &Connection, user_id: i64, team_id: Option<i64>) -> DbResult<Vec<UsablePhrase>> {
    let mut stmt = conn.prepare(
        "SELECT p.id, p.shortcut, p.text, tm.name, p.owner_id IS NOT NULL
         FROM canned_phrases p LEFT JOIN teams tm ON tm.id = p.team_id
         WHERE p.owner_id = ?1 OR (p.owner_id IS NULL AND (p.team_id IS NULL OR p.team_id IS ?2))
         ORDER BY p.owner_id IS NULL, p.team_id IS NULL, p.shortcut COLLATE NOCASE, p.id",
    )?;
    let rows = stmt
        .query_map(params![user_id, team_id], |r| {
            Ok(UsablePhrase {
                id: r.get(0)?,
                shortcut: r.get(1)?,
                text: r.get(2)?,
                team_name: r.get(3)?,
                personal: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The company-wide phrases and those of the teams `user_id` belongs to (what they may
/// use besides their own), company-wide first, then by team and shortcut.
pub fn phrases_of_teams_of(conn: &Connection, user_id: i64) -> DbResult<Vec<Phrase>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE p.owner_id IS NULL
           AND (p.team_id IS NULL OR p.team_id IN (SELECT team_id FROM team_members WHERE user_id = ?1))
         ORDER BY p.team_id IS NOT NULL, tm.name COLLATE NOCASE, p.shortcut COLLATE NOCASE"
    ))?;
    let rows = stmt.query_map([user_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The personal phrases of `owner_id`, by shortcut.
pub fn own_phrases(conn: &Connection, owner_id: i64) -> DbResult<Vec<Phrase>> {
    let mut stmt = conn.prepare(&format!("{SELECT} WHERE p.owner_id = ?1 ORDER BY p.shortcut COLLATE NOCASE, p.id"))?;
    let rows = stmt.query_map([owner_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A personal phrase of `owner_id` (someone else's is not found).
pub fn own_phrase(conn: &Connection, id: i64, owner_id: i64) -> DbResult<Option<Phrase>> {
    Ok(conn
        .query_row(&format!("{SELECT} WHERE p.id = ?1 AND p.owner_id = ?2"), params![id, owner_id], from_row)
        .optional()?)
}

/// Whether `owner_id` has another personal phrase with this shortcut (case- and
/// accent-insensitive).
pub fn own_shortcut_taken(conn: &Connection, owner_id: i64, shortcut: &str, except: Option<i64>) -> DbResult<bool> {
    let wanted = fold(shortcut.trim());
    let mut stmt = conn.prepare("SELECT shortcut FROM canned_phrases WHERE owner_id = ?1 AND id IS NOT ?2")?;
    let shortcuts = stmt.query_map(params![owner_id, except], |r| r.get::<_, String>(0))?;
    for s in shortcuts {
        if fold(&s?) == wanted {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A personal phrase (its `team_id` is ignored: personal phrases belong to no team).
pub fn insert_own_phrase(conn: &Connection, owner_id: i64, p: &PhraseFields) -> DbResult<i64> {
    conn.execute(
        "INSERT INTO canned_phrases (team_id, owner_id, shortcut, text) VALUES (NULL, ?1, ?2, ?3)",
        params![owner_id, p.shortcut, p.text],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn update_own_phrase(conn: &Connection, id: i64, owner_id: i64, p: &PhraseFields) -> DbResult<()> {
    conn.execute(
        "UPDATE canned_phrases SET shortcut = ?3, text = ?4 WHERE id = ?1 AND owner_id = ?2",
        params![id, owner_id, p.shortcut, p.text],
    )?;
    Ok(())
}

pub fn delete_own_phrase(conn: &Connection, id: i64, owner_id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM canned_phrases WHERE id = ?1 AND owner_id = ?2", params![id, owner_id])?;
    Ok(())
}
