//! The REST API, `/api/v1` (F-IN-1), for the company's ERP and CRM: contacts, teams and
//! agents, conversations and their messages. A request proves itself with
//! `Authorization: Bearer atd_…` (a token made on "Tokens da API"), never a cookie, so
//! there is no CSRF token; each handler takes a `Scoped<Resource, Access>` guard and
//! cannot run without that scope. Every answer is JSON, errors included, with a stable
//! code (`ApiError`); the catchers registered on `/api/v1` answer the same way, never
//! with the HTML error page.

mod body;
mod contacts;
mod conversation_writes;
mod conversations;
mod history;
mod openapi;
mod refusals;
mod teams;
pub mod token;

use std::borrow::Cow;

use rocket::http::Status;
use rocket::request::Request;
use rocket::response::{self, Responder};
use rocket::{catch, catchers, Catcher, Route};

use crate::db::DbError;
use crate::engine::idempotency::{Answer, Once};
use crate::i18n;
use crate::web::json::JsonAnswer;

/// The most rows one page of a list holds, and how many when the client does not say.
pub const MOST_PER_PAGE: i64 = 100;
pub const PER_PAGE: i64 = 50;

/// A refusal: its status, stable code, message key (and argument) and the field in fault.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: Status,
    code: &'static str,
    key: Cow<'static, str>,
    arg: Option<(&'static str, String)>,
    field: Option<String>,
}

impl ApiError {
    fn new(status: Status, code: &'static str, key: &'static str) -> ApiError {
        ApiError { status, code, key: key.into(), arg: None, field: None }
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(Status::Unauthorized, "unauthorized", "api-error-unauthorized")
    }

    pub fn forbidden_scope(scope: String) -> ApiError {
        ApiError {
            arg: Some(("scope", scope)),
            ..ApiError::new(Status::Forbidden, "forbidden_scope", "api-error-scope")
        }
    }

    pub fn forbidden_network() -> ApiError {
        ApiError::new(Status::Forbidden, "forbidden_network", "api-error-network")
    }

    pub fn not_found() -> ApiError {
        ApiError::new(Status::NotFound, "not_found", "api-error-not-found")
    }

    pub fn rate_limited(seconds: u64) -> ApiError {
        let limited = ApiError::new(Status::TooManyRequests, "rate_limited", "error-too-many-requests");
        ApiError { arg: Some(("seconds", seconds.to_string())), ..limited }
    }

    /// The key was used with another request (as the IETF's Idempotency-Key draft says: 422).
    pub fn conflict() -> ApiError {
        ApiError::new(Status::UnprocessableEntity, "idempotency_conflict", "api-error-idempotency-conflict")
    }

    /// A field broke a rule; `key` is the rule's message (the forms' own keys).
    pub fn invalid(field: impl Into<String>, key: impl Into<Cow<'static, str>>) -> ApiError {
        let error = ApiError::new(Status::UnprocessableEntity, "validation_failed", "");
        ApiError { field: Some(field.into()), key: key.into(), ..error }
    }

    pub fn bad_request(key: &'static str) -> ApiError {
        ApiError::new(Status::BadRequest, "bad_request", key)
    }

    fn internal(e: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %e, "API request failed");
        ApiError::new(Status::InternalServerError, "internal", "error-internal")
    }

    fn answer(&self, lang: &str) -> JsonAnswer {
        let message = match &self.arg {
            Some((name, value)) => i18n::translate_with(lang, &self.key, &[(name, value.clone().into())]),
            None => i18n::translate(lang, &self.key),
        };
        JsonAnswer::api_error(self.status, self.code, message, self.field.as_deref())
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> ApiError {
        ApiError::internal(e)
    }
}

impl From<crate::engine::contacts::ContactError> for ApiError {
    fn from(e: crate::engine::contacts::ContactError) -> ApiError {
        use crate::engine::contacts::ContactError;
        match e {
            ContactError::NotFound => ApiError::not_found(),
            // Custom fields are `custom[<id>]` in forms, `custom.<id>` in JSON.
            ContactError::Invalid(errors) => match errors.into_iter().next() {
                Some((field, key)) => ApiError::invalid(field.replace("custom[", "custom.").replace(']', ""), key),
                None => ApiError::bad_request("api-error-bad-request"),
            },
            other => ApiError::internal(other),
        }
    }
}

