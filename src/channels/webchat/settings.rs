//! What an administrator gives a web chat channel (`channels.config`): colour,
//! greeting, pre-chat fields; and the public key the company's site embeds.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::accounts::credentials::random_token;
use crate::channels::settings::{flag, value, Form};
use crate::db::channels::Channel;
use crate::domain::fields::{self, FieldErrors};

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

    /// What the channel page shows (a web chat has no secret).
    pub fn for_form(&self) -> serde_json::Value {
        json!({
            "color": self.color,
            "greeting": self.greeting,
            "ask_email": self.email != Ask::Off,
            "require_email": self.email == Ask::Required,
            "ask_phone": self.phone != Ask::Off,
            "require_phone": self.phone == Ask::Required,
        })
    }

    pub fn for_audit(&self) -> serde_json::Value {
        self.to_json()
    }
}

/// The settings as typed in the channel page.
pub fn from_form(form: &Form, _previous: Option<&Settings>) -> Result<Settings, FieldErrors> {
    let mut errors = FieldErrors::new();
    let color = value(form, "color").trim().to_ascii_lowercase();
    if !is_color(&color) {
        errors.insert("color", "channels-bad-color");
    }
    let greeting = fields::optional_text(&mut errors, "greeting", value(form, "greeting"), 500);
    let settings = Settings {
        color,
        greeting,
        email: Ask::from_checkboxes(flag(form, "ask_email"), flag(form, "require_email")),
        phone: Ask::from_checkboxes(flag(form, "ask_phone"), flag(form, "require_phone")),
    };
    if errors.is_empty() {
        Ok(settings)
    } else {
        Err(errors)
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
