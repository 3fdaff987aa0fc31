//! Contacts for agents (F-AG-14..17): the list with search by number or name,
//! "Adicionar contato", the contact page (details, open conversations on every channel,
//! history filtered by the viewer's history permission, its changes), the contact panel
//! of the conversation pane (every field, the pencil that edits in place, the clock that
//! lists past conversations) and the transcript of a conversation. Saving goes through
//! `Engine::save_contact`, whichever form it comes from.

use std::collections::HashMap;

use rocket::form::FromForm;
use rocket::http::{Header, Status};
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::Template;
use rusqlite::Connection;
use serde::Serialize;

use super::admin::form::{done, Done};
use super::admin::list::list_page;
use crate::db::contact_fields::ContactField;
use crate::db::contacts::{self, Contact, ContactChange, ContactConversation};
use crate::db::{now_ms, Db, DbResult};
use crate::domain;
use crate::engine::access::can_view;
use crate::engine::contacts::{load_rules, ContactError, ContactInput, FieldErrors, Rules};
use crate::engine::transcript::transcript_of;
use crate::engine::{Engine, EngineError};
use crate::web::csrf::CsrfForm;
use crate::web::errors::WebResult;
use crate::web::guards::{Floor, Htmx, SignedIn};
use crate::web::page::Page;

/// Days of history shown by default, and the most one may ask for.
const DEFAULT_DAYS: i64 = 30;
const MAX_DAYS: i64 = 365;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

#[get("/agent/contacts?<q>&<page_no>")]
async fn list(
    page: Page,
    _me: SignedIn,
    db: &State<Db>,
    q: Option<String>,
    page_no: Option<i64>,
) -> WebResult<Template> {
    list_page(&page, db, "contacts/list.html", q, page_no, contacts::search_contacts, ()).await
}

/// The contact form as posted. Custom fields post as `custom[<field id>]`.
#[derive(Debug, Clone, Default, FromForm)]
struct ContactForm {
    name: String,
    email: String,
    phone: String,
    custom: HashMap<String, String>,
}

impl From<ContactForm> for ContactInput {
    fn from(f: ContactForm) -> ContactInput {
        ContactInput { name: f.name, email: f.email, phone: f.phone, custom: f.custom }
    }
}

/// The custom fields with what was typed and their error, for the template.
fn custom_views(rules: &Rules, typed: &ContactInput, errors: &FieldErrors) -> Vec<serde_json::Value> {
    rules
        .fields
        .iter()
        .map(|f| {
            let key = format!("custom[{}]", f.id);
            serde_json::json!({
                "field": f,
                "input": key,
                "dom_id": format!("custom-{}", f.id),
                "value": typed.custom.get(&f.id.to_string()).cloned().unwrap_or_default(),
                "error": errors.get(&key),
            })
        })
        .collect()
}

/// What every contact form needs: what was typed, its errors, the custom fields and
/// which built-in fields are required.
fn form_context(rules: &Rules, id: Option<i64>, typed: &ContactInput, errors: &FieldErrors) -> serde_json::Value {
    serde_json::json!({
        "id": id, "typed": typed, "errors": errors,
        "custom": custom_views(rules, typed, errors), "required": &rules.required,
    })
}

fn form_page(page: &Page, rules: &Rules, id: Option<i64>, typed: &ContactInput, errors: &FieldErrors) -> Template {
    page.render("contacts/form.html", form_context(rules, id, typed, errors))
}

#[get("/agent/contacts/new")]
async fn new_form(page: Page, _me: SignedIn, db: &State<Db>) -> WebResult<Template> {
    let rules = db.read(load_rules).await?;
    Ok(form_page(&page, &rules, None, &ContactInput::default(), &FieldErrors::new()))
}

/// Saves through the engine; the form again with its errors (422) when refused.
async fn save(
    page: &Page,
    me: &SignedIn,
    engine: &Engine,
    id: Option<i64>,
    typed: ContactInput,
) -> WebResult<Result<i64, (Status, Template)>> {
    match engine.save_contact(&me.actor(), id, typed.clone()).await {
        Ok(id) => Ok(Ok(id)),
        Err(ContactError::Invalid(errors)) => {
            let rules = engine.db.read(load_rules).await?;
            Ok(Err((Status::UnprocessableEntity, form_page(page, &rules, id, &typed, &errors))))
        }
        Err(other) => Err(other.into()),
    }
}

#[post("/agent/contacts", data = "<form>")]
async fn create(
    page: Page,
    me: SignedIn,
    htmx: Htmx,
    form: CsrfForm<ContactForm>,
    engine: &State<Engine>,
) -> WebResult<Result<Done, (Status, Template)>> {
    Ok(save(&page, &me, engine, None, form.0.into()).await?.map(|id| done(&htmx, format!("/agent/contacts/{id}"))))
}

