//! "Chat interno" (F-AG-20): the panel that opens from the icon on the right of the
//! workspace — the team channels and colleagues with their presence and unread counts,
//! a thread and its composer, the search of one's own threads, and the icon's badge.
//! Every route takes `Chatter`: without the permission, 403.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use crate::db::contacts::fts_query;
use crate::db::internal_chat::{self, ChatList};
use crate::db::Db;
use crate::domain::internal_chat::Peer;
use crate::engine::{Engine, EngineError};
use crate::web::csrf::CsrfForm;
use crate::web::errors::WebResult;
use crate::web::guards::Chatter;
use crate::web::page::Page;

/// How many messages a search shows.
const HITS: i64 = 30;

/// The thread an address names (`people/5`, `teams/2`); anything else is not found.
fn peer(kind: &str, id: i64) -> Result<Peer, EngineError> {
    match kind {
        "people" => Ok(Peer::Person(id)),
        "teams" => Ok(Peer::Team(id)),
        _ => Err(EngineError::NotFound),
    }
}

async fn chat_list(db: &Db, me: &Chatter) -> WebResult<ChatList> {
    let id = me.id();
    Ok(db.read(move |c| ChatList::load(c, id)).await?)
}

/// The panel: search, team channels and colleagues.
#[get("/agent/chat")]
async fn panel(page: Page, me: Chatter, db: &State<Db>) -> WebResult<Template> {
    let list = chat_list(db, &me).await?;
    Ok(page.render("agent/_chat.html", context! { list }))
}

/// The list alone, as it refreshes live.
#[get("/agent/chat/list")]
async fn list(page: Page, me: Chatter, db: &State<Db>) -> WebResult<Template> {
    let list = chat_list(db, &me).await?;
    Ok(page.render("agent/_chat_list.html", context! { list }))
}

/// The icon's badge: messages not read yet.
#[get("/agent/chat/badge")]
async fn badge(page: Page, me: Chatter, db: &State<Db>) -> WebResult<Template> {
    let id = me.id();
    let unread = db.read(move |c| internal_chat::unread_total(c, id)).await?;
    Ok(page.render("agent/_chat_badge.html", context! { unread }))
}

/// Messages of one's own threads holding every word typed.
#[get("/agent/chat/search?<q>")]
async fn search(page: Page, me: Chatter, db: &State<Db>, q: Option<&str>) -> WebResult<Template> {
    let typed = q.unwrap_or_default().trim().to_string();
    let (id, query) = (me.id(), fts_query(&typed));
    let hits = match query {
        Some(query) => db.read(move |c| internal_chat::search(c, id, &query, HITS)).await?,
        None => Vec::new(),
    };
    Ok(page.render("agent/_chat_search.html", context! { hits, q: typed }))
}

/// A thread with its composer (opening it marks it read).
#[get("/agent/chat/<kind>/<id>", rank = 2)]
async fn thread(page: Page, me: Chatter, engine: &State<Engine>, kind: &str, id: i64) -> WebResult<Template> {
    let thread = engine.open_chat(me.id(), peer(kind, id)?).await?;
    Ok(page.render("agent/_chat_thread.html", context! { thread, error_key: "", draft: "" }))
}

/// A thread's messages alone, as they refresh live (marked read too).
#[get("/agent/chat/<kind>/<id>/messages")]
async fn messages(page: Page, me: Chatter, engine: &State<Engine>, kind: &str, id: i64) -> WebResult<Template> {
    let thread = engine.open_chat(me.id(), peer(kind, id)?).await?;
    Ok(page.render("agent/_chat_messages.html", context! { thread }))
}

#[derive(FromForm)]
struct ChatForm {
    body: String,
}

/// Writes to the thread; a refused message comes back in the composer with the reason.
#[post("/agent/chat/<kind>/<id>", data = "<form>")]
async fn write(
    page: Page,
    me: Chatter,
    engine: &State<Engine>,
    kind: &str,
    id: i64,
    form: CsrfForm<ChatForm>,
) -> WebResult<(Status, Template)> {
    let peer = peer(kind, id)?;
    let (status, error_key, draft) = match engine.post_chat(me.id(), peer, &form.0.body).await {
        Ok(()) => (Status::Ok, "", ""),
        Err(EngineError::Invalid(key)) => (Status::UnprocessableEntity, key, form.0.body.as_str()),
        Err(e) => return Err(e.into()),
    };
    let thread = engine.open_chat(me.id(), peer).await?;
    Ok((status, page.render("agent/_chat_thread.html", context! { thread, error_key, draft })))
}

pub fn routes() -> Vec<Route> {
    routes![panel, list, badge, search, thread, messages, write]
}
