//! "Meu perfil": what an administrator set (teams, schedule group, history
//! permission), shown read-only; "Editar perfil" (F-AG-21): name, photo, extension
//! ("ramal"), phone and language; the e-mail, with the current password; one's own
//! password and two-factor authentication. The username never changes.

use rocket::form::FromForm;
use rocket::fs::TempFile;
use rocket::http::{ContentType, Header, Status};
use rocket::response::Redirect;
use rocket::tokio::io::AsyncReadExt;
use rocket::{get, post, routes, Either, Route, State};
use rocket_dyn_templates::{context, Template};

use super::auth::field_errors;
use super::csrf::{CarriesToken, CsrfForm, CsrfUpload, NoFields};
use super::errors::WebResult;
use super::guards::SignedIn;
use super::page::Page;
use crate::accounts::photo::{self as own_photo, PHOTO_MAX_BYTES};
use crate::accounts::profile::{self as own_profile, ProfileInput};
use crate::accounts::{manage, totp, AccountError};
use crate::config::Config;
use crate::db::{users, Db, DbError};
use crate::domain::image;

async fn profile_context(db: &Db, me: &SignedIn) -> WebResult<serde_json::Value> {
    let id = me.user.id;
    let recovery_left = db.read(move |c| users::unused_recovery_codes(c, id)).await?;
    let assigned = own_profile::assigned_settings(db, &me.user).await?;
    Ok(serde_json::json!({
        "recovery_left": recovery_left, "photo_max_kb": PHOTO_MAX_BYTES / 1024, "assigned": assigned,
    }))
}

/// The profile form's values: what is stored, or what was just typed.
fn edit_values(name: &str, extension: &str, phone: &str, language: &str) -> serde_json::Value {
    serde_json::json!({ "name": name, "extension": extension, "phone": phone, "language": language })
}

fn stored_values(me: &SignedIn) -> serde_json::Value {
    let u = &me.user;
    edit_values(&u.name, &u.extension, &u.phone, u.language.as_deref().unwrap_or(""))
}

/// The profile page refusing a form: its errors next to its fields (422).
async fn refused(
    page: &Page,
    db: &Db,
    me: &SignedIn,
    errors: serde_json::Value,
    edit: serde_json::Value,
) -> WebResult<Either<(Status, Template), Redirect>> {
    let info = profile_context(db, me).await?;
    let template = page.render("account/profile.html", context! { info, errors, edit });
    Ok(Either::Left((Status::UnprocessableEntity, template)))
}

#[get("/account?<saved>")]
async fn profile(page: Page, me: SignedIn, db: &State<Db>, saved: Option<&str>) -> WebResult<Template> {
    let extra = profile_context(db, &me).await?;
    let saved = saved.filter(|s| SAVED.contains(s));
    Ok(page.render("account/profile.html", context! { info: extra, saved, edit: stored_values(&me) }))
}

/// The notices `?saved=` may name (each has a `profile-saved-*` key).
const SAVED: [&str; 7] = ["password", "2fa-off", "profile", "photo", "photo-removed", "email", "send-key"];

/// A form without `name` keeps the stored name.
#[derive(FromForm)]
struct ProfileForm {
    name: Option<String>,
    extension: String,
    phone: String,
    language: String,
}

