//! The agent workspace: the three lists ("Em atendimento", "Em espera", "Pendentes"),
//! queue counts with "Puxar próximo", status and pauses, the conversation pane and its
//! actions, and the live events that keep the page fresh. Every change goes through the
//! engine; every page checks `can_view` on the server.

mod actions;
mod conversation;
mod events;
mod lists;
mod phrases;
mod start;

use rocket::http::{Header, Status};
use rocket::response::Redirect;
use rocket::{Responder, Route};
use rocket_dyn_templates::Template;

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
}

pub fn routes() -> Vec<Route> {
    let mut all = lists::routes();
    all.extend(conversation::routes());
    all.extend(actions::routes());
    all.extend(events::routes());
    all.extend(phrases::routes());
    all.extend(start::routes());
    all
}
