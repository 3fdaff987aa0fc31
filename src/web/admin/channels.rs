//! "Canais": where customers write from. For now the web chat: name, colour, greeting,
//! pre-chat fields, default team, schedule group; the key is generated once and the
//! edit page shows the snippet to paste into the company's site.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{self, done, Done};
use crate::accounts::{AccountError, FieldErrors};
use crate::channels::webchat::{self, Ask, Settings};
use crate::config::Config;
use crate::db::channels::{self, Channel, ChannelFields};
use crate::db::paging::{Pager, PAGE_SIZE};
use crate::db::{audit, schedules, teams, Db};
use crate::domain::fields;
use crate::web::auth::field_errors;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Channels, Create, Delete, Edit, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

#[get("/admin/channels?<q>&<page_no>")]
async fn list(
    page: Page,
    _can: Can<Channels, View>,
    db: &State<Db>,
    q: Option<String>,
    page_no: Option<i64>,
) -> WebResult<Template> {
    let pager = Pager::new(page_no, q);
    let (search, offset) = (pager.q.clone(), pager.offset());
    let (rows, total) = db.read(move |c| webchat::list_channels(c, &search, PAGE_SIZE, offset)).await?;
    Ok(page.render("admin/channels/list.html", context! { rows, pager: pager.with_total(total) }))
}

/// What the form shows: the values as text, as typed or as stored.
#[derive(Debug, Clone, Default, FromForm, serde::Serialize)]
struct ChannelForm {
    name: String,
    color: String,
    greeting: String,
    ask_email: bool,
    require_email: bool,
    ask_phone: bool,
    require_phone: bool,
    default_team_id: String,
    schedule_group_id: String,
    active: bool,
}

fn typed_from(c: &Channel) -> ChannelForm {
    let s = Settings::of(c);
    ChannelForm {
        name: c.name.clone(),
        color: s.color,
        greeting: s.greeting,
        ask_email: s.email != Ask::Off,
        require_email: s.email == Ask::Required,
        ask_phone: s.phone != Ask::Off,
        require_phone: s.phone == Ask::Required,
        default_team_id: c.default_team_id.map(|t| t.to_string()).unwrap_or_default(),
        schedule_group_id: c.schedule_group_id.map(|g| g.to_string()).unwrap_or_default(),
        active: c.active,
    }
}

/// Form parsing and validation, apart from the handlers. The key is not part of it.
fn validate(f: &ChannelForm) -> Result<ChannelFields, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = fields::text(&mut errors, "name", &f.name, 60);
    let color = f.color.trim().to_ascii_lowercase();
    if !webchat::is_color(&color) {
        errors.insert("color", "channels-bad-color");
    }
    let greeting = fields::optional_text(&mut errors, "greeting", &f.greeting, 500);
    let team = fields::number(&mut errors, "default_team_id", &f.default_team_id, 1, i64::MAX, true);
    let group = fields::number(&mut errors, "schedule_group_id", &f.schedule_group_id, 1, i64::MAX, false);
    if !errors.is_empty() {
        return Err(errors);
    }
    let settings = Settings {
        color,
        greeting,
        email: Ask::from_checkboxes(f.ask_email, f.require_email),
        phone: Ask::from_checkboxes(f.ask_phone, f.require_phone),
    };
    Ok(ChannelFields {
        kind: webchat::KIND.into(),
        name,
        key: String::new(),
        active: f.active,
        default_team_id: team,
        schedule_group_id: group,
        config: settings.to_json(),
    })
}

/// The chosen team and schedule group must exist (checked inside the write).
fn check_references(tx: &rusqlite::Transaction, fields: &ChannelFields) -> crate::db::DbResult<Option<FieldErrors>> {
    let mut errors = FieldErrors::new();
    if let Some(team) = fields.default_team_id {
        if teams::team_by_id(tx, team)?.is_none() {
            errors.insert("default_team_id", "channels-unknown-choice");
        }
    }
    if let Some(group) = fields.schedule_group_id {
        if schedules::group_by_id(tx, group)?.is_none() {
            errors.insert("schedule_group_id", "channels-unknown-choice");
        }
    }
    Ok((!errors.is_empty()).then_some(errors))
}

async fn form_page(
    page: &Page,
    db: &Db,
    config: &Config,
    channel: Option<&Channel>,
    typed: &ChannelForm,
    errors: serde_json::Value,
) -> WebResult<Template> {
    let (team_list, group_list) = db
        .read(|c| {
            let teams: Vec<_> =
                teams::all_teams(c)?.into_iter().map(|t| serde_json::json!({"id": t.id, "name": t.name})).collect();
            let (groups, _) = schedules::list_groups(c, "", 1000, 0)?;
            let groups: Vec<_> =
                groups.into_iter().map(|g| serde_json::json!({"id": g.group.id, "name": g.group.name})).collect();
            Ok((teams, groups))
        })
        .await?;
    let id = channel.map(|c| c.id);
    let key = channel.map(|c| c.key.clone());
    let base = config.public_url();
    Ok(page.render(
        "admin/channels/form.html",
        context! { id, key, base, typed, errors, teams: team_list, groups: group_list },
    ))
}

