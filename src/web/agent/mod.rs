//! The agent workspace: the three lists ("Em atendimento", "Em espera", "Pendentes"),
//! queue counts with "Puxar próximo", status and pauses, the conversation pane and its
//! actions, and the live events that keep the page fresh. Every change goes through the
//! engine; every page checks `can_view` on the server.

mod actions;
mod conversation;
mod events;
mod lists;
mod phrases;

use rocket::http::{Header, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::Redirect;
use rocket::{Responder, Route};
use rocket_dyn_templates::Template;

use super::guards::{grants, SignedIn};
use crate::domain::permissions::{Action, Area, Permission};
use crate::engine::service::Agent;
use crate::engine::EngineError;

/// The signed-in user on the floor: an agent, or an administrator whose groups grant
/// monitoring (a supervisor, who sees the whole floor).
pub struct Floor {
    pub me: SignedIn,
    pub supervisor: bool,
}

impl Floor {
    pub fn agent(&self) -> Agent {
        Agent { user_id: self.me.user.id, supervisor: self.supervisor }
    }

    pub fn id(&self) -> i64 {
        self.me.user.id
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Floor {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let me = match req.guard::<SignedIn>().await {
            Outcome::Success(me) => me,
            Outcome::Error(e) => return Outcome::Error(e),
            Outcome::Forward(f) => return Outcome::Forward(f),
        };
        let supervisor = grants(req).await.allows(Permission(Area::Monitoring, Action::View));
        Outcome::Success(Floor { me, supervisor })
    }
}

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

/// The status an engine refusal is shown with (never a 500 for a refusal).
pub fn refusal_status(e: &EngineError) -> Status {
    match e {
        EngineError::AlreadyTaken | EngineError::Closed => Status::Conflict,
        EngineError::BlockedWords(_) | EngineError::TabulationRequired | EngineError::Invalid(_) => {
            Status::UnprocessableEntity
        }
        EngineError::Forbidden => Status::Forbidden,
        EngineError::NotFound => Status::NotFound,
        EngineError::Db(_) => Status::InternalServerError,
    }
}

pub fn routes() -> Vec<Route> {
    let mut all = lists::routes();
    all.extend(conversation::routes());
    all.extend(actions::routes());
    all.extend(events::routes());
    all.extend(phrases::routes());
    all
}
