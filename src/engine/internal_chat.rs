//! "Chat interno" (F-AG-20): colleagues who may use it write to each other, one to one
//! or in their team's channel. Its threads are not conversations: nothing here reaches
//! the floor's lists, the reports, the exports or the customers' search. A message is
//! stored and then announced to the thread's participants only (`Event::InternalChat`);
//! one written to a colleague who is away waits unread for them.

use serde::Serialize;

use super::{Engine, EngineError, EngineResult, Event};
use crate::db::internal_chat::{self as chat, ChatMessage, Colleague, TeamChannel};
use crate::domain::internal_chat::{body, Peer};

/// A thread as its panel shows it: whom it is with and its latest messages.
#[derive(Debug, Clone, Serialize)]
pub struct ChatThread {
    pub address: String,
    pub colleague: Option<Colleague>,
    pub team: Option<TeamChannel>,
    pub messages: Vec<ChatMessage>,
}

/// Whom `me` writes to, or `NotFound`: oneself, a stranger, a colleague without the
/// permission and a team one is not in all answer the same.
fn peer_of(conn: &rusqlite::Connection, me: i64, peer: Peer) -> EngineResult<(Option<Colleague>, Option<TeamChannel>)> {
    let found = match peer {
        Peer::Person(id) => (chat::colleague(conn, me, id)?, None),
        Peer::Team(id) => (None, chat::team_channel(conn, me, id)?),
    };
    match found {
        (None, None) => Err(EngineError::NotFound),
        found => Ok(found),
    }
}

impl Engine {
    /// The thread with `peer`, marked read by `me` as it is shown.
    pub async fn open_chat(&self, me: i64, peer: Peer) -> EngineResult<ChatThread> {
        self.write(move |tx| {
            let (colleague, team) = peer_of(tx, me, peer)?;
            let messages = match chat::thread_id(tx, me, peer)? {
                Some(thread) => {
                    chat::mark_read(tx, thread, me)?;
                    chat::messages(tx, thread)?
                }
                None => Vec::new(),
            };
            Ok(ChatThread { address: peer.address(), colleague, team, messages })
        })
        .await
    }

    /// Writes `typed` to `peer`; refused before anything is stored when it is empty or
    /// too long (`Invalid` with the catalogue key).
    pub async fn post_chat(&self, me: i64, peer: Peer, typed: &str) -> EngineResult<()> {
        let text = body(typed).map_err(EngineError::Invalid)?;
        let now = self.clock.now();
        let event = self
            .write(move |tx| {
                peer_of(tx, me, peer)?;
                let thread = chat::ensure_thread(tx, me, peer, now)?;
                chat::insert_message(tx, thread, me, &text, now)?;
                chat::mark_read(tx, thread, me)?;
                let team_id = match peer {
                    Peer::Team(team) => Some(team),
                    Peer::Person(_) => None,
                };
                Ok(Event::InternalChat {
                    thread_id: thread,
                    team_id,
                    author_id: me,
                    recipients: chat::participants(tx, thread)?,
                })
            })
            .await?;
        self.events.publish(event);
        Ok(())
    }
}
