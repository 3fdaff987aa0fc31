//! Each channel's health (F-AD-3's panel): the last poll or webhook that worked, the
//! last message in and out, the last problem and the day's counts. Adapters and jobs
//! report here; nothing here ever holds a secret (reasons are written for people).

use rusqlite::Connection;

use super::{Engine, EngineResult};
use crate::db::channel_state::{self, Happened, Health};
use crate::db::{now_ms, settings};
use crate::domain::clock;

/// The start of the company's day, for the day's counters.
fn today(conn: &Connection, now: i64) -> crate::db::DbResult<i64> {
    Ok(clock::day_start(now, settings::read(conn, settings::Settings::zone)?))
}

/// Records `what` on a channel now (inside the caller's transaction).
pub fn record(conn: &Connection, channel_id: i64, what: Happened) -> EngineResult<()> {
    let now = now_ms();
    Ok(channel_state::record(conn, channel_id, what, now, today(conn, now)?)?)
}

impl Engine {
    /// A poll or a webhook call worked.
    pub async fn channel_polled(&self, channel_id: i64) -> EngineResult<()> {
        self.write(move |tx| record(tx, channel_id, Happened::Polled)).await
    }

    pub async fn channel_health(&self, channel_id: i64) -> EngineResult<Health> {
        Ok(self
            .db
            .read(move |c| {
                let day = today(c, now_ms())?;
                channel_state::health(c, channel_id, day)
            })
            .await?)
    }
}
