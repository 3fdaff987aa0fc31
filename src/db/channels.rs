//! The `channels` table: where customers write from (web chat, WhatsApp, Telegram, e-mail).

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::paging::like_pattern;
use super::{now_ms, DbResult};
use crate::domain::channel_kind::ChannelKind;

/// Kinds are stored by name; a name we do not know fails the read with what it was.
impl FromSql for ChannelKind {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        ChannelKind::parse(value.as_str()?).map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

impl ToSql for ChannelKind {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Channel {
    pub id: i64,
    pub kind: ChannelKind,
    pub name: String,
    pub key: String,
    pub active: bool,
    pub default_team_id: Option<i64>,
    pub schedule_group_id: Option<i64>,
    pub config: serde_json::Value,
}

/// The key of `config` that, set to `false`, turns the channel's send limits off: for a
/// staging service or a bench, never for a real account (the service would block it).
/// Not on the channel page; set with SQL.
pub const SEND_LIMITS: &str = "send_limits";

/// The key of `config` that says a channel is receptive only (every kind has it).
pub const RECEPTIVE_ONLY: &str = "receptive_only";

impl Channel {
    /// A channel of `kind` not saved yet, on, with nothing set (a new channel's form).
    pub fn blank(kind: ChannelKind) -> Channel {
        Channel {
            id: 0,
            kind,
            name: String::new(),
            key: String::new(),
            active: true,
            default_team_id: None,
            schedule_group_id: None,
            config: serde_json::json!({}),
        }
    }

    /// Customers write in and agents answer; nobody starts a conversation here.
    pub fn receptive_only(&self) -> bool {
        self.config.get(RECEPTIVE_ONLY).and_then(serde_json::Value::as_bool).unwrap_or(false)
    }
}

const COLUMNS: &str = "id, kind, name, key, active, default_team_id, schedule_group_id, config";

fn from_row(r: &Row) -> rusqlite::Result<Channel> {
    let config: String = r.get(7)?;
    Ok(Channel {
        id: r.get(0)?,
        kind: r.get(1)?,
        name: r.get(2)?,
        key: r.get(3)?,
        active: r.get(4)?,
        default_team_id: r.get(5)?,
        schedule_group_id: r.get(6)?,
        config: serde_json::from_str(&config).unwrap_or_default(),
    })
}

pub fn channel_by_id(conn: &Connection, id: i64) -> DbResult<Option<Channel>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM channels WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// What the inbound path needs of a channel, read inside its write: the config's JSON,
/// which can be large, is not parsed for every message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Routing {
    pub id: i64,
    pub kind: ChannelKind,
    /// The team a new conversation queues in.
    pub default_team_id: Option<i64>,
}

pub fn routing_of(conn: &Connection, id: i64) -> DbResult<Option<Routing>> {
    Ok(conn
        .prepare_cached("SELECT id, kind, default_team_id FROM channels WHERE id = ?1")?
        .query_row([id], |r| Ok(Routing { id: r.get(0)?, kind: r.get(1)?, default_team_id: r.get(2)? }))
        .optional()?)
}

pub fn channel_by_key(conn: &Connection, kind: ChannelKind, key: &str) -> DbResult<Option<Channel>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM channels WHERE kind = ?1 AND key = ?2"))?
        .query_row(params![kind, key], from_row)
        .optional()?)
}

pub fn all_channels(conn: &Connection) -> DbResult<Vec<Channel>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM channels ORDER BY kind, name COLLATE NOCASE"))?;
    let rows = stmt.query_map([], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The ids of the channels that are on (each gets an outbox worker).
pub fn active_channel_ids(conn: &Connection) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM channels WHERE active ORDER BY id")?;
    let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ids)
}

/// The fields an administrator sets.
#[derive(Debug, Clone, Serialize)]
pub struct ChannelFields {
    pub kind: ChannelKind,
    pub name: String,
    pub key: String,
    pub active: bool,
    pub default_team_id: Option<i64>,
    pub schedule_group_id: Option<i64>,
    pub config: serde_json::Value,
}

pub fn insert_channel(conn: &Connection, c: &ChannelFields) -> DbResult<i64> {
    conn.execute(
        "INSERT INTO channels (kind, name, key, active, default_team_id, schedule_group_id, config, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            c.kind,
            c.name,
            c.key,
            c.active,
            c.default_team_id,
            c.schedule_group_id,
            c.config.to_string(),
            now_ms()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn update_channel(conn: &Connection, id: i64, c: &ChannelFields) -> DbResult<()> {
    conn.execute(
        "UPDATE channels SET name = ?2, active = ?3, default_team_id = ?4, schedule_group_id = ?5, config = ?6 WHERE id = ?1",
        params![id, c.name, c.active, c.default_team_id, c.schedule_group_id, c.config.to_string()],
    )?;
    Ok(())
}

pub fn key_taken(conn: &Connection, key: &str) -> DbResult<bool> {
    Ok(conn.query_row("SELECT 1 FROM channels WHERE key = ?1", [key], |_| Ok(())).optional()?.is_some())
}

pub fn deactivate(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("UPDATE channels SET active = 0 WHERE id = ?1", [id])?;
    Ok(())
}

/// Channels of every kind for the admin list, with search and pagination.
pub fn list_channels(conn: &Connection, search: &str, limit: i64, offset: i64) -> DbResult<(Vec<ChannelRow>, i64)> {
    let pattern = like_pattern(search);
    let total: i64 =
        conn.query_row("SELECT count(*) FROM channels WHERE name LIKE ?1 ESCAPE '\\'", [&pattern], |r| r.get(0))?;
    let mut stmt = conn.prepare(
        "SELECT c.id, c.kind, c.name, c.key, c.active, t.name
         FROM channels c LEFT JOIN teams t ON t.id = c.default_team_id
         WHERE c.name LIKE ?1 ESCAPE '\\'
         ORDER BY c.active DESC, c.name COLLATE NOCASE LIMIT ?2 OFFSET ?3",
    )?;
    let rows = stmt
        .query_map(params![pattern, limit, offset], |r| {
            Ok(ChannelRow {
                id: r.get(0)?,
                kind: r.get(1)?,
                name: r.get(2)?,
                key: r.get(3)?,
                active: r.get(4)?,
                team: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, total))
}

#[derive(Debug, Clone, Serialize)]
pub struct ChannelRow {
    pub id: i64,
    pub kind: ChannelKind,
    pub name: String,
    pub key: String,
    pub active: bool,
    pub team: Option<String>,
}

/// Whether a channel has conversations (then it is deactivated instead of deleted).
pub fn has_conversations(conn: &Connection, channel_id: i64) -> DbResult<bool> {
    Ok(conn
        .query_row("SELECT EXISTS (SELECT 1 FROM conversations WHERE channel_id = ?1)", [channel_id], |r| r.get(0))?)
}

pub fn delete_channel(conn: &Connection, channel_id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM channels WHERE id = ?1", [channel_id])?;
    Ok(())
}
