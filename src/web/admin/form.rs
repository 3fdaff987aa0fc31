//! What admin forms share: checks that fill `FieldErrors`, and the answer after a save
//! (a redirect for plain forms, `HX-Redirect` for htmx ones).
//!
//! Forms post with htmx (`hx-post`, `hx-select`, `hx-target="this"`): on an error the
//! handler answers 422 with the whole page and htmx swaps in only the form, keeping
//! everything that was typed; without JavaScript the same page simply shows.

use rocket::http::{Header, Status};
use rocket::response::Redirect;

use crate::accounts::FieldErrors;
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

/// A trimmed, required text of at most `max` characters without control characters.
pub fn text(errors: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    let value = value.trim().to_string();
    if value.is_empty() {
        errors.insert(field, "field-required");
    } else if value.chars().count() > max {
        errors.insert(field, "field-too-long");
    } else if value.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        errors.insert(field, "field-invalid-characters");
    }
    value
}

/// An optional text: empty is fine, otherwise the same rules as `text`.
pub fn optional_text(errors: &mut FieldErrors, field: &'static str, value: &str, max: usize) -> String {
    if value.trim().is_empty() {
        return String::new();
    }
    text(errors, field, value, max)
}

/// A whole number in `min..=max`; an empty field is `None` unless required.
pub fn number(
    errors: &mut FieldErrors,
    field: &'static str,
    value: &str,
    min: i64,
    max: i64,
    required: bool,
) -> Option<i64> {
    let value = value.trim();
    if value.is_empty() {
        if required {
            errors.insert(field, "field-required");
        }
        return None;
    }
    match value.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        Ok(_) => {
            errors.insert(field, "field-out-of-range");
            None
        }
        Err(_) => {
            errors.insert(field, "field-not-a-number");
            None
        }
    }
}

/// A time of day `HH:MM` → minutes from midnight (`24:00` allowed as the end of a day).
pub fn time_of_day(errors: &mut FieldErrors, field: &'static str, value: &str, required: bool) -> Option<i64> {
    let value = value.trim();
    if value.is_empty() {
        if required {
            errors.insert(field, "field-required");
        }
        return None;
    }
    match crate::domain::clock::parse_hhmm(value) {
        Some(m) => Some(m),
        None => {
            errors.insert(field, "field-bad-time");
            None
        }
    }
}

/// When a row is in use (referred to by history), it is deactivated instead of deleted:
/// the check and the deactivation.
pub type KeepIfUsed = (
    fn(&rusqlite::Connection, i64) -> crate::db::DbResult<bool>,
    fn(&rusqlite::Connection, i64) -> crate::db::DbResult<()>,
);

/// Deletes one row after loading it for the audit log (`<what>.delete`, before = the
/// row); 404 when it does not exist. With `keep_if_used`, a row in use is deactivated
/// instead (`<what>.deactivate`, before and after).
pub async fn delete_audited<T>(
    db: &crate::db::Db,
    actor: crate::accounts::Actor,
    what: &'static str,
    id: i64,
    load: fn(&rusqlite::Connection, i64) -> crate::db::DbResult<Option<T>>,
    delete: fn(&rusqlite::Connection, i64) -> crate::db::DbResult<()>,
    keep_if_used: Option<KeepIfUsed>,
) -> crate::web::errors::WebResult<()>
where
    T: serde::Serialize + Send + 'static,
{
    db.write(move |tx| {
        let Some(before) = load(tx, id)? else { return Ok(Err(crate::accounts::AccountError::NotFound)) };
        let target = format!("{what}:{id}");
        match keep_if_used {
            Some((in_use, deactivate)) if in_use(tx, id)? => {
                deactivate(tx, id)?;
                let after = load(tx, id)?;
                crate::db::audit::record_change(
                    tx,
                    &actor,
                    &format!("{what}.deactivate"),
                    &target,
                    Some(&before),
                    after.as_ref().map(|a| a as _),
                )?;
            }
            _ => {
                delete(tx, id)?;
                crate::db::audit::record_change(tx, &actor, &format!("{what}.delete"), &target, Some(&before), None)?;
            }
        }
        Ok(Ok(()))
    })
    .await??;
    Ok(())
}
