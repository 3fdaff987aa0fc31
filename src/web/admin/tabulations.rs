//! "Tabulações": per team, the reasons an agent classifies a conversation with, each
//! with optional sub-reasons. One page per team shows the tree with inline forms (add a
//! reason, add a sub-reason, rename, (de)activate, delete); every save goes back to it.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

use super::form::{done, Done};
use crate::accounts::{AccountError, FieldErrors};
use crate::db::{audit, tabulations, teams, Db};
use crate::domain::fields;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Create, Delete, Edit, Tabulations, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

/// An inline form that was refused, shown again with what was typed and why.
#[derive(Debug, Clone, Default, Serialize)]
struct Failed {
    /// The form's element id: `tab-new`, `tab-sub-<reason>` or `tab-edit-<id>`.
    form: String,
    name: String,
    active: bool,
    /// Message key.
    error: &'static str,
}

/// The page of the tabulations: the team picker, and the chosen team's tree.
async fn tab_page(
    page: &Page,
    db: &Db,
    team_id: Option<i64>,
    failed: Failed,
    refusal: Option<&'static str>,
) -> WebResult<Template> {
    let (teams, chosen) = db
        .read(move |c| {
            let chosen = match team_id {
                Some(id) => match teams::team_by_id(c, id)? {
                    Some(team) => Some(Some((team, tabulations::tree_of_team(c, id)?))),
                    None => None,
                },
                None => Some(None),
            };
            Ok((tabulations::team_summaries(c)?, chosen))
        })
        .await?;
    let (team, tree) = chosen.ok_or(AccountError::NotFound)?.unzip();
    Ok(page.render("admin/tabulations/list.html", context! { teams, team, tree, failed, refusal }))
}

fn back_to(htmx: &Htmx, team_id: i64) -> Done {
    done(htmx, format!("/admin/tabulations?team={team_id}"))
}

#[get("/admin/tabulations?<team>")]
async fn list(page: Page, _can: Can<Tabulations, View>, db: &State<Db>, team: Option<i64>) -> WebResult<Template> {
    tab_page(&page, db, team, Failed::default(), None).await
}

#[derive(Debug, FromForm)]
struct NewTabulation {
    team_id: String,
    /// Empty for a reason; the reason's id for a sub-reason.
    parent_id: String,
    name: String,
}

