//! What an administrator gives an e-mail channel (`channels.config`): the mailbox's
//! address, where its IMAP folder and SMTP server are, how to sign in, and how often
//! to look for mail. The password is a secret: it never leaves this module but to the
//! servers themselves (not to a form, a log line or the audit log).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::db::channels::Channel;
use crate::domain::fields::{self, FieldErrors};

/// How a connection is protected: TLS from the first byte, STARTTLS after the greeting,
/// or nothing at all — allowed only towards this machine (a test server, a local relay),
/// so a password never crosses a network in the clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    #[default]
    Tls,
    Starttls,
    None,
}

impl Security {
    const NAMES: [&'static str; 3] = ["tls", "starttls", "none"];

    fn parse(name: &str) -> Security {
        match name {
            "starttls" => Security::Starttls,
            "none" => Security::None,
            _ => Security::Tls,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Security::Tls => "tls",
            Security::Starttls => "starttls",
            Security::None => "none",
        }
    }
}

/// What `channels.config` holds for an e-mail channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The mailbox customers write to; replies go out from it.
    pub address: String,
    pub imap_host: String,
    pub imap_port: u16,
    pub imap_security: Security,
    /// The folder read for new mail.
    pub folder: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_security: Security,
    /// Empty: the address.
    pub username: String,
    pub password: String,
    /// The wait between two looks at the folder that found nothing, and after a failed one.
    pub poll_interval_secs: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            address: String::new(),
            imap_host: String::new(),
            imap_port: 993,
            imap_security: Security::Tls,
            folder: "INBOX".into(),
            smtp_host: String::new(),
            smtp_port: 465,
            smtp_security: Security::Tls,
            username: String::new(),
            password: String::new(),
            poll_interval_secs: 60,
        }
    }
}

/// Hosts a connection without TLS may go to.
fn is_loopback(host: &str) -> bool {
    let host = host.trim().trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A host name or address: one word of letters, digits, dots, dashes and colons.
fn host(errors: &mut FieldErrors, field: &'static str, typed: &str) -> String {
    let value = fields::text(errors, field, typed, 253);
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '_');
    if !errors.contains_key(field) && !value.chars().all(allowed) {
        errors.insert(field, "email-bad-host");
    }
    value
}

fn port(errors: &mut FieldErrors, field: &'static str, typed: &str) -> u16 {
    fields::number(errors, field, typed, 1, 65_535, true).unwrap_or_default() as u16
}

fn security(errors: &mut FieldErrors, field: &'static str, typed: &str, host: &str) -> Security {
    let chosen = Security::parse(&fields::one_of(errors, field, typed, &Security::NAMES));
    if chosen == Security::None && !is_loopback(host) && !errors.contains_key(field) {
        errors.insert(field, "email-plain-loopback-only");
    }
    chosen
}

impl Settings {
    pub fn of(channel: &Channel) -> Settings {
        serde_json::from_value(channel.config.clone()).unwrap_or_default()
    }

    /// The settings as an administrator typed them (`form`: field name → text);
    /// `previous` is what the channel has now, whose password stays when the field is
    /// left empty. A new channel must give its password.
    pub fn from_form(form: &HashMap<String, String>, previous: Option<&Settings>) -> Result<Settings, FieldErrors> {
        let typed = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
        let mut errors = FieldErrors::new();
        let address = fields::email(&mut errors, "address", typed("address"), true);
        let imap_host = host(&mut errors, "imap_host", typed("imap_host"));
        let smtp_host = host(&mut errors, "smtp_host", typed("smtp_host"));
        let folder = typed("folder").trim();
        let folder =
            if folder.is_empty() { "INBOX".to_string() } else { fields::text(&mut errors, "folder", folder, 200) };
        let password = match (typed("password"), previous) {
            ("", Some(previous)) if !previous.password.is_empty() => previous.password.clone(),
            ("", _) => {
                errors.insert("password", "field-required");
                String::new()
            }
            // A password is kept exactly as typed: spaces may be part of it.
            (typed, _) if typed.chars().count() > 500 => {
                errors.insert("password", "field-too-long");
                String::new()
            }
            (typed, _) => typed.to_string(),
        };
        let settings = Settings {
            imap_port: port(&mut errors, "imap_port", typed("imap_port")),
            imap_security: security(&mut errors, "imap_security", typed("imap_security"), &imap_host),
            smtp_port: port(&mut errors, "smtp_port", typed("smtp_port")),
            smtp_security: security(&mut errors, "smtp_security", typed("smtp_security"), &smtp_host),
            username: fields::optional_text(&mut errors, "username", typed("username"), 200),
            poll_interval_secs: fields::number(
                &mut errors,
                "poll_interval_secs",
                typed("poll_interval_secs"),
                1,
                3_600,
                true,
            )
            .unwrap_or(60) as u64,
            address,
            imap_host,
            smtp_host,
            folder,
            password,
        };
        if errors.is_empty() {
            Ok(settings)
        } else {
            Err(errors)
        }
    }

