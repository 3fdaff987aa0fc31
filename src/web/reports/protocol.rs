//! "Histórico por protocolo" (F-RE-6): search a protocol, see its demand's
//! conversations in time order with their transcripts, and download it as one PDF;
//! granted by its own permission.

use rocket::{get, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::BytesDownload;
use crate::db::Db;
use crate::reports::protocol::{protocol_history, protocol_pdf};
use crate::web::errors::WebResult;
use crate::web::guards::{perm, Can};
use crate::web::page::Page;

type Viewer = Can<perm::ProtocolReport, perm::View>;

#[get("/reports/protocol?<protocol>")]
async fn show(page: Page, viewer: Viewer, db: &State<Db>, protocol: Option<&str>) -> WebResult<Template> {
    let history = protocol_history(db, viewer.who.user.id, protocol).await?;
    Ok(page.render("reports/protocol.html", context! { history }))
}

/// The demand as one PDF, audited; 404 for a protocol that names no conversation.
#[get("/reports/protocol/pdf?<protocol>")]
async fn pdf(page: Page, viewer: Viewer, db: &State<Db>, protocol: &str) -> WebResult<Option<BytesDownload>> {
    let found = protocol_pdf(db, &viewer.actor(), protocol, page.lang).await?;
    Ok(found.map(|body| BytesDownload {
        body,
        content_type: "application/pdf",
        file_name: format!("historico-{}.pdf", protocol.trim().to_ascii_uppercase()),
    }))
}

pub fn routes() -> Vec<Route> {
    routes![show, pdf]
}
