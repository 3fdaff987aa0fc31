//! The web chat widget's side of the server: `/widget.js` (`script`) and its words
//! (`words`), the visitor JSON API under `/webchat/<key>/…` (`api`), the visitor's live
//! stream (`events`) and the demo shop page (`demo`). The widget runs on the company's
//! own site, so the API uses no cookies and no CSRF token: a visitor proves who they are
//! with the bearer token they got from `POST /webchat/<key>/visitors`, and every answer
//! allows any origin. Errors are JSON, never an HTML page.

mod api;
mod demo;
mod events;
mod script;
mod words;

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{catch, catchers, Catcher, Route};

use crate::channels::webchat;
use crate::db::channels::{self, Channel};
use crate::db::contacts::{self, Contact};
use crate::db::Db;
use crate::domain::channel_kind::ChannelKind;
use crate::engine::attachments::MAX_ATTACHMENT_BYTES;
use crate::engine::ingest::Inbound;
use crate::engine::EngineError;
use crate::i18n;
use crate::web::errors::refusal_status;
use crate::web::json::JsonAnswer;

/// Largest request body the visitor API reads.
pub const MAX_BODY: u64 = 64 * 1024;

/// What a visitor API handler answers, refusals included.
type ApiResult = Result<JsonAnswer, JsonAnswer>;

/// The visitor's language for error messages: `Accept-Language`, else pt-BR.
pub struct VisitorLang(&'static str);

fn accept_language(req: &Request<'_>) -> &'static str {
    req.headers().get_one("Accept-Language").and_then(i18n::from_accept_language).unwrap_or(i18n::DEFAULT)
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for VisitorLang {
    type Error = std::convert::Infallible;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(VisitorLang(accept_language(req)))
    }
}

/// `Authorization: Bearer …`, when given.
pub struct Bearer(Option<String>);

/// The visitor token of `Authorization: Bearer …`, if it has a plausible length.
pub fn bearer_token<'r>(req: &'r Request<'_>) -> Option<&'r str> {
    req.headers()
        .get_one("Authorization")
        .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 200)
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Bearer {
    type Error = std::convert::Infallible;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(Bearer(bearer_token(req).map(str::to_string)))
    }
}

/// Any answer of the visitor API: readable by the site the widget runs on.
fn answer(status: Status, body: serde_json::Value) -> JsonAnswer {
    JsonAnswer::new(status, body).for_any_origin()
}

/// A refusal in the visitor's language, naming the field at fault when there is one.
fn error(lang: &str, status: Status, key: &str, field: Option<&str>) -> JsonAnswer {
    let message = match key {
        // Messages that name a limit say the real one.
        "webchat-too-large" => i18n::translate_with(lang, key, &[("max", format!("{} KiB", MAX_BODY / 1024).into())]),
        "webchat-file-too-large" => {
            i18n::translate_with(lang, key, &[("max", format!("{} MiB", MAX_ATTACHMENT_BYTES / (1024 * 1024)).into())])
        }
        _ => i18n::translate(lang, key),
    };
    let refusal = JsonAnswer::error(status, key, message).for_any_origin();
    match field {
        Some(field) => refusal.on_field(field),
        None => refusal,
    }
}

fn internal(lang: &str, e: impl std::fmt::Display) -> JsonAnswer {
    tracing::error!(error = %e, "web chat request failed");
    error(lang, Status::InternalServerError, "error-internal", None)
}

/// An engine refusal, with the status every surface gives it; `field` is the one the
/// visitor sent.
fn refused(lang: &str, e: EngineError, field: &str) -> JsonAnswer {
    match refusal_status(&e) {
        Status::InternalServerError => internal(lang, e),
        Status::NotFound => error(lang, Status::NotFound, "webchat-unknown-channel", None),
        status => error(lang, status, e.key(), Some(field)),
    }
}

/// The active web chat channel with this key, if there is one.
fn active_channel(c: &rusqlite::Connection, key: &str) -> crate::db::DbResult<Option<Channel>> {
    Ok(channels::channel_by_key(c, ChannelKind::WebChat, key)?.filter(|ch| ch.active))
}

/// The active web chat channel with this key, or 404.
async fn channel(db: &Db, key: &str, lang: &str) -> Result<Channel, JsonAnswer> {
    let key = key.to_string();
    match db.read_point(move |c| active_channel(c, &key)).await {
        Ok(Some(ch)) => Ok(ch),
        Ok(None) => Err(error(lang, Status::NotFound, "webchat-unknown-channel", None)),
        Err(e) => Err(internal(lang, e)),
    }
}

/// The contact behind a visitor token, and the identity the channel knows them by.
struct VisitorContact {
    contact: Contact,
    identity: String,
}

impl VisitorContact {
    /// What the visitor sends, as the engine takes it in.
    fn inbound(self, channel_id: i64, body: String, external_id: Option<String>) -> Inbound {
        Inbound {
            channel_id,
            contact_key: self.identity,
            contact_name: self.contact.name,
            contact_email: self.contact.email,
            contact_phone: self.contact.phone,
            external_id,
            body,
            ..Default::default()
        }
    }
}

/// The active channel with this key (or 404) and the visitor behind a token on it (or
/// 401), found in one read: every visitor request starts here.
async fn visitor(
    db: &Db,
    key: &str,
    token: Option<String>,
    lang: &str,
) -> Result<(Channel, VisitorContact), JsonAnswer> {
    let key = key.to_string();
    let identity = token.as_deref().map(webchat::visitor_identity);
    let looked_up = identity.clone();
    let found = db
        .read_point(move |c| {
            let Some(ch) = active_channel(c, &key)? else { return Ok(None) };
            let contact = match &looked_up {
                Some(identity) => contacts::contact_by_identity(c, ch.id, identity)?,
                None => None,
            };
            Ok(Some((ch, contact)))
        })
        .await
        .map_err(|e| internal(lang, e))?;
    match (found, identity) {
        (None, _) => Err(error(lang, Status::NotFound, "webchat-unknown-channel", None)),
        (Some((ch, Some(contact))), Some(identity)) => Ok((ch, VisitorContact { contact, identity })),
        (Some(_), _) => Err(error(lang, Status::Unauthorized, "webchat-bad-token", None)),
    }
}

/// Errors of the visitor API answer JSON, whatever went wrong.
#[catch(default)]
fn json_error(status: Status, req: &Request<'_>) -> JsonAnswer {
    let lang = accept_language(req);
    if let (429, Some(seconds)) = (status.code, crate::web::rate_limit::retry_after(req)) {
        let key = "error-too-many-requests";
        let message = i18n::translate_with(lang, key, &[("seconds", seconds.into())]);
        return JsonAnswer::error(status, key, message).for_any_origin();
    }
    let upload = req.uri().path().ends_with("/attachments");
    let key = match (status.code, upload) {
        (400, true) => "webchat-bad-upload",
        (400, false) => "webchat-bad-json",
        (401, _) => "webchat-bad-token",
        (404, _) => "webchat-unknown-channel",
        (413, true) => "webchat-file-too-large",
        (413, false) => "webchat-too-large",
        (415, true) => "webchat-upload-type",
        (422, _) => "error-unprocessable",
        (500.., _) => "error-internal",
        _ => "error-request",
    };
    error(lang, status, key, None)
}

pub fn routes() -> Vec<Route> {
    let mut all = api::routes();
    all.extend(events::routes());
    all.extend(script::routes());
    all.extend(demo::routes());
    all
}

pub fn catchers() -> Vec<Catcher> {
    catchers![json_error]
}
