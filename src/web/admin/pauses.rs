//! "Pausas": the pause types agents choose from. This module is the model the other
//! admin sections follow: list with search and pagination, one form for new and edit
//! (validated on the server, swapped in place by htmx on error), delete, audit.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{self, done, Done};
use crate::accounts::{AccountError, FieldErrors};
use crate::db::paging::{Pager, PAGE_SIZE};
use crate::db::pauses::{self, Pause, PauseFields};
use crate::db::{audit, Db};
use crate::domain::clock::format_hhmm;
use crate::domain::fields;
use crate::web::auth::field_errors;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Create, Delete, Edit, Pauses, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

#[get("/admin/pauses?<q>&<page_no>")]
async fn list(
    page: Page,
    _can: Can<Pauses, View>,
    db: &State<Db>,
    q: Option<String>,
    page_no: Option<i64>,
) -> WebResult<Template> {
    let pager = Pager::new(page_no, q);
    let (search, offset) = (pager.q.clone(), pager.offset());
    let (rows, total) = db.read(move |c| pauses::list_pauses(c, &search, PAGE_SIZE, offset)).await?;
    let rows: Vec<_> =
        rows.iter().map(|p| (p, typed_from(p))).map(|(p, t)| serde_json::json!({"pause": p, "shown": t})).collect();
    Ok(page.render("admin/pauses/list.html", context! { rows, pager: pager.with_total(total) }))
}

/// What the form shows: the values as text, as typed or as stored.
#[derive(Debug, Clone, Default, FromForm, serde::Serialize)]
struct PauseForm {
    name: String,
    max_minutes: String,
    productive: bool,
    cumulative: bool,
    window_start: String,
    window_end: String,
    active: bool,
}

fn typed_from(p: &Pause) -> PauseForm {
    PauseForm {
        name: p.name.clone(),
        max_minutes: p.max_minutes.to_string(),
        productive: p.productive,
        cumulative: p.cumulative,
        window_start: p.window_start.map(format_hhmm).unwrap_or_default(),
        window_end: p.window_end.map(format_hhmm).unwrap_or_default(),
        active: p.active,
    }
}

/// Form parsing and validation, apart from the handlers.
fn validate(f: &PauseForm) -> Result<PauseFields, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = fields::text(&mut errors, "name", &f.name, 60);
    let max_minutes = fields::number(&mut errors, "max_minutes", &f.max_minutes, 1, 1440, true);
    let start = fields::time_of_day(&mut errors, "window_start", &f.window_start, false);
    let end = fields::time_of_day(&mut errors, "window_end", &f.window_end, false);
    match (start, end) {
        (Some(s), Some(e)) if s >= e => {
            errors.insert("window_end", "window-end-before-start");
        }
        (Some(_), None) if !errors.contains_key("window_end") => {
            errors.insert("window_end", "field-required");
        }
        (None, Some(_)) if !errors.contains_key("window_start") => {
            errors.insert("window_start", "field-required");
        }
        _ => {}
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(PauseFields {
        name,
        max_minutes: max_minutes.unwrap_or(1),
        productive: f.productive,
        cumulative: f.cumulative,
        window_start: start,
        window_end: end,
        active: f.active,
    })
}

fn form_page(page: &Page, id: Option<i64>, typed: &PauseForm, errors: serde_json::Value) -> Template {
    page.render("admin/pauses/form.html", context! { id, typed, errors })
}

#[get("/admin/pauses/new")]
fn new_form(page: Page, _can: Can<Pauses, Create>) -> Template {
    let typed = PauseForm { active: true, max_minutes: "15".into(), ..Default::default() };
    form_page(&page, None, &typed, serde_json::json!({}))
}

#[post("/admin/pauses", data = "<form>")]
async fn create(
    page: Page,
    can: Can<Pauses, Create>,
    htmx: Htmx,
    form: CsrfForm<PauseForm>,
    db: &State<Db>,
) -> WebResult<Result<Done, (Status, Template)>> {
    let typed = form.0;
    let fields = match validate(&typed) {
        Ok(f) => f,
        Err(e) => {
            return Ok(Err((
                Status::UnprocessableEntity,
                form_page(&page, None, &typed, serde_json::to_value(e).unwrap_or_default()),
            )))
        }
    };
    let actor = can.actor();
    let saved = db
        .write(move |tx| {
            if crate::db::name_taken(tx, "pauses", &fields.name, None)? {
                return Ok(Err(AccountError::Invalid(FieldErrors::from([("name", "name-taken")]))));
            }
            let id = pauses::insert_pause(tx, &fields)?;
            audit::record_change(tx, &actor, "pause.create", &format!("pause:{id}"), None, Some(&fields))?;
            Ok(Ok(id))
        })
        .await?;
    match saved {
        Ok(_) => Ok(Ok(done(&htmx, "/admin/pauses".into()))),
        Err(refusal) => Ok(Err((Status::UnprocessableEntity, form_page(&page, None, &typed, field_errors(&refusal))))),
    }
}

#[get("/admin/pauses/<id>")]
async fn edit_form(page: Page, _can: Can<Pauses, View>, id: i64, db: &State<Db>) -> WebResult<Template> {
    let pause = db.read(move |c| pauses::pause_by_id(c, id)).await?.ok_or(AccountError::NotFound)?;
    Ok(form_page(&page, Some(id), &typed_from(&pause), serde_json::json!({})))
}

#[post("/admin/pauses/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<Pauses, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<PauseForm>,
    db: &State<Db>,
) -> WebResult<Result<Done, (Status, Template)>> {
    let typed = form.0;
    let fields = match validate(&typed) {
        Ok(f) => f,
        Err(e) => {
            return Ok(Err((
                Status::UnprocessableEntity,
                form_page(&page, Some(id), &typed, serde_json::to_value(e).unwrap_or_default()),
            )))
        }
    };
    let actor = can.actor();
    let saved = db
        .write(move |tx| {
            let Some(before) = pauses::pause_by_id(tx, id)? else {
                return Ok(Err(AccountError::NotFound));
            };
            if crate::db::name_taken(tx, "pauses", &fields.name, Some(id))? {
                return Ok(Err(AccountError::Invalid(FieldErrors::from([("name", "name-taken")]))));
            }
            pauses::update_pause(tx, id, &fields)?;
            audit::record_change(tx, &actor, "pause.update", &format!("pause:{id}"), Some(&before), Some(&fields))?;
            Ok(Ok(()))
        })
        .await?;
    match saved {
        Ok(()) => Ok(Ok(done(&htmx, "/admin/pauses".into()))),
        Err(AccountError::NotFound) => Err(AccountError::NotFound.into()),
        Err(refusal) => {
            Ok(Err((Status::UnprocessableEntity, form_page(&page, Some(id), &typed, field_errors(&refusal)))))
        }
    }
}

#[post("/admin/pauses/<id>/delete", data = "<_form>")]
async fn delete(
    can: Can<Pauses, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Done> {
    // A pause agents have taken stays for the reports: it is deactivated instead.
    let keep: Option<form::KeepIfUsed> = Some((pauses::in_use, pauses::deactivate));
    form::delete_audited(db, can.actor(), "pause", id, pauses::pause_by_id, pauses::delete_pause, keep).await?;
    Ok(done(&htmx, "/admin/pauses".into()))
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, edit_form, update, delete]
}
