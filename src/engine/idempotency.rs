//! `Idempotency-Key` on the REST API's creating requests: the key is looked up, the work
//! done and its answer stored in one `BEGIN IMMEDIATE` transaction, so two requests with
//! one key — even at the same instant — create one thing; the second gets the first's
//! answer. The same key with another body is a conflict. Keys are kept per token for 24
//! hours.

use rusqlite::Transaction;
use serde_json::Value;

use crate::db::api_idempotency::{self, Stored};
use crate::db::{now_ms, Db, DbError};

/// An answer as the API sends it.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

/// What became of a creating request.
#[derive(Debug, Clone, PartialEq)]
pub enum Once {
    /// Done now.
    Done(Answer),
    /// Done before under the same key and body: the answer it got then.
    Replayed(Answer),
    /// The key was used with another request.
    Conflict,
}

/// A creating request's key, as the client sent it, and the hash of what it asked.
pub struct Key {
    pub token_id: i64,
    pub key: Option<String>,
    pub request_hash: String,
}

/// Runs `work` once per key: in one transaction, the key is checked, the work done and
/// its answer kept. A refusal of the work stores nothing (the key stays free).
pub async fn once<E, F>(db: &Db, key: Key, work: F) -> Result<Once, E>
where
    E: From<DbError> + Send + 'static,
    F: FnOnce(&Transaction) -> Result<Answer, E> + Send + 'static,
{
    db.transact(move |tx| once_in(tx, key, |tx| work(tx).map(|answer| (answer, ()))).map(|(once, ())| once)).await
}

/// `once` inside a transaction the caller holds, for work that also leaves something
/// to do after the commit (the engine's events): it, or its default when the work was
/// not done now.
pub fn once_in<E, T, F>(tx: &Transaction, key: Key, work: F) -> Result<(Once, T), E>
where
    E: From<DbError>,
    T: Default,
    F: FnOnce(&Transaction) -> Result<(Answer, T), E>,
{
    let Some(name) = key.key else { return work(tx).map(|(answer, then)| (Once::Done(answer), then)) };
    let now = now_ms();
    if let Some(stored) = api_idempotency::find(tx, key.token_id, &name, now)? {
        if stored.request_hash != key.request_hash {
            return Ok((Once::Conflict, T::default()));
        }
        let body = serde_json::from_str(&stored.response).unwrap_or(Value::Null);
        return Ok((Once::Replayed(Answer { status: stored.status, body }), T::default()));
    }
    let (answer, then) = work(tx)?;
    let stored = Stored { request_hash: key.request_hash, status: answer.status, response: answer.body.to_string() };
    api_idempotency::prune(tx, now)?;
    api_idempotency::store(tx, key.token_id, &name, &stored, now)?;
    Ok((Once::Done(answer), then))
}
