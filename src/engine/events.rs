//! The events hub: says *what changed* (conversation 42 of team 3), never what it holds.
//! Pages re-fetch the partial they show, so authorisation is checked once, on the GET.

use std::sync::Arc;

use rocket::tokio::sync::broadcast::{
    self,
    error::{RecvError, TryRecvError},
};
use rocket::tokio::sync::OnceCell;
use serde::Serialize;

use super::access;
use crate::db::conversations::{self, Conversation};
use crate::db::{Db, DbResult};
use crate::domain::visibility::Seen;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// A conversation was opened, assigned, transferred, closed, got a message …
    Conversation { conversation_id: i64, team_id: Option<i64>, agent_id: Option<i64> },
    /// An outbound message changed status (queued → sent → delivered → read, failed).
    MessageStatus { conversation_id: i64, message_id: i64, status: String },
    /// An agent's status or pause changed.
    Agent { user_id: i64 },
    /// A notification was raised or read: the bells count again.
    Notices,
    /// A message in an internal chat thread (never a customer's conversation).
    /// `recipients` are the thread's participants when it was written, so a stream
    /// tells whether it concerns its reader without asking the database; `team_id`
    /// names a team's channel, otherwise the thread is the pair in `recipients`.
    InternalChat { thread_id: i64, team_id: Option<i64>, author_id: i64, recipients: Vec<i64> },
}

impl Event {
    pub fn conversation_id(&self) -> Option<i64> {
        match self {
            Event::Conversation { conversation_id, .. } | Event::MessageStatus { conversation_id, .. } => {
                Some(*conversation_id)
            }
            Event::Agent { .. } | Event::Notices | Event::InternalChat { .. } => None,
        }
    }
}

/// One published event, shared by every stream: the conversation it names is read from
/// the database once, by the first stream that needs it, whatever the number of streams.
pub struct Published {
    pub event: Event,
    seen: OnceCell<Option<Looked>>,
}

/// An event's conversation as it stood when the first stream looked.
#[derive(Debug, Clone)]
pub struct Looked {
    pub conversation: Conversation,
    pub seen: Seen,
}

impl Published {
    /// The event's conversation (`None`: the event names none, or it is gone).
    pub async fn conversation(&self, db: &Db) -> DbResult<Option<&Looked>> {
        let Some(id) = self.event.conversation_id() else { return Ok(None) };
        let found = self
            .seen
            .get_or_try_init(|| {
                db.read(move |c| {
                    let Some(conversation) = conversations::conversation_by_id(c, id)? else { return Ok(None) };
                    let seen = access::seen(c, &conversation)?;
                    Ok(Some(Looked { conversation, seen }))
                })
            })
            .await?;
        Ok(found.as_ref())
    }
}

/// Fan-out to every open SSE stream. A slow stream that falls behind gets `Lagged` and
/// re-syncs its page; nothing blocks the engine.
#[derive(Clone)]
pub struct Events {
    sender: broadcast::Sender<Arc<Published>>,
}

impl Default for Events {
    fn default() -> Self {
        Events { sender: broadcast::channel(4096).0 }
    }
}

impl Events {
    pub fn publish(&self, event: Event) {
        // No subscriber is fine: nobody is looking.
        let _ = self.sender.send(Arc::new(Published { event, seen: OnceCell::new() }));
    }

    pub fn subscribe(&self) -> Subscription {
        Subscription(self.sender.subscribe())
    }
}

/// One stream's place in the fan-out.
pub struct Subscription(broadcast::Receiver<Arc<Published>>);

impl Subscription {
    /// The next event, shared with the other streams (and its conversation with it).
    pub async fn recv_shared(&mut self) -> Result<Arc<Published>, RecvError> {
        self.0.recv().await
    }

    pub async fn recv(&mut self) -> Result<Event, RecvError> {
        Ok(self.0.recv().await?.event.clone())
    }

    pub fn try_recv(&mut self) -> Result<Event, TryRecvError> {
        Ok(self.0.try_recv()?.event.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rocket::async_test]
    async fn every_stream_shares_one_read_of_the_events_conversation() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("t.db")).unwrap();
        db.write_now(|tx| {
            tx.execute_batch(
                "INSERT INTO channels (id, kind, name, key, created_at) VALUES (1, 'webchat', 'Site', 'k', 0);
                 INSERT INTO contacts (id, name, created_at, updated_at) VALUES (1, 'Maria', 0, 0);
                 INSERT INTO conversations (id, protocol, channel_id, contact_id, status, opened_at, queued_at, last_message_at)
                   VALUES (1, 'WC1', 1, 1, 'waiting', 0, 0, 0);",
            )?;
            Ok(())
        })
        .unwrap();
        let events = Events::default();
        let (mut one, mut other) = (events.subscribe(), events.subscribe());
        events.publish(Event::Conversation { conversation_id: 1, team_id: None, agent_id: None });

        let first = one.recv_shared().await.unwrap();
        assert_eq!(first.conversation(&db).await.unwrap().unwrap().seen.status, "waiting");
        db.write_now(|tx| Ok(tx.execute("UPDATE conversations SET status = 'active' WHERE id = 1", [])?)).unwrap();
        let second = other.recv_shared().await.unwrap();
        assert!(Arc::ptr_eq(&first, &second), "one event for every stream");
        let looked = second.conversation(&db).await.unwrap().unwrap();
        assert_eq!(looked.conversation.status, "waiting", "read by the first stream, not again by the second");

        events.publish(Event::Notices);
        assert!(one.recv_shared().await.unwrap().conversation(&db).await.unwrap().is_none(), "names none");
    }
}
