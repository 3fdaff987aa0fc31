//! "Notificações" under Configurações: the e-mail of notifications and the low survey
//! score. The use case is `catalog::notifications`; the e-mail itself is sent by the
//! minute job (`Engine::mail_notices`).

use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{answer, Saved};
use crate::catalog::notifications::{self as catalogue, PreferencesDraft};
use crate::db::notifications::{self as rows, KINDS};
use crate::db::{settings, users, Db};
use crate::web::csrf::CsrfForm;
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Edit, Settings as SettingsArea, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

async fn preferences_page(
    page: &Page,
    db: &Db,
    typed: Option<&PreferencesDraft>,
    errors: serde_json::Value,
    saved: bool,
) -> WebResult<Template> {
    let (current, admins, smtp) = db
        .read(|c| Ok((rows::preferences(c)?, users::active_admins(c)?, settings::load(c)?.smtp.is_configured())))
        .await?;
    let typed = typed.cloned().unwrap_or_else(|| PreferencesDraft::of(&current));
    let admins: Vec<_> =
        admins.into_iter().map(|u| serde_json::json!({ "id": u.id, "name": u.name, "email": u.email })).collect();
    Ok(page.render("admin/settings/notifications.html", context! { typed, errors, saved, admins, kinds: KINDS, smtp }))
}

#[get("/admin/settings/notifications?<saved>")]
async fn show(page: Page, _can: Can<SettingsArea, View>, db: &State<Db>, saved: Option<&str>) -> WebResult<Template> {
    preferences_page(&page, db, None, serde_json::json!({}), saved.is_some()).await
}

#[post("/admin/settings/notifications", data = "<form>")]
async fn save(
    page: Page,
    can: Can<SettingsArea, Edit>,
    htmx: Htmx,
    form: CsrfForm<PreferencesDraft>,
    db: &State<Db>,
) -> Saved {
    let saved = catalogue::save(db, &can.actor(), &form.0).await;
    let again = |errors| preferences_page(&page, db, Some(&form.0), errors, false);
    answer(saved, &htmx, "/admin/settings/notifications?saved=1", again).await
}

pub fn routes() -> Vec<Route> {
    routes![show, save]
}
