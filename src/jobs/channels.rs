//! The channels' background work, under one supervisor: per active channel an outbox
//! worker (so a slow or unreachable channel holds up only its own messages), a poller
//! when its kind is polled (Telegram, IMAP), and a fetcher of owed files when its kind
//! sends files by reference. Every few seconds the supervisor starts what a channel
//! that is on lacks — a channel added or changed while the server runs starts working
//! without a restart — and restarts a task that failed, with backoff. A task stops by
//! itself once its channel is off, gone or changed (the supervisor then starts it anew
//! with the new settings), and all stop at shutdown.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use rocket::tokio::task::JoinHandle;
use rocket::tokio::{select, spawn, time};
use rocket::Shutdown;

use crate::channels;
use crate::db::channels::Channel;
use crate::db::{channel_state, now_ms, outbox};
use crate::domain::backoff;
use crate::domain::channel_kind::Intake;
use crate::engine::Engine;
use crate::jobs::heartbeat::{Heartbeats, Worker};

/// How often the supervisor looks at the channels.
const SUPERVISE_EVERY: Duration = Duration::from_secs(5);
/// How often a worker looks for messages due on its channel.
const PASS_EVERY: Duration = Duration::from_millis(250);
/// How often owed files are looked for.
const MEDIA_EVERY: Duration = Duration::from_secs(2);

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Work {
    Outbox,
    Poll,
    Media,
}

/// A running task and, once it has failed, when it may start again.
struct Task {
    handle: JoinHandle<()>,
    failures: i64,
}

pub fn start(engine: Engine, beats: Heartbeats, shutdown: Shutdown) {
    beats.started(Worker::Channels, SUPERVISE_EVERY);
    spawn(supervise(engine, beats, shutdown));
}

async fn supervise(engine: Engine, beats: Heartbeats, mut shutdown: Shutdown) {
    super::release_dead_claims(&engine, "outbox", outbox::release_leases).await;
    let mut tasks: HashMap<(i64, Work), Task> = HashMap::new();
    let mut not_before: HashMap<(i64, Work), i64> = HashMap::new();
    // How often each task failed in a row (a clean end starts the count again).
    let mut failures: HashMap<(i64, Work), i64> = HashMap::new();
    let mut ticker = time::interval(SUPERVISE_EVERY);
    loop {
        select! {
            _ = &mut shutdown => break,
            _ = ticker.tick() => {
                beats.beat(Worker::Channels);
                let active = match engine.db.read(crate::db::channels::all_channels).await {
                    Ok(all) => all.into_iter().filter(|c| c.active).collect::<Vec<_>>(),
                    Err(e) => { tracing::error!(error = %e, "channels: listing channels failed"); continue }
                };
                reap(&mut tasks, &mut failures, &mut not_before).await;
                for channel in active {
                    for work in works_of(&channel) {
                        let key = (channel.id, work);
                        if tasks.contains_key(&key) || not_before.get(&key).is_some_and(|t| *t > now_ms()) {
                            continue;
                        }
                        let handle = spawn(run(engine.clone(), channel.clone(), work, shutdown.clone()));
                        let failed = failures.get(&key).copied().unwrap_or(0);
                        tasks.insert(key, Task { handle, failures: failed });
                    }
                }
            }
        }
    }
    for (_, task) in tasks {
        task.handle.abort();
    }
}

fn works_of(channel: &Channel) -> Vec<Work> {
    let mut works = vec![Work::Outbox];
    if channel.kind.intake() == Intake::Polled {
        works.push(Work::Poll);
    }
    if channels::media_source_for(channel).is_some() {
        works.push(Work::Media);
    }
    works
}

/// Takes the finished tasks out: a task that ended on its own (its channel changed or
/// went off) may start again at once; one that panicked is logged and waits longer
/// each time it fails again.
async fn reap(
    tasks: &mut HashMap<(i64, Work), Task>,
    failures: &mut HashMap<(i64, Work), i64>,
    not_before: &mut HashMap<(i64, Work), i64>,
) {
    let finished: Vec<(i64, Work)> = tasks.iter().filter(|(_, t)| t.handle.is_finished()).map(|(k, _)| *k).collect();
    for key in finished {
        let Some(task) = tasks.remove(&key) else { continue };
        let failed = match task.handle.await {
            Ok(()) => 0,
            Err(e) => {
                let (channel_id, work) = key;
                tracing::error!(channel_id, ?work, error = %e, "channel task failed; restarting it");
                not_before.insert(key, now_ms() + backoff::delay_ms(task.failures, rand::random::<f64>()));
                task.failures + 1
            }
        };
        failures.insert(key, failed);
    }
}

/// One task of a channel, until its channel is off or changed, or shutdown.
async fn run(engine: Engine, channel: Channel, work: Work, shutdown: Shutdown) {
    match work {
        Work::Outbox => deliver(engine, channel, shutdown).await,
        Work::Poll => poll(engine, channel, shutdown).await,
        Work::Media => fetch_media(engine, channel, shutdown).await,
    }
}

