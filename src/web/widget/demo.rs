//! `/demo/site`: a small shop's home page with the widget of the `demo` channel, so the
//! web chat can be tried without a site of one's own.

use rocket::http::Status;
use rocket::{get, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use crate::db::{channels, Db};
use crate::domain::channel_kind::ChannelKind;
use crate::web::page::Page;

#[get("/demo/site")]
async fn demo_site(page: Page, db: &State<Db>) -> Result<Template, Status> {
    let found = db.read(|c| channels::channel_by_key(c, ChannelKind::WebChat, "demo")).await.map_err(|e| {
        tracing::error!(error = %e, "demo channel lookup failed");
        Status::InternalServerError
    })?;
    if !found.is_some_and(|c| c.active) {
        return Err(Status::NotFound);
    }
    Ok(page.render("demo/site.html", context! {}))
}

pub fn routes() -> Vec<Route> {
    routes![demo_site]
}
