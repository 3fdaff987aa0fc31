//! Administration pages. Every handler takes the `Admin` guard.

pub mod form;
pub mod pauses;
pub mod users;

use rocket::{get, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use crate::db::{audit, users as user_rows, Db};
use crate::domain::permissions::Area;

/// The admin sections in menu order, each with its list page. A section appears in
/// the menu of an administrator whose groups let them view its area.
pub const SECTIONS: &[(Area, &str)] = &[
    (Area::Agents, "/admin/users"),
    (Area::Pauses, "/admin/pauses"),
];
use crate::web::errors::WebResult;
use crate::web::guards::Admin;
use crate::web::page::Page;

#[get("/admin")]
async fn dashboard(page: Page, _admin: Admin, db: &State<Db>) -> WebResult<Template> {
    let (user_count, recent) = db
        .read(|c| Ok((user_rows::count_users(c)?, audit::recent(c, None, 10)?)))
        .await?;
    Ok(page.render("admin/index.html", context! { user_count, recent }))
}

pub fn routes() -> Vec<Route> {
    let mut all = routes![dashboard];
    all.extend(users::routes());
    all.extend(pauses::routes());
    all
}
