//! The `contacts` table and how each contact is known on each channel.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::{now_ms, DbResult};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Contact {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub custom: serde_json::Value,
    pub created_at: i64,
}

const COLUMNS: &str = "id, name, email, phone, custom, created_at";

fn from_row(r: &Row) -> rusqlite::Result<Contact> {
    let custom: String = r.get(4)?;
    Ok(Contact {
        id: r.get(0)?,
        name: r.get(1)?,
        email: r.get(2)?,
        phone: r.get(3)?,
        custom: serde_json::from_str(&custom).unwrap_or_default(),
        created_at: r.get(5)?,
    })
}

pub fn contact_by_id(conn: &Connection, id: i64) -> DbResult<Option<Contact>> {
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM contacts WHERE id = ?1"), [id], from_row).optional()?)
}

/// The contact behind a channel identity (visitor token hash, phone number …).
pub fn contact_by_identity(conn: &Connection, channel_id: i64, external_id: &str) -> DbResult<Option<Contact>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {} FROM contacts c JOIN contact_identities i ON i.contact_id = c.id
                 WHERE i.channel_id = ?1 AND i.external_id = ?2",
                COLUMNS.split(", ").map(|c| format!("c.{c}")).collect::<Vec<_>>().join(", ")
            ),
            params![channel_id, external_id],
            from_row,
        )
        .optional()?)
}

pub fn insert_contact(conn: &Connection, name: &str, email: &str, phone: &str) -> DbResult<i64> {
    let now = now_ms();
    conn.execute(
        "INSERT INTO contacts (name, email, phone, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![name, email, phone, now],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn insert_identity(conn: &Connection, channel_id: i64, external_id: &str, contact_id: i64) -> DbResult<()> {
    conn.execute(
        "INSERT INTO contact_identities (channel_id, external_id, contact_id, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![channel_id, external_id, contact_id, now_ms()],
    )?;
    Ok(())
}

pub fn update_contact(conn: &Connection, id: i64, name: &str, email: &str, phone: &str, custom: &serde_json::Value) -> DbResult<()> {
    conn.execute(
        "UPDATE contacts SET name = ?2, email = ?3, phone = ?4, custom = ?5, updated_at = ?6 WHERE id = ?1",
        params![id, name, email, phone, custom.to_string(), now_ms()],
    )?;
    Ok(())
}

/// Contacts whose phone contains the digits, or whose name contains the text.
pub fn search_contacts(conn: &Connection, search: &str, limit: i64, offset: i64) -> DbResult<(Vec<Contact>, i64)> {
    let digits: String = search.chars().filter(|c| c.is_ascii_digit()).collect();
    let phone = if digits.is_empty() { "\u{0}".to_string() } else { format!("%{digits}%") };
    let name = super::paging::like_pattern(search);
    let filter = "(phone LIKE ?1 OR name LIKE ?2 ESCAPE '\\' OR email LIKE ?2 ESCAPE '\\')";
    let total = conn.query_row(&format!("SELECT count(*) FROM contacts WHERE {filter}"), params![phone, name], |r| r.get(0))?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM contacts WHERE {filter} ORDER BY name COLLATE NOCASE, id LIMIT ?3 OFFSET ?4"
    ))?;
    let rows = stmt.query_map(params![phone, name, limit, offset], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, total))
}
