//! Reaching contacts by channel (F-AG-18): the workspace's rail of channels, each
//! channel's contacts, and on a contact's page their identities per channel with
//! "Iniciar conversa" (channel and team); the engine decides whether it may start.

use rocket::form::FromForm;
use rocket::http::{Header, Status};
use rocket::response::Redirect;
use rocket::{get, post, routes, Responder, Route, State};
use rocket_dyn_templates::{context, Template};

use super::Floor;
use serde_json::json;

use crate::db::paging::{Pager, PAGE_SIZE};
use crate::db::{channels, contacts, Db};
use crate::engine::start::StartRefused;
use crate::engine::{Engine, EngineError};
use crate::web::csrf::CsrfForm;
use crate::web::errors::WebResult;
use crate::web::guards::Htmx;
use crate::web::page::Page;

#[derive(Debug, Clone, Default, FromForm, serde::Serialize)]
pub struct StartForm {
    pub channel_id: String,
    pub team_id: String,
}

/// The contact's channels and the start form, with a refusal when there is one.
async fn start_card(
    page: &Page,
    floor: &Floor,
    engine: &Engine,
    contact_id: i64,
    typed: &StartForm,
    refusal: Option<(&'static str, String)>,
) -> WebResult<Template> {
    let identities = engine.db.read(move |c| contacts::identities_of(c, contact_id)).await?;
    let choices = engine.start_choices(&floor.agent()).await?;
    let (refusal_key, refusal_name) = refusal.unzip();
    Ok(page
        .render("contacts/_start.html", context! { contact_id, identities, choices, typed, refusal_key, refusal_name }))
}

#[get("/agent/contacts/<id>/start")]
async fn card(page: Page, floor: Floor, id: i64, engine: &State<Engine>) -> WebResult<Template> {
    start_card(&page, &floor, engine, id, &<StartForm as Default>::default(), None).await
}

#[derive(Responder)]
enum Started {
    Go(Redirect),
    Hx((), Header<'static>),
    Refused((Status, Template)),
}

/// Starts it and opens it in the workspace; a refusal shows next to the form.
#[post("/agent/contacts/<id>/start", data = "<form>")]
async fn start(
    page: Page,
    floor: Floor,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<StartForm>,
    engine: &State<Engine>,
) -> WebResult<Started> {
    let (channel, team) = (form.0.channel_id.parse::<i64>(), form.0.team_id.parse::<i64>());
    let result = match (channel, team) {
        (Ok(channel), Ok(team)) => engine.start_conversation(&floor.agent(), id, channel, team).await,
        _ => Err(StartRefused::NotAllowed { key: "start-choose", name: String::new() }),
    };
    let refusal = match result {
        Ok(conversation) => {
            let to = format!("/agent/conversations/{conversation}");
            return Ok(if htmx.0 {
                Started::Hx((), Header::new("HX-Redirect", to))
            } else {
                Started::Go(Redirect::to(to))
            });
        }
        Err(StartRefused::NotAllowed { key, name }) => (key, name),
        Err(StartRefused::Engine(e)) => return Err(e.into()),
    };
    let card = start_card(&page, &floor, engine, id, &form.0, Some(refusal)).await?;
    Ok(Started::Refused((Status::Forbidden, card)))
}

/// The workspace's channel rail: an icon per active channel, each opening the contacts
/// known there (seeds: "Registro de contatos para os ícones de canais à esquerda").
#[get("/agent/channels")]
async fn rail(page: Page, _floor: Floor, db: &State<Db>) -> WebResult<Template> {
    let active: Vec<_> = db.read(channels::all_channels).await?.into_iter().filter(|c| c.active).collect();
    let rail: Vec<_> = active.into_iter().map(|c| json!({"id": c.id, "name": c.name, "kind": c.kind})).collect();
    Ok(page.render("agent/_channel_rail.html", context! { rail }))
}

/// The contacts known on a channel, searchable by name or number; each opens the
/// contact's page, where "Iniciar conversa" is.
#[get("/agent/channels/<id>/contacts?<q>&<page_no>")]
async fn channel_contacts(
    page: Page,
    _floor: Floor,
    id: i64,
    q: Option<String>,
    page_no: Option<i64>,
    db: &State<Db>,
) -> WebResult<Template> {
    let channel = db.read(move |c| channels::channel_by_id(c, id)).await?.ok_or(EngineError::NotFound)?;
    let pager = Pager::new(page_no, q);
    let (search, offset) = (pager.q.trim().to_string(), pager.offset());
    let (rows, total) = db.read(move |c| contacts::on_channel(c, id, &search, PAGE_SIZE, offset)).await?;
    let base = format!("/agent/channels/{id}/contacts");
    let channel = json!({"id": channel.id, "name": channel.name, "kind": channel.kind});
    Ok(page.render("contacts/on_channel.html", context! { rows, pager: pager.with_total(total), base, channel }))
}

pub fn routes() -> Vec<Route> {
    routes![card, start, rail, channel_contacts]
}
