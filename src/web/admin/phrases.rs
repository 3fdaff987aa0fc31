//! "Frases padrão": texts an agent inserts by typing `/shortcut`, for the whole company
//! or for one team, with variables filled in when sent (`{{contato}}` …). Personal
//! phrases are the agents' own and are managed on their page (`web::agent::phrases`).

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{self, done, Done};
use super::form::{team_choice, team_exists};
use crate::accounts::{AccountError, Actor, FieldErrors};
use crate::db::paging::{Pager, PAGE_SIZE};
use crate::db::phrases::{self, Phrase, PhraseFields};
use crate::db::teams::{self, Team};
use crate::db::{audit, Db};
use crate::domain::fields;
use crate::domain::message_template::{check_phrase, PHRASE_PLACEHOLDERS};
use crate::web::auth::field_errors;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Create, Delete, Edit, Phrases, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

#[get("/admin/phrases?<q>&<page_no>")]
async fn list(
    page: Page,
    _can: Can<Phrases, View>,
    db: &State<Db>,
    q: Option<String>,
    page_no: Option<i64>,
) -> WebResult<Template> {
    let pager = Pager::new(page_no, q);
    let (search, offset) = (pager.q.clone(), pager.offset());
    let (rows, total) = db.read(move |c| phrases::list_phrases(c, &search, PAGE_SIZE, offset)).await?;
    Ok(page.render("admin/phrases/list.html", context! { rows, pager: pager.with_total(total) }))
}

/// What the form shows: the values as text, as typed or as stored.
#[derive(Debug, Clone, Default, FromForm, serde::Serialize)]
struct PhraseForm {
    shortcut: String,
    text: String,
    /// Empty: the whole company.
    team_id: String,
}

fn typed_from(p: &Phrase) -> PhraseForm {
    PhraseForm {
        shortcut: p.shortcut.clone(),
        text: p.text.clone(),
        team_id: p.team_id.map(|id| id.to_string()).unwrap_or_default(),
    }
}

/// 2 to 30 letters, digits, `-` or `_`; a leading `/` (as the agent types it) is dropped.
fn shortcut(errors: &mut FieldErrors, value: &str) -> String {
    let value = value.trim();
    let value = value.strip_prefix('/').unwrap_or(value).to_string();
    let count = value.chars().count();
    if value.is_empty() {
        errors.insert("shortcut", "field-required");
    } else if !(2..=30).contains(&count) || !value.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') {
        errors.insert("shortcut", "phrases-shortcut-invalid");
    }
    value
}

/// The shortcut and the text of a phrase, checked (the agents' own phrases share this).
pub(crate) fn shortcut_and_text(errors: &mut FieldErrors, shortcut_typed: &str, text_typed: &str) -> (String, String) {
    let shortcut = shortcut(errors, shortcut_typed);
    let text = fields::text(errors, "text", text_typed, 2000);
    if !errors.contains_key("text") {
        if let Err(problem) = check_phrase(&text) {
            errors.insert("text", problem.key());
        }
    }
    (shortcut, text)
}

/// Form parsing and validation, apart from the handlers.
fn validate(f: &PhraseForm) -> Result<PhraseFields, FieldErrors> {
    let mut errors = FieldErrors::new();
    let (shortcut, text) = shortcut_and_text(&mut errors, &f.shortcut, &f.text);
    let team_id = team_choice(&mut errors, &f.team_id);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(PhraseFields { shortcut, text, team_id })
}

fn form_page(page: &Page, id: Option<i64>, typed: &PhraseForm, teams: &[Team], errors: serde_json::Value) -> Template {
    let placeholders: Vec<String> = PHRASE_PLACEHOLDERS.iter().map(|p| format!("{{{{{p}}}}}")).collect();
    page.render("admin/phrases/form.html", context! { id, typed, teams, errors, placeholders })
}

type Saved = WebResult<Result<Done, (Status, Template)>>;

/// Checks and writes one phrase (new when `id` is `None`), with its audit entry.
async fn save(page: &Page, actor: Actor, htmx: &Htmx, id: Option<i64>, typed: PhraseForm, db: &Db) -> Saved {
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
                Some(id) => match phrases::phrase_by_id(tx, id)? {
                    Some(p) => Some(p),
                    None => return Ok(Err(AccountError::NotFound)),
                },
                None => None,
            };
            if !team_exists(tx, fields.team_id)? {
                return Ok(Err(AccountError::Invalid(FieldErrors::from([("team_id", "catalogues-team-unknown")]))));
            }
            if phrases::shortcut_taken(tx, &fields.shortcut, fields.team_id, id)? {
                return Ok(Err(AccountError::Invalid(FieldErrors::from([("shortcut", "phrases-shortcut-taken")]))));
            }
            match (id, before) {
                (Some(id), Some(before)) => {
                    phrases::update_phrase(tx, id, &fields)?;
                    let target = format!("phrase:{id}");
                    audit::record_change(tx, &actor, "phrase.update", &target, Some(&before), Some(&fields))?;
                }
                _ => {
                    let id = phrases::insert_phrase(tx, &fields)?;
                    audit::record_change(tx, &actor, "phrase.create", &format!("phrase:{id}"), None, Some(&fields))?;
                }
            }
            Ok(Ok(()))
        })
        .await?;
    match saved {
        Ok(()) => Ok(Ok(done(htmx, "/admin/phrases".into()))),
        Err(AccountError::NotFound) => Err(AccountError::NotFound.into()),
        Err(refusal) => {
            Ok(Err((Status::UnprocessableEntity, form_page(page, id, &typed, &all_teams, field_errors(&refusal)))))
        }
    }
}

#[get("/admin/phrases/new")]
async fn new_form(page: Page, _can: Can<Phrases, Create>, db: &State<Db>) -> WebResult<Template> {
    let all_teams = db.read(teams::all_teams).await?;
    Ok(form_page(&page, None, &<PhraseForm as Default>::default(), &all_teams, serde_json::json!({})))
}

#[post("/admin/phrases", data = "<form>")]
async fn create(
    page: Page,
    can: Can<Phrases, Create>,
    htmx: Htmx,
    form: CsrfForm<PhraseForm>,
    db: &State<Db>,
) -> Saved {
    save(&page, can.actor(), &htmx, None, form.0, db).await
}

#[get("/admin/phrases/<id>")]
async fn edit_form(page: Page, _can: Can<Phrases, View>, id: i64, db: &State<Db>) -> WebResult<Template> {
    let (phrase, all_teams) = db.read(move |c| Ok((phrases::phrase_by_id(c, id)?, teams::all_teams(c)?))).await?;
    let phrase = phrase.ok_or(AccountError::NotFound)?;
    Ok(form_page(&page, Some(id), &typed_from(&phrase), &all_teams, serde_json::json!({})))
}

#[post("/admin/phrases/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<Phrases, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<PhraseForm>,
    db: &State<Db>,
) -> Saved {
    save(&page, can.actor(), &htmx, Some(id), form.0, db).await
}

#[post("/admin/phrases/<id>/delete", data = "<_form>")]
async fn delete(
    can: Can<Phrases, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Done> {
    // A phrase is copied into the message an agent sends: nothing refers to it.
    form::delete_audited(db, can.actor(), "phrase", id, phrases::phrase_by_id, phrases::delete_phrase, None).await?;
    Ok(done(&htmx, "/admin/phrases".into()))
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, edit_form, update, delete]
}
