//! Tags on a conversation (F-AG-7): the team's own or company-wide ones, set by the
//! agent holding it (or a supervisor, or a REST API token); never shown to the contact.

use rusqlite::{params, Transaction};

use super::access::can_write;
use super::actor::Actor;
use super::service::Agent;
use super::{Engine, EngineError, EngineResult, Event};

impl Engine {
    /// Puts a tag on (`on`) or takes it off a conversation.
    pub async fn set_tag(&self, agent: &Agent, conversation_id: i64, tag_id: i64, on: bool) -> EngineResult<()> {
        let actor = Actor::from(agent);
        let event = self.write(move |tx| tag_in(tx, &actor, conversation_id, tag_id, on)).await?;
        self.events.publish(event);
        Ok(())
    }
}

/// `set_tag` inside a transaction the caller holds; the event to publish after the commit.
pub(crate) fn tag_in(
    tx: &Transaction,
    actor: &Actor,
    conversation_id: i64,
    tag_id: i64,
    on: bool,
) -> EngineResult<Event> {
    let c = actor.load(tx, conversation_id)?;
    let allowed = match actor.agent() {
        Some(agent) => agent.supervisor || can_write(tx, agent.user_id, &c)?,
        None => c.status != "closed",
    };
    if !allowed {
        return Err(if c.status == "closed" { EngineError::Closed } else { EngineError::Forbidden });
    }
    let usable: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM tags WHERE id = ?1 AND (team_id IS NULL OR team_id IS ?2))",
        params![tag_id, c.team_id],
        |r| r.get(0),
    )?;
    if !usable {
        return Err(EngineError::Invalid("floor-bad-tag"));
    }
    if on {
        tx.execute(
            "INSERT OR IGNORE INTO conversation_tags (conversation_id, tag_id) VALUES (?1, ?2)",
            params![conversation_id, tag_id],
        )?;
    } else {
        tx.execute(
            "DELETE FROM conversation_tags WHERE conversation_id = ?1 AND tag_id = ?2",
            params![conversation_id, tag_id],
        )?;
    }
    Ok(Event::Conversation { conversation_id, team_id: c.team_id, agent_id: c.agent_id })
}
