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
pub mod webhooks;
pub mod word_filter;

use rocket::{get, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use crate::db::{audit as audit_log, notifications as notices, users as user_rows, Db};
use crate::domain::permissions::Area;
use crate::web::errors::WebResult;
use crate::web::guards::Admin;
use crate::web::page::Page;

/// The admin sections in menu order, each with its list page and the catalogue key of
/// its name (an area may have more than one section, as Integrações has). A section
/// appears in the menu of an administrator whose groups let them view its area.
/// Sections still being built stay out of this list until their list page exists.
pub const SECTIONS: &[(Area, &str, &str)] = &[
    (Area::Agents, "/admin/users", "area-agents"),
    (Area::Groups, "/admin/groups", "area-groups"),
    (Area::Teams, "/admin/teams", "area-teams"),
    (Area::Channels, "/admin/channels", "area-channels"),
    (Area::Flows, "/admin/flows", "area-flows"),
    (Area::Schedules, "/admin/schedules", "area-schedules"),
    (Area::Pauses, "/admin/pauses", "area-pauses"),
    (Area::Tabulations, "/admin/tabulations", "area-tabulations"),
    (Area::WordFilter, "/admin/word-filter", "area-word-filter"),
    (Area::Tags, "/admin/tags", "area-tags"),
    (Area::Phrases, "/admin/phrases", "area-phrases"),
    (Area::Templates, "/admin/templates", "area-templates"),
    (Area::ContactFields, "/admin/contact-fields", "area-contact-fields"),
    (Area::Settings, "/admin/settings", "area-settings"),
    (Area::Monitoring, "/admin/monitoring", "area-monitoring"),
    (Area::Notifications, "/admin/notifications", "area-notifications"),
    (Area::Integrations, "/admin/api-tokens", "api-tokens-title"),
    (Area::Integrations, "/admin/webhooks", "webhooks-title"),
    (Area::Audit, "/admin/audit", "area-audit"),
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
        webhooks::routes(),
        audit::routes(),
    ] {
        all.extend(section);
    }
    all
}
