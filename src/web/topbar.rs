//! What the top bar shows beside the signed-in user's name: their teams, on a small line
//! under it, while they are paused the pause's clock against its limit, and for those
//! who may see notifications the bell's count of unread ones.

use serde::Serialize;

use crate::db::users::User;
use crate::db::{notifications, now_ms, pauses, teams, Db, DbResult};
use crate::domain::clock::day_start;
use crate::domain::pause::minutes_seconds;

#[derive(Debug, Default, Serialize)]
pub struct TopBar {
    pub teams: Vec<String>,
    pub pause: Option<PauseView>,
    /// Unread notifications, when the user may see them (the bell).
    pub notices: Option<i64>,
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
    let now = now_ms();
    let Some((pause, clock)) = pauses::clock_now(conn, user_id, day_start(now, tz))? else { return Ok(None) };
    Ok(Some(PauseView {
        name: pause.fields.name,
        started_at: clock.started_at,
        used_before: clock.used_before,
        limit: clock.limit,
        now,
        elapsed_text: minutes_seconds(clock.elapsed(now)),
        limit_text: minutes_seconds(clock.limit),
        over: clock.is_over(now),
    }))
}

/// The top bar of `user` (`tz`: the company's zone, where a day of pauses begins;
/// `bell`: whether they may see notifications); a failure leaves it empty (the page
/// still renders).
pub async fn load(db: &Db, user: &User, tz: chrono_tz::Tz, bell: bool) -> TopBar {
    let (id, paused) = (user.id, user.status == "paused");
    let read = db
        .read(move |c| {
            let pause = if paused { pause_view(c, id, tz)? } else { None };
            let notices = if bell { Some(notifications::unread_count(c)?) } else { None };
            Ok(TopBar { teams: teams::team_names_of_user(c, id)?, pause, notices })
        })
        .await;
    read.unwrap_or_else(|e| {
        tracing::error!(error = %e, "top bar could not be read");
        TopBar::default()
    })
}
