//! Languages: Fluent catalogues (pt-BR is the reference; en and es must have the same
//! keys), choosing the language for a request, and the Tera function `t()`.

pub mod dates;

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{static_loader, LanguageIdentifier, Loader};
use rocket_dyn_templates::tera;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "pt-BR",
        // Bidi isolation marks would end up inside HTML attributes and e-mails.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The languages offered, as (code, name in that language).
pub const LANGUAGES: [(&str, &str); 3] = [("pt-BR", "Português (Brasil)"), ("en", "English"), ("es", "Español")];
pub const DEFAULT: &str = "pt-BR";

/// Maps a language tag (`pt`, `pt_br`, `en-US`, `es-419` …) to one we offer.
pub fn normalise(tag: &str) -> Option<&'static str> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    match primary.as_str() {
        "pt" => Some("pt-BR"),
        "en" => Some("en"),
        "es" => Some("es"),
        _ => None,
    }
}

/// The best offered language in an `Accept-Language` header, by quality.
pub fn from_accept_language(header: &str) -> Option<&'static str> {
    let mut choices: Vec<(f32, &'static str)> = header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let lang = normalise(pieces.next()?)?;
            let q = pieces.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
            (q > 0.0).then_some((q, lang))
        })
        .collect();
    // Stable sort keeps header order among equal qualities.
    choices.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    choices.first().map(|c| c.1)
}

fn lang_id(lang: &str) -> LanguageIdentifier {
    lang.parse().unwrap_or_else(|_| DEFAULT.parse().expect("pt-BR is a valid tag"))
}

/// A translated string, or `None` when no catalogue has the key.
pub fn try_translate(lang: &str, key: &str, args: &HashMap<Cow<'static, str>, FluentValue>) -> Option<String> {
    let args = (!args.is_empty()).then_some(args);
    LOCALES.try_lookup_complete(&lang_id(lang), key, args)
}

/// A translated string without arguments; the key itself when missing (never panics).
pub fn translate(lang: &str, key: &str) -> String {
    try_translate(lang, key, &HashMap::new()).unwrap_or_else(|| key.to_string())
}

/// A translated string with arguments (`{ $max }`, `{ $seconds }`): text or numbers, as
/// `("max", "16 MiB".into())` or `("seconds", 30.into())` (numbers choose plurals).
pub fn translate_with(lang: &str, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
    let args = args.iter().map(|(k, v)| (Cow::Borrowed(*k), v.clone())).collect();
    try_translate(lang, key, &args).unwrap_or_else(|| key.to_string())
}

/// Tera function: `{{ t(key="login-title", lang=lang, name=user.name) }}`. Extra named
/// arguments become Fluent arguments. A missing key is an error, so a page with a
/// key no catalogue has fails to render (and its test fails) instead of showing it.
pub fn tera_function(args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let key = args.get("key").and_then(|v| v.as_str()).ok_or_else(|| tera::Error::msg("t(): missing key"))?;
    let lang = args.get("lang").and_then(|v| v.as_str()).unwrap_or(DEFAULT);
    let mut fluent_args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
    for (name, value) in args {
        if name == "key" || name == "lang" {
            continue;
        }
        let value = match value {
            tera::Value::Number(n) => FluentValue::from(n.as_f64().unwrap_or(0.0)),
            tera::Value::String(s) => FluentValue::from(s.clone()),
            other => FluentValue::from(other.to_string()),
        };
        fluent_args.insert(Cow::Owned(name.clone()), value);
    }
    try_translate(lang, key, &fluent_args)
        .map(tera::Value::String)
        .ok_or_else(|| tera::Error::msg(format!("t(): no catalogue has the key {key:?}")))
}

