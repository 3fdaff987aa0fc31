//! Each kind's settings as the channel page and the shell give them, kept in
//! `channels.config`. A kind's module says how its form reads, what may be shown back
//! (never a secret: a secret left empty in the form keeps the one saved) and what the
//! audit log may keep; these functions choose the module by kind.

use std::collections::HashMap;

use serde_json::Value;

use super::{email, telegram, webchat, whatsapp};
use crate::db::channels::Channel;
use crate::domain::channel_kind::ChannelKind;
use crate::domain::fields::FieldErrors;

/// The kind's fields of the channel form (`settings[<field>]`), as typed.
pub type Form = HashMap<String, String>;

/// A field as typed; empty when the form did not send it.
pub fn value<'a>(form: &'a Form, field: &str) -> &'a str {
    form.get(field).map(String::as_str).unwrap_or("")
}

/// A ticked checkbox (unticked ones send nothing).
pub fn flag(form: &Form, field: &str) -> bool {
    matches!(value(form, field), "true" | "on" | "1")
}

/// The config a form gives a channel of `kind`; `previous` is the config saved so far
/// (an edit), whose secrets stay when their fields are left empty.
pub fn from_form(kind: ChannelKind, form: &Form, previous: Option<&Value>) -> Result<Value, FieldErrors> {
    match kind {
        ChannelKind::WebChat => Ok(webchat::from_form(form, saved(previous).as_ref())?.to_json()),
        ChannelKind::Email => Ok(email::Settings::from_form(form, saved(previous).as_ref())?.to_json()),
        ChannelKind::Telegram => Ok(telegram::Settings::from_form(form, saved(previous).as_ref())?.to_json()),
        ChannelKind::WhatsApp => Ok(whatsapp::Settings::from_form(form, saved(previous).as_ref())?.to_json()),
    }
}

/// A kind's settings as saved, to keep their secrets through an edit.
fn saved<T: serde::de::DeserializeOwned + Default>(previous: Option<&Value>) -> Option<T> {
    previous.map(|p| serde_json::from_value(p.clone()).unwrap_or_default())
}

/// What the channel page shows of a config: never a secret.
pub fn for_form(channel: &Channel) -> Value {
    match channel.kind {
        ChannelKind::WebChat => webchat::Settings::of(channel).for_form(),
        ChannelKind::Email => email::Settings::of(channel).for_form(),
        ChannelKind::Telegram => telegram::Settings::of(channel).for_form(),
        ChannelKind::WhatsApp => whatsapp::Settings::of(channel).for_form(),
    }
}

/// What the audit log keeps of a config: never a secret.
pub fn for_audit(channel: &Channel) -> Value {
    match channel.kind {
        ChannelKind::WebChat => webchat::Settings::of(channel).for_audit(),
        ChannelKind::Email => email::Settings::of(channel).for_audit(),
        ChannelKind::Telegram => telegram::Settings::of(channel).for_audit(),
        ChannelKind::WhatsApp => whatsapp::Settings::of(channel).for_audit(),
    }
}

/// "Testar conexão": asks the channel's service whether these settings work (blocking).
/// Ok: a short fact it answered (the bot's name, the number); Err: why not, without
/// any secret.
pub fn test_connection(channel: &Channel) -> Result<String, String> {
    match channel.kind {
        ChannelKind::WebChat => Ok(String::new()),
        ChannelKind::Email => email::settings::test_connection(&email::Settings::of(channel)),
        ChannelKind::Telegram => telegram::test_connection(&telegram::Settings::of(channel)),
        ChannelKind::WhatsApp => whatsapp::test_connection(&whatsapp::Settings::of(channel)),
    }
}

/// The form's fields as text, for showing a saved config in the form again.
pub fn as_form(shown: &Value) -> Form {
    let Value::Object(map) = shown else { return Form::new() };
    map.iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Bool(true) => "true".into(),
                Value::Bool(false) | Value::Null => String::new(),
                other => other.to_string(),
            };
            (k.clone(), text)
        })
        .collect()
}
