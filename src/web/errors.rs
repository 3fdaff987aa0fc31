//! Error pages for every status a user can meet, in their language, the error type
//! handlers return when something unexpected happens (logged, never shown), and the one
//! status each engine refusal is answered with, whatever the surface.

use rocket::http::{Header, Status};
use rocket::response::{self, Redirect, Responder};
use rocket::{catch, catchers, Catcher, Request};
use rocket_dyn_templates::{context, Template};

use super::page::Page;
use crate::accounts::AccountError;
use crate::catalog::CatalogError;
use crate::db::DbError;
use crate::engine::contacts::ContactError;
use crate::engine::EngineError;

/// An unexpected failure inside a handler. The details go to the log; the user gets
/// the error page for the status.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Contact(#[from] ContactError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Engine(#[from] EngineError),
}

impl<'r> Responder<'r, 'static> for WebError {
    fn respond_to(self, _req: &'r Request<'_>) -> response::Result<'static> {
        match self {
            WebError::Account(AccountError::NotFound)
            | WebError::Catalog(CatalogError::NotFound)
            | WebError::Contact(ContactError::NotFound) => Err(Status::NotFound),
            WebError::Contact(ContactError::Forbidden) => Err(Status::Forbidden),
            WebError::Engine(e) if !matches!(e, EngineError::Db(_)) => Err(refusal_status(&e)),
            // A refused delete the handler did not answer with its page.
            WebError::Catalog(CatalogError::Undeletable(_)) => Err(Status::Conflict),
            other => {
                tracing::error!(error = %other, "request failed");
                Err(Status::InternalServerError)
            }
        }
    }
}

pub type WebResult<T> = Result<T, WebError>;

/// The status an engine refusal is answered with, on every surface: the agent's pages
/// and partials, the attachment upload and the widget's JSON. A refusal is never a 500;
/// only a database failure is.
pub fn refusal_status(e: &EngineError) -> Status {
    match e {
        EngineError::AlreadyTaken | EngineError::Closed => Status::Conflict,
        EngineError::Invalid("contacts-attachment-too-large") => Status::PayloadTooLarge,
        EngineError::BlockedWords(_)
        | EngineError::TabulationRequired
        | EngineError::TooLong(_)
        | EngineError::Invalid(_) => Status::UnprocessableEntity,
        EngineError::Forbidden => Status::Forbidden,
        EngineError::NotFound => Status::NotFound,
        EngineError::Db(_) => Status::InternalServerError,
    }
}

/// The page shown for an error status.
#[derive(Responder)]
pub enum ErrorPage {
    Page(Template),
    Redirect(Redirect),
    HtmxRedirect((), Header<'static>),
}

async fn error_page(status: Status, req: &Request<'_>) -> (Status, ErrorPage) {
    let page = Page::for_request(req).await;
    let key = match status.code {
        400 => "error-bad-request",
        403 => "error-forbidden",
        404 => "error-not-found",
        413 => "error-too-large",
        415 => "error-unsupported-type",
        422 => "error-unprocessable",
        429 => "error-too-many-requests",
        _ => "error-internal",
    };
    // Only a rate limit sends 429 here, and it says how long to wait.
    let seconds = super::rate_limit::retry_after(req).unwrap_or(1);
    let template = page.render("error.html", context! { status: status.code, message_key: key, seconds });
    (status, ErrorPage::Page(template))
}

/// Not signed in (or the session ended): back to the login page, remembering where the
/// user was going. htmx requests get `HX-Redirect` so the whole page changes.
#[catch(401)]
async fn unauthorized(req: &Request<'_>) -> (Status, ErrorPage) {
    let next = req.uri().path().to_string();
    let target = if next.starts_with('/') && !next.starts_with("//") && next != "/logout" {
        format!("/login?next={}", super::urlencode(&next))
    } else {
        "/login".into()
    };
    if req.headers().get_one("HX-Request") == Some("true") {
        return (Status::Unauthorized, ErrorPage::HtmxRedirect((), Header::new("HX-Redirect", target)));
    }
    (Status::SeeOther, ErrorPage::Redirect(Redirect::to(target)))
}

/// Signed in, but an administrator requires 2FA and the user has not enrolled: to the
/// enrolment page first (see `guards::needs_enrolment`).
#[catch(428)]
async fn enrolment_required(req: &Request<'_>) -> (Status, ErrorPage) {
    let target = "/account/2fa";
    if req.headers().get_one("HX-Request") == Some("true") {
        return (Status::PreconditionRequired, ErrorPage::HtmxRedirect((), Header::new("HX-Redirect", target)));
    }
    (Status::SeeOther, ErrorPage::Redirect(Redirect::to(target)))
}

#[catch(default)]
async fn any_error(status: Status, req: &Request<'_>) -> (Status, ErrorPage) {
    error_page(status, req).await
}

pub fn catchers() -> Vec<Catcher> {
    catchers![unauthorized, enrolment_required, any_error]
}
