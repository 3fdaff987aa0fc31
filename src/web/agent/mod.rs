//! The agent workspace: the three lists ("Em atendimento", "Em espera", "Pendentes"),
//! queue counts with "Puxar próximo", status and pauses, the conversation pane and its
//! actions, and the live events that keep the page fresh. Every change goes through the
//! engine; every page checks `can_view` on the server.

mod actions;
mod chat;
mod conversation;
pub(crate) mod events;
mod lists;
mod phrases;
mod start;

use rocket::http::{Header, Status};
use rocket::outcome::try_outcome;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::Redirect;
use rocket::{Responder, Route, State};
use rocket_dyn_templates::Template;

use super::guards::Htmx;
use super::page::Page;
use crate::engine::Engine;

// The workspace's submodules name these as `super::…`.
use super::errors::refusal_status;
use super::guards::Floor;

/// What a workspace handler answers: a page or partial with its status, a redirect, or
/// (for htmx) a partial plus a header that tells the page what else to do.
#[derive(Responder)]
pub enum Answer {
    Page((Status, Template)),
    Go(Redirect),
    Hx((Status, Template), Header<'static>),
    Bare(Status, Header<'static>),
    Refused(Status),
}

impl Answer {
    /// htmx follows `HX-Redirect` with a full page load.
    pub fn hx_redirect(to: String) -> Answer {
        Answer::Bare(Status::Ok, Header::new("HX-Redirect", to))
    }

    /// On to `to`: `HX-Redirect` for htmx, a redirect for a plain form.
    pub fn go(htmx: bool, to: String) -> Answer {
        if htmx {
            Answer::hx_redirect(to)
        } else {
            Answer::Go(Redirect::to(to))
        }
    }
}

/// What a workspace action needs besides its form: the page, the agent on the floor,
/// whether htmx asked, and the engine.
pub struct Acting<'r> {
    pub page: Page,
    pub floor: Floor,
    pub htmx: bool,
    pub engine: &'r Engine,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Acting<'r> {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let page = Page::for_request(req).await;
        let floor = try_outcome!(req.guard::<Floor>().await);
        let htmx = req.guard::<Htmx>().await.succeeded().is_some_and(|h| h.0);
        let engine = try_outcome!(req.guard::<&State<Engine>>().await).inner();
        Outcome::Success(Acting { page, floor, htmx, engine })
    }
}

pub fn routes() -> Vec<Route> {
    let mut all = lists::routes();
    all.extend(conversation::routes());
    all.extend(actions::routes());
    all.extend(events::routes());
    all.extend(phrases::routes());
    all.extend(start::routes());
    all.extend(chat::routes());
    all
}
