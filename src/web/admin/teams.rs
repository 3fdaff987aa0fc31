//! "Equipes": the teams conversations queue in. Name, distribution (automatic to the
//! least busy available member, or agents pull from the queue), queue limit with its
//! overflow team and "fila cheia" message, whether a tabulation is required to finish,
//! active flag and members. A team that still has members or content (tabulations,
//! tags, phrases, templates) is not deleted: it is deactivated instead.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{done, Done};
use crate::accounts::{AccountError, FieldErrors};
use crate::db::paging::{Pager, PAGE_SIZE};
use crate::db::teams::{self, Team, TeamFields, DISTRIBUTIONS, MAX_QUEUE_LIMIT};
use crate::db::{audit, Db, DbResult};
use crate::domain::fields;
use crate::domain::message_template::{check_variables, PhraseProblem, QUEUE_FULL_PLACEHOLDERS};
use crate::web::auth::field_errors;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Create, Delete, Edit, Teams, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

#[get("/admin/teams?<q>&<page_no>")]
async fn list(
    page: Page,
    _can: Can<Teams, View>,
    db: &State<Db>,
    q: Option<String>,
    page_no: Option<i64>,
) -> WebResult<Template> {
    let pager = Pager::new(page_no, q);
    let (search, offset) = (pager.q.clone(), pager.offset());
    let (rows, total) = db.read(move |c| teams::list_teams(c, &search, PAGE_SIZE, offset)).await?;
    Ok(page.render("admin/teams/list.html", context! { rows, pager: pager.with_total(total) }))
}

/// What the form shows: the values as text, as typed or as stored.
#[derive(Debug, Clone, Default, FromForm, serde::Serialize)]
struct TeamForm {
    name: String,
    distribution: String,
    queue_limit: String,
    /// Id of the overflow team; empty for none. Both fields came with the queue limit:
    /// a form without them (a page loaded before) saves none and the default text.
    #[field(default = String::new())]
    overflow_team_id: String,
    #[field(default = String::new())]
    queue_full_message: String,
    require_tabulation: bool,
    active: bool,
    /// Ids of the ticked members.
    members: Vec<i64>,
}

fn typed_from(t: &Team, members: Vec<i64>) -> TeamForm {
    TeamForm {
        name: t.name.clone(),
        distribution: t.distribution.clone(),
        queue_limit: t.queue_limit.to_string(),
        overflow_team_id: t.overflow_team_id.map(|o| o.to_string()).unwrap_or_default(),
        queue_full_message: t.queue_full_message.clone(),
        require_tabulation: t.require_tabulation,
        active: t.active,
        members,
    }
}

