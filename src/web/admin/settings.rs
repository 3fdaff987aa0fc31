//! "Configurações": company name and logo, language and time zone, auto-close and
//! survey, sign-in policy, and the SMTP server for system e-mail (with a test button).

use rocket::form::FromForm;
use rocket::fs::TempFile;
use rocket::http::{ContentType, Status};
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{done, Done};
use crate::accounts::{blocking, FieldErrors};
use crate::channels::smtp::{self, Mail};
use crate::config::Config;
use crate::db::settings::{self, Settings};
use crate::db::{audit, Db};
use crate::domain::fields;
use crate::domain::phone;
use crate::i18n;
use crate::web::csrf::{CarriesToken, CsrfForm, CsrfUpload};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Edit, Settings as SettingsArea, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

/// Largest logo accepted.
const LOGO_MAX_BYTES: u64 = 512 * 1024;

/// What the form shows, as text. The SMTP password is never sent back to the page.
#[derive(Debug, Clone, Default, FromForm, serde::Serialize)]
struct SettingsForm {
    company_name: String,
    default_language: String,
    time_zone: String,
    default_country: String,
    auto_close_minutes: String,
    closing_message: String,
    survey_enabled: bool,
    lockout_attempts: String,
    lockout_minutes: String,
    link_minutes: String,
    session_idle_minutes: String,
    session_max_hours: String,
    heartbeat_minutes: String,
    smtp_host: String,
    smtp_port: String,
    smtp_security: String,
    smtp_username: String,
    /// Empty keeps the stored password.
    #[serde(skip)]
    smtp_password: String,
    smtp_from_address: String,
}

fn shown(s: &Settings) -> SettingsForm {
    SettingsForm {
        company_name: s.company_name.clone(),
        default_language: s.default_language.clone().unwrap_or_default(),
        time_zone: s.time_zone.clone(),
        default_country: s.default_country.clone(),
        auto_close_minutes: s.auto_close_minutes.to_string(),
        closing_message: s.closing_message.clone(),
        survey_enabled: s.survey_enabled,
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
    }
}

/// Applies the form onto the current settings; every problem at once.
fn validate(f: &SettingsForm, current: &Settings) -> Result<Settings, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut s = current.clone();
    s.company_name = fields::text(&mut e, "company_name", &f.company_name, 80);
    s.default_language = match f.default_language.trim() {
        "" => None,
        code => match i18n::normalise(code) {
            Some(lang) if lang == code => Some(lang.to_string()),
            _ => {
                e.insert("default_language", "settings-bad-language");
                None
            }
        },
    };
    s.time_zone = f.time_zone.trim().to_string();
    if crate::domain::clock::parse_zone(&s.time_zone).is_none() {
        e.insert("time_zone", "settings-bad-time-zone");
    }
    s.default_country = f.default_country.trim().to_ascii_uppercase();
    if !phone::COUNTRIES.contains(&s.default_country.as_str()) {
        e.insert("default_country", "settings-bad-country");
    }
    let mut number = |field, value: &str, min, max| fields::number(&mut e, field, value, min, max, true).unwrap_or(min);
    s.auto_close_minutes = number("auto_close_minutes", &f.auto_close_minutes, 0, 10_080);
    s.lockout_attempts = number("lockout_attempts", &f.lockout_attempts, 3, 20);
    s.lockout_minutes = number("lockout_minutes", &f.lockout_minutes, 1, 1440);
    s.link_minutes = number("link_minutes", &f.link_minutes, 5, 1440);
    s.session_idle_minutes = number("session_idle_minutes", &f.session_idle_minutes, 5, 1440);
    s.session_max_hours = number("session_max_hours", &f.session_max_hours, 1, 72);
    s.heartbeat_minutes = number("heartbeat_minutes", &f.heartbeat_minutes, 1, 60);
    let port = number("smtp_port", &f.smtp_port, 1, 65_535);
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
    s.smtp.from_address = fields::optional_text(&mut e, "smtp_from_address", &f.smtp_from_address, 254);
    if !s.smtp.from_address.is_empty() {
        match smtp::sender(&s.smtp.from_address) {
            Some(from) => s.smtp.from_address = from,
            None => {
                e.insert("smtp_from_address", "email-invalid");
            }
        }
    }
    if !s.smtp.host.is_empty() && s.smtp.from_address.is_empty() {
        e.insert("smtp_from_address", "field-required");
    }
    if e.is_empty() {
        Ok(s)
    } else {
        Err(e)
    }
}

