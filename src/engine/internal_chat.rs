//! "Chat interno" (F-AG-20): colleagues who may use it write to each other, one to one
//! or in their team's channel. Its threads are not conversations: nothing here reaches
//! the floor's lists, the reports, the exports or the customers' search. A message is
//! stored and then announced to the thread's participants only (`Event::InternalChat`);
//! one written to a colleague who is away waits unread for them.

use serde::Serialize;

use super::{Engine, EngineError, EngineResult, Event};
use crate::db::internal_chat::{self as chat, ChatMessage, Colleague, TeamChannel};
use crate::db::DbResult;
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
    known(found_peer(conn, me, peer)?)
}

/// The colleague or the team channel `peer` names, as `me` may chat with them.
fn found_peer(conn: &rusqlite::Connection, me: i64, peer: Peer) -> DbResult<(Option<Colleague>, Option<TeamChannel>)> {
    Ok(match peer {
        Peer::Person(id) => (chat::colleague(conn, me, id)?, None),
        Peer::Team(id) => (None, chat::team_channel(conn, me, id)?),
    })
}

/// `NotFound` when `peer` named nobody `me` may chat with.
fn known<T, U>(found: (Option<T>, Option<U>)) -> EngineResult<(Option<T>, Option<U>)> {
    match found {
        (None, None) => Err(EngineError::NotFound),
        found => Ok(found),
    }
}

impl Engine {
    /// The thread with `peer`, marked read by `me` as it is shown. Read first: the
    /// write lock is taken only when a shown message was unread, and marks read no
    /// further than what is shown.
    pub async fn open_chat(&self, me: i64, peer: Peer) -> EngineResult<ChatThread> {
        let (found, messages, unread) = self
            .db
            .read(move |c| {
                let found = found_peer(c, me, peer)?;
                let (messages, unread) = match chat::thread_id(c, me, peer)? {
                    Some(thread) => {
                        let messages = chat::messages(c, thread)?;
                        let newest = messages.last().map(|m| m.id).unwrap_or(0);
                        let unread = (newest > chat::last_read(c, thread, me)?).then_some((thread, newest));
                        (messages, unread)
                    }
                    None => (Vec::new(), None),
                };
                Ok((found, messages, unread))
            })
            .await?;
        let (colleague, team) = known(found)?;
        if let Some((id, newest)) = unread {
            self.write(move |tx| Ok(chat::mark_read(tx, id, me, newest)?)).await?;
        }
        Ok(ChatThread { address: peer.address(), colleague, team, messages })
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
                let message = chat::insert_message(tx, thread, me, &text, now)?;
                chat::mark_read(tx, thread, me, message)?;
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
