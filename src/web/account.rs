//! "Meu perfil": one's own password, language and two-factor authentication.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{get, post, routes, Either, Route, State};
use rocket_dyn_templates::{context, Template};

use super::auth::field_errors;
use super::csrf::CsrfForm;
use super::errors::WebResult;
use super::guards::SignedIn;
use super::page::Page;
use crate::accounts::{manage, totp, AccountError};
use crate::db::{users, Db};

async fn profile_context(db: &Db, me: &SignedIn) -> WebResult<serde_json::Value> {
    let id = me.user.id;
    let recovery_left = db.read(move |c| users::unused_recovery_codes(c, id)).await?;
    Ok(serde_json::json!({ "recovery_left": recovery_left }))
}

#[get("/account?<saved>")]
async fn profile(page: Page, me: SignedIn, db: &State<Db>, saved: Option<&str>) -> WebResult<Template> {
    let extra = profile_context(db, &me).await?;
    Ok(page.render("account/profile.html", context! { info: extra, saved }))
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
        Err(refusal) => {
            let extra = profile_context(db, &me).await?;
            Ok(Either::Left((
                Status::UnprocessableEntity,
                page.render("account/profile.html", context! { info: extra, errors: field_errors(&refusal) }),
            )))
        }
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
        let extra = profile_context(db, &me).await?;
        return Ok(Either::Left((
            Status::UnprocessableEntity,
            page.render(
                "account/profile.html",
                context! { info: extra, errors: serde_json::json!({ "disable_password": "password-current-wrong" }) },
            ),
        )));
    }
    totp::reset(db, me.user.id, Some(&me.session_id), &me.actor()).await?;
    Ok(Either::Right(Redirect::to("/account?saved=2fa-off")))
}

pub fn routes() -> Vec<Route> {
    routes![profile, change_password, totp_enrol, totp_confirm, totp_disable]
}
