//! A customer's demand across conversations (Decreto 11.034/2022, F-RE-6): the agent
//! links the conversation to one of the same contact's earlier protocols ("Vincular a
//! protocolo anterior"), or the customer quotes one and ingest links it. Never to
//! another contact's protocol; each link is a system line of the conversation.

use rusqlite::Transaction;

use super::access::can_write;
use super::service::{load_for, system_message, Agent};
use super::{Engine, EngineError, EngineResult, Event};
use crate::db::conversations::Conversation;
use crate::db::protocol_links;
use crate::domain::protocol;

impl Engine {
    /// Links conversation `id` to the contact's earlier `protocol`, by the agent holding
    /// it (or a supervisor).
    pub async fn link_protocol(&self, agent: &Agent, id: i64, protocol: &str) -> EngineResult<()> {
        let (agent, protocol) = (agent.clone(), protocol.trim().to_ascii_uppercase());
        let now = self.clock.now();
        let event = self
            .write(move |tx| {
                let c = load_for(tx, &agent, id)?;
                if !(agent.supervisor || can_write(tx, agent.user_id, &c)?) {
                    return Err(if c.status == "closed" { EngineError::Closed } else { EngineError::Forbidden });
                }
                let earlier = protocol_links::earlier_by_protocol(tx, id, &protocol)?
                    .ok_or(EngineError::Invalid("floor-protocol-not-earlier"))?;
                protocol_links::link(tx, id, earlier, Some(agent.user_id), now)?;
                system_message(tx, id, c.channel_id, &format!("linked:{protocol}:{}", agent.user_id))?;
                Ok(Event::Conversation { conversation_id: id, team_id: c.team_id, agent_id: c.agent_id })
            })
            .await?;
        self.events.publish(event);
        Ok(())
    }
}

/// In ingest's transaction: a conversation not linked yet that the customer's `body`
/// quotes an earlier protocol of theirs in is linked to it.
pub(super) fn link_quoted(tx: &Transaction, c: &Conversation, body: &str, now: i64) -> EngineResult<()> {
    let quoted = protocol::quoted(body);
    if quoted.is_empty() || protocol_links::is_linked(tx, c.id)? {
        return Ok(());
    }
    for number in quoted {
        if let Some(earlier) = protocol_links::earlier_by_protocol(tx, c.id, &number)? {
            protocol_links::link(tx, c.id, earlier, None, now)?;
            system_message(tx, c.id, c.channel_id, &format!("linked:{number}"))?;
            break;
        }
    }
    Ok(())
}
