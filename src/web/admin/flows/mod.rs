//! "Fluxos": the list of flows, a new flow, and the flow's page — its diagram, the
//! forms of its blocks (editor), "Publicar" and the versions (versions), and the
//! simulator (simulator). Every route takes `Can<Flows, …>`; every form carries the
//! CSRF token.

mod editor;
mod simulator;
mod versions;
mod view;

use rocket::form::FromForm;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

use super::form::{answer_to, Saved};
use crate::catalog::flows as catalog;
use crate::db::{flows, Db};
use crate::web::csrf::CsrfForm;
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Create, Flows, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

#[derive(Serialize)]
struct Listed {
    summary: flows::FlowSummary,
    channels: Vec<String>,
}

#[get("/admin/flows")]
async fn list(page: Page, _can: Can<Flows, View>, db: &State<Db>) -> WebResult<Template> {
    let (rows, mut channels) = db.read(|c| Ok((flows::list_flows(c)?, flows::channels_by_flow(c)?))).await?;
    let rows: Vec<Listed> =
        rows.into_iter().map(|s| Listed { channels: channels.remove(&s.id).unwrap_or_default(), summary: s }).collect();
    Ok(page.render("admin/flows/list.html", context! { rows }))
}

#[derive(Debug, Default, FromForm, Serialize)]
struct NewFlow {
    name: String,
}

fn new_page(page: &Page, typed: &NewFlow, errors: serde_json::Value) -> Template {
    page.render("admin/flows/new.html", context! { typed, errors })
}

#[get("/admin/flows/new")]
async fn new_form(page: Page, _can: Can<Flows, Create>) -> Template {
    new_page(&page, &<NewFlow as Default>::default(), serde_json::json!({}))
}

/// A new flow starts from a greeting and opens on its page.
#[post("/admin/flows", data = "<form>")]
async fn create(page: Page, can: Can<Flows, Create>, htmx: Htmx, form: CsrfForm<NewFlow>, db: &State<Db>) -> Saved {
    let greeting = page.t("flows-starter-greeting");
    let saved = catalog::create(db, &can.actor(), &form.0.name, &greeting).await;
    let again = |errors| async { Ok(new_page(&page, &form.0, errors)) };
    answer_to(saved, &htmx, |id| format!("/admin/flows/{id}"), again).await
}

pub fn routes() -> Vec<Route> {
    let mut all = routes![list, new_form, create];
    all.extend(editor::routes());
    all.extend(versions::routes());
    all.extend(simulator::routes());
    all
}
