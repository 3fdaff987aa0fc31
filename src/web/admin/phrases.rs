//! "Frases padrão" pages of the company and its teams: list, one form for new and edit,
//! delete. Personal phrases are the agents' own and are managed on their page
//! (`web::agent::phrases`); the use cases of both are in `catalog::phrases`.

use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{answer, done, Done, Saved};
use super::list::list_page;
use crate::catalog::phrases::{self, PhraseDraft};
use crate::catalog::CatalogError;
use crate::db::{phrases as stored, teams, Db};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Create, Delete, Edit, Phrases, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

const LIST: &str = "/admin/phrases";

#[get("/admin/phrases?<q>&<page_no>")]
async fn list(
    page: Page,
    _can: Can<Phrases, View>,
    db: &State<Db>,
    q: Option<String>,
    page_no: Option<i64>,
) -> WebResult<Template> {
    list_page(&page, db, "admin/phrases/list.html", q, page_no, stored::list_phrases, ()).await
}

/// The form, new (`id` `None`) or edit, with what was typed and its errors.
async fn form_page(
    page: &Page,
    db: &Db,
    id: Option<i64>,
    typed: &PhraseDraft,
    errors: serde_json::Value,
) -> WebResult<Template> {
    let teams = db.read(teams::all_teams).await?;
    let placeholders = phrases::placeholders();
    Ok(page.render("admin/phrases/form.html", context! { id, typed, teams, errors, placeholders }))
}

#[get("/admin/phrases/new")]
async fn new_form(page: Page, _can: Can<Phrases, Create>, db: &State<Db>) -> WebResult<Template> {
    form_page(&page, db, None, &PhraseDraft::default(), serde_json::json!({})).await
}

#[get("/admin/phrases/<id>")]
async fn edit_form(page: Page, _can: Can<Phrases, View>, id: i64, db: &State<Db>) -> WebResult<Template> {
    let phrase = db.read(move |c| stored::phrase_by_id(c, id)).await?.ok_or(CatalogError::NotFound)?;
    form_page(&page, db, Some(id), &PhraseDraft::of(&phrase), serde_json::json!({})).await
}

#[post("/admin/phrases", data = "<form>")]
async fn create(
    page: Page,
    can: Can<Phrases, Create>,
    htmx: Htmx,
    form: CsrfForm<PhraseDraft>,
    db: &State<Db>,
) -> Saved {
    let saved = phrases::save(db, &can.actor(), None, &form.0).await;
    answer(saved, &htmx, LIST, |errors| form_page(&page, db, None, &form.0, errors)).await
}

#[post("/admin/phrases/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<Phrases, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<PhraseDraft>,
    db: &State<Db>,
) -> Saved {
    let saved = phrases::save(db, &can.actor(), Some(id), &form.0).await;
    answer(saved, &htmx, LIST, |errors| form_page(&page, db, Some(id), &form.0, errors)).await
}

#[post("/admin/phrases/<id>/delete", data = "<_form>")]
async fn delete(
    can: Can<Phrases, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Done> {
    phrases::delete(db, &can.actor(), id).await?;
    Ok(done(&htmx, LIST.into()))
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, edit_form, update, delete]
}
