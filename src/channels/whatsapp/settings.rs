//! What an administrator gives a WhatsApp Cloud API channel (`channels.config`): the
//! number's id at Meta, the two secrets (the access token Atende calls the Graph API
//! with, the app secret Meta signs webhooks with), the verify token pasted into Meta's
//! webhook setup, and where the Graph API is (tests and staging point it elsewhere).
//! The templates Meta approved are listed in "Modelos de mensagem" (`db::templates`).

use std::collections::HashMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::graph::Graph;
use crate::accounts::credentials::random_token;
use crate::db::channels::Channel;
use crate::domain::fields::{self, FieldErrors};

pub const DEFAULT_API_BASE: &str = "https://graph.facebook.com";
pub const DEFAULT_GRAPH_VERSION: &str = "v21.0";
/// How long one Graph API call may take before it counts as failed (and is retried).
const DEFAULT_TIMEOUT_MS: u64 = 20_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default)]
    pub phone_number_id: String,
    #[serde(default)]
    pub access_token: String,
    #[serde(default)]
    pub app_secret: String,
    #[serde(default)]
    pub verify_token: String,
    #[serde(default = "default_api_base")]
    pub api_base: String,
    #[serde(default = "default_graph_version")]
    pub graph_version: String,
    /// Not on the form: kept as stored (tests shorten it to see a hanging API).
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u64,
}

fn default_api_base() -> String {
    DEFAULT_API_BASE.into()
}

fn default_graph_version() -> String {
    DEFAULT_GRAPH_VERSION.into()
}

fn default_timeout_ms() -> u64 {
    DEFAULT_TIMEOUT_MS
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            phone_number_id: String::new(),
            access_token: String::new(),
            app_secret: String::new(),
            verify_token: String::new(),
            api_base: default_api_base(),
            graph_version: default_graph_version(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
        }
    }
}

impl Settings {
    pub fn of(channel: &Channel) -> Settings {
        serde_json::from_value(channel.config.clone()).unwrap_or_default()
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// The settings as the form sent them (keys are the field names). A secret left
    /// empty keeps the one before; a new channel must give both. An empty verify token
    /// is made up.
    pub fn from_form(form: &HashMap<String, String>, previous: Option<&Settings>) -> Result<Settings, FieldErrors> {
        let get = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
        let mut errors = FieldErrors::new();
        let phone_number_id = fields::text(&mut errors, "phone_number_id", get("phone_number_id"), 30);
        if !errors.contains_key("phone_number_id") && !phone_number_id.bytes().all(|b| b.is_ascii_digit()) {
            errors.insert("phone_number_id", "whatsapp-digits-only");
        }
        let mut secret = |field: &'static str, kept: Option<&String>| {
            let typed = get(field).trim();
            match (typed.is_empty(), kept.filter(|k| !k.is_empty())) {
                (true, Some(kept)) => kept.clone(),
                _ => fields::text(&mut errors, field, typed, 1024),
            }
        };
        let access_token = secret("access_token", previous.map(|p| &p.access_token));
        let app_secret = secret("app_secret", previous.map(|p| &p.app_secret));
        let mut verify_token = fields::optional_text(&mut errors, "verify_token", get("verify_token"), 200);
        if verify_token.is_empty() {
            verify_token =
                previous.map(|p| p.verify_token.clone()).filter(|t| !t.is_empty()).unwrap_or_else(random_token);
        }
        let api_base = match get("api_base").trim() {
            "" => default_api_base(),
            typed => fields::text(&mut errors, "api_base", typed.trim_end_matches('/'), 200),
        };
        if !errors.contains_key("api_base") && !fields::is_web_address(&api_base) {
            errors.insert("api_base", "whatsapp-bad-url");
        }
        let graph_version = match get("graph_version").trim() {
            "" => default_graph_version(),
            typed => typed.to_string(),
        };
        let version_ok = graph_version.strip_prefix('v').and_then(|v| v.split_once('.')).is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && a.len() <= 3
                && b.len() <= 3
                && (a.to_owned() + b).bytes().all(|c| c.is_ascii_digit())
        });
        if !version_ok {
            errors.insert("graph_version", "whatsapp-bad-version");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Settings {
            phone_number_id,
            access_token,
            app_secret,
            verify_token,
            api_base,
            graph_version,
            timeout_ms: previous.map(|p| p.timeout_ms).unwrap_or(DEFAULT_TIMEOUT_MS),
        })
    }

    /// The settings without their secrets (only whether each is set).
    fn without_secrets(&self) -> serde_json::Value {
        serde_json::json!({
            "phone_number_id": self.phone_number_id,
            "access_token_set": !self.access_token.is_empty(),
            "app_secret_set": !self.app_secret.is_empty(),
            "verify_token": self.verify_token,
            "api_base": self.api_base,
            "graph_version": self.graph_version,
        })
    }

    /// What the form shows.
    pub fn for_form(&self) -> serde_json::Value {
        self.without_secrets()
    }

    /// What the audit log keeps of a change.
    pub fn for_audit(&self) -> serde_json::Value {
        self.without_secrets()
    }

    pub(super) fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms.clamp(100, 120_000))
    }
}

