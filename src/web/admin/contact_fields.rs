//! "Campos de contato" pages: the list with the built-in fields' form, one form for new
//! and edit, delete. The use cases are in `catalog::contact_fields`.

use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{answer, done, Done, Saved};
use super::list::list_page;
use crate::catalog::contact_fields::{self, ContactFieldDraft, RequiredDraft};
use crate::catalog::CatalogError;
use crate::db::contact_fields::{self as stored, KINDS};
use crate::db::{settings, Db};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{ContactFields, Create, Delete, Edit, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

const LIST: &str = "/admin/contact-fields";

#[get("/admin/contact-fields?<q>&<page_no>&<saved>")]
async fn list(
    page: Page,
    _can: Can<ContactFields, View>,
    db: &State<Db>,
    q: Option<String>,
    page_no: Option<i64>,
    saved: Option<bool>,
) -> WebResult<Template> {
    let required = db.read(|c| Ok(settings::load(c)?.required_contact_fields)).await?;
    let more = context! { required, saved: saved.unwrap_or(false) };
    list_page(&page, db, "admin/contact_fields/list.html", q, page_no, stored::list_contact_fields, more).await
}

#[post("/admin/contact-fields/builtin", data = "<form>")]
async fn save_builtin(
    can: Can<ContactFields, Edit>,
    htmx: Htmx,
    form: CsrfForm<RequiredDraft>,
    db: &State<Db>,
) -> WebResult<Done> {
    contact_fields::save_required(db, &can.actor(), &form.0).await?;
    Ok(done(&htmx, format!("{LIST}?saved=true")))
}

/// The form, new (`id` `None`) or edit, with what was typed and its errors.
async fn form_page(
    page: &Page,
    id: Option<i64>,
    typed: &ContactFieldDraft,
    errors: serde_json::Value,
) -> WebResult<Template> {
    Ok(page.render("admin/contact_fields/form.html", context! { id, typed, errors, kinds: KINDS }))
}

#[get("/admin/contact-fields/new")]
async fn new_form(page: Page, _can: Can<ContactFields, Create>, db: &State<Db>) -> WebResult<Template> {
    let position = db.read(stored::next_position).await?;
    form_page(&page, None, &ContactFieldDraft::blank(position), serde_json::json!({})).await
}

#[get("/admin/contact-fields/<id>")]
async fn edit_form(page: Page, _can: Can<ContactFields, View>, id: i64, db: &State<Db>) -> WebResult<Template> {
    let field = db.read(move |c| stored::contact_field_by_id(c, id)).await?.ok_or(CatalogError::NotFound)?;
    form_page(&page, Some(id), &ContactFieldDraft::of(&field), serde_json::json!({})).await
}

#[post("/admin/contact-fields", data = "<form>")]
async fn create(
    page: Page,
    can: Can<ContactFields, Create>,
    htmx: Htmx,
    form: CsrfForm<ContactFieldDraft>,
    db: &State<Db>,
) -> Saved {
    let saved = contact_fields::save(db, &can.actor(), None, &form.0).await;
    answer(saved, &htmx, LIST, |errors| form_page(&page, None, &form.0, errors)).await
}

#[post("/admin/contact-fields/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<ContactFields, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<ContactFieldDraft>,
    db: &State<Db>,
) -> Saved {
    let saved = contact_fields::save(db, &can.actor(), Some(id), &form.0).await;
    answer(saved, &htmx, LIST, |errors| form_page(&page, Some(id), &form.0, errors)).await
}

#[post("/admin/contact-fields/<id>/delete", data = "<_form>")]
async fn delete(
    can: Can<ContactFields, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Done> {
    contact_fields::delete(db, &can.actor(), id).await?;
    Ok(done(&htmx, LIST.into()))
}

pub fn routes() -> Vec<Route> {
    routes![list, save_builtin, new_form, create, edit_form, update, delete]
}