#[get("/admin/channels/new")]
async fn new_form(
    page: Page,
    _can: Can<Channels, Create>,
    db: &State<Db>,
    config: &State<Config>,
) -> WebResult<Template> {
    let typed = ChannelForm { active: true, color: "#0f5fa8".into(), ..Default::default() };
    form_page(&page, db, config, None, &typed, serde_json::json!({})).await
}

type Saved = Result<Done, (Status, Template)>;

#[post("/admin/channels", data = "<form>")]
async fn create(
    page: Page,
    can: Can<Channels, Create>,
    htmx: Htmx,
    form: CsrfForm<ChannelForm>,
    db: &State<Db>,
    config: &State<Config>,
) -> WebResult<Saved> {
    let typed = form.0;
    let mut fields = match validate(&typed) {
        Ok(f) => f,
        Err(e) => {
            let errors = serde_json::to_value(e).unwrap_or_default();
            return Ok(Err((Status::UnprocessableEntity, form_page(&page, db, config, None, &typed, errors).await?)));
        }
    };
    let actor = can.actor();
    let saved = db
        .write(move |tx| {
            if crate::db::name_taken(tx, "channels", &fields.name, None)? {
                return Ok(Err(AccountError::Invalid(FieldErrors::from([("name", "name-taken")]))));
            }
            if let Some(errors) = check_references(tx, &fields)? {
                return Ok(Err(AccountError::Invalid(errors)));
            }
            fields.key = loop {
                let key = webchat::new_key();
                if !channels::key_taken(tx, &key)? {
                    break key;
                }
            };
            let id = channels::insert_channel(tx, &fields)?;
            audit::record_change(tx, &actor, "channel.create", &format!("channel:{id}"), None, Some(&fields))?;
            Ok(Ok(id))
        })
        .await?;
    match saved {
        Ok(id) => Ok(Ok(done(&htmx, format!("/admin/channels/{id}")))),
        Err(refusal) => Ok(Err((
            Status::UnprocessableEntity,
            form_page(&page, db, config, None, &typed, field_errors(&refusal)).await?,
        ))),
    }
}

#[get("/admin/channels/<id>")]
async fn edit_form(
    page: Page,
    _can: Can<Channels, View>,
    id: i64,
    db: &State<Db>,
    config: &State<Config>,
) -> WebResult<Template> {
    let channel = db.read(move |c| channels::channel_by_id(c, id)).await?.ok_or(AccountError::NotFound)?;
    form_page(&page, db, config, Some(&channel), &typed_from(&channel), serde_json::json!({})).await
}

#[post("/admin/channels/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<Channels, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<ChannelForm>,
    db: &State<Db>,
    config: &State<Config>,
) -> WebResult<Saved> {
    let typed = form.0;
    let channel = db.read(move |c| channels::channel_by_id(c, id)).await?.ok_or(AccountError::NotFound)?;
    let fields = match validate(&typed) {
        Ok(f) => f,
        Err(e) => {
            let errors = serde_json::to_value(e).unwrap_or_default();
            return Ok(Err((
                Status::UnprocessableEntity,
                form_page(&page, db, config, Some(&channel), &typed, errors).await?,
            )));
        }
    };
    let actor = can.actor();
    let saved = db
        .write(move |tx| {
            let Some(before) = channels::channel_by_id(tx, id)? else {
                return Ok(Err(AccountError::NotFound));
            };
            if crate::db::name_taken(tx, "channels", &fields.name, Some(id))? {
                return Ok(Err(AccountError::Invalid(FieldErrors::from([("name", "name-taken")]))));
            }
            if let Some(errors) = check_references(tx, &fields)? {
                return Ok(Err(AccountError::Invalid(errors)));
            }
            let fields = ChannelFields { key: before.key.clone(), kind: before.kind.clone(), ..fields };
            channels::update_channel(tx, id, &fields)?;
            audit::record_change(tx, &actor, "channel.update", &format!("channel:{id}"), Some(&before), Some(&fields))?;
            Ok(Ok(()))
        })
        .await?;
    match saved {
        Ok(()) => Ok(Ok(done(&htmx, "/admin/channels".into()))),
        Err(AccountError::NotFound) => Err(AccountError::NotFound.into()),
        Err(refusal) => Ok(Err((
            Status::UnprocessableEntity,
            form_page(&page, db, config, Some(&channel), &typed, field_errors(&refusal)).await?,
        ))),
    }
}

#[post("/admin/channels/<id>/delete", data = "<_form>")]
async fn delete(
    can: Can<Channels, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Done> {
    // A channel with conversations stays for the history: it is deactivated instead.
    let keep: Option<form::KeepIfUsed> = Some((webchat::has_conversations, channels::deactivate));
    form::delete_audited(db, can.actor(), "channel", id, channels::channel_by_id, webchat::delete_channel, keep)
        .await?;
    Ok(done(&htmx, "/admin/channels".into()))
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, edit_form, update, delete]
}
