//! "Tags" pages: list, one form for new and edit, delete. The use cases are in
//! `catalog::tags`.

use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{answer, done, Done, Saved};
use super::list::list_page;
use crate::catalog::tags::{self, TagDraft};
use crate::db::teams::{self};
use crate::db::{tags as stored, Db};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Create, Delete, Edit, Tags, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

const LIST: &str = "/admin/tags";

#[get("/admin/tags?<q>&<page_no>")]
async fn list(
    page: Page,
    _can: Can<Tags, View>,
    db: &State<Db>,
    q: Option<String>,
    page_no: Option<i64>,
) -> WebResult<Template> {
    list_page(&page, db, "admin/tags/list.html", q, page_no, stored::list_tags, ()).await
}

/// The form, new (`id` `None`) or edit, with what was typed and its errors.
async fn form_page(
    page: &Page,
    db: &Db,
    id: Option<i64>,
    typed: &TagDraft,
    errors: serde_json::Value,
) -> WebResult<Template> {
    let teams = db.read(teams::all_teams).await?;
    Ok(page.render("admin/tags/form.html", context! { id, typed, teams, errors }))
}

#[get("/admin/tags/new")]
async fn new_form(page: Page, _can: Can<Tags, Create>, db: &State<Db>) -> WebResult<Template> {
    form_page(&page, db, None, &TagDraft::blank(), serde_json::json!({})).await
}

#[get("/admin/tags/<id>")]
async fn edit_form(page: Page, _can: Can<Tags, View>, id: i64, db: &State<Db>) -> WebResult<Template> {
    let tag = db.read(move |c| stored::tag_by_id(c, id)).await?.ok_or(crate::catalog::CatalogError::NotFound)?;
    form_page(&page, db, Some(id), &TagDraft::of(&tag), serde_json::json!({})).await
}

#[post("/admin/tags", data = "<form>")]
async fn create(page: Page, can: Can<Tags, Create>, htmx: Htmx, form: CsrfForm<TagDraft>, db: &State<Db>) -> Saved {
    let saved = tags::save(db, &can.actor(), None, &form.0).await;
    answer(saved, &htmx, LIST, |errors| form_page(&page, db, None, &form.0, errors)).await
}

#[post("/admin/tags/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<Tags, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<TagDraft>,
    db: &State<Db>,
) -> Saved {
    let saved = tags::save(db, &can.actor(), Some(id), &form.0).await;
    answer(saved, &htmx, LIST, |errors| form_page(&page, db, Some(id), &form.0, errors)).await
}

#[post("/admin/tags/<id>/delete", data = "<_form>")]
async fn delete(
    can: Can<Tags, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Done> {
    tags::delete(db, &can.actor(), id).await?;
    Ok(done(&htmx, LIST.into()))
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, edit_form, update, delete]
}
