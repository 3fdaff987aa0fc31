//! Everything that talks to services outside Atende: one folder per channel kind, and
//! SMTP. A channel is reached by the engine only through the interfaces here: the
//! outbox asks `Senders::sender_for` and never looks at a channel's kind itself.

pub mod smtp;
pub mod webchat;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use crate::db::channels::Channel;
pub use crate::db::outbox::Outgoing;
use crate::domain::channel_kind::ChannelKind;

/// What a channel said about one message handed to it.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// It took the message; `provider_id` is its own id for it, when it has one.
    Sent { provider_id: Option<String> },
    /// Not now (the service is down, rate limited …); `after` when it said how long.
    Retry { after: Option<Duration>, reason: String },
    /// Never (bad recipient, refused content): the message is failed now.
    Failed { reason: String },
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
        kind @ (ChannelKind::WhatsApp | ChannelKind::Telegram | ChannelKind::Email) => Arc::new(NoAdapter(kind)),
    }
}

/// A kind whose adapter is not built yet: its messages wait, and fail when the retries
/// run out, with a reason that says why.
struct NoAdapter(ChannelKind);

impl Sender for NoAdapter {
    fn send(&self, _: &Outgoing) -> Delivery {
        Delivery::Retry { after: None, reason: format!("no adapter for {} yet", self.0) }
    }
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
