//! What Atende keeps about each outside channel besides its settings: the cursor of a
//! polled channel, its health (`channel_health`) and the files it still owes
//! (`media_downloads`).

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::DbResult;

/// Where a polled channel stands (an opaque value its poller understands).
pub fn cursor(conn: &Connection, channel_id: i64) -> DbResult<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM channel_cursors WHERE channel_id = ?1", [channel_id], |r| r.get(0))
        .optional()?)
}

/// Moves the cursor; called in the transaction that stores what it confirms.
pub fn set_cursor(conn: &Connection, channel_id: i64, value: &str, now: i64) -> DbResult<()> {
    conn.prepare_cached(
        "INSERT INTO channel_cursors (channel_id, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (channel_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )?
    .execute(params![channel_id, value, now])?;
    Ok(())
}

/// A channel's health as the administrator sees it.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Health {
    pub last_poll_at: Option<i64>,
    pub last_in_at: Option<i64>,
    pub last_out_at: Option<i64>,
    pub last_error: String,
    pub last_error_at: Option<i64>,
    /// Messages in and out since midnight (the counters of an older day read as 0).
    pub in_today: i64,
    pub out_today: i64,
}

/// What happened on a channel, for its health.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Happened {
    /// A poll or a webhook call that worked.
    Polled,
    /// A message came in.
    Received,
    /// A message went out.
    Sent,
}

/// Records `what` at `now`; `day_start` is the start of the company's day, so the
/// counters start again at midnight. (In an upsert's `SET` every column names the row
/// as it was, so the day is compared before it moves.)
pub fn record(conn: &Connection, channel_id: i64, what: Happened, now: i64, day_start: i64) -> DbResult<()> {
    let sql = match what {
        Happened::Polled => {
            "INSERT INTO channel_health (channel_id, last_poll_at) VALUES (?1, ?2)
             ON CONFLICT (channel_id) DO UPDATE SET last_poll_at = ?2"
        }
        Happened::Received => {
            "INSERT INTO channel_health (channel_id, last_in_at, day_start, in_today) VALUES (?1, ?2, ?3, 1)
             ON CONFLICT (channel_id) DO UPDATE SET last_in_at = ?2,
               in_today = CASE WHEN day_start = ?3 THEN in_today + 1 ELSE 1 END,
               out_today = CASE WHEN day_start = ?3 THEN out_today ELSE 0 END, day_start = ?3"
        }
        Happened::Sent => {
            "INSERT INTO channel_health (channel_id, last_out_at, day_start, out_today) VALUES (?1, ?2, ?3, 1)
             ON CONFLICT (channel_id) DO UPDATE SET last_out_at = ?2,
               out_today = CASE WHEN day_start = ?3 THEN out_today + 1 ELSE 1 END,
               in_today = CASE WHEN day_start = ?3 THEN in_today ELSE 0 END, day_start = ?3"
        }
    };
    let mut stmt = conn.prepare_cached(sql)?;
    // A poll touches no day counter: its statement takes no `day_start`.
    match what {
        Happened::Polled => stmt.execute(params![channel_id, now])?,
        Happened::Received | Happened::Sent => stmt.execute(params![channel_id, now, day_start])?,
    };
    Ok(())
}

/// Records a problem (in words for the administrator; never a secret).
pub fn record_error(conn: &Connection, channel_id: i64, error: &str, now: i64) -> DbResult<()> {
    conn.prepare_cached(
        "INSERT INTO channel_health (channel_id, last_error, last_error_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (channel_id) DO UPDATE SET last_error = ?2, last_error_at = ?3",
    )?
    .execute(params![channel_id, error, now])?;
    Ok(())
}

/// The health of a channel; counters of a day that is over read as 0.
pub fn health(conn: &Connection, channel_id: i64, day_start: i64) -> DbResult<Health> {
    Ok(conn
        .query_row(
            "SELECT last_poll_at, last_in_at, last_out_at, last_error, last_error_at,
                    CASE WHEN day_start = ?2 THEN in_today ELSE 0 END,
                    CASE WHEN day_start = ?2 THEN out_today ELSE 0 END
             FROM channel_health WHERE channel_id = ?1",
            params![channel_id, day_start],
            |r| {
                Ok(Health {
                    last_poll_at: r.get(0)?,
                    last_in_at: r.get(1)?,
                    last_out_at: r.get(2)?,
                    last_error: r.get(3)?,
                    last_error_at: r.get(4)?,
                    in_today: r.get(5)?,
                    out_today: r.get(6)?,
                })
            },
        )
        .optional()?
        .unwrap_or_default())
}

/// A file a channel owes for a stored message.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaDue {
    pub message_id: i64,
    pub channel_id: i64,
    pub reference: String,
    pub file_name: String,
    pub declared_type: String,
    pub attempts: i64,
}

pub fn owe_media(conn: &Connection, due: &MediaDue, next_at: i64, error: &str) -> DbResult<()> {
    conn.execute(
        "INSERT INTO media_downloads (message_id, channel_id, reference, file_name, declared_type, attempts, next_at, last_error)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (message_id) DO UPDATE SET attempts = excluded.attempts, next_at = excluded.next_at,
           last_error = excluded.last_error",
        params![due.message_id, due.channel_id, due.reference, due.file_name, due.declared_type, due.attempts, next_at, error],
    )?;
    Ok(())
}

/// The files of a channel due for another try now.
pub fn media_due(conn: &Connection, channel_id: i64, now: i64, limit: i64) -> DbResult<Vec<MediaDue>> {
    let mut stmt = conn.prepare_cached(
        "SELECT message_id, channel_id, reference, file_name, declared_type, attempts FROM media_downloads
         WHERE channel_id = ?1 AND next_at <= ?2 ORDER BY next_at LIMIT ?3",
    )?;
    let rows = stmt
        .query_map(params![channel_id, now, limit], |r| {
            Ok(MediaDue {
                message_id: r.get(0)?,
                channel_id: r.get(1)?,
                reference: r.get(2)?,
                file_name: r.get(3)?,
                declared_type: r.get(4)?,
                attempts: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Takes a due download for one try by pushing it to `until`, so no other pass takes
/// it meanwhile; whether this pass got it.
pub fn claim_media(conn: &Connection, message_id: i64, now: i64, until: i64) -> DbResult<bool> {
    let n = conn.execute(
        "UPDATE media_downloads SET next_at = ?3 WHERE message_id = ?1 AND next_at <= ?2",
        params![message_id, now, until],
    )?;
    Ok(n > 0)
}

/// The file arrived (or was given up on): the message no longer waits for it.
pub fn media_settled(conn: &Connection, message_id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM media_downloads WHERE message_id = ?1", [message_id])?;
    Ok(())
}

/// Which of these messages still wait for their file.
pub fn awaiting_media(conn: &Connection, message_ids: &[i64]) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT message_id FROM media_downloads WHERE message_id IN (SELECT value FROM json_each(?1))",
    )?;
    let ids = stmt
        .query_map([super::json_ids(message_ids.iter().copied())], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ids)
}
