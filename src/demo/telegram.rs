//! The Telegram side of the phone, as the Bot API would play it: the customer's message
//! becomes an update that `getUpdates` hands out (long polling, an update forgotten once
//! asked past with `offset`), and what the bot sends shows on the phone.

use std::time::Duration;

use rocket::tokio::select;
use rocket::tokio::sync::broadcast::error::RecvError;
use serde_json::{json, Value};
use subtle::ConstantTimeEq;

use super::phone::{push, Bubble, Phone, Tick, TELEGRAM_CUSTOMER};
use crate::db::now_ms;

/// The longest `getUpdates` wait Telegram allows, and the most updates in one answer.
const LONGEST_POLL: u64 = 50;
const MOST_UPDATES: usize = 100;

/// A Bot API refusal: the HTTP status and its `{"ok": false}` body.
pub type BotRefusal = (u16, Value);

pub fn bot_error(code: u16, description: &str) -> BotRefusal {
    (code, json!({"ok": false, "error_code": code, "description": description}))
}

fn customer() -> Value {
    let (first, last, id) = TELEGRAM_CUSTOMER;
    json!({"id": id, "is_bot": false, "first_name": first, "last_name": last, "language_code": "pt-br"})
}

impl Phone {
    /// Whether the path's `bot<token>` is the demo bot's.
    pub fn bot_token_ok(&self, segment: &str) -> Result<(), BotRefusal> {
        let expected = format!("bot{}", self.links().telegram.bot_token);
        match bool::from(segment.as_bytes().ct_eq(expected.as_bytes())) {
            true => Ok(()),
            false => Err(bot_error(401, "Unauthorized")),
        }
    }

    /// The customer writes on Telegram: an update for the bot, and the message on the phone.
    pub fn telegram_customer_writes(&self, text: String) {
        let chat_id = TELEGRAM_CUSTOMER.2;
        self.change(|s| {
            let id = s.next_update;
            s.next_update += 1;
            let mut chat = customer();
            chat["type"] = "private".into();
            s.updates.push(json!({"update_id": id, "message": {
                "message_id": id, "date": now_ms() / 1000, "chat": chat, "from": customer(), "text": text}}));
            push(&mut s.telegram, Bubble::new(format!("{chat_id}:{id}"), true, text, Tick::Delivered));
        });
    }

    /// `getUpdates`: the updates from `offset` on (those before it are forgotten), or,
    /// when there are none, the first to come within `timeout` seconds.
    pub async fn telegram_updates(&self, offset: Option<i64>, timeout: u64, limit: usize) -> Vec<Value> {
        let limit = limit.clamp(1, MOST_UPDATES);
        let deadline = rocket::tokio::time::Instant::now() + Duration::from_secs(timeout.min(LONGEST_POLL));
        // Subscribed before looking, so an update that comes in between wakes the wait.
        let mut news = self.subscribe();
        loop {
            let batch: Vec<Value> = self.quietly(|s| {
                if let Some(offset) = offset {
                    s.updates.retain(|u| u["update_id"].as_i64().is_some_and(|id| id >= offset));
                }
                s.updates.iter().take(limit).cloned().collect()
            });
            if !batch.is_empty() {
                return batch;
            }
            select! {
                heard = news.recv() => if let Err(RecvError::Closed) = heard { return Vec::new() },
                _ = rocket::tokio::time::sleep_until(deadline) => return Vec::new(),
            }
        }
    }

    /// `sendMessage` and the file methods: the bot's message on the phone; the sent
    /// message as Telegram describes it.
    pub fn telegram_bot_sends(&self, chat_id: i64, text: String) -> Value {
        let id = self.change(|s| {
            let id = s.next_update;
            s.next_update += 1;
            if chat_id == TELEGRAM_CUSTOMER.2 {
                push(&mut s.telegram, Bubble::new(format!("{chat_id}:{id}"), false, text.clone(), Tick::Delivered));
            }
            id
        });
        let bot =
            json!({"id": self.bot_id(), "is_bot": true, "first_name": "Demo Atende", "username": "demo_atende_bot"});
        json!({"message_id": id, "date": now_ms() / 1000, "from": bot,
               "chat": {"id": chat_id, "type": "private"}, "text": text})
    }

    fn bot_id(&self) -> i64 {
        let token = &self.links().telegram.bot_token;
        token.split_once(':').and_then(|(id, _)| id.parse().ok()).unwrap_or_default()
    }

    /// `getMe`.
    pub fn telegram_me(&self) -> Value {
        json!({"id": self.bot_id(), "is_bot": true, "first_name": "Demo Atende", "username": "demo_atende_bot",
               "can_join_groups": false, "can_read_all_group_messages": false, "supports_inline_queries": false})
    }
}