#[post("/agent/contacts/<id>", data = "<form>")]
async fn update(
    page: Page,
    me: SignedIn,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<ContactForm>,
    engine: &State<Engine>,
) -> WebResult<Result<Done, (Status, Template)>> {
    Ok(save(&page, &me, engine, Some(id), form.0.into())
        .await?
        .map(|id| done(&htmx, format!("/agent/contacts/{id}?saved=1"))))
}

/// Keeps the conversations the viewer may see; counts the others.
fn visible(
    conn: &Connection,
    viewer: (i64, bool),
    rows: Vec<ContactConversation>,
) -> DbResult<(Vec<ContactConversation>, usize)> {
    let total = rows.len();
    let mut shown = Vec::new();
    for row in rows {
        if can_view(conn, viewer.0, viewer.1, &row.conversation)? {
            shown.push(row);
        }
    }
    let hidden = total - shown.len();
    Ok((shown, hidden))
}

#[derive(Serialize)]
struct ContactPage {
    contact: Contact,
    open: Vec<ContactConversation>,
    open_hidden: usize,
    history: Vec<ContactConversation>,
    history_hidden: usize,
    days: i64,
}

async fn contact_page(db: &Db, viewer: &Floor, id: i64, days: i64) -> WebResult<ContactPage> {
    let who = (viewer.who.user.id, viewer.supervisor);
    let found = db
        .read(move |c| {
            let Some(contact) = contacts::contact_by_id(c, id)? else { return Ok(None) };
            let (open, open_hidden) = visible(c, who, contacts::open_conversations_of(c, id)?)?;
            let since = now_ms() - days * DAY_MS;
            let (history, history_hidden) = visible(c, who, contacts::closed_conversations_of(c, id, since)?)?;
            Ok(Some(ContactPage { contact, open, open_hidden, history, history_hidden, days }))
        })
        .await?;
    Ok(found.ok_or(ContactError::NotFound)?)
}

/// How many of a contact's latest changes its page lists.
const CHANGES_SHOWN: i64 = 20;

/// A change as the page lists it: the field's label is a catalogue key (built-in
/// fields, a removed custom field) or the custom field's name.
#[derive(Serialize)]
struct ChangeView {
    change: ContactChange,
    label_key: Option<&'static str>,
    label: Option<String>,
}

fn change_views(changes: Vec<ContactChange>, fields: &[ContactField]) -> Vec<ChangeView> {
    changes
        .into_iter()
        .map(|change| {
            let builtin = crate::db::contacts::change_label_key(&change.field);
            let (label_key, label) = match change.field.as_str() {
                "" => (None, None),
                _ if builtin.is_some() => (builtin, None),
                other => {
                    let id = other.strip_prefix("custom:").and_then(|id| id.parse::<i64>().ok());
                    match fields.iter().find(|f| Some(f.id) == id) {
                        Some(f) => (None, Some(f.name.clone())),
                        None => (Some("contacts-change-removed-field"), None),
                    }
                }
            };
            ChangeView { change, label_key, label }
        })
        .collect()
}

/// `privacy`: the outcome of "Anonimizar contato" (`anonymised`, `open`, `confirm`).
/// `call`: the outcome of "📞" (`web::calls::NOTICES`).
#[get("/agent/contacts/<id>?<days>&<saved>&<privacy>&<call>")]
#[allow(clippy::too_many_arguments)]
async fn show(
    page: Page,
    viewer: Floor,
    id: i64,
    days: Option<i64>,
    saved: Option<&str>,
    privacy: Option<&str>,
    call: Option<&str>,
    engine: &State<Engine>,
) -> WebResult<Template> {
    let db = &engine.db;
    let days = days.unwrap_or(DEFAULT_DAYS).clamp(1, MAX_DAYS);
    let data = contact_page(db, &viewer, id, days).await?;
    let (rules, changes) = db.read(move |c| Ok((load_rules(c)?, contacts::changes_of(c, id, CHANGES_SHOWN)?))).await?;
    let changes = change_views(changes, &rules.fields);
    let can_call = engine.can_call(viewer.id()).await?;
    let mut context = form_context(&rules, Some(id), &ContactInput::of(&data.contact), &FieldErrors::new());
    if let serde_json::Value::Object(map) = &mut context {
        map.insert("name_warning".into(), symbols_in(&data.contact).into());
        map.insert("saved".into(), saved.is_some().into());
        let privacy = privacy.filter(|p| ["anonymised", "open", "confirm"].contains(p)).unwrap_or_default();
        map.insert("privacy".into(), privacy.into());
        map.insert("call".into(), call.filter(|c| super::calls::NOTICES.contains(c)).unwrap_or_default().into());
        map.insert("can_call".into(), can_call.into());
        map.insert("changes".into(), serde_json::to_value(changes).unwrap_or_default());
        map.insert("day_choices".into(), serde_json::json!(DAY_CHOICES));
        map.insert("data".into(), serde_json::to_value(data).unwrap_or_default());
    }
    Ok(page.render("contacts/show.html", context))
}

