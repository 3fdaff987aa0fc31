//! A team's queue thresholds (F-AD-11), set on "Monitoramento" by whoever may act there
//! (`monitoring:edit`): a longest wait in seconds and a count waiting, each optional;
//! checked, written and audited in one transaction.

use rocket::form::FromForm;

use super::{checked, refuse, CatalogResult};
use crate::accounts::Actor;
use crate::db::monitoring_thresholds::{self, Thresholds};
use crate::db::{audit, teams, Db};
use crate::domain::fields::{number, FieldErrors};

/// The longest threshold that makes sense: a day in seconds, ten thousand waiting.
const MAX_WAIT_SECONDS: i64 = 86_400;
const MAX_WAITING: i64 = 10_000;

/// The form as typed (kept as typed when refused); `queue` is the team's id.
#[derive(Debug, Clone, Default, FromForm, serde::Serialize)]
pub struct ThresholdsDraft {
    #[field(default = String::new())]
    pub queue: String,
    #[field(default = String::new())]
    pub longest_wait_seconds: String,
    #[field(default = String::new())]
    pub waiting_count: String,
}

impl ThresholdsDraft {
    fn checked(&self) -> CatalogResult<(i64, Thresholds)> {
        let team = self.queue.trim().parse::<i64>().map_err(|_| refuse("queue", "monitoring-thresholds-no-team"))?;
        let mut errors = FieldErrors::new();
        let longest_wait_seconds =
            number(&mut errors, "longest_wait_seconds", &self.longest_wait_seconds, 1, MAX_WAIT_SECONDS, false);
        let waiting_count = number(&mut errors, "waiting_count", &self.waiting_count, 1, MAX_WAITING, false);
        checked((team, Thresholds { longest_wait_seconds, waiting_count }), errors)
    }
}

/// Saves the thresholds of the team chosen; its id.
pub async fn save(db: &Db, actor: &Actor, draft: ThresholdsDraft) -> CatalogResult<i64> {
    let actor = actor.clone();
    db.transact(move |tx| {
        let (team, after) = draft.checked()?;
        teams::team_by_id(tx, team)?
            .filter(|t| t.active)
            .ok_or_else(|| refuse("queue", "monitoring-thresholds-no-team"))?;
        let before = monitoring_thresholds::of_team(tx, team)?;
        monitoring_thresholds::save(tx, team, after)?;
        audit::record_change(
            tx,
            &actor,
            "monitoring.thresholds",
            &format!("team:{team}"),
            Some(&before),
            Some(&after),
        )?;
        Ok(team)
    })
    .await
}