/// "Editar perfil": name, extension, phone and language, each checked, audited as
/// `profile.update` with the values before and after.
#[post("/account/profile", data = "<form>")]
async fn update_profile(
    page: Page,
    me: SignedIn,
    form: CsrfForm<ProfileForm>,
    db: &State<Db>,
) -> WebResult<Either<(Status, Template), Redirect>> {
    let f = form.0;
    let name = f.name.clone().unwrap_or_else(|| me.user.name.clone());
    let typed = edit_values(&name, &f.extension, &f.phone, &f.language);
    let input = ProfileInput { name: f.name, extension: f.extension, phone: f.phone, language: f.language };
    match own_profile::update_profile(db, me.user.id, input, &me.actor()).await {
        Ok(()) => Ok(Either::Right(Redirect::to("/account?saved=profile"))),
        Err(AccountError::Invalid(errors)) => refused(&page, db, &me, serde_json::json!(errors), typed).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(FromForm)]
struct EmailForm {
    new_email: String,
    current_password: String,
}

/// The e-mail (the address one signs in with), changed with the current password.
#[post("/account/email", data = "<form>")]
async fn change_email(
    page: Page,
    me: SignedIn,
    form: CsrfForm<EmailForm>,
    db: &State<Db>,
) -> WebResult<Either<(Status, Template), Redirect>> {
    let f = form.0;
    match own_profile::change_email(db, &me.user, &f.current_password, &f.new_email, &me.actor()).await {
        Ok(()) => Ok(Either::Right(Redirect::to("/account?saved=email"))),
        Err(AccountError::Invalid(errors)) => {
            // What was typed stays, the password never does.
            let mut edit = stored_values(&me);
            edit["new_email"] = f.new_email.into();
            refused(&page, db, &me, serde_json::json!(errors), edit).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(FromForm)]
struct PhotoUpload<'r> {
    csrf_token: String,
    photo: TempFile<'r>,
}

impl CarriesToken for PhotoUpload<'_> {
    fn csrf_token(&self) -> &str {
        &self.csrf_token
    }
}

/// The profile photo: PNG, JPEG or WebP up to 512 KB, stored under `photos/` by its hash.
#[post("/account/photo", data = "<upload>")]
async fn upload_photo(
    page: Page,
    me: SignedIn,
    upload: CsrfUpload<PhotoUpload<'_>>,
    db: &State<Db>,
    config: &State<Config>,
) -> WebResult<Either<(Status, Template), Redirect>> {
    // One byte past the limit is enough to know the photo is too large.
    let mut bytes = Vec::new();
    let file = upload.0.photo.open().await.map_err(DbError::Io)?;
    file.take(PHOTO_MAX_BYTES + 1).read_to_end(&mut bytes).await.map_err(DbError::Io)?;
    match own_photo::set_photo(db, &config.data_dir, me.user.id, bytes, &me.actor()).await {
        Ok(()) => Ok(Either::Right(Redirect::to("/account?saved=photo"))),
        Err(AccountError::Invalid(errors)) => {
            refused(&page, db, &me, serde_json::json!(errors), stored_values(&me)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[post("/account/photo/remove", data = "<_form>")]
async fn remove_photo(me: SignedIn, _form: CsrfForm<NoFields>, db: &State<Db>) -> WebResult<Redirect> {
    own_photo::remove_photo(db, me.user.id, &me.actor()).await?;
    Ok(Redirect::to("/account?saved=photo-removed"))
}

#[derive(rocket::Responder)]
struct PhotoFile {
    bytes: Vec<u8>,
    kind: ContentType,
    cache: Header<'static>,
    nosniff: Header<'static>,
}

/// A user's photo, for signed-in users only (the top bar, the profile, lists).
#[get("/account/photo/<user_id>")]
async fn photo(
    _me: SignedIn,
    user_id: i64,
    db: &State<Db>,
    config: &State<Config>,
) -> WebResult<Result<PhotoFile, Status>> {
    let Some(bytes) = own_photo::photo_file(db, &config.data_dir, user_id).await? else {
        return Ok(Err(Status::NotFound));
    };
    let kind = image::kind(&bytes).and_then(ContentType::from_extension).unwrap_or(ContentType::Binary);
    Ok(Ok(PhotoFile {
        bytes,
        kind,
        cache: Header::new("Cache-Control", "private, max-age=3600"),
        nosniff: Header::new("X-Content-Type-Options", "nosniff"),
    }))
}

#[derive(FromForm)]
struct PasswordForm {
    current_password: String,
    password: String,
    password_confirm: String,
}

#[post("/account/password", data = "<form>")]
async fn change_password(
    page: Page,
    me: SignedIn,
    form: CsrfForm<PasswordForm>,
    db: &State<Db>,
) -> WebResult<Either<(Status, Template), Redirect>> {
    let form = form.0;
    match manage::change_password(
        db,
        &me.user,
        &form.current_password,
        &form.password,
        &form.password_confirm,
        &me.session_id,
        &me.actor(),
    )
    .await
    {
        Ok(()) => Ok(Either::Right(Redirect::to("/account?saved=password"))),
        Err(AccountError::Db(e)) => Err(e.into()),
        Err(refusal) => refused(&page, db, &me, serde_json::json!(field_errors(&refusal)), stored_values(&me)).await,
    }
}

#[get("/account/2fa")]
async fn totp_enrol(page: Page, me: SignedIn, db: &State<Db>) -> WebResult<Either<Template, Redirect>> {
    if me.user.totp_enabled {
        return Ok(Either::Right(Redirect::to("/account")));
    }
    let enrolment = totp::begin_enrolment(db, &me.user, &page.company).await?;
    Ok(Either::Left(page.render("account/totp.html", enrol_context(&enrolment, None))))
}

fn enrol_context(e: &totp::Enrolment, error_key: Option<&str>) -> serde_json::Value {
    serde_json::json!({ "secret": e.secret, "otpauth_url": e.otpauth_url, "qr_svg": e.qr_svg, "error_key": error_key })
}

#[derive(FromForm)]
struct CodeForm {
    code: String,
}

#[post("/account/2fa", data = "<form>")]
async fn totp_confirm(
    page: Page,
    me: SignedIn,
    form: CsrfForm<CodeForm>,
    db: &State<Db>,
) -> WebResult<(Status, Template)> {
    match totp::confirm_enrolment(db, &me.user, &form.0.code, &me.session_id, &page.company, &me.actor()).await {
        Ok(codes) => Ok((Status::Ok, page.render("account/recovery_codes.html", context! { codes }))),
        Err(AccountError::Db(e)) => Err(e.into()),
        Err(refusal) => {
            // Show the same secret again so the user can retry with the next code.
            let fresh = manage::user_by_id(db, me.user.id).await?;
            let Some(secret) = fresh.totp_secret.filter(|_| !fresh.totp_enabled) else {
                return Ok((
                    Status::Conflict,
                    page.render("error.html", context! { status: 409, message_key: refusal.key() }),
                ));
            };
            let enrolment = totp::enrolment_for(&secret, &me.user.email, &page.company)?;
            Ok((
                Status::UnprocessableEntity,
                page.render("account/totp.html", enrol_context(&enrolment, Some(refusal.key()))),
            ))
        }
    }
}

#[derive(FromForm)]
struct DisableForm {
    current_password: String,
}

/// Turning 2FA off asks for the password again, so an unattended session cannot.
#[post("/account/2fa/disable", data = "<form>")]
async fn totp_disable(
    page: Page,
    me: SignedIn,
    form: CsrfForm<DisableForm>,
    db: &State<Db>,
) -> WebResult<Either<(Status, Template), Redirect>> {
    let (password, stored) = (form.0.current_password, me.user.password_hash.clone());
    let ok = rocket::tokio::task::spawn_blocking(move || {
        crate::accounts::credentials::verify_password(&password, stored.as_deref())
    })
    .await
    .unwrap_or(false);
    if !ok {
        let errors = serde_json::json!({ "disable_password": "password-current-wrong" });
        return refused(&page, db, &me, errors, stored_values(&me)).await;
    }
    totp::reset(db, me.user.id, Some(&me.session_id), &me.actor()).await?;
    Ok(Either::Right(Redirect::to("/account?saved=2fa-off")))
}

pub fn routes() -> Vec<Route> {
    routes![
        profile,
        update_profile,
        change_email,
        upload_photo,
        remove_photo,
        photo,
        change_password,
        totp_enrol,
        totp_confirm,
        totp_disable
    ]
}
