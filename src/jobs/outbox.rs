//! The outbox workers: one task per active channel, so a slow or unreachable channel
//! (a provider timing out on every call) holds up only its own messages, never those of
//! another channel. A supervisor looks at the channels every few seconds and starts a
//! worker for each one that is on without one; a worker stops by itself once its channel
//! is off or gone, after finishing the message in hand.

use std::collections::HashMap;
use std::time::Duration;

use rocket::tokio::task::JoinHandle;
use rocket::tokio::{select, spawn, time};
use rocket::Shutdown;

use crate::db::channels;
use crate::engine::Engine;

/// How often the supervisor looks for channels turned on (a channel added while the
/// server runs starts without a restart).
const SUPERVISE_EVERY: Duration = Duration::from_secs(5);
/// How often a worker looks for messages due on its channel.
const PASS_EVERY: Duration = Duration::from_millis(250);

pub fn start(engine: Engine, shutdown: Shutdown) {
    spawn(supervise(engine, shutdown));
}

async fn supervise(engine: Engine, mut shutdown: Shutdown) {
    let mut workers: HashMap<i64, JoinHandle<()>> = HashMap::new();
    let mut ticker = time::interval(SUPERVISE_EVERY);
    loop {
        select! {
            _ = &mut shutdown => break,
            _ = ticker.tick() => {
                let active = match engine.db.read(channels::active_channel_ids).await {
                    Ok(ids) => ids,
                    Err(e) => { tracing::error!(error = %e, "outbox: listing channels failed"); continue }
                };
                workers.retain(|_, worker| !worker.is_finished());
                for id in active {
                    workers.entry(id).or_insert_with(|| spawn(work(engine.clone(), id, shutdown.clone())));
                }
            }
        }
    }
}

/// Delivers one channel's messages until the channel is off or the server stops.
async fn work(engine: Engine, channel_id: i64, mut shutdown: Shutdown) {
    let mut ticker = time::interval(PASS_EVERY);
    loop {
        select! {
            _ = &mut shutdown => break,
            _ = ticker.tick() => {
                let channel = match engine.db.read(move |c| channels::channel_by_id(c, channel_id)).await {
                    Ok(Some(channel)) if channel.active => channel,
                    Ok(_) => break,
                    Err(e) => { tracing::error!(channel_id, error = %e, "outbox: reading the channel failed"); continue }
                };
                if let Err(e) = engine.deliver_channel(&channel).await {
                    tracing::error!(channel_id, error = %e, "outbox pass failed");
                }
            }
        }
    }
}