/// Why a save did not happen.
enum Refused {
    NotFound,
    /// A message for the name field.
    Name(&'static str),
    /// A message for the whole page (a parent that is not a reason of the team).
    Page(&'static str),
}

#[post("/admin/tabulations", data = "<form>")]
async fn create(
    page: Page,
    can: Can<Tabulations, Create>,
    htmx: Htmx,
    form: CsrfForm<NewTabulation>,
    db: &State<Db>,
) -> WebResult<Result<Done, (Status, Template)>> {
    let typed = form.0;
    let team_id: i64 = typed.team_id.trim().parse().map_err(|_| AccountError::NotFound)?;
    let parent_id: Option<i64> = match typed.parent_id.trim() {
        "" => None,
        text => match text.parse() {
            Ok(id) => Some(id),
            Err(_) => {
                let template =
                    tab_page(&page, db, Some(team_id), Failed::default(), Some("tabulations-parent-invalid"));
                return Ok(Err((Status::UnprocessableEntity, template.await?)));
            }
        },
    };
    let mut errors = FieldErrors::new();
    let name = fields::text(&mut errors, "name", &typed.name, 60);
    let actor = can.actor();
    let checked_name = errors.get("name").copied();
    let saved = db
        .write(move |tx| {
            if teams::team_by_id(tx, team_id)?.is_none() {
                return Ok(Err(Refused::NotFound));
            }
            if let Some(parent_id) = parent_id {
                let parent = tabulations::tabulation_by_id(tx, parent_id)?;
                if !parent.is_some_and(|p| p.team_id == team_id && p.parent_id.is_none()) {
                    return Ok(Err(Refused::Page("tabulations-parent-invalid")));
                }
            }
            if let Some(key) = checked_name {
                return Ok(Err(Refused::Name(key)));
            }
            if tabulations::name_taken(tx, team_id, parent_id, &name, None)? {
                return Ok(Err(Refused::Name("name-taken")));
            }
            let id = tabulations::insert_tabulation(tx, team_id, parent_id, &name)?;
            let after = tabulations::tabulation_by_id(tx, id)?;
            audit::record_change(tx, &actor, "tabulation.create", &format!("tabulation:{id}"), None, Some(&after))?;
            Ok(Ok(()))
        })
        .await?;
    let form_id = match parent_id {
        Some(p) => format!("tab-sub-{p}"),
        None => "tab-new".to_string(),
    };
    let (failed, refusal) = match saved {
        Ok(()) => return Ok(Ok(back_to(&htmx, team_id))),
        Err(Refused::NotFound) => return Err(AccountError::NotFound.into()),
        Err(Refused::Name(error)) => (Failed { form: form_id, name: typed.name, active: true, error }, None),
        Err(Refused::Page(key)) => (Failed::default(), Some(key)),
    };
    let template = tab_page(&page, db, Some(team_id), failed, refusal).await?;
    Ok(Err((Status::UnprocessableEntity, template)))
}

#[derive(Debug, FromForm)]
struct EditTabulation {
    name: String,
    active: bool,
}

#[post("/admin/tabulations/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<Tabulations, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<EditTabulation>,
    db: &State<Db>,
) -> WebResult<Result<Done, (Status, Template)>> {
    let typed = form.0;
    let current = db.read(move |c| tabulations::tabulation_by_id(c, id)).await?.ok_or(AccountError::NotFound)?;
    let team_id = current.team_id;
    let mut errors = FieldErrors::new();
    let name = fields::text(&mut errors, "name", &typed.name, 60);
    let checked_name = errors.get("name").copied();
    let (actor, active) = (can.actor(), typed.active);
    let saved = db
        .write(move |tx| {
            let Some(before) = tabulations::tabulation_by_id(tx, id)? else {
                return Ok(Err(Refused::NotFound));
            };
            if let Some(key) = checked_name {
                return Ok(Err(Refused::Name(key)));
            }
            if tabulations::name_taken(tx, before.team_id, before.parent_id, &name, Some(id))? {
                return Ok(Err(Refused::Name("name-taken")));
            }
            tabulations::update_tabulation(tx, id, &name, active)?;
            let after = tabulations::tabulation_by_id(tx, id)?;
            let target = format!("tabulation:{id}");
            audit::record_change(tx, &actor, "tabulation.update", &target, Some(&before), Some(&after))?;
            Ok(Ok(()))
        })
        .await?;
    let (failed, refusal) = match saved {
        Ok(()) => return Ok(Ok(back_to(&htmx, team_id))),
        Err(Refused::NotFound) => return Err(AccountError::NotFound.into()),
        Err(Refused::Name(error)) => {
            (Failed { form: format!("tab-edit-{id}"), name: typed.name, active: typed.active, error }, None)
        }
        Err(Refused::Page(key)) => (Failed::default(), Some(key)),
    };
    let template = tab_page(&page, db, Some(team_id), failed, refusal).await?;
    Ok(Err((Status::UnprocessableEntity, template)))
}

#[post("/admin/tabulations/<id>/delete", data = "<_form>")]
async fn delete(
    can: Can<Tabulations, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Done> {
    let actor = can.actor();
    let team_id = db
        .write(move |tx| {
            let Some(item) = tabulations::tabulation_by_id(tx, id)? else {
                return Ok(Err(AccountError::NotFound));
            };
            // A reason is recorded with the sub-reasons deleted along with it.
            let before = tabulations::reason_with_subs(tx, &item)?;
            // Classifications already given stay for the reports: deactivate instead.
            let used: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM conversation_tabulations ct JOIN tabulations t ON t.id = ct.tabulation_id
                                WHERE t.id = ?1 OR t.parent_id = ?1)",
                [id],
                |r| r.get(0),
            )?;
            if used {
                tx.execute("UPDATE tabulations SET active = 0 WHERE id = ?1 OR parent_id = ?1", [id])?;
                audit::record_change(
                    tx,
                    &actor,
                    "tabulation.deactivate",
                    &format!("tabulation:{id}"),
                    Some(&before),
                    None,
                )?;
            } else {
                tabulations::delete_tabulation(tx, id)?;
                audit::record_change(
                    tx,
                    &actor,
                    "tabulation.delete",
                    &format!("tabulation:{id}"),
                    Some(&before),
                    None,
                )?;
            }
            Ok(Ok(item.team_id))
        })
        .await??;
    Ok(back_to(&htmx, team_id))
}

pub fn routes() -> Vec<Route> {
    routes![list, create, update, delete]
}