/// Form parsing and validation, apart from the handlers (members are checked against
/// the database when saving).
fn validate(f: &TeamForm) -> Result<TeamFields, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = fields::text(&mut errors, "name", &f.name, 60);
    if !DISTRIBUTIONS.contains(&f.distribution.as_str()) {
        errors.insert("distribution", "teams-distribution-invalid");
    }
    let queue_limit = fields::number(&mut errors, "queue_limit", &f.queue_limit, 0, MAX_QUEUE_LIMIT, false);
    let overflow_team_id = fields::number(&mut errors, "overflow_team_id", &f.overflow_team_id, 1, i64::MAX, false);
    let queue_full_message = fields::optional_text(&mut errors, "queue_full_message", &f.queue_full_message, 500);
    if !errors.contains_key("queue_full_message") {
        if let Err(problem) = check_variables(&queue_full_message, &QUEUE_FULL_PLACEHOLDERS) {
            let key = match problem {
                PhraseProblem::Unclosed => "teams-queue-full-unclosed",
                PhraseProblem::Unknown(_) => "teams-queue-full-unknown",
            };
            errors.insert("queue_full_message", key);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(TeamFields {
        name,
        distribution: f.distribution.clone(),
        queue_limit: queue_limit.unwrap_or(0),
        require_tabulation: f.require_tabulation,
        active: f.active,
        overflow_team_id,
        queue_full_message,
    })
}

/// The overflow team must be another team, active (or already the chosen one); checked
/// inside the write. Following one hop only (see `engine::queue`), two teams may
/// overflow into each other without a loop.
fn overflow_refused(
    tx: &rusqlite::Connection,
    team_id: Option<i64>,
    chosen: Option<i64>,
) -> DbResult<Option<AccountError>> {
    let Some(chosen) = chosen else { return Ok(None) };
    let key = if Some(chosen) == team_id {
        "teams-overflow-self"
    } else if teams::overflow_candidates(tx, team_id)?.iter().any(|t| t.id == chosen) {
        return Ok(None);
    } else {
        "teams-overflow-invalid"
    };
    Ok(Some(AccountError::Invalid(FieldErrors::from([("overflow_team_id", key)]))))
}

/// The ticked members, each once; `None` when one of them may not be a member (unknown,
/// or deactivated and not already in the team).
fn allowed_members(conn: &rusqlite::Connection, team_id: Option<i64>, ticked: &[i64]) -> DbResult<Option<Vec<i64>>> {
    let candidates: Vec<i64> = teams::member_candidates(conn, team_id)?.iter().map(|c| c.id).collect();
    let mut members: Vec<i64> = ticked.to_vec();
    members.sort_unstable();
    members.dedup();
    Ok(members.iter().all(|m| candidates.contains(m)).then_some(members))
}

/// The team page: the form, the member checkboxes, and (for a saved team) what belongs
/// to it. `refusal` is a message shown above the form (a refused deletion).
async fn form_page(
    page: &Page,
    db: &Db,
    id: Option<i64>,
    typed: &TeamForm,
    errors: serde_json::Value,
    refusal: Option<&'static str>,
) -> WebResult<Template> {
    let (candidates, usage, overflow_teams) = db
        .read(move |c| {
            let usage = match id {
                Some(id) => Some(teams::usage(c, id)?),
                None => None,
            };
            Ok((teams::member_candidates(c, id)?, usage, teams::overflow_candidates(c, id)?))
        })
        .await?;
    let candidates: Vec<_> = candidates
        .into_iter()
        .map(|c| {
            let checked = typed.members.contains(&c.id);
            serde_json::json!({ "user": c, "checked": checked })
        })
        .collect();
    Ok(page.render("admin/teams/form.html", context! { id, typed, errors, candidates, usage, refusal, overflow_teams }))
}

#[get("/admin/teams/new")]
async fn new_form(page: Page, _can: Can<Teams, Create>, db: &State<Db>) -> WebResult<Template> {
    let typed = TeamForm { active: true, distribution: "auto".into(), queue_limit: "0".into(), ..Default::default() };
    form_page(&page, db, None, &typed, serde_json::json!({}), None).await
}

fn members_refused() -> AccountError {
    AccountError::Invalid(FieldErrors::from([("members", "teams-members-invalid")]))
}

fn name_refused() -> AccountError {
    AccountError::Invalid(FieldErrors::from([("name", "name-taken")]))
}

#[post("/admin/teams", data = "<form>")]
async fn create(
    page: Page,
    can: Can<Teams, Create>,
    htmx: Htmx,
    form: CsrfForm<TeamForm>,
    db: &State<Db>,
) -> WebResult<Result<Done, (Status, Template)>> {
    let typed = form.0;
    let fields = match validate(&typed) {
        Ok(f) => f,
        Err(e) => {
            let errors = serde_json::to_value(e).unwrap_or_default();
            return Ok(Err((Status::UnprocessableEntity, form_page(&page, db, None, &typed, errors, None).await?)));
        }
    };
    let (actor, ticked) = (can.actor(), typed.members.clone());
    let saved = db
        .write(move |tx| {
            if crate::db::name_taken(tx, "teams", &fields.name, None)? {
                return Ok(Err(name_refused()));
            }
            if let Some(refusal) = overflow_refused(tx, None, fields.overflow_team_id)? {
                return Ok(Err(refusal));
            }
            let Some(members) = allowed_members(tx, None, &ticked)? else {
                return Ok(Err(members_refused()));
            };
            let id = teams::insert_team(tx, &fields)?;
            teams::set_team_members(tx, id, &members)?;
            let after = teams::snapshot(tx, id)?;
            audit::record_change(tx, &actor, "team.create", &format!("team:{id}"), None, Some(&after))?;
            Ok(Ok(id))
        })
        .await?;
    match saved {
        Ok(_) => Ok(Ok(done(&htmx, "/admin/teams".into()))),
        Err(refusal) => Ok(Err((
            Status::UnprocessableEntity,
            form_page(&page, db, None, &typed, field_errors(&refusal), None).await?,
        ))),
    }
}

#[get("/admin/teams/<id>")]
async fn edit_form(page: Page, _can: Can<Teams, View>, id: i64, db: &State<Db>) -> WebResult<Template> {
    let (team, members) = db
        .read(move |c| match teams::team_by_id(c, id)? {
            Some(team) => Ok(Some((team, teams::member_ids(c, id)?))),
            None => Ok(None),
        })
        .await?
        .ok_or(AccountError::NotFound)?;
    form_page(&page, db, Some(id), &typed_from(&team, members), serde_json::json!({}), None).await
}

#[post("/admin/teams/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<Teams, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<TeamForm>,
    db: &State<Db>,
) -> WebResult<Result<Done, (Status, Template)>> {
    let typed = form.0;
    if db.read(move |c| teams::team_by_id(c, id)).await?.is_none() {
        return Err(AccountError::NotFound.into());
    }
    let fields = match validate(&typed) {
        Ok(f) => f,
        Err(e) => {
            let errors = serde_json::to_value(e).unwrap_or_default();
            return Ok(Err((Status::UnprocessableEntity, form_page(&page, db, Some(id), &typed, errors, None).await?)));
        }
    };
    let (actor, ticked) = (can.actor(), typed.members.clone());
    let saved = db
        .write(move |tx| {
            let Some(before) = teams::snapshot(tx, id)? else {
                return Ok(Err(AccountError::NotFound));
            };
            if crate::db::name_taken(tx, "teams", &fields.name, Some(id))? {
                return Ok(Err(name_refused()));
            }
            if let Some(refusal) = overflow_refused(tx, Some(id), fields.overflow_team_id)? {
                return Ok(Err(refusal));
            }
            let Some(members) = allowed_members(tx, Some(id), &ticked)? else {
                return Ok(Err(members_refused()));
            };
            teams::update_team(tx, id, &fields)?;
            teams::set_team_members(tx, id, &members)?;
            let after = teams::snapshot(tx, id)?;
            audit::record_change(tx, &actor, "team.update", &format!("team:{id}"), Some(&before), Some(&after))?;
            Ok(Ok(()))
        })
        .await?;
    match saved {
        Ok(()) => Ok(Ok(done(&htmx, "/admin/teams".into()))),
        Err(AccountError::NotFound) => Err(AccountError::NotFound.into()),
        Err(refusal) => Ok(Err((
            Status::UnprocessableEntity,
            form_page(&page, db, Some(id), &typed, field_errors(&refusal), None).await?,
        ))),
    }
}

