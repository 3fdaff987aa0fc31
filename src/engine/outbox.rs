//! The outbox: delivers queued outbound messages through their channel's sender, at
//! least once and never lost. A message is stored before delivery, so a restart never
//! loses it. A worker claims a message with a lease before handing it to the sender,
//! and records the result only while it still holds the lease (`db::outbox`), so two
//! workers never both send it. If the process dies mid-send, its claims are freed when
//! the server starts again (`outbox::release_leases`) and the message in flight is sent
//! again: it may reach the customer twice, every other message goes once. Exactly once
//! is not possible for it: Telegram's and WhatsApp's send calls take no idempotency key,
//! so whether a call the crash cut off was taken cannot be asked.

use std::sync::Arc;
use std::time::Duration;

use super::send_rate::ChannelLimit;
use super::service::{load_for, Agent};
use super::{notices, Engine, EngineError, EngineResult, Event};
use crate::channels::{Delivery, Sender};
use crate::db::channel_state::{self, Happened};
use crate::db::channels::{self, Channel};
use crate::db::now_ms;
use crate::db::outbox::{self, Claim};
use crate::domain::backoff::{self, MAX_ATTEMPTS};
use crate::domain::channel_kind::ChannelKind;
use crate::domain::message_status::MessageStatus;

/// How long a claim holds a message: longer than any sender's own timeout, so a slow
/// send is not taken for a dead worker.
pub const LEASE_MS: i64 = 120_000;

impl Engine {
    /// One pass over every channel with something due. Returns how many messages were
    /// handed to a sender.
    pub async fn deliver_due(&self) -> EngineResult<usize> {
        let ids = self.db.read(|c| outbox::channels_with_due(c, now_ms())).await?;
        let mut count = 0;
        for id in ids {
            if let Some(channel) = self.db.read(move |c| channels::channel_by_id(c, id)).await? {
                count += self.deliver_channel(&channel).await?;
            }
        }
        Ok(count)
    }

    /// Delivers what is due on one channel, a message at a time, until nothing is. Under
    /// the channel's send limit a chat whose turn has not come is put back for then.
    pub async fn deliver_channel(&self, channel: &Channel) -> EngineResult<usize> {
        if !channel.active {
            return Ok(0);
        }
        let sender = self.senders.sender_for(channel);
        let limit = self.send_limits.of(channel);
        let channel_id = channel.id;
        let mut count = 0;
        while let Some(claim) = self.db.write(move |tx| outbox::claim_due(tx, channel_id, now_ms(), LEASE_MS)).await? {
            if self.deliver(&sender, limit.as_deref(), claim, channel.kind).await? {
                count += 1;
            }
        }
        Ok(count)
    }

    /// Hands one claimed message to the sender and records what it said; `false` when
    /// its chat's turn has not come and it was put back for then.
    async fn deliver(
        &self,
        sender: &Arc<dyn Sender>,
        limit: Option<&ChannelLimit>,
        claim: Claim,
        kind: ChannelKind,
    ) -> EngineResult<bool> {
        let id = claim.message_id;
        let Some(message) = self.db.read(move |c| outbox::outgoing(c, id)).await? else { return Ok(true) };
        if let Some(limit) = limit {
            if let Err(wait) = limit.chat_turn(&message.to) {
                let at = now_ms() + wait.as_millis() as i64;
                self.write(move |tx| Ok(outbox::postpone(tx, &claim, at)?)).await?;
                return Ok(false);
            }
            limit.channel_turn().await;
        }
        let (sender, conversation_id) = (sender.clone(), message.conversation_id);
        let delivery = rocket::tokio::task::spawn_blocking(move || sender.send(&message))
            .await
            .unwrap_or_else(|e| Delivery::Retry { after: None, reason: format!("sender stopped: {e}") });
        let status = match &delivery {
            Delivery::Sent { .. } => Some(MessageStatus::Sent),
            Delivery::Retry { .. } | Delivery::Unauthorized { wait: true, .. } if claim.attempts + 1 < MAX_ATTEMPTS => {
                None
            }
            _ => Some(MessageStatus::Failed),
        };
        let channel_id = claim.channel_id;
        let recorded = self.write(move |tx| record(tx, &claim, delivery)).await?;
        if recorded && status == Some(MessageStatus::Sent) {
            self.metrics.message_out(kind, channel_id);
        }
        if let (true, Some(status)) = (recorded, status) {
            self.events.publish(Event::MessageStatus {
                conversation_id,
                message_id: id,
                status: status.as_str().into(),
            });
        }
        Ok(true)
    }

    /// "Tentar novamente": a failed message goes back to the outbox. Only who may write
    /// to the conversation may do it, like a reply.
    pub async fn retry_message(&self, agent: &Agent, conversation_id: i64, message_id: i64) -> EngineResult<()> {
        let agent = agent.clone();
        self.write(move |tx| {
            let c = load_for(tx, &agent, conversation_id)?;
            if c.status == "closed" {
                return Err(EngineError::Closed);
            }
            if !super::access::can_write(tx, agent.user_id, &c)? {
                return Err(EngineError::Forbidden);
            }
            if !outbox::requeue_failed(tx, conversation_id, message_id)? {
                return Err(EngineError::NotFound);
            }
            Ok(())
        })
        .await?;
        let status = MessageStatus::Queued.as_str().to_string();
        self.events.publish(Event::MessageStatus { conversation_id, message_id, status });
        Ok(())
    }
}

/// Writes what the sender said, if the claim still holds the message, and what it
/// tells of the channel's health; refused credentials and a message given up on
/// notify administrators.
fn record(tx: &rusqlite::Transaction, claim: &Claim, delivery: Delivery) -> EngineResult<bool> {
    let channel_id = claim.channel_id;
    let last_try = claim.attempts + 1 >= MAX_ATTEMPTS;
    match delivery {
        Delivery::Sent { provider_id } => {
            let recorded = outbox::record_sent(tx, claim, provider_id.as_deref())?;
            if recorded {
                super::health::record(tx, channel_id, Happened::Sent)?;
            }
            Ok(recorded)
        }
        Delivery::Unauthorized { reason, wait } => {
            notices::channel_auth(tx, channel_id, &reason)?;
            match wait && !last_try {
                true => retry(tx, claim, None, &reason),
                false => give_up(tx, claim, &reason),
            }
        }
        Delivery::Retry { after, reason } if !last_try => retry(tx, claim, after, &reason),
        Delivery::Retry { reason, .. } | Delivery::Failed { reason } => give_up(tx, claim, &reason),
    }
}

/// Puts the message back for later: when the channel said, or after the backoff.
fn retry(tx: &rusqlite::Transaction, claim: &Claim, after: Option<Duration>, reason: &str) -> EngineResult<bool> {
    let wait = match after {
        Some(after) => backoff::told_ms(after.as_millis() as i64),
        None => backoff::delay_ms(claim.attempts, rand::random::<f64>()),
    };
    channel_state::record_error(tx, claim.channel_id, reason, now_ms())?;
    Ok(outbox::record_retry(tx, claim, reason, now_ms() + wait)?)
}

/// The message is failed; administrators hear of it once per message.
fn give_up(tx: &rusqlite::Transaction, claim: &Claim, reason: &str) -> EngineResult<bool> {
    channel_state::record_error(tx, claim.channel_id, reason, now_ms())?;
    let recorded = outbox::record_failed(tx, claim, reason)?;
    if recorded {
        notices::delivery_failed(tx, claim.channel_id, claim.message_id, reason)?;
    }
    Ok(recorded)
}
