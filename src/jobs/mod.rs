//! Background jobs, started when the server lifts off and stopped at shutdown: the
//! session reaper, the channels' work (outbox workers, pollers, owed files: one
//! supervisor, `channels`), auto-close and the pruning of rate-limit keys.

pub mod channels;
pub mod reaper;

use rocket::fairing::AdHoc;

pub fn fairing() -> AdHoc {
    AdHoc::on_liftoff("background jobs", |rocket| {
        Box::pin(async move {
            if !rocket.state::<crate::config::Config>().is_some_and(|c| c.background_jobs) {
                return;
            }
            reaper::start(rocket);
            if let Some(limits) = rocket.state::<crate::web::rate_limit::RateLimits>().cloned() {
                rocket::tokio::spawn(prune_rate_limits(limits, rocket.shutdown()));
            }
            if let Some(engine) = rocket.state::<crate::engine::Engine>().cloned() {
                channels::start(engine.clone(), rocket.shutdown());
                rocket::tokio::spawn(auto_close(engine, rocket.shutdown()));
            }
        })
    })
}

/// Closes idle conversations once a minute (`engine::auto_close`), and tells flows
/// whose customer stopped answering (`Engine::flow_idle`).
async fn auto_close(engine: crate::engine::Engine, mut shutdown: rocket::Shutdown) {
    let mut ticker = rocket::tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        rocket::tokio::select! {
            _ = &mut shutdown => break,
            _ = ticker.tick() => {
                match engine.auto_close_idle(crate::db::now_ms()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(closed = n, "auto-close"),
                    Err(e) => tracing::error!(error = %e, "auto-close failed"),
                }
                // Customers silent inside a flow past its idle limit.
                match engine.flow_idle(engine.clock.now()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(sessions = n, "flow idle"),
                    Err(e) => tracing::error!(error = %e, "flow idle failed"),
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
