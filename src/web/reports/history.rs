//! "Histórico de Atendimentos" (seed 004: Menu » Relatórios » Histórico): the closed
//! conversations of a period, filtered and sorted, a page at a time; the same list as
//! XLSX or CSV; each row's transcript as a page and as PDF. What a user sees is the
//! report's scope (`ReportViewer`), on every route alike.

use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{get, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::{exported, BytesDownload, Exported};
use crate::config::Config;
use crate::db::reports::history::SortKey;
use crate::db::Db;
use crate::reports::criteria::HistoryQuery;
use crate::reports::export::SheetKind;
use crate::reports::export_jobs::{request_history_export, ExportQueue, HistoryExport, Requested};
use crate::reports::history::history_page;
use crate::reports::transcript::{transcript, transcript_pdf};
use crate::web::errors::WebResult;
use crate::web::guards::ReportViewer;
use crate::web::page::Page;
use crate::web::query_string;

/// The report's page; 422 with the field errors when the filters are refused.
async fn render(
    page: &Page,
    db: &Db,
    viewer: &ReportViewer,
    filter: HistoryQuery,
    page_no: Option<i64>,
) -> WebResult<(Status, Template)> {
    let report = history_page(db, viewer.scope(), filter, page_no).await?;
    let status = if report.errors.is_empty() { Status::Ok } else { Status::UnprocessableEntity };
    let pairs = report.filter.pairs();
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let query = query_string(&pairs);
    let sort = format!("sort={}&dir={}", report.order.key.code(), if report.order.descending { "desc" } else { "asc" });
    let columns: Vec<&str> = SortKey::ALL.iter().map(|k| k.code()).collect();
    Ok((status, page.render("reports/history.html", context! { report, query, sort, columns })))
}

#[get("/reports/history?<page_no>&<filter..>")]
async fn list(
    page: Page,
    viewer: ReportViewer,
    db: &State<Db>,
    filter: HistoryQuery,
    page_no: Option<i64>,
) -> WebResult<(Status, Template)> {
    render(&page, db, &viewer, filter, page_no).await
}

/// The filtered list as a spreadsheet (`xlsx` or `csv`), audited; past the configured
/// rows a job for "Exportações" instead. Refused filters answer with the page and its errors.
#[get("/reports/history/export/<kind>?<filter..>")]
async fn export(
    page: Page,
    viewer: ReportViewer,
    db: &State<Db>,
    config: &State<Config>,
    queue: &State<ExportQueue>,
    kind: &str,
    filter: HistoryQuery,
) -> WebResult<Option<Exported>> {
    let Some(kind) = SheetKind::parse(kind) else { return Ok(None) };
    let (scope, actor) = (viewer.scope(), viewer.who.actor());
    let asked = HistoryExport { scope, query: filter.clone(), kind, lang: page.lang, actor };
    let done = match request_history_export(db, queue, config.export_background_rows, asked).await? {
        Requested::Now(export) => Ok(Ok(export)),
        Requested::Queued => return Ok(Some(Exported::Later(Redirect::to("/reports/exports")))),
        Requested::Busy => return Ok(Some(Exported::Later(Redirect::to("/reports/exports?busy=1")))),
        Requested::Refused(errors) => Ok(Err(errors)),
    };
    exported(done, || render(&page, db, &viewer, filter, None)).await.map(Some)
}

/// A closed conversation of the report: the transcript page, with its PDF.
#[get("/reports/history/<id>")]
async fn show(page: Page, viewer: ReportViewer, db: &State<Db>, id: i64) -> WebResult<Option<Template>> {
    let found = transcript(db, viewer.scope(), id).await?;
    Ok(found.map(|t| page.render("contacts/transcript.html", t)))
}

#[get("/reports/history/pdf/<id>")]
async fn pdf(page: Page, viewer: ReportViewer, db: &State<Db>, id: i64) -> WebResult<Option<BytesDownload>> {
    let found = transcript_pdf(db, viewer.scope(), id, page.lang).await?;
    Ok(found.map(|(protocol, body)| BytesDownload {
        body,
        content_type: "application/pdf",
        file_name: format!("{protocol}.pdf"),
    }))
}

pub fn routes() -> Vec<Route> {
    routes![list, export, show, pdf]
}
