//! The `conversations` table: one per protocol, from the first message to the close.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::webhooks::{self, Change};
use super::{now_ms, DbResult};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Conversation {
    pub id: i64,
    pub protocol: String,
    pub channel_id: i64,
    pub contact_id: i64,
    pub team_id: Option<i64>,
    pub agent_id: Option<i64>,
    pub status: String,
    pub opened_at: i64,
    pub queued_at: i64,
    pub assigned_at: Option<i64>,
    pub first_response_at: Option<i64>,
    pub last_message_at: i64,
    pub closed_at: Option<i64>,
    pub unread: i64,
}

pub const COLUMNS: &str = "id, protocol, channel_id, contact_id, team_id, agent_id, status, opened_at, queued_at, \
    assigned_at, first_response_at, last_message_at, closed_at, unread";

pub fn from_row(r: &Row) -> rusqlite::Result<Conversation> {
    Ok(Conversation {
        id: r.get(0)?,
        protocol: r.get(1)?,
        channel_id: r.get(2)?,
        contact_id: r.get(3)?,
        team_id: r.get(4)?,
        agent_id: r.get(5)?,
        status: r.get(6)?,
        opened_at: r.get(7)?,
        queued_at: r.get(8)?,
        assigned_at: r.get(9)?,
        first_response_at: r.get(10)?,
        last_message_at: r.get(11)?,
        closed_at: r.get(12)?,
        unread: r.get(13)?,
    })
}

pub fn conversation_by_id(conn: &Connection, id: i64) -> DbResult<Option<Conversation>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM conversations WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// The open conversation of a contact on a channel, if any.
pub fn open_conversation(conn: &Connection, contact_id: i64, channel_id: i64) -> DbResult<Option<Conversation>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM conversations WHERE contact_id = ?1 AND channel_id = ?2 AND status != 'closed'"
        ))?
        .query_row(params![contact_id, channel_id], from_row)
        .optional()?)
}

