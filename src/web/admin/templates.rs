//! "Modelos de mensagem": WhatsApp templates (HSM) an agent sends to start a
//! conversation or when the 24-hour window is closed. The form shows a live preview
//! with sample values for the `{{1}}`, `{{2}}` … parameters.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{self, done, Done};
use super::form::{team_choice, team_exists};
use crate::accounts::{AccountError, Actor, FieldErrors};
use crate::db::paging::{Pager, PAGE_SIZE};
use crate::db::teams::{self, Team};
use crate::db::templates::{self, MessageTemplate, TemplateFields};
use crate::db::{audit, Db};
use crate::domain::fields;
use crate::domain::message_template::{parameters, render};
use crate::web::auth::field_errors;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Create, Delete, Edit, Templates, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

/// Meta's language codes offered (the ones a Brazilian company sends in).
pub const LANGUAGES: [&str; 9] = ["pt_BR", "pt_PT", "en_US", "en_GB", "en", "es", "es_AR", "es_MX", "es_ES"];
pub const CATEGORIES: [&str; 3] = ["utility", "marketing", "authentication"];
pub const CHANNELS: [&str; 1] = ["whatsapp"];
/// Meta allows at most three quick-reply buttons of 25 characters.
const MAX_BUTTONS: usize = 3;

#[get("/admin/templates?<q>&<page_no>")]
async fn list(
    page: Page,
    _can: Can<Templates, View>,
    db: &State<Db>,
    q: Option<String>,
    page_no: Option<i64>,
) -> WebResult<Template> {
    let pager = Pager::new(page_no, q);
    let (search, offset) = (pager.q.clone(), pager.offset());
    let (rows, total) = db.read(move |c| templates::list_templates(c, &search, PAGE_SIZE, offset)).await?;
    Ok(page.render("admin/templates/list.html", context! { rows, pager: pager.with_total(total) }))
}

/// What the form shows: the values as text, as typed or as stored.
#[derive(Debug, Clone, Default, FromForm, serde::Serialize)]
struct TemplateForm {
    name: String,
    language: String,
    category: String,
    channel: String,
    header: String,
    body: String,
    /// One input per button (empty ones are dropped).
    buttons: Vec<String>,
    /// Empty: every team.
    team_id: String,
    active: bool,
    /// Sample values of the parameters, for the preview only.
    sample: Vec<String>,
}

fn typed_from(t: &MessageTemplate) -> TemplateForm {
    TemplateForm {
        name: t.name.clone(),
        language: t.language.clone(),
        category: t.category.clone(),
        channel: t.channel.clone(),
        header: t.header.clone(),
        body: t.body.clone(),
        buttons: t.buttons.clone(),
        team_id: t.team_id.map(|id| id.to_string()).unwrap_or_default(),
        active: t.active,
        sample: Vec::new(),
    }
}

/// One of a fixed list.
fn one_of(errors: &mut FieldErrors, field: &'static str, value: &str, allowed: &[&str]) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.insert(field, "field-required");
    } else if !allowed.contains(&value) {
        errors.insert(field, "catalogues-choose-one");
    }
    value.to_string()
}

/// Form parsing and validation, apart from the handlers.
fn validate(f: &TemplateForm) -> Result<TemplateFields, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = fields::text(&mut errors, "name", &f.name, 512);
    if !errors.contains_key("name") && !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        errors.insert("name", "templates-name-invalid");
    }
    let language = one_of(&mut errors, "language", &f.language, &LANGUAGES);
    let category = one_of(&mut errors, "category", &f.category, &CATEGORIES);
    let channel = one_of(&mut errors, "channel", &f.channel, &CHANNELS);
    let header = fields::optional_text(&mut errors, "header", &f.header, 60);
    if !errors.contains_key("header") && (header.contains("{{") || header.contains('\n')) {
        errors.insert("header", "templates-header-plain");
    }
    let body = fields::text(&mut errors, "body", &f.body, 1024);
    if !errors.contains_key("body") {
        if let Err(problem) = parameters(&body) {
            errors.insert("body", problem.key());
        }
    }
    let buttons: Vec<String> = f.buttons.iter().map(|b| b.trim().to_string()).filter(|b| !b.is_empty()).collect();
    if buttons.len() > MAX_BUTTONS {
        errors.insert("buttons", "templates-too-many-buttons");
    } else if buttons.iter().any(|b| b.chars().count() > 25) {
        errors.insert("buttons", "templates-button-too-long");
    } else if buttons.iter().any(|b| b.chars().any(char::is_control)) {
        errors.insert("buttons", "field-invalid-characters");
    } else if buttons
        .iter()
        .enumerate()
        .any(|(i, b)| buttons[..i].iter().any(|o| crate::domain::text::fold(o) == crate::domain::text::fold(b)))
    {
        errors.insert("buttons", "templates-button-repeated");
    }
    let team_id = team_choice(&mut errors, &f.team_id);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(TemplateFields { name, language, category, channel, header, body, buttons, team_id, active: f.active })
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

