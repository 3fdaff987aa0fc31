//! "Equipes": the teams conversations queue in. Name, distribution (automatic to the
//! least busy available member, or agents pull from the queue), queue limit with its
//! overflow team and "fila cheia" message, whether a tabulation is required to finish,
//! active flag and members; its survey and inactivity rules (`team_rules`). A team that still has members or content (tabulations,
//! tags, phrases, templates) is not deleted.

use rocket::form::FromForm;
use serde::Serialize;

use super::team_rules::RulesDraft;
use super::{
    before, check_name_free, checked, delete_audited, record_saved, refuse, update_or_insert, CatalogError,
    CatalogResult, Deleted, RefuseIfUsed,
};
use crate::accounts::Actor;
use crate::db::team_rules::{self, TeamRules};
use crate::db::teams::{self, Team, TeamFields, DISTRIBUTIONS, MAX_QUEUE_LIMIT};
use crate::db::Db;
use crate::domain::fields::{self, FieldErrors};
use crate::domain::message_template::{check_variables, PhraseProblem, QUEUE_FULL_PLACEHOLDERS};

/// A team as typed in its form: text, kept as typed so a refused form shows it again.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct TeamDraft {
    pub name: String,
    pub distribution: String,
    pub queue_limit: String,
    /// Id of the overflow team; empty for none. Both fields came with the queue limit:
    /// a form without them (a page loaded before) saves none and the default text.
    #[field(default = String::new())]
    pub overflow_team_id: String,
    #[field(default = String::new())]
    pub queue_full_message: String,
    pub require_tabulation: bool,
    pub active: bool,
    /// "Desligar o chat interno": the members may not use the internal chat.
    pub internal_chat_off: bool,
    /// Ids of the ticked members.
    pub members: Vec<i64>,
    /// The survey and inactivity rules (`catalog::team_rules`).
    pub rules: RulesDraft,
}

impl TeamDraft {
    /// The form for a new team.
    pub fn blank() -> TeamDraft {
        TeamDraft { active: true, distribution: "auto".into(), queue_limit: "0".into(), ..Default::default() }
    }

    /// The form for editing `t`, whose members are `members`.
    pub fn of(t: &Team, members: Vec<i64>, rules: &TeamRules) -> TeamDraft {
        TeamDraft {
            name: t.name.clone(),
            distribution: t.distribution.clone(),
            queue_limit: t.queue_limit.to_string(),
            overflow_team_id: t.overflow_team_id.map(|o| o.to_string()).unwrap_or_default(),
            queue_full_message: t.queue_full_message.clone(),
            require_tabulation: t.require_tabulation,
            active: t.active,
            internal_chat_off: t.internal_chat_off,
            members,
            rules: RulesDraft::of(rules),
        }
    }

    /// The fields that need no database (members are checked when saving).
    fn validate(&self) -> CatalogResult<(TeamFields, TeamRules)> {
        let mut errors = FieldErrors::new();
        let name = fields::text(&mut errors, "name", &self.name, 60);
        if !DISTRIBUTIONS.contains(&self.distribution.as_str()) {
            errors.insert("distribution", "teams-distribution-invalid");
        }
        let queue_limit = fields::number(&mut errors, "queue_limit", &self.queue_limit, 0, MAX_QUEUE_LIMIT, false);
        let overflow_team_id =
            fields::number(&mut errors, "overflow_team_id", &self.overflow_team_id, 1, i64::MAX, false);
        let queue_full_message =
            fields::optional_text(&mut errors, "queue_full_message", &self.queue_full_message, 500);
        if !errors.contains_key("queue_full_message") {
            if let Err(problem) = check_variables(&queue_full_message, &QUEUE_FULL_PLACEHOLDERS) {
                let key = match problem {
                    PhraseProblem::Unclosed => "teams-queue-full-unclosed",
                    PhraseProblem::Unknown(_) => "teams-queue-full-unknown",
                };
                errors.insert("queue_full_message", key);
            }
        }
        let rules = self.rules.validate(&mut errors);
        let team = TeamFields {
            name,
            distribution: self.distribution.clone(),
            queue_limit: queue_limit.unwrap_or(0),
            require_tabulation: self.require_tabulation,
            active: self.active,
            overflow_team_id,
            queue_full_message,
            internal_chat_off: self.internal_chat_off,
        };
        checked((team, rules), errors)
    }
}

