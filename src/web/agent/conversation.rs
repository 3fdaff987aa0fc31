//! The conversation pane: header, messages (with delivery ticks and readable system
//! events), composer, and the actions' forms. What it shows is the read model
//! `db::conversation_pane`, as the engine lets the user see it. Canned phrases are in
//! `phrases`.

use rocket::{get, routes, Route, State};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

use super::lists::workspace_page;
use super::Floor;
use crate::db::conversation_pane::ConversationPane;
use crate::engine::Engine;
use crate::web::errors::WebResult;
use crate::web::page::Page;

/// What went wrong with an action, shown next to it, with what was typed.
#[derive(Debug, Default, Serialize)]
pub struct Feedback {
    pub error_key: Option<String>,
    /// The words the word filter blocked, named in its message.
    pub error_words: String,
    /// Where the message goes: composer, classify, close, transfer, invite, top.
    pub error_at: String,
    pub draft: String,
    pub internal: bool,
    /// The agent is paused and tried to write to the contact.
    pub paused_prompt: bool,
    /// The reason and sub-reason chosen in the closing dialog, as sent.
    pub reason: String,
    pub sub_reason: String,
}

/// The pane partial, with what an action answered.
pub fn render_pane(page: &Page, conv: &ConversationPane, fb: &Feedback) -> Template {
    page.render("agent/_conversation.html", context! { conv, fb })
}

/// The workspace with the conversation open (opening it marks its messages read).
#[get("/agent/conversations/<id>")]
async fn show(page: Page, floor: Floor, engine: &State<Engine>, id: i64) -> WebResult<Template> {
    let pane = engine.open_conversation(&floor.agent(), id).await?;
    workspace_page(&page, &engine.db, &floor, Some(&pane), None, &Feedback::default()).await
}

/// The pane alone, as the page re-fetches it on every live event.
#[get("/agent/conversations/<id>/pane")]
async fn pane(page: Page, floor: Floor, engine: &State<Engine>, id: i64) -> WebResult<Template> {
    let pane = engine.open_conversation(&floor.agent(), id).await?;
    Ok(render_pane(&page, &pane, &Feedback::default()))
}

pub fn routes() -> Vec<Route> {
    routes![show, pane]
}
