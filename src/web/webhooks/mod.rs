//! Where outside services call Atende (webhooks): one module per channel kind. They
//! are signed by the service, not by a session, so CSRF does not apply.

pub mod whatsapp;

use rocket::http::Status;
use rocket::{catch, catchers, Catcher, Request, Route};

pub fn routes() -> Vec<Route> {
    whatsapp::routes()
}

/// A refusal is the status alone: the caller is a service, not a browser to send to a
/// sign-in page or an error page.
#[catch(default)]
fn status_only(status: Status, _: &Request) -> String {
    status.reason().unwrap_or_default().to_string()
}

pub fn catchers() -> Vec<Catcher> {
    catchers![status_only]
}
