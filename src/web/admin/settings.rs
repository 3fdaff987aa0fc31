//! "Configurações": company name and logo, language and time zone, auto-close and
//! survey, sign-in policy, and the SMTP server for system e-mail (with a test button).
//! The use cases are in `catalog::settings`.

use rocket::form::FromForm;
use rocket::fs::TempFile;
use rocket::http::{ContentType, Status};
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{answer, done, Done, Saved};
use crate::catalog::settings::{self as company, SettingsDraft, TestMail, Upload, LOGO_MAX_BYTES};
use crate::channels::smtp::Mail;
use crate::config::Config;
use crate::db::settings::{self, Settings};
use crate::db::Db;
use crate::domain::{image, phone};
use crate::i18n;
use crate::web::csrf::{CarriesToken, CsrfForm, CsrfUpload, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Edit, Settings as SettingsArea, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

fn settings_page(
    page: &Page,
    typed: &SettingsDraft,
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

/// The page again after a refusal, with the stored settings (`typed` `None`: as stored).
async fn page_again(
    page: &Page,
    db: &Db,
    typed: Option<&SettingsDraft>,
    errors: serde_json::Value,
) -> WebResult<Template> {
    let current = db.read(settings::load).await?;
    let typed = typed.cloned().unwrap_or_else(|| SettingsDraft::of(&current));
    Ok(settings_page(page, &typed, &current, errors, None))
}

#[get("/admin/settings?<done>")]
async fn show(page: Page, _can: Can<SettingsArea, View>, db: &State<Db>, done: Option<&str>) -> WebResult<Template> {
    let current = db.read(settings::load).await?;
    let notice = done.map(|d| match d {
        "logo" => "settings-logo-saved",
        "logo-removed" => "settings-logo-removed",
        _ => "settings-saved",
    });
    Ok(settings_page(&page, &SettingsDraft::of(&current), &current, serde_json::json!({}), notice))
}

#[post("/admin/settings", data = "<form>")]
async fn save(
    page: Page,
    can: Can<SettingsArea, Edit>,
    htmx: Htmx,
    form: CsrfForm<SettingsDraft>,
    db: &State<Db>,
) -> Saved {
    let saved = company::save(db, &can.actor(), &form.0).await;
    answer(saved, &htmx, "/admin/settings?done=saved", |errors| page_again(&page, db, Some(&form.0), errors)).await
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

#[post("/admin/settings/logo", data = "<upload>")]
async fn upload_logo(
    page: Page,
    can: Can<SettingsArea, Edit>,
    upload: CsrfUpload<LogoUpload<'_>>,
    db: &State<Db>,
    config: &State<Config>,
) -> Saved {
    let file = &upload.0.logo;
    let logo = Upload { size: file.len(), path: file.path() };
    let saved = company::save_logo(db, &can.actor(), &config.data_dir, logo).await;
    answer(saved, &Htmx(false), "/admin/settings?done=logo", |errors| page_again(&page, db, None, errors)).await
}

#[post("/admin/settings/logo/remove", data = "<_form>")]
async fn remove_logo(can: Can<SettingsArea, Edit>, _form: CsrfForm<NoFields>, db: &State<Db>) -> WebResult<Done> {
    company::remove_logo(db, &can.actor()).await?;
    Ok(done(&Htmx(false), "/admin/settings?done=logo-removed".into()))
}

/// Sends a test message to the administrator's own address with the stored settings.
#[post("/admin/settings/test-email", data = "<_form>")]
async fn test_email(
    page: Page,
    can: Can<SettingsArea, Edit>,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<(Status, Template)> {
    let me = &can.who.user;
    let mail = Mail {
        to_name: me.name.clone(),
        to_address: me.email.clone(),
        subject: i18n::translate(page.lang, "settings-test-subject"),
        body: i18n::translate(page.lang, "settings-test-body"),
    };
    let (status, notice) = match company::send_test_email(db, &can.actor(), mail).await? {
        TestMail::Sent => (Status::Ok, "settings-test-sent"),
        TestMail::NotConfigured => (Status::UnprocessableEntity, "settings-test-not-configured"),
        TestMail::Failed => (Status::BadGateway, "settings-test-failed"),
    };
    let current = db.read(settings::load).await?;
    Ok((status, settings_page(&page, &SettingsDraft::of(&current), &current, serde_json::json!({}), Some(notice))))
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
    let kind = image::kind(&bytes).and_then(ContentType::from_extension).unwrap_or(ContentType::Binary);
    Ok(Ok((kind, bytes)))
}

pub fn routes() -> Vec<Route> {
    routes![show, save, upload_logo, remove_logo, test_email, logo]
}
