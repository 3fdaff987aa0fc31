//! Rocket routes grouped by audience, the guards that protect them, and the pieces
//! every page shares (CSRF, page context, error pages, security headers, assets).

pub mod account;
pub mod admin;
pub mod agent;
pub mod assets;
pub mod attachments;
pub mod auth;
pub mod contacts;
pub mod csrf;
pub mod errors;
pub mod guards;
pub mod health;
pub mod page;
pub mod preferences;
pub mod rate_limit;
pub mod security;
pub mod topbar;
pub mod widget;

use rocket::{Build, Rocket};
use rocket_dyn_templates::Template;
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "templates/"]
struct Templates;

/// Names of every embedded template (tests check each one renders).
pub fn template_names() -> Vec<String> {
    Templates::iter().map(|n| n.to_string()).collect()
}

/// Mounts every route and catcher and the template engine.
pub fn mount(rocket: Rocket<Build>) -> Rocket<Build> {
    rocket
        .mount("/", auth::routes())
        .mount("/", account::routes())
        .mount("/", preferences::routes())
        .mount("/", admin::routes())
        .mount("/", agent::routes())
        .mount("/", contacts::routes())
        .mount("/", attachments::routes())
        .mount("/", assets::routes())
        .mount("/", health::routes())
        .mount("/", widget::routes())
        .register("/", errors::catchers())
        .register("/webchat", widget::catchers())
        .attach(security::SecurityHeaders)
        .attach(rate_limit::RetryAfterHeader)
        .attach(Template::custom(|engines| {
            let templates: Vec<(String, String)> = Templates::iter()
                .filter_map(|name| {
                    let file = Templates::get(&name)?;
                    Some((name.to_string(), String::from_utf8_lossy(&file.data).into_owned()))
                })
                .collect();
            // All at once, so `extends` and `include` resolve.
            if let Err(e) = engines.tera.add_raw_templates(templates) {
                tracing::error!(error = ?e, "templates do not compile");
            }
            engines.tera.register_function("t", crate::i18n::tera_function);
            engines.tera.register_function("asset", assets::tera_asset);
            engines.tera.register_function("audit_label", crate::i18n::tera_audit_label);
            engines.tera.register_filter("datetime", datetime_filter);
            engines.tera.set_escape_fn(escape_html);
        }))
}

/// Percent-encodes a value for a query string.
pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Tera filter: unix milliseconds → `2026-11-21 14:05` in the time zone given as
/// `tz` (pages pass the company's: `{{ at | datetime(tz=tz) }}`), else UTC.
fn datetime_filter(
    value: &rocket_dyn_templates::tera::Value,
    args: &std::collections::HashMap<String, rocket_dyn_templates::tera::Value>,
) -> rocket_dyn_templates::tera::Result<rocket_dyn_templates::tera::Value> {
    use chrono::TimeZone;
    let ms = value.as_i64().unwrap_or(0);
    let tz: chrono_tz::Tz =
        args.get("tz").and_then(|v| v.as_str()).and_then(|t| t.parse().ok()).unwrap_or(chrono_tz::UTC);
    let text = tz.timestamp_millis_opt(ms).single().map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
    Ok(rocket_dyn_templates::tera::Value::String(text))
}

/// HTML escaping for every template value: the five characters that matter in text and
/// quoted attributes (Tera's default also rewrites `/`, which only makes links unreadable).
fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}
