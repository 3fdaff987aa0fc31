//! "Motivos de contato" (F-RE-2): the page (table and chart, each line a drill-down
//! into the history) and its table as XLSX or CSV; granted by its own permission.

use rocket::http::Status;
use rocket::{get, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::{exported, status_of, Exported};
use crate::db::reports::Scope;
use crate::db::Db;
use crate::reports::export::{export_table, SheetKind, TableExport};
use crate::reports::period::PeriodQuery;
use crate::reports::reasons::{reasons_page, reasons_table};
use crate::web::errors::WebResult;
use crate::web::guards::{perm, Can, ReportViewer};
use crate::web::page::Page;

type Viewer = Can<perm::ReasonsReport, perm::View>;

async fn render(page: &Page, db: &Db, scope: Scope, filter: PeriodQuery) -> WebResult<(Status, Template)> {
    let report = reasons_page(db, scope, filter, page.lang).await?;
    let query = super::pairs_query(&report.filter.pairs());
    Ok((status_of(&report.errors), page.render("reports/reasons.html", context! { report, query })))
}

/// Granted by its own permission; it counts what the viewer's history shows.
#[get("/reports/reasons?<filter..>")]
async fn show(
    page: Page,
    _granted: Viewer,
    viewer: ReportViewer,
    db: &State<Db>,
    filter: PeriodQuery,
) -> WebResult<(Status, Template)> {
    render(&page, db, viewer.scope(), filter).await
}

#[get("/reports/reasons/export/<kind>?<filter..>")]
async fn export(
    page: Page,
    granted: Viewer,
    viewer: ReportViewer,
    db: &State<Db>,
    kind: &str,
    filter: PeriodQuery,
) -> WebResult<Option<Exported>> {
    let Some(kind) = SheetKind::parse(kind) else { return Ok(None) };
    let (lang, query, scope) = (page.lang, filter.clone(), viewer.scope());
    let how = TableExport { kind, lang, actor: granted.actor(), report: "reasons", filters: filter.pairs() };
    let done = export_table(db, how, move |conn| reasons_table(conn, scope, &query, lang)).await;
    exported(done, || render(&page, db, scope, filter)).await.map(Some)
}

pub fn routes() -> Vec<Route> {
    routes![show, export]
}
