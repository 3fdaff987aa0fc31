//! "Filtro de palavras": words an agent may not send (the message is refused) and
//! short replies ("obrigado", "ok", "👍") that do not open a new conversation when they
//! arrive shortly after one closed. One page with both lists, the add forms (one term
//! per line) and the minutes the ignore terms apply for.

use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{answer, answer_to, done, Done, Saved};
use crate::catalog::word_filter::{self, TermsDraft, WindowDraft};
use crate::db::word_filter as stored;
use crate::db::{settings, Db};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Create, Delete, Edit, View, WordFilter};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

const BASE: &str = "/admin/word-filter";

/// What the page shows besides the lists: the form that failed (`blocked`, `ignore` or
/// `window`) with what was typed and its errors, and the note after a save.
#[derive(Debug, Default, serde::Serialize)]
struct PageState {
    failed: &'static str,
    typed_terms: String,
    typed_window: Option<String>,
    errors: serde_json::Value,
    added: Option<i64>,
    skipped: Option<i64>,
    saved: bool,
}

async fn render_page(page: &Page, db: &Db, state: PageState) -> WebResult<Template> {
    let (blocked, ignore, window) = db
        .read(|c| {
            Ok((
                stored::list_terms(c, "blocked")?,
                stored::list_terms(c, "ignore")?,
                settings::load(c)?.ignore_window_minutes,
            ))
        })
        .await?;
    let window_minutes = state.typed_window.clone().unwrap_or_else(|| window.to_string());
    let lists = serde_json::json!([{ "kind": "blocked", "terms": blocked }, { "kind": "ignore", "terms": ignore }]);
    Ok(page.render("admin/word_filter/list.html", context! { lists, window_minutes, state }))
}

#[get("/admin/word-filter?<added>&<skipped>&<saved>")]
async fn list(
    page: Page,
    _can: Can<WordFilter, View>,
    db: &State<Db>,
    added: Option<i64>,
    skipped: Option<i64>,
    saved: Option<bool>,
) -> WebResult<Template> {
    let state = PageState { added, skipped, saved: saved.unwrap_or(false), ..Default::default() };
    render_page(&page, db, state).await
}

#[post("/admin/word-filter", data = "<form>")]
async fn add(
    page: Page,
    can: Can<WordFilter, Create>,
    htmx: Htmx,
    form: CsrfForm<TermsDraft>,
    db: &State<Db>,
) -> Saved {
    let added = word_filter::add(db, &can.actor(), &form.0).await;
    let to = |a: word_filter::Added| format!("{BASE}?added={}&skipped={}", a.added, a.skipped);
    answer_to(added, &htmx, to, |errors| {
        let typed_terms = form.0.terms.clone();
        render_page(&page, db, PageState { failed: form.0.list(), typed_terms, errors, ..Default::default() })
    })
    .await
}

#[post("/admin/word-filter/window", data = "<form>")]
async fn save_window(
    page: Page,
    can: Can<WordFilter, Edit>,
    htmx: Htmx,
    form: CsrfForm<WindowDraft>,
    db: &State<Db>,
) -> Saved {
    let saved = word_filter::save_window(db, &can.actor(), &form.0).await;
    answer(saved, &htmx, &format!("{BASE}?saved=true"), |errors| {
        let typed_window = Some(form.0.window_minutes.clone());
        render_page(&page, db, PageState { failed: "window", typed_window, errors, ..Default::default() })
    })
    .await
}

#[post("/admin/word-filter/<id>/delete", data = "<_form>")]
async fn delete(
    can: Can<WordFilter, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Done> {
    word_filter::delete(db, &can.actor(), id).await?;
    Ok(done(&htmx, BASE.into()))
}

pub fn routes() -> Vec<Route> {
    routes![list, add, save_window, delete]
}
