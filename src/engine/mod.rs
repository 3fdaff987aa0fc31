//! Use cases of the floor: every change to conversations goes through here. Web handlers
//! and channel adapters only translate between the outside world and these calls.

pub mod access;
pub mod actor;
pub mod api;
pub mod attachments;
pub mod auto_close;
pub mod clock;
pub mod closing;
pub mod contacts;
pub mod events;
pub mod flow;
mod flow_http;
mod flow_runs;
pub mod flow_simulator;
pub mod health;
pub mod idempotency;
pub mod ingest;
pub mod internal_chat;
pub mod media;
pub mod metrics;
pub mod monitoring;
mod notice_mail;
pub mod notices;
pub mod outbox;
pub mod pane;
pub mod phrases;
pub mod privacy;
pub mod protocol_links;
pub mod queue;
pub mod receipts;
pub mod retention;
pub mod send_rate;
pub mod service;
pub mod start;
pub mod survey;
pub mod tags;
pub mod telephony;
pub mod transcript;
pub mod visitor;
pub mod webhooks;
pub mod window;

use crate::channels::Senders;
use crate::db::{Db, DbError};
pub use events::{Event, Events};

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("not found")]
    NotFound,
    /// The user may not see or change this conversation.
    #[error("forbidden")]
    Forbidden,
    /// Someone else took the conversation first.
    #[error("already taken")]
    AlreadyTaken,
    #[error("conversation closed")]
    Closed,
    /// The message holds words the company does not allow agents to send.
    #[error("blocked words: {0:?}")]
    BlockedWords(Vec<String>),
    /// The team requires a classification before closing.
    #[error("classification required")]
    TabulationRequired,
    /// The reply is longer than its channel carries (the limit in characters).
    #[error("too long for the channel: at most {0} characters")]
    TooLong(usize),
    /// A value broke a rule; the key names the message.
    #[error("invalid: {0}")]
    Invalid(&'static str),
}

impl From<rusqlite::Error> for EngineError {
    fn from(e: rusqlite::Error) -> Self {
        EngineError::Db(DbError::Sqlite(e))
    }
}

impl EngineError {
    pub fn key(&self) -> &'static str {
        match self {
            EngineError::Db(_) => "error-internal",
            EngineError::NotFound => "error-not-found",
            EngineError::Forbidden => "error-forbidden",
            EngineError::AlreadyTaken => "floor-already-taken",
            EngineError::Closed => "floor-closed",
            EngineError::BlockedWords(_) => "floor-blocked-words",
            EngineError::TabulationRequired => "floor-tabulation-required",
            EngineError::TooLong(_) => "floor-message-too-long-for-channel",
            EngineError::Invalid(key) => key,
        }
    }
}

pub type EngineResult<T> = Result<T, EngineError>;

/// The engine: the database, the events hub, the channels' senders and the pace they
/// keep, shared by handlers, channels and jobs.
#[derive(Clone)]
pub struct Engine {
    pub db: Db,
    pub events: Events,
    pub senders: Senders,
    pub send_limits: send_rate::SendLimits,
    /// What flows take as now (schedule branches, idle limits); tests may fix it.
    pub clock: clock::Clock,
    /// Agents whose click-to-call is being asked of the PBX.
    pub calls: telephony::CallsInFlight,
    /// How long a polled channel may keep failing before administrators are notified.
    pub poller_grace_ms: i64,
    /// The counters `/metrics` shows (messages in and out, polls, streams, requests).
    pub metrics: metrics::Metrics,
}

impl Engine {
    pub fn new(db: Db) -> Engine {
        Engine {
            db,
            events: Events::default(),
            senders: Senders::default(),
            send_limits: Default::default(),
            clock: Default::default(),
            calls: Default::default(),
            poller_grace_ms: crate::config::Config::default().poller_grace_secs as i64 * 1000,
            metrics: Default::default(),
        }
    }

    /// This engine, delivering through `senders`.
    pub fn with_senders(self, senders: Senders) -> Engine {
        Engine { senders, ..self }
    }

    /// A write transaction that commits only when the closure succeeds; when it raised a
    /// notification, open bells are told once it is committed.
    pub(crate) async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction) -> EngineResult<T> + Send + 'static,
    ) -> EngineResult<T> {
        let (value, raised) = self
            .db
            .transact(move |tx| {
                let (value, raised) = notices::watching(|| f(tx));
                value.map(|v| (v, raised))
            })
            .await?;
        if raised {
            self.events.publish(Event::Notices);
        }
        Ok(value)
    }
}
