//! "Relatórios" (`/reports`): the reports' home, listing the reports the user may see,
//! and each report's pages (`history`: "Histórico de Atendimentos", its exports and
//! transcripts). Files leave as downloads (`Download`), never cached.

mod history;

use rocket::http::{ContentType, Header};
use rocket::response::{self, Responder, Response};
use rocket::{get, routes, Request, Route};
use rocket_dyn_templates::{context, Template};

use super::guards::ReportViewer;
use super::page::Page;

/// A generated file, saved by the browser under `file_name` (ASCII, chosen by us).
pub struct Download {
    pub body: rocket::tokio::fs::File,
    pub content_type: &'static str,
    pub file_name: String,
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

/// The reports the user may see; for now "Histórico de Atendimentos", which every user
/// sees (of the conversations their history permission shows).
#[get("/reports")]
async fn home(page: Page, _viewer: ReportViewer) -> Template {
    page.render("reports/index.html", context! { reports: ["history"] })
}

pub fn routes() -> Vec<Route> {
    let mut all = routes![home];
    all.extend(history::routes());
    all
}
