//! Contacts for agents (F-AG-14..17): the list with search by number or name,
//! "Adicionar contato", the contact page (details, open conversations on every channel,
//! history filtered by the viewer's history permission), "mensagens contendo" and the
//! transcript of a conversation. The workspace includes `contacts/_panel.html` through
//! `GET /agent/contacts/<id>/panel`.

use std::collections::{BTreeMap, HashMap};

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};
use rusqlite::Connection;
use serde::Serialize;

use super::admin::form::{done, Done};
use crate::accounts::AccountError;
use crate::db::contact_fields::{self, ContactField};
use crate::db::contacts::{self, ChangedBy, Contact, ContactChange, ContactConversation, ContactFields};
use crate::db::paging::{Pager, PAGE_SIZE};
use crate::db::{audit, conversations, messages, now_ms, settings, Db, DbResult};
use crate::domain::permissions::{Action, Area, Permission};
use crate::domain::text::one_line;
use crate::domain::{self, phone};
use crate::engine::access::can_view;
use crate::engine::attachments;
use crate::web::csrf::CsrfForm;
use crate::web::errors::WebResult;
use crate::web::guards::{grants, Htmx, SignedIn};
use crate::web::page::Page;

/// A signed-in user and whether they see the whole floor (monitoring permission).
pub struct Viewer {
    pub who: SignedIn,
    pub supervisor: bool,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Viewer {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let who = match SignedIn::from_request(req).await {
            Outcome::Success(who) => who,
            Outcome::Error(e) => return Outcome::Error(e),
            Outcome::Forward(f) => return Outcome::Forward(f),
        };
        let supervisor = grants(req).await.allows(Permission(Area::Monitoring, Action::View));
        Outcome::Success(Viewer { who, supervisor })
    }
}

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
    let pager = Pager::new(page_no, q);
    let (search, offset) = (pager.q.clone(), pager.offset());
    let (rows, total) = db.read(move |c| contacts::search_contacts(c, search.trim(), PAGE_SIZE, offset)).await?;
    Ok(page.render("contacts/list.html", context! { rows, pager: pager.with_total(total) }))
}

/// What the form shows: the values as typed or as stored. Custom fields post as
/// `custom[<field id>]`.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
struct ContactForm {
    name: String,
    email: String,
    phone: String,
    custom: HashMap<String, String>,
}

fn typed_from(c: &Contact) -> ContactForm {
    let custom = c
        .custom
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
                .collect()
        })
        .unwrap_or_default();
    ContactForm { name: c.name.clone(), email: c.email.clone(), phone: c.phone.clone(), custom }
}

type Errors = BTreeMap<String, &'static str>;

/// The built-in and custom fields as the form needs them.
struct Rules {
    required: settings::RequiredContactFields,
    fields: Vec<ContactField>,
}

fn load_rules(conn: &Connection) -> DbResult<Rules> {
    Ok(Rules {
        required: settings::load(conn)?.required_contact_fields,
        fields: contact_fields::list_contact_fields(conn, "", 1000, 0)?.0,
    })
}

/// A one-line field, cleaned (`text::one_line`), then checked.
fn plain_text(errors: &mut Errors, field: &str, value: &str, max: usize, required: bool) -> String {
    let value = one_line(value);
    if value.is_empty() {
        if required {
            errors.insert(field.into(), "field-required");
        }
    } else if value.chars().count() > max {
        errors.insert(field.into(), "field-too-long");
    }
    value
}

fn valid_date(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return false };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>()) else { return false };
    let Ok(month) = time::Month::try_from(m) else { return false };
    (1900..=2200).contains(&y) && time::Date::from_calendar_date(y, month, d).is_ok()
}

