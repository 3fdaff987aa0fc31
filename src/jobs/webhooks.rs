//! The outgoing webhooks' worker: first the claims a killed process left are freed
//! (`webhook_deliveries::release_leases`), then every second a pass over the
//! subscriptions with a delivery due (`Engine::deliver_webhooks`), and every ten minutes
//! the log's old delivered and dead rows forgotten. Stops at shutdown.

use std::time::Duration;

use rocket::tokio::{select, spawn, time};
use rocket::Shutdown;

use crate::db::webhook_deliveries;
use crate::engine::Engine;

const PASS_EVERY: Duration = Duration::from_secs(1);
/// Passes between two prunings of the log.
const PRUNE_EVERY: u32 = 600;

pub fn start(engine: Engine, shutdown: Shutdown) {
    spawn(work(engine, shutdown));
}

async fn work(engine: Engine, mut shutdown: Shutdown) {
    super::release_dead_claims(&engine, "webhooks", webhook_deliveries::release_leases).await;
    let mut ticker = time::interval(PASS_EVERY);
    let mut passes = 0u32;
    loop {
        select! {
            _ = &mut shutdown => break,
            _ = ticker.tick() => {
                if let Err(e) = engine.deliver_webhooks().await {
                    tracing::error!(error = %e, "webhook pass failed");
                }
                passes = passes.wrapping_add(1);
                if passes % PRUNE_EVERY == 1 {
                    match engine.prune_webhook_log().await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(deliveries = n, "webhook log pruned"),
                        Err(e) => tracing::error!(error = %e, "webhook log pruning failed"),
                    }
                }
            }
        }
    }
}
