//! "Tags": labels agents put on conversations (never shown to the contact), for
//! every team or for one. List, one form for new and edit, delete, audit.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{self, done, Done};
use crate::accounts::{AccountError, FieldErrors};
use crate::db::paging::{Pager, PAGE_SIZE};
use crate::db::tags::{self, Tag, TagFields};
use crate::db::teams::{self, Team};
use crate::db::{audit, Db, DbResult};
use crate::web::auth::field_errors;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Create, Delete, Edit, Tags, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

/// The colour a new tag starts with.
const DEFAULT_COLOR: &str = "#0f5fa8";

#[get("/admin/tags?<q>&<page_no>")]
async fn list(
    page: Page,
    _can: Can<Tags, View>,
    db: &State<Db>,
    q: Option<String>,
    page_no: Option<i64>,
) -> WebResult<Template> {
    let pager = Pager::new(page_no, q);
    let (search, offset) = (pager.q.clone(), pager.offset());
    let (rows, total) = db.read(move |c| tags::list_tags(c, &search, PAGE_SIZE, offset)).await?;
    Ok(page.render("admin/tags/list.html", context! { rows, pager: pager.with_total(total) }))
}

/// What the form shows: the values as text, as typed or as stored.
#[derive(Debug, Clone, Default, FromForm, serde::Serialize)]
struct TagForm {
    name: String,
    color: String,
    /// Empty: every team.
    team_id: String,
}

fn typed_from(t: &Tag) -> TagForm {
    TagForm {
        name: t.name.clone(),
        color: t.color.clone(),
        team_id: t.team_id.map(|id| id.to_string()).unwrap_or_default(),
    }
}

/// `#rrggbb` (what a colour input sends), stored in lower case.
fn color(errors: &mut FieldErrors, value: &str) -> String {
    let value = value.trim().to_ascii_lowercase();
    let valid = value.len() == 7 && value.starts_with('#') && value[1..].bytes().all(|b| b.is_ascii_hexdigit());
    if value.is_empty() {
        errors.insert("color", "field-required");
    } else if !valid {
        errors.insert("color", "tags-color-invalid");
    }
    value
}

/// The team picked in a "team" select: empty means every team. Shared by the tags,
/// phrases and templates forms; that the team exists is checked when saving
/// (`team_exists`).
pub(super) fn team_choice(errors: &mut FieldErrors, value: &str) -> Option<i64> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match value.parse::<i64>() {
        Ok(id) => Some(id),
        Err(_) => {
            errors.insert("team_id", "catalogues-team-unknown");
            None
        }
    }
}

/// Inside the saving transaction: the chosen team still exists (or none was chosen).
pub(super) fn team_exists(conn: &rusqlite::Connection, team_id: Option<i64>) -> DbResult<bool> {
    match team_id {
        None => Ok(true),
        Some(id) => Ok(teams::team_by_id(conn, id)?.is_some()),
    }
}

/// Form parsing and validation, apart from the handlers.
fn validate(f: &TagForm) -> Result<TagFields, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = form::text(&mut errors, "name", &f.name, 40);
    let color = color(&mut errors, &f.color);
    let team_id = team_choice(&mut errors, &f.team_id);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(TagFields { name, color, team_id })
}

fn form_page(page: &Page, id: Option<i64>, typed: &TagForm, teams: &[Team], errors: serde_json::Value) -> Template {
    page.render("admin/tags/form.html", context! { id, typed, teams, errors })
}

type Saved = WebResult<Result<Done, (Status, Template)>>;

/// Checks and writes one tag (new when `id` is `None`), with its audit entry.
async fn save(
    page: &Page,
    can_actor: crate::accounts::Actor,
    htmx: &Htmx,
    id: Option<i64>,
    typed: TagForm,
    db: &Db,
) -> Saved {
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
                Some(id) => match tags::tag_by_id(tx, id)? {
                    Some(t) => Some(t),
                    None => return Ok(Err(AccountError::NotFound)),
                },
                None => None,
            };
            if !team_exists(tx, fields.team_id)? {
                return Ok(Err(AccountError::Invalid(FieldErrors::from([("team_id", "catalogues-team-unknown")]))));
            }
            if tags::tag_name_taken(tx, &fields.name, fields.team_id, id)? {
                return Ok(Err(AccountError::Invalid(FieldErrors::from([("name", "tags-name-taken")]))));
            }
            match (id, before) {
                (Some(id), Some(before)) => {
                    tags::update_tag(tx, id, &fields)?;
                    audit::record_change(
                        tx,
                        &can_actor,
                        "tag.update",
                        &format!("tag:{id}"),
                        Some(&before),
                        Some(&fields),
                    )?;
                }
                _ => {
                    let id = tags::insert_tag(tx, &fields)?;
                    audit::record_change(tx, &can_actor, "tag.create", &format!("tag:{id}"), None, Some(&fields))?;
                }
            }
            Ok(Ok(()))
        })
        .await?;
    match saved {
        Ok(()) => Ok(Ok(done(htmx, "/admin/tags".into()))),
        Err(AccountError::NotFound) => Err(AccountError::NotFound.into()),
        Err(refusal) => {
            Ok(Err((Status::UnprocessableEntity, form_page(page, id, &typed, &all_teams, field_errors(&refusal)))))
        }
    }
}

#[get("/admin/tags/new")]
async fn new_form(page: Page, _can: Can<Tags, Create>, db: &State<Db>) -> WebResult<Template> {
    let all_teams = db.read(teams::all_teams).await?;
    let typed = TagForm { color: DEFAULT_COLOR.into(), ..Default::default() };
    Ok(form_page(&page, None, &typed, &all_teams, serde_json::json!({})))
}

#[post("/admin/tags", data = "<form>")]
async fn create(page: Page, can: Can<Tags, Create>, htmx: Htmx, form: CsrfForm<TagForm>, db: &State<Db>) -> Saved {
    save(&page, can.actor(), &htmx, None, form.0, db).await
}

#[get("/admin/tags/<id>")]
async fn edit_form(page: Page, _can: Can<Tags, View>, id: i64, db: &State<Db>) -> WebResult<Template> {
    let (tag, all_teams) = db.read(move |c| Ok((tags::tag_by_id(c, id)?, teams::all_teams(c)?))).await?;
    let tag = tag.ok_or(AccountError::NotFound)?;
    Ok(form_page(&page, Some(id), &typed_from(&tag), &all_teams, serde_json::json!({})))
}

#[post("/admin/tags/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<Tags, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<TagForm>,
    db: &State<Db>,
) -> Saved {
    save(&page, can.actor(), &htmx, Some(id), form.0, db).await
}

#[post("/admin/tags/<id>/delete", data = "<_form>")]
async fn delete(
    can: Can<Tags, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Done> {
    // Conversations carrying the tag lose it (the link cascades); nothing else refers to tags.
    form::delete_audited(db, can.actor(), "tag", id, tags::tag_by_id, tags::delete_tag, None).await?;
    Ok(done(&htmx, "/admin/tags".into()))
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, edit_form, update, delete]
}
