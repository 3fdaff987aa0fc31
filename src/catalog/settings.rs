//! "Configurações": the company's settings (name, language, time zone, default
//! country, auto-close, the survey and how long it stays open, sign-in policy, SMTP), its logo and the SMTP test. One JSON
//! document holds them all; other pages keep settings of their own in it, so each
//! change is applied to the document as read inside its own transaction.

use std::path::{Path, PathBuf};

use rocket::form::FromForm;
use serde::Serialize;

use super::{checked, refuse, CatalogError, CatalogResult};
use crate::accounts::Actor;
use crate::channels::smtp::{self, Mail, MailError};
use crate::db::settings::{self, Settings};
use crate::db::{audit, Db, DbError};
use crate::domain::fields::{self, FieldErrors};
use crate::domain::{image, phone};
use crate::i18n;

/// The longest retention one may choose: ten years.
pub const MAX_RETENTION_MONTHS: i64 = 120;

/// Largest logo accepted.
pub const LOGO_MAX_BYTES: u64 = 512 * 1024;

/// The settings as typed in their form. The SMTP password is never sent back to the page.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct SettingsDraft {
    pub company_name: String,
    pub default_language: String,
    pub time_zone: String,
    pub default_country: String,
    pub auto_close_minutes: String,
    pub closing_message: String,
    pub survey_enabled: bool,
    /// Hours an unanswered survey stays open.
    pub survey_expiry_hours: String,
    pub lockout_attempts: String,
    pub lockout_minutes: String,
    pub link_minutes: String,
    pub session_idle_minutes: String,
    pub session_max_hours: String,
    pub heartbeat_minutes: String,
    pub smtp_host: String,
    pub smtp_port: String,
    pub smtp_security: String,
    pub smtp_username: String,
    /// Empty keeps the stored password.
    #[serde(skip)]
    pub smtp_password: String,
    pub smtp_from_address: String,
    /// Months; empty or 0 keeps conversations forever (absent from older forms).
    #[field(default = String::new())]
    pub retention_months: String,
}

impl SettingsDraft {
    /// The form for the stored settings.
    pub fn of(s: &Settings) -> SettingsDraft {
        SettingsDraft {
            company_name: s.company_name.clone(),
            default_language: s.default_language.clone().unwrap_or_default(),
            time_zone: s.time_zone.clone(),
            default_country: s.default_country.clone(),
            auto_close_minutes: s.auto_close_minutes.to_string(),
            closing_message: s.closing_message.clone(),
            survey_enabled: s.survey_enabled,
            survey_expiry_hours: s.survey_expiry_hours.to_string(),
            lockout_attempts: s.lockout_attempts.to_string(),
            lockout_minutes: s.lockout_minutes.to_string(),
            link_minutes: s.link_minutes.to_string(),
            session_idle_minutes: s.session_idle_minutes.to_string(),
            session_max_hours: s.session_max_hours.to_string(),
            heartbeat_minutes: s.heartbeat_minutes.to_string(),
            smtp_host: s.smtp.host.clone(),
            smtp_port: s.smtp.port.to_string(),
            smtp_security: s.smtp.security.clone(),
            smtp_username: s.smtp.username.clone(),
            smtp_password: String::new(),
            smtp_from_address: s.smtp.from_address.clone(),
            retention_months: match s.retention_months {
                0 => String::new(),
                n => n.to_string(),
            },
        }
    }

    /// Applies the form onto `current` (what this page does not edit stays); every
    /// problem at once.
    fn applied_to(&self, current: &Settings) -> CatalogResult<Settings> {
        let (f, mut e, mut s) = (self, FieldErrors::new(), current.clone());
        s.company_name = fields::text(&mut e, "company_name", &f.company_name, 80);
        s.default_language = language(&mut e, &f.default_language);
        s.time_zone = f.time_zone.trim().to_string();
        if crate::domain::clock::parse_zone(&s.time_zone).is_none() {
            e.insert("time_zone", "settings-bad-time-zone");
        }
        s.default_country = f.default_country.trim().to_ascii_uppercase();
        if !phone::COUNTRIES.contains(&s.default_country.as_str()) {
            e.insert("default_country", "settings-bad-country");
        }
        let mut number =
            |field, value: &str, min, max| fields::number(&mut e, field, value, min, max, true).unwrap_or(min);
        s.auto_close_minutes = number("auto_close_minutes", &f.auto_close_minutes, 0, 10_080);
        // At most a week: past it the customer no longer remembers the service rated.
        s.survey_expiry_hours = number("survey_expiry_hours", &f.survey_expiry_hours, 1, 168);
        s.lockout_attempts = number("lockout_attempts", &f.lockout_attempts, 3, 20);
        s.lockout_minutes = number("lockout_minutes", &f.lockout_minutes, 1, 1440);
        s.link_minutes = number("link_minutes", &f.link_minutes, 5, 1440);
        s.session_idle_minutes = number("session_idle_minutes", &f.session_idle_minutes, 5, 1440);
        s.session_max_hours = number("session_max_hours", &f.session_max_hours, 1, 72);
        s.heartbeat_minutes = number("heartbeat_minutes", &f.heartbeat_minutes, 1, 60);
        let port = number("smtp_port", &f.smtp_port, 1, 65_535);
        s.retention_months =
            fields::number(&mut e, "retention_months", &f.retention_months, 0, MAX_RETENTION_MONTHS, false)
                .unwrap_or(0);
        s.closing_message = fields::optional_text(&mut e, "closing_message", &f.closing_message, 500);
        s.survey_enabled = f.survey_enabled;
        s.smtp.host = fields::optional_text(&mut e, "smtp_host", &f.smtp_host, 253);
        if s.smtp.host.contains(|c: char| c.is_whitespace() || c == '/') {
            e.insert("smtp_host", "settings-bad-host");
        }
        s.smtp.port = u16::try_from(port).unwrap_or(587);
        s.smtp.security = match f.smtp_security.as_str() {
            sec @ ("none" | "starttls" | "tls") => sec.to_string(),
            _ => {
                e.insert("smtp_security", "settings-bad-security");
                current.smtp.security.clone()
            }
        };
        s.smtp.username = fields::optional_text(&mut e, "smtp_username", &f.smtp_username, 200);
        if !f.smtp_password.is_empty() {
            s.smtp.password = f.smtp_password.clone();
        }
        let from = fields::optional_text(&mut e, "smtp_from_address", &f.smtp_from_address, 254);
        // A server needs a sender.
        s.smtp.from_address = smtp::sender(&mut e, "smtp_from_address", &from, !s.smtp.host.is_empty());
        checked(s, e)
    }
}

