//! "Campos de contato" pages: the list with the built-in fields' form, one form for new
//! and edit, delete. The use cases are in `catalog::contact_fields`.

use rocket::{get, post, State};
use rocket_dyn_templates::{context, Template};

use super::form::{done, Done};
use super::list::list_page;
use super::section::{admin_section, found, Form, Section as _};
use crate::catalog::contact_fields::{self, ContactFieldDraft, RequiredDraft};
use crate::db::contact_fields::{self as stored, KINDS};
use crate::db::{settings, Db};
use crate::web::csrf::CsrfForm;
use crate::web::errors::WebResult;
use crate::web::guards::perm::{ContactFields, Edit, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

async fn form_page(page: &Page, _: &Db, form: Form<'_, ContactFieldDraft>) -> WebResult<Template> {
    Ok(form.render(page, "admin/contact_fields/form.html", context! { kinds: KINDS }))
}

/// The list also holds the form of which built-in fields are required.
#[get("/?<q>&<page_no>&<saved>")]
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

#[post("/builtin", data = "<form>")]
async fn save_builtin(
    can: Can<ContactFields, Edit>,
    htmx: Htmx,
    form: CsrfForm<RequiredDraft>,
    db: &State<Db>,
) -> WebResult<Done> {
    contact_fields::save_required(db, &can.actor(), &form.0).await?;
    Ok(done(&htmx, format!("{}?saved=true", Section::LIST)))
}

admin_section! {
    area: ContactFields, at: "/admin/contact-fields", catalog: contact_fields, draft: ContactFieldDraft,
    form: form_page, list: own,
    // A new field goes after the others.
    blank: |_, db| ContactFieldDraft::blank(db.read(stored::next_position).await?),
    stored: |db, id| ContactFieldDraft::of(&found(db, stored::contact_field_by_id, id).await?),
    also: [save_builtin],
}
