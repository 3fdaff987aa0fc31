//! The pace of each channel's outbox (`ChannelKind::send_rate`): a service that limits
//! how fast a bot or a number may send answers 429 and, when pushed, blocks it. The
//! outbox keeps under the limit instead. A limit only delays: the channel's limit waits
//! a moment before a send, a chat's limit puts its message back a little later (other
//! chats go meanwhile), and the outbox's claim order keeps each conversation in order.
//!
//! Limits live in memory, one set per channel and engine (GCRA, `governor`), evenly
//! spaced: no burst, so no window of a second ever holds more than the rate and one.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota};

use crate::db::channels::{Channel, SEND_LIMITS};
use crate::domain::channel_kind::SendRate;

/// Chats one channel's limiter remembers before it forgets those whose turn is back.
const MAX_CHATS: usize = 10_000;

/// The limits of every channel that has one, made on first use.
#[derive(Clone, Default)]
pub struct SendLimits {
    channels: Arc<Mutex<HashMap<i64, Arc<ChannelLimit>>>>,
}

impl SendLimits {
    /// The channel's limit, when its kind has one and its settings do not turn it off.
    pub fn of(&self, channel: &Channel) -> Option<Arc<ChannelLimit>> {
        if channel.config.get(SEND_LIMITS).and_then(serde_json::Value::as_bool) == Some(false) {
            return None;
        }
        let rate = channel.kind.send_rate()?;
        let mut channels = self.channels.lock().unwrap_or_else(PoisonError::into_inner);
        let limit = channels.entry(channel.id).or_insert_with(|| Arc::new(ChannelLimit::new(rate)));
        Some(limit.clone())
    }
}

pub struct ChannelLimit {
    overall: DefaultDirectRateLimiter,
    per_chat: Option<DefaultKeyedRateLimiter<String>>,
}

/// `per_second` evenly spaced, with no burst.
fn quota(per_second: u32) -> Quota {
    Quota::per_second(NonZeroU32::new(per_second).unwrap_or(NonZeroU32::MIN)).allow_burst(NonZeroU32::MIN)
}

impl ChannelLimit {
    fn new(rate: SendRate) -> ChannelLimit {
        ChannelLimit {
            overall: DefaultDirectRateLimiter::direct(quota(rate.per_second)),
            per_chat: rate.per_chat_per_second.map(|n| DefaultKeyedRateLimiter::keyed(quota(n))),
        }
    }

    /// Takes the chat's turn now, or says how long until it has one.
    pub fn chat_turn(&self, to: &str) -> Result<(), Duration> {
        let Some(chats) = &self.per_chat else { return Ok(()) };
        if chats.len() >= MAX_CHATS {
            chats.retain_recent();
        }
        chats.check_key(&to.to_string()).map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// Waits for the channel's turn (a few tens of milliseconds at most under the
    /// rates above, so the sender waits rather than the message).
    pub async fn channel_turn(&self) {
        while let Err(not_until) = self.overall.check() {
            rocket::tokio::time::sleep(not_until.wait_time_from(DefaultClock::default().now())).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::channel_kind::ChannelKind;

    fn channel(id: i64, kind: ChannelKind) -> Channel {
        Channel { id, ..Channel::blank(kind) }
    }

    #[test]
    fn a_chat_waits_for_its_turn_and_others_do_not() {
        let limits = SendLimits::default();
        let tg = limits.of(&channel(1, ChannelKind::Telegram)).expect("telegram is limited");
        assert_eq!(tg.chat_turn("42"), Ok(()));
        let wait = tg.chat_turn("42").expect_err("one a second per chat");
        assert!(wait > Duration::from_millis(500) && wait <= Duration::from_secs(1), "{wait:?}");
        assert_eq!(tg.chat_turn("43"), Ok(()), "another chat has its own turn");
        let again = limits.of(&channel(1, ChannelKind::Telegram)).unwrap();
        assert!(again.chat_turn("42").is_err(), "the same channel keeps its limit across passes");
        assert!(limits.of(&channel(2, ChannelKind::Email)).is_none());
        let wa = limits.of(&channel(3, ChannelKind::WhatsApp)).unwrap();
        assert!(wa.chat_turn("5511").is_ok() && wa.chat_turn("5511").is_ok(), "WhatsApp limits the number only");
        let off = Channel { config: serde_json::json!({ SEND_LIMITS: false }), ..channel(4, ChannelKind::Telegram) };
        assert!(limits.of(&off).is_none(), "limits turned off in the settings");
    }
}