/// The language of messages: `Accept-Language`, else pt-BR.
fn lang(req: &Request<'_>) -> &'static str {
    req.headers().get_one("Accept-Language").and_then(i18n::from_accept_language).unwrap_or(i18n::DEFAULT)
}

impl<'r> Responder<'r, 'static> for ApiError {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        self.answer(lang(req)).respond_to(req)
    }
}

/// What a handler answers.
pub type ApiResult = Result<JsonAnswer, ApiError>;

/// 200 with `body`.
pub fn ok(body: impl serde::Serialize) -> ApiResult {
    Ok(JsonAnswer::new(Status::Ok, serde_json::to_value(body).map_err(ApiError::internal)?))
}

/// The answer to a creating request run once per `Idempotency-Key`.
pub fn once_answer(outcome: Once) -> ApiResult {
    match outcome {
        Once::Done(Answer { status, body }) | Once::Replayed(Answer { status, body }) => {
            Ok(JsonAnswer::new(Status::from_code(status).unwrap_or(Status::Ok), body))
        }
        Once::Conflict => Err(ApiError::conflict()),
    }
}

/// A page of a list: its rows and the cursor of the next page (`null` on the last).
pub fn page<T: serde::Serialize>(rows: Vec<T>, limit: i64, id_of: impl Fn(&T) -> i64) -> ApiResult {
    let next = match rows.last() {
        Some(last) if rows.len() as i64 == limit => Some(crate::domain::api_scope::cursor_after(id_of(last))),
        _ => None,
    };
    ok(serde_json::json!({ "data": rows, "next_cursor": next }))
}

/// The id a list continues after, and how many rows a page holds, as asked.
pub fn paging(cursor: Option<&str>, limit: Option<i64>) -> Result<(i64, i64), ApiError> {
    let after = match cursor {
        None | Some("") => 0,
        Some(text) => {
            crate::domain::api_scope::cursor_id(text).ok_or(ApiError::invalid("cursor", "api-error-cursor"))?
        }
    };
    match limit.unwrap_or(PER_PAGE) {
        n if (1..=MOST_PER_PAGE).contains(&n) => Ok((after, n)),
        _ => Err(ApiError::invalid("limit", "api-error-limit")),
    }
}

/// The refusal a guard left for the catcher.
struct Refused(Option<ApiError>);

/// Leaves a guard's refusal for the catcher; its status.
fn leave(req: &Request<'_>, error: ApiError) -> Status {
    let status = error.status;
    req.local_cache(|| Refused(Some(error)));
    status
}

/// Every error under `/api/v1` answers JSON: a guard's own refusal when it left one,
/// else the status's code.
#[catch(default)]
fn json_error(status: Status, req: &Request<'_>) -> JsonAnswer {
    if let Some(refusal) = &req.local_cache(|| Refused(None)).0 {
        return refusal.answer(lang(req));
    }
    let error = match status.code {
        401 => ApiError::unauthorized(),
        404 => ApiError::not_found(),
        413 => ApiError::new(status, "too_large", "api-error-too-large"),
        422 => ApiError::new(status, "validation_failed", "error-unprocessable"),
        429 => ApiError::rate_limited(crate::web::rate_limit::retry_after(req).unwrap_or(1)),
        500.. => ApiError::new(status, "internal", "error-internal"),
        _ => ApiError::new(status, "bad_request", "api-error-bad-request"),
    };
    error.answer(lang(req))
}

pub fn routes() -> Vec<Route> {
    let mut all = contacts::routes();
    all.extend(conversations::routes());
    all.extend(conversation_writes::routes());
    all.extend(history::routes());
    all.extend(teams::routes());
    all.extend(openapi::routes());
    all
}

pub fn catchers() -> Vec<Catcher> {
    catchers![json_error]
}