/// The periods offered for a contact's history, in days.
const DAY_CHOICES: [i64; 4] = [30, 90, 180, 365];

/// Whether the contact's name holds emoji or symbols ("evite emojis ou outros
/// caracteres no nome"): a warning, never a refusal.
fn symbols_in(contact: &Contact) -> bool {
    domain::text::has_symbols(&contact.name)
}

/// What the contact panel of the conversation pane shows (`contacts/_panel.html`):
/// `details` (every field, open conversations), `saved` (the same, after a save),
/// `edit` (the form, saved in place) or `history` (the contact's closed conversations,
/// each opening its transcript).
async fn panel_view(
    page: &Page,
    viewer: &Floor,
    engine: &Engine,
    id: i64,
    view: &str,
    days: i64,
    edit: Option<(ContactInput, FieldErrors)>,
) -> WebResult<Template> {
    let data = contact_page(&engine.db, viewer, id, days).await?;
    let rules = engine.db.read(load_rules).await?;
    let (typed, errors) = edit.unwrap_or_else(|| (ContactInput::of(&data.contact), FieldErrors::new()));
    let mut context = form_context(&rules, Some(id), &typed, &errors);
    if let serde_json::Value::Object(map) = &mut context {
        map.insert("view".into(), view.into());
        map.insert("panel".into(), true.into());
        map.insert("name_warning".into(), symbols_in(&data.contact).into());
        map.insert("day_choices".into(), serde_json::json!(DAY_CHOICES));
        map.insert("data".into(), serde_json::to_value(data).unwrap_or_default());
    }
    Ok(page.render("contacts/_panel.html", context))
}

/// The contact panel for the conversation pane (a partial): every field.
#[get("/agent/contacts/<id>/panel")]
async fn panel(page: Page, viewer: Floor, id: i64, engine: &State<Engine>) -> WebResult<Template> {
    panel_view(&page, &viewer, engine, id, "details", DEFAULT_DAYS, None).await
}

/// The pencil (✍): the contact's form inside the panel.
#[get("/agent/contacts/<id>/panel/edit")]
async fn panel_edit(page: Page, viewer: Floor, id: i64, engine: &State<Engine>) -> WebResult<Template> {
    panel_view(&page, &viewer, engine, id, "edit", DEFAULT_DAYS, None).await
}

/// The clock (🕐): the contact's past conversations inside the panel.
#[get("/agent/contacts/<id>/panel/history?<days>")]
async fn panel_history(
    page: Page,
    viewer: Floor,
    id: i64,
    days: Option<i64>,
    engine: &State<Engine>,
) -> WebResult<Template> {
    let days = days.unwrap_or(DEFAULT_DAYS).clamp(1, MAX_DAYS);
    panel_view(&page, &viewer, engine, id, "history", days, None).await
}

/// Saves the panel's form through the same use case as the contact page: the panel
/// again with "Contato salvo." (and the workspace lists refresh), or the form with its
/// errors (422).
#[post("/agent/contacts/<id>/panel", data = "<form>")]
async fn panel_save(
    page: Page,
    viewer: Floor,
    id: i64,
    form: CsrfForm<ContactForm>,
    engine: &State<Engine>,
) -> WebResult<PanelAnswer> {
    let typed: ContactInput = form.0.into();
    match engine.save_contact(&viewer.who.actor(), Some(id), typed.clone()).await {
        Ok(_) => {
            let panel = panel_view(&page, &viewer, engine, id, "saved", DEFAULT_DAYS, None).await?;
            Ok(PanelAnswer::Saved(panel, Header::new("HX-Trigger", "workspace-lists")))
        }
        Err(ContactError::Invalid(errors)) => {
            let panel = panel_view(&page, &viewer, engine, id, "edit", DEFAULT_DAYS, Some((typed, errors))).await?;
            Ok(PanelAnswer::Refused((Status::UnprocessableEntity, panel)))
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(rocket::Responder)]
enum PanelAnswer {
    Saved(Template, Header<'static>),
    Refused((Status, Template)),
}

/// The full transcript of a conversation the viewer may see (internal comments too).
#[get("/agent/history/<conversation_id>")]
async fn transcript(page: Page, viewer: Floor, conversation_id: i64, db: &State<Db>) -> WebResult<Template> {
    let (me, supervisor) = (viewer.id(), viewer.supervisor);
    let found = db.read(move |c| transcript_of(c, me, supervisor, conversation_id)).await?;
    let found = found.ok_or(EngineError::NotFound)?;
    Ok(page.render("contacts/transcript.html", found))
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, show, update, panel, panel_edit, panel_history, panel_save, transcript]
}
