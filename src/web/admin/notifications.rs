//! "Notificações" (F-AD-12): the notification centre's list, unread first, with its
//! read/unread filter; the top bar's bell (its count, fetched again when the page's
//! event stream says a notification was raised or read); "marcar como lida" per row
//! and "marcar todas como lidas". Seeing them takes `notifications:view`, marking them
//! read `notifications:edit` (see `domain::permissions` for why it is an area of its
//! own). Marking read is not audited, like the overview's "Avisos" before it: it
//! changes nothing but the list.

use rocket::form::FromForm;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{done, Done};
use crate::db::notifications::{self as rows, Filter};
use crate::db::paging::{Pager, PAGE_SIZE};
use crate::db::Db;
use crate::engine::notices::{shown, Shown};
use crate::engine::Engine;
use crate::web::csrf::CsrfForm;
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Edit, Notifications, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

/// Where a "marcar como lida" goes back to: the overview, or the list (the default).
#[derive(Debug, FromForm)]
struct Back {
    #[field(default = String::new())]
    back: String,
}

impl Back {
    /// Only the two pages that hold the buttons: an address is anyone's to post.
    fn to(&self) -> String {
        match self.back.as_str() {
            "/admin" => "/admin".into(),
            "/admin/notifications?show=unread" => self.back.clone(),
            _ => "/admin/notifications".into(),
        }
    }
}

/// The rows of a page in the reader's language.
pub fn in_words(found: Vec<rows::Notification>, lang: &str) -> Vec<Shown> {
    found.into_iter().map(|n| shown(n, lang)).collect()
}

#[get("/admin/notifications?<show>&<page_no>")]
async fn list(
    page: Page,
    _can: Can<Notifications, View>,
    db: &State<Db>,
    show: Option<&str>,
    page_no: Option<i64>,
) -> WebResult<Template> {
    let filter = Filter::parse(show);
    let pager = Pager::new(page_no, None);
    let offset = pager.offset();
    let (found, total, unread) = db
        .read(move |c| Ok((rows::list(c, filter, PAGE_SIZE, offset)?, rows::count(c, filter)?, rows::unread_count(c)?)))
        .await?;
    let notices = in_words(found, page.lang);
    let pager = pager.with_total(total);
    let query = format!("show={}", filter.as_str());
    Ok(page.render("admin/notifications/list.html", context! { notices, filter, pager, unread, query }))
}

/// The bell alone, for its live refresh.
#[get("/admin/notifications/bell")]
async fn bell(page: Page, _can: Can<Notifications, View>) -> Template {
    page.render("_bell.html", context! {})
}

/// Marks one read for every administrator; one already read stays as it was.
#[post("/admin/notifications/<id>/read", data = "<form>")]
async fn mark_read(
    can: Can<Notifications, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<Back>,
    engine: &State<Engine>,
) -> WebResult<Done> {
    engine.mark_notice_read(id, can.actor().user_id).await?;
    Ok(done(&htmx, form.0.to()))
}

#[post("/admin/notifications/read-all", data = "<form>")]
async fn mark_all_read(
    can: Can<Notifications, Edit>,
    htmx: Htmx,
    form: CsrfForm<Back>,
    engine: &State<Engine>,
) -> WebResult<Done> {
    engine.mark_all_notices_read(can.actor().user_id).await?;
    Ok(done(&htmx, form.0.to()))
}

pub fn routes() -> Vec<Route> {
    routes![list, bell, mark_read, mark_all_read]
}
