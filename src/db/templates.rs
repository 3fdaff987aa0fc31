//! The `message_templates` table ("Modelos de mensagem"): WhatsApp templates (HSM) an
//! agent sends to start a conversation or when the 24-hour window is closed.

use rusqlite::{params, Connection, OptionalExtension, Row, ToSql};
use serde::Serialize;

use super::paging::like_pattern;
use super::DbResult;

/// A stored template: its id, its team's name for lists (`None` for every team), and
/// what its form saves.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MessageTemplate {
    pub id: i64,
    pub team_name: Option<String>,
    #[serde(flatten)]
    pub fields: TemplateFields,
}

/// A template as typed in the form, already validated.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TemplateFields {
    pub name: String,
    /// Meta's language code: `pt_BR`, `en_US`, `es` …
    pub language: String,
    /// `utility`, `marketing` or `authentication`.
    pub category: String,
    pub channel: String,
    pub header: String,
    pub body: String,
    /// Quick-reply button labels.
    pub buttons: Vec<String>,
    pub team_id: Option<i64>,
    pub active: bool,
}

const SELECT: &str = "SELECT m.id, m.team_id, tm.name, m.name, m.language, m.category, m.channel, m.header, m.body,
                             m.buttons, m.active
                      FROM message_templates m LEFT JOIN teams tm ON tm.id = m.team_id";

fn from_row(r: &Row) -> rusqlite::Result<MessageTemplate> {
    let buttons: String = r.get(9)?;
    let fields = TemplateFields {
        team_id: r.get(1)?,
        name: r.get(3)?,
        language: r.get(4)?,
        category: r.get(5)?,
        channel: r.get(6)?,
        header: r.get(7)?,
        body: r.get(8)?,
        buttons: serde_json::from_str(&buttons).unwrap_or_default(),
        active: r.get(10)?,
    };
    Ok(MessageTemplate { id: r.get(0)?, team_name: r.get(2)?, fields })
}

/// Templates whose name or body contains `search`.
pub fn list_templates(
    conn: &Connection,
    search: &str,
    limit: i64,
    offset: i64,
) -> DbResult<(Vec<MessageTemplate>, i64)> {
    let pattern = like_pattern(search);
    let filter = "(m.name LIKE ?1 ESCAPE '\\' OR m.body LIKE ?1 ESCAPE '\\')";
    let total =
        conn.query_row(&format!("SELECT count(*) FROM message_templates m WHERE {filter}"), [&pattern], |r| r.get(0))?;
    let mut stmt = conn
        .prepare(&format!("{SELECT} WHERE {filter} ORDER BY m.active DESC, m.name, m.language LIMIT ?2 OFFSET ?3"))?;
    let rows = stmt.query_map(params![pattern, limit, offset], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, total))
}

pub fn template_by_id(conn: &Connection, id: i64) -> DbResult<Option<MessageTemplate>> {
    Ok(conn.query_row(&format!("{SELECT} WHERE m.id = ?1"), [id], from_row).optional()?)
}

/// Whether another template has this name in this language (Meta's key).
pub fn template_taken(conn: &Connection, name: &str, language: &str, except: Option<i64>) -> DbResult<bool> {
    let count: i64 = conn.query_row(
        "SELECT count(*) FROM message_templates WHERE name = ?1 AND language = ?2 AND id IS NOT ?3",
        params![name, language, except],
        |r| r.get(0),
    )?;
    Ok(count > 0)
}

/// The columns a form writes, as named parameters (`buttons` as its JSON text).
fn columns<'a>(t: &'a TemplateFields, buttons: &'a String) -> Vec<(&'static str, &'a dyn ToSql)> {
    vec![
        (":team_id", &t.team_id),
        (":name", &t.name),
        (":language", &t.language),
        (":category", &t.category),
        (":channel", &t.channel),
        (":header", &t.header),
        (":body", &t.body),
        (":buttons", buttons),
        (":active", &t.active),
    ]
}

fn buttons_json(buttons: &[String]) -> String {
    serde_json::to_string(buttons).unwrap_or_else(|_| "[]".into())
}

pub fn insert_template(conn: &Connection, t: &TemplateFields) -> DbResult<i64> {
    let buttons = buttons_json(&t.buttons);
    conn.execute(
        "INSERT INTO message_templates (team_id, name, language, category, channel, header, body, buttons, active)
         VALUES (:team_id, :name, :language, :category, :channel, :header, :body, :buttons, :active)",
        &columns(t, &buttons)[..],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn update_template(conn: &Connection, id: i64, t: &TemplateFields) -> DbResult<()> {
    let buttons = buttons_json(&t.buttons);
    let mut values = columns(t, &buttons);
    values.push((":id", &id));
    conn.execute(
        "UPDATE message_templates SET team_id = :team_id, name = :name, language = :language, category = :category,
                channel = :channel, header = :header, body = :body, buttons = :buttons, active = :active
         WHERE id = :id",
        &values[..],
    )?;
    Ok(())
}

pub fn delete_template(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM message_templates WHERE id = ?1", [id])?;
    Ok(())
}
