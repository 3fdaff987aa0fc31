//! CSRF protection for every state-changing request made by a browser.
//!
//! Each browser holds a random token in a private (encrypted, authenticated) cookie.
//! Pages put it in a `csrf_token` field and in `<meta name="csrf-token">`, from where
//! htmx sends it as `X-CSRF-Token`. `CsrfForm<T>` is the only way handlers read a form:
//! it refuses (403) a request whose token is missing or wrong, or whose `Origin` is
//! another site, before the form is even parsed. A test walks every POST route.

use rocket::data::{FromData, Outcome, ToByteUnit};
use rocket::form::{Form, FromForm};
use rocket::http::Status;
use rocket::{Data, Request};
use subtle::ConstantTimeEq;

use super::guards::cookie;
use crate::accounts::credentials::random_token;

pub const CSRF_COOKIE: &str = "atende_csrf";
pub const CSRF_FIELD: &str = "csrf_token";
pub const CSRF_HEADER: &str = "X-CSRF-Token";

/// The browser's CSRF token, created on first use and kept for the request.
pub fn csrf_token(req: &Request<'_>) -> String {
    req.local_cache(|| {
        if let Some(c) = req.cookies().get_private(CSRF_COOKIE) {
            return c.value().to_string();
        }
        let token = random_token();
        let secure = req
            .rocket()
            .state::<crate::config::Config>()
            .and_then(|c| c.base_url.as_deref())
            .is_some_and(|u| u.starts_with("https://"));
        req.cookies().add_private(cookie(CSRF_COOKIE, token.clone(), secure));
        token
    })
    .clone()
}

/// Starts a fresh token (after sign-in and sign-out), so a token seen before
/// authentication is not the one used after it.
pub fn rotate(req_cookies: &rocket::http::CookieJar<'_>) {
    req_cookies.remove_private(CSRF_COOKIE);
}

/// Why a form was refused; the catcher for the status renders the page.
#[derive(Debug)]
pub enum FormRefusal {
    BadToken,
    CrossOrigin,
    WrongContentType,
    TooLarge,
    NotUtf8,
    Malformed(String),
}

fn token_matches(req: &Request<'_>, given: Option<&str>) -> bool {
    let Some(expected) = req.cookies().get_private(CSRF_COOKIE) else {
        return false;
    };
    let Some(given) = given else { return false };
    let expected = expected.value().as_bytes();
    !expected.is_empty() && bool::from(expected.ct_eq(given.as_bytes()))
}

/// A browser names the page that sent the request; it must be one of ours.
fn same_origin(req: &Request<'_>) -> bool {
    if req.headers().get_one("Sec-Fetch-Site") == Some("cross-site") {
        return false;
    }
    let Some(origin) = req.headers().get_one("Origin") else {
        return true;
    };
    if origin == "null" {
        return false;
    }
    let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or(origin);
    let host_matches = req.headers().get_one("Host").is_some_and(|host| host.eq_ignore_ascii_case(origin_host));
    let base_matches = req
        .rocket()
        .state::<crate::config::Config>()
        .and_then(|c| c.base_url.as_deref())
        .is_some_and(|base| base.trim_end_matches('/').eq_ignore_ascii_case(origin));
    host_matches || base_matches
}

/// A form (`application/x-www-form-urlencoded`) that passed the CSRF check. Fields
/// are parsed leniently (unknown fields ignored); handlers validate the values.
pub struct CsrfForm<T>(pub T);

/// For actions that carry no fields (a button that posts).
#[derive(Debug, FromForm)]
pub struct NoFields {
    pub confirm: Option<String>,
}

#[rocket::async_trait]
impl<'r, T> FromData<'r> for CsrfForm<T>
where
    T: for<'a> FromForm<'a> + Send + 'static,
{
    type Error = FormRefusal;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> Outcome<'r, Self> {
        if let Some(ct) = req.content_type() {
            if !ct.is_form() {
                return Outcome::Error((Status::UnsupportedMediaType, FormRefusal::WrongContentType));
            }
        }
        if !same_origin(req) {
            return Outcome::Error((Status::Forbidden, FormRefusal::CrossOrigin));
        }
        let limit = req.limits().get("form").unwrap_or(64.kibibytes());
        let body = match data.open(limit).into_string().await {
            Ok(s) if s.is_complete() => s.into_inner(),
            Ok(_) => return Outcome::Error((Status::PayloadTooLarge, FormRefusal::TooLarge)),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                return Outcome::Error((Status::BadRequest, FormRefusal::NotUtf8))
            }
            Err(e) => return Outcome::Error((Status::BadRequest, FormRefusal::Malformed(e.to_string()))),
        };
        let from_header = req.headers().get_one(CSRF_HEADER).map(str::to_string);
        let from_field = Form::<()>::values(&body).find(|f| f.name == CSRF_FIELD).map(|f| f.value.to_string());
        if !token_matches(req, from_header.as_deref().or(from_field.as_deref())) {
            return Outcome::Error((Status::Forbidden, FormRefusal::BadToken));
        }
        match Form::<T>::parse_encoded(rocket::http::RawStr::new(&body)) {
            Ok(value) => Outcome::Success(CsrfForm(value)),
            Err(errors) => {
                let text = errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ");
                Outcome::Error((Status::UnprocessableEntity, FormRefusal::Malformed(text)))
            }
        }
    }
}

/// A multipart form (file uploads) that carries its token in a `csrf_token` field
/// (or the `X-CSRF-Token` header). A request that is not multipart is refused: 403 when
/// it has no valid header token, 415 otherwise.
pub struct CsrfUpload<T>(pub T);

/// Multipart forms name their token field so `CsrfUpload` can check it.
pub trait CarriesToken {
    fn csrf_token(&self) -> &str;
}

#[rocket::async_trait]
impl<'r, T> FromData<'r> for CsrfUpload<T>
where
    T: FromForm<'r> + CarriesToken + Send + 'r,
{
    type Error = FormRefusal;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> Outcome<'r, Self> {
        if !same_origin(req) {
            return Outcome::Error((Status::Forbidden, FormRefusal::CrossOrigin));
        }
        let header_ok = token_matches(req, req.headers().get_one(CSRF_HEADER));
        if !req.content_type().is_some_and(|ct| ct.is_form_data()) {
            return if header_ok {
                Outcome::Error((Status::UnsupportedMediaType, FormRefusal::WrongContentType))
            } else {
                Outcome::Error((Status::Forbidden, FormRefusal::BadToken))
            };
        }
        match Form::<T>::from_data(req, data).await {
            Outcome::Success(form) => {
                let value = form.into_inner();
                if header_ok || token_matches(req, Some(value.csrf_token())) {
                    Outcome::Success(CsrfUpload(value))
                } else {
                    Outcome::Error((Status::Forbidden, FormRefusal::BadToken))
                }
            }
            Outcome::Error((status, errors)) => {
                let too_large = errors.iter().any(|e| matches!(e.kind, rocket::form::error::ErrorKind::Io(_)))
                    || status == Status::PayloadTooLarge;
                let text = errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ");
                let status = if too_large { Status::PayloadTooLarge } else { Status::UnprocessableEntity };
                Outcome::Error((status, FormRefusal::Malformed(text)))
            }
            Outcome::Forward(f) => Outcome::Forward(f),
        }
    }
}
