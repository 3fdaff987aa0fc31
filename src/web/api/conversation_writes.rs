//! `/api/v1/conversations/<id>/…`: what a token does in a conversation as agents do on
//! the floor — send the contact a message, comment, tag, classify, transfer, close —
//! and `POST /api/v1/conversations`, an outbound conversation opened by an approved
//! template. Each is the engine's own use case (`engine::api`), recorded under the
//! token and run once per `Idempotency-Key`.

use std::marker::PhantomData;

use rocket::http::Status;
use rocket::outcome::try_outcome;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{delete, post, routes, Route};
use serde::Deserialize;

use super::body::{ApiBody, IdempotencyKey};
use super::token::{ApiToken, Conversations, Messages, ResourceMarker, Scoped, Write};
use super::{once_answer, ApiError, ApiResult};
use crate::db::{channels, contacts, teams, Db};
use crate::engine::api::{Outbound, Step};
use crate::engine::closing::{close_comment, Choice};
use crate::engine::idempotency::Key;
use crate::engine::service::{message_text, transfer_note};
use crate::engine::Engine;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Text {
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Tagging {
    tag_id: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Classification {
    reason_id: i64,
    sub_reason_id: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Transfer {
    team_id: i64,
    agent_id: Option<i64>,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Close {
    reason_id: Option<i64>,
    sub_reason_id: Option<i64>,
    #[serde(default)]
    comment: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Start {
    contact_id: i64,
    channel_id: i64,
    team_id: i64,
    template: String,
    language: String,
    #[serde(default)]
    values: Vec<String>,
}

/// What a change to a conversation takes: the token holding `R`'s write scope (else
/// 403), its `Idempotency-Key`, and the engine.
struct Writing<'r, R: ResourceMarker> {
    token: ApiToken,
    key: IdempotencyKey,
    engine: &'r Engine,
    _scope: PhantomData<R>,
}

#[rocket::async_trait]
impl<'r, R: ResourceMarker> FromRequest<'r> for Writing<'r, R> {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let scoped = try_outcome!(req.guard::<Scoped<R, Write>>().await);
        let key = try_outcome!(req.guard::<IdempotencyKey>().await);
        let Some(engine) = req.rocket().state::<Engine>() else {
            return Outcome::Error((Status::InternalServerError, ()));
        };
        Outcome::Success(Writing { token: scoped.token, key, engine, _scope: PhantomData })
    }
}

impl<R: ResourceMarker> Writing<'_, R> {
    /// Runs `step` on conversation `id` as the token, once per key (`hash`: the request's).
    async fn run(self, id: i64, hash: String, step: Step) -> ApiResult {
        let key = Key { token_id: self.token.token.id, key: self.key.0, request_hash: hash };
        once_answer(self.engine.api_step(&self.token.client(), key, id, step).await?)
    }
}

#[post("/api/v1/conversations/<id>/messages", data = "<body>")]
async fn message(w: Writing<'_, Messages>, id: i64, body: ApiBody) -> ApiResult {
    let text = message_text(&body.parse::<Text>()?.text)?;
    w.run(id, body.hash, Step::Message(text)).await
}

#[post("/api/v1/conversations/<id>/comments", data = "<body>")]
async fn comment(w: Writing<'_, Messages>, id: i64, body: ApiBody) -> ApiResult {
    let text = message_text(&body.parse::<Text>()?.text)?;
    w.run(id, body.hash, Step::Comment(text)).await
}

#[post("/api/v1/conversations/<id>/tags", data = "<body>")]
async fn tag(w: Writing<'_, Conversations>, id: i64, body: ApiBody) -> ApiResult {
    let tag_id = body.parse::<Tagging>()?.tag_id;
    w.run(id, body.hash, Step::Tag { tag_id, on: true }).await
}

/// Not a creating request: no key is kept (taking a tag off twice changes nothing).
#[delete("/api/v1/conversations/<id>/tags/<tag_id>")]
async fn untag(w: Writing<'_, Conversations>, id: i64, tag_id: i64) -> ApiResult {
    Writing { key: IdempotencyKey(None), ..w }.run(id, String::new(), Step::Tag { tag_id, on: false }).await
}

#[post("/api/v1/conversations/<id>/classification", data = "<body>")]
async fn classify(w: Writing<'_, Conversations>, id: i64, body: ApiBody) -> ApiResult {
    let Classification { reason_id, sub_reason_id } = body.parse()?;
    w.run(id, body.hash, Step::Classify(Choice { reason_id, sub_reason_id })).await
}

#[post("/api/v1/conversations/<id>/transfer", data = "<body>")]
async fn transfer(w: Writing<'_, Conversations>, id: i64, body: ApiBody) -> ApiResult {
    let Transfer { team_id, agent_id, note } = body.parse()?;
    w.run(id, body.hash, Step::Transfer { team_id, agent_id, note: transfer_note(&note) }).await
}

#[post("/api/v1/conversations/<id>/close", data = "<body>")]
async fn close(w: Writing<'_, Conversations>, id: i64, body: ApiBody) -> ApiResult {
    let Close { reason_id, sub_reason_id, comment } = body.parse()?;
    if reason_id.is_none() && sub_reason_id.is_some() {
        return Err(ApiError::invalid("reason_id", "floor-bad-tabulation"));
    }
    let choice = reason_id.map(|reason_id| Choice { reason_id, sub_reason_id });
    w.run(id, body.hash, Step::Close { choice, comment: close_comment(&comment) }).await
}

/// The first of the ids asked for that names nothing (a field refused, not a 404).
async fn unknown_of(db: &Db, asked: &Start) -> Result<Option<&'static str>, ApiError> {
    let (contact, channel, team) = (asked.contact_id, asked.channel_id, asked.team_id);
    Ok(db
        .read(move |c| {
            Ok(if contacts::contact_by_id(c, contact)?.is_none() {
                Some("contact_id")
            } else if channels::channel_by_id(c, channel)?.filter(|ch| ch.active).is_none() {
                Some("channel_id")
            } else if teams::team_by_id(c, team)?.filter(|t| t.active).is_none() {
                Some("team_id")
            } else {
                None
            })
        })
        .await?)
}

#[post("/api/v1/conversations", data = "<body>")]
async fn start(w: Writing<'_, Conversations>, _m: Scoped<Messages, Write>, body: ApiBody) -> ApiResult {
    let asked: Start = body.parse()?;
    if let Some(field) = unknown_of(&w.engine.db, &asked).await? {
        return Err(ApiError::invalid(field, "api-error-unknown"));
    }
    let Start { contact_id, channel_id, team_id, template, language, values } = asked;
    let outbound = Outbound { contact_id, channel_id, team_id, template, language, values };
    let key = Key { token_id: w.token.token.id, key: w.key.0, request_hash: body.hash };
    once_answer(w.engine.api_start(&w.token.client(), key, outbound).await?)
}

pub fn routes() -> Vec<Route> {
    routes![message, comment, tag, untag, classify, transfer, close, start]
}
