//! "Notificações" under Configurações: who is e-mailed about notifications (active
//! administrators only), which causes, at most how often per cause, and the survey
//! score at or below which a `low_score` notification is raised (0: never).

use rocket::form::FromForm;
use serde::Serialize;

use super::{checked, CatalogResult};
use crate::accounts::Actor;
use crate::db::notifications::{self as rows, Preferences, KINDS};
use crate::db::{audit, users, Db};
use crate::domain::fields::{self, FieldErrors};
use crate::domain::survey::SCORES;

/// The longest interval between two e-mails of one cause: a day.
pub const MAX_INTERVAL_MINUTES: i64 = 1440;

/// The form as typed.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct PreferencesDraft {
    pub recipients: Vec<i64>,
    pub kinds: Vec<String>,
    pub interval_minutes: String,
    #[field(default = String::new())]
    pub low_score: String,
}

impl PreferencesDraft {
    pub fn of(p: &Preferences) -> PreferencesDraft {
        PreferencesDraft {
            recipients: p.recipients.clone(),
            kinds: p.kinds.clone(),
            interval_minutes: p.interval_minutes.to_string(),
            low_score: p.low_score.to_string(),
        }
    }

    /// Checked against `admins`, the ids of the active administrators.
    fn checked(&self, admins: &[i64]) -> CatalogResult<Preferences> {
        let mut e = FieldErrors::new();
        let mut recipients: Vec<i64> = self.recipients.clone();
        recipients.sort_unstable();
        recipients.dedup();
        if recipients.iter().any(|id| !admins.contains(id)) {
            e.insert("recipients", "notices-bad-recipient");
        }
        if self.kinds.iter().any(|k| !KINDS.contains(&k.as_str())) {
            e.insert("kinds", "notices-bad-kind");
        }
        let kinds = KINDS.iter().filter(|k| self.kinds.iter().any(|c| c == *k)).map(|k| k.to_string()).collect();
        let interval_minutes =
            fields::number(&mut e, "interval_minutes", &self.interval_minutes, 1, MAX_INTERVAL_MINUTES, true)
                .unwrap_or(30);
        let best = i64::from(*SCORES.end());
        let low_score = fields::number(&mut e, "low_score", &self.low_score, 0, best - 1, false).unwrap_or(0);
        checked(Preferences { recipients, kinds, interval_minutes, low_score }, e)
    }
}

/// Saves the choices, audited as `settings.notifications`.
pub async fn save(db: &Db, actor: &Actor, draft: &PreferencesDraft) -> CatalogResult<()> {
    let (draft, actor) = (draft.clone(), actor.clone());
    db.transact(move |tx| {
        let admins: Vec<i64> = users::active_admins(tx)?.into_iter().map(|u| u.id).collect();
        let after = draft.checked(&admins)?;
        let before = rows::preferences(tx)?;
        rows::save_preferences(tx, &after)?;
        audit::record_change(tx, &actor, "settings.notifications", "settings", Some(&before), Some(&after))?;
        Ok(())
    })
    .await
}
