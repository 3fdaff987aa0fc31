//! "Meu perfil": what an administrator set (teams, schedule group, history
//! permission), shown read-only; "Editar perfil" (F-AG-21): name, photo, extension
//! ("ramal"), phone and language; the e-mail, with the current password; one's own
//! password and two-factor authentication. The username never changes.

use rocket::form::FromForm;
use rocket::fs::TempFile;
use rocket::http::{ContentType, Header, Status};
use rocket::response::Redirect;
use rocket::{get, post, routes, Either, Route, State};
use rocket_dyn_templates::{context, Template};
use sha2::{Digest, Sha256};

use super::auth::field_errors;
use super::csrf::{CarriesToken, CsrfForm, CsrfUpload, NoFields};
use super::errors::WebResult;
use super::guards::SignedIn;
use super::page::Page;
use crate::accounts::profile::{self as own_profile, ProfileInput};
use crate::accounts::{manage, totp, AccountError};
use crate::config::Config;
use crate::db::{audit, users, Db, DbError};

/// Largest profile photo accepted.
pub const PHOTO_MAX_BYTES: u64 = 512 * 1024;

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

/// The image kinds a photo may be (`domain::image`).
pub use crate::domain::image::kind as photo_kind;

/// A stored photo's file name: its SHA-256 and kind, nothing the browser sent.
fn photo_name_ok(name: &str) -> bool {
    let (hash, ext) = name.split_once('.').unwrap_or(("", ""));
    hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) && matches!(ext, "png" | "jpg" | "webp")
}

async fn photo_refusal(
    page: &Page,
    db: &Db,
    me: &SignedIn,
    key: &'static str,
) -> WebResult<Either<(Status, Template), Redirect>> {
    refused(page, db, me, serde_json::json!({ "photo": key }), stored_values(me)).await
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
    let file = upload.0.photo;
    let refusal = |key: &'static str| photo_refusal(&page, db, &me, key);
    if file.len() == 0 {
        return refusal("field-required").await;
    }
    if file.len() > PHOTO_MAX_BYTES {
        return refusal("profile-photo-too-large").await;
    }
    let Some(path) = file.path() else { return refusal("profile-photo-not-image").await };
    let bytes = rocket::tokio::fs::read(path).await.map_err(DbError::Io)?;
    let Some(kind) = photo_kind(&bytes) else { return refusal("profile-photo-not-image").await };
    let name = format!("{}.{kind}", hex::encode(Sha256::digest(&bytes)));
    let folder = config.data_dir.join("photos");
    rocket::tokio::fs::create_dir_all(&folder).await.map_err(DbError::Io)?;
    let target = folder.join(&name);
    if rocket::tokio::fs::metadata(&target).await.is_err() {
        let temporary = folder.join(format!(".{name}.{}.part", crate::accounts::credentials::random_token()));
        rocket::tokio::fs::write(&temporary, &bytes).await.map_err(DbError::Io)?;
        rocket::tokio::fs::rename(&temporary, &target).await.map_err(DbError::Io)?;
    }
    let (id, actor, size) = (me.user.id, me.actor(), bytes.len());
    db.write(move |tx| {
        let before = users::photo_of(tx, id)?;
        users::set_photo(tx, id, Some(&name))?;
        audit::record_change(
            tx,
            &actor,
            "profile.update",
            &format!("user:{id}"),
            Some(&serde_json::json!({ "photo": before })),
            Some(&serde_json::json!({ "photo": name, "bytes": size })),
        )
    })
    .await?;
    Ok(Either::Right(Redirect::to("/account?saved=photo")))
}

#[post("/account/photo/remove", data = "<_form>")]
async fn remove_photo(me: SignedIn, _form: CsrfForm<NoFields>, db: &State<Db>) -> WebResult<Redirect> {
    let (id, actor) = (me.user.id, me.actor());
    db.write(move |tx| {
        let before = users::photo_of(tx, id)?;
        if before.is_none() {
            return Ok(());
        }
        users::set_photo(tx, id, None)?;
        audit::record_change(
            tx,
            &actor,
            "profile.update",
            &format!("user:{id}"),
            Some(&serde_json::json!({ "photo": before })),
            Some(&serde_json::json!({ "photo": null })),
        )
    })
    .await?;
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
    let Some(name) = db.read(move |c| users::photo_of(c, user_id)).await?.filter(|n| photo_name_ok(n)) else {
        return Ok(Err(Status::NotFound));
    };
    let Ok(bytes) = rocket::tokio::fs::read(config.data_dir.join("photos").join(&name)).await else {
        return Ok(Err(Status::NotFound));
    };
    let kind = photo_kind(&bytes).and_then(ContentType::from_extension).unwrap_or(ContentType::Binary);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_are_typed_by_their_bytes() {
        assert_eq!(photo_kind(b"\x89PNG\r\n\x1a\n...."), Some("png"));
        assert_eq!(photo_kind(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("jpg"));
        assert_eq!(photo_kind(b"RIFF\0\0\0\0WEBPVP8 "), Some("webp"));
        assert_eq!(photo_kind(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), None);
        assert!(photo_name_ok(&format!("{}.png", "a".repeat(64))));
        assert!(!photo_name_ok("../../etc/passwd"));
        assert!(!photo_name_ok(&format!("{}.svg", "a".repeat(64))));
    }
}
