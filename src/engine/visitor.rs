//! What a web chat visitor's widget reports: it has received the agents' messages
//! (`delivered`) or shown them with the window in view (`read`).

use super::{Engine, EngineResult, Event};
use crate::db::messages;
use crate::domain::message_status::MessageStatus;

impl Engine {
    /// Moves the outbound messages of a conversation forward to `status` (never back:
    /// a `delivered` after a `read` changes nothing) and says so to the agents' pages.
    /// Returns how many changed.
    pub async fn visitor_saw(&self, conversation_id: i64, status: MessageStatus) -> EngineResult<usize> {
        if !matches!(status, MessageStatus::Delivered | MessageStatus::Read) {
            return Ok(0);
        }
        let changed = self
            .write(move |tx| {
                let mut changed = Vec::new();
                for id in messages::receipt_applies_to(tx, conversation_id, status)? {
                    if messages::set_status(tx, id, status, "")? {
                        changed.push(id);
                    }
                }
                Ok(changed)
            })
            .await?;
        for message_id in &changed {
            self.events.publish(Event::MessageStatus {
                conversation_id,
                message_id: *message_id,
                status: status.as_str().to_string(),
            });
        }
        Ok(changed.len())
    }
}