/// Why a deletion did not happen.
enum NotDeleted {
    Missing,
    InUse(Team, Vec<i64>),
}

#[post("/admin/teams/<id>/delete", data = "<_form>")]
async fn delete(
    page: Page,
    can: Can<Teams, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Result<Done, (Status, Template)>> {
    let actor = can.actor();
    let deleted = db
        .write(move |tx| {
            let Some(team) = teams::team_by_id(tx, id)? else {
                return Ok(Err(NotDeleted::Missing));
            };
            if !teams::usage(tx, id)?.is_empty() {
                return Ok(Err(NotDeleted::InUse(team, teams::member_ids(tx, id)?)));
            }
            let before = teams::snapshot(tx, id)?;
            teams::delete_team(tx, id)?;
            audit::record_change(tx, &actor, "team.delete", &format!("team:{id}"), Some(&before), None)?;
            Ok(Ok(()))
        })
        .await?;
    match deleted {
        Ok(()) => Ok(Ok(done(&htmx, "/admin/teams".into()))),
        Err(NotDeleted::Missing) => Err(AccountError::NotFound.into()),
        Err(NotDeleted::InUse(team, members)) => {
            let typed = typed_from(&team, members);
            let template =
                form_page(&page, db, Some(id), &typed, serde_json::json!({}), Some("teams-delete-refused")).await?;
            Ok(Err((Status::Conflict, template)))
        }
    }
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, edit_form, update, delete]
}
