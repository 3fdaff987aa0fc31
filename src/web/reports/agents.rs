//! "Agentes" (F-RE-3): the page (table, sortable by its columns, and a chart whose bars
//! open each agent's history) and its table as XLSX or CSV; granted by its own area.

use rocket::http::Status;
use rocket::{get, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::{exported, status_of, Exported};
use crate::db::reports::Scope;
use crate::db::Db;
use crate::reports::agents::{agents_page, agents_table, Sort};
use crate::reports::export::{export_table, SheetKind, TableExport};
use crate::reports::period::PeriodQuery;
use crate::web::errors::WebResult;
use crate::web::guards::{perm, Can, ReportViewer};
use crate::web::page::Page;

type Viewer = Can<perm::AgentsReport, perm::View>;

async fn render(page: &Page, db: &Db, scope: Scope, filter: PeriodQuery, sort: Sort) -> WebResult<(Status, Template)> {
    let report = agents_page(db, scope, filter, sort, page.lang).await?;
    let query = super::pairs_query(&report.filter.pairs());
    Ok((status_of(&report.errors), page.render("reports/agents.html", context! { report, query })))
}

#[get("/reports/agents?<sort>&<dir>&<filter..>")]
async fn show(
    page: Page,
    _granted: Viewer,
    viewer: ReportViewer,
    db: &State<Db>,
    filter: PeriodQuery,
    sort: Option<&str>,
    dir: Option<&str>,
) -> WebResult<(Status, Template)> {
    render(&page, db, viewer.scope(), filter, Sort::parse(sort, dir)).await
}

#[get("/reports/agents/export/<kind>?<sort>&<dir>&<filter..>")]
#[allow(clippy::too_many_arguments)]
async fn export(
    page: Page,
    granted: Viewer,
    viewer: ReportViewer,
    db: &State<Db>,
    kind: &str,
    filter: PeriodQuery,
    sort: Option<&str>,
    dir: Option<&str>,
) -> WebResult<Option<Exported>> {
    let Some(kind) = SheetKind::parse(kind) else { return Ok(None) };
    let (lang, query, scope, order) = (page.lang, filter.clone(), viewer.scope(), Sort::parse(sort, dir));
    let how = TableExport { kind, lang, actor: granted.actor(), report: "agents", filters: filter.pairs() };
    let table_order = order.clone();
    let done = export_table(db, how, move |conn| agents_table(conn, scope, &query, &table_order, lang)).await;
    exported(done, || render(&page, db, scope, filter, order)).await.map(Some)
}

pub fn routes() -> Vec<Route> {
    routes![show, export]
}
