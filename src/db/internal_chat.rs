//! The internal chat's tables (threads, messages, reads, the text index) and what its
//! panel shows: the colleagues and teams with their unread counts, a thread's messages,
//! and the messages found by a search — always within the reader's own threads.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::DbResult;
use crate::domain::excerpt::{excerpt, ExcerptPart};
use crate::domain::internal_chat::Peer;

/// How many of a thread's latest messages the panel shows.
pub const SHOWN: i64 = 200;

/// A user who may take part in the internal chat: active, with the permission, and in
/// no team whose chat is switched off (as `users::User::may_chat`).
const MAY_CHAT: &str = "u.active = 1 AND u.internal_chat = 1 AND NOT EXISTS (
    SELECT 1 FROM team_members cm JOIN teams ct ON ct.id = cm.team_id WHERE cm.user_id = u.id AND ct.internal_chat_off = 1)";

/// The threads `?1` takes part in: their pairs and the channels of their teams.
const MY_THREADS: &str =
    "SELECT t.id FROM internal_threads t WHERE t.team_id IS NULL AND (t.user_low = ?1 OR t.user_high = ?1)
    UNION ALL SELECT t.id FROM internal_threads t JOIN team_members tm ON tm.team_id = t.team_id AND tm.user_id = ?1";

/// A thread's id when it exists (a pair's thread is made by its first message).
pub fn thread_id(conn: &Connection, me: i64, peer: Peer) -> DbResult<Option<i64>> {
    let found = match peer {
        Peer::Person(other) => {
            let Some((low, high)) = crate::domain::internal_chat::pair(me, other) else { return Ok(None) };
            conn.prepare_cached(
                "SELECT id FROM internal_threads WHERE team_id IS NULL AND user_low = ?1 AND user_high = ?2",
            )?
            .query_row([low, high], |r| r.get(0))
            .optional()?
        }
        Peer::Team(team) => conn
            .prepare_cached("SELECT id FROM internal_threads WHERE team_id = ?1")?
            .query_row([team], |r| r.get(0))
            .optional()?,
    };
    Ok(found)
}

/// The thread with `peer`, made if it is not there yet.
pub fn ensure_thread(conn: &Connection, me: i64, peer: Peer, now: i64) -> DbResult<i64> {
    if let Some(id) = thread_id(conn, me, peer)? {
        return Ok(id);
    }
    match peer {
        Peer::Person(other) => {
            let (low, high) = crate::domain::internal_chat::pair(me, other).unwrap_or((me, other));
            conn.execute(
                "INSERT INTO internal_threads (user_low, user_high, created_at) VALUES (?1, ?2, ?3)",
                params![low, high, now],
            )?;
        }
        Peer::Team(team) => {
            conn.execute("INSERT INTO internal_threads (team_id, created_at) VALUES (?1, ?2)", params![team, now])?;
        }
    }
    Ok(conn.last_insert_rowid())
}

