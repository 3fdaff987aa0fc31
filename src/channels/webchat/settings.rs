//! What an administrator gives a web chat channel (`channels.config`): colour,
//! greeting, pre-chat fields; and the public key the company's site embeds.

use serde::{Deserialize, Serialize};

use crate::accounts::credentials::random_token;
use crate::db::channels::Channel;

/// Whether the pre-chat form asks for a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Ask {
    #[default]
    Off,
    Optional,
    Required,
}

impl Ask {
    /// What the visitor typed in a field, when the form asks for it.
    pub(super) fn read(self, typed: &Option<String>) -> &str {
        match self {
            Ask::Off => "",
            _ => typed.as_deref().unwrap_or_default(),
        }
    }

    pub fn from_checkboxes(ask: bool, required: bool) -> Ask {
        match (ask || required, required) {
            (false, _) => Ask::Off,
            (true, false) => Ask::Optional,
            (true, true) => Ask::Required,
        }
    }
}

/// What `channels.config` holds for a web chat channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default = "default_color")]
    pub color: String,
    #[serde(default)]
    pub greeting: String,
    #[serde(default)]
    pub email: Ask,
    #[serde(default)]
    pub phone: Ask,
}

fn default_color() -> String {
    "#0f5fa8".into()
}

impl Default for Settings {
    fn default() -> Self {
        Settings { color: default_color(), greeting: String::new(), email: Ask::Off, phone: Ask::Off }
    }
}

impl Settings {
    pub fn of(channel: &Channel) -> Settings {
        serde_json::from_value(channel.config.clone()).unwrap_or_default()
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// `#rrggbb`, nothing else (it ends up in a stylesheet class choice and an attribute).
pub fn is_color(text: &str) -> bool {
    text.len() == 7 && text.starts_with('#') && text[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// A new public channel key: random and URL-safe (22 characters).
pub fn new_key() -> String {
    random_token().chars().take(22).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_colours() {
        let k = new_key();
        assert_eq!(k.len(), 22);
        assert!(k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(k, new_key());
        assert!(is_color("#0F5fa8") && !is_color("0f5fa8") && !is_color("#0f5fa") && !is_color("#zzzzzz"));
        assert_eq!(Ask::from_checkboxes(false, true), Ask::Required);
        assert_eq!(Ask::from_checkboxes(true, false), Ask::Optional);
    }
}
