//! "Menu e pesquisa": every page a user may open, in one list (`/menu`), and the top
//! bar's search box that finds them by name in the user's language ("hist" → Histórico
//! de Atendimentos, "pausa" → Pausas). The list is built from the same tables as the
//! menus themselves (the admin sections, the reports), so a new section is found as
//! soon as it is in its menu, and only among what the user's role and groups open.

use rocket::{get, routes, Route};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

use super::guards::SignedIn;
use super::page::Page;
use crate::domain::menu_search;
use crate::domain::permissions::REPORTS;

/// One place the menu leads to, named in the user's language.
#[derive(Debug, Serialize)]
pub struct Entry {
    pub label: String,
    /// The section it sits in ("Relatórios", "Configurações"), empty at the top.
    pub trail: String,
    pub href: String,
}

/// The most a search shows; the full list is on `/menu`.
const MOST_FOUND: usize = 8;

/// The sections of the settings page, each with its anchor there.
const SETTINGS_PARTS: [&str; 6] =
    ["settings-company", "settings-service", "settings-security", "settings-privacy", "settings-smtp", "settings-logo"];

/// Every entry `page`'s user may open, in menu order.
pub fn entries(page: &Page) -> Vec<Entry> {
    let is_admin = page.user.as_ref().is_some_and(|s| s.user.is_admin());
    let may_view = |area: &str| page.perms.iter().any(|p| *p == format!("{area}:view"));
    let mut out = Vec::new();
    let mut add = |key: &str, trail: &str, href: String| {
        let trail = if trail.is_empty() { String::new() } else { page.t(trail) };
        out.push(Entry { label: page.t(key), trail, href });
    };
    for (key, href) in [
        ("nav-workspace", "/agent"),
        ("nav-contacts", "/agent/contacts"),
        ("nav-history", "/agent/history"),
        ("phrases-mine", "/agent/phrases"),
        ("nav-profile", "/account"),
        ("totp-enrol-title", "/account/2fa"),
        ("reports-title", "/reports"),
        ("reports-history-title", "/reports/history"),
    ] {
        let trail = if href.starts_with("/reports/") { "reports-title" } else { "" };
        add(key, trail, href.to_string());
    }
    for (code, _) in REPORTS.iter().filter(|(_, area)| may_view(area.code())) {
        add(&format!("reports-{code}-title"), "reports-title", format!("/reports/{code}"));
    }
    if !is_admin {
        return out;
    }
    add("nav-admin", "", "/admin".to_string());
    for (area, href, label) in super::admin::SECTIONS.iter().filter(|(area, ..)| may_view(area.code())) {
        add(label, "nav-admin", href.to_string());
        if *area == crate::domain::permissions::Area::Settings {
            for part in SETTINGS_PARTS {
                add(part, "area-settings", format!("{href}#{part}"));
            }
            add("settings-telephony", "area-settings", "/admin/settings/telephony".to_string());
            add("settings-notifications", "area-settings", "/admin/settings/notifications".to_string());
        }
    }
    out
}

/// The entries `q` names, best first.
fn found(page: &Page, q: &str) -> Vec<Entry> {
    let all = entries(page);
    let order = menu_search::search(q, &all, |e| (e.label.as_str(), e.trail.as_str()));
    let mut slots: Vec<Option<Entry>> = all.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// The whole menu, or what `q` finds in it (the search box without JavaScript).
#[get("/menu?<q>")]
fn menu(page: Page, _me: SignedIn, q: Option<&str>) -> Template {
    let q = q.map(str::trim).filter(|q| !q.is_empty()).map(|q| q.chars().take(100).collect::<String>());
    let list = match &q {
        Some(q) => found(&page, q),
        None => entries(&page),
    };
    page.render("menu.html", context! { entries: list, q })
}

/// The search box's suggestions, as it is typed.
#[get("/menu/search?<q>")]
fn suggestions(page: Page, _me: SignedIn, q: Option<&str>) -> Template {
    let q: String = q.unwrap_or_default().trim().chars().take(100).collect();
    let mut list = if q.is_empty() { Vec::new() } else { found(&page, &q) };
    let more = list.len() > MOST_FOUND;
    list.truncate(MOST_FOUND);
    page.render("_menu_results.html", context! { entries: list, q, more })
}

pub fn routes() -> Vec<Route> {
    routes![menu, suggestions]
}
