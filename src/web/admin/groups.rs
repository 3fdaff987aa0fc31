//! "Grupos de usuários": named sets of permissions (area × action) that decide what an
//! administrator may view, create, edit or delete, and which administrators hold them.
//! The built-in "Administrador geral" holds everything, cannot be deleted and always
//! keeps at least one active member. The use cases are in `catalog::groups`.

use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{answer, answer_delete, Saved};
use super::list::list_page;
use crate::catalog::groups::{self, permission_codes, GroupDraft};
use crate::catalog::CatalogError;
use crate::db::{groups as stored, users, Db};
use crate::domain::permissions::{Action, Area, Permission};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Create, Delete, Edit, Groups, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

const LIST: &str = "/admin/groups";

#[get("/admin/groups?<q>&<page_no>")]
async fn list(
    page: Page,
    _can: Can<Groups, View>,
    db: &State<Db>,
    q: Option<String>,
    page_no: Option<i64>,
) -> WebResult<Template> {
    list_page(&page, db, "admin/groups/list.html", q, page_no, stored::list_groups_page, ()).await
}

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

/// The form page, new (`id` `None`) or edit; `NotFound` when the group is gone.
/// `refusal` is a message shown above the form (a refused deletion).
async fn page_of(
    page: &Page,
    db: &Db,
    id: Option<i64>,
    typed: &GroupDraft,
    errors: serde_json::Value,
    refusal: Option<&str>,
) -> WebResult<Template> {
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
            let checked = typed.members.iter().any(|m| m.trim() == u.id.to_string());
            serde_json::json!({ "id": u.id, "name": u.name, "username": u.username, "checked": checked })
        })
        .collect();
    let context = context! {
        id, typed, errors, refusal, admins,
        builtin: data.builtin,
        member_count: data.member_count,
        matrix: matrix(typed, data.builtin),
    };
    Ok(page.render("admin/groups/form.html", context))
}

#[get("/admin/groups/new")]
async fn new_form(page: Page, _can: Can<Groups, Create>, db: &State<Db>) -> WebResult<Template> {
    page_of(&page, db, None, &GroupDraft::default(), serde_json::json!({}), None).await
}

/// The form of a saved group as stored, with `refusal` above it.
async fn stored_page(page: &Page, db: &Db, id: i64, refusal: Option<&'static str>) -> WebResult<Template> {
    let typed = groups::draft_of(db, id).await?;
    page_of(page, db, Some(id), &typed, serde_json::json!({}), refusal).await
}

#[get("/admin/groups/<id>")]
async fn edit_form(page: Page, _can: Can<Groups, View>, id: i64, db: &State<Db>) -> WebResult<Template> {
    stored_page(&page, db, id, None).await
}

#[post("/admin/groups", data = "<form>")]
async fn create(page: Page, can: Can<Groups, Create>, htmx: Htmx, form: CsrfForm<GroupDraft>, db: &State<Db>) -> Saved {
    let saved = groups::save(db, &can.actor(), None, &form.0).await;
    answer(saved, &htmx, LIST, |errors| page_of(&page, db, None, &form.0, errors, None)).await
}

#[post("/admin/groups/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<Groups, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<GroupDraft>,
    db: &State<Db>,
) -> Saved {
    let saved = groups::save(db, &can.actor(), Some(id), &form.0).await;
    answer(saved, &htmx, LIST, |errors| page_of(&page, db, Some(id), &form.0, errors, None)).await
}

/// Deletes a group; the built-in group is refused (409 and its page with the reason).
#[post("/admin/groups/<id>/delete", data = "<_form>")]
async fn delete(
    page: Page,
    can: Can<Groups, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> Saved {
    let deleted = groups::delete(db, &can.actor(), id).await;
    answer_delete(deleted, &htmx, LIST, |reason| stored_page(&page, db, id, Some(reason))).await
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, edit_form, update, delete]
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