/// Tera function: `{{ audit_label(code=e.action, lang=lang) }}` — the readable name of
/// an audit action ("Usuário criado"); never the code (a test checks every action the
/// code records has a name).
pub fn tera_audit_label(args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let code = args.get("code").and_then(|v| v.as_str()).unwrap_or_default();
    let lang = args.get("lang").and_then(|v| v.as_str()).unwrap_or(DEFAULT);
    let key = format!("audit-action-{}", code.replace(['.', '_'], "-"));
    let name = try_translate(lang, &key, &HashMap::new()).unwrap_or_else(|| translate(lang, "audit-action-unnamed"));
    Ok(tera::Value::String(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(lang: &str) -> BTreeSet<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
        let mut keys = BTreeSet::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for line in text.lines() {
                let starts_message = line.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
                if let (true, Some((id, _))) = (starts_message, line.split_once('=')) {
                    keys.insert(id.trim().to_string());
                }
            }
        }
        keys
    }

    #[test]
    fn every_catalogue_has_every_reference_key() {
        let reference = keys("pt-BR");
        assert!(reference.len() > 50, "pt-BR catalogue looks empty");
        for (lang, _) in LANGUAGES.iter().skip(1) {
            let theirs = keys(lang);
            let missing: Vec<_> = reference.difference(&theirs).collect();
            assert!(missing.is_empty(), "{lang} lacks keys: {missing:?}");
            let extra: Vec<_> = theirs.difference(&reference).collect();
            assert!(extra.is_empty(), "{lang} has keys pt-BR lacks: {extra:?}");
        }
    }

    #[test]
    fn every_channel_kind_has_a_name_in_every_language() {
        for (lang, _) in LANGUAGES {
            let theirs = keys(lang);
            for kind in crate::domain::channel_kind::ChannelKind::ALL {
                assert!(theirs.contains(&kind.display_key()), "{lang} lacks {}", kind.display_key());
            }
        }
    }

    #[test]
    fn every_audit_action_written_has_a_name() {
        // Every action code the code records, found in the sources, has a readable name.
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut missing = Vec::new();
        let mut stack = vec![src];
        let pattern = |text: &str| -> Vec<String> {
            let mut found = Vec::new();
            for piece in text.split('"').skip(1).step_by(2) {
                let (subject, verb) = piece.split_once('.').unwrap_or(("", ""));
                let known = [
                    "login",
                    "password",
                    "2fa",
                    "agent",
                    "user",
                    "profile",
                    "settings",
                    "group",
                    "team",
                    "schedule",
                    "pause",
                    "tabulation",
                    "word_filter",
                    "tag",
                    "phrase",
                    "template",
                    "contact",
                    "contact_field",
                    "contact_fields",
                    "channel",
                ];
                if known.contains(&subject)
                    && !verb.is_empty()
                    && verb.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                {
                    found.push(piece.to_string());
                }
            }
            found
        };
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for line in text.lines() {
                        // Outgoing webhooks' event names ("contact.updated") read like actions.
                        let event = |c: &String| crate::domain::webhooks::EVENTS.contains(&c.as_str());
                        for code in pattern(line).into_iter().filter(|c| !c.ends_with(".html") && !event(c)) {
                            let key = format!("audit-action-{}", code.replace(['.', '_'], "-"));
                            if try_translate("pt-BR", &key, &HashMap::new()).is_none() {
                                missing.push(code);
                            }
                        }
                    }
                }
            }
        }
        missing.extend(deleted_kinds_without_names());
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "audit actions without a name: {missing:?}");
    }

    /// The actions the shared audited helpers record for each kind of row they are
    /// called with (the kind is their third argument, when written out): a save
    /// `<kind>.create` and `<kind>.update`; a delete `<kind>.delete`, and
    /// `<kind>.deactivate` when rows in use are kept (`Some(KeepIfUsed …)`; a row
    /// refused while in use records nothing).
    fn deleted_kinds_without_names() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        for dir in ["src/web/admin", "src/catalog"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                // A section in a folder of its own (flows) uses no shared helper.
                let path = entry.unwrap().path();
                let Ok(text) = std::fs::read_to_string(&path) else { continue };
                for (helper, verbs) in [
                    ("delete_audited(", &["delete"][..]),
                    ("save_audited(", &["create", "update"]),
                    ("record_saved(", &["create", "update"]),
                ] {
                    for call in text.split(helper).skip(1) {
                        let args = arguments(call);
                        let Some(kind) = args.get(2).and_then(|a| a.strip_prefix('"')?.strip_suffix('"')) else {
                            continue;
                        };
                        let mut verbs = verbs.to_vec();
                        if helper == "delete_audited(" && args.get(6).is_some_and(|keep| keep.starts_with("Some(")) {
                            verbs.push("deactivate");
                        }
                        for verb in verbs {
                            let key = format!("audit-action-{kind}-{verb}").replace('_', "-");
                            if try_translate("pt-BR", &key, &HashMap::new()).is_none() {
                                missing.push(format!("{kind}.{verb}"));
                            }
                        }
                    }
                }
            }
        }
        missing
    }

    /// The arguments of a call, up to its own closing parenthesis, split at commas.
    fn arguments(call: &str) -> Vec<&str> {
        let mut depth = 0;
        let end = call
            .char_indices()
            .find(|(_, c)| {
                depth += match c {
                    '(' => 1,
                    ')' => -1,
                    _ => 0,
                };
                depth < 0
            })
            .map_or(call.len(), |(i, _)| i);
        call[..end].split(',').map(str::trim).collect()
    }

    #[test]
    fn accept_language_picks_best_offered() {
        assert_eq!(from_accept_language("fr-FR, es;q=0.8, en;q=0.9"), Some("en"));
        assert_eq!(from_accept_language("pt-PT"), Some("pt-BR"));
        assert_eq!(from_accept_language("de, fr"), None);
        assert_eq!(from_accept_language("es-AR;q=0.5, en;q=0"), Some("es"));
    }

    #[test]
    fn translates_with_arguments_without_isolation_marks() {
        let mut args = HashMap::new();
        args.insert(Cow::Borrowed("name"), FluentValue::from("Ana"));
        let text = try_translate("pt-BR", "agent-signed-in-as", &args).unwrap();
        assert!(text.contains("Ana") && !text.contains('\u{2068}'), "{text}");
        assert_eq!(translate("en", "no-such-key-anywhere"), "no-such-key-anywhere");
    }
}
