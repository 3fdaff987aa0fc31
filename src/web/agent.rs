//! The agent workspace. For now it says who is signed in and keeps the agent routable
//! through heartbeats; the conversation lists arrive with the engine.

use rocket::http::Status;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::csrf::{CsrfForm, NoFields};
use super::errors::WebResult;
use super::guards::SignedIn;
use super::page::Page;
use crate::accounts::sessions;
use crate::db::Db;

#[get("/agent")]
fn workspace(page: Page, _me: SignedIn) -> Template {
    page.render("agent/index.html", context! {})
}

/// Sent by the open page every 30 seconds; without it the reaper takes the agent offline.
#[post("/agent/heartbeat", data = "<_form>")]
async fn heartbeat(me: SignedIn, _form: CsrfForm<NoFields>, db: &State<Db>) -> WebResult<Status> {
    sessions::heartbeat(db, me.user.id).await?;
    Ok(Status::NoContent)
}

pub fn routes() -> Vec<Route> {
    routes![workspace, heartbeat]
}
