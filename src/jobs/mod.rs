//! Background jobs, started when the server lifts off and stopped at shutdown: the
//! session reaper, the channels' work (outbox workers, pollers, owed files: one
//! supervisor, `channels`), auto-close, retention, notifications (pauses, e-mail), the outgoing webhooks' deliveries (`webhooks`), the history's long exports (`exports`) and the pruning of rate-limit keys.

pub mod channels;
pub mod exports;
pub mod heartbeat;
pub mod reaper;
pub mod webhooks;

use rocket::fairing::AdHoc;

/// How often the minute's jobs run.
const MINUTE: std::time::Duration = std::time::Duration::from_secs(60);

pub fn fairing() -> AdHoc {
    AdHoc::on_liftoff("background jobs", |rocket| {
        Box::pin(async move {
            if !rocket.state::<crate::config::Config>().is_some_and(|c| c.background_jobs) {
                return;
            }
            let beats = rocket.state::<heartbeat::Heartbeats>().cloned();
            let Some(beats) = beats else { return };
            reaper::start(rocket, beats.clone());
            exports::start(rocket);
            if let Some(limits) = rocket.state::<crate::web::rate_limit::RateLimits>().cloned() {
                rocket::tokio::spawn(prune_rate_limits(limits, rocket.shutdown()));
            }
            if let Some(engine) = rocket.state::<crate::engine::Engine>().cloned() {
                channels::start(engine.clone(), beats.clone(), rocket.shutdown());
                webhooks::start(engine.clone(), rocket.shutdown());
                let public_url = rocket.state::<crate::config::Config>().map(|c| c.public_url()).unwrap_or_default();
                beats.started(heartbeat::Worker::Minute, MINUTE);
                rocket::tokio::spawn(auto_close(engine, beats, public_url, rocket.shutdown()));
            }
        })
    })
}

/// Once a minute, at the engine's clock: the inactivity rules (`engine::auto_close`),
/// the expiry of unanswered surveys (`engine::survey`), flows whose customer stopped
/// answering (`Engine::flow_idle`), retention (`engine::retention`), pauses past their
/// limit and the notifications' e-mail (`engine::notices`, links to `public_url`).
async fn auto_close(
    engine: crate::engine::Engine,
    beats: heartbeat::Heartbeats,
    public_url: String,
    mut shutdown: rocket::Shutdown,
) {
    let mut ticker = rocket::tokio::time::interval(MINUTE);
    loop {
        rocket::tokio::select! {
            _ = &mut shutdown => break,
            _ = ticker.tick() => {
                beats.beat(heartbeat::Worker::Minute);
                match engine.inactivity(engine.clock.now()).await {
                    Ok(swept) if swept == Default::default() => {}
                    Ok(swept) => tracing::info!(?swept, "inactivity"),
                    Err(e) => tracing::error!(error = %e, "inactivity pass failed"),
                }
                // Satisfaction surveys nobody answered in time.
                match engine.expire_surveys(engine.clock.now()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(surveys = n, "surveys expired"),
                    Err(e) => tracing::error!(error = %e, "survey expiry failed"),
                }
                // Customers silent inside a flow past its idle limit.
                match engine.flow_idle(engine.clock.now()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(sessions = n, "flow idle"),
                    Err(e) => tracing::error!(error = %e, "flow idle failed"),
                }
                // Closed conversations past the company's retention period.
                match engine.retention(engine.clock.now()).await {
                    Ok(done) if done == Default::default() => {}
                    Ok(done) => tracing::info!(?done, "retention"),
                    Err(e) => tracing::error!(error = %e, "retention pass failed"),
                }
                if let Err(e) = engine.notice_pauses(engine.clock.now()).await {
                    tracing::error!(error = %e, "looking at pauses failed");
                }
                match engine.mail_notices(engine.clock.now(), &public_url).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(mails = n, "notifications e-mailed"),
                    Err(e) => tracing::error!(error = %e, "notifications e-mail failed"),
                }
            }
        }
    }
}

/// Forgets rate-limit keys that no longer hold anything back, once a minute, so the
/// limiters' memory follows the clients of the last minute or so.
async fn prune_rate_limits(limits: crate::web::rate_limit::RateLimits, mut shutdown: rocket::Shutdown) {
    let mut ticker = rocket::tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        rocket::tokio::select! {
            _ = &mut shutdown => break,
            _ = ticker.tick() => limits.prune(),
        }
    }
}

/// Frees the claims a killed process left (`release` is the table's `release_leases`),
/// before a worker's first pass, so what it was sending goes now, not once its lease
/// runs out. `what` names the worker in the log.
async fn release_dead_claims(
    engine: &crate::engine::Engine,
    what: &'static str,
    release: fn(&rusqlite::Connection) -> crate::db::DbResult<usize>,
) {
    match engine.db.write(move |tx| release(tx)).await {
        Ok(0) => {}
        Ok(claims) => tracing::warn!(claims, "{what}: what was claimed when the server stopped goes again"),
        Err(e) => tracing::error!(error = %e, "{what}: freeing the claims of the last run failed"),
    }
}