/// Form parsing and validation, apart from the handlers.
fn validate(f: &ContactForm, rules: &Rules) -> Result<ContactFields, Errors> {
    let mut errors = Errors::new();
    let name = plain_text(&mut errors, "name", &f.name, 120, rules.required.name);
    let mut email = plain_text(&mut errors, "email", &f.email, 254, rules.required.email);
    if !email.is_empty() {
        match domain::email::parse(&email) {
            Ok(address) => email = address,
            Err(_) => {
                errors.insert("email".into(), "email-invalid");
            }
        }
    }
    let mut phone_digits = String::new();
    // Numbers copied from a chat app often come wrapped in direction marks.
    let typed_phone = one_line(&f.phone);
    if typed_phone.is_empty() {
        if rules.required.whatsapp {
            errors.insert("phone".into(), "field-required");
        }
    } else {
        match phone::parse(&typed_phone) {
            Ok(d) => phone_digits = d,
            Err(e) => {
                errors.insert("phone".into(), e.key());
            }
        }
    }
    let mut custom = serde_json::Map::new();
    for field in &rules.fields {
        let key = format!("custom[{}]", field.id);
        let typed = one_line(f.custom.get(&field.id.to_string()).map(String::as_str).unwrap_or(""));
        let typed = typed.as_str();
        if typed.is_empty() {
            if field.required {
                errors.insert(key, "field-required");
            }
            continue;
        }
        let ok = match field.kind.as_str() {
            "number" => typed.replace(',', ".").parse::<f64>().is_ok_and(f64::is_finite),
            "date" => valid_date(typed),
            "choice" => field.choices.iter().any(|c| one_line(c) == typed),
            _ => typed.chars().count() <= 200,
        };
        if !ok {
            errors.insert(key, if field.kind == "text" { "field-too-long" } else { "contacts-custom-invalid" });
            continue;
        }
        custom.insert(field.id.to_string(), serde_json::Value::from(typed));
    }
    if errors.is_empty() && name.is_empty() && email.is_empty() && phone_digits.is_empty() {
        errors.insert("name".into(), "contacts-empty");
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ContactFields { name, email, phone: phone_digits, custom: serde_json::Value::Object(custom) })
}

