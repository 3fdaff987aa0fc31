//! Administration pages. Every handler takes a `Can<Area, Action>` guard (or `Admin` for
//! the overview), so the server enforces each permission, not only the menus.

pub mod api_tokens;
pub mod audit;
pub mod channels;
pub mod contact_fields;
pub mod flows;
pub mod form;
pub mod groups;
pub mod list;
pub mod monitoring;
pub mod notice_settings;
pub mod notifications;
pub mod pauses;
pub mod phrases;
pub mod schedules;
pub mod section;
pub mod settings;
pub mod tabulations;
pub mod tags;
pub mod teams;
pub mod telephony;
pub mod templates;
pub mod users;
pub mod word_filter;

use rocket::{get, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use crate::db::{audit as audit_log, notifications as notices, users as user_rows, Db};
use crate::domain::permissions::Area;
use crate::web::errors::WebResult;
use crate::web::guards::Admin;
use crate::web::page::Page;

/// The admin sections in menu order, each with its list page. A section appears in
/// the menu of an administrator whose groups let them view its area.
/// Sections still being built stay out of this list until their list page exists.
pub const SECTIONS: &[(Area, &str)] = &[
    (Area::Agents, "/admin/users"),
    (Area::Groups, "/admin/groups"),
    (Area::Teams, "/admin/teams"),
    (Area::Channels, "/admin/channels"),
    (Area::Flows, "/admin/flows"),
    (Area::Schedules, "/admin/schedules"),
    (Area::Pauses, "/admin/pauses"),
    (Area::Tabulations, "/admin/tabulations"),
    (Area::WordFilter, "/admin/word-filter"),
    (Area::Tags, "/admin/tags"),
    (Area::Phrases, "/admin/phrases"),
    (Area::Templates, "/admin/templates"),
    (Area::ContactFields, "/admin/contact-fields"),
    (Area::Settings, "/admin/settings"),
    (Area::Monitoring, "/admin/monitoring"),
    (Area::Notifications, "/admin/notifications"),
    (Area::Integrations, "/admin/api-tokens"),
    (Area::Audit, "/admin/audit"),
];

/// The latest unread notifications the overview's "Avisos" shows; the rest are a link
/// away, on "Notificações".
const OVERVIEW_NOTICES: i64 = 5;

#[get("/admin")]
async fn dashboard(page: Page, _admin: Admin, db: &State<Db>) -> WebResult<Template> {
    let (user_count, recent, found, unread) = db
        .read(|c| {
            let found = notices::unread(c, OVERVIEW_NOTICES)?;
            Ok((user_rows::count_users(c)?, audit_log::recent(c, None, 10)?, found, notices::unread_count(c)?))
        })
        .await?;
    let notices = notifications::in_words(found, page.lang);
    Ok(page.render("admin/index.html", context! { user_count, recent, notices, unread }))
}

pub fn routes() -> Vec<Route> {
    let mut all = routes![dashboard];
    for section in [
        notifications::routes(),
        notice_settings::routes(),
        users::routes(),
        groups::routes(),
        teams::routes(),
        channels::routes(),
        flows::routes(),
        schedules::routes(),
        pauses::routes(),
        tabulations::routes(),
        word_filter::routes(),
        tags::routes(),
        phrases::routes(),
        templates::routes(),
        contact_fields::routes(),
        settings::routes(),
        telephony::routes(),
        monitoring::routes(),
        api_tokens::routes(),
        audit::routes(),
    ] {
        all.extend(section);
    }
    all
}
