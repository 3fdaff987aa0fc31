//! Rocket routes grouped by audience, the guards that protect them, and the pieces
//! every page shares (CSRF, page context, error pages, security headers, assets).

pub mod account;
pub mod admin;
pub mod agent;
pub mod api;
pub mod assets;
pub mod attachments;
pub mod auth;
pub mod calls;
pub mod compression;
pub mod contacts;
pub mod csrf;
pub mod demo;
pub mod errors;
pub mod guards;
pub mod health;
pub mod history;
pub mod json;
pub mod menu;
pub mod metrics;
pub mod page;
pub mod preferences;
pub mod privacy;
pub mod rate_limit;
pub mod reports;
pub mod security;
pub mod topbar;
pub mod webhooks;
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
        .mount("/", privacy::routes())
        .mount("/", history::routes())
        .mount("/", reports::routes())
        .mount("/", menu::routes())
        .mount("/", calls::routes())
        .mount("/", attachments::routes())
        .mount("/", assets::routes())
        .mount("/", health::routes())
        .mount("/", metrics::routes())
        .mount("/", widget::routes())
        .mount("/", webhooks::routes())
        .mount("/", api::routes())
        .register("/", errors::catchers())
        .register("/webchat", widget::catchers())
        .register("/webhooks", webhooks::catchers())
        .register("/api/v1", api::catchers())
        .attach(security::SecurityHeaders)
        .attach(compression::Compression)
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
            engines.tera.register_filter("phone", phone_filter);
            engines.tera.register_filter("duration", duration_filter);
            engines.tera.set_escape_fn(escape_html);
        }))
}

/// A period filter's two days ("de", "até", both included) as unix ms in `tz`, and the
/// field errors of what is not a day (those days then filter nothing).
pub fn period_filter(
    from: &str,
    until: &str,
    tz: chrono_tz::Tz,
) -> ((Option<i64>, Option<i64>), serde_json::Map<String, serde_json::Value>) {
    match crate::domain::clock::period_ms(from, until, tz) {
        Ok(period) => (period, serde_json::Map::new()),
        Err(fields) => ((None, None), fields.into_iter().map(|f| (f.into(), "audit-bad-date".into())).collect()),
    }
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

/// The query string of a filter form, for its pager's links: `key=value&…`, encoded.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{k}={}", urlencode(v))).collect::<Vec<_>>().join("&")
}

/// Tera filter, the one way a page shows a time: unix milliseconds as the reader's
/// language writes them, in the company's zone: `{{ at | datetime(tz=tz, lang=lang) }}`,
/// and `style=` `"date"` for the day only, `"short"` for messages, `"relative"` for how
/// long ago (`i18n::dates::Style`). A style that does not exist fails the page.
fn datetime_filter(
    value: &rocket_dyn_templates::tera::Value,
    args: &std::collections::HashMap<String, rocket_dyn_templates::tera::Value>,
) -> rocket_dyn_templates::tera::Result<rocket_dyn_templates::tera::Value> {
    use crate::domain::clock;
    let text_arg = |name: &str| args.get(name).and_then(|v| v.as_str()).unwrap_or_default();
    let Some(ms) = value.as_i64() else { return Ok(rocket_dyn_templates::tera::Value::String(String::new())) };
    let tz = clock::stored_zone(text_arg("tz"), clock::DEFAULT_ZONE);
    let lang = if text_arg("lang").is_empty() { crate::i18n::DEFAULT } else { text_arg("lang") };
    let style = crate::i18n::dates::Style::named(text_arg("style"))
        .ok_or_else(|| rocket_dyn_templates::tera::Error::msg(format!("datetime: no style {:?}", text_arg("style"))))?;
    Ok(rocket_dyn_templates::tera::Value::String(crate::i18n::dates::format(ms, tz, lang, style)))
}

/// Tera filter: milliseconds as `h:mm:ss` (`{{ row.duration_ms | duration }}`); nothing
/// for what is no number.
fn duration_filter(
    value: &rocket_dyn_templates::tera::Value,
    _args: &std::collections::HashMap<String, rocket_dyn_templates::tera::Value>,
) -> rocket_dyn_templates::tera::Result<rocket_dyn_templates::tera::Value> {
    let text = value.as_i64().map(crate::domain::clock::format_hms).unwrap_or_default();
    Ok(rocket_dyn_templates::tera::Value::String(text))
}

/// Tera filter: E.164 digits as people read them (`5511987654321` → `+55 11 98765-4321`).
fn phone_filter(
    value: &rocket_dyn_templates::tera::Value,
    _args: &std::collections::HashMap<String, rocket_dyn_templates::tera::Value>,
) -> rocket_dyn_templates::tera::Result<rocket_dyn_templates::tera::Value> {
    let digits = value.as_str().unwrap_or_default();
    Ok(rocket_dyn_templates::tera::Value::String(crate::domain::phone::display(digits)))
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

#[cfg(test)]
mod tests {
    use super::Templates;

    #[test]
    fn every_date_in_a_template_is_written_in_the_readers_language() {
        let mut missing = Vec::new();
        let mut zoneless = Vec::new();
        for name in super::template_names() {
            let file = Templates::get(&name).expect("embedded");
            let text = String::from_utf8_lossy(&file.data).into_owned();
            for (at, _) in text.match_indices("datetime(") {
                let args = &text[at..at + text[at..].find(')').unwrap_or(0)];
                if !args.contains("lang=lang") {
                    missing.push(format!("{name}: {args}"));
                }
                if !args.contains("tz=tz") {
                    zoneless.push(format!("{name}: {args}"));
                }
            }
        }
        assert!(missing.is_empty(), "dates without the reader's language: {missing:?}");
        assert!(zoneless.is_empty(), "dates without the company's zone: {zoneless:?}");
    }

    #[test]
    fn the_date_filter_refuses_a_style_that_does_not_exist() {
        use rocket_dyn_templates::tera::Value;
        let args = |style: &str| {
            [("tz", "America/Sao_Paulo"), ("lang", "pt-BR"), ("style", style)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), Value::from(v)))
                .collect()
        };
        let at = Value::from(1_795_280_700_000_i64);
        assert_eq!(super::datetime_filter(&at, &args("")).unwrap(), Value::from("21/11/2026 14:05"));
        assert_eq!(super::datetime_filter(&at, &args("date")).unwrap(), Value::from("21/11/2026"));
        assert!(super::datetime_filter(&at, &args("dat")).is_err());
        let mut elsewhere = args("");
        elsewhere.insert("tz".into(), Value::from("Mars/Olympus"));
        let shown = super::datetime_filter(&at, &elsewhere).unwrap();
        assert_eq!(shown, Value::from("21/11/2026 14:05"), "a zone that is not one is the default");
        assert_eq!(super::datetime_filter(&Value::from("x"), &args("")).unwrap(), Value::from(""));
    }
}
