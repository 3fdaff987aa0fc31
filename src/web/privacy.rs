//! A contact's data on request (LGPD), for administrators: the export of everything
//! stored about the contact as JSON and as PDF, and "Anonimizar contato" (confirmed,
//! CSRF).

use rocket::response::Redirect;
use rocket::{get, post, routes, Route, State};

use super::csrf::{CsrfForm, NoFields};
use super::errors::WebResult;
use super::guards::Admin;
use super::page::Page;
use super::reports::BytesDownload;
use crate::db::Db;
use crate::engine::{privacy, EngineError};

#[get("/agent/contacts/<id>/data.json")]
async fn export(admin: Admin, id: i64, db: &State<Db>) -> WebResult<BytesDownload> {
    let data = privacy::export(db, &admin.0.actor(), id, "json").await?;
    let body = serde_json::to_vec_pretty(&data).unwrap_or_default();
    Ok(BytesDownload { body, content_type: "application/json", file_name: format!("contato-{id}.json") })
}

#[get("/agent/contacts/<id>/data.pdf")]
async fn export_pdf(page: Page, admin: Admin, id: i64, db: &State<Db>) -> WebResult<BytesDownload> {
    let body = crate::reports::contact_pdf::contact_pdf(db, &admin.0.actor(), id, page.lang).await?;
    Ok(BytesDownload { body, content_type: "application/pdf", file_name: format!("contato-{id}.pdf") })
}

/// Anonymises after the confirmation box was ticked; back on the contact's page with
/// the outcome (or the reason it was refused).
#[post("/agent/contacts/<id>/anonymise", data = "<form>")]
async fn anonymise(admin: Admin, form: CsrfForm<NoFields>, id: i64, db: &State<Db>) -> WebResult<Redirect> {
    if form.0.confirm.as_deref() != Some("yes") {
        return Ok(Redirect::to(format!("/agent/contacts/{id}?privacy=confirm")));
    }
    match privacy::anonymise(db, &admin.0.actor(), id).await {
        Ok(_) => Ok(Redirect::to(format!("/agent/contacts/{id}?privacy=anonymised"))),
        Err(EngineError::Invalid(_)) => Ok(Redirect::to(format!("/agent/contacts/{id}?privacy=open"))),
        Err(e) => Err(e.into()),
    }
}

pub fn routes() -> Vec<Route> {
    routes![export, export_pdf, anonymise]
}
