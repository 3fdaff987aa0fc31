//! Replies waiting in the outbox, written straight into SQLite while no server runs:
//! a channel pointing at the fakes, `chats` contacts each with an open conversation
//! holding `per_chat` queued replies. And the wait until the outbox is empty.

use std::path::Path;
use std::time::{Duration, Instant};

/// A channel of the bench: its kind, key and settings (`config`).
pub struct BenchChannel<'a> {
    pub kind: &'a str,
    pub key: &'a str,
    pub config: serde_json::Value,
}

/// Writes the channel (in a team of its own) and its backlog; the channel's id.
pub fn queue(db_path: &Path, channel: &BenchChannel, chats: usize, per_chat: usize) -> Result<i64, String> {
    let err = |e: rusqlite::Error| e.to_string();
    let db = rusqlite::Connection::open(db_path).map_err(err)?;
    db.busy_timeout(Duration::from_secs(10)).map_err(err)?;
    db.execute_batch("BEGIN").map_err(err)?;
    let team = format!("Bancada {}", channel.key);
    db.execute("INSERT INTO teams (name, distribution, created_at) VALUES (?1, 'manual', 0)", [&team]).map_err(err)?;
    let team_id = db.last_insert_rowid();
    db.execute(
        "INSERT INTO channels (kind, name, key, active, default_team_id, config, created_at) VALUES (?1, ?2, ?3, 1, ?4, ?5, 0)",
        rusqlite::params![channel.kind, format!("Canal {}", channel.key), channel.key, team_id, channel.config.to_string()],
    )
    .map_err(err)?;
    let channel_id = db.last_insert_rowid();
    let now = 1_700_000_000_000i64;
    for chat in 0..chats {
        db.execute(
            "INSERT INTO contacts (name, created_at, updated_at) VALUES (?1, ?2, ?2)",
            rusqlite::params![format!("Cliente {chat}"), now],
        )
        .map_err(err)?;
        let contact = db.last_insert_rowid();
        // A number a Telegram chat id and a WhatsApp wa_id can both be.
        let external = (5_511_900_000_000i64 + chat as i64).to_string();
        db.execute(
            "INSERT INTO contact_identities (channel_id, external_id, contact_id, created_at) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![channel_id, external, contact, now],
        )
        .map_err(err)?;
        db.execute(
            "INSERT INTO conversations (protocol, channel_id, contact_id, team_id, status, opened_at, queued_at, last_message_at)
             VALUES (?1, ?2, ?3, ?4, 'active', ?5, ?5, ?5)",
            rusqlite::params![format!("BN{channel_id}{chat:010}"), channel_id, contact, team_id, now],
        )
        .map_err(err)?;
        let conversation = db.last_insert_rowid();
        for n in 0..per_chat {
            db.execute(
                "INSERT INTO messages (conversation_id, channel_id, direction, body, status, created_at)
                 VALUES (?1, ?2, 'out', ?3, 'queued', ?4)",
                rusqlite::params![conversation, channel_id, format!("{} chat {chat} mensagem {n}", channel.key), now],
            )
            .map_err(err)?;
            db.execute(
                "INSERT INTO outbox (message_id, channel_id, next_attempt_at) VALUES (?1, ?2, 0)",
                rusqlite::params![db.last_insert_rowid(), channel_id],
            )
            .map_err(err)?;
        }
    }
    db.execute_batch("COMMIT").map_err(err)?;
    Ok(channel_id)
}

/// The messages still in the outbox of `channel` (every channel's when `None`).
pub fn left(db_path: &Path, channel: Option<i64>) -> Result<i64, String> {
    let db = rusqlite::Connection::open(db_path).map_err(|e| e.to_string())?;
    db.busy_timeout(Duration::from_secs(10)).map_err(|e| e.to_string())?;
    db.query_row("SELECT count(*) FROM outbox WHERE ?1 IS NULL OR channel_id = ?1", [channel], |r| r.get(0))
        .map_err(|e| e.to_string())
}

/// Waits (at most `limit`) until the channel's outbox is empty; the time it took from
/// `since` and what is left.
pub fn drain(db_path: &Path, channel: Option<i64>, since: Instant, limit: Duration) -> Result<(Duration, i64), String> {
    while left(db_path, channel)? > 0 && since.elapsed() < limit {
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok((since.elapsed(), left(db_path, channel)?))
}
