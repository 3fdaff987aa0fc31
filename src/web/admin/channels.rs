//! "Canais": where customers write from. The new page chooses the kind; the edit page
//! shows the snippet to paste into the company's site (web chat) or the webhook URL to
//! give the service, the channel's health, and "Testar conexão".

use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{answer, answer_to, done, Done, Saved};
use super::list::list_page;
use crate::catalog::channels::{self as catalog, ChannelDraft};
use crate::catalog::CatalogError;
use crate::config::Config;
use crate::db::{channels, flows, schedules, teams, Db};
use crate::domain::channel_kind::ChannelKind;
use crate::engine::Engine;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Channels, Create, Delete, Edit, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

const LIST: &str = "/admin/channels";

#[get("/admin/channels?<q>&<page_no>")]
async fn list(
    page: Page,
    _can: Can<Channels, View>,
    db: &State<Db>,
    q: Option<String>,
    page_no: Option<i64>,
) -> WebResult<Template> {
    list_page(&page, db, "admin/channels/list.html", q, page_no, channels::list_channels, ()).await
}

/// What the form page shows besides the form: for an edit, the key, the webhook URL
/// to give the service, the channel's health, and a connection test's answer.
#[derive(Default)]
struct Extras {
    tested: Option<Result<String, String>>,
}

/// The form, new (`id` `None`) or edit (with the snippet or webhook URL, the health
/// panel and "Testar conexão"), with what was typed and its errors.
async fn form_page(
    page: &Page,
    engine: &Engine,
    config: &Config,
    id: Option<i64>,
    typed: &ChannelDraft,
    errors: serde_json::Value,
    extras: Extras,
) -> WebResult<Template> {
    let (channel, team_list, group_list, flow_list, flow_id) = engine
        .db
        .read(move |c| {
            let channel = match id {
                Some(id) => channels::channel_by_id(c, id)?,
                None => None,
            };
            let flow_list = flows::published_flows(c)?;
            let flow_id = match id {
                Some(id) => flows::flow_of_channel(c, id)?,
                None => None,
            };
            let teams: Vec<_> =
                teams::all_teams(c)?.into_iter().map(|t| serde_json::json!({"id": t.id, "name": t.name})).collect();
            let (groups, _) = schedules::list_groups(c, "", 1000, 0)?;
            let groups: Vec<_> =
                groups.into_iter().map(|g| serde_json::json!({"id": g.group.id, "name": g.group.name})).collect();
            Ok((channel, teams, groups, flow_list, flow_id))
        })
        .await?;
    // The channel may have gone while its form was open.
    if id.is_some() && channel.is_none() {
        return Err(CatalogError::NotFound.into());
    }
    let kind = channel.as_ref().map(|c| c.kind).unwrap_or_else(|| typed.chosen_kind());
    let health = match id {
        Some(id) => Some(engine.channel_health(id).await?),
        None => None,
    };
    let base = config.public_url();
    let key = channel.as_ref().map(|c| c.key.clone());
    let webhook = key.as_deref().and_then(|k| kind.webhook_path(k)).map(|path| format!("{base}{path}"));
    let (tested_ok, tested_error) = match extras.tested {
        Some(Ok(fact)) => (Some(fact), None),
        Some(Err(reason)) => (None, Some(reason)),
        None => (None, None),
    };
    Ok(page.render(
        "admin/channels/form.html",
        context! {
            id, key, base, typed, errors, kind, kinds: ChannelKind::ALL, webhook, health,
            tested_ok, tested_error, can_test: kind.reaches_a_service(),
            teams: team_list, groups: group_list, flows: flow_list, flow_id,
        },
    ))
}

