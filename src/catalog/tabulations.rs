//! "Tabulações": per team, the reasons an agent classifies a conversation with, each
//! with optional sub-reasons (two levels, no more). A name is unique under the same
//! team and parent; a tabulation conversations were classified with is deactivated,
//! not deleted, so the reports keep it.

use rocket::form::FromForm;

use super::{checked, delete_audited, record_saved, refuse, refuse_if, CatalogError, CatalogResult, KeepIfUsed};
use crate::accounts::Actor;
use crate::db::{tabulations, teams, Db};
use crate::domain::fields::{self, FieldErrors};

/// The refusal of a parent that is not a reason of the team (shown for the whole page).
pub const PARENT_INVALID: &str = "tabulations-parent-invalid";

/// A new reason or sub-reason as typed in one of the page's add forms.
#[derive(Debug, Clone, FromForm)]
pub struct NewTabulation {
    pub team_id: String,
    /// Empty for a reason; the reason's id for a sub-reason.
    pub parent_id: String,
    pub name: String,
}

/// A rename or (de)activation as typed in a tabulation's inline form.
#[derive(Debug, Clone, FromForm)]
pub struct TabulationEdit {
    pub name: String,
    pub active: bool,
}

fn name(typed: &str) -> (String, FieldErrors) {
    let mut errors = FieldErrors::new();
    (fields::text(&mut errors, "name", typed, 60), errors)
}

/// Adds a reason or a sub-reason, with its audit entry; the team's id. An unknown team
/// is `NotFound`; a parent that is not a reason of the team is refused under
/// `parent_id`, and checked before the name.
pub async fn create(db: &Db, actor: &Actor, draft: &NewTabulation) -> CatalogResult<i64> {
    let team_id: i64 = draft.team_id.trim().parse().map_err(|_| CatalogError::NotFound)?;
    let parent_id: Option<i64> = match draft.parent_id.trim() {
        "" => None,
        text => Some(text.parse().map_err(|_| refuse("parent_id", PARENT_INVALID))?),
    };
    let ((name, errors), actor) = (name(&draft.name), actor.clone());
    db.transact(move |tx| {
        teams::team_by_id(tx, team_id)?.ok_or(CatalogError::NotFound)?;
        if let Some(parent_id) = parent_id {
            let parent = tabulations::tabulation_by_id(tx, parent_id)?;
            let is_reason = parent.is_some_and(|p| p.team_id == team_id && p.parent_id.is_none());
            refuse_if(!is_reason, "parent_id", PARENT_INVALID)?;
        }
        let name = checked(name, errors)?;
        refuse_if(tabulations::name_taken(tx, team_id, parent_id, &name, None)?, "name", "name-taken")?;
        let id = tabulations::insert_tabulation(tx, team_id, parent_id, &name)?;
        let after = tabulations::tabulation_by_id(tx, id)?;
        record_saved(tx, &actor, "tabulation", id, None::<&()>, &after)?;
        Ok(team_id)
    })
    .await
}

/// Renames and (de)activates a tabulation, with its audit entry; the team's id.
pub async fn update(db: &Db, actor: &Actor, id: i64, draft: &TabulationEdit) -> CatalogResult<i64> {
    let ((name, errors), active, actor) = (name(&draft.name), draft.active, actor.clone());
    db.transact(move |tx| {
        let before = tabulations::tabulation_by_id(tx, id)?.ok_or(CatalogError::NotFound)?;
        let name = checked(name, errors)?;
        let taken = tabulations::name_taken(tx, before.team_id, before.parent_id, &name, Some(id))?;
        refuse_if(taken, "name", "name-taken")?;
        tabulations::update_tabulation(tx, id, &name, active)?;
        let after = tabulations::tabulation_by_id(tx, id)?;
        record_saved(tx, &actor, "tabulation", id, Some(&before), &after)?;
        Ok(before.team_id)
    })
    .await
}

/// Deletes a tabulation (a reason with its sub-reasons, all in the audit entry); one
/// conversations were classified with is deactivated instead. The team's id.
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> CatalogResult<i64> {
    let actor = actor.clone();
    db.transact(move |tx| {
        let team_id = tabulations::tabulation_by_id(tx, id)?.ok_or(CatalogError::NotFound)?.team_id;
        let keep = KeepIfUsed { in_use: tabulations::in_use, deactivate: tabulations::deactivate_tabulation };
        let (load, delete) = (tabulations::reason_by_id, tabulations::delete_tabulation);
        delete_audited(tx, &actor, "tabulation", id, load, delete, Some(keep))?;
        Ok(team_id)
    })
    .await
}
