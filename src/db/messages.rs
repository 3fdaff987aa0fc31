//! The `messages` table. The outbox of messages waiting for their channel is `outbox`.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::webhooks::{self, Change};
use super::{now_ms, DbResult};
use crate::domain::message_status::MessageStatus;

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
    /// The channel's id for a message we sent, once it took it.
    pub provider_id: Option<String>,
}

// The name a message's author is shown by: the person's, or a REST API token's as
// "API · <name>"; and the joins it reads, after `messages m`. Macros, so `SELECT` below
// is one literal.
macro_rules! author_name {
    () => {
        "coalesce(u.name, 'API · ' || tk.name)"
    };
}
macro_rules! authors {
    () => {
        "LEFT JOIN users u ON u.id = m.author_id LEFT JOIN api_tokens tk ON tk.id = m.api_token_id"
    };
}
pub const AUTHOR_NAME: &str = author_name!();
pub const AUTHORS: &str = authors!();

const SELECT: &str = concat!(
    "SELECT m.id, m.conversation_id, m.direction, m.author_id, ",
    author_name!(),
    ", m.body, m.attachment_id, m.status, m.failure, m.created_at, m.provider_id FROM messages m ",
    authors!()
);

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
        provider_id: r.get(10)?,
    })
}

/// Who wrote a message: a person, a REST API token, or neither (the contact, the
/// company's automatic messages, the floor's events).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Writer {
    pub user_id: Option<i64>,
    pub api_token_id: Option<i64>,
}

impl Writer {
    pub fn person(user_id: i64) -> Writer {
        Writer { user_id: Some(user_id), api_token_id: None }
    }
}

/// A message to store.
pub struct NewMessage<'a> {
    pub conversation_id: i64,
    pub channel_id: i64,
    pub direction: &'a str,
    pub author: Writer,
    pub body: &'a str,
    pub attachment_id: Option<i64>,
    pub external_id: Option<&'a str>,
    pub status: &'a str,
}

/// When the contact last wrote on the channel (any of their conversations there).
pub fn last_inbound_at(conn: &Connection, contact_id: i64, channel_id: i64) -> DbResult<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT max(m.created_at) FROM conversations c JOIN messages m ON m.conversation_id = c.id
             WHERE c.contact_id = ?1 AND c.channel_id = ?2 AND m.direction = 'in'",
        )?
        .query_row(params![contact_id, channel_id], |r| r.get(0))?)
}

pub fn insert_message(conn: &Connection, m: &NewMessage) -> DbResult<i64> {
    conn.prepare_cached(
        "INSERT INTO messages (conversation_id, channel_id, direction, author_id, body, attachment_id, external_id, status, created_at, api_token_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![m.conversation_id, m.channel_id, m.direction, m.author.user_id, m.body, m.attachment_id, m.external_id, m.status, now_ms(), m.author.api_token_id],
    )?;
    let id = conn.last_insert_rowid();
    if matches!(m.direction, "in" | "out") {
        webhooks::emit(conn, Change::MessageCreated(id))?;
    }
    Ok(id)
}

/// Indexes for search the messages written since the last call, all in one statement:
/// the end of every batch of the writer, before its COMMIT (migration 0030 says why).
pub fn index_waiting(conn: &Connection) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO message_search (rowid, body, conversation_id)
         SELECT m.id, m.body, m.conversation_id
         FROM message_search_waiting w JOIN messages m ON m.id = w.message_id",
    )?
    .execute([])?;
    conn.prepare_cached("DELETE FROM message_search_waiting")?.execute([])?;
    Ok(())
}

/// A message already stored under this channel id (a retried delivery).
pub fn by_external_id(
    conn: &Connection,
    channel_id: i64,
    direction: &str,
    external_id: &str,
) -> DbResult<Option<Message>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE m.channel_id = ?1 AND m.direction = ?2 AND m.external_id = ?3"))?
        .query_row(params![channel_id, direction, external_id], from_row)
        .optional()?)
}