/// When the contact's last conversation on the channel closed.
/// The contact's most recently closed conversation on the channel: (id, closed at).
pub fn last_closed(conn: &Connection, contact_id: i64, channel_id: i64) -> DbResult<Option<(i64, i64)>> {
    Ok(conn
        .query_row(
            "SELECT id, closed_at FROM conversations
             WHERE contact_id = ?1 AND channel_id = ?2 AND status = 'closed'
             ORDER BY closed_at DESC, id DESC LIMIT 1",
            params![contact_id, channel_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The next protocol sequence number, allocated inside the caller's write transaction.
pub fn next_protocol_sequence(conn: &Connection) -> DbResult<i64> {
    Ok(conn.query_row("UPDATE sequences SET value = value + 1 WHERE name = 'protocol' RETURNING value", [], |r| {
        r.get(0)
    })?)
}

/// A new conversation, waiting in `team_id`'s queue from now, or with the bot (`bot`:
/// in no queue; it reaches one when the flow hands it over).
pub fn insert_conversation(
    conn: &Connection,
    protocol: &str,
    channel_id: i64,
    contact_id: i64,
    team_id: Option<i64>,
    bot: bool,
) -> DbResult<i64> {
    let now = now_ms();
    let (status, first_queued_at) = if bot { ("bot", None) } else { ("waiting", Some(now)) };
    conn.execute(
        "INSERT INTO conversations (protocol, channel_id, contact_id, team_id, status, opened_at, queued_at,
             first_queued_at, last_message_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?6)",
        params![protocol, channel_id, contact_id, team_id, status, now, first_queued_at],
    )?;
    let id = conn.last_insert_rowid();
    webhooks::emit(conn, Change::ConversationOpened(id))?;
    Ok(id)
}

/// Gives a waiting conversation to an agent; false when it was no longer waiting (taken
/// by someone else a moment before) — the check and the change are one statement.
pub fn assign_if_waiting(conn: &Connection, id: i64, agent_id: i64) -> DbResult<bool> {
    let now = now_ms();
    let changed = conn.execute(
        "UPDATE conversations SET status = 'active', agent_id = ?2, assigned_at = ?3, unread = unread
         WHERE id = ?1 AND status = 'waiting'",
        params![id, agent_id, now],
    )?;
    if changed == 1 {
        conn.execute("UPDATE users SET last_assigned_at = ?2 WHERE id = ?1", params![agent_id, now])?;
        webhooks::emit(conn, Change::ConversationAssigned(id))?;
    }
    Ok(changed == 1)
}

/// Waiting conversations of a team, first in line first (a flow's priority transfer,
/// then the oldest).
pub fn waiting_in_team(conn: &Connection, team_id: i64, limit: i64) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare(
        "SELECT id FROM conversations WHERE team_id = ?1 AND status = 'waiting'
         ORDER BY priority DESC, queued_at, id LIMIT ?2",
    )?;
    let ids = stmt.query_map(params![team_id, limit], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// How many conversations wait in a team's queue.
pub fn waiting_count(conn: &Connection, team_id: i64) -> DbResult<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM conversations WHERE team_id = ?1 AND status = 'waiting'",
        [team_id],
        |r| r.get(0),
    )?)
}

/// Position in the team queue (1 = next), for the visitor's "Você é o 3º da fila".
pub fn queue_position(conn: &Connection, id: i64) -> DbResult<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT (SELECT count(*) FROM conversations w
                     WHERE w.team_id IS c.team_id AND w.status = 'waiting'
                       AND (w.priority > c.priority OR (w.priority = c.priority
                            AND (w.queued_at < c.queued_at OR (w.queued_at = c.queued_at AND w.id <= c.id)))))
             FROM conversations c WHERE c.id = ?1 AND c.status = 'waiting'",
            [id],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn set_status(conn: &Connection, id: i64, status: &str) -> DbResult<()> {
    conn.execute("UPDATE conversations SET status = ?2 WHERE id = ?1", params![id, status])?;
    Ok(())
}

/// Puts a conversation in a team queue (the flow's hand-over, a transfer to a team, or
/// an agent left): its place in line is now; the first time is kept for the reports.
pub fn requeue(conn: &Connection, id: i64, team_id: Option<i64>) -> DbResult<()> {
    conn.execute(
        "UPDATE conversations SET status = 'waiting', team_id = ?2, agent_id = NULL, assigned_at = NULL, queued_at = ?3,
             first_queued_at = coalesce(first_queued_at, ?3), priority = 0
         WHERE id = ?1",
        params![id, team_id, now_ms()],
    )?;
    Ok(())
}

/// Puts a waiting conversation ahead of the others in its queue (1) or back in line (0).
pub fn set_priority(conn: &Connection, id: i64, priority: i64) -> DbResult<()> {
    conn.execute("UPDATE conversations SET priority = ?2 WHERE id = ?1", params![id, priority])?;
    Ok(())
}

/// Hands an open conversation straight to an agent (transfer to a person, or "Assumir"
/// from the bot, which is when that conversation reached people).
pub fn hand_to(conn: &Connection, id: i64, team_id: Option<i64>, agent_id: i64) -> DbResult<()> {
    let now = now_ms();
    conn.execute(
        "UPDATE conversations SET status = 'active', team_id = ?2, agent_id = ?3, assigned_at = ?4,
             first_queued_at = coalesce(first_queued_at, ?4)
         WHERE id = ?1",
        params![id, team_id, agent_id, now],
    )?;
    conn.execute("UPDATE users SET last_assigned_at = ?2 WHERE id = ?1", params![agent_id, now])?;
    Ok(())
}

pub fn close(conn: &Connection, id: i64, by: Option<i64>, comment: &str) -> DbResult<()> {
    conn.execute(
        "UPDATE conversations SET status = 'closed', closed_at = ?2, closed_by = ?3, close_comment = ?4 WHERE id = ?1",
        params![id, now_ms(), by, comment],
    )?;
    webhooks::emit(conn, Change::ConversationClosed(id))?;
    Ok(())
}

/// The conversation's title on its channel (an e-mail's Subject); cut to 200 characters.
pub fn set_subject(conn: &Connection, id: i64, subject: &str) -> DbResult<()> {
    let subject: String = subject.chars().take(200).collect();
    conn.execute("UPDATE conversations SET subject = ?2 WHERE id = ?1", params![id, subject])?;
    Ok(())
}

/// Notes the contact's message on the conversation: its time and the unread count.
pub fn touch_inbound(conn: &Connection, id: i64) -> DbResult<()> {
    conn.prepare_cached(
        "UPDATE conversations SET last_message_at = ?2, last_inbound_at = ?2, unread = unread + 1 WHERE id = ?1",
    )?
    .execute(params![id, now_ms()])?;
    Ok(())
}

/// Notes an agent's message to the contact: its time and, the first time, the first
/// human reply and who gave it. The reply is dated after the customer's last message even
/// within the same millisecond, so "the customer is waiting" (`last_inbound_at >=
/// last_message_at`, as the give-back reads it) is never true of an answered one. The bot's messages and automatic notices (protocol,
/// closing message, survey, inactivity warning) never come here, so the reports'
/// first-response time is a person's.
pub fn touch_agent_reply(conn: &Connection, id: i64, agent_id: Option<i64>) -> DbResult<()> {
    conn.execute(
        "UPDATE conversations SET last_message_at = max(?2, coalesce(last_inbound_at, 0) + 1),
             first_response_by = CASE WHEN first_response_at IS NULL THEN ?3 ELSE first_response_by END,
             first_response_at = coalesce(first_response_at, ?2)
         WHERE id = ?1",
        params![id, now_ms(), agent_id],
    )?;
    Ok(())
}

pub fn mark_read(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("UPDATE conversations SET unread = 0 WHERE id = ?1", [id])?;
    Ok(())
}

/// Conversations an agent has in service now (pending ones free capacity).
pub fn active_count(conn: &Connection, agent_id: i64) -> DbResult<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM conversations WHERE agent_id = ?1 AND status = 'active'",
        [agent_id],
        |r| r.get(0),
    )?)
}

