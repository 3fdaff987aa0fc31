//! Who acts on a conversation: an agent of the floor, or a REST API token. A token is
//! no person: the API has checked its scopes, which reach the whole floor as a
//! supervisor's do; what it writes carries the token as its author ("API · ERP"), and
//! the events it makes name nobody in their code and the token in their row.

use rusqlite::Transaction;

use super::service::{load, load_for, system_message_by, writable, Agent};
use super::{EngineError, EngineResult};
use crate::db::conversations::Conversation;
use crate::db::messages::Writer;

/// A REST API token acting, and where from (for the audit log).
#[derive(Debug, Clone)]
pub struct ApiClient {
    pub token_id: i64,
    pub ip: String,
}

#[derive(Debug, Clone)]
pub enum Actor {
    Agent(Agent),
    Api(ApiClient),
}

impl From<&Agent> for Actor {
    fn from(agent: &Agent) -> Actor {
        Actor::Agent(agent.clone())
    }
}

impl Actor {
    /// The person acting, when it is one.
    pub fn agent(&self) -> Option<&Agent> {
        match self {
            Actor::Agent(agent) => Some(agent),
            Actor::Api(_) => None,
        }
    }

    pub fn user_id(&self) -> Option<i64> {
        self.agent().map(|a| a.user_id)
    }

    /// The person an event's code names (`closed:<id>`); `0`, nobody, for a token.
    pub fn code(&self) -> i64 {
        self.user_id().unwrap_or(0)
    }

    /// The author of what it writes.
    pub fn writer(&self) -> Writer {
        match self {
            Actor::Agent(agent) => Writer::person(agent.user_id),
            Actor::Api(client) => Writer { user_id: None, api_token_id: Some(client.token_id) },
        }
    }

    /// The conversation it acts on: an agent's only when they may see it.
    pub(crate) fn load(&self, tx: &Transaction, id: i64) -> EngineResult<Conversation> {
        match self {
            Actor::Agent(agent) => load_for(tx, agent, id),
            Actor::Api(_) => load(tx, id),
        }
    }

    /// A conversation still open that it may write in (transfer, classify, close).
    pub(crate) fn writable(&self, tx: &Transaction, id: i64) -> EngineResult<Conversation> {
        match self {
            Actor::Agent(agent) => writable(tx, agent, id),
            Actor::Api(_) => Some(load(tx, id)?).filter(|c| c.status != "closed").ok_or(EngineError::Closed),
        }
    }

    /// Records a floor event it made; a token's row carries it as the author.
    pub(crate) fn event(&self, tx: &Transaction, c: &Conversation, code: &str) -> EngineResult<i64> {
        let writer = if self.agent().is_some() { Writer::default() } else { self.writer() };
        system_message_by(tx, c.id, c.channel_id, code, writer)
    }
}
