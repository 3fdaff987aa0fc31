//! Everything that talks to services outside Atende: one folder per channel kind, and
//! SMTP. A channel is reached by the engine only through the interfaces here, and a
//! kind is named only in the `match`es below:
//! - a `Sender` delivers outbound messages (the outbox asks `Senders::sender_for`);
//! - a `Poller` fetches what a polled channel has (Telegram, IMAP), with a cursor the
//!   engine stores in the same transaction as the messages it confirms;
//! - a `MediaSource` hands over a file the channel named but could not give at once.
//!
//! Adapters run on blocking threads (their HTTP, SMTP and IMAP calls block); they turn
//! what they receive into `engine::ingest::Inbound` and never write to the database.

pub mod email;
pub mod guarded_http;
pub mod settings;
pub mod smtp;
pub mod telegram;
pub mod webchat;
pub mod whatsapp;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use crate::db::channels::Channel;
pub use crate::db::outbox::{Outgoing, OutgoingFile};
use crate::domain::channel_kind::ChannelKind;
pub use crate::engine::ingest::{Inbound, IncomingFile, MediaRef};

/// What a channel said about one message handed to it.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// It took the message; `provider_id` is its own id for it, when it has one.
    Sent { provider_id: Option<String> },
    /// Not now (the service is down, rate limited …); `after` when it said how long.
    Retry { after: Option<Duration>, reason: String },
    /// Never (bad recipient, refused content): the message is failed now.
    Failed { reason: String },
    /// The service refused the channel's credentials (a bad or revoked token):
    /// administrators are notified; `wait` when the message waits for new credentials
    /// like a retry, otherwise it is failed now.
    Unauthorized { reason: String, wait: bool },
}

/// Sends messages on one channel. Called on a blocking thread, one message at a time
/// per channel, so an adapter may block on its HTTP or SMTP call.
pub trait Sender: Send + Sync {
    fn send(&self, message: &Outgoing) -> Delivery;
}

/// The sender of a channel, by its kind.
pub fn sender_for(channel: &Channel) -> Arc<dyn Sender> {
    match channel.kind {
        ChannelKind::WebChat => Arc::new(webchat::WebChatSender),
        ChannelKind::Email => Arc::new(email::EmailSender::new(channel)),
        ChannelKind::Telegram => Arc::new(telegram::TelegramSender::new(&telegram::Settings::of(channel))),
        ChannelKind::WhatsApp => Arc::new(whatsapp::WhatsAppSender::new(whatsapp::Settings::of(channel))),
    }
}

/// The poller of a channel, when its kind is polled.
pub fn poller_for(channel: &Channel) -> Option<Box<dyn Poller>> {
    match channel.kind {
        ChannelKind::Email => Some(Box::new(email::EmailPoller::new(email::Settings::of(channel)))),
        ChannelKind::Telegram => Some(Box::new(telegram::TelegramPoller::new(telegram::Settings::of(channel)))),
        ChannelKind::WebChat | ChannelKind::WhatsApp => None,
    }
}

/// Where a channel's owed files come from, when its kind sends files by reference.
pub fn media_source_for(channel: &Channel) -> Option<Arc<dyn MediaSource>> {
    match channel.kind {
        ChannelKind::Telegram => Some(Arc::new(telegram::TelegramMedia::new(&telegram::Settings::of(channel)))),
        ChannelKind::WhatsApp => Some(Arc::new(whatsapp::WhatsAppMedia::new(whatsapp::Settings::of(channel)))),
        ChannelKind::WebChat | ChannelKind::Email => None,
    }
}

/// One thing a poll brought: a message for Atende, or something it only moves past
/// (an update from a group, a bounce), and where the channel stands after it.
#[derive(Debug, Clone)]
pub struct Polled {
    pub cursor: String,
    pub inbound: Option<Inbound>,
}

/// A poll that did not work; the poller is called again after `after` (when the
/// channel said how long) or after a backoff.
#[derive(Debug, Clone, PartialEq)]
pub struct PollError {
    pub after: Option<Duration>,
    /// In words for the administrator's health panel; never a secret (no token, no
    /// password, no URL that holds one).
    pub reason: String,
    /// The service refused the channel's credentials (administrators are notified).
    pub unauthorized: bool,
}

/// Fetches what a polled channel has after `cursor` (`None`: from the start). May block
/// for a long poll; should return within about 30 seconds so a shutdown is not held.
pub trait Poller: Send {
    fn poll(&mut self, cursor: Option<&str>) -> Result<Vec<Polled>, PollError>;
}

/// What a try to fetch an owed file gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Fetch {
    File(IncomingFile),
    /// Not now (5xx, network): tried again later.
    Retry {
        reason: String,
    },
    /// Never (the file is gone, too large): the message says so.
    Never {
        reason: String,
    },
}

pub trait MediaSource: Send + Sync {
    fn fetch(&self, media: &MediaRef) -> Fetch;
}

/// The senders the engine uses: those of `sender_for`, unless one was put in place of
/// a kind's (a fake channel in tests, an adapter under trial).
#[derive(Clone, Default)]
pub struct Senders {
    replaced: HashMap<ChannelKind, Arc<dyn Sender>>,
}

impl Senders {
    pub fn sender_for(&self, channel: &Channel) -> Arc<dyn Sender> {
        self.replaced.get(&channel.kind).cloned().unwrap_or_else(|| sender_for(channel))
    }

    /// These senders with `sender` for every channel of `kind`.
    pub fn replacing(mut self, kind: ChannelKind, sender: Arc<dyn Sender>) -> Senders {
        self.replaced.insert(kind, sender);
        self
    }
}
