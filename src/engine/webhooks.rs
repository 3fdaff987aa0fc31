//! Outgoing webhooks delivered: each subscription's due deliveries, one at a time and
//! in order per conversation, posted signed (`domain::webhooks::signature`) through
//! the guarded agent (addresses checked after resolution, no redirects, a timeout).
//! A claim holds a row with a lease while it is posted, and the answer is recorded
//! only while the lease holds (`db::webhook_deliveries`): at least once, never two
//! workers on one row. Claims a killed process left are freed when the server starts
//! (`webhook_deliveries::release_leases`), so its post in flight goes again at once, with
//! the same delivery id. A failure is retried with the outbox's backoff for 24 hours,
//! then the delivery is dead and administrators are notified (`webhook_dead`).

use std::time::Duration;

use rocket::tokio::task::{spawn_blocking, JoinSet};

use super::{notices, Engine, EngineResult};
use crate::channels::guarded_http;
use crate::db::webhook_deliveries::{self as deliveries, Attempt, Claim};
use crate::db::webhooks::{subscription_by_id, Subscription};
use crate::domain::backoff;
use crate::domain::webhooks::{delivered, gives_up, parse_target, signature};

/// How long a claim holds a delivery: longer than the post's own timeout.
pub const LEASE_MS: i64 = 60_000;
/// The longest a receiver may take to answer.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How long delivered and dead deliveries stay in the log.
pub const KEPT_MS: i64 = 7 * 24 * 60 * 60 * 1000;

impl Engine {
    /// One pass: every subscription with something due, side by side (a slow receiver
    /// holds up only its own deliveries). How many attempts were made.
    pub async fn deliver_webhooks(&self) -> EngineResult<usize> {
        let now = self.clock.now();
        let due = self.db.read(move |c| deliveries::subscriptions_with_due(c, now)).await?;
        let mut passes = JoinSet::new();
        for id in due {
            let engine = self.clone();
            passes.spawn(async move { engine.deliver_subscription(id).await });
        }
        let mut count = 0;
        while let Some(done) = passes.join_next().await {
            match done {
                Ok(Ok(n)) => count += n,
                Ok(Err(e)) => tracing::error!(error = %e, "webhook deliveries failed"),
                Err(e) => tracing::error!(error = %e, "webhook worker stopped"),
            }
        }
        Ok(count)
    }

    /// Delivers what is due for one subscription until nothing is; how many attempts.
    pub async fn deliver_subscription(&self, subscription_id: i64) -> EngineResult<usize> {
        let Some(subscription) = self.db.read(move |c| subscription_by_id(c, subscription_id)).await? else {
            return Ok(0);
        };
        if !subscription.active {
            return Ok(0);
        }
        let mut count = 0;
        loop {
            let now = self.clock.now();
            let claimed = self.db.write(move |tx| deliveries::claim_due(tx, subscription_id, now, LEASE_MS)).await?;
            let Some(claim) = claimed else { break };
            self.deliver_claimed(&subscription, claim).await?;
            count += 1;
        }
        Ok(count)
    }

    /// Posts one claimed delivery and records what came of it; whether it was recorded
    /// (`false`: the lease had run out and another worker holds the row).
    pub async fn deliver_claimed(&self, subscription: &Subscription, claim: Claim) -> EngineResult<bool> {
        let timestamp = self.clock.now() / 1000;
        let (target, sent) = (subscription.clone(), claim.clone());
        let attempt = spawn_blocking(move || post(&target, &sent, timestamp)).await.unwrap_or_else(|e| Attempt {
            at: timestamp * 1000,
            response_status: None,
            error: format!("worker stopped: {e}"),
        });
        let now = self.clock.now();
        let attempt = Attempt { at: now, ..attempt };
        self.write(move |tx| record(tx, &claim, &attempt, now)).await
    }

    /// Forgets delivered and dead deliveries older than `KEPT_MS`; how many.
    pub async fn prune_webhook_log(&self) -> EngineResult<usize> {
        let before = self.clock.now() - KEPT_MS;
        Ok(self.db.write(move |tx| deliveries::prune(tx, before)).await?)
    }
}

/// One signed POST of the delivery's body; what it came to (the time is set by the caller).
fn post(subscription: &Subscription, claim: &Claim, timestamp: i64) -> Attempt {
    let failed = |response_status: Option<u16>, error: String| Attempt { at: 0, response_status, error };
    if parse_target(&subscription.url).is_err() {
        return failed(None, "invalid address".into());
    }
    let agent = guarded_http::agent(TIMEOUT, subscription.allow_private);
    let sent = agent
        .post(&subscription.url)
        .header("Content-Type", "application/json")
        .header("User-Agent", concat!("Atende/", env!("CARGO_PKG_VERSION")))
        .header("X-Atende-Event", &claim.event)
        .header("X-Atende-Delivery", &claim.public_id)
        .header("X-Atende-Timestamp", &timestamp.to_string())
        .header("X-Atende-Signature", &signature(&subscription.secret, timestamp, claim.payload.as_bytes()))
        .send(claim.payload.as_bytes());
    match sent {
        Ok(answer) => {
            let status = answer.status().as_u16();
            match status {
                s if delivered(s) => failed(Some(s), String::new()),
                300..=399 => failed(Some(status), format!("HTTP {status}: redirect not followed")),
                _ => failed(Some(status), format!("HTTP {status}")),
            }
        }
        Err(e) => failed(None, e.to_string()),
    }
}

/// Writes the attempt if the claim still holds the row: delivered, due again after
/// the backoff, or — past the 24 hours — dead, with a notification.
fn record(tx: &rusqlite::Transaction, claim: &Claim, attempt: &Attempt, now: i64) -> EngineResult<bool> {
    if attempt.error.is_empty() {
        return Ok(deliveries::record_delivered(tx, claim, attempt)?);
    }
    if gives_up(claim.retry_since, now) {
        let recorded = deliveries::record_dead(tx, claim, attempt)?;
        if recorded {
            notices::webhook_dead(tx, claim.subscription_id, claim.id, &attempt.error)?;
        }
        return Ok(recorded);
    }
    let next_at = now + backoff::delay_ms(claim.attempts, rand::random::<f64>());
    Ok(deliveries::record_retry(tx, claim, attempt, next_at)?)
}
