//! The history's long exports: first the ones a stopped server left running are failed,
//! then queued jobs are built one at a time when a request wakes the worker, and once a
//! minute (a missed wake-up, the expiry of built files).

use std::time::Duration;

use crate::db::Db;
use crate::reports::export_jobs::{build_next, expire, recover, ExportQueue};

pub fn start(rocket: &rocket::Rocket<rocket::Orbit>) {
    let (Some(db), Some(queue)) = (rocket.state::<Db>().cloned(), rocket.state::<ExportQueue>().cloned()) else {
        return;
    };
    rocket::tokio::spawn(run(db, queue, rocket.shutdown()));
}

async fn run(db: Db, queue: ExportQueue, mut shutdown: rocket::Shutdown) {
    match recover(&db).await {
        Ok(0) => {}
        Ok(n) => tracing::warn!(exports = n, "exports interrupted by a restart marked failed"),
        Err(e) => tracing::error!(error = %e, "exports could not be recovered"),
    }
    let mut ticker = rocket::tokio::time::interval(Duration::from_secs(60));
    loop {
        rocket::tokio::select! {
            _ = &mut shutdown => break,
            _ = ticker.tick() => {}
            _ = queue.woken() => {}
        }
        if let Err(e) = expire(&db, crate::db::now_ms()).await {
            tracing::error!(error = %e, "exports could not be expired");
        }
        loop {
            match build_next(&db).await {
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(e) => {
                    tracing::error!(error = %e, "export worker failed");
                    break;
                }
            }
        }
    }
}
