//! "Modelos de mensagem": WhatsApp templates (HSM) an agent sends to start a
//! conversation or when the 24-hour window is closed. The form shows a live preview
//! with sample values for the `{{1}}`, `{{2}}` … parameters.

use rocket::form::FromForm;
use rocket::get;
use rocket_dyn_templates::{context, Template};

use super::section::{admin_section, found, Form};
use crate::catalog::templates::{self, TemplateDraft, CATEGORIES, CHANNELS, LANGUAGES, MAX_BUTTONS};
use crate::db::templates as stored;
use crate::db::{teams, Db};
use crate::domain::message_template::HEADER_FORMATS;
use crate::domain::message_template::{parameter_names, render};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Templates, View};
use crate::web::guards::Can;
use crate::web::page::Page;

/// What the preview shows: the message as the contact will see it with the sample
/// values, and one sample input per parameter.
#[derive(Debug, serde::Serialize)]
struct Preview {
    header: String,
    /// A file header's format (`image` …), shown as a placeholder for the file.
    file: String,
    text: String,
    buttons: Vec<String>,
    /// The parameters' names (`1`, `2` … or `nome` …), one sample input each.
    names: Vec<String>,
    samples: Vec<String>,
    /// Message key when the parameters are numbered wrong.
    problem: Option<&'static str>,
}

fn preview_of(f: &TemplateDraft) -> Preview {
    let (mut names, problem) = match parameter_names(&f.body) {
        Ok(names) => (names, None),
        Err(p) => (Vec::new(), Some(p.key())),
    };
    // A preview of thousands of inputs helps nobody; the body limit keeps it small.
    names.truncate(100);
    let samples: Vec<String> = (0..names.len()).map(|i| f.sample.get(i).cloned().unwrap_or_default()).collect();
    let values: Vec<&str> = samples.iter().map(|s| s.trim()).collect();
    Preview {
        header: f.header.trim().to_string(),
        file: HEADER_FORMATS.iter().find(|k| **k == f.header_format.trim()).map(|k| k.to_string()).unwrap_or_default(),
        text: render(f.body.trim(), &values),
        buttons: f.buttons(),
        names,
        samples,
        problem,
    }
}

/// The form with its preview.
async fn form_page(page: &Page, db: &Db, form: Form<'_, TemplateDraft>) -> WebResult<Template> {
    let teams = db.read(teams::all_teams).await?;
    // Always three button inputs, filled with what was typed.
    let mut button_inputs = form.typed.buttons.clone();
    button_inputs.resize(MAX_BUTTONS.max(button_inputs.len()), String::new());
    let more = context! {
        teams, button_inputs,
        preview: preview_of(form.typed),
        template_languages: LANGUAGES, categories: CATEGORIES, channels: CHANNELS, header_formats: HEADER_FORMATS,
    };
    Ok(form.render(page, "admin/templates/form.html", more))
}

/// What the preview needs from the form. Every field may be missing: the preview is a
/// read, so a half-typed form still gets one.
#[derive(Debug, Default, FromForm)]
struct PreviewQuery {
    header: Option<String>,
    header_format: Option<String>,
    body: Option<String>,
    buttons: Vec<String>,
    sample: Vec<String>,
}

/// The preview partial, re-rendered by htmx as the form is typed in. It changes
/// nothing, so it is a GET that viewing templates is enough for (the form's values
/// come in the query string; htmx leaves the CSRF token out).
#[get("/preview?<form..>")]
fn preview(page: Page, _can: Can<Templates, View>, form: PreviewQuery) -> Template {
    let typed = TemplateDraft {
        header: form.header.unwrap_or_default(),
        header_format: form.header_format.unwrap_or_default(),
        body: form.body.unwrap_or_default(),
        buttons: form.buttons,
        sample: form.sample,
        ..Default::default()
    };
    page.render("admin/templates/_preview.html", context! { preview: preview_of(&typed) })
}

admin_section! {
    area: Templates, at: "/admin/templates", catalog: templates, draft: TemplateDraft, form: form_page,
    list: ("admin/templates/list.html", stored::list_templates),
    blank: |_, _| TemplateDraft::blank(),
    stored: |db, id| TemplateDraft::of(&found(db, stored::template_by_id, id).await?),
    also: [preview],
}
