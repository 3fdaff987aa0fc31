//! "📞" on the contact page: the same click-to-call as in the pane
//! (`engine::telephony`), answered by the contact page again with its outcome.

use rocket::response::Redirect;
use rocket::{post, routes, Route, State};

use super::csrf::{CsrfForm, NoFields};
use super::errors::WebResult;
use super::guards::{ClientIp, Floor};
use crate::engine::telephony::{CallFrom, CallOutcome};
use crate::engine::{Engine, EngineError};

/// The notices the contact page shows for `?call=` (each a catalogue key).
pub const NOTICES: [&str; 6] =
    ["call-ringing", "call-failed", "call-no-extension", "call-no-number", "call-not-configured", "call-in-progress"];

#[post("/agent/contacts/<id>/call", data = "<_form>")]
async fn call(
    floor: Floor,
    _form: CsrfForm<NoFields>,
    ip: ClientIp,
    engine: &State<Engine>,
    id: i64,
) -> WebResult<Redirect> {
    let notice = match engine.call(&floor.agent(), CallFrom::Contact(id), &ip.0.to_string()).await {
        Ok(CallOutcome::Ringing) => "call-ringing",
        Ok(CallOutcome::Failed(_)) => "call-failed",
        Err(EngineError::Invalid(key)) if NOTICES.contains(&key) => key,
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(format!("/agent/contacts/{id}?call={notice}")))
}

pub fn routes() -> Vec<Route> {
    routes![call]
}
