//! The `contact_fields` table ("Campos de contato"): the company's own fields on a
//! contact, shown on "Adicionar contato" in `position` order.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::paging::like_pattern;
use super::DbResult;

/// The kinds of value a field holds.
pub const KINDS: [&str; 4] = ["text", "number", "date", "choice"];

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ContactField {
    pub id: i64,
    pub name: String,
    /// `text`, `number`, `date` or `choice`.
    pub kind: String,
    /// The options of a `choice` field (empty for the others).
    pub choices: Vec<String>,
    pub required: bool,
    pub position: i64,
}

/// A field as typed in the form, already validated.
#[derive(Debug, Clone, Serialize)]
pub struct ContactFieldFields {
    pub name: String,
    pub kind: String,
    pub choices: Vec<String>,
    pub required: bool,
    pub position: i64,
}

const COLUMNS: &str = "id, name, kind, choices, required, position";

fn from_row(r: &Row) -> rusqlite::Result<ContactField> {
    let choices: String = r.get(3)?;
    Ok(ContactField {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: r.get(2)?,
        choices: serde_json::from_str(&choices).unwrap_or_default(),
        required: r.get(4)?,
        position: r.get(5)?,
    })
}

/// Every field, in `position` order: what a flow step, a contact's form and the flow
/// editor read. Without the search's `LIKE`, whose bound pattern makes SQLite prepare
/// the statement again at every use.
pub fn all_contact_fields(conn: &Connection) -> DbResult<Vec<ContactField>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM contact_fields ORDER BY position, name COLLATE NOCASE"))?;
    let rows = stmt.query_map([], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn list_contact_fields(
    conn: &Connection,
    search: &str,
    limit: i64,
    offset: i64,
) -> DbResult<(Vec<ContactField>, i64)> {
    let pattern = like_pattern(search);
    let total =
        conn.query_row("SELECT count(*) FROM contact_fields WHERE name LIKE ?1 ESCAPE '\\'", [&pattern], |r| r.get(0))?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM contact_fields WHERE name LIKE ?1 ESCAPE '\\'
         ORDER BY position, name COLLATE NOCASE LIMIT ?2 OFFSET ?3"
    ))?;
    let rows = stmt.query_map(params![pattern, limit, offset], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, total))
}

pub fn contact_field_by_id(conn: &Connection, id: i64) -> DbResult<Option<ContactField>> {
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM contact_fields WHERE id = ?1"), [id], from_row).optional()?)
}

/// The position after the last field (for a new one).
pub fn next_position(conn: &Connection) -> DbResult<i64> {
    Ok(conn.query_row("SELECT ifnull(max(position), 0) + 1 FROM contact_fields", [], |r| r.get(0))?)
}

fn choices_json(choices: &[String]) -> String {
    serde_json::to_string(choices).unwrap_or_else(|_| "[]".into())
}

pub fn insert_contact_field(conn: &Connection, f: &ContactFieldFields) -> DbResult<i64> {
    conn.execute(
        "INSERT INTO contact_fields (name, kind, choices, required, position) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![f.name, f.kind, choices_json(&f.choices), f.required, f.position],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn update_contact_field(conn: &Connection, id: i64, f: &ContactFieldFields) -> DbResult<()> {
    conn.execute(
        "UPDATE contact_fields SET name = ?2, kind = ?3, choices = ?4, required = ?5, position = ?6 WHERE id = ?1",
        params![id, f.name, f.kind, choices_json(&f.choices), f.required, f.position],
    )?;
    Ok(())
}

pub fn delete_contact_field(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM contact_fields WHERE id = ?1", [id])?;
    Ok(())
}
