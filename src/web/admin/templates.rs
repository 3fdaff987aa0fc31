//! "Modelos de mensagem": WhatsApp templates (HSM) an agent sends to start a
//! conversation or when the 24-hour window is closed. The form shows a live preview
//! with sample values for the `{{1}}`, `{{2}}` … parameters.

use rocket::form::FromForm;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{answer, done, Done, Saved};
use super::list::list_page;
use crate::catalog::templates::{self, TemplateDraft, CATEGORIES, CHANNELS, LANGUAGES, MAX_BUTTONS};
use crate::catalog::CatalogError;
use crate::db::{teams, templates as stored, Db};
use crate::domain::message_template::{parameters, render};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Create, Delete, Edit, Templates, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

const LIST: &str = "/admin/templates";

#[get("/admin/templates?<q>&<page_no>")]
async fn list(
    page: Page,
    _can: Can<Templates, View>,
    db: &State<Db>,
    q: Option<String>,
    page_no: Option<i64>,
) -> WebResult<Template> {
    list_page(&page, db, "admin/templates/list.html", q, page_no, stored::list_templates, ()).await
}

/// What the preview shows: the message as the contact will see it with the sample
/// values, and one sample input per parameter.
#[derive(Debug, serde::Serialize)]
struct Preview {
    header: String,
    text: String,
    buttons: Vec<String>,
    samples: Vec<String>,
    /// Message key when the parameters are numbered wrong.
    problem: Option<&'static str>,
}

fn preview_of(f: &TemplateDraft) -> Preview {
    let (count, problem) = match parameters(&f.body) {
        Ok(n) => (n, None),
        Err(p) => (0, Some(p.key())),
    };
    // A preview of thousands of inputs helps nobody; the body limit keeps it small.
    let count = count.min(100);
    let samples: Vec<String> = (0..count).map(|i| f.sample.get(i).cloned().unwrap_or_default()).collect();
    let values: Vec<&str> = samples.iter().map(|s| s.trim()).collect();
    Preview {
        header: f.header.trim().to_string(),
        text: render(f.body.trim(), &values),
        buttons: f.buttons(),
        samples,
        problem,
    }
}

/// The form, new (`id` `None`) or edit, with what was typed, its errors and its preview.
async fn form_page(
    page: &Page,
    db: &Db,
    id: Option<i64>,
    typed: &TemplateDraft,
    errors: serde_json::Value,
) -> WebResult<Template> {
    let teams = db.read(teams::all_teams).await?;
    // Always three button inputs, filled with what was typed.
    let mut button_inputs = typed.buttons.clone();
    button_inputs.resize(MAX_BUTTONS.max(button_inputs.len()), String::new());
    Ok(page.render(
        "admin/templates/form.html",
        context! {
            id, typed, teams, errors, button_inputs,
            preview: preview_of(typed),
            template_languages: LANGUAGES, categories: CATEGORIES, channels: CHANNELS,
        },
    ))
}

/// What the preview needs from the form. Every field may be missing: the preview is a
/// read, so a half-typed form still gets one.
#[derive(Debug, Default, FromForm)]
struct PreviewQuery {
    header: Option<String>,
    body: Option<String>,
    buttons: Vec<String>,
    sample: Vec<String>,
}

/// The preview partial, re-rendered by htmx as the form is typed in. It changes
/// nothing, so it is a GET that viewing templates is enough for (the form's values
/// come in the query string; htmx leaves the CSRF token out).
#[get("/admin/templates/preview?<form..>")]
fn preview(page: Page, _can: Can<Templates, View>, form: PreviewQuery) -> Template {
    let typed = TemplateDraft {
        header: form.header.unwrap_or_default(),
        body: form.body.unwrap_or_default(),
        buttons: form.buttons,
        sample: form.sample,
        ..Default::default()
    };
    page.render("admin/templates/_preview.html", context! { preview: preview_of(&typed) })
}

#[get("/admin/templates/new")]
async fn new_form(page: Page, _can: Can<Templates, Create>, db: &State<Db>) -> WebResult<Template> {
    form_page(&page, db, None, &TemplateDraft::blank(), serde_json::json!({})).await
}

#[get("/admin/templates/<id>")]
async fn edit_form(page: Page, _can: Can<Templates, View>, id: i64, db: &State<Db>) -> WebResult<Template> {
    let found = db.read(move |c| stored::template_by_id(c, id)).await?.ok_or(CatalogError::NotFound)?;
    form_page(&page, db, Some(id), &TemplateDraft::of(&found), serde_json::json!({})).await
}

#[post("/admin/templates", data = "<form>")]
async fn create(
    page: Page,
    can: Can<Templates, Create>,
    htmx: Htmx,
    form: CsrfForm<TemplateDraft>,
    db: &State<Db>,
) -> Saved {
    let saved = templates::save(db, &can.actor(), None, &form.0).await;
    answer(saved, &htmx, LIST, |errors| form_page(&page, db, None, &form.0, errors)).await
}

#[post("/admin/templates/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<Templates, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<TemplateDraft>,
    db: &State<Db>,
) -> Saved {
    let saved = templates::save(db, &can.actor(), Some(id), &form.0).await;
    answer(saved, &htmx, LIST, |errors| form_page(&page, db, Some(id), &form.0, errors)).await
}

#[post("/admin/templates/<id>/delete", data = "<_form>")]
async fn delete(
    can: Can<Templates, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Done> {
    templates::delete(db, &can.actor(), id).await?;
    Ok(done(&htmx, LIST.into()))
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, preview, edit_form, update, delete]
}
