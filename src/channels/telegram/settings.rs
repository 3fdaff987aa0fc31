//! What an administrator gives a Telegram channel (`channels.config`): the bot's token
//! from @BotFather (a secret: never shown back, logged or audited), the Bot API's
//! address (tests and staging point it elsewhere) and how long calls may take.

use std::collections::HashMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::api::{Api, Failure};
use crate::db::channels::Channel;
use crate::domain::fields::{self, FieldErrors};

pub const DEFAULT_API_BASE: &str = "https://api.telegram.org";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub bot_token: String,
    pub api_base: String,
    /// How long one `getUpdates` waits for news (Telegram allows up to 50).
    pub poll_timeout_seconds: u64,
    /// How long any other call may take before it is given up and tried again.
    pub request_timeout_seconds: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            bot_token: String::new(),
            api_base: DEFAULT_API_BASE.into(),
            poll_timeout_seconds: 25,
            request_timeout_seconds: 30,
        }
    }
}

/// A token as @BotFather gives it: the bot's id, a colon, and the secret part.
fn is_token(token: &str) -> bool {
    let Some((id, secret)) = token.split_once(':') else { return false };
    !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_digit())
        && secret.len() >= 20
        && secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

impl Settings {
    pub fn of(channel: &Channel) -> Settings {
        serde_json::from_value(channel.config.clone()).unwrap_or_default()
    }

    /// The settings as the form typed them; an empty token keeps `previous`'s, and a new
    /// channel must give one.
    pub fn from_form(form: &HashMap<String, String>, previous: Option<&Settings>) -> Result<Settings, FieldErrors> {
        let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
        let mut errors = FieldErrors::new();
        let typed = field("bot_token").trim();
        let bot_token = match (typed.is_empty(), previous) {
            (true, Some(previous)) if !previous.bot_token.is_empty() => previous.bot_token.clone(),
            (true, _) => {
                errors.insert("bot_token", "field-required");
                String::new()
            }
            (false, _) if !is_token(typed) => {
                errors.insert("bot_token", "telegram-bad-token");
                String::new()
            }
            (false, _) => typed.to_string(),
        };
        let base = fields::optional_text(&mut errors, "api_base", field("api_base"), 200);
        let api_base = if base.is_empty() { DEFAULT_API_BASE.to_string() } else { base.trim_end_matches('/').into() };
        let parsed = api_base.strip_prefix("https://").or_else(|| api_base.strip_prefix("http://"));
        if !errors.contains_key("api_base")
            && !parsed.is_some_and(|rest| !rest.is_empty() && !rest.contains(['?', '#', ' ']))
        {
            errors.insert("api_base", "telegram-bad-api-base");
        }
        let defaults = Settings::default();
        let mut seconds = |name: &'static str, max: i64, default: u64| {
            fields::number(&mut errors, name, field(name), 1, max, false).map_or(default, |n| n as u64)
        };
        let poll_timeout_seconds = seconds("poll_timeout_seconds", 50, defaults.poll_timeout_seconds);
        let request_timeout_seconds = seconds("request_timeout_seconds", 120, defaults.request_timeout_seconds);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Settings { bot_token, api_base, poll_timeout_seconds, request_timeout_seconds })
    }

    /// What the form shows again: never the token, only whether there is one.
    pub fn for_form(&self) -> serde_json::Value {
        serde_json::json!({
            "bot_token_set": !self.bot_token.is_empty(),
            "api_base": self.api_base,
            "poll_timeout_seconds": self.poll_timeout_seconds,
            "request_timeout_seconds": self.request_timeout_seconds,
        })
    }

    /// What the audit log keeps: the bot's public id (the token's part before the
    /// colon), never the token.
    pub fn for_audit(&self) -> serde_json::Value {
        serde_json::json!({
            "bot_id": self.bot_token.split_once(':').map(|(id, _)| id).unwrap_or_default(),
            "api_base": self.api_base,
            "poll_timeout_seconds": self.poll_timeout_seconds,
            "request_timeout_seconds": self.request_timeout_seconds,
        })
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_seconds.max(1))
    }

    /// A long poll's wait and the time its answer may take on top.
    pub fn poll_call_timeout(&self) -> Duration {
        Duration::from_secs(self.poll_timeout_seconds) + self.request_timeout()
    }
}

/// Asks Telegram who the bot is (`getMe`): its `@username`, or why not, in words.
pub fn test_connection(settings: &Settings) -> Result<String, String> {
    let api = Api::new(settings, settings.request_timeout());
    match api.get("getMe", &[]) {
        Ok(me) => match me["username"].as_str() {
            Some(name) => Ok(format!("@{name}")),
            None => Err(Failure::Unreachable("getMe".into()).reason()),
        },
        Err(failure) => Err(failure.reason()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "123456789:AAHk3xP-test_token_0123456789";

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_new_channel_needs_a_token_and_an_empty_one_keeps_the_last() {
        let errors = Settings::from_form(&form(&[]), None).unwrap_err();
        assert_eq!(errors.get("bot_token"), Some(&"field-required"));
        let first = Settings::from_form(&form(&[("bot_token", TOKEN)]), None).unwrap();
        assert_eq!((first.api_base.as_str(), first.poll_timeout_seconds), (DEFAULT_API_BASE, 25));
        let edited = Settings::from_form(
            &form(&[("bot_token", ""), ("api_base", "http://127.0.0.1:9/"), ("poll_timeout_seconds", "1")]),
            Some(&first),
        )
        .unwrap();
        assert_eq!(edited.bot_token, TOKEN);
        assert_eq!((edited.api_base.as_str(), edited.poll_timeout_seconds), ("http://127.0.0.1:9", 1));
    }

    #[test]
    fn bad_values_are_named_by_field() {
        let errors = Settings::from_form(
            &form(&[
                ("bot_token", "not a token"),
                ("api_base", "ftp://x"),
                ("poll_timeout_seconds", "90"),
                ("request_timeout_seconds", "soon"),
            ]),
            None,
        )
        .unwrap_err();
        assert_eq!(errors.get("bot_token"), Some(&"telegram-bad-token"));
        assert_eq!(errors.get("api_base"), Some(&"telegram-bad-api-base"));
        assert_eq!(errors.get("poll_timeout_seconds"), Some(&"field-out-of-range"));
        assert_eq!(errors.get("request_timeout_seconds"), Some(&"field-not-a-number"));
    }

    #[test]
    fn the_token_never_leaves_in_the_form_or_the_audit() {
        let s = Settings::from_form(&form(&[("bot_token", TOKEN)]), None).unwrap();
        for shown in [s.for_form(), s.for_audit()] {
            assert!(!shown.to_string().contains("AAHk3xP"), "{shown}");
        }
        assert_eq!(s.for_form()["bot_token_set"], true);
        assert_eq!(s.for_audit()["bot_id"], "123456789");
        let stored = Channel {
            id: 1,
            kind: crate::domain::channel_kind::ChannelKind::Telegram,
            name: String::new(),
            key: String::new(),
            active: true,
            default_team_id: None,
            schedule_group_id: None,
            config: s.to_json(),
        };
        assert_eq!(Settings::of(&stored), s);
    }
}
