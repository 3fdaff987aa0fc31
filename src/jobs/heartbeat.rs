//! The workers' heartbeats and the readiness they make up (`/readyz`): each long-lived
//! worker beats when its loop turns, at the engine's clock; one that has not beaten
//! within twice its period is late, and the server is not ready while one is, nor
//! while the database's schema is not the one this build embeds.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use serde::Serialize;

use crate::db::{Db, DbResult};
use crate::engine::clock::Clock;

/// The workers that beat, each with its name in `/readyz`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Worker {
    /// The session reaper.
    Reaper,
    /// The channels' supervisor (outbox workers, pollers, owed files).
    Channels,
    /// The minute's jobs: inactivity, surveys, flows, retention, notifications.
    Minute,
}

const WORKERS: [Worker; 3] = [Worker::Reaper, Worker::Channels, Worker::Minute];

impl Worker {
    pub const fn name(self) -> &'static str {
        match self {
            Worker::Reaper => "reaper",
            Worker::Channels => "channels",
            Worker::Minute => "minute",
        }
    }

    const fn index(self) -> usize {
        self as usize
    }
}

#[derive(Default)]
struct Beat {
    /// How often the worker beats, in ms; 0 while it has not been started.
    period_ms: AtomicI64,
    /// Its last beat at the engine's clock; 0 before the first.
    at: AtomicI64,
}

/// The heartbeats of this process's workers; cloning shares them.
#[derive(Clone)]
pub struct Heartbeats {
    clock: Clock,
    beats: Arc<[Beat; 3]>,
}

/// A worker that has not beaten in time.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Late {
    pub worker: &'static str,
    pub period_seconds: i64,
    /// Seconds since its last beat; `None` when it never beat.
    pub silent_seconds: Option<i64>,
}

/// What `/readyz` says.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Readiness {
    pub ready: bool,
    /// The schema's version and the number of migrations embedded.
    pub schema: i64,
    pub migrations: i64,
    /// The workers running (none when background jobs are off).
    pub workers: Vec<&'static str>,
    pub late: Vec<Late>,
    /// Why it is not ready, in words for whoever reads the probe's answer.
    pub reason: Option<String>,
}

impl Heartbeats {
    /// Heartbeats read at `clock`.
    pub fn new(clock: Clock) -> Heartbeats {
        Heartbeats { clock, beats: Arc::new(Default::default()) }
    }

    /// `worker` runs from now on, beating every `period`.
    pub fn started(&self, worker: Worker, period: std::time::Duration) {
        let ms = i64::try_from(period.as_millis()).unwrap_or(i64::MAX).max(1);
        self.beats[worker.index()].period_ms.store(ms, Ordering::Relaxed);
    }

    /// `worker`'s loop turned.
    pub fn beat(&self, worker: Worker) {
        self.beats[worker.index()].at.store(self.clock.now(), Ordering::Relaxed);
    }

    /// The started workers and those of them that are late now.
    fn look(&self) -> (Vec<&'static str>, Vec<Late>) {
        let now = self.clock.now();
        let (mut running, mut late) = (Vec::new(), Vec::new());
        for worker in WORKERS {
            let beat = &self.beats[worker.index()];
            let period = beat.period_ms.load(Ordering::Relaxed);
            if period == 0 {
                continue;
            }
            running.push(worker.name());
            let at = beat.at.load(Ordering::Relaxed);
            let silent = (at > 0).then(|| now - at);
            // A worker beats at the start of each turn; twice its period (and a second)
            // allows for a turn's own work and the ticker's drift.
            if silent.is_none_or(|s| s > period.saturating_mul(2).saturating_add(1000)) {
                late.push(Late {
                    worker: worker.name(),
                    period_seconds: period / 1000,
                    silent_seconds: silent.map(|s| s / 1000),
                });
            }
        }
        (running, late)
    }
}

/// Whether the server is ready: every migration applied and every worker beating.
pub async fn readiness(db: &Db, heartbeats: &Heartbeats) -> DbResult<Readiness> {
    let (schema, migrations) = db.schema().await?;
    let (workers, late) = heartbeats.look();
    let reason = if schema != migrations {
        Some(format!("database schema at version {schema}, this build expects {migrations}"))
    } else {
        late.first().map(|l| match l.silent_seconds {
            Some(s) => format!("worker {} has not beaten for {s} s (every {} s)", l.worker, l.period_seconds),
            None => format!("worker {} has not beaten yet", l.worker),
        })
    };
    Ok(Readiness { ready: reason.is_none(), schema, migrations, workers, late, reason })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_worker_is_late_past_twice_its_period_and_one_never_started_is_not_looked_at() {
        let clock = Clock::default();
        clock.set(Some(1_000_000));
        let beats = Heartbeats::new(clock.clone());
        assert_eq!(beats.look(), (vec![], vec![]), "nothing started, nothing expected");
        beats.started(Worker::Channels, Duration::from_secs(5));
        let (running, late) = beats.look();
        assert_eq!(running, ["channels"]);
        assert_eq!(late[0].silent_seconds, None, "started but never beat: late");
        beats.beat(Worker::Channels);
        assert!(beats.look().1.is_empty());
        clock.set(Some(1_011_000));
        assert!(beats.look().1.is_empty(), "11 s of a 5 s period is still in time");
        clock.set(Some(1_011_001));
        let late = beats.look().1;
        assert_eq!(late, [Late { worker: "channels", period_seconds: 5, silent_seconds: Some(11) }]);
        beats.beat(Worker::Channels);
        assert!(beats.look().1.is_empty(), "a beat puts it right");
    }
}
