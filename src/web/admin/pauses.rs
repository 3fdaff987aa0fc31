//! "Pausas" pages: list with search and pagination, one form for new and edit
//! (validated on the server, swapped in place by htmx on error), delete. The use cases
//! are in `catalog::pauses`.

use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{answer, done, Done, Saved};
use crate::catalog::pauses::{self, PauseDraft};
use crate::catalog::CatalogError;
use crate::db::paging::{Pager, PAGE_SIZE};
use crate::db::{pauses as stored, Db};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Create, Delete, Edit, Pauses, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

const LIST: &str = "/admin/pauses";

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
    let (rows, total) = db.read(move |c| stored::list_pauses(c, &search, PAGE_SIZE, offset)).await?;
    let rows: Vec<_> = rows.iter().map(|p| serde_json::json!({"pause": p, "shown": PauseDraft::of(p)})).collect();
    Ok(page.render("admin/pauses/list.html", context! { rows, pager: pager.with_total(total) }))
}

/// The form, new (`id` `None`) or edit, with what was typed and its errors.
fn form_page(page: &Page, id: Option<i64>, typed: &PauseDraft, errors: serde_json::Value) -> Template {
    page.render("admin/pauses/form.html", context! { id, typed, errors })
}

#[get("/admin/pauses/new")]
fn new_form(page: Page, _can: Can<Pauses, Create>) -> Template {
    form_page(&page, None, &PauseDraft::blank(), serde_json::json!({}))
}

#[get("/admin/pauses/<id>")]
async fn edit_form(page: Page, _can: Can<Pauses, View>, id: i64, db: &State<Db>) -> WebResult<Template> {
    let pause = db.read(move |c| stored::pause_by_id(c, id)).await?.ok_or(CatalogError::NotFound)?;
    Ok(form_page(&page, Some(id), &PauseDraft::of(&pause), serde_json::json!({})))
}

#[post("/admin/pauses", data = "<form>")]
async fn create(page: Page, can: Can<Pauses, Create>, htmx: Htmx, form: CsrfForm<PauseDraft>, db: &State<Db>) -> Saved {
    let saved = pauses::save(db, &can.actor(), None, &form.0).await;
    answer(saved, &htmx, LIST, |errors| async move { Ok(form_page(&page, None, &form.0, errors)) }).await
}

#[post("/admin/pauses/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<Pauses, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<PauseDraft>,
    db: &State<Db>,
) -> Saved {
    let saved = pauses::save(db, &can.actor(), Some(id), &form.0).await;
    answer(saved, &htmx, LIST, |errors| async move { Ok(form_page(&page, Some(id), &form.0, errors)) }).await
}

#[post("/admin/pauses/<id>/delete", data = "<_form>")]
async fn delete(
    can: Can<Pauses, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Done> {
    pauses::delete(db, &can.actor(), id).await?;
    Ok(done(&htmx, LIST.into()))
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, edit_form, update, delete]
}
