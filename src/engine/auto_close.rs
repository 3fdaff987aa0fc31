//! Auto-close (F-EN-5): conversations with no message for the company's limit close by
//! themselves with the closing message; pending ones (waiting for the customer) get
//! three times as long. The limit 0 turns it off. Like a manual close, the capacity
//! freed goes at once to the waiting queue of the holders' teams.

use rusqlite::params;

use super::closing::queue_closing_message;
use super::service::{route_teams_of, system_message};
use super::{Engine, EngineResult, Event};
use crate::db::{conversations, settings};

/// Pending conversations wait this many times the limit before closing.
pub const PENDING_FACTOR: i64 = 3;

impl Engine {
    /// Closes what has been idle too long at `now`; returns how many closed.
    pub async fn auto_close_idle(&self, now: i64) -> EngineResult<usize> {
        let (count, events) = self
            .write(move |tx| {
                let policy = settings::load(tx)?;
                if policy.auto_close_minutes <= 0 {
                    return Ok((0, vec![]));
                }
                let limit = policy.auto_close_minutes * 60_000;
                let mut stmt = tx.prepare(
                    "SELECT id FROM conversations
                     WHERE (status IN ('waiting', 'active') AND last_message_at < ?1)
                        OR (status = 'pending' AND last_message_at < ?2)
                     ORDER BY id LIMIT 500",
                )?;
                let ids = stmt
                    .query_map(params![now - limit, now - limit * PENDING_FACTOR], |r| r.get::<_, i64>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                let mut events = Vec::new();
                let mut holders = Vec::new();
                for id in ids {
                    let Some(c) = conversations::conversation_by_id(tx, id)? else { continue };
                    queue_closing_message(tx, &c, &policy.closing_message)?;
                    conversations::close(tx, id, None, "")?;
                    system_message(tx, id, c.channel_id, "closed:auto")?;
                    events.push(Event::Conversation { conversation_id: id, team_id: c.team_id, agent_id: c.agent_id });
                    holders.extend(c.agent_id);
                }
                let closed = events.len();
                events.extend(route_teams_of(tx, &holders)?);
                Ok((closed, events))
            })
            .await?;
        for e in events {
            self.events.publish(e);
        }
        Ok(count)
    }
}
