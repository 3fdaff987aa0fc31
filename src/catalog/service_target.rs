//! The service-level target (F-RE-4, "80% em 60 s"): the company's, or a team's own (or
//! back to the company's), set from "Nível de serviço" by whoever may edit teams; checked,
//! written and audited in one transaction.

use super::{CatalogError, CatalogResult};
use crate::accounts::Actor;
use crate::db::{audit, team_rules, teams, Db};
use crate::domain::fields::FieldErrors;
use crate::domain::service_level::{Target, DEFAULT};
use rocket::form::FromForm;

/// The form as typed: no team is the company's target; `follow` puts a team back on it.
#[derive(Debug, Clone, Default, FromForm, serde::Serialize)]
pub struct TargetDraft {
    pub team: Option<i64>,
    #[field(default = String::new())]
    pub target_seconds: String,
    #[field(default = String::new())]
    pub goal_percent: String,
    #[field(default = false)]
    pub follow: bool,
}

pub async fn save(db: &Db, actor: &Actor, draft: TargetDraft) -> CatalogResult<()> {
    let actor = actor.clone();
    db.transact(move |tx| {
        let target =
            match (draft.team.is_some() && draft.follow, Target::parse(&draft.target_seconds, &draft.goal_percent)) {
                (true, _) => None,
                (false, Ok(t)) => Some(t),
                (false, Err((field, key))) => return Err(CatalogError::Invalid(FieldErrors::from([(field, key)]))),
            };
        match draft.team {
            Some(team) => {
                teams::team_by_id(tx, team)?.ok_or(CatalogError::NotFound)?;
                let before = team_rules::team_targets(tx)?.get(&team).copied();
                team_rules::save_team_target(tx, team, target)?;
                audit::record_change(
                    tx,
                    &actor,
                    "team.service-target",
                    &format!("team:{team}"),
                    Some(&before),
                    Some(&target),
                )?;
            }
            None => {
                let before = team_rules::company_target(tx)?;
                let after = target.unwrap_or(DEFAULT);
                team_rules::save_company_target(tx, after)?;
                audit::record_change(tx, &actor, "settings.service-target", "settings", Some(&before), Some(&after))?;
            }
        }
        Ok(())
    })
    .await
}
