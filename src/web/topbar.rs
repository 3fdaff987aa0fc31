//! What the top bar shows beside the signed-in user's name: their teams, on a small line
//! under it, and while they are paused, the pause's clock against its limit.

use serde::Serialize;

use crate::db::users::User;
use crate::db::{now_ms, pauses, teams, Db, DbResult};
use crate::domain::clock::day_start;
use crate::domain::pause::{minutes_seconds, PauseClock};

#[derive(Debug, Default, Serialize)]
pub struct TopBar {
    pub teams: Vec<String>,
    pub pause: Option<PauseView>,
}

/// The pause clock as the page draws it; the script keeps counting from `started_at`.
#[derive(Debug, Serialize)]
pub struct PauseView {
    pub name: String,
    pub started_at: i64,
    pub used_before: i64,
    pub limit: i64,
    /// The server's clock when the page was made, so the page can allow for its own.
    pub now: i64,
    pub elapsed_text: String,
    pub limit_text: String,
    pub over: bool,
}

fn pause_view(conn: &rusqlite::Connection, user_id: i64, tz: chrono_tz::Tz) -> DbResult<Option<PauseView>> {
    let Some((pause, started_at)) = pauses::taken_now(conn, user_id)? else { return Ok(None) };
    let now = now_ms();
    let (id, pause) = (pause.id, pause.fields);
    let used_before = if pause.cumulative { pauses::taken_since(conn, user_id, id, day_start(now, tz))? } else { 0 };
    let clock = PauseClock::new(started_at, used_before, pause.max_minutes);
    Ok(Some(PauseView {
        name: pause.name,
        started_at,
        used_before: clock.used_before,
        limit: clock.limit,
        now,
        elapsed_text: minutes_seconds(clock.elapsed(now)),
        limit_text: minutes_seconds(clock.limit),
        over: clock.is_over(now),
    }))
}

/// The top bar of `user` (`tz`: the company's zone, where a day of pauses begins); a
/// failure leaves it empty (the page still renders).
pub async fn load(db: &Db, user: &User, tz: chrono_tz::Tz) -> TopBar {
    let (id, paused) = (user.id, user.status == "paused");
    let read = db
        .read(move |c| {
            let pause = if paused { pause_view(c, id, tz)? } else { None };
            Ok(TopBar { teams: teams::team_names_of_user(c, id)?, pause })
        })
        .await;
    read.unwrap_or_else(|e| {
        tracing::error!(error = %e, "top bar could not be read");
        TopBar::default()
    })
}
