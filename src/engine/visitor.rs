//! What a web chat visitor's widget reports: it has received the agents' messages
//! (`delivered`) or shown them with the window in view (`read`).

use rusqlite::params;

use super::{Engine, EngineResult, Event};

impl Engine {
    /// Moves the outbound messages of a conversation forward to `status` (`delivered`
    /// from `sent`; `read` from `sent` or `delivered`) and says so to the agents' pages.
    /// Returns how many changed.
    pub async fn visitor_saw(&self, conversation_id: i64, status: &'static str) -> EngineResult<usize> {
        let from: &'static [&'static str] = match status {
            "delivered" => &["sent"],
            "read" => &["sent", "delivered"],
            _ => return Ok(0),
        };
        let changed = self
            .write(move |tx| {
                let mut stmt = tx.prepare(
                    "UPDATE messages SET status = ?2
                     WHERE conversation_id = ?1 AND direction = 'out' AND status IN (?3, ?4)
                     RETURNING id",
                )?;
                let ids = stmt
                    .query_map(
                        params![conversation_id, status, from[0], from.get(1).copied().unwrap_or(from[0])],
                        |r| r.get::<_, i64>(0),
                    )?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(ids)
            })
            .await?;
        for message_id in &changed {
            self.events.publish(Event::MessageStatus {
                conversation_id,
                message_id: *message_id,
                status: status.to_string(),
            });
        }
        Ok(changed.len())
    }
}