/// Asks the Graph API for the number: its display phone number when the id and the
/// token work; a reason without any secret otherwise.
pub fn test_connection(settings: &Settings) -> Result<String, String> {
    let graph = Graph::new(settings);
    let path = format!("{}?fields=display_phone_number,verified_name", settings.phone_number_id);
    match graph.get_json(&path) {
        Ok(v) => match v["display_phone_number"].as_str() {
            Some(number) => Ok(number.to_string()),
            None => Err(super::words("whatsapp-test-no-number", &[])),
        },
        Err(e) => Err(e.reason().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_new_channel_gives_its_secrets_and_gets_a_verify_token() {
        let errors = Settings::from_form(&form(&[("phone_number_id", "1065")]), None).unwrap_err();
        assert_eq!(errors.get("access_token"), Some(&"field-required"));
        assert_eq!(errors.get("app_secret"), Some(&"field-required"));
        let s = Settings::from_form(
            &form(&[("phone_number_id", "1065"), ("access_token", "EAAG"), ("app_secret", "s3cr3t")]),
            None,
        )
        .unwrap();
        assert_eq!((s.api_base.as_str(), s.graph_version.as_str()), (DEFAULT_API_BASE, DEFAULT_GRAPH_VERSION));
        assert!(s.verify_token.len() >= 20, "made up when empty");
        // Saved again with the secrets left empty: they stay, and so does the token.
        let again = Settings::from_form(&form(&[("phone_number_id", "1065")]), Some(&s)).unwrap();
        assert_eq!(again, s);
        let shown = again.for_form().to_string() + &again.for_audit().to_string();
        assert!(!shown.contains("EAAG") && !shown.contains("s3cr3t"), "no secret shown: {shown}");
        assert_eq!(again.for_form()["access_token_set"], true);
    }

    #[test]
    fn bad_values_are_named_by_field() {
        let previous = Settings { access_token: "t".into(), app_secret: "a".into(), ..Settings::default() };
        let errors = Settings::from_form(
            &form(&[("phone_number_id", "12ab"), ("api_base", "ftp://x"), ("graph_version", "21")]),
            Some(&previous),
        )
        .unwrap_err();
        assert_eq!(errors.get("phone_number_id"), Some(&"whatsapp-digits-only"));
        assert_eq!(errors.get("api_base"), Some(&"whatsapp-bad-url"));
        assert_eq!(errors.get("graph_version"), Some(&"whatsapp-bad-version"));
        let ok = Settings::from_form(
            &form(&[("phone_number_id", "1"), ("graph_version", "v20.0"), ("api_base", "http://127.0.0.1:9/")]),
            Some(&previous),
        )
        .unwrap();
        assert_eq!(ok.api_base, "http://127.0.0.1:9");
    }
}
