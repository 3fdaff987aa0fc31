//! The session reaper: expires idle sessions and takes agents whose page stopped sending
//! heartbeats out of routing, so nothing is routed to someone who is not there.

use std::time::Duration;

use rocket::{Orbit, Rocket};

use crate::accounts::sessions;
use crate::config::Config;
use crate::db::{now_ms, Db};
use crate::jobs::heartbeat::{Heartbeats, Worker};

pub fn start(rocket: &Rocket<Orbit>, beats: Heartbeats) {
    let (Some(db), Some(config)) = (rocket.state::<Db>().cloned(), rocket.state::<Config>()) else {
        return;
    };
    let every = Duration::from_secs(config.reaper_interval_secs.max(1));
    let mut shutdown = rocket.shutdown();
    beats.started(Worker::Reaper, every);
    rocket::tokio::spawn(async move {
        let mut ticker = rocket::tokio::time::interval(every);
        loop {
            rocket::tokio::select! {
                _ = &mut shutdown => break,
                _ = ticker.tick() => {
                    beats.beat(Worker::Reaper);
                    match sessions::reap(&db, now_ms()).await {
                        Ok(done) if done != sessions::Reaped::default() => {
                            tracing::info!(sessions = done.sessions, offline = done.went_offline, "reaper");
                        }
                        Ok(_) => {}
                        Err(e) => tracing::error!(error = %e, "reaper failed"),
                    }
                }
            }
        }
    });
}
