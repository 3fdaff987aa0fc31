//! Signing in and out, the first-administrator setup, "Esqueceu a senha?" and the
//! "cadastrar senha" page, and the language switch.

use rocket::form::FromForm;
use std::net::IpAddr;

use rocket::http::{CookieJar, Status};
use rocket::outcome::try_outcome;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::Redirect;
use rocket::{get, post, routes, Either, Route, State};
use rocket_dyn_templates::{context, Template};

use super::csrf::{self, CsrfForm, NoFields};
use super::errors::WebResult;
use super::guards::{
    client_ip, cookie, secure_cookies, set_session_cookie, ClientIp, SignedIn, LANG_COOKIE, SESSION_COOKIE,
};
use super::page::Page;
use super::rate_limit::{PasswordReset, RateLimit, SignIn};
use crate::accounts::manage::AccountFields;
use crate::accounts::{links, login, mail, manage, sessions, totp, AccountError, Actor};
use crate::config::Config;
use crate::db::users::User;
use crate::db::{now_ms, Db};
use crate::i18n;

const PENDING_2FA_COOKIE: &str = "atende_2fa";
const PENDING_2FA_MS: i64 = 5 * 60_000;

type PageResult = WebResult<(Status, Template)>;
/// A page with its status, or on to somewhere else.
type Answer = WebResult<Either<(Status, Template), Redirect>>;

/// Where to go after signing in: a local path only (never another site), and one a
/// `Location` header can carry (no tabs, spaces or other controls).
fn safe_next(next: Option<&str>) -> Option<String> {
    let next = next?.trim();
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c.is_whitespace())
        && rocket::http::uri::Origin::parse(next).is_ok();
    ok.then(|| next.to_string())
}

fn home_for(user: &User) -> &'static str {
    if user.is_admin() {
        "/admin"
    } else {
        "/agent"
    }
}

#[get("/")]
fn index(user: Option<SignedIn>) -> Redirect {
    match user {
        Some(s) => Redirect::to(home_for(&s.user)),
        None => Redirect::to("/login"),
    }
}

#[get("/login?<next>")]
fn login_page(page: Page, next: Option<&str>) -> Either<Template, Redirect> {
    if let Some(s) = &page.user {
        return Either::Right(Redirect::to(safe_next(next).unwrap_or_else(|| home_for(&s.user).into())));
    }
    Either::Left(page.render("auth/login.html", context! { next: safe_next(next), login: "" }))
}

#[derive(FromForm)]
struct LoginForm {
    login: String,
    password: String,
    next: Option<String>,
}

#[post("/login", data = "<form>")]
async fn login_submit(_limit: RateLimit<SignIn>, page: Page, form: CsrfForm<LoginForm>, at: Arrival<'_>) -> Answer {
    let form = form.0;
    let next = safe_next(form.next.as_deref());
    let signed = match login::check_password(at.db, &form.login, &form.password, at.ip).await {
        Ok(user) if user.totp_enabled => Ok(at.await_code(user.id, next.as_deref())),
        // A lockout that raced this sign-in answers as any locked attempt does.
        Ok(user) => at.open_session(&user, next.clone()).await,
        Err(refusal) => Err(refusal),
    };
    match signed {
        Ok(to) => Ok(Either::Right(to)),
        Err(AccountError::Db(e)) => Err(e.into()),
        Err(refusal) => Ok(Either::Left(login_refused(&page, next, &form.login, &refusal))),
    }
}

/// The sign-in page with a refusal: the same status and page for the same reason, so a
/// locked account tells nothing about the password that was tried.
fn login_refused(page: &Page, next: Option<String>, login: &str, refusal: &AccountError) -> (Status, Template) {
    let status = match refusal {
        AccountError::Locked => Status::TooManyRequests,
        AccountError::OutsideHours => Status::Forbidden,
        _ => Status::Unauthorized,
    };
    (status, page.render("auth/login.html", context! { next, login, error_key: refusal.key() }))
}

/// The user waiting for the TOTP step, if the password step was passed recently.
fn pending_2fa(jar: &CookieJar<'_>) -> Option<i64> {
    let cookie = jar.get_private(PENDING_2FA_COOKIE)?;
    let (id, expires) = cookie.value().split_once(':')?;
    let (id, expires) = (id.parse::<i64>().ok()?, expires.parse::<i64>().ok()?);
    (expires > now_ms()).then_some(id)
}

#[get("/login/2fa?<next>")]
fn totp_page(page: Page, jar: &CookieJar<'_>, next: Option<&str>) -> Either<Template, Redirect> {
    match pending_2fa(jar) {
        Some(_) => Either::Left(page.render("auth/totp.html", context! { next: safe_next(next) })),
        None => Either::Right(Redirect::to("/login")),
    }
}

#[derive(FromForm)]
struct TotpForm {
    code: String,
    next: Option<String>,
}

