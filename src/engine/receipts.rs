//! What a channel reports about the messages it took (WhatsApp's statuses, e-mail
//! bounces later): the message it names moves forward, never back, and the agents'
//! pages hear of it.

use super::{Engine, EngineResult, Event};
use crate::db::messages;
use crate::domain::message_status::MessageStatus;

impl Engine {
    /// The channel says the message it knows as `provider_id` is now `status`
    /// (`reason`: why it failed, in words for the agent). Whether it moved; a late or
    /// unknown receipt changes nothing.
    pub async fn receipt(
        &self,
        channel_id: i64,
        provider_id: String,
        status: MessageStatus,
        reason: String,
    ) -> EngineResult<bool> {
        let moved = self
            .write(move |tx| {
                let Some(m) = messages::by_provider_id(tx, channel_id, &provider_id)? else { return Ok(None) };
                Ok(messages::set_status(tx, m.id, status, &reason)?.then_some((m.conversation_id, m.id)))
            })
            .await?;
        if let Some((conversation_id, message_id)) = moved {
            self.events.publish(Event::MessageStatus {
                conversation_id,
                message_id,
                status: status.as_str().to_string(),
            });
        }
        Ok(moved.is_some())
    }
}
