//! "Grupos de usuários": named sets of permissions (area × action) that decide what an
//! administrator may view, create, edit or delete, and which administrators hold them.
//! The built-in "Administrador geral" holds everything, cannot be deleted and always
//! keeps at least one active member.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::{get, post, routes, Either, Route, State};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

use super::form::{done, Done};
use crate::accounts::{AccountError, FieldErrors};
use crate::db::groups::{self, Group};
use crate::db::paging::{Pager, PAGE_SIZE};
use crate::db::{audit, users, Db};
use crate::domain::fields;
use crate::domain::permissions::{Action, Area, Permission};
use crate::web::auth::field_errors;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Create, Delete, Edit, Groups, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

#[get("/admin/groups?<q>&<page_no>")]
async fn list(
    page: Page,
    _can: Can<Groups, View>,
    db: &State<Db>,
    q: Option<String>,
    page_no: Option<i64>,
) -> WebResult<Template> {
    let pager = Pager::new(page_no, q);
    let (search, offset) = (pager.q.clone(), pager.offset());
    let (rows, total) = db.read(move |c| groups::list_groups_page(c, &search, PAGE_SIZE, offset)).await?;
    Ok(page.render("admin/groups/list.html", context! { rows, pager: pager.with_total(total) }))
}

/// What the form shows: the values as typed or as stored.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
struct GroupForm {
    name: String,
    /// Repeated `area:action` codes of the ticked boxes.
    permissions: Vec<String>,
    /// Ids of the ticked administrators.
    members: Vec<String>,
}

/// A group as saved and as the audit log shows it.
#[derive(Debug, Clone, Serialize)]
struct GroupFields {
    name: String,
    permissions: Vec<String>,
    members: Vec<i64>,
}

/// The known permission codes among `values`, once each, in display order; anything
/// else is dropped.
fn permission_codes(values: &[String]) -> Vec<String> {
    let chosen: Vec<Permission> = values.iter().filter_map(|v| Permission::parse(v.trim())).collect();
    Permission::all().into_iter().filter(|p| chosen.contains(p)).map(Permission::code).collect()
}

/// Form parsing and validation, apart from the handlers.
fn validate(f: &GroupForm) -> Result<GroupFields, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = fields::text(&mut errors, "name", &f.name, 60);
    let mut members = Vec::new();
    for m in &f.members {
        match m.trim().parse::<i64>() {
            Ok(id) if !members.contains(&id) => members.push(id),
            Ok(_) => {}
            Err(_) => {
                errors.insert("members", "groups-members-unknown");
            }
        }
    }
    members.sort_unstable();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(GroupFields { name, permissions: permission_codes(&f.permissions), members })
}

fn stored_fields(conn: &rusqlite::Connection, group: &Group) -> crate::db::DbResult<GroupFields> {
    Ok(GroupFields {
        name: group.name.clone(),
        permissions: group.permissions.clone(),
        members: groups::member_ids(conn, group.id)?,
    })
}

fn typed_from(fields: &GroupFields) -> GroupForm {
    GroupForm {
        name: fields.name.clone(),
        permissions: fields.permissions.clone(),
        members: fields.members.iter().map(i64::to_string).collect(),
    }
}