pub fn message_by_id(conn: &Connection, id: i64) -> DbResult<Option<Message>> {
    Ok(conn.prepare_cached(&format!("{SELECT} WHERE m.id = ?1"))?.query_row([id], from_row).optional()?)
}

/// Messages of a conversation in order; `include_internal` for agents only.
pub fn of_conversation(conn: &Connection, conversation_id: i64, include_internal: bool) -> DbResult<Vec<Message>> {
    let filter = if include_internal { "" } else { "AND m.direction IN ('in', 'out')" };
    let mut stmt = conn.prepare(&format!("{SELECT} WHERE m.conversation_id = ?1 {filter} ORDER BY m.id"))?;
    let rows = stmt.query_map([conversation_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Moves an outbound message forward to `status` (with the reason of a failure), in one
/// `UPDATE` that also checks the order (`domain::message_status`): an update that
/// arrives late and would move it back changes nothing. Whether it changed.
pub fn set_status(conn: &Connection, id: i64, status: MessageStatus, failure: &str) -> DbResult<bool> {
    let failure = if status == MessageStatus::Failed { failure } else { "" };
    let sql = format!(
        "UPDATE messages SET status = ?2, failure = ?3 WHERE id = ?1 AND {} < ?4",
        MessageStatus::rank_sql("status")
    );
    let changed = conn.prepare_cached(&sql)?.execute(params![id, status.as_str(), failure, status.rank()])?;
    if changed > 0 {
        webhooks::emit(conn, Change::MessageStatus(id))?;
    }
    Ok(changed > 0)
}

/// The outbound messages of a conversation that a receipt saying `status` would move
/// forward. A receipt is about what the channel took: a message still queued waits for
/// the outbox to send it first.
pub fn receipt_applies_to(conn: &Connection, conversation_id: i64, status: MessageStatus) -> DbResult<Vec<i64>> {
    let rank = MessageStatus::rank_sql("status");
    let sql = format!(
        "SELECT id FROM messages WHERE conversation_id = ?1 AND direction = 'out' AND {rank} >= ?2 AND {rank} < ?3 ORDER BY id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let ids = stmt
        .query_map(params![conversation_id, MessageStatus::Sent.rank(), status.rank()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// The message a channel's later status update names.
pub fn by_provider_id(conn: &Connection, channel_id: i64, provider_id: &str) -> DbResult<Option<Message>> {
    Ok(conn
        .query_row(
            &format!("{SELECT} WHERE m.channel_id = ?1 AND m.provider_id = ?2 AND m.direction = 'out'"),
            params![channel_id, provider_id],
            from_row,
        )
        .optional()?)
}

pub fn set_attachment(conn: &Connection, id: i64, attachment_id: i64) -> DbResult<()> {
    conn.execute("UPDATE messages SET attachment_id = ?2 WHERE id = ?1", params![id, attachment_id])?;
    Ok(())
}

/// An inbound message's file could not be fetched in the end: the reason is kept with
/// it, so the agent sees that a file was sent and why it is missing.
pub fn set_inbound_failure(conn: &Connection, id: i64, reason: &str) -> DbResult<()> {
    conn.execute("UPDATE messages SET failure = ?2 WHERE id = ?1 AND direction = 'in'", params![id, reason])?;
    Ok(())
}

/// Keeps the channel's id for a message it took.
pub fn set_provider_id(conn: &Connection, id: i64, provider_id: &str) -> DbResult<()> {
    conn.execute("UPDATE messages SET provider_id = ?2 WHERE id = ?1", params![id, provider_id])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{Db, DbError};

    fn db_with_a_conversation(dir: &std::path::Path) -> Db {
        let db = Db::open(&dir.join("t.db")).unwrap();
        db.write_now(|tx| {
            tx.execute_batch(
                "INSERT INTO teams (id, name, created_at) VALUES (1, 'Vendas', 0);
                 INSERT INTO channels (id, kind, name, key, default_team_id, created_at) VALUES (1, 'webchat', 'Site', 'k', 1, 0);
                 INSERT INTO contacts (id, name, created_at, updated_at) VALUES (1, 'Bia', 0, 0);
                 INSERT INTO conversations (id, protocol, channel_id, contact_id, team_id, status, opened_at, queued_at, last_message_at)
                     VALUES (1, 'WC1', 1, 1, 1, 'waiting', 0, 0, 0);",
            )?;
            Ok(())
        })
        .unwrap();
        db
    }

    fn add(tx: &rusqlite::Transaction, direction: &str, body: &str) -> rusqlite::Result<i64> {
        tx.execute(
            "INSERT INTO messages (conversation_id, channel_id, direction, body, created_at) VALUES (1, 1, ?1, ?2, 0)",
            [direction, body],
        )?;
        Ok(tx.last_insert_rowid())
    }

    /// The ids the index finds for `word`, and how many messages still wait for it.
    fn search(db: &Db, word: &str) -> (Vec<i64>, i64) {
        let word = word.to_string();
        db.read_now(move |c| {
            let mut stmt =
                c.prepare("SELECT rowid FROM message_search WHERE message_search MATCH ?1 ORDER BY rowid")?;
            let ids = stmt.query_map([&word], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
            let waiting = c.query_row("SELECT count(*) FROM message_search_waiting", [], |r| r.get(0))?;
            Ok((ids, waiting))
        })
        .unwrap()
    }

    /// The index is brought up to date at the end of each batch: what a committed write
    /// added, changed or removed is what a search finds, and nothing is left waiting.
    #[test]
    fn the_search_index_follows_every_committed_write() {
        let dir = tempfile::tempdir().unwrap();
        let db = db_with_a_conversation(dir.path());

        let first = db.write_now(|tx| Ok(add(tx, "in", "quero saber do pedido")?)).unwrap();
        assert_eq!(search(&db, "pedido"), (vec![first], 0));

        // Written and changed in the same write: indexed once, as it ended.
        let changed = db
            .write_now(|tx| {
                let id = add(tx, "in", "banana")?;
                tx.execute("UPDATE messages SET body = 'laranja' WHERE id = ?1", [id])?;
                Ok(id)
            })
            .unwrap();
        assert_eq!(search(&db, "banana"), (vec![], 0));
        assert_eq!(search(&db, "laranja"), (vec![changed], 0));

        // Changed in a later write: the old words leave the index.
        db.write_now(|tx| Ok(tx.execute("UPDATE messages SET body = 'entrega' WHERE id = ?1", [first])?)).unwrap();
        assert_eq!(search(&db, "pedido"), (vec![], 0));
        assert_eq!(search(&db, "entrega"), (vec![first], 0));

        // A refused write leaves neither words nor anything waiting.
        let refused: Result<(), DbError> = db.write_now(|tx| {
            add(tx, "in", "perdida")?;
            Err(DbError::Task("refused".into()))
        });
        assert!(refused.is_err());
        assert_eq!(search(&db, "perdida"), (vec![], 0));

        // System lines are never indexed; a message deleted, indexed or not, is gone.
        db.write_now(|tx| {
            add(tx, "system", "sistema")?;
            let brief = add(tx, "in", "efemera")?;
            tx.execute("DELETE FROM messages WHERE id IN (?1, ?2)", [brief, changed])?;
            Ok(())
        })
        .unwrap();
        assert_eq!(search(&db, "sistema"), (vec![], 0));
        assert_eq!(search(&db, "efemera"), (vec![], 0));
        assert_eq!(search(&db, "laranja"), (vec![], 0));

        // Writes from many callers at once, batched together: every one indexed.
        std::thread::scope(|s| {
            for i in 0..16 {
                let db = &db;
                s.spawn(move || db.write_now(move |tx| Ok(add(tx, "out", &format!("lote numero{i}"))?)).unwrap());
            }
        });
        assert_eq!(search(&db, "lote").0.len(), 16);
        assert_eq!(search(&db, "lote").1, 0);
    }
}
