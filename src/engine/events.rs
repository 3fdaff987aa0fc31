//! The events hub: says *what changed* (conversation 42 of team 3), never what it holds.
//! Pages re-fetch the partial they show, so authorisation is checked once, on the GET.

use rocket::tokio::sync::broadcast;
use serde::Serialize;

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

/// Fan-out to every open SSE stream. A slow stream that falls behind gets `Lagged` and
/// re-syncs its page; nothing blocks the engine.
#[derive(Clone)]
pub struct Events {
    sender: broadcast::Sender<Event>,
}

impl Default for Events {
    fn default() -> Self {
        Events { sender: broadcast::channel(4096).0 }
    }
}

impl Events {
    pub fn publish(&self, event: Event) {
        // No subscriber is fine: nobody is looking.
        let _ = self.sender.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }
}