/// The permission matrix: one row per area, one cell per action (`null` where the
/// area has no such action).
fn matrix(typed: &GroupForm, builtin: bool) -> serde_json::Value {
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

/// Everything the form page needs besides what was typed.
struct FormData {
    builtin: bool,
    member_count: i64,
    admins: Vec<users::User>,
}

async fn form_data(db: &Db, id: Option<i64>) -> WebResult<Option<FormData>> {
    Ok(db
        .read(move |c| {
            let admins = users::active_admins(c)?;
            match id {
                None => Ok(Some(FormData { builtin: false, member_count: 0, admins })),
                Some(id) => Ok(groups::group_by_id(c, id)?.map(|g| FormData {
                    builtin: g.builtin,
                    member_count: g.members,
                    admins,
                })),
            }
        })
        .await?)
}

fn form_page(
    page: &Page,
    id: Option<i64>,
    typed: &GroupForm,
    data: &FormData,
    errors: serde_json::Value,
    refusal: Option<&str>,
) -> Template {
    let admins: Vec<_> = data
        .admins
        .iter()
        .map(|u| {
            let checked = typed.members.iter().any(|m| m.trim() == u.id.to_string());
            serde_json::json!({ "id": u.id, "name": u.name, "username": u.username, "checked": checked })
        })
        .collect();
    page.render(
        "admin/groups/form.html",
        context! {
            id, typed, errors, refusal, admins,
            builtin: data.builtin,
            member_count: data.member_count,
            matrix: matrix(typed, data.builtin),
        },
    )
}

#[get("/admin/groups/new")]
async fn new_form(page: Page, _can: Can<Groups, Create>, db: &State<Db>) -> WebResult<Template> {
    let data = form_data(db, None).await?.ok_or(AccountError::NotFound)?;
    Ok(form_page(&page, None, &<GroupForm as Default>::default(), &data, serde_json::json!({}), None))
}

/// Checks that need the database: a free name, members who are active
/// administrators, and a member left in the built-in group.
fn check_stored(
    tx: &rusqlite::Transaction,
    fields: &GroupFields,
    id: Option<i64>,
    builtin: bool,
) -> crate::db::DbResult<FieldErrors> {
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

#[post("/admin/groups", data = "<form>")]
async fn create(
    page: Page,
    can: Can<Groups, Create>,
    htmx: Htmx,
    form: CsrfForm<GroupForm>,
    db: &State<Db>,
) -> WebResult<Result<Done, (Status, Template)>> {
    let typed = form.0;
    let data = form_data(db, None).await?.ok_or(AccountError::NotFound)?;
    let fields = match validate(&typed) {
        Ok(f) => f,
        Err(e) => {
            let errors = serde_json::to_value(e).unwrap_or_default();
            return Ok(Err((Status::UnprocessableEntity, form_page(&page, None, &typed, &data, errors, None))));
        }
    };
    let actor = can.actor();
    let saved = db
        .write(move |tx| {
            let errors = check_stored(tx, &fields, None, false)?;
            if !errors.is_empty() {
                return Ok(Err(AccountError::Invalid(errors)));
            }
            let id = groups::insert_group(tx, &fields.name, &fields.permissions)?;
            groups::set_admin_members(tx, id, &fields.members)?;
            audit::record_change(tx, &actor, "group.create", &format!("group:{id}"), None, Some(&fields))?;
            Ok(Ok(id))
        })
        .await?;
    match saved {
        Ok(_) => Ok(Ok(done(&htmx, "/admin/groups".into()))),
        Err(refusal) => {
            Ok(Err((Status::UnprocessableEntity, form_page(&page, None, &typed, &data, field_errors(&refusal), None))))
        }
    }
}

#[get("/admin/groups/<id>")]
async fn edit_form(page: Page, _can: Can<Groups, View>, id: i64, db: &State<Db>) -> WebResult<Template> {
    let stored = db
        .read(move |c| match groups::group_by_id(c, id)? {
            Some(g) => Ok(Some(stored_fields(c, &g)?)),
            None => Ok(None),
        })
        .await?
        .ok_or(AccountError::NotFound)?;
    let data = form_data(db, Some(id)).await?.ok_or(AccountError::NotFound)?;
    Ok(form_page(&page, Some(id), &typed_from(&stored), &data, serde_json::json!({}), None))
}

#[post("/admin/groups/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<Groups, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<GroupForm>,
    db: &State<Db>,
) -> WebResult<Result<Done, (Status, Template)>> {
    let typed = form.0;
    let data = form_data(db, Some(id)).await?.ok_or(AccountError::NotFound)?;
    let fields = match validate(&typed) {
        Ok(f) => f,
        Err(e) => {
            let errors = serde_json::to_value(e).unwrap_or_default();
            return Ok(Err((Status::UnprocessableEntity, form_page(&page, Some(id), &typed, &data, errors, None))));
        }
    };
    let actor = can.actor();
    let saved = db
        .write(move |tx| {
            let Some(group) = groups::group_by_id(tx, id)? else {
                return Ok(Err(AccountError::NotFound));
            };
            let errors = check_stored(tx, &fields, Some(id), group.builtin)?;
            if !errors.is_empty() {
                return Ok(Err(AccountError::Invalid(errors)));
            }
            let before = stored_fields(tx, &group)?;
            groups::update_group(tx, id, &fields.name, &fields.permissions)?;
            groups::set_admin_members(tx, id, &fields.members)?;
            let after = match groups::group_by_id(tx, id)? {
                Some(g) => stored_fields(tx, &g)?,
                None => fields,
            };
            audit::record_change(tx, &actor, "group.update", &format!("group:{id}"), Some(&before), Some(&after))?;
            Ok(Ok(()))
        })
        .await?;
    match saved {
        Ok(()) => Ok(Ok(done(&htmx, "/admin/groups".into()))),
        Err(AccountError::NotFound) => Err(AccountError::NotFound.into()),
        Err(refusal) => Ok(Err((
            Status::UnprocessableEntity,
            form_page(&page, Some(id), &typed, &data, field_errors(&refusal), None),
        ))),
    }
}

/// Deletes a group; its members simply lose its permissions. The built-in group is
/// refused (409 and the page with the reason).
#[post("/admin/groups/<id>/delete", data = "<_form>")]
async fn delete(
    page: Page,
    can: Can<Groups, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Either<Done, (Status, Template)>> {
    let actor = can.actor();
    let deleted = db
        .write(move |tx| {
            let Some(group) = groups::group_by_id(tx, id)? else {
                return Ok(Err(AccountError::NotFound));
            };
            let before = stored_fields(tx, &group)?;
            if group.builtin {
                return Ok(Ok(Some(before)));
            }
            groups::delete_group(tx, id)?;
            audit::record_change(tx, &actor, "group.delete", &format!("group:{id}"), Some(&before), None)?;
            Ok(Ok(None))
        })
        .await??;
    match deleted {
        None => Ok(Either::Left(done(&htmx, "/admin/groups".into()))),
        Some(kept) => {
            let data = form_data(db, Some(id)).await?.ok_or(AccountError::NotFound)?;
            let typed = typed_from(&kept);
            let template =
                form_page(&page, Some(id), &typed, &data, serde_json::json!({}), Some("groups-builtin-undeletable"));
            Ok(Either::Right((Status::Conflict, template)))
        }
    }
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, edit_form, update, delete]
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
        let bad = GroupForm { name: "  ".into(), permissions: vec![], members: vec!["x".into()] };
        let errors = validate(&bad).unwrap_err();
        assert_eq!(errors.get("name"), Some(&"field-required"));
        assert_eq!(errors.get("members"), Some(&"groups-members-unknown"));
        let ok =
            GroupForm { name: " Supervisores ".into(), permissions: vec![], members: vec!["3".into(), "3".into()] };
        let fields = validate(&ok).unwrap();
        assert_eq!(fields.name, "Supervisores");
        assert_eq!(fields.members, vec![3]);
    }

    #[test]
    fn the_matrix_has_a_cell_for_each_action_of_each_area() {
        let typed = GroupForm { permissions: vec!["teams:view".into()], ..Default::default() };
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
