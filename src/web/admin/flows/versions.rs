//! "Publicar" (refused with each problem on its block), the versions of a flow with
//! what changed from the one before in words, a version read-only, and "Restaurar
//! como rascunho".

use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

use super::view::{self, words, Panel, Said};
use crate::catalog::flows::{self as catalog, PublishError};
use crate::catalog::CatalogError;
use crate::db::{flows, Db};
use crate::domain::flow::diff;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Edit, Flows, View};
use crate::web::guards::Can;
use crate::web::page::Page;

/// Publishes the draft; a draft with problems stays as it is and the page shows them
/// on their blocks (422).
#[post("/admin/flows/<id>/publish", data = "<_form>")]
async fn publish(
    page: Page,
    can: Can<Flows, Edit>,
    db: &State<Db>,
    id: i64,
    _form: CsrfForm<NoFields>,
) -> WebResult<(Status, Template)> {
    let settings = Panel::Settings { typed: None };
    match catalog::publish(db, &can.actor(), id).await {
        Ok(number) => {
            let notice = Some(words(page.lang, "flows-published", vec![("number", number.to_string())]));
            Ok((Status::Ok, view::render(&page, db, id, settings, Said { notice, ..Said::default() }).await?))
        }
        Err(PublishError::Problems(problems)) => {
            let notice = Some(words(page.lang, "flows-publish-refused", vec![("count", problems.len().to_string())]));
            let said = Said { notice, alert: true, ..Said::default() };
            Ok((Status::UnprocessableEntity, view::render(&page, db, id, settings, said).await?))
        }
        Err(PublishError::Catalog(e)) => Err(e.into()),
    }
}

#[derive(Serialize)]
struct VersionLine {
    id: i64,
    number: i64,
    published_at: i64,
    by: Option<String>,
    changes: Vec<String>,
}

#[get("/admin/flows/<id>/versions")]
async fn versions(page: Page, _can: Can<Flows, View>, db: &State<Db>, id: i64) -> WebResult<Template> {
    let flow = db.read(move |c| flows::flow_by_id(c, id)).await?.ok_or(CatalogError::NotFound)?;
    let rows = db.read(move |c| flows::history_of(c, id)).await?;
    let lines: Vec<VersionLine> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let v = &row.version;
            let changes = match rows.get(i + 1) {
                Some(before) => diff::diff(&before.version.definition, &v.definition)
                    .iter()
                    .map(|c| words(page.lang, c.key(), c.args()))
                    .collect(),
                None => vec![words(page.lang, "flows-first-version", vec![])],
            };
            let by = row.published_by_name.clone();
            VersionLine { id: v.id, number: v.number, published_at: v.published_at, by, changes }
        })
        .collect();
    Ok(page.render("admin/flows/versions.html", context! { flow, lines }))
}

/// "Ver": a version's diagram, read-only.
#[get("/admin/flows/<id>/versions/<version>")]
async fn version(page: Page, _can: Can<Flows, View>, db: &State<Db>, id: i64, version: i64) -> WebResult<Template> {
    let flow = db.read(move |c| flows::flow_by_id(c, id)).await?.ok_or(CatalogError::NotFound)?;
    let v = db.read(move |c| flows::version_by_id(c, version)).await?.filter(|v| v.flow_id == id);
    let v = v.ok_or(CatalogError::NotFound)?;
    let diagram = view::diagram(&v.definition, &[]);
    let on_block: std::collections::HashMap<&str, Vec<String>> =
        v.definition.blocks.iter().map(|b| (b.id.as_str(), vec![])).collect();
    let link = false;
    Ok(page.render("admin/flows/version.html", context! { flow, version: &v, diagram, on_block, link, selected: "" }))
}

/// "Restaurar como rascunho": the version becomes the draft; back to the flow's page.
#[post("/admin/flows/<id>/versions/<version>/restore", data = "<_form>")]
async fn restore(
    can: Can<Flows, Edit>,
    db: &State<Db>,
    id: i64,
    version: i64,
    _form: CsrfForm<NoFields>,
) -> WebResult<Redirect> {
    let owner = db.read(move |c| flows::version_by_id(c, version)).await?.map(|v| v.flow_id);
    if owner != Some(id) {
        return Err(CatalogError::NotFound.into());
    }
    catalog::restore(db, &can.actor(), version).await?;
    Ok(Redirect::to(format!("/admin/flows/{id}?panel=settings")))
}

pub fn routes() -> Vec<Route> {
    routes![publish, versions, version, restore]
}
