//! What the REST API does on the floor, as a token (`Actor::Api`): the floor's own use
//! cases — reply, comment, tag, classify, transfer, close, start with a template —
//! each with its audit entry under the token, in the one transaction that also keeps
//! the answer under the request's `Idempotency-Key`, so identical requests at once
//! store and send one message. Events are published after the commit, once.

use rusqlite::Transaction;
use serde_json::{json, Value};

use super::actor::{Actor, ApiClient};
use super::closing::{self, Choice};
use super::idempotency::{once_in, Answer, Key, Once};
use super::service::{self, conversation_event};
use super::start::{self, StartRefused};
use super::{tags, window, Engine, EngineResult, Event};
use crate::db::{api_reads, audit, DbResult};

/// A change the API asks of a conversation.
#[derive(Debug, Clone)]
pub enum Step {
    /// A message to the contact, its text as `service::message_text` made it.
    Message(String),
    /// An internal comment among agents.
    Comment(String),
    Tag {
        tag_id: i64,
        on: bool,
    },
    Classify(Choice),
    Transfer {
        team_id: i64,
        agent_id: Option<i64>,
        note: String,
    },
    Close {
        choice: Option<Choice>,
        comment: String,
    },
}

impl Step {
    fn action(&self) -> &'static str {
        match self {
            Step::Message(_) => "api.message",
            Step::Comment(_) => "api.comment",
            Step::Tag { on: true, .. } => "api.tag",
            Step::Tag { on: false, .. } => "api.untag",
            Step::Classify(_) => "api.classify",
            Step::Transfer { .. } => "api.transfer",
            Step::Close { .. } => "api.close",
        }
    }

    /// What the audit entry keeps besides the protocol (never a message's text).
    fn details(&self) -> Value {
        let choice = |c: &Choice| json!({ "reason": c.reason_id, "sub_reason": c.sub_reason_id });
        match self {
            Step::Message(_) | Step::Comment(_) => json!({}),
            Step::Tag { tag_id, .. } => json!({ "tag": tag_id }),
            Step::Classify(c) => json!({ "classification": choice(c) }),
            Step::Transfer { team_id, agent_id, .. } => json!({ "team": team_id, "agent": agent_id }),
            Step::Close { choice: c, .. } => json!({ "classification": c.as_ref().map(choice) }),
        }
    }
}

/// An outbound conversation the API starts: a contact, the channel and team, and the
/// approved template (by name and language) with its parameters' values.
#[derive(Debug, Clone)]
pub struct Outbound {
    pub contact_id: i64,
    pub channel_id: i64,
    pub team_id: i64,
    pub template: String,
    pub language: String,
    pub values: Vec<String>,
}

fn to_json(value: impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The conversation as the API shows it.
fn conversation_answer(tx: &Transaction, id: i64, status: u16) -> DbResult<Answer> {
    Ok(Answer { status, body: to_json(api_reads::conversation(tx, id)?) })
}

fn step_in(tx: &Transaction, actor: &Actor, id: i64, step: &Step, now: i64) -> EngineResult<(Option<i64>, Vec<Event>)> {
    let written = |(message, events)| (Some(message), events);
    Ok(match step {
        Step::Message(text) => written(service::reply_in(tx, actor, id, text, false)?),
        Step::Comment(text) => written(service::reply_in(tx, actor, id, text, true)?),
        Step::Tag { tag_id, on } => (None, vec![tags::tag_in(tx, actor, id, *tag_id, *on)?]),
        Step::Classify(choice) => (None, vec![conversation_event(&closing::classify_in(tx, actor, id, *choice)?)]),
        Step::Transfer { team_id, agent_id, note } => {
            (None, service::transfer_in(tx, actor, id, *team_id, *agent_id, note)?)
        }
        Step::Close { choice, comment } => (None, closing::close_in(tx, actor, id, comment, *choice, now)?),
    })
}

impl Engine {
    /// One change to conversation `id` by the token, once per key: a message's answer
    /// is the message (201), any other's the conversation as it is now.
    pub async fn api_step(&self, client: &ApiClient, key: Key, id: i64, step: Step) -> EngineResult<Once> {
        let (client, now) = (client.clone(), self.clock.now());
        let (once, events) = self
            .write(move |tx| {
                once_in(tx, key, |tx| {
                    let (message, events) = step_in(tx, &Actor::Api(client.clone()), id, &step, now)?;
                    let mut details = step.details();
                    details["protocol"] = service::load(tx, id)?.protocol.into();
                    details["message"] = message.into();
                    let target = format!("conversation:{id}");
                    audit::record_by_token(tx, client.token_id, step.action(), &target, &details, &client.ip)?;
                    let answer = match message {
                        Some(m) => Answer { status: 201, body: to_json(api_reads::message(tx, m)?) },
                        None => conversation_answer(tx, id, 200)?,
                    };
                    Ok((answer, events))
                })
            })
            .await?;
        self.publish_all(events);
        Ok(once)
    }

    /// Starts a conversation with the contact by an approved template, once per key:
    /// it waits in the team's queue (routed as any other) with the template sent; the
    /// answer (201) is the conversation with the message.
    pub async fn api_start(&self, client: &ApiClient, key: Key, asked: Outbound) -> Result<Once, StartRefused> {
        let (client, now) = (client.clone(), self.clock.now());
        let (once, events) = self
            .db
            .transact(move |tx| {
                once_in(tx, key, |tx| {
                    let actor = Actor::Api(client.clone());
                    let o = &asked;
                    let (c, _) = start::start_in(tx, &actor, o.contact_id, o.channel_id, o.team_id, now)?;
                    let message = window::template_in(tx, &actor, &c, &o.template, &o.language, &o.values)?;
                    let mut events = vec![conversation_event(&c)];
                    events.extend(service::route_team(tx, o.team_id)?);
                    let details = json!({ "protocol": c.protocol, "contact": o.contact_id, "channel": o.channel_id,
                                          "team": o.team_id, "template": o.template, "message": message });
                    let target = format!("conversation:{}", c.id);
                    audit::record_by_token(tx, client.token_id, "api.start", &target, &details, &client.ip)?;
                    let mut answer = conversation_answer(tx, c.id, 201)?;
                    answer.body["message"] = to_json(api_reads::message(tx, message)?);
                    Ok::<_, StartRefused>((answer, events))
                })
            })
            .await?;
        self.publish_all(events);
        Ok(once)
    }
}
