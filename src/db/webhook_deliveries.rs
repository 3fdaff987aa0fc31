//! `webhook_deliveries`: the outgoing webhooks' rows, kept with the outbox's discipline.
//! A worker claims a due row with a lease in one statement, sends, and records the
//! result only while it still holds that lease; a row waits while an earlier one of
//! the same conversation and subscription is pending, so they arrive in order.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::DbResult;

/// A row a worker holds, with what it sends.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub id: i64,
    pub public_id: String,
    pub subscription_id: i64,
    pub event: String,
    pub payload: String,
    /// Failed attempts so far.
    pub attempts: i64,
    pub retry_since: i64,
    /// The lease's end, and the worker's proof when it records the result.
    pub leased_until: i64,
}

/// The subscriptions with a delivery due at `now` (for a pass over all of them).
pub fn subscriptions_with_due(conn: &Connection, now: i64) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT d.subscription_id FROM webhook_deliveries d
         JOIN webhook_subscriptions s ON s.id = d.subscription_id
         WHERE d.status = 'pending' AND d.next_attempt_at <= ?1 AND d.leased_until <= ?1 AND s.active = 1
         ORDER BY d.subscription_id",
    )?;
    let ids = stmt.query_map([now], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Claims the subscription's next due delivery until `now + lease_ms`: pending, due,
/// not leased (or its lease ran out), and with no earlier pending delivery of its
/// conversation — one waiting for a retry is never overtaken. One statement, so two
/// workers never claim the same row.
pub fn claim_due(conn: &Connection, subscription_id: i64, now: i64, lease_ms: i64) -> DbResult<Option<Claim>> {
    let mut stmt = conn.prepare_cached(
        "UPDATE webhook_deliveries SET leased_until = ?3
         WHERE id = (
             SELECT d.id FROM webhook_deliveries d
             WHERE d.subscription_id = ?1 AND d.status = 'pending' AND d.next_attempt_at <= ?2
               AND d.leased_until <= ?2
               AND NOT EXISTS (
                   SELECT 1 FROM webhook_deliveries earlier
                   WHERE earlier.subscription_id = d.subscription_id AND earlier.status = 'pending'
                     AND earlier.conversation_id = d.conversation_id AND earlier.id < d.id)
             ORDER BY d.next_attempt_at, d.id LIMIT 1)
         RETURNING id, public_id, subscription_id, event, payload, attempts, retry_since, leased_until",
    )?;
    Ok(stmt
        .query_row(params![subscription_id, now, now + lease_ms], |r| {
            Ok(Claim {
                id: r.get(0)?,
                public_id: r.get(1)?,
                subscription_id: r.get(2)?,
                event: r.get(3)?,
                payload: r.get(4)?,
                attempts: r.get(5)?,
                retry_since: r.get(6)?,
                leased_until: r.get(7)?,
            })
        })
        .optional()?)
}

/// Frees every claim on a delivery, so each one claimed is due at once. For the start
/// of the server, before its webhook worker's first pass: one server runs per data
/// directory (`server_lock`), so a lease found then belongs to a process that died
/// mid-post, and waiting for it to run out would hold that delivery, and the rest of its
/// conversation behind it, for up to the lease's length. The old claim can record
/// nothing after this. The delivery is posted again, with the same id, so a receiver
/// that took the cut-off post sees it twice and skips it by its id. How many were freed.
pub fn release_leases(conn: &Connection) -> DbResult<usize> {
    Ok(conn.execute("UPDATE webhook_deliveries SET leased_until = 0 WHERE leased_until > 0", [])?)
}

/// What an attempt came to.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub at: i64,
    /// The answer's status, when there was one.
    pub response_status: Option<u16>,
    /// Empty when delivered.
    pub error: String,
}

/// Records a delivered attempt; `false` when the lease was lost.
pub fn record_delivered(conn: &Connection, claim: &Claim, attempt: &Attempt) -> DbResult<bool> {
    record(conn, claim, attempt, "delivered", 0)
}

/// Records a failed attempt, due again at `next_at`; `false` when the lease was lost.
pub fn record_retry(conn: &Connection, claim: &Claim, attempt: &Attempt, next_at: i64) -> DbResult<bool> {
    record(conn, claim, attempt, "pending", next_at)
}

/// Records the last failed attempt: the delivery is dead; `false` when the lease was lost.
pub fn record_dead(conn: &Connection, claim: &Claim, attempt: &Attempt) -> DbResult<bool> {
    record(conn, claim, attempt, "dead", 0)
}

fn record(conn: &Connection, claim: &Claim, attempt: &Attempt, status: &str, next_at: i64) -> DbResult<bool> {
    let changed = conn.prepare_cached(
        "UPDATE webhook_deliveries SET status = ?3, attempts = attempts + 1, last_attempt_at = ?4,
             response_status = ?5, last_error = ?6, next_attempt_at = CASE WHEN ?3 = 'pending' THEN ?7 ELSE next_attempt_at END,
             leased_until = 0
         WHERE id = ?1 AND leased_until = ?2 AND status = 'pending'",
    )?
    .execute(params![
        claim.id,
        claim.leased_until,
        status,
        attempt.at,
        attempt.response_status,
        attempt.error,
        next_at
    ])?;
    Ok(changed > 0)
}

/// "Reenviar": the delivery is due again now with the same id, its 24 hours of
/// retries counted from now; whether the subscription has it (a pending one that is
/// leased right now is left to its worker).
pub fn resend(conn: &Connection, subscription_id: i64, id: i64, now: i64) -> DbResult<bool> {
    let changed = conn.execute(
        "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?3, retry_since = ?3
         WHERE id = ?1 AND subscription_id = ?2 AND (status <> 'pending' OR leased_until <= ?3)",
        params![id, subscription_id, now],
    )?;
    Ok(changed > 0)
}

/// A delivery as the subscription's log shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Logged {
    pub id: i64,
    pub public_id: String,
    pub event: String,
    pub status: String,
    pub attempts: i64,
    pub response_status: Option<i64>,
    pub last_error: String,
    pub last_attempt_at: Option<i64>,
    pub next_attempt_at: i64,
    pub created_at: i64,
}

/// The subscription's latest deliveries, newest first.
pub fn log(conn: &Connection, subscription_id: i64, limit: i64) -> DbResult<Vec<Logged>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, public_id, event, status, attempts, response_status, last_error, last_attempt_at,
                next_attempt_at, created_at
         FROM webhook_deliveries WHERE subscription_id = ?1 ORDER BY id DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![subscription_id, limit], |r| {
            Ok(Logged {
                id: r.get(0)?,
                public_id: r.get(1)?,
                event: r.get(2)?,
                status: r.get(3)?,
                attempts: r.get(4)?,
                response_status: r.get(5)?,
                last_error: r.get(6)?,
                last_attempt_at: r.get(7)?,
                next_attempt_at: r.get(8)?,
                created_at: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Forgets delivered and dead deliveries made before `before` (their payloads copy
/// customers' words); how many.
pub fn prune(conn: &Connection, before: i64) -> DbResult<usize> {
    Ok(conn.execute("DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < ?1", [before])?)
}