/// Open (not closed) conversations of an agent.
pub fn open_of_agent(conn: &Connection, agent_id: i64) -> DbResult<Vec<Conversation>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM conversations WHERE agent_id = ?1 AND status IN ('active', 'pending') ORDER BY id"
    ))?;
    let rows = stmt.query_map([agent_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The colleagues invited into a conversation.
pub fn participant_ids(conn: &Connection, id: i64) -> DbResult<Vec<i64>> {
    let mut stmt = conn
        .prepare_cached("SELECT user_id FROM conversation_participants WHERE conversation_id = ?1 ORDER BY user_id")?;
    let ids = stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

pub fn is_participant(conn: &Connection, id: i64, user_id: i64) -> DbResult<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM conversation_participants WHERE conversation_id = ?1 AND user_id = ?2",
            params![id, user_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Someone who took part in a conversation, and how.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Participant {
    pub user_id: i64,
    pub name: String,
    /// Held it at some point: taken, routed or transferred to them.
    pub attended: bool,
    /// Invited into it by a colleague.
    pub invited: bool,
    /// Closed it.
    pub closed: bool,
}

/// Everyone who took part in a conversation, in the order they came in: the agents it
/// was given or transferred to, the colleagues invited, whoever wrote in it and whoever
/// closed it. Read from the events the engine records (`assigned:7`,
/// `transferred:<by>:<team>:<agent>`, `invited:7`, `closed:7`), the messages' authors,
/// the invitations and the holder.
pub fn participants_of(conn: &Connection, id: i64) -> DbResult<Vec<Participant>> {
    let mut seen: Vec<(i64, bool, bool, bool)> = Vec::new();
    let mut note = |user: i64, attended: bool, invited: bool, closed: bool| match seen.iter_mut().find(|p| p.0 == user)
    {
        Some(p) => {
            p.1 |= attended;
            p.2 |= invited;
            p.3 |= closed;
        }
        None => seen.push((user, attended, invited, closed)),
    };
    let mut stmt = conn.prepare(
        "SELECT direction, body, author_id FROM messages
         WHERE conversation_id = ?1 AND (direction = 'system' OR author_id IS NOT NULL) ORDER BY id",
    )?;
    let rows = stmt
        .query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<i64>>(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (direction, body, author) in rows {
        if direction != "system" {
            if let Some(author) = author {
                note(author, false, false, false);
            }
            continue;
        }
        let parts: Vec<&str> = body.split(':').collect();
        let user = |i: usize| parts.get(i).and_then(|p| p.parse::<i64>().ok()).filter(|u| *u > 0);
        match (parts.first().copied(), user(1), user(3)) {
            (Some("assigned"), Some(u), _) | (Some("transferred"), _, Some(u)) => note(u, true, false, false),
            (Some("invited"), Some(u), _) => note(u, false, true, false),
            (Some("closed"), Some(u), _) => note(u, false, false, true),
            _ => {}
        }
    }
    let mut stmt = conn.prepare("SELECT user_id FROM conversation_participants WHERE conversation_id = ?1")?;
    for user in stmt.query_map([id], |r| r.get::<_, i64>(0))? {
        note(user?, false, true, false);
    }
    if let Some(holder) =
        conn.query_row("SELECT agent_id FROM conversations WHERE id = ?1", [id], |r| r.get(0)).optional()?.flatten()
    {
        note(holder, true, false, false);
    }
    let mut people = Vec::new();
    for (user_id, attended, invited, closed) in seen {
        let name: Option<String> =
            conn.query_row("SELECT name FROM users WHERE id = ?1", [user_id], |r| r.get(0)).optional()?;
        if let Some(name) = name {
            people.push(Participant { user_id, name, attended, invited, closed });
        }
    }
    Ok(people)
}

/// What the transcript of a conversation shows beside its messages.
#[derive(Debug, Clone, Serialize)]
pub struct ConversationRecord {
    pub close_comment: String,
    /// Who closed it; `None` when it is open or closed by itself.
    pub closed_by: Option<String>,
    pub classifications: Vec<super::tabulations::Classification>,
    pub tags: Vec<super::tags::Tag>,
    pub participants: Vec<Participant>,
}

pub fn record_of(conn: &Connection, id: i64) -> DbResult<ConversationRecord> {
    let (close_comment, closed_by) = conn.query_row(
        "SELECT c.close_comment, u.name FROM conversations c LEFT JOIN users u ON u.id = c.closed_by WHERE c.id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(ConversationRecord {
        close_comment,
        closed_by,
        classifications: super::tabulations::classifications_of(conn, id)?,
        tags: super::tags::tags_of_conversation(conn, id)?,
        participants: participants_of(conn, id)?,
    })
}

/// The agent who gave a waiting conversation back to the queue unanswered, when that
/// is the last thing that happened to its assignment (a `gave-back:` line after any
/// `assigned:` one).
pub fn given_back_by(conn: &Connection, conversation_id: i64) -> DbResult<Option<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT body FROM messages WHERE conversation_id = ?1 AND direction = 'system'
           AND (body LIKE 'gave-back:%' OR body LIKE 'assigned:%') ORDER BY id DESC LIMIT 1",
    )?;
    let last: Option<String> = stmt.query_row([conversation_id], |r| r.get(0)).optional()?;
    Ok(last.and_then(|b| b.strip_prefix("gave-back:").and_then(|id| id.parse().ok())))
}