fn preview_of(f: &TemplateForm) -> Preview {
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
        buttons: f.buttons.iter().map(|b| b.trim().to_string()).filter(|b| !b.is_empty()).collect(),
        samples,
        problem,
    }
}

fn form_page(
    page: &Page,
    id: Option<i64>,
    typed: &TemplateForm,
    teams: &[Team],
    errors: serde_json::Value,
) -> Template {
    // Always three button inputs, filled with what was typed.
    let mut button_inputs = typed.buttons.clone();
    button_inputs.resize(MAX_BUTTONS.max(button_inputs.len()), String::new());
    page.render(
        "admin/templates/form.html",
        context! {
            id, typed, teams, errors, button_inputs,
            preview: preview_of(typed),
            template_languages: LANGUAGES, categories: CATEGORIES, channels: CHANNELS,
        },
    )
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
    let typed = TemplateForm {
        header: form.header.unwrap_or_default(),
        body: form.body.unwrap_or_default(),
        buttons: form.buttons,
        sample: form.sample,
        ..Default::default()
    };
    page.render("admin/templates/_preview.html", context! { preview: preview_of(&typed) })
}

type Saved = WebResult<Result<Done, (Status, Template)>>;

/// Checks and writes one template (new when `id` is `None`), with its audit entry.
async fn save(page: &Page, actor: Actor, htmx: &Htmx, id: Option<i64>, typed: TemplateForm, db: &Db) -> Saved {
    let all_teams = db.read(teams::all_teams).await?;
    let fields = match validate(&typed) {
        Ok(f) => f,
        Err(e) => {
            let errors = serde_json::to_value(e).unwrap_or_default();
            return Ok(Err((Status::UnprocessableEntity, form_page(page, id, &typed, &all_teams, errors))));
        }
    };
    let saved = db
        .write(move |tx| {
            let before = match id {
                Some(id) => match templates::template_by_id(tx, id)? {
                    Some(t) => Some(t),
                    None => return Ok(Err(AccountError::NotFound)),
                },
                None => None,
            };
            if !team_exists(tx, fields.team_id)? {
                return Ok(Err(AccountError::Invalid(FieldErrors::from([("team_id", "catalogues-team-unknown")]))));
            }
            if templates::template_taken(tx, &fields.name, &fields.language, id)? {
                return Ok(Err(AccountError::Invalid(FieldErrors::from([("name", "templates-name-taken")]))));
            }
            match (id, before) {
                (Some(id), Some(before)) => {
                    templates::update_template(tx, id, &fields)?;
                    let target = format!("template:{id}");
                    audit::record_change(tx, &actor, "template.update", &target, Some(&before), Some(&fields))?;
                }
                _ => {
                    let id = templates::insert_template(tx, &fields)?;
                    let target = format!("template:{id}");
                    audit::record_change(tx, &actor, "template.create", &target, None, Some(&fields))?;
                }
            }
            Ok(Ok(()))
        })
        .await?;
    match saved {
        Ok(()) => Ok(Ok(done(htmx, "/admin/templates".into()))),
        Err(AccountError::NotFound) => Err(AccountError::NotFound.into()),
        Err(refusal) => {
            Ok(Err((Status::UnprocessableEntity, form_page(page, id, &typed, &all_teams, field_errors(&refusal)))))
        }
    }
}

#[get("/admin/templates/new")]
async fn new_form(page: Page, _can: Can<Templates, Create>, db: &State<Db>) -> WebResult<Template> {
    let all_teams = db.read(teams::all_teams).await?;
    let typed = TemplateForm {
        language: "pt_BR".into(),
        category: "utility".into(),
        channel: "whatsapp".into(),
        active: true,
        ..Default::default()
    };
    Ok(form_page(&page, None, &typed, &all_teams, serde_json::json!({})))
}

#[post("/admin/templates", data = "<form>")]
async fn create(
    page: Page,
    can: Can<Templates, Create>,
    htmx: Htmx,
    form: CsrfForm<TemplateForm>,
    db: &State<Db>,
) -> Saved {
    save(&page, can.actor(), &htmx, None, form.0, db).await
}

#[get("/admin/templates/<id>")]
async fn edit_form(page: Page, _can: Can<Templates, View>, id: i64, db: &State<Db>) -> WebResult<Template> {
    let (found, all_teams) = db.read(move |c| Ok((templates::template_by_id(c, id)?, teams::all_teams(c)?))).await?;
    let found = found.ok_or(AccountError::NotFound)?;
    Ok(form_page(&page, Some(id), &typed_from(&found), &all_teams, serde_json::json!({})))
}

#[post("/admin/templates/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<Templates, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<TemplateForm>,
    db: &State<Db>,
) -> Saved {
    save(&page, can.actor(), &htmx, Some(id), form.0, db).await
}

#[post("/admin/templates/<id>/delete", data = "<_form>")]
async fn delete(
    can: Can<Templates, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Done> {
    // A template is copied into the message sent: nothing refers to it.
    form::delete_audited(db, can.actor(), "template", id, templates::template_by_id, templates::delete_template, None)
        .await?;
    Ok(done(&htmx, "/admin/templates".into()))
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, preview, edit_form, update, delete]
}