#[post("/login/2fa", data = "<form>")]
async fn totp_submit(_limit: RateLimit<SignIn>, page: Page, form: CsrfForm<TotpForm>, at: Arrival<'_>) -> Answer {
    let Some(user_id) = pending_2fa(at.jar) else {
        return Ok(Either::Right(Redirect::to("/login")));
    };
    let next = safe_next(form.0.next.as_deref());
    // A refusal after the code, or a lockout, ends the step: back to the sign-in page.
    let (refusal, ends_step) = match totp::verify_login_code(at.db, user_id, &form.0.code, &page.company, at.ip).await {
        Ok(user) => match at.open_session(&user, next.clone()).await {
            Ok(to) => return Ok(Either::Right(to)),
            Err(refusal) => (refusal, true),
        },
        Err(refusal) => {
            let locked = matches!(refusal, AccountError::Locked);
            (refusal, locked)
        }
    };
    match refusal {
        AccountError::Db(e) => Err(e.into()),
        refusal if ends_step => {
            at.jar.remove_private(PENDING_2FA_COOKIE);
            Ok(Either::Left(login_refused(&page, next, "", &refusal)))
        }
        refusal => {
            let again = page.render("auth/totp.html", context! { next, error_key: refusal.key() });
            Ok(Either::Left((Status::Unauthorized, again)))
        }
    }
}

#[post("/logout", data = "<_form>")]
async fn logout(
    user: Option<SignedIn>,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
    jar: &CookieJar<'_>,
) -> WebResult<Redirect> {
    if let Some(s) = user {
        sessions::end(db, &s.session_id, s.user.id, &s.actor()).await?;
    }
    jar.remove_private(SESSION_COOKIE);
    csrf::rotate(jar);
    Ok(Redirect::to("/login"))
}

#[get("/setup?<token>")]
async fn setup_page(page: Page, db: &State<Db>, token: Option<&str>) -> PageResult {
    let token = token.unwrap_or_default();
    match links::check_setup_token(db, token).await {
        Ok(()) => {
            Ok((Status::Ok, page.render("auth/setup.html", context! { token, fields: AccountFields::default() })))
        }
        Err(AccountError::Db(e)) => Err(e.into()),
        Err(refusal) => Ok(link_invalid(&page, refusal.key(), true)),
    }
}

/// The page of a link that cannot be used (expired, used, unknown), of the first-run
/// setup or of a password link.
fn link_invalid(page: &Page, reason_key: &str, setup: bool) -> (Status, Template) {
    (Status::Gone, page.render("auth/link_invalid.html", context! { reason_key, setup }))
}

#[derive(FromForm)]
struct SetupForm {
    token: String,
    name: String,
    username: String,
    email: String,
    password: String,
    password_confirm: String,
}

#[post("/setup", data = "<form>")]
async fn setup_submit(page: Page, form: CsrfForm<SetupForm>, db: &State<Db>, ip: ClientIp) -> Answer {
    let form = form.0;
    let fields = AccountFields {
        name: form.name.trim().into(),
        username: form.username.trim().into(),
        email: form.email.trim().into(),
        role: "admin".into(),
    };
    let actor = Actor { user_id: None, ip: ip.0.to_string() };
    let (password, confirm) = (&form.password, &form.password_confirm);
    let created =
        manage::create_user_with_password(db, fields.clone(), password, confirm, Some(&form.token), &actor).await;
    match created {
        Ok(_) => Ok(Either::Right(Redirect::to("/login?setup=done"))),
        Err(AccountError::Db(e)) => Err(e.into()),
        Err(AccountError::LinkUsed) => Ok(Either::Left(link_invalid(&page, "link-used", true))),
        Err(refusal) => {
            let (errors, error_key) = (field_errors(&refusal), refusal.key());
            let again = page.render("auth/setup.html", context! { token: form.token, fields, errors, error_key });
            Ok(Either::Left((Status::UnprocessableEntity, again)))
        }
    }
}

/// Field errors of a refusal, for the template (`errors.email` → message key).
pub fn field_errors(refusal: &AccountError) -> serde_json::Value {
    match refusal {
        AccountError::Invalid(map) => serde_json::to_value(map).unwrap_or_default(),
        AccountError::Password(p) => serde_json::json!({ "password": p.key() }),
        _ => serde_json::json!({}),
    }
}

#[get("/password/forgot")]
fn forgot_page(page: Page) -> Template {
    page.render("auth/forgot.html", context! {})
}

#[derive(FromForm)]
struct ForgotForm {
    email: String,
}

#[post("/password/forgot", data = "<form>")]
async fn forgot_submit(
    _limit: RateLimit<PasswordReset>,
    page: Page,
    form: CsrfForm<ForgotForm>,
    db: &State<Db>,
    config: &State<Config>,
    ip: ClientIp,
) -> WebResult<Template> {
    let actor = Actor { user_id: None, ip: ip.0.to_string() };
    let email: String = form.0.email.trim().chars().take(254).collect();
    if let Some((user, token)) = links::request_reset(db, &email, &actor).await? {
        let url = mail::set_password_url(&config.public_url(), &token);
        if !mail::send_set_password_link(db, &user, &url, page.lang).await? {
            tracing::warn!(user_id = user.id, "password reset asked but no e-mail could be sent; an administrator can send a new link from the user's page");
        }
    }
    // The same answer whether or not the address exists.
    Ok(page.render("auth/forgot_sent.html", context! {}))
}

