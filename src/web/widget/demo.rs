//! `/demo/site`: a small shop's home page with the widget of the `demo` channel, so the
//! web chat can be tried without a site of one's own; under `atende demo` it links to
//! the customer's phone (/demo/phone) for the other channels.

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{get, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use crate::db::{channels, Db};
use crate::domain::channel_kind::ChannelKind;
use crate::web::page::Page;

/// Whether the customer's phone is mounted (only under `atende demo`).
struct PhoneMounted(bool);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for PhoneMounted {
    type Error = std::convert::Infallible;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(PhoneMounted(req.rocket().state::<crate::demo::Phone>().is_some()))
    }
}

#[get("/demo/site")]
async fn demo_site(page: Page, db: &State<Db>, phone: PhoneMounted) -> Result<Template, Status> {
    let found = db.read(|c| channels::channel_by_key(c, ChannelKind::WebChat, "demo")).await.map_err(|e| {
        tracing::error!(error = %e, "demo channel lookup failed");
        Status::InternalServerError
    })?;
    if !found.is_some_and(|c| c.active) {
        return Err(Status::NotFound);
    }
    Ok(page.render("demo/site.html", context! { phone: phone.0 }))
}

pub fn routes() -> Vec<Route> {
    routes![demo_site]
}