/// The custom fields with what was typed and their error, for the template.
fn custom_views(rules: &Rules, typed: &ContactForm, errors: &Errors) -> Vec<serde_json::Value> {
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

fn form_page(page: &Page, rules: &Rules, id: Option<i64>, typed: &ContactForm, errors: &Errors) -> Template {
    page.render(
        "contacts/form.html",
        context! { id, typed, errors, custom: custom_views(rules, typed, errors), required: &rules.required },
    )
}

#[get("/agent/contacts/new")]
async fn new_form(page: Page, _me: SignedIn, db: &State<Db>) -> WebResult<Template> {
    let rules = db.read(load_rules).await?;
    Ok(form_page(&page, &rules, None, &<ContactForm as Default>::default(), &Errors::new()))
}

/// Validates and saves (new when `id` is `None`); a number already known — in either
/// 9th-digit form — is refused.
async fn save(
    page: &Page,
    me: &SignedIn,
    db: &Db,
    id: Option<i64>,
    typed: ContactForm,
) -> WebResult<Result<i64, (Status, Template)>> {
    let rules = db.read(load_rules).await?;
    let fields = match validate(&typed, &rules) {
        Ok(f) => f,
        Err(e) => return Ok(Err((Status::UnprocessableEntity, form_page(page, &rules, id, &typed, &e)))),
    };
    let (actor, by) = (me.actor(), ChangedBy::User(me.user.id));
    let saved = db
        .write(move |tx| {
            let before = match id {
                Some(id) => match contacts::contact_by_id(tx, id)? {
                    Some(c) => Some(c),
                    None => return Ok(Err(None)),
                },
                None => None,
            };
            if !fields.phone.is_empty()
                && contacts::contact_with_phone(tx, &phone::equivalent_forms(&fields.phone), id)?.is_some()
            {
                return Ok(Err(Some("contacts-phone-taken")));
            }
            let id = match &before {
                Some(before) => {
                    if contacts::update_contact(tx, before, &fields, by)? == 0 {
                        return Ok(Ok(before.id));
                    }
                    before.id
                }
                None => contacts::insert_contact(tx, &fields, by)?,
            };
            let action = if before.is_some() { "contact.update" } else { "contact.create" };
            audit::record_change(
                tx,
                &actor,
                action,
                &format!("contact:{id}"),
                before.as_ref().map(|b| b as _),
                Some(&fields),
            )?;
            Ok(Ok(id))
        })
        .await?;
    match saved {
        Ok(id) => Ok(Ok(id)),
        Err(None) => Err(AccountError::NotFound.into()),
        Err(Some(key)) => {
            let errors = Errors::from([("phone".to_string(), key)]);
            Ok(Err((Status::UnprocessableEntity, form_page(page, &rules, id, &typed, &errors))))
        }
    }
}

#[post("/agent/contacts", data = "<form>")]
async fn create(
    page: Page,
    me: SignedIn,
    htmx: Htmx,
    form: CsrfForm<ContactForm>,
    db: &State<Db>,
) -> WebResult<Result<Done, (Status, Template)>> {
    Ok(save(&page, &me, db, None, form.0).await?.map(|id| done(&htmx, format!("/agent/contacts/{id}"))))
}

#[post("/agent/contacts/<id>", data = "<form>")]
async fn update(
    page: Page,
    me: SignedIn,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<ContactForm>,
    db: &State<Db>,
) -> WebResult<Result<Done, (Status, Template)>> {
    Ok(save(&page, &me, db, Some(id), form.0).await?.map(|id| done(&htmx, format!("/agent/contacts/{id}?saved=1"))))
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

async fn contact_page(db: &Db, viewer: &Viewer, id: i64, days: i64) -> WebResult<ContactPage> {
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
    Ok(found.ok_or(AccountError::NotFound)?)
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
            let (label_key, label) = match change.field.as_str() {
                "" => (None, None),
                "name" => (Some("field-name"), None),
                "email" => (Some("field-email"), None),
                "phone" => (Some("contacts-field-whatsapp"), None),
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

#[get("/agent/contacts/<id>?<days>&<saved>")]
async fn show(
    page: Page,
    viewer: Viewer,
    id: i64,
    days: Option<i64>,
    saved: Option<&str>,
    db: &State<Db>,
) -> WebResult<Template> {
    let days = days.unwrap_or(DEFAULT_DAYS).clamp(1, MAX_DAYS);
    let data = contact_page(db, &viewer, id, days).await?;
    let (rules, changes) = db.read(move |c| Ok((load_rules(c)?, contacts::changes_of(c, id, CHANGES_SHOWN)?))).await?;
    let changes = change_views(changes, &rules.fields);
    let typed = typed_from(&data.contact);
    let errors = Errors::new();
    let custom = custom_views(&rules, &typed, &errors);
    Ok(page.render(
        "contacts/show.html",
        context! {
            id, data, typed, errors, saved: saved.is_some(), custom, changes,
            required: &rules.required,
            day_choices: [30, 90, 180, 365],
        },
    ))
}

/// The contact summary for the conversation pane (a partial).
#[get("/agent/contacts/<id>/panel")]
async fn panel(page: Page, viewer: Viewer, id: i64, db: &State<Db>) -> WebResult<Template> {
    let data = contact_page(db, &viewer, id, DEFAULT_DAYS).await?;
    let rules = db.read(load_rules).await?;
    let custom = custom_views(&rules, &typed_from(&data.contact), &Errors::new());
    Ok(page.render("contacts/_panel.html", context! { data, custom }))
}

#[derive(Serialize)]
struct Hit {
    hit: contacts::MessageHit,
    conversation: ContactConversation,
    contact_name: String,
}

/// "Mensagens contendo": messages of conversations the viewer may see, newest first.
#[get("/agent/history?<q>")]
async fn search(page: Page, viewer: Viewer, q: Option<String>, db: &State<Db>) -> WebResult<Template> {
    let q: String = q.unwrap_or_default().chars().take(100).collect();
    let query = contacts::fts_query(&q);
    let who = (viewer.who.user.id, viewer.supervisor);
    let hits = match query {
        None => vec![],
        Some(query) => {
            db.read(move |c| {
                let mut shown = Vec::new();
                let mut allowed: HashMap<i64, Option<(ContactConversation, String)>> = HashMap::new();
                for hit in contacts::search_messages(c, &query, 1000)? {
                    if let std::collections::hash_map::Entry::Vacant(e) = allowed.entry(hit.conversation_id) {
                        let row = contacts::contact_conversation(c, hit.conversation_id)?;
                        let entry = match row {
                            Some(row) if can_view(c, who.0, who.1, &row.conversation)? => {
                                let name = contacts::contact_by_id(c, row.conversation.contact_id)?
                                    .map(|x| x.name)
                                    .unwrap_or_default();
                                Some((row, name))
                            }
                            _ => None,
                        };
                        e.insert(entry);
                    }
                    if let Some(Some((row, name))) = allowed.get(&hit.conversation_id) {
                        let mut hit = hit;
                        hit.snippet = contacts::snippet_of(c, &query, hit.message_id)?;
                        shown.push(Hit { hit, conversation: row.clone(), contact_name: name.clone() });
                        if shown.len() >= 50 {
                            break;
                        }
                    }
                }
                Ok(shown)
            })
            .await?
        }
    };
    Ok(page.render("contacts/search.html", context! { searched: !q.trim().is_empty(), q, hits }))
}

/// The full transcript of a conversation the viewer may see (internal comments too).
#[get("/agent/history/<conversation_id>")]
async fn transcript(
    page: Page,
    viewer: Viewer,
    conversation_id: i64,
    db: &State<Db>,
) -> WebResult<Result<Template, Status>> {
    let who = (viewer.who.user.id, viewer.supervisor);
    let found = db
        .read(move |c| {
            let Some(row) = contacts::contact_conversation(c, conversation_id)? else { return Ok(None) };
            // Not visible answers as missing, so ids cannot be probed.
            if !can_view(c, who.0, who.1, &row.conversation)? {
                return Ok(None);
            }
            let contact = contacts::contact_by_id(c, row.conversation.contact_id)?;
            let messages = messages::of_conversation(c, conversation_id, true)?;
            let files: HashMap<String, attachments::Attachment> =
                attachments::attachments_of_conversation(c, conversation_id)?
                    .into_iter()
                    .map(|a| (a.id.to_string(), a))
                    .collect();
            let record = conversations::record_of(c, conversation_id)?;
            Ok(Some((row, contact, messages, files, record)))
        })
        .await?;
    match found {
        None => Err(AccountError::NotFound.into()),
        Some((row, contact, messages, files, record)) => {
            let messages: Vec<serde_json::Value> = messages
                .into_iter()
                .map(|m| {
                    let (event, arg) = match m.direction.as_str() {
                        "system" => {
                            let (kind, arg) = m.body.split_once(':').unwrap_or((m.body.as_str(), ""));
                            let known =
                                ["protocol", "assigned", "closed", "pending", "invited", "transferred", "overflow"];
                            (if known.contains(&kind) { kind.to_string() } else { "other".into() }, arg.to_string())
                        }
                        _ => (String::new(), String::new()),
                    };
                    let file = m.attachment_id.and_then(|a| files.get(&a.to_string()));
                    serde_json::json!({ "m": m, "event": event, "arg": arg, "file": file })
                })
                .collect();
            Ok(Ok(page.render("contacts/transcript.html", context! { row, contact, messages, record })))
        }
    }
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, show, update, panel, search, transcript]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            required: settings::RequiredContactFields::default(),
            fields: vec![ContactField {
                id: 7,
                name: "Plano".into(),
                kind: "choice".into(),
                choices: vec!["Ouro".into(), "Prata".into()],
                required: true,
                position: 1,
            }],
        }
    }

    #[test]
    fn validates_built_in_and_custom_fields() {
        let mut f = ContactForm {
            name: "Ana".into(),
            email: "ana@x.com.br".into(),
            phone: "98765-4321".into(),
            custom: HashMap::new(),
        };
        let e = validate(&f, &rules()).unwrap_err();
        assert_eq!(e.get("custom[7]"), Some(&"field-required"));
        assert_eq!(e.get("phone"), Some(&"contacts-phone-length"));
        f.phone = "55 11 98765-4321".into();
        f.custom.insert("7".into(), "Bronze".into());
        assert_eq!(validate(&f, &rules()).unwrap_err().get("custom[7]"), Some(&"contacts-custom-invalid"));
        f.custom.insert("7".into(), "Ouro".into());
        let ok = validate(&f, &rules()).unwrap();
        assert_eq!(ok.phone, "5511987654321");
        assert_eq!(ok.custom, serde_json::json!({"7": "Ouro"}));
        f.email = "ana@".into();
        assert_eq!(validate(&f, &rules()).unwrap_err().get("email"), Some(&"email-invalid"));
    }

    #[test]
    fn dates_are_real_days() {
        assert!(valid_date("2026-02-28"));
        assert!(!valid_date("2026-02-30"));
        assert!(!valid_date("28/02/2026"));
    }
}
