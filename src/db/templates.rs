//! The `message_templates` table ("Modelos de mensagem"): WhatsApp templates (HSM) an
//! agent sends to start a conversation or when the 24-hour window is closed — the one
//! place the templates Meta approved are listed.

use rusqlite::{params, Connection, OptionalExtension, Row, ToSql};
use serde::Serialize;

use super::paging::like_pattern;
use super::DbResult;
use crate::domain::channel_kind::ChannelKind;
use crate::domain::message_template::{ApprovedTemplate, MediaHeader};

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
    /// A text header; empty when the header is a file or there is none.
    pub header: String,
    /// A file header's format (`image`, `video`, `document`); empty for a text header.
    pub header_format: String,
    /// Where Meta fetches a file header (a public address); empty for a text header.
    pub header_link: String,
    pub body: String,
    /// Quick-reply button labels.
    pub buttons: Vec<String>,
    pub team_id: Option<i64>,
    pub active: bool,
}

const SELECT: &str = "SELECT m.id, m.team_id, tm.name, m.name, m.language, m.category, m.channel, m.header, m.body,
                             m.buttons, m.active, m.header_format, m.header_link
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
        header_format: r.get(11)?,
        header_link: r.get(12)?,
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

/// The active templates of a channel kind that a conversation of `team_id` may send:
/// those for every team and those of its team, as the provider knows them.
pub fn approved_for(conn: &Connection, kind: ChannelKind, team_id: Option<i64>) -> DbResult<Vec<ApprovedTemplate>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE m.active = 1 AND m.channel = ?1 AND (m.team_id IS NULL OR m.team_id = ?2)
         ORDER BY m.name, m.language"
    ))?;
    let rows = stmt.query_map(params![kind.as_str(), team_id], from_row)?;
    let approved = |t: MessageTemplate| ApprovedTemplate {
        name: t.fields.name,
        language: t.fields.language,
        body: t.fields.body,
        header: (!t.fields.header_format.is_empty())
            .then(|| MediaHeader { format: t.fields.header_format, link: t.fields.header_link }),
    };
    Ok(rows.map(|r| r.map(approved)).collect::<rusqlite::Result<Vec<_>>>()?)
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
        (":header_format", &t.header_format),
        (":header_link", &t.header_link),
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
        "INSERT INTO message_templates (team_id, name, language, category, channel, header, header_format, header_link,
                                        body, buttons, active)
         VALUES (:team_id, :name, :language, :category, :channel, :header, :header_format, :header_link,
                 :body, :buttons, :active)",
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
                channel = :channel, header = :header, header_format = :header_format, header_link = :header_link,
                body = :body, buttons = :buttons, active = :active
         WHERE id = :id",
        &values[..],
    )?;
    Ok(())
}

pub fn delete_template(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM message_templates WHERE id = ?1", [id])?;
    Ok(())
}
