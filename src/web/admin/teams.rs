//! "Equipes" pages: list, one form for new and edit with the member checkboxes and
//! (for a saved team) what belongs to it, delete. The use cases are in
//! `catalog::teams`.

use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{answer, answer_delete, Saved};
use super::list::list_page;
use crate::catalog::teams::{self, TeamDraft};
use crate::db::{teams as stored, Db};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Create, Delete, Edit, Teams, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

const LIST: &str = "/admin/teams";

#[get("/admin/teams?<q>&<page_no>")]
async fn list(
    page: Page,
    _can: Can<Teams, View>,
    db: &State<Db>,
    q: Option<String>,
    page_no: Option<i64>,
) -> WebResult<Template> {
    list_page(&page, db, "admin/teams/list.html", q, page_no, stored::list_teams, ()).await
}

/// The team page: the form, the member checkboxes, and (for a saved team) what belongs
/// to it. `refusal` is a message shown above the form (a refused deletion).
async fn form_page(
    page: &Page,
    db: &Db,
    id: Option<i64>,
    typed: &TeamDraft,
    errors: serde_json::Value,
    refusal: Option<&'static str>,
) -> WebResult<Template> {
    let (candidates, usage, overflow_teams) = db
        .read(move |c| {
            let usage = match id {
                Some(id) => Some(stored::usage(c, id)?),
                None => None,
            };
            Ok((stored::member_candidates(c, id)?, usage, stored::overflow_candidates(c, id)?))
        })
        .await?;
    let candidates: Vec<_> = candidates
        .into_iter()
        .map(|c| {
            let checked = typed.members.contains(&c.id);
            serde_json::json!({ "user": c, "checked": checked })
        })
        .collect();
    Ok(page.render("admin/teams/form.html", context! { id, typed, errors, candidates, usage, refusal, overflow_teams }))
}

/// The form of a saved team as stored, with `refusal` above it.
async fn stored_page(page: &Page, db: &Db, id: i64, refusal: Option<&'static str>) -> WebResult<Template> {
    let typed = teams::draft_of(db, id).await?;
    form_page(page, db, Some(id), &typed, serde_json::json!({}), refusal).await
}

#[get("/admin/teams/new")]
async fn new_form(page: Page, _can: Can<Teams, Create>, db: &State<Db>) -> WebResult<Template> {
    form_page(&page, db, None, &TeamDraft::blank(), serde_json::json!({}), None).await
}

#[get("/admin/teams/<id>")]
async fn edit_form(page: Page, _can: Can<Teams, View>, id: i64, db: &State<Db>) -> WebResult<Template> {
    stored_page(&page, db, id, None).await
}

#[post("/admin/teams", data = "<form>")]
async fn create(page: Page, can: Can<Teams, Create>, htmx: Htmx, form: CsrfForm<TeamDraft>, db: &State<Db>) -> Saved {
    let saved = teams::save(db, &can.actor(), None, &form.0).await;
    answer(saved, &htmx, LIST, |errors| form_page(&page, db, None, &form.0, errors, None)).await
}

#[post("/admin/teams/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<Teams, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<TeamDraft>,
    db: &State<Db>,
) -> Saved {
    let saved = teams::save(db, &can.actor(), Some(id), &form.0).await;
    answer(saved, &htmx, LIST, |errors| form_page(&page, db, Some(id), &form.0, errors, None)).await
}

/// A team something still belongs to is refused: 409 and its page with the reason.
#[post("/admin/teams/<id>/delete", data = "<_form>")]
async fn delete(
    page: Page,
    can: Can<Teams, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> Saved {
    let deleted = teams::delete(db, &can.actor(), id).await;
    answer_delete(deleted, &htmx, LIST, |reason| stored_page(&page, db, id, Some(reason))).await
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, edit_form, update, delete]
}
