//! "Campos de contato": the company's own fields on a contact (text, number, date or a
//! choice), in the order "Adicionar contato" shows them, and which of the built-in
//! fields (name, e-mail, WhatsApp number) must be filled.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{self, done, Done};
use crate::accounts::{AccountError, Actor, FieldErrors};
use crate::db::contact_fields::{self, ContactField, ContactFieldFields, KINDS};
use crate::db::paging::{Pager, PAGE_SIZE};
use crate::db::settings::{self, RequiredContactFields};
use crate::db::{audit, Db};
use crate::domain::fields;
use crate::domain::text::fold;
use crate::web::auth::field_errors;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{ContactFields, Create, Delete, Edit, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

/// Options of a choice field: at least two, at most this many.
const MAX_CHOICES: usize = 50;
/// Names of the built-in fields (folded) a custom field may not take.
const BUILTIN_NAMES: [&str; 7] = ["nome", "name", "nombre", "e-mail", "email", "correo", "whatsapp"];

#[get("/admin/contact-fields?<q>&<page_no>&<saved>")]
async fn list(
    page: Page,
    _can: Can<ContactFields, View>,
    db: &State<Db>,
    q: Option<String>,
    page_no: Option<i64>,
    saved: Option<bool>,
) -> WebResult<Template> {
    let pager = Pager::new(page_no, q);
    let (search, offset) = (pager.q.clone(), pager.offset());
    let ((rows, total), required) = db
        .read(move |c| {
            Ok((
                contact_fields::list_contact_fields(c, &search, PAGE_SIZE, offset)?,
                settings::load(c)?.required_contact_fields,
            ))
        })
        .await?;
    Ok(page.render(
        "admin/contact_fields/list.html",
        context! { rows, pager: pager.with_total(total), required, saved: saved.unwrap_or(false) },
    ))
}

/// The built-in fields "Adicionar contato" requires (unticked: optional).
#[derive(Debug, FromForm)]
struct BuiltinForm {
    name: bool,
    email: bool,
    whatsapp: bool,
}

#[post("/admin/contact-fields/builtin", data = "<form>")]
async fn save_builtin(
    can: Can<ContactFields, Edit>,
    htmx: Htmx,
    form: CsrfForm<BuiltinForm>,
    db: &State<Db>,
) -> WebResult<Done> {
    let actor = can.actor();
    let after = RequiredContactFields { name: form.0.name, email: form.0.email, whatsapp: form.0.whatsapp };
    db.write(move |tx| {
        let mut current = settings::load(tx)?;
        let before = current.required_contact_fields.clone();
        current.required_contact_fields = after.clone();
        settings::save(tx, &current)?;
        audit::record_change(tx, &actor, "contact_fields.builtin", "settings", Some(&before), Some(&after))
    })
    .await?;
    Ok(done(&htmx, "/admin/contact-fields?saved=true".into()))
}

/// What the form shows: the values as text, as typed or as stored.
#[derive(Debug, Clone, Default, FromForm, serde::Serialize)]
struct ContactFieldForm {
    name: String,
    kind: String,
    /// One option per line (for `choice`).
    choices: String,
    required: bool,
    position: String,
}

fn typed_from(f: &ContactField) -> ContactFieldForm {
    ContactFieldForm {
        name: f.name.clone(),
        kind: f.kind.clone(),
        choices: f.choices.join("\n"),
        required: f.required,
        position: f.position.to_string(),
    }
}

/// The options of a choice field, one per line: at least two, each at most 60
/// characters, none repeated.
fn choices(errors: &mut FieldErrors, value: &str) -> Vec<String> {
    let options: Vec<String> = value.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect();
    let key = if options.is_empty() {
        Some("contact-fields-choices-required")
    } else if options.len() < 2 {
        Some("contact-fields-choices-too-few")
    } else if options.len() > MAX_CHOICES {
        Some("contact-fields-choices-too-many")
    } else if options.iter().any(|o| o.chars().count() > 60) {
        Some("contact-fields-choice-too-long")
    } else if options.iter().any(|o| o.chars().any(char::is_control)) {
        Some("field-invalid-characters")
    } else if options.iter().enumerate().any(|(i, o)| options[..i].iter().any(|p| fold(p) == fold(o))) {
        Some("contact-fields-choice-repeated")
    } else {
        None
    };
    if let Some(key) = key {
        errors.insert("choices", key);
    }
    options
}

/// Form parsing and validation, apart from the handlers.
fn validate(f: &ContactFieldForm) -> Result<ContactFieldFields, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = fields::text(&mut errors, "name", &f.name, 60);
    if !errors.contains_key("name") && BUILTIN_NAMES.contains(&fold(&name).as_str()) {
        errors.insert("name", "contact-fields-builtin-name");
    }
    let kind = f.kind.trim().to_string();
    if kind.is_empty() {
        errors.insert("kind", "field-required");
    } else if !KINDS.contains(&kind.as_str()) {
        errors.insert("kind", "catalogues-choose-one");
    }
    let options = if kind == "choice" { choices(&mut errors, &f.choices) } else { Vec::new() };
    let position = fields::number(&mut errors, "position", &f.position, 0, 999, true);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ContactFieldFields { name, kind, choices: options, required: f.required, position: position.unwrap_or(0) })
}