pub fn insert_message(conn: &Connection, thread: i64, author: i64, body: &str, now: i64) -> DbResult<i64> {
    conn.prepare_cached(
        "INSERT INTO internal_messages (thread_id, author_id, body, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![thread, author, body, now])?;
    Ok(conn.last_insert_rowid())
}

/// Marks the thread read by `user` through message `through` (never backwards).
pub fn mark_read(conn: &Connection, thread: i64, user: i64, through: i64) -> DbResult<()> {
    conn.prepare_cached(
        "INSERT INTO internal_reads (thread_id, user_id, last_read_id) VALUES (?1, ?2, ?3)
         ON CONFLICT (thread_id, user_id) DO UPDATE SET last_read_id = max(last_read_id, excluded.last_read_id)",
    )?
    .execute([thread, user, through])?;
    Ok(())
}

/// The last message `user` has read in the thread (0 when none).
pub fn last_read(conn: &Connection, thread: i64, user: i64) -> DbResult<i64> {
    let found = conn
        .prepare_cached("SELECT last_read_id FROM internal_reads WHERE thread_id = ?1 AND user_id = ?2")?
        .query_row([thread, user], |r| r.get(0))
        .optional()?;
    Ok(found.unwrap_or(0))
}

/// Who reads a thread now: both of a pair, or the team's members, who may chat.
pub fn participants(conn: &Connection, thread: i64) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT u.id FROM internal_threads t JOIN users u ON u.id IN (t.user_low, t.user_high)
         WHERE t.id = ?1 AND t.team_id IS NULL AND {MAY_CHAT}
         UNION
         SELECT u.id FROM internal_threads t JOIN team_members tm ON tm.team_id = t.team_id
         JOIN users u ON u.id = tm.user_id WHERE t.id = ?1 AND {MAY_CHAT}
         ORDER BY 1"
    ))?;
    let ids = stmt.query_map([thread], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// A colleague one may write to, with their presence: `online`, `paused` (and the
/// pause's name) or `offline`.
#[derive(Debug, Clone, Serialize)]
pub struct Colleague {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub pause: Option<String>,
    pub unread: i64,
}

/// A colleague one may write to; `None` for oneself, a stranger, or one without the
/// permission.
pub fn colleague(conn: &Connection, me: i64, id: i64) -> DbResult<Option<Colleague>> {
    if id <= 0 {
        return Ok(None);
    }
    Ok(colleagues(conn, me, id)?.into_iter().next())
}

/// Every colleague one may write to, or only `only` (0: all).
fn colleagues(conn: &Connection, me: i64, only: i64) -> DbResult<Vec<Colleague>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT u.id, u.name, u.status,
            (SELECT p.name FROM agent_pauses a JOIN pauses p ON p.id = a.pause_id
             WHERE a.user_id = u.id AND a.ended_at IS NULL ORDER BY a.started_at DESC LIMIT 1),
            (SELECT count(*) FROM internal_messages m WHERE m.thread_id = t.id AND m.author_id != ?1
             AND m.id > coalesce(r.last_read_id, 0))
         FROM users u
         LEFT JOIN internal_threads t ON t.team_id IS NULL AND t.user_low = min(u.id, ?1) AND t.user_high = max(u.id, ?1)
         LEFT JOIN internal_reads r ON r.thread_id = t.id AND r.user_id = ?1
         WHERE {MAY_CHAT} AND u.id != ?1 AND (?2 = 0 OR u.id = ?2)
         ORDER BY CASE u.status WHEN 'online' THEN 0 WHEN 'paused' THEN 1 ELSE 2 END, u.name COLLATE NOCASE, u.id"
    ))?;
    let rows = stmt.query_map(params![me, only], |r| {
        Ok(Colleague { id: r.get(0)?, name: r.get(1)?, status: r.get(2)?, pause: r.get(3)?, unread: r.get(4)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// A team's channel, for its members.
#[derive(Debug, Clone, Serialize)]
pub struct TeamChannel {
    pub id: i64,
    pub name: String,
    pub unread: i64,
}

/// The channels of `me`'s active teams; `only` narrows to one team.
fn team_channels(conn: &Connection, me: i64, only: Option<i64>) -> DbResult<Vec<TeamChannel>> {
    let mut stmt = conn.prepare_cached(
        "SELECT tm.team_id, te.name,
            (SELECT count(*) FROM internal_messages m WHERE m.thread_id = t.id AND m.author_id != ?1
             AND m.id > coalesce(r.last_read_id, 0))
         FROM team_members tm JOIN teams te ON te.id = tm.team_id AND te.active = 1
         LEFT JOIN internal_threads t ON t.team_id = tm.team_id
         LEFT JOIN internal_reads r ON r.thread_id = t.id AND r.user_id = ?1
         WHERE tm.user_id = ?1 AND (?2 IS NULL OR tm.team_id = ?2)
         ORDER BY te.name COLLATE NOCASE",
    )?;
    let rows =
        stmt.query_map(params![me, only], |r| Ok(TeamChannel { id: r.get(0)?, name: r.get(1)?, unread: r.get(2)? }))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// One of `me`'s team channels; `None` when they are not in the team (or it is inactive).
pub fn team_channel(conn: &Connection, me: i64, team: i64) -> DbResult<Option<TeamChannel>> {
    Ok(team_channels(conn, me, Some(team))?.into_iter().next())
}

/// The panel's list: team channels first, then colleagues (online, paused, offline).
#[derive(Debug, Clone, Serialize)]
pub struct ChatList {
    pub teams: Vec<TeamChannel>,
    pub colleagues: Vec<Colleague>,
}

impl ChatList {
    pub fn load(conn: &Connection, me: i64) -> DbResult<ChatList> {
        Ok(ChatList { teams: team_channels(conn, me, None)?, colleagues: colleagues(conn, me, 0)? })
    }
}

/// Messages not read yet by `me` in all their threads (the icon's badge).
pub fn unread_total(conn: &Connection, me: i64) -> DbResult<i64> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM internal_messages m
         LEFT JOIN internal_reads r ON r.thread_id = m.thread_id AND r.user_id = ?1
         WHERE m.thread_id IN ({MY_THREADS}) AND m.author_id != ?1 AND m.id > coalesce(r.last_read_id, 0)"
        ))?
        .query_row([me], |r| r.get(0))?)
}

/// A message as the thread shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ChatMessage {
    pub id: i64,
    pub author_id: i64,
    pub author: String,
    pub body: String,
    pub created_at: i64,
}

