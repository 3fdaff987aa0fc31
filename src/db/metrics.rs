//! What a Prometheus scrape reads from the database (`engine::metrics`): each channel's
//! outbox, each team's queue and the agents by status — three queries, whatever the
//! number of channels, teams and agents. The queues and agents are `Monitoramento`'s
//! own read models, so both say the same.

use rusqlite::Connection;

use super::monitoring::{self, QueueRow};
use super::DbResult;

/// The statuses an agent may have; each is reported, zero included.
pub const AGENT_STATUSES: [&str; 3] = ["online", "paused", "offline"];

/// A channel's outbox now.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxRow {
    pub channel_id: i64,
    pub kind: String,
    /// Messages in the outbox, due now or waiting for a retry.
    pub depth: i64,
    /// When the oldest message due now was written (none due: `None`).
    pub oldest_due_created_at: Option<i64>,
}

#[derive(Debug)]
pub struct Snapshot {
    pub outboxes: Vec<OutboxRow>,
    pub queues: Vec<QueueRow>,
    pub agents_by_status: Vec<(String, i64)>,
}

impl Snapshot {
    pub fn load(conn: &Connection, now: i64) -> DbResult<Snapshot> {
        let agents = monitoring::agents(conn, now, now)?;
        let agents_by_status = AGENT_STATUSES
            .iter()
            .map(|s| (s.to_string(), agents.iter().filter(|a| a.status == *s).count() as i64))
            .collect();
        Ok(Snapshot { outboxes: outboxes(conn, now)?, queues: monitoring::queues(conn, now)?, agents_by_status })
    }
}

/// Every channel with its outbox, empty ones included.
fn outboxes(conn: &Connection, now: i64) -> DbResult<Vec<OutboxRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.kind, count(o.message_id),
                min(CASE WHEN o.next_attempt_at <= ?1 AND o.leased_until <= ?1 THEN m.created_at END)
         FROM channels c
         LEFT JOIN outbox o ON o.channel_id = c.id
         LEFT JOIN messages m ON m.id = o.message_id
         GROUP BY c.id ORDER BY c.id",
    )?;
    let rows = stmt
        .query_map([now], |r| {
            Ok(OutboxRow { channel_id: r.get(0)?, kind: r.get(1)?, depth: r.get(2)?, oldest_due_created_at: r.get(3)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
