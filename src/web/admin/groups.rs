//! "Grupos de usuários": named sets of permissions (area × action) that decide what an
//! administrator may view, create, edit or delete, and which administrators hold them.
//! The built-in "Administrador geral" holds everything, cannot be deleted and always
//! keeps at least one active member. The use cases are in `catalog::groups`.

use rocket_dyn_templates::{context, Template};

use super::section::{admin_section, Form};
use crate::catalog::groups::{self, permission_codes, GroupDraft};
use crate::catalog::CatalogError;
use crate::db::groups as stored;
use crate::db::{users, Db};
use crate::domain::permissions::{Action, Area, Permission};
use crate::web::errors::WebResult;
use crate::web::guards::perm::Groups;
use crate::web::page::Page;

/// The permission matrix: one row per area, one cell per action (`null` where the
/// area has no such action).
fn matrix(typed: &GroupDraft, builtin: bool) -> serde_json::Value {
    let chosen = permission_codes(&typed.permissions);
    let rows: Vec<_> = Area::ALL
        .iter()
        .map(|area| {
            let cells: Vec<_> = [Action::View, Action::Create, Action::Edit, Action::Delete]
                .iter()
                .map(|action| {
                    area.actions().contains(action).then(|| {
                        let code = Permission(*area, *action).code();
                        serde_json::json!({ "action": action.code(), "checked": builtin || chosen.contains(&code), "code": code })
                    })
                })
                .collect();
            serde_json::json!({ "area": area.code(), "cells": cells })
        })
        .collect();
    serde_json::Value::from(rows)
}

/// What the form page shows besides what was typed: the active administrators and,
/// for a saved group, whether it is the built-in one and how many members it has.
struct FormData {
    builtin: bool,
    member_count: i64,
    admins: Vec<users::User>,
}

/// The form with the permission matrix and the administrators to choose from;
/// `NotFound` when the group is gone.
async fn form_page(page: &Page, db: &Db, form: Form<'_, GroupDraft>) -> WebResult<Template> {
    let id = form.id;
    let data = db
        .read(move |c| {
            let admins = users::active_admins(c)?;
            Ok(match id {
                None => Some(FormData { builtin: false, member_count: 0, admins }),
                Some(id) => stored::group_by_id(c, id)?.map(|g| FormData {
                    builtin: g.builtin,
                    member_count: g.members,
                    admins,
                }),
            })
        })
        .await?
        .ok_or(CatalogError::NotFound)?;
    let admins: Vec<_> = data
        .admins
        .iter()
        .map(|u| {
            let checked = form.typed.members.iter().any(|m| m.trim() == u.id.to_string());
            serde_json::json!({ "id": u.id, "name": u.name, "username": u.username, "checked": checked })
        })
        .collect();
    let matrix = matrix(form.typed, data.builtin);
    let more = context! { admins, matrix, builtin: data.builtin, member_count: data.member_count };
    Ok(form.render(page, "admin/groups/form.html", more))
}

admin_section! {
    area: Groups, at: "/admin/groups", catalog: groups, draft: GroupDraft, form: form_page,
    list: ("admin/groups/list.html", stored::list_groups_page),
    blank: |_, _| GroupDraft::default(),
    stored: |db, id| groups::draft_of(db, id).await?,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matrix_has_a_cell_for_each_action_of_each_area() {
        let typed = GroupDraft { permissions: vec!["teams:view".into()], ..Default::default() };
        let m = matrix(&typed, false);
        let rows = m.as_array().unwrap();
        assert_eq!(rows.len(), Area::ALL.len());
        assert_eq!(rows[0]["area"], "teams");
        assert_eq!(rows[0]["cells"][0]["checked"], true);
        assert_eq!(rows[0]["cells"][1]["checked"], false);
        let settings = rows.iter().find(|r| r["area"] == "settings").unwrap();
        assert!(settings["cells"][3].is_null(), "settings cannot be deleted");
        let all = matrix(&typed, true);
        assert!(all.as_array().unwrap().iter().all(|r| r["cells"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c.is_null() || c["checked"] == true)));
    }
}
