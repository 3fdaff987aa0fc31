//! The conversation pane for the user asking: shown only when `access` lets them see
//! the conversation (otherwise it is missing, so ids cannot be probed), and marked read
//! when its holder opens it.

use rusqlite::Connection;

use super::access::{can_write, visible_conversation};
use super::service::Agent;
use super::window::{templates_of, window_of};
use super::{Engine, EngineError, EngineResult};
use crate::db::conversation_pane::{ConversationPane, PaneTemplate, Viewer};
use crate::db::DbResult;

impl Engine {
    /// The pane of a conversation the agent may see; `NotFound` otherwise.
    pub async fn conversation_pane(&self, agent: &Agent, id: i64) -> EngineResult<ConversationPane> {
        let agent = agent.clone();
        self.db.read(move |conn| pane_for(conn, &agent, id)).await?.ok_or(EngineError::NotFound)
    }

    /// The agent opens a conversation: when they hold it, its messages are read now.
    pub async fn open_conversation(&self, agent: &Agent, id: i64) -> EngineResult<ConversationPane> {
        self.mark_read(agent, id).await?;
        self.conversation_pane(agent, id).await
    }
}

fn pane_for(conn: &Connection, agent: &Agent, id: i64) -> DbResult<Option<ConversationPane>> {
    let Some(c) = visible_conversation(conn, agent.user_id, agent.supervisor, id)? else { return Ok(None) };
    let viewer =
        Viewer { user_id: agent.user_id, supervisor: agent.supervisor, can_write: can_write(conn, agent.user_id, &c)? };
    let closed = !window_of(conn, &c)?.allows_free_text();
    let templates = if closed { templates_of(conn, &c)? } else { Vec::new() };
    let mut pane = ConversationPane::load(conn, c, &viewer)?;
    pane.window_closed = closed;
    pane.templates = templates.iter().map(PaneTemplate::of).collect();
    pane.can_call = super::telephony::may_call(conn, agent.user_id)?;
    Ok(Some(pane))
}