fn form_page(page: &Page, id: Option<i64>, typed: &ContactFieldForm, errors: serde_json::Value) -> Template {
    page.render("admin/contact_fields/form.html", context! { id, typed, errors, kinds: KINDS })
}

type Saved = WebResult<Result<Done, (Status, Template)>>;

/// Checks and writes one field (new when `id` is `None`), with its audit entry.
async fn save(page: &Page, actor: Actor, htmx: &Htmx, id: Option<i64>, typed: ContactFieldForm, db: &Db) -> Saved {
    let fields = match validate(&typed) {
        Ok(f) => f,
        Err(e) => {
            let errors = serde_json::to_value(e).unwrap_or_default();
            return Ok(Err((Status::UnprocessableEntity, form_page(page, id, &typed, errors))));
        }
    };
    let saved = db
        .write(move |tx| {
            let before = match id {
                Some(id) => match contact_fields::contact_field_by_id(tx, id)? {
                    Some(f) => Some(f),
                    None => return Ok(Err(AccountError::NotFound)),
                },
                None => None,
            };
            if crate::db::name_taken(tx, "contact_fields", &fields.name, id)? {
                return Ok(Err(AccountError::Invalid(FieldErrors::from([("name", "name-taken")]))));
            }
            match (id, before) {
                (Some(id), Some(before)) => {
                    contact_fields::update_contact_field(tx, id, &fields)?;
                    let target = format!("contact_field:{id}");
                    audit::record_change(tx, &actor, "contact_field.update", &target, Some(&before), Some(&fields))?;
                }
                _ => {
                    let id = contact_fields::insert_contact_field(tx, &fields)?;
                    let target = format!("contact_field:{id}");
                    audit::record_change(tx, &actor, "contact_field.create", &target, None, Some(&fields))?;
                }
            }
            Ok(Ok(()))
        })
        .await?;
    match saved {
        Ok(()) => Ok(Ok(done(htmx, "/admin/contact-fields".into()))),
        Err(AccountError::NotFound) => Err(AccountError::NotFound.into()),
        Err(refusal) => Ok(Err((Status::UnprocessableEntity, form_page(page, id, &typed, field_errors(&refusal))))),
    }
}

#[get("/admin/contact-fields/new")]
async fn new_form(page: Page, _can: Can<ContactFields, Create>, db: &State<Db>) -> WebResult<Template> {
    let position = db.read(contact_fields::next_position).await?;
    let typed = ContactFieldForm { kind: "text".into(), position: position.min(999).to_string(), ..Default::default() };
    Ok(form_page(&page, None, &typed, serde_json::json!({})))
}

#[post("/admin/contact-fields", data = "<form>")]
async fn create(
    page: Page,
    can: Can<ContactFields, Create>,
    htmx: Htmx,
    form: CsrfForm<ContactFieldForm>,
    db: &State<Db>,
) -> Saved {
    save(&page, can.actor(), &htmx, None, form.0, db).await
}

#[get("/admin/contact-fields/<id>")]
async fn edit_form(page: Page, _can: Can<ContactFields, View>, id: i64, db: &State<Db>) -> WebResult<Template> {
    let field = db.read(move |c| contact_fields::contact_field_by_id(c, id)).await?.ok_or(AccountError::NotFound)?;
    Ok(form_page(&page, Some(id), &typed_from(&field), serde_json::json!({})))
}

#[post("/admin/contact-fields/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<ContactFields, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<ContactFieldForm>,
    db: &State<Db>,
) -> Saved {
    save(&page, can.actor(), &htmx, Some(id), form.0, db).await
}

#[post("/admin/contact-fields/<id>/delete", data = "<_form>")]
async fn delete(
    can: Can<ContactFields, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Done> {
    // Values contacts hold for the field stay in their record, unseen, until edited.
    form::delete_audited(
        db,
        can.actor(),
        "contact_field",
        id,
        contact_fields::contact_field_by_id,
        contact_fields::delete_contact_field,
        None,
    )
    .await?;
    Ok(done(&htmx, "/admin/contact-fields".into()))
}

pub fn routes() -> Vec<Route> {
    routes![list, save_builtin, new_form, create, edit_form, update, delete]
}
