//! "Telefonia" (under Configurações): the request click-to-call sends to the PBX.
//! The use case is `catalog::telephony`; the call itself is `engine::telephony`.

use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{answer, Saved};
use crate::catalog::telephony::{self as catalogue, TelephonyDraft};
use crate::db::telephony;
use crate::db::Db;
use crate::domain::telephony::METHODS;
use crate::web::csrf::CsrfForm;
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Edit, Settings as SettingsArea, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

async fn telephony_page(
    page: &Page,
    db: &Db,
    typed: Option<&TelephonyDraft>,
    errors: serde_json::Value,
    saved: bool,
) -> WebResult<Template> {
    let current = db.read(telephony::load).await?;
    let typed = typed.cloned().unwrap_or_else(|| TelephonyDraft::of(&current));
    let has_secret = !current.secret.is_empty();
    Ok(page.render("admin/settings/telephony.html", context! { typed, errors, saved, has_secret, methods: METHODS }))
}

#[get("/admin/settings/telephony?<saved>")]
async fn show(page: Page, _can: Can<SettingsArea, View>, db: &State<Db>, saved: Option<&str>) -> WebResult<Template> {
    telephony_page(&page, db, None, serde_json::json!({}), saved.is_some()).await
}

#[post("/admin/settings/telephony", data = "<form>")]
async fn save(
    page: Page,
    can: Can<SettingsArea, Edit>,
    htmx: Htmx,
    form: CsrfForm<TelephonyDraft>,
    db: &State<Db>,
) -> Saved {
    let saved = catalogue::save(db, &can.actor(), &form.0).await;
    let again = |errors| telephony_page(&page, db, Some(&form.0), errors, false);
    answer(saved, &htmx, "/admin/settings/telephony?saved=1", again).await
}

pub fn routes() -> Vec<Route> {
    routes![show, save]
}