/// The fields this page edits, copied from a validated document onto a fresh one.
fn copy_page_fields(from: &Settings, into: &mut Settings) {
    into.company_name = from.company_name.clone();
    into.default_language = from.default_language.clone();
    into.time_zone = from.time_zone.clone();
    into.default_country = from.default_country.clone();
    into.auto_close_minutes = from.auto_close_minutes;
    into.closing_message = from.closing_message.clone();
    into.survey_enabled = from.survey_enabled;
    into.lockout_attempts = from.lockout_attempts;
    into.lockout_minutes = from.lockout_minutes;
    into.link_minutes = from.link_minutes;
    into.session_idle_minutes = from.session_idle_minutes;
    into.session_max_hours = from.session_max_hours;
    into.heartbeat_minutes = from.heartbeat_minutes;
    into.smtp = from.smtp.clone();
}

/// Settings as recorded in the audit log: the SMTP password never appears.
fn masked(s: &Settings) -> Settings {
    let mut copy = s.clone();
    if !copy.smtp.password.is_empty() {
        copy.smtp.password = "••••••".into();
    }
    copy
}

fn settings_page(
    page: &Page,
    typed: &SettingsForm,
    current: &Settings,
    errors: serde_json::Value,
    notice: Option<&str>,
) -> Template {
    let zones = crate::domain::schedule::zone_choices_with(&typed.time_zone);
    let countries: Vec<_> = phone::COUNTRIES
        .iter()
        .map(|code| serde_json::json!({ "code": code, "calling_code": phone::country_calling_code(code) }))
        .collect();
    page.render(
        "admin/settings/form.html",
        context! {
            typed, errors, notice, zones, countries,
            has_password: !current.smtp.password.is_empty(),
            logo: current.logo.is_some(),
            logo_max_kb: LOGO_MAX_BYTES / 1024,
        },
    )
}

#[get("/admin/settings?<done>")]
async fn show(page: Page, _can: Can<SettingsArea, View>, db: &State<Db>, done: Option<&str>) -> WebResult<Template> {
    let current = db.read(settings::load).await?;
    let notice = done.map(|d| match d {
        "logo" => "settings-logo-saved",
        "logo-removed" => "settings-logo-removed",
        _ => "settings-saved",
    });
    Ok(settings_page(&page, &shown(&current), &current, serde_json::json!({}), notice))
}

#[post("/admin/settings", data = "<form>")]
async fn save(
    page: Page,
    can: Can<SettingsArea, Edit>,
    htmx: Htmx,
    form: CsrfForm<SettingsForm>,
    db: &State<Db>,
) -> WebResult<Result<Done, (Status, Template)>> {
    let typed = form.0;
    let current = db.read(settings::load).await?;
    let next = match validate(&typed, &current) {
        Ok(s) => s,
        Err(errors) => {
            let errors = serde_json::to_value(errors).unwrap_or_default();
            return Ok(Err((Status::UnprocessableEntity, settings_page(&page, &typed, &current, errors, None))));
        }
    };
    let actor = can.actor();
    db.write(move |tx| {
        // Read again inside the transaction: other pages (word filter, contact fields)
        // keep settings of their own in the same document.
        let before = settings::load(tx)?;
        let mut after = before.clone();
        copy_page_fields(&next, &mut after);
        settings::save(tx, &after)?;
        audit::record_change(tx, &actor, "settings.update", "settings", Some(&masked(&before)), Some(&masked(&after)))
    })
    .await?;
    Ok(Ok(done(&htmx, "/admin/settings?done=saved".into())))
}

#[derive(FromForm)]
struct LogoUpload<'r> {
    csrf_token: String,
    logo: TempFile<'r>,
}

impl CarriesToken for LogoUpload<'_> {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// The image kinds a logo may be, recognised by their first bytes (never by name).
fn image_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

