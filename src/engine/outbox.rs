//! The outbox worker: delivers queued outbound messages through their channel with
//! retries and backoff. A message is stored before delivery, so a restart never loses
//! it; it leaves the outbox in the same transaction that marks it sent.

use std::time::Duration;

use super::{Engine, EngineResult, Event};
use crate::db::messages::{self, Due};
use crate::db::{channels, now_ms};

/// After this many failed attempts a message is `failed` with the last reason.
pub const MAX_ATTEMPTS: i64 = 8;

/// Waiting time before attempt `n + 1`: 2 s, 4 s, 8 s … capped at 10 minutes.
pub fn backoff_ms(attempts: i64) -> i64 {
    (2_000i64 << attempts.clamp(0, 20)).min(600_000)
}

/// What a channel adapter says about one delivery.
pub enum Delivery {
    Sent,
    /// Try again later (the service is down, rate limited …).
    Retry(String),
    /// Will never work (bad recipient, refused content): mark failed now.
    Fail(String),
}

impl Engine {
    /// One pass: delivers what is due. Returns how many messages were handled.
    pub async fn deliver_due(&self) -> EngineResult<usize> {
        let due = self.db.read(|c| messages::due(c, now_ms(), 100)).await?;
        let count = due.len();
        for item in due {
            let outcome = self.deliver_one(&item).await;
            let Due { message_id, attempts, .. } = item;
            let (status, failure) = match outcome {
                Delivery::Sent => ("sent".to_string(), String::new()),
                Delivery::Retry(e) if attempts + 1 < MAX_ATTEMPTS => ("queued".to_string(), e),
                Delivery::Retry(e) | Delivery::Fail(e) => ("failed".to_string(), e),
            };
            let (s, f) = (status.clone(), failure.clone());
            let conversation_id = self
                .db
                .write(move |tx| {
                    match s.as_str() {
                        "sent" => messages::delivered(tx, message_id)?,
                        "queued" => {
                            messages::attempt_failed(tx, message_id, &f, now_ms() + backoff_ms(attempts), false)?
                        }
                        _ => messages::attempt_failed(tx, message_id, &f, 0, true)?,
                    }
                    Ok(messages::message_by_id(tx, message_id)?.map(|m| m.conversation_id))
                })
                .await?;
            if let (Some(conversation_id), true) = (conversation_id, status != "queued") {
                self.events.publish(Event::MessageStatus { conversation_id, message_id, status });
            }
        }
        Ok(count)
    }

    /// Hands one message to its channel's adapter.
    async fn deliver_one(&self, item: &Due) -> Delivery {
        let channel_id = item.channel_id;
        let channel = match self.db.read(move |c| channels::channel_by_id(c, channel_id)).await {
            Ok(Some(c)) => c,
            Ok(None) => return Delivery::Fail("channel removed".into()),
            Err(e) => return Delivery::Retry(e.to_string()),
        };
        match channel.kind.as_str() {
            // The visitor's widget reads its messages from us: stored is sent; the
            // widget reports delivered and read.
            "webchat" => Delivery::Sent,
            other => Delivery::Retry(format!("no adapter for {other} yet")),
        }
    }

    /// Runs the worker until shutdown: a pass whenever something is due, or every second.
    pub async fn run_outbox(self, mut shutdown: rocket::Shutdown) {
        let mut ticker = rocket::tokio::time::interval(Duration::from_millis(250));
        loop {
            rocket::tokio::select! {
                _ = &mut shutdown => break,
                _ = ticker.tick() => {
                    if let Err(e) = self.deliver_due().await {
                        tracing::error!(error = %e, "outbox pass failed");
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn backoff_grows_and_caps() {
        assert_eq!(backoff_ms(0), 2_000);
        assert_eq!(backoff_ms(3), 16_000);
        assert_eq!(backoff_ms(30), 600_000);
    }
}