    /// The name to sign in with: the username, or else the address.
    pub fn login(&self) -> &str {
        if self.username.is_empty() {
            &self.address
        } else {
            &self.username
        }
    }

    /// What the form shows: every field but the password, which is only said to be set.
    pub fn for_form(&self) -> serde_json::Value {
        serde_json::json!({
            "address": self.address,
            "imap_host": self.imap_host,
            "imap_port": self.imap_port,
            "imap_security": self.imap_security.as_str(),
            "folder": self.folder,
            "smtp_host": self.smtp_host,
            "smtp_port": self.smtp_port,
            "smtp_security": self.smtp_security.as_str(),
            "username": self.username,
            "password_set": !self.password.is_empty(),
            "poll_interval_secs": self.poll_interval_secs,
        })
    }

    /// What the audit log keeps of a change: the same as the form.
    pub fn for_audit(&self) -> serde_json::Value {
        self.for_form()
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// Signs in to the IMAP server, opens the folder and greets the SMTP server; blocking.
/// Ok: how many mails the folder holds (`INBOX: 3`); Err: what failed, without a secret.
pub fn test_connection(settings: &Settings) -> Result<String, String> {
    let count = super::poller::count(settings)?;
    super::sender::greet(settings)?;
    Ok(format!("{}: {count}", settings.folder))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn complete() -> Vec<(&'static str, &'static str)> {
        vec![
            ("address", " SAC@Empresa.test "),
            ("imap_host", "imap.empresa.test"),
            ("imap_port", "993"),
            ("imap_security", "tls"),
            ("folder", ""),
            ("smtp_host", "smtp.empresa.test"),
            ("smtp_port", "587"),
            ("smtp_security", "starttls"),
            ("username", ""),
            ("password", "segredo muito bom"),
            ("poll_interval_secs", "30"),
        ]
    }

    #[test]
    fn a_complete_form_gives_settings_and_the_password_never_shows() {
        let s = Settings::from_form(&form(&complete()), None).unwrap();
        // The domain is normalised; the local part is the mailbox's own.
        assert_eq!(s.address, "SAC@empresa.test");
        assert_eq!((s.folder.as_str(), s.login()), ("INBOX", "SAC@empresa.test"));
        assert_eq!((s.smtp_security, s.poll_interval_secs), (Security::Starttls, 30));
        assert_eq!(s.password, "segredo muito bom");
        for shown in [s.for_form(), s.for_audit()] {
            assert!(!shown.to_string().contains("segredo"), "{shown}");
            assert_eq!(shown["password_set"], true);
        }
        let channel_config = s.to_json();
        let back: Settings = serde_json::from_value(channel_config).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn an_empty_password_keeps_the_previous_one_and_a_new_channel_needs_one() {
        let previous = Settings::from_form(&form(&complete()), None).unwrap();
        let mut typed = complete();
        typed.retain(|(k, _)| *k != "password");
        let kept = Settings::from_form(&form(&typed), Some(&previous)).unwrap();
        assert_eq!(kept.password, "segredo muito bom");
        let errors = Settings::from_form(&form(&typed), None).unwrap_err();
        assert_eq!(errors.get("password"), Some(&"field-required"));
    }

    #[test]
    fn bad_fields_are_named_and_plain_connections_stay_on_this_machine() {
        let mut typed = complete();
        typed.extend([
            ("address", "not an address"),
            ("imap_port", "70000"),
            ("imap_security", "none"),
            ("smtp_host", "smtp host; rm"),
            ("poll_interval_secs", "0"),
        ]);
        let errors = Settings::from_form(&form(&typed), None).unwrap_err();
        assert_eq!(errors.get("address"), Some(&"email-invalid"));
        assert_eq!(errors.get("imap_port"), Some(&"field-out-of-range"));
        assert_eq!(errors.get("imap_security"), Some(&"email-plain-loopback-only"));
        assert_eq!(errors.get("smtp_host"), Some(&"email-bad-host"));
        assert_eq!(errors.get("poll_interval_secs"), Some(&"field-out-of-range"));
        let mut local = complete();
        local.extend([("imap_host", "127.0.0.1"), ("imap_security", "none"), ("smtp_host", "localhost")]);
        local.push(("smtp_security", "none"));
        assert!(Settings::from_form(&form(&local), None).is_ok());
    }

    #[test]
    fn stored_settings_read_back_with_defaults_for_what_is_missing() {
        let partial = serde_json::json!({"address": "sac@empresa.test", "imap_security": "starttls"});
        let s: Settings = serde_json::from_value(partial).unwrap();
        assert_eq!((s.imap_security, s.imap_port, s.folder.as_str()), (Security::Starttls, 993, "INBOX"));
    }
}