/// The channel as stored now, if it is still on and unchanged since `started`.
async fn still(engine: &Engine, started: &Channel) -> Option<Channel> {
    let id = started.id;
    match engine.db.read(move |c| crate::db::channels::channel_by_id(c, id)).await {
        Ok(Some(now)) if now.active && now == *started => Some(now),
        Ok(_) => None,
        Err(e) => {
            tracing::error!(channel_id = id, error = %e, "reading the channel failed");
            Some(started.clone())
        }
    }
}

/// Repeats `pass` every `every` until the channel is off or changed, or shutdown.
async fn every<F, Fut>(engine: Engine, channel: Channel, mut shutdown: Shutdown, every: Duration, mut pass: F)
where
    F: FnMut(Engine, Channel) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut ticker = time::interval(every);
    loop {
        select! {
            _ = &mut shutdown => break,
            _ = ticker.tick() => {
                let Some(now) = still(&engine, &channel).await else { break };
                pass(engine.clone(), now).await;
            }
        }
    }
}

async fn deliver(engine: Engine, channel: Channel, shutdown: Shutdown) {
    every(engine, channel, shutdown, PASS_EVERY, |engine, channel| async move {
        if let Err(e) = engine.deliver_channel(&channel).await {
            tracing::error!(channel_id = channel.id, error = %e, "outbox pass failed");
        }
    })
    .await
}

async fn fetch_media(engine: Engine, channel: Channel, shutdown: Shutdown) {
    let Some(source) = channels::media_source_for(&channel) else { return };
    every(engine, channel, shutdown, MEDIA_EVERY, move |engine, channel| {
        let source = source.clone();
        async move {
            if let Err(e) = engine.fetch_owed_media(channel.id, source).await {
                tracing::error!(channel_id = channel.id, error = %e, "fetching owed files failed");
            }
        }
    })
    .await
}

/// Polls the channel over and over: what a poll brings is stored with the cursor that
/// confirms it, one transaction per message, before the next poll asks past it.
async fn poll(engine: Engine, channel: Channel, mut shutdown: Shutdown) {
    let Some(mut poller) = channels::poller_for(&channel) else { return };
    let id = channel.id;
    let mut failures = 0;
    // When the polls began to fail, for the poller's grace.
    let mut failing_since = None;
    loop {
        if still(&engine, &channel).await.is_none() {
            break;
        }
        let cursor = match engine.db.read(move |c| channel_state::cursor(c, id)).await {
            Ok(cursor) => cursor,
            Err(e) => {
                tracing::error!(channel_id = id, error = %e, "reading the cursor failed");
                None
            }
        };
        let asked = rocket::tokio::task::spawn_blocking(move || {
            let result = poller.poll(cursor.as_deref());
            (poller, result)
        });
        let (back, result) = select! {
            _ = &mut shutdown => break,
            done = asked => match done {
                Ok(done) => done,
                Err(e) => { tracing::error!(channel_id = id, error = %e, "poller stopped"); break }
            },
        };
        poller = back;
        let wait = match result {
            Ok(batch) => {
                failures = 0;
                failing_since = None;
                if let Err(e) = take(&engine, id, batch).await {
                    tracing::error!(channel_id = id, error = %e, "storing a poll failed");
                    Some(Duration::from_secs(1))
                } else {
                    let _ = engine.channel_polled(id).await;
                    None
                }
            }
            Err(e) => {
                failures += 1;
                engine.metrics.poll_failed(channel.kind, id);
                tracing::warn!(channel_id = id, reason = %e.reason, "poll failed");
                let since = *failing_since.get_or_insert_with(now_ms);
                let _ = engine.poll_failed(id, e.reason, e.unauthorized, since).await;
                Some(e.after.unwrap_or_else(|| {
                    Duration::from_millis(backoff::delay_ms(failures - 1, rand::random::<f64>()) as u64)
                }))
            }
        };
        if let Some(wait) = wait {
            select! {
                _ = &mut shutdown => break,
                _ = time::sleep(wait) => {}
            }
        }
    }
}

/// Stores what one poll brought, in order; stops at the first failure so the cursor
/// never moves past a message that was not stored.
async fn take(engine: &Engine, channel_id: i64, batch: Vec<channels::Polled>) -> crate::engine::EngineResult<()> {
    for polled in batch {
        match polled.inbound {
            Some(mut inbound) => {
                inbound.channel_id = channel_id;
                inbound.cursor = Some(polled.cursor.clone());
                match engine.ingest(inbound).await {
                    Ok(_) => {}
                    // A message Atende refuses (empty once cleaned) is moved past.
                    Err(crate::engine::EngineError::Invalid(key)) => {
                        tracing::info!(channel_id, key, "polled message refused; moving past it");
                        engine.advance_cursor(channel_id, polled.cursor).await?;
                    }
                    Err(e) => return Err(e),
                }
            }
            None => engine.advance_cursor(channel_id, polled.cursor).await?,
        }
    }
    Ok(())
}