/// The thread's latest `SHOWN` messages, oldest first.
pub fn messages(conn: &Connection, thread: i64) -> DbResult<Vec<ChatMessage>> {
    let mut stmt = conn.prepare_cached(
        "SELECT * FROM (SELECT m.id, m.author_id, u.name, m.body, m.created_at FROM internal_messages m
         JOIN users u ON u.id = m.author_id WHERE m.thread_id = ?1 ORDER BY m.id DESC LIMIT ?2) ORDER BY 1",
    )?;
    let rows = stmt.query_map(params![thread, SHOWN], |r| {
        Ok(ChatMessage {
            id: r.get(0)?,
            author_id: r.get(1)?,
            author: r.get(2)?,
            body: r.get(3)?,
            created_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Words of a found message shown around its first match, as the history's search does.
const EXCERPT_WORDS: usize = 16;

/// A message found by the panel's search, with the thread's address and name.
#[derive(Debug, Clone, Serialize)]
pub struct ChatHit {
    pub address: String,
    /// The colleague's or the team's name.
    pub with: String,
    pub author: String,
    pub created_at: i64,
    pub snippet: Vec<ExcerptPart>,
}

/// The newest messages matching an FTS query (`contacts::fts_query`) in `me`'s own
/// threads only.
pub fn search(conn: &Connection, me: i64, query: &str, limit: i64) -> DbResult<Vec<ChatHit>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT t.team_id, CASE WHEN t.user_low = ?1 THEN t.user_high ELSE t.user_low END,
            coalesce(te.name, o.name), a.name, m.created_at, m.body
         FROM internal_messages_fts JOIN internal_messages m ON m.id = internal_messages_fts.rowid
         JOIN internal_threads t ON t.id = m.thread_id
         JOIN users a ON a.id = m.author_id
         LEFT JOIN teams te ON te.id = t.team_id
         LEFT JOIN users o ON o.id = CASE WHEN t.user_low = ?1 THEN t.user_high ELSE t.user_low END
         WHERE internal_messages_fts MATCH ?2 AND m.thread_id IN ({MY_THREADS})
         ORDER BY m.id DESC LIMIT ?3"
    ))?;
    let rows = stmt.query_map(params![me, query, limit], |r| {
        let peer = match r.get::<_, Option<i64>>(0)? {
            Some(team) => Peer::Team(team),
            None => Peer::Person(r.get(1)?),
        };
        Ok(ChatHit {
            address: peer.address(),
            with: r.get(2)?,
            author: r.get(3)?,
            created_at: r.get(4)?,
            snippet: excerpt(&r.get::<_, String>(5)?, query, EXCERPT_WORDS),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
