//! The demo customer's phone: what a newcomer wrote on /demo/phone as a WhatsApp,
//! Telegram or e-mail customer and what came back from the agents, as the simulators
//! saw it. Kept in memory while the demo runs (Atende keeps its own record); every
//! change is announced, so the page and a waiting `getUpdates` look again.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rocket::tokio::sync::broadcast;
use serde::Serialize;

use super::channels::DemoChannels;
use super::mailbox::Mailbox;
use crate::channels::{email, telegram, whatsapp};

/// The WhatsApp customer: name and number (E.164 digits).
pub const WHATSAPP_CUSTOMER: (&str, &str) = ("Paula Ribeiro", "5511976543210");
/// The Telegram customer: first name, last name, chat id (beyond 32 bits, as real ones).
pub const TELEGRAM_CUSTOMER: (&str, &str, i64) = ("Lucas", "Pereira", 5_123_456_789);
/// The e-mail customer: name and address.
pub const EMAIL_CUSTOMER: (&str, &str) = ("Helena Castro", "helena.castro@exemplo.com");

/// The longest text the customer may type (WhatsApp's and Telegram's limit).
pub const MAX_TEXT_CHARS: usize = 4096;
/// How many messages a conversation on the phone keeps (the oldest go first).
const KEPT: usize = 200;

/// Where a message stands, as the phone shows it: for the customer's own, whether Atende
/// took it; for an agent's, the last status the simulator reported to Atende.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tick {
    Sending,
    Sent,
    Delivered,
    Read,
    Failed,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bubble {
    /// The wamid, or the Telegram message id.
    pub id: String,
    /// Written by the customer (else by an agent).
    pub customer: bool,
    pub text: String,
    pub at: i64,
    pub tick: Tick,
    /// The reply buttons or list rows an interactive message offers.
    pub offered: Option<Offered>,
    /// An agent's message the phone page has shown (WhatsApp then reports it read).
    #[serde(skip)]
    pub shown: bool,
}

impl Bubble {
    pub fn new(id: String, customer: bool, text: String, tick: Tick) -> Bubble {
        Bubble { id, customer, text, at: crate::db::now_ms(), tick, offered: None, shown: false }
    }
}

/// What an interactive WhatsApp message lets the customer tap: its options and the
/// kind of reply a tap sends back (`button_reply` or `list_reply`).
#[derive(Debug, Clone, Serialize)]
pub struct Offered {
    pub reply: &'static str,
    pub options: Vec<crate::domain::flow::menu::Choice>,
}

/// Appends, keeping at most `KEPT`.
pub(super) fn push(thread: &mut Vec<Bubble>, bubble: Bubble) {
    thread.push(bubble);
    if thread.len() > KEPT {
        thread.drain(..thread.len() - KEPT);
    }
}

pub(super) struct State {
    pub whatsapp: Vec<Bubble>,
    pub telegram: Vec<Bubble>,
    /// Telegram updates not confirmed yet by an `offset` past them.
    pub updates: Vec<serde_json::Value>,
    /// The next update id (also the next message id: unique across runs, as it starts
    /// past the cursor Atende stored).
    pub next_update: i64,
    pub mailbox: Mailbox,
}

/// What the simulators need to know of the channels they stand in for.
pub(super) struct Links {
    /// Where Meta's webhook posts go.
    pub webhook_url: String,
    pub whatsapp: whatsapp::Settings,
    pub telegram: telegram::Settings,
    pub email: email::Settings,
}

struct Inner {
    state: Mutex<State>,
    changed: broadcast::Sender<()>,
    links: Links,
}

/// The phone, shared by the page, the simulators and the mail servers.
#[derive(Clone)]
pub struct Phone {
    inner: Arc<Inner>,
}

impl Phone {
    /// A phone for the channels as stored; `telegram_cursor` is the offset Atende
    /// stored last (new updates start there), `local_url` how the server reaches itself.
    pub fn new(channels: &DemoChannels, local_url: &str, telegram_cursor: Option<&str>) -> Phone {
        let next_update = telegram_cursor.and_then(|c| c.parse::<i64>().ok()).unwrap_or(1).max(1);
        let email = email::Settings::of(&channels.email);
        let state = State {
            whatsapp: Vec::new(),
            telegram: Vec::new(),
            updates: Vec::new(),
            next_update,
            mailbox: Mailbox::with_demo_mail(&email.address),
        };
        let links = Links {
            webhook_url: format!("{local_url}/webhooks/whatsapp/{}", channels.whatsapp.key),
            whatsapp: whatsapp::Settings::of(&channels.whatsapp),
            telegram: telegram::Settings::of(&channels.telegram),
            email,
        };
        let (changed, _) = broadcast::channel(64);
        Phone { inner: Arc::new(Inner { state: Mutex::new(state), changed, links }) }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.inner.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reads the state.
    pub(super) fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.lock())
    }

    /// Changes what nobody watches (forgets confirmed updates) without announcing it.
    pub(super) fn quietly<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.lock())
    }

    /// Changes the state and announces it.
    pub(super) fn change<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let out = f(&mut self.lock());
        let _ = self.inner.changed.send(());
        out
    }

    pub(super) fn links(&self) -> &Links {
        &self.inner.links
    }

    /// A receiver woken at every change after this call.
    pub fn subscribe(&self) -> broadcast::Receiver<()> {
        self.inner.changed.subscribe()
    }

    pub fn whatsapp(&self) -> Vec<Bubble> {
        self.read(|s| s.whatsapp.clone())
    }

    pub fn telegram(&self) -> Vec<Bubble> {
        self.read(|s| s.telegram.clone())
    }
}

/// What the customer typed, refused with the catalogue key of why.
pub fn typed_text(text: &str) -> Result<String, &'static str> {
    let text = crate::domain::text::message(text);
    match text.chars().count() {
        0 => Err("demo-phone-empty"),
        n if n > MAX_TEXT_CHARS => Err("demo-phone-too-long"),
        _ => Ok(text),
    }
}