#[get("/password/set?<token>")]
async fn set_password_page(page: Page, db: &State<Db>, token: Option<&str>) -> PageResult {
    let token = token.unwrap_or_default();
    match links::check_set_password(db, token).await {
        Ok(user) => Ok((Status::Ok, page.render("auth/set_password.html", context! { token, account: user.email }))),
        Err(AccountError::Db(e)) => Err(e.into()),
        Err(refusal) => Ok(link_invalid(&page, refusal.key(), false)),
    }
}

#[derive(FromForm)]
struct SetPasswordForm {
    token: String,
    password: String,
    password_confirm: String,
}

#[post("/password/set", data = "<form>")]
async fn set_password_submit(page: Page, form: CsrfForm<SetPasswordForm>, db: &State<Db>, ip: ClientIp) -> Answer {
    let form = form.0;
    let actor = Actor { user_id: None, ip: ip.0.to_string() };
    match links::set_password_with_link(db, &form.token, &form.password, &form.password_confirm, &actor).await {
        Ok(_) => Ok(Either::Right(Redirect::to("/login?password=set"))),
        Err(AccountError::Db(e)) => Err(e.into()),
        Err(refusal @ (AccountError::Password(_) | AccountError::Invalid(_))) => {
            let account = links::check_set_password(db, &form.token).await.map(|u| u.email).unwrap_or_default();
            Ok(Either::Left((
                Status::UnprocessableEntity,
                page.render(
                    "auth/set_password.html",
                    context! { token: form.token, account, errors: field_errors(&refusal) },
                ),
            )))
        }
        Err(refusal) => Ok(Either::Left(link_invalid(&page, refusal.key(), false))),
    }
}

#[derive(FromForm)]
struct LanguageForm {
    lang: String,
    next: Option<String>,
}

/// The language switch: stored on the account, or in a cookie for visitors.
#[post("/language", data = "<form>")]
async fn language(
    user: Option<SignedIn>,
    form: CsrfForm<LanguageForm>,
    db: &State<Db>,
    config: &State<Config>,
    jar: &CookieJar<'_>,
) -> WebResult<Redirect> {
    let lang = i18n::normalise(&form.0.lang);
    match (&user, lang) {
        (Some(s), _) => manage::set_language(db, s.user.id, lang.map(str::to_string)).await?,
        (None, Some(l)) => jar.add(cookie(LANG_COOKIE, l.to_string(), secure_cookies(config))),
        (None, None) => jar.remove(LANG_COOKIE),
    }
    Ok(Redirect::to(safe_next(form.0.next.as_deref()).unwrap_or_else(|| "/".into())))
}

/// What signing in needs besides the form: the database, the cookies (and whether
/// they must be secure), and where the browser is and what it is (the User-Agent,
/// kept with the session so a user can recognise it).
struct Arrival<'r> {
    db: &'r Db,
    jar: &'r CookieJar<'r>,
    secure: bool,
    ip: IpAddr,
    agent: &'r str,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Arrival<'r> {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let db = try_outcome!(req.guard::<&State<Db>>().await).inner();
        let config = try_outcome!(req.guard::<&State<Config>>().await);
        let agent = req.headers().get_one("User-Agent").unwrap_or_default();
        let (jar, secure, ip) = (req.cookies(), secure_cookies(config), client_ip(req));
        Outcome::Success(Arrival { db, jar, secure, ip, agent })
    }
}

impl Arrival<'_> {
    /// The password was right and a code is asked for next: the pending step's cookie.
    fn await_code(&self, user_id: i64, next: Option<&str>) -> Redirect {
        let value = format!("{}:{}", user_id, now_ms() + PENDING_2FA_MS);
        self.jar.add_private(cookie(PENDING_2FA_COOKIE, value, self.secure));
        Redirect::to(match next {
            Some(n) => format!("/login/2fa?next={}", super::urlencode(n)),
            None => "/login/2fa".into(),
        })
    }

    /// Opens the session of `user`, who passed every step: its cookies, and on to
    /// `next` or their home.
    async fn open_session(&self, user: &User, next: Option<String>) -> Result<Redirect, AccountError> {
        let actor = Actor { user_id: Some(user.id), ip: self.ip.to_string() };
        let token = sessions::start(self.db, user.id, &actor, self.agent).await?;
        self.jar.remove_private(PENDING_2FA_COOKIE);
        csrf::rotate(self.jar);
        set_session_cookie(self.jar, token, self.secure);
        Ok(Redirect::to(next.unwrap_or_else(|| home_for(user).into())))
    }
}

pub fn routes() -> Vec<Route> {
    routes![
        index,
        login_page,
        login_submit,
        totp_page,
        totp_submit,
        logout,
        setup_page,
        setup_submit,
        forgot_page,
        forgot_submit,
        set_password_page,
        set_password_submit,
        language
    ]
}
