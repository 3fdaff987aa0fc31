//! What admin forms share: the answer after a save (a redirect for plain forms,
//! `HX-Redirect` for htmx ones, the form again with its errors on a refusal).
//!
//! Forms post with htmx (`hx-post`, `hx-select`, `hx-target="this"`): on an error the
//! handler answers 422 with the whole page and htmx swaps in only the form, keeping
//! everything that was typed; without JavaScript the same page simply shows.

use rocket::http::{Header, Status};
use rocket::response::Redirect;
use rocket_dyn_templates::Template;

use crate::catalog::{CatalogError, CatalogResult};
use crate::web::errors::WebResult;
use crate::web::guards::Htmx;

/// After a successful save: go to `to`.
#[derive(rocket::Responder)]
pub enum Done {
    Redirect(Redirect),
    Htmx((Status, ()), Header<'static>),
}

pub fn done(htmx: &Htmx, to: String) -> Done {
    if htmx.0 {
        Done::Htmx((Status::Ok, ()), Header::new("HX-Redirect", to))
    } else {
        Done::Redirect(Redirect::to(to))
    }
}

/// What a save handler answers: where to go next, or the form again with a status.
pub type Saved = WebResult<Result<Done, (Status, Template)>>;

/// The answer to a save or delete use case: on success go to `to`; on a refusal of
/// fields, 422 with the form built by `form_again` from the errors (what was typed
/// stays in it); a missing row is 404 and anything else an error page.
pub async fn answer<T, Fut>(
    result: CatalogResult<T>,
    htmx: &Htmx,
    to: &str,
    form_again: impl FnOnce(serde_json::Value) -> Fut,
) -> Saved
where
    Fut: std::future::Future<Output = WebResult<Template>>,
{
    answer_to(result, htmx, |_| to.to_string(), form_again).await
}

/// Like `answer`, when where to go depends on what the use case returned (the new
/// row's page, the counts of what was done).
pub async fn answer_to<T, Fut>(
    result: CatalogResult<T>,
    htmx: &Htmx,
    to: impl FnOnce(T) -> String,
    form_again: impl FnOnce(serde_json::Value) -> Fut,
) -> Saved
where
    Fut: std::future::Future<Output = WebResult<Template>>,
{
    let errors = match result {
        Ok(value) => return Ok(Ok(done(htmx, to(value)))),
        Err(CatalogError::Invalid(errors)) => serde_json::to_value(errors),
        Err(CatalogError::Cells(errors)) => serde_json::to_value(errors),
        Err(other) => return Err(other.into()),
    };
    Ok(Err((Status::UnprocessableEntity, form_again(errors.unwrap_or_default()).await?)))
}

/// The answer to a delete that may be refused: on success go to `to`; when the row
/// must stay (`Undeletable`), 409 with the page built by `page_again` from the reason.
pub async fn answer_delete<T, Fut>(
    result: CatalogResult<T>,
    htmx: &Htmx,
    to: &str,
    page_again: impl FnOnce(&'static str) -> Fut,
) -> Saved
where
    Fut: std::future::Future<Output = WebResult<Template>>,
{
    match result {
        Ok(_) => Ok(Ok(done(htmx, to.to_string()))),
        Err(CatalogError::Undeletable(reason)) => Ok(Err((Status::Conflict, page_again(reason).await?))),
        Err(other) => Err(other.into()),
    }
}
