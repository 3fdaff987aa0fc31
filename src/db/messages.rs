//! The `messages` table and the outbox of messages waiting for their channel.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::{now_ms, DbResult};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Message {
    pub id: i64,
    pub conversation_id: i64,
    pub direction: String,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub body: String,
    pub attachment_id: Option<i64>,
    pub status: String,
    pub failure: String,
    pub created_at: i64,
}

const SELECT: &str = "SELECT m.id, m.conversation_id, m.direction, m.author_id, u.name, m.body, m.attachment_id,
    m.status, m.failure, m.created_at FROM messages m LEFT JOIN users u ON u.id = m.author_id";

fn from_row(r: &Row) -> rusqlite::Result<Message> {
    Ok(Message {
        id: r.get(0)?,
        conversation_id: r.get(1)?,
        direction: r.get(2)?,
        author_id: r.get(3)?,
        author_name: r.get(4)?,
        body: r.get(5)?,
        attachment_id: r.get(6)?,
        status: r.get(7)?,
        failure: r.get(8)?,
        created_at: r.get(9)?,
    })
}

/// A message to store.
pub struct NewMessage<'a> {
    pub conversation_id: i64,
    pub channel_id: i64,
    pub direction: &'a str,
    pub author_id: Option<i64>,
    pub body: &'a str,
    pub attachment_id: Option<i64>,
    pub external_id: Option<&'a str>,
    pub status: &'a str,
}

pub fn insert_message(conn: &Connection, m: &NewMessage) -> DbResult<i64> {
    conn.execute(
        "INSERT INTO messages (conversation_id, channel_id, direction, author_id, body, attachment_id, external_id, status, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![m.conversation_id, m.channel_id, m.direction, m.author_id, m.body, m.attachment_id, m.external_id, m.status, now_ms()],
    )?;
    Ok(conn.last_insert_rowid())
}

/// A message already stored under this channel id (a retried delivery).
pub fn by_external_id(
    conn: &Connection,
    channel_id: i64,
    direction: &str,
    external_id: &str,
) -> DbResult<Option<Message>> {
    Ok(conn
        .query_row(
            &format!("{SELECT} WHERE m.channel_id = ?1 AND m.direction = ?2 AND m.external_id = ?3"),
            params![channel_id, direction, external_id],
            from_row,
        )
        .optional()?)
}

pub fn message_by_id(conn: &Connection, id: i64) -> DbResult<Option<Message>> {
    Ok(conn.query_row(&format!("{SELECT} WHERE m.id = ?1"), [id], from_row).optional()?)
}

/// Messages of a conversation in order; `include_internal` for agents only.
pub fn of_conversation(conn: &Connection, conversation_id: i64, include_internal: bool) -> DbResult<Vec<Message>> {
    let filter = if include_internal { "" } else { "AND m.direction IN ('in', 'out')" };
    let mut stmt = conn.prepare(&format!("{SELECT} WHERE m.conversation_id = ?1 {filter} ORDER BY m.id"))?;
    let rows = stmt.query_map([conversation_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn set_status(conn: &Connection, id: i64, status: &str, failure: &str) -> DbResult<()> {
    conn.execute("UPDATE messages SET status = ?2, failure = ?3 WHERE id = ?1", params![id, status, failure])?;
    Ok(())
}

/// Puts an outbound message in the outbox of its channel, due now.
pub fn enqueue(conn: &Connection, message_id: i64, channel_id: i64) -> DbResult<()> {
    conn.execute(
        "INSERT INTO outbox (message_id, channel_id, next_attempt_at) VALUES (?1, ?2, ?3)",
        params![message_id, channel_id, now_ms()],
    )?;
    Ok(())
}

/// An outbound message due for delivery.
#[derive(Debug, Clone)]
pub struct Due {
    pub message_id: i64,
    pub channel_id: i64,
    pub attempts: i64,
}

pub fn due(conn: &Connection, now: i64, limit: i64) -> DbResult<Vec<Due>> {
    let mut stmt =
        conn.prepare("SELECT message_id, channel_id, attempts FROM outbox WHERE next_attempt_at <= ?1 ORDER BY next_attempt_at, message_id LIMIT ?2")?;
    let rows = stmt
        .query_map(params![now, limit], |r| {
            Ok(Due { message_id: r.get(0)?, channel_id: r.get(1)?, attempts: r.get(2)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Delivered: out of the outbox, status `sent`.
pub fn delivered(conn: &Connection, message_id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM outbox WHERE message_id = ?1", [message_id])?;
    set_status(conn, message_id, "sent", "")
}

/// A failed attempt: try again at `next_at`, or give up (`failed`) when `give_up`.
pub fn attempt_failed(conn: &Connection, message_id: i64, error: &str, next_at: i64, give_up: bool) -> DbResult<()> {
    if give_up {
        conn.execute("DELETE FROM outbox WHERE message_id = ?1", [message_id])?;
        return set_status(conn, message_id, "failed", error);
    }
    conn.execute(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3 WHERE message_id = ?1",
        params![message_id, next_at, error],
    )?;
    Ok(())
}
