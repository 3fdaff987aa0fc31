//! Outgoing webhooks' subscriptions (`webhook_subscriptions`) and `emit`, which every
//! change a receiver may hear of calls inside its own write transaction: one delivery
//! row per active subscription to the event, committed with the change or not at all,
//! so a change is announced exactly once. The deliveries' claims are in
//! `webhook_deliveries`.

use rand::RngCore;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;

use super::webhook_payloads::{data, rfc3339};
use super::{now_ms, DbResult};
use crate::domain::webhooks::VERSION;

/// A change a webhook may announce, by the id of what changed (a survey's answer by its
/// conversation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    ConversationOpened(i64),
    ConversationAssigned(i64),
    ConversationTransferred(i64),
    ConversationClosed(i64),
    MessageCreated(i64),
    MessageStatus(i64),
    ContactCreated(i64),
    ContactUpdated(i64),
    SurveyAnswered(i64),
}

impl Change {
    /// Its name in `domain::webhooks::EVENTS`.
    pub fn event(&self) -> &'static str {
        match self {
            Change::ConversationOpened(_) => "conversation.opened",
            Change::ConversationAssigned(_) => "conversation.assigned",
            Change::ConversationTransferred(_) => "conversation.transferred",
            Change::ConversationClosed(_) => "conversation.closed",
            Change::MessageCreated(_) => "message.created",
            Change::MessageStatus(_) => "message.status",
            Change::ContactCreated(_) => "contact.created",
            Change::ContactUpdated(_) => "contact.updated",
            Change::SurveyAnswered(_) => "survey.answered",
        }
    }
}

/// Inside the change's transaction: a pending delivery for each active subscription to
/// its event, its body the payload as of now. Nothing is read when nobody subscribes.
pub fn emit(conn: &Connection, change: Change) -> DbResult<()> {
    let event = change.event();
    let subscribers = conn
        .prepare_cached(
            "SELECT id FROM webhook_subscriptions
             WHERE active = 1 AND instr(' ' || events || ' ', ' ' || ?1 || ' ') > 0 ORDER BY id",
        )?
        .query_map([event], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if subscribers.is_empty() {
        return Ok(());
    }
    let Some((conversation_id, data)) = data(conn, &change)? else { return Ok(()) };
    let now = now_ms();
    let mut insert = conn.prepare_cached(
        "INSERT INTO webhook_deliveries (public_id, subscription_id, event, conversation_id, payload,
             next_attempt_at, retry_since, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?6)",
    )?;
    for subscription_id in subscribers {
        let public_id = new_id();
        let body = json!({ "id": public_id, "event": event, "version": VERSION,
                           "occurred_at": rfc3339(now), "data": data });
        insert.execute(params![public_id, subscription_id, event, conversation_id, body.to_string(), now])?;
    }
    Ok(())
}

/// A delivery's id: 16 random bytes in hex, prefixed so it reads as one.
fn new_id() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("whd_{}", hex::encode(bytes))
}

/// A new signing secret: 32 random bytes in hex.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A subscription as stored. The secret never reaches a page after it was shown once,
/// nor the audit log.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Subscription {
    pub id: i64,
    pub url: String,
    pub events: String,
    #[serde(skip)]
    pub secret: String,
    pub active: bool,
    pub allow_private: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What a form saves; the secret only when a new one is set (creation).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SubscriptionFields {
    pub url: String,
    pub events: String,
    pub active: bool,
    pub allow_private: bool,
    #[serde(skip)]
    pub secret: Option<String>,
}

const SELECT: &str =
    "SELECT id, url, events, secret, active, allow_private, created_at, updated_at FROM webhook_subscriptions";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Subscription> {
    Ok(Subscription {
        id: r.get(0)?,
        url: r.get(1)?,
        events: r.get(2)?,
        secret: r.get(3)?,
        active: r.get(4)?,
        allow_private: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
    })
}

pub fn subscription_by_id(conn: &Connection, id: i64) -> DbResult<Option<Subscription>> {
    Ok(conn.query_row(&format!("{SELECT} WHERE id = ?1"), [id], from_row).optional()?)
}

/// Every subscription, with how many of its deliveries are pending and dead, for the list.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    #[serde(flatten)]
    pub subscription: Subscription,
    pub pending: i64,
    pub dead: i64,
}

/// The list page's rows whose address contains `search`, and how many there are.
pub fn list_subscriptions(conn: &Connection, search: &str, limit: i64, offset: i64) -> DbResult<(Vec<Listed>, i64)> {
    let like = format!("%{}%", search.replace('%', "").replace('_', ""));
    let total =
        conn.query_row("SELECT count(*) FROM webhook_subscriptions WHERE url LIKE ?1", [&like], |r| r.get(0))?;
    let mut stmt = conn.prepare(&format!(
        "SELECT s.id, s.url, s.events, s.secret, s.active, s.allow_private, s.created_at, s.updated_at,
                (SELECT count(*) FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.status = 'pending'),
                (SELECT count(*) FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.status = 'dead')
         FROM webhook_subscriptions s WHERE s.url LIKE ?1 ORDER BY s.id LIMIT ?2 OFFSET ?3"
    ))?;
    let rows = stmt
        .query_map(params![like, limit, offset], |r| {
            Ok(Listed { subscription: from_row(r)?, pending: r.get(8)?, dead: r.get(9)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, total))
}

pub fn insert_subscription(conn: &Connection, f: &SubscriptionFields) -> DbResult<i64> {
    let secret = f.secret.clone().unwrap_or_else(new_secret);
    conn.execute(
        "INSERT INTO webhook_subscriptions (url, events, secret, active, allow_private, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![f.url, f.events, secret, f.active, f.allow_private, now_ms()],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Saves an edit; the secret stays unless the fields carry a new one.
pub fn update_subscription(conn: &Connection, id: i64, f: &SubscriptionFields) -> DbResult<()> {
    conn.execute(
        "UPDATE webhook_subscriptions SET url = ?2, events = ?3, active = ?4, allow_private = ?5,
             secret = coalesce(?6, secret), updated_at = ?7 WHERE id = ?1",
        params![id, f.url, f.events, f.active, f.allow_private, f.secret, now_ms()],
    )?;
    Ok(())
}

/// A new secret for the subscription; whether it exists.
pub fn set_secret(conn: &Connection, id: i64, secret: &str) -> DbResult<bool> {
    let changed = conn.execute(
        "UPDATE webhook_subscriptions SET secret = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, secret, now_ms()],
    )?;
    Ok(changed > 0)
}

/// Deletes a subscription and its deliveries.
pub fn delete_subscription(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM webhook_subscriptions WHERE id = ?1", [id])?;
    Ok(())
}
