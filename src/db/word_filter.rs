//! The `word_filter` table ("Filtro de palavras"): `blocked` words an agent may not
//! send and `ignore` terms that do not open a new conversation right after one closed.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::DbResult;

/// The two lists of the filter.
pub const KINDS: [&str; 2] = ["blocked", "ignore"];

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FilterTerm {
    pub id: i64,
    /// `blocked` or `ignore`.
    pub kind: String,
    pub term: String,
}

fn from_row(r: &Row) -> rusqlite::Result<FilterTerm> {
    Ok(FilterTerm { id: r.get(0)?, kind: r.get(1)?, term: r.get(2)? })
}

/// The terms of one list, alphabetically.
pub fn list_terms(conn: &Connection, kind: &str) -> DbResult<Vec<FilterTerm>> {
    let mut stmt =
        conn.prepare("SELECT id, kind, term FROM word_filter WHERE kind = ?1 ORDER BY term COLLATE NOCASE, id")?;
    let rows = stmt.query_map([kind], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Only the words of one list, for the rules in `domain::word_filter`.
pub fn terms_of_kind(conn: &Connection, kind: &str) -> DbResult<Vec<String>> {
    Ok(list_terms(conn, kind)?.into_iter().map(|t| t.term).collect())
}

pub fn term_by_id(conn: &Connection, id: i64) -> DbResult<Option<FilterTerm>> {
    Ok(conn.query_row("SELECT id, kind, term FROM word_filter WHERE id = ?1", [id], from_row).optional()?)
}

pub fn insert_term(conn: &Connection, kind: &str, term: &str) -> DbResult<i64> {
    conn.execute("INSERT INTO word_filter (kind, term) VALUES (?1, ?2)", params![kind, term])?;
    Ok(conn.last_insert_rowid())
}

pub fn delete_term(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM word_filter WHERE id = ?1", [id])?;
    Ok(())
}
