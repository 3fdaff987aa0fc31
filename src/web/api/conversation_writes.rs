//! `/api/v1/conversations/<id>/…`: what a token does in a conversation as agents do on
//! the floor — send the contact a message, comment, tag, classify, transfer, close —
//! and `POST /api/v1/conversations`, an outbound conversation opened by an approved
//! template. Each is the engine's own use case (`engine::api`), recorded under the
//! token and run once per `Idempotency-Key`.

use rocket::{delete, post, routes, Route, State};
use serde::Deserialize;

use super::body::{ApiBody, IdempotencyKey};
use super::token::{ApiToken, Conversations, Messages, Scoped, Write};
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

/// Runs `step` on conversation `id` as the token, once per key.
async fn step(token: &ApiToken, key: IdempotencyKey, hash: String, engine: &Engine, id: i64, step: Step) -> ApiResult {
    let key = Key { token_id: token.token.id, key: key.0, request_hash: hash };
    once_answer(engine.api_step(&token.client(), key, id, step).await?)
}

#[post("/api/v1/conversations/<id>/messages", data = "<body>")]
async fn message(
    s: Scoped<Messages, Write>,
    key: IdempotencyKey,
    engine: &State<Engine>,
    id: i64,
    body: ApiBody,
) -> ApiResult {
    let text = message_text(&body.parse::<Text>()?.text)?;
    step(&s.token, key, body.hash, engine, id, Step::Message(text)).await
}

#[post("/api/v1/conversations/<id>/comments", data = "<body>")]
async fn comment(
    s: Scoped<Messages, Write>,
    key: IdempotencyKey,
    engine: &State<Engine>,
    id: i64,
    body: ApiBody,
) -> ApiResult {
    let text = message_text(&body.parse::<Text>()?.text)?;
    step(&s.token, key, body.hash, engine, id, Step::Comment(text)).await
}

#[post("/api/v1/conversations/<id>/tags", data = "<body>")]
async fn tag(
    s: Scoped<Conversations, Write>,
    key: IdempotencyKey,
    engine: &State<Engine>,
    id: i64,
    body: ApiBody,
) -> ApiResult {
    let tag_id = body.parse::<Tagging>()?.tag_id;
    step(&s.token, key, body.hash, engine, id, Step::Tag { tag_id, on: true }).await
}

#[delete("/api/v1/conversations/<id>/tags/<tag_id>")]
async fn untag(s: Scoped<Conversations, Write>, engine: &State<Engine>, id: i64, tag_id: i64) -> ApiResult {
    step(&s.token, IdempotencyKey(None), String::new(), engine, id, Step::Tag { tag_id, on: false }).await
}

#[post("/api/v1/conversations/<id>/classification", data = "<body>")]
async fn classify(
    s: Scoped<Conversations, Write>,
    key: IdempotencyKey,
    engine: &State<Engine>,
    id: i64,
    body: ApiBody,
) -> ApiResult {
    let Classification { reason_id, sub_reason_id } = body.parse()?;
    step(&s.token, key, body.hash, engine, id, Step::Classify(Choice { reason_id, sub_reason_id })).await
}

#[post("/api/v1/conversations/<id>/transfer", data = "<body>")]
async fn transfer(
    s: Scoped<Conversations, Write>,
    key: IdempotencyKey,
    engine: &State<Engine>,
    id: i64,
    body: ApiBody,
) -> ApiResult {
    let Transfer { team_id, agent_id, note } = body.parse()?;
    let asked = Step::Transfer { team_id, agent_id, note: transfer_note(&note) };
    step(&s.token, key, body.hash, engine, id, asked).await
}

#[post("/api/v1/conversations/<id>/close", data = "<body>")]
async fn close(
    s: Scoped<Conversations, Write>,
    key: IdempotencyKey,
    engine: &State<Engine>,
    id: i64,
    body: ApiBody,
) -> ApiResult {
    let Close { reason_id, sub_reason_id, comment } = body.parse()?;
    if reason_id.is_none() && sub_reason_id.is_some() {
        return Err(ApiError::invalid("reason_id", "floor-bad-tabulation"));
    }
    let choice = reason_id.map(|reason_id| Choice { reason_id, sub_reason_id });
    step(&s.token, key, body.hash, engine, id, Step::Close { choice, comment: close_comment(&comment) }).await
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
async fn start(
    s: Scoped<Conversations, Write>,
    _m: Scoped<Messages, Write>,
    key: IdempotencyKey,
    engine: &State<Engine>,
    body: ApiBody,
) -> ApiResult {
    let asked: Start = body.parse()?;
    if let Some(field) = unknown_of(&engine.db, &asked).await? {
        return Err(ApiError::invalid(field, "api-error-unknown"));
    }
    let Start { contact_id, channel_id, team_id, template, language, values } = asked;
    let outbound = Outbound { contact_id, channel_id, team_id, template, language, values };
    let key = Key { token_id: s.token.token.id, key: key.0, request_hash: body.hash };
    once_answer(engine.api_start(&s.token.client(), key, outbound).await?)
}

pub fn routes() -> Vec<Route> {
    routes![message, comment, tag, untag, classify, transfer, close, start]
}