/// The default language: empty follows the browser, else one of the catalogues.
fn language(errors: &mut FieldErrors, typed: &str) -> Option<String> {
    match typed.trim() {
        "" => None,
        code => match i18n::normalise(code) {
            Some(lang) if lang == code => Some(lang.to_string()),
            _ => {
                errors.insert("default_language", "settings-bad-language");
                None
            }
        },
    }
}

/// Settings as recorded in the audit log: the SMTP password never appears.
fn masked(s: &Settings) -> Settings {
    let mut copy = s.clone();
    if !copy.smtp.password.is_empty() {
        copy.smtp.password = "••••••".into();
    }
    copy
}

/// Saves the settings page, audited as `settings.update` (before and after, masked).
pub async fn save(db: &Db, actor: &Actor, draft: &SettingsDraft) -> CatalogResult<()> {
    let (draft, actor) = (draft.clone(), actor.clone());
    db.transact(move |tx| {
        let before = settings::load(tx)?;
        let after = draft.applied_to(&before)?;
        settings::save(tx, &after)?;
        audit::record_change(tx, &actor, "settings.update", "settings", Some(&masked(&before)), Some(&masked(&after)))?;
        Ok(())
    })
    .await
}

/// An uploaded logo: its size, and the file it was received in (none when the form
/// sent text instead of a file).
pub struct Upload<'a> {
    pub size: u64,
    pub path: Option<&'a Path>,
}

/// Takes a new logo: a PNG, JPEG or WebP (`domain::image`) of at most `LOGO_MAX_BYTES`, stored in the
/// data directory under a name of our own (nothing the browser sent reaches the file
/// system); audited as `settings.logo`.
pub async fn save_logo(db: &Db, actor: &Actor, data_dir: &Path, upload: Upload<'_>) -> CatalogResult<()> {
    if upload.size == 0 {
        return Err(refuse("logo", "field-required"));
    }
    if upload.size > LOGO_MAX_BYTES {
        return Err(refuse("logo", "settings-logo-too-large"));
    }
    let Some(path) = upload.path else { return Err(refuse("logo", "settings-logo-not-image")) };
    let bytes = rocket::tokio::fs::read(path).await.map_err(DbError::Io)?;
    let Some(kind) = image::kind(&bytes) else { return Err(refuse("logo", "settings-logo-not-image")) };
    let name = format!("logo.{kind}");
    let file: PathBuf = data_dir.join(&name);
    rocket::tokio::fs::write(file, &bytes).await.map_err(DbError::Io)?;
    let (actor, size) = (actor.clone(), bytes.len());
    db.transact(move |tx| {
        let mut s = settings::load(tx)?;
        let before = s.logo.replace(name.clone());
        settings::save(tx, &s)?;
        let after = serde_json::json!({"file": name, "bytes": size});
        Ok(audit::record_change(tx, &actor, "settings.logo", "settings", Some(&before), Some(&after))?)
    })
    .await
}

/// Goes back to no logo; audited as `settings.logo`.
pub async fn remove_logo(db: &Db, actor: &Actor) -> CatalogResult<()> {
    let actor = actor.clone();
    db.transact(move |tx| {
        let mut s = settings::load(tx)?;
        let before = s.logo.take();
        settings::save(tx, &s)?;
        Ok(audit::record_change(tx, &actor, "settings.logo", "settings", Some(&before), None)?)
    })
    .await
}

/// How a test e-mail went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestMail {
    Sent,
    /// No SMTP server or sender saved yet.
    NotConfigured,
    /// The server refused or could not be reached (the reason is in the log).
    Failed,
}

/// Sends `mail` with the stored SMTP settings and records the attempt
/// (`settings.test-email`, whether it was sent).
pub async fn send_test_email(db: &Db, actor: &Actor, mail: Mail) -> CatalogResult<TestMail> {
    let smtp_settings = db.read(settings::load).await?.smtp;
    let sent = rocket::tokio::task::spawn_blocking(move || smtp::send(&smtp_settings, &mail))
        .await
        .map_err(|e| DbError::Task(e.to_string()))?;
    let outcome = match sent {
        Ok(()) => TestMail::Sent,
        Err(MailError::NotConfigured) => TestMail::NotConfigured,
        Err(e) => {
            tracing::warn!(error = %e, "test e-mail failed");
            TestMail::Failed
        }
    };
    let (actor, ok) = (actor.clone(), outcome == TestMail::Sent);
    db.transact(move |tx| {
        let details = serde_json::json!({"sent": ok});
        Ok::<_, CatalogError>(audit::record(tx, actor.user_id, "settings.test-email", "settings", &details, &actor.ip)?)
    })
    .await?;
    Ok(outcome)
}
