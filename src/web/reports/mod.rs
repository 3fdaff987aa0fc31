//! "Relatórios" (`/reports`): the reports' home, listing the reports the user may see,
//! and each report's pages (`history`: "Histórico de Atendimentos", its exports and
//! transcripts). Files leave as downloads (`Download`), never cached.

mod agents;
mod exports;
mod history;
mod protocol;
mod reasons;
mod service_level;

use rocket::http::{ContentType, Header, Status};
use rocket::response::{self, Responder, Response};
use rocket::{get, routes, Request, Route};
use rocket_dyn_templates::{context, Template};

use super::errors::WebResult;
use super::guards::ReportViewer;
use super::page::Page;
use crate::db::DbError;
use crate::reports::criteria::FieldErrors;
use crate::reports::export::Export;

/// A generated file, saved by the browser under `file_name` (ASCII, chosen by us).
pub struct Download {
    pub body: rocket::tokio::fs::File,
    pub content_type: &'static str,
    pub file_name: String,
}

impl Download {
    pub fn of(export: Export) -> Download {
        Download {
            body: rocket::tokio::fs::File::from_std(export.file),
            content_type: export.kind.content_type(),
            file_name: export.file_name,
        }
    }
}

/// A file held in memory (a PDF), saved the same way.
pub struct BytesDownload {
    pub body: Vec<u8>,
    pub content_type: &'static str,
    pub file_name: String,
}

fn download_headers<'r>(content_type: &str, file_name: &str) -> response::Builder<'r> {
    let mut response = Response::build();
    response
        .header(ContentType::parse_flexible(content_type).unwrap_or(ContentType::Binary))
        .header(Header::new("Content-Disposition", format!("attachment; filename=\"{file_name}\"")))
        .header(Header::new("X-Content-Type-Options", "nosniff"))
        .header(Header::new("Cache-Control", "private, no-store"));
    response
}

impl<'r> Responder<'r, 'static> for Download {
    fn respond_to(self, _req: &'r Request<'_>) -> response::Result<'static> {
        download_headers(self.content_type, &self.file_name).sized_body(None, self.body).ok()
    }
}

impl<'r> Responder<'r, 'static> for BytesDownload {
    fn respond_to(self, _req: &'r Request<'_>) -> response::Result<'static> {
        let body = std::io::Cursor::new(self.body);
        download_headers(self.content_type, &self.file_name).sized_body(None, body).ok()
    }
}

/// A spreadsheet, or the report's page again with what is wrong with its filters.
#[derive(rocket::Responder)]
pub enum Exported {
    File(Download),
    Refused((Status, Template)),
    /// Built in the background: to "Exportações".
    Later(rocket::response::Redirect),
}

/// 422 when the filters were refused (the page shows why), else 200.
fn status_of(errors: &FieldErrors) -> Status {
    if errors.is_empty() {
        Status::Ok
    } else {
        Status::UnprocessableEntity
    }
}

/// Filters as a query string for the page's links (exports, drill-downs).
fn pairs_query(pairs: &[(&'static str, String)]) -> String {
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    super::query_string(&pairs)
}

/// The answer to an export: the file, or the page `refused` renders.
async fn exported<F: std::future::Future<Output = WebResult<(Status, Template)>>>(
    done: Result<Result<Export, FieldErrors>, DbError>,
    refused: impl FnOnce() -> F,
) -> WebResult<Exported> {
    match done? {
        Ok(done) => Ok(Exported::File(Download::of(done))),
        Err(_) => Ok(Exported::Refused(refused().await?)),
    }
}

/// The reports the user may open: "Histórico de Atendimentos", which every user sees
/// (of the conversations their history permission shows), and those their groups grant.
#[get("/reports")]
async fn home(page: Page, viewer: ReportViewer) -> Template {
    page.render("reports/index.html", context! { reports: viewer.reports() })
}

pub fn routes() -> Vec<Route> {
    let mut all = routes![home];
    all.extend(history::routes());
    all.extend(exports::routes());
    all.extend(reasons::routes());
    all.extend(protocol::routes());
    all.extend(agents::routes());
    all.extend(service_level::routes());
    all
}
