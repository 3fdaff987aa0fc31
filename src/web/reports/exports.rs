//! "Exportações" (`/reports/exports`): the user's own long exports of the history with
//! their progress, a ready one's download, a failed one's reason. Each user sees and
//! downloads only their own; anyone else's is a 404.

use rocket::{get, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::Download;
use crate::db::Db;
use crate::reports::export_jobs::{exports_of, ready_export};
use crate::web::errors::WebResult;
use crate::web::guards::ReportViewer;
use crate::web::page::Page;

#[get("/reports/exports?<busy>")]
async fn list(page: Page, viewer: ReportViewer, db: &State<Db>, busy: Option<&str>) -> WebResult<Template> {
    let jobs = exports_of(db, viewer.who.user.id).await?;
    let pending = jobs.iter().any(|j| j.status == "queued" || j.status == "running");
    Ok(page.render("reports/exports.html", context! { jobs, pending, busy: busy.is_some() }))
}

/// The list alone, which the page fetches again while an export is pending.
#[get("/reports/exports/list")]
async fn fragment(page: Page, viewer: ReportViewer, db: &State<Db>) -> WebResult<Template> {
    let jobs = exports_of(db, viewer.who.user.id).await?;
    let pending = jobs.iter().any(|j| j.status == "queued" || j.status == "running");
    Ok(page.render("reports/_export_jobs.html", context! { jobs, pending }))
}

#[get("/reports/exports/<id>/download")]
async fn download(viewer: ReportViewer, db: &State<Db>, id: i64) -> WebResult<Option<Download>> {
    Ok(ready_export(db, viewer.who.user.id, id).await?.map(Download::of))
}

pub fn routes() -> Vec<Route> {
    routes![list, fragment, download]
}