/// The overflow team must be another team, active (or already the chosen one).
/// Following one hop only (see `engine::queue`), two teams may overflow into each
/// other without a loop.
fn check_overflow(conn: &rusqlite::Connection, team_id: Option<i64>, chosen: Option<i64>) -> CatalogResult<()> {
    let Some(chosen) = chosen else { return Ok(()) };
    if Some(chosen) == team_id {
        return Err(refuse("overflow_team_id", "teams-overflow-self"));
    }
    if !teams::overflow_candidates(conn, team_id)?.iter().any(|t| t.id == chosen) {
        return Err(refuse("overflow_team_id", "teams-overflow-invalid"));
    }
    Ok(())
}

/// The ticked members, each once; refused when one of them may not be a member
/// (unknown, or deactivated and not already in the team).
fn allowed_members(conn: &rusqlite::Connection, team_id: Option<i64>, ticked: &[i64]) -> CatalogResult<Vec<i64>> {
    let candidates: Vec<i64> = teams::member_candidates(conn, team_id)?.iter().map(|c| c.id).collect();
    let mut members: Vec<i64> = ticked.to_vec();
    members.sort_unstable();
    members.dedup();
    if !members.iter().all(|m| candidates.contains(m)) {
        return Err(refuse("members", "teams-members-invalid"));
    }
    Ok(members)
}

/// Saves a new team (`id` `None`) or an edit with its members; audited with the
/// members' names (`team.create`, `team.update`). The team's id.
pub async fn save(db: &Db, actor: &Actor, id: Option<i64>, draft: &TeamDraft) -> CatalogResult<i64> {
    let ((fields, rules), ticked, actor) = (draft.validate()?, draft.members.clone(), actor.clone());
    let saved = db
        .transact(move |tx| -> CatalogResult<i64> {
            let before = before(tx, id, teams::snapshot)?;
            check_name_free(tx, "teams", &fields.name, id)?;
            check_overflow(tx, id, fields.overflow_team_id)?;
            let members = allowed_members(tx, id, &ticked)?;
            let id =
                update_or_insert(id, |id| teams::update_team(tx, id, &fields), || teams::insert_team(tx, &fields))?;
            teams::set_team_members(tx, id, &members)?;
            team_rules::save_rules(tx, id, &rules)?;
            record_saved(tx, &actor, "team", id, before.as_ref(), &teams::snapshot(tx, id)?)?;
            Ok(id)
        })
        .await?;
    // Members see their team's conversations live.
    db.access_changed();
    Ok(saved)
}

/// Deletes a team that nothing belongs to any more; one with members or content is
/// refused (`teams-delete-refused`).
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> CatalogResult<Deleted> {
    let actor = actor.clone();
    let refuse = RefuseIfUsed { in_use: |c, id| Ok(!teams::usage(c, id)?.is_empty()), reason: "teams-delete-refused" };
    db.transact(move |tx| delete_audited(tx, &actor, "team", id, teams::snapshot, teams::delete_team, refuse)).await
}

/// The form of a saved team: as stored, with its members.
pub async fn draft_of(db: &Db, id: i64) -> CatalogResult<TeamDraft> {
    let found = db
        .read(move |c| match teams::team_by_id(c, id)? {
            Some(team) => Ok(Some(TeamDraft::of(&team, teams::member_ids(c, id)?, &team_rules::rules_of(c, id)?))),
            None => Ok(None),
        })
        .await?;
    found.ok_or(CatalogError::NotFound)
}
