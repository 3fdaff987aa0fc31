//! The agent's own preferences kept on the profile page beside "Editar perfil": how the
//! composer sends (Enter, or Ctrl+Enter for those who write long messages).

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{post, routes, Either, Route, State};
use rocket_dyn_templates::{context, Template};

use super::csrf::CsrfForm;
use super::errors::WebResult;
use super::guards::SignedIn;
use super::page::Page;
use crate::db::users::SEND_KEYS;
use crate::db::Db;

#[derive(FromForm)]
struct SendKeyForm {
    send_key: String,
}

/// Saves the send key, audited as `profile.update` with the value before and after.
#[post("/account/send-key", data = "<form>")]
async fn save_send_key(
    page: Page,
    me: SignedIn,
    form: CsrfForm<SendKeyForm>,
    db: &State<Db>,
) -> WebResult<Either<(Status, Template), Redirect>> {
    let Some(chosen) = SEND_KEYS.iter().copied().find(|k| *k == form.0.send_key.trim()) else {
        let refusal = context! { status: 422, message_key: "profile-send-key-invalid", seconds: 0 };
        return Ok(Either::Left((Status::UnprocessableEntity, page.render("error.html", refusal))));
    };
    crate::accounts::profile::set_send_key(db, &me.actor(), me.user.id, me.user.send_key.clone(), chosen).await?;
    Ok(Either::Right(Redirect::to("/account?saved=send-key")))
}

pub fn routes() -> Vec<Route> {
    routes![save_send_key]
}