#[post("/admin/settings/logo", data = "<upload>")]
async fn upload_logo(
    page: Page,
    can: Can<SettingsArea, Edit>,
    upload: CsrfUpload<LogoUpload<'_>>,
    db: &State<Db>,
    config: &State<Config>,
) -> WebResult<Result<Done, (Status, Template)>> {
    let file = upload.0.logo;
    let current = db.read(settings::load).await?;
    let refuse = |key: &'static str| {
        let errors = serde_json::json!({ "logo": key });
        Ok(Err((Status::UnprocessableEntity, settings_page(&page, &shown(&current), &current, errors, None))))
    };
    if file.len() == 0 {
        return refuse("field-required");
    }
    if file.len() > LOGO_MAX_BYTES {
        return refuse("settings-logo-too-large");
    }
    let Some(path) = file.path() else { return refuse("settings-logo-not-image") };
    let bytes = rocket::tokio::fs::read(path).await.map_err(crate::db::DbError::Io)?;
    let Some(kind) = image_kind(&bytes) else { return refuse("settings-logo-not-image") };
    // Stored under a name of our own, so nothing the browser sent reaches the file system.
    let name = format!("logo.{kind}");
    rocket::tokio::fs::write(config.data_dir.join(&name), &bytes).await.map_err(crate::db::DbError::Io)?;
    let actor = can.actor();
    let size = bytes.len();
    db.write(move |tx| {
        let mut s = settings::load(tx)?;
        let before = s.logo.clone();
        s.logo = Some(name.clone());
        settings::save(tx, &s)?;
        audit::record_change(
            tx,
            &actor,
            "settings.logo",
            "settings",
            Some(&before),
            Some(&serde_json::json!({"file": name, "bytes": size})),
        )
    })
    .await?;
    Ok(Ok(done(&Htmx(false), "/admin/settings?done=logo".into())))
}

#[post("/admin/settings/logo/remove", data = "<_form>")]
async fn remove_logo(
    can: Can<SettingsArea, Edit>,
    _form: CsrfForm<crate::web::csrf::NoFields>,
    db: &State<Db>,
) -> WebResult<Done> {
    let actor = can.actor();
    db.write(move |tx| {
        let mut s = settings::load(tx)?;
        let before = s.logo.take();
        settings::save(tx, &s)?;
        audit::record_change(tx, &actor, "settings.logo", "settings", Some(&before), None)
    })
    .await?;
    Ok(done(&Htmx(false), "/admin/settings?done=logo-removed".into()))
}

/// Sends a test message to the administrator's own address with the stored settings.
#[post("/admin/settings/test-email", data = "<_form>")]
async fn test_email(
    page: Page,
    can: Can<SettingsArea, Edit>,
    _form: CsrfForm<crate::web::csrf::NoFields>,
    db: &State<Db>,
) -> WebResult<(Status, Template)> {
    let current = db.read(settings::load).await?;
    let me = can.who.user.clone();
    let mail = Mail {
        to_name: me.name.clone(),
        to_address: me.email.clone(),
        subject: i18n::translate(page.lang, "settings-test-subject"),
        body: i18n::translate(page.lang, "settings-test-body"),
    };
    let smtp_settings = current.smtp.clone();
    let result = blocking(move || smtp::send(&smtp_settings, &mail)).await?;
    let (status, notice) = match result {
        Ok(()) => (Status::Ok, "settings-test-sent"),
        Err(smtp::MailError::NotConfigured) => (Status::UnprocessableEntity, "settings-test-not-configured"),
        Err(e) => {
            tracing::warn!(error = %e, "test e-mail failed");
            (Status::BadGateway, "settings-test-failed")
        }
    };
    let actor = can.actor();
    let ok = status == Status::Ok;
    db.write(move |tx| {
        audit::record(tx, actor.user_id, "settings.test-email", "settings", &serde_json::json!({"sent": ok}), &actor.ip)
    })
    .await?;
    Ok((status, settings_page(&page, &shown(&current), &current, serde_json::json!({}), Some(notice))))
}

/// The company logo, for the login page and the top bar (public: shown before sign-in).
#[get("/logo")]
async fn logo(db: &State<Db>, config: &State<Config>) -> WebResult<Result<(ContentType, Vec<u8>), Status>> {
    let current = db.read(settings::load).await?;
    let Some(name) = current.logo.filter(|n| n.starts_with("logo.") && !n.contains('/')) else {
        return Ok(Err(Status::NotFound));
    };
    let Ok(bytes) = rocket::tokio::fs::read(config.data_dir.join(&name)).await else {
        return Ok(Err(Status::NotFound));
    };
    let kind = image_kind(&bytes).and_then(ContentType::from_extension).unwrap_or(ContentType::Binary);
    Ok(Ok((kind, bytes)))
}

pub fn routes() -> Vec<Route> {
    routes![show, save, upload_logo, remove_logo, test_email, logo]
}