#[get("/admin/channels/new?<kind>")]
async fn new_form(
    page: Page,
    _can: Can<Channels, Create>,
    engine: &State<Engine>,
    config: &State<Config>,
    kind: Option<&str>,
) -> WebResult<Template> {
    let kind = kind.and_then(|k| ChannelKind::parse(k).ok()).unwrap_or(ChannelKind::WebChat);
    let blank = ChannelDraft::blank(kind);
    form_page(&page, engine, config, None, &blank, serde_json::json!({}), Extras::default()).await
}

#[get("/admin/channels/<id>")]
async fn edit_form(
    page: Page,
    _can: Can<Channels, View>,
    id: i64,
    engine: &State<Engine>,
    config: &State<Config>,
) -> WebResult<Template> {
    let channel = engine.db.read(move |c| channels::channel_by_id(c, id)).await?.ok_or(CatalogError::NotFound)?;
    form_page(&page, engine, config, Some(id), &ChannelDraft::of(&channel), serde_json::json!({}), Extras::default())
        .await
}

/// "Testar conexão": asks the channel's service with the saved settings and shows its
/// answer on the channel's page.
#[post("/admin/channels/<id>/test", data = "<_form>")]
async fn test(
    page: Page,
    _can: Can<Channels, Edit>,
    id: i64,
    _form: CsrfForm<NoFields>,
    engine: &State<Engine>,
    config: &State<Config>,
) -> WebResult<Template> {
    let channel = engine.db.read(move |c| channels::channel_by_id(c, id)).await?.ok_or(CatalogError::NotFound)?;
    let tested = catalog::test_connection(channel.clone()).await;
    let extras = Extras { tested: Some(tested) };
    form_page(&page, engine, config, Some(id), &ChannelDraft::of(&channel), serde_json::json!({}), extras).await
}

/// A new channel goes to its own page, which shows the snippet for the site.
#[post("/admin/channels", data = "<form>")]
async fn create(
    page: Page,
    can: Can<Channels, Create>,
    htmx: Htmx,
    form: CsrfForm<ChannelDraft>,
    engine: &State<Engine>,
    config: &State<Config>,
) -> Saved {
    let saved = catalog::save(&engine.db, &can.actor(), None, &form.0).await;
    let to = |id| format!("{LIST}/{id}");
    let again = |errors| form_page(&page, engine, config, None, &form.0, errors, Extras::default());
    answer_to(saved, &htmx, to, again).await
}

#[post("/admin/channels/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<Channels, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<ChannelDraft>,
    engine: &State<Engine>,
    config: &State<Config>,
) -> Saved {
    let saved = catalog::save(&engine.db, &can.actor(), Some(id), &form.0).await;
    let again = |errors| form_page(&page, engine, config, Some(id), &form.0, errors, Extras::default());
    answer(saved, &htmx, LIST, again).await
}

#[post("/admin/channels/<id>/delete", data = "<_form>")]
async fn delete(
    can: Can<Channels, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Done> {
    catalog::delete(db, &can.actor(), id).await?;
    Ok(done(&htmx, LIST.into()))
}

#[derive(Debug, rocket::FromForm)]
struct ChannelFlow {
    flow_id: String,
}

/// "Fluxo de atendimento": the flow new conversations of the channel start (none:
/// straight to the channel's team).
#[post("/admin/channels/<id>/flow", data = "<form>")]
async fn set_flow(
    page: Page,
    can: Can<Channels, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<ChannelFlow>,
    engine: &State<Engine>,
    config: &State<Config>,
) -> Saved {
    let chosen = form.0.flow_id.trim().parse::<i64>().ok();
    let saved = crate::catalog::flows::set_channel_flow(&engine.db, &can.actor(), id, chosen).await;
    let channel = engine.db.read(move |c| channels::channel_by_id(c, id)).await?.ok_or(CatalogError::NotFound)?;
    let draft = ChannelDraft::of(&channel);
    let again = |errors| form_page(&page, engine, config, Some(id), &draft, errors, Extras::default());
    answer_to(saved, &htmx, |_| format!("{LIST}/{id}"), again).await
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, edit_form, update, delete, test, set_flow]
}
