//! `/api/v1/contacts`: list (a page at a time, or found by phone — with or without the
//! 9th digit —, by e-mail or by a custom field's value), read, create (once per
//! `Idempotency-Key`) and change. Changes are recorded under the token.

use rocket::{get, patch, post, routes, Route, State};

use super::body::{ApiBody, IdempotencyKey};
use super::token::{Contacts, Read, Scoped, Write};
use super::{ok, once_answer, page, paging, ApiError, ApiResult};
use crate::db::contacts::{self, Contact, ContactsBy};
use crate::db::Db;
use crate::engine::contacts::{contact_with_number, patch_contact_in, ContactError, ContactPatch};
use crate::engine::idempotency::{self, Answer, Key};

/// How the list is asked for: one of phone, e-mail, or a custom field with its value.
fn chosen(email: Option<&str>, field: Option<i64>, value: Option<&str>) -> Result<ContactsBy, ApiError> {
    match (email, field, value) {
        (Some(email), None, None) => Ok(ContactsBy::Email(email.trim().to_string())),
        (None, Some(field_id), Some(value)) => Ok(ContactsBy::Custom { field_id, value: value.trim().to_string() }),
        (None, Some(_), None) => Err(ApiError::invalid("value", "field-required")),
        (None, None, None) => Ok(ContactsBy::All),
        _ => Err(ApiError::invalid("email", "api-error-one-filter")),
    }
}

#[get("/api/v1/contacts?<phone>&<email>&<field>&<value>&<cursor>&<limit>", rank = 1)]
#[allow(clippy::too_many_arguments)]
async fn list(
    _s: Scoped<Contacts, Read>,
    db: &State<Db>,
    phone: Option<&str>,
    email: Option<&str>,
    field: Option<i64>,
    value: Option<&str>,
    cursor: Option<&str>,
    limit: Option<i64>,
) -> ApiResult {
    let (after, limit) = paging(cursor, limit)?;
    if let Some(typed) = phone.map(str::to_string) {
        if email.is_some() || field.is_some() {
            return Err(ApiError::invalid("phone", "api-error-one-filter"));
        }
        let found = db.read(move |c| Ok(contact_with_number(c, &typed))).await??;
        return page(found.into_iter().filter(|c| c.id > after).collect(), limit, |c: &Contact| c.id);
    }
    let by = chosen(email, field, value)?;
    let rows = db.read(move |c| contacts::contacts_after(c, &by, after, limit)).await?;
    page(rows, limit, |c| c.id)
}

#[get("/api/v1/contacts/<id>")]
async fn show(_s: Scoped<Contacts, Read>, db: &State<Db>, id: i64) -> ApiResult {
    ok(db.read(move |c| contacts::contact_by_id(c, id)).await?.ok_or_else(ApiError::not_found)?)
}

/// The contact as saved, with the status of the answer.
fn saved(tx: &rusqlite::Connection, id: i64, status: u16) -> Result<Answer, ContactError> {
    let contact = contacts::contact_by_id(tx, id)?.ok_or(ContactError::NotFound)?;
    Ok(Answer { status, body: serde_json::to_value(contact).unwrap_or_default() })
}

#[post("/api/v1/contacts", data = "<body>")]
async fn create(s: Scoped<Contacts, Write>, key: IdempotencyKey, db: &State<Db>, body: ApiBody) -> ApiResult {
    let patch: ContactPatch = body.parse()?;
    let (author, key) = (s.token.author(), Key { token_id: s.token.token.id, key: key.0, request_hash: body.hash });
    let outcome = idempotency::once(db, key, move |tx| saved(tx, patch_contact_in(tx, &author, None, patch)?, 201));
    once_answer(outcome.await?)
}

#[patch("/api/v1/contacts/<id>", data = "<body>")]
async fn update(s: Scoped<Contacts, Write>, db: &State<Db>, id: i64, body: ApiBody) -> ApiResult {
    let (patch, author): (ContactPatch, _) = (body.parse()?, s.token.author());
    let saved = db.transact(move |tx| saved(tx, patch_contact_in(tx, &author, Some(id), patch)?, 200)).await?;
    ok(saved.body)
}

pub fn routes() -> Vec<Route> {
    routes![list, show, create, update]
}
