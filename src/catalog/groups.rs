//! "Grupos de usuários": named sets of permissions (area × action) that decide what an
//! administrator may view, create, edit or delete, and which administrators hold them.
//! The built-in "Administrador geral" holds everything, cannot be deleted and always
//! keeps at least one active member.

use rocket::form::FromForm;
use serde::Serialize;

use super::{
    before, checked, delete_audited, record_saved, update_or_insert, CatalogError, CatalogResult, Deleted, RefuseIfUsed,
};
use crate::accounts::Actor;
use crate::db::groups::{self, GroupFields};
use crate::db::{users, Db, DbResult};
use crate::domain::fields::{self, FieldErrors};
use crate::domain::permissions::Permission;

/// A group as typed in its form, kept as typed so a refused form shows it again.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct GroupDraft {
    pub name: String,
    /// Repeated `area:action` codes of the ticked boxes.
    pub permissions: Vec<String>,
    /// Ids of the ticked administrators.
    pub members: Vec<String>,
}

/// The known permission codes among `values`, once each, in display order; anything
/// else is dropped.
pub fn permission_codes(values: &[String]) -> Vec<String> {
    let chosen: Vec<Permission> = values.iter().filter_map(|v| Permission::parse(v.trim())).collect();
    Permission::all().into_iter().filter(|p| chosen.contains(p)).map(Permission::code).collect()
}

impl GroupDraft {
    /// The form for editing a group saved as `fields`.
    pub fn of(fields: &GroupFields) -> GroupDraft {
        GroupDraft {
            name: fields.name.clone(),
            permissions: fields.permissions.clone(),
            members: fields.members.iter().map(i64::to_string).collect(),
        }
    }

    /// The fields that need no database: a name and numeric member ids.
    fn validate(&self) -> CatalogResult<GroupFields> {
        let mut errors = FieldErrors::new();
        let name = fields::text(&mut errors, "name", &self.name, 60);
        let mut members = Vec::new();
        for m in &self.members {
            match m.trim().parse::<i64>() {
                Ok(id) if !members.contains(&id) => members.push(id),
                Ok(_) => {}
                Err(_) => {
                    errors.insert("members", "groups-members-unknown");
                }
            }
        }
        members.sort_unstable();
        checked(GroupFields { name, permissions: permission_codes(&self.permissions), members }, errors)
    }
}

/// Checks that need the database: a free name, members who are active
/// administrators, and a member left in the built-in group.
fn check_stored(
    tx: &rusqlite::Connection,
    fields: &GroupFields,
    id: Option<i64>,
    builtin: bool,
) -> DbResult<FieldErrors> {
    let mut errors = FieldErrors::new();
    if crate::db::name_taken(tx, "permission_groups", &fields.name, id)? {
        errors.insert("name", "name-taken");
    }
    let admins: Vec<i64> = users::active_admins(tx)?.iter().map(|u| u.id).collect();
    if fields.members.iter().any(|m| !admins.contains(m)) {
        errors.insert("members", "groups-members-unknown");
    } else if builtin && fields.members.is_empty() {
        errors.insert("members", "groups-last-member");
    }
    Ok(errors)
}

/// Saves a new group (`id` `None`) or an edit with its members, audited as stored
/// (`group.create`, `group.update`); the group's id.
pub async fn save(db: &Db, actor: &Actor, id: Option<i64>, draft: &GroupDraft) -> CatalogResult<i64> {
    let (fields, actor) = (draft.validate()?, actor.clone());
    let saved = db
        .transact(move |tx| -> CatalogResult<i64> {
            let before = before(tx, id, groups::group_fields)?;
            let builtin = match id {
                Some(id) => groups::group_by_id(tx, id)?.is_some_and(|g| g.builtin),
                None => false,
            };
            checked((), check_stored(tx, &fields, id, builtin)?)?;
            let id = update_or_insert(
                id,
                |id| groups::update_group(tx, id, &fields.name, &fields.permissions),
                || groups::insert_group(tx, &fields.name, &fields.permissions),
            )?;
            groups::set_admin_members(tx, id, &fields.members)?;
            // As stored: the built-in group keeps every permission, and only active
            // administrators become members.
            let after = groups::group_fields(tx, id)?.unwrap_or(fields);
            record_saved(tx, &actor, "group", id, before.as_ref(), &after)?;
            Ok(id)
        })
        .await?;
    // A group may grant monitoring, which shows its members the whole floor live.
    db.access_changed();
    Ok(saved)
}

/// Deletes a group; its members simply lose its permissions. The built-in group is
/// refused (`groups-builtin-undeletable`).
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> CatalogResult<Deleted> {
    let actor = actor.clone();
    let refuse = RefuseIfUsed {
        in_use: |c, id| Ok(groups::group_by_id(c, id)?.is_some_and(|g| g.builtin)),
        reason: "groups-builtin-undeletable",
    };
    let deleted = db
        .transact(move |tx| delete_audited(tx, &actor, "group", id, groups::group_fields, groups::delete_group, refuse))
        .await?;
    db.access_changed();
    Ok(deleted)
}

/// The form of a saved group, as stored.
pub async fn draft_of(db: &Db, id: i64) -> CatalogResult<GroupDraft> {
    let fields = db.read(move |c| groups::group_fields(c, id)).await?;
    Ok(GroupDraft::of(&fields.ok_or(CatalogError::NotFound)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_and_repeated_permission_codes_are_dropped() {
        let posted: Vec<String> =
            ["tags:view", "teams:edit", "nope:view", "settings:delete", "teams:edit", " audit:view ", "*"]
                .map(String::from)
                .to_vec();
        assert_eq!(permission_codes(&posted), vec!["teams:edit", "tags:view", "audit:view"]);
    }

    #[test]
    fn validation_needs_a_name_and_numeric_members() {
        let bad = GroupDraft { name: "  ".into(), permissions: vec![], members: vec!["x".into()] };
        let Err(CatalogError::Invalid(errors)) = bad.validate() else { panic!("refused") };
        assert_eq!(errors.get("name"), Some(&"field-required"));
        assert_eq!(errors.get("members"), Some(&"groups-members-unknown"));
        let ok =
            GroupDraft { name: " Supervisores ".into(), permissions: vec![], members: vec!["3".into(), "3".into()] };
        let fields = ok.validate().unwrap();
        assert_eq!(fields.name, "Supervisores");
        assert_eq!(fields.members, vec![3]);
    }
}
