//! What the REST API reads: agents with their status, teams with their members,
//! conversations by filter one page at a time (by id, after a cursor), a conversation's
//! messages. Each is one query, parameterised (contacts are read in `db::contacts`).

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::messages::{AUTHORS, AUTHOR_NAME};
use super::DbResult;

/// An agent and what they are doing now.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AgentEntry {
    pub id: i64,
    pub name: String,
    pub role: String,
    /// `online`, `paused` or `offline`.
    pub status: String,
    /// The pause being taken, when paused.
    pub pause: Option<PauseEntry>,
    pub team_ids: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PauseEntry {
    pub name: String,
    pub started_at: i64,
}

/// Active agents (one, when `id` is given), by name.
pub fn agents(conn: &Connection, id: Option<i64>) -> DbResult<Vec<AgentEntry>> {
    let mut stmt = conn.prepare(
        "SELECT u.id, u.name, u.role, u.status, p.name, ap.started_at,
                (SELECT group_concat(m.team_id) FROM team_members m WHERE m.user_id = u.id)
         FROM users u
         LEFT JOIN agent_pauses ap ON ap.user_id = u.id AND ap.ended_at IS NULL AND u.status = 'paused'
         LEFT JOIN pauses p ON p.id = ap.pause_id
         WHERE u.active = 1 AND (?1 IS NULL OR u.id = ?1)
         GROUP BY u.id ORDER BY u.name COLLATE NOCASE, u.id",
    )?;
    let rows = stmt
        .query_map([id], |r| {
            let pause = match (r.get::<_, Option<String>>(4)?, r.get::<_, Option<i64>>(5)?) {
                (Some(name), Some(started_at)) => Some(PauseEntry { name, started_at }),
                _ => None,
            };
            Ok(AgentEntry {
                id: r.get(0)?,
                name: r.get(1)?,
                role: r.get(2)?,
                status: r.get(3)?,
                pause,
                team_ids: ids(r.get::<_, Option<String>>(6)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// `1,2,3` (SQLite's `group_concat`) as ids, in order.
fn ids(list: Option<String>) -> Vec<i64> {
    let mut ids: Vec<i64> = list.unwrap_or_default().split(',').filter_map(|p| p.parse().ok()).collect();
    ids.sort_unstable();
    ids
}

/// A team and who is in it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TeamEntry {
    pub id: i64,
    pub name: String,
    pub active: bool,
    pub member_ids: Vec<i64>,
}

pub fn teams(conn: &Connection) -> DbResult<Vec<TeamEntry>> {
    let mut stmt = conn.prepare(
        "SELECT t.id, t.name, t.active, (SELECT group_concat(m.user_id) FROM team_members m WHERE m.team_id = t.id)
         FROM teams t ORDER BY t.name COLLATE NOCASE, t.id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(TeamEntry { id: r.get(0)?, name: r.get(1)?, active: r.get(2)?, member_ids: ids(r.get(3)?) })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A conversation as the API shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ConversationEntry {
    pub id: i64,
    pub protocol: String,
    pub status: String,
    pub channel_id: i64,
    pub contact_id: i64,
    pub team_id: Option<i64>,
    pub agent_id: Option<i64>,
    pub opened_at: i64,
    pub last_message_at: i64,
    pub closed_at: Option<i64>,
}

const CONVERSATION: &str = "SELECT id, protocol, status, channel_id, contact_id, team_id, agent_id, opened_at,
                                   last_message_at, closed_at FROM conversations";

fn conversation_of(r: &Row) -> rusqlite::Result<ConversationEntry> {
    Ok(ConversationEntry {
        id: r.get(0)?,
        protocol: r.get(1)?,
        status: r.get(2)?,
        channel_id: r.get(3)?,
        contact_id: r.get(4)?,
        team_id: r.get(5)?,
        agent_id: r.get(6)?,
        opened_at: r.get(7)?,
        last_message_at: r.get(8)?,
        closed_at: r.get(9)?,
    })
}

/// What a conversation list is filtered by; `None` is any.
#[derive(Debug, Clone, Default)]
pub struct ConversationFilter {
    pub status: Option<String>,
    pub team_id: Option<i64>,
    pub agent_id: Option<i64>,
    pub channel_id: Option<i64>,
    pub contact_id: Option<i64>,
}

/// Up to `limit` conversations with ids after `after`, by id: a page that never shows
/// a row twice nor skips one, however many arrive meanwhile.
pub fn conversations(
    conn: &Connection,
    f: &ConversationFilter,
    after: i64,
    limit: i64,
) -> DbResult<Vec<ConversationEntry>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{CONVERSATION} WHERE id > ?1 AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR team_id = ?3)
           AND (?4 IS NULL OR agent_id = ?4) AND (?5 IS NULL OR channel_id = ?5) AND (?6 IS NULL OR contact_id = ?6)
         ORDER BY id LIMIT ?7"
    ))?;
    let args = params![after, f.status, f.team_id, f.agent_id, f.channel_id, f.contact_id, limit];
    let rows = stmt.query_map(args, conversation_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn conversation(conn: &Connection, id: i64) -> DbResult<Option<ConversationEntry>> {
    Ok(conn.query_row(&format!("{CONVERSATION} WHERE id = ?1"), [id], conversation_of).optional()?)
}

/// A message as the API shows it: `in` from the contact, `out` to them, `internal`
/// (a comment among agents), `system` (an event line).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MessageEntry {
    pub id: i64,
    pub direction: String,
    pub author_id: Option<i64>,
    /// As agents see it: the person's name, or "API · <token>" for the REST API's.
    pub author: Option<String>,
    pub body: String,
    pub status: String,
    pub attachment_id: Option<i64>,
    pub created_at: i64,
}

/// A conversation's messages in order, at most `limit` (the latest ones).
pub fn messages_of(conn: &Connection, conversation_id: i64, limit: i64) -> DbResult<Vec<MessageEntry>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT * FROM ({} WHERE m.conversation_id = ?1 ORDER BY m.id DESC LIMIT ?2) ORDER BY id",
        message_sql()
    ))?;
    let rows = stmt.query_map(params![conversation_id, limit], message_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One message, as `messages_of` shows it.
pub fn message(conn: &Connection, id: i64) -> DbResult<Option<MessageEntry>> {
    Ok(conn.query_row(&format!("{} WHERE m.id = ?1", message_sql()), [id], message_of).optional()?)
}

fn message_sql() -> String {
    format!(
        "SELECT m.id, m.direction, m.author_id, {AUTHOR_NAME}, m.body, m.status, m.attachment_id, m.created_at
         FROM messages m {AUTHORS}"
    )
}

fn message_of(r: &Row) -> rusqlite::Result<MessageEntry> {
    Ok(MessageEntry {
        id: r.get(0)?,
        direction: r.get(1)?,
        author_id: r.get(2)?,
        author: r.get(3)?,
        body: r.get(4)?,
        status: r.get(5)?,
        attachment_id: r.get(6)?,
        created_at: r.get(7)?,
    })
}
