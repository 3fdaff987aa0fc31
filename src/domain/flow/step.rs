//! One step of a flow: (version, state, input, context with the clock) → (messages
//! out, actions, new state). Pure: the engine stores the state, sends the messages
//! through the outbox and carries out the actions (an HTTP call comes back later as
//! an input).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::answers;
use super::definition::{Block, BlockKind, Definition, HttpMethod, IdleThen, Subject};
use super::menu::{self, Choices};
use super::placeholders::{self, Fields};
use crate::domain::channel_kind::ChannelKind;
use crate::domain::schedule::{self, Schedule};
use crate::domain::text::fold;

/// Blocks one step may pass through without waiting: more means a loop without the
/// customer (the publish checks refuse one; this keeps a bad version from spinning).
pub const MAX_HOPS: usize = 64;

/// Where the customer is: the block waiting for an answer (or for an HTTP result) and
/// how many invalid answers it has had. Stored as JSON with the conversation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub at: Option<String>,
    #[serde(default)]
    pub tries: u32,
    #[serde(default)]
    pub finished: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A new conversation starts the flow.
    Started,
    Text(String),
    Http(HttpOutcome),
    /// The customer did not answer for the flow's idle limit.
    Idle,
}

#[derive(Debug, Clone, PartialEq)]
pub enum HttpOutcome {
    Answered {
        status: u16,
        body: String,
    },
    /// No answer: refused address, timeout, connection error (in words, for the log).
    Failed(String),
}

/// What the step knows of the world: the clock, the channel, the contact's fields,
/// the schedule groups the flow names and the company's country (phone answers).
pub struct Context<'a> {
    pub now_ms: i64,
    pub channel: ChannelKind,
    pub fields: &'a Fields,
    pub schedules: &'a HashMap<i64, Schedule>,
    pub default_country: &'a str,
}

/// A message for the customer; `choices` tells channels with buttons or lists how
/// to show a menu (others send the numbered text).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outgoing {
    pub text: String,
    pub attachment_id: Option<i64>,
    pub choices: Option<Choices>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SetField {
        field: String,
        value: String,
    },
    CallHttp(HttpCall),
    /// A line for the agent's pane.
    Note(Note),
    Transfer {
        team_id: i64,
        priority: bool,
    },
    /// Close the conversation (its message is among the step's messages).
    Close,
    GoTo {
        flow_id: i64,
    },
    /// The path ended nowhere (only a version that skipped the checks): hand over.
    Stuck,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpCall {
    pub method: HttpMethod,
    pub url: String,
    pub body: String,
    pub timeout_ms: u64,
    pub allow_private: bool,
}

/// What the agent reads in the pane about the customer's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// "2 Financeiro".
    Chose(String),
    Answered {
        field: String,
        value: String,
    },
    /// The block's invalid-answer exit was taken.
    GaveUp {
        block: String,
    },
    HttpFailed {
        block: String,
    },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Step {
    pub messages: Vec<Outgoing>,
    pub actions: Vec<Action>,
    pub state: State,
    /// The blocks the step went through, in order (the simulator draws the path).
    pub path: Vec<String>,
}

impl Step {
    /// Whether the conversation leaves the flow with this step.
    pub fn leaves(&self) -> bool {
        self.state.finished
    }
}

const RETRY_DEFAULT: &str = "Não entendi sua resposta.";

/// Runs the flow from `state` on `input` until it waits for the customer or an HTTP
/// result, or leaves it.
pub fn step(def: &Definition, state: &State, input: Input, ctx: &Context) -> Step {
    let mut run = Run { def, ctx, fields: ctx.fields.clone(), out: Step { state: state.clone(), ..Step::default() } };
    if state.finished {
        return run.out;
    }
    let waiting = state.at.as_deref().and_then(|id| def.block(id));
    match (input, waiting) {
        (Input::Started, _) => run.go(Some(&def.start)),
        (Input::Idle, Some(_)) => run.idle(),
        (Input::Text(text), Some(block)) if block.waits_for_customer() => run.answer(block, &text),
        (Input::Http(outcome), Some(block)) if matches!(block.kind, BlockKind::Http { .. }) => {
            run.http_result(block, outcome)
        }
        // A message while an HTTP call is out, or a result nobody waits for.
        _ => {}
    }
    run.out
}

struct Run<'a> {
    def: &'a Definition,
    ctx: &'a Context<'a>,
    fields: Fields,
    out: Step,
}

impl<'a> Run<'a> {
    fn say(&mut self, text: &str, attachment_id: Option<i64>, choices: Option<Choices>) {
        let text = placeholders::fill(text, &self.fields, str::to_string);
        self.out.messages.push(Outgoing { text, attachment_id, choices });
    }

    fn act(&mut self, action: Action) {
        self.out.actions.push(action);
    }

    fn leave(&mut self, action: Action) {
        self.act(action);
        self.out.state = State { at: None, tries: 0, finished: true };
    }

    fn wait_at(&mut self, block: &Block) {
        self.out.state = State { at: Some(block.id.clone()), tries: 0, finished: false };
    }

    fn set_field(&mut self, field: &str, value: String) {
        self.fields.insert(placeholders::key(field), value.clone());
        self.act(Action::SetField { field: field.to_string(), value });
    }

    /// Follows exits from `target` through blocks that do not wait.
    fn go(&mut self, target: Option<&str>) {
        let def: &'a Definition = self.def;
        let mut current = target.and_then(|id| def.block(id));
        for _ in 0..MAX_HOPS {
            let Some(block) = current else {
                return self.leave(Action::Stuck);
            };
            self.out.path.push(block.id.clone());
            let target: Option<&'a str> = match &block.kind {
                BlockKind::Message { text, attachment_id, next } => {
                    self.say(text, *attachment_id, None);
                    next.as_deref()
                }
                BlockKind::Menu { text, options, .. } => {
                    self.say(&menu::as_text(text, options), None, menu::choices(options));
                    return self.wait_at(block);
                }
                BlockKind::Ask { text, .. } => {
                    self.say(text, None, None);
                    return self.wait_at(block);
                }
                BlockKind::Schedule { group_id, open, closed, holiday } => match self.ctx.schedules.get(group_id) {
                    Some(s) if schedule::is_open(s, self.ctx.now_ms) => open.as_deref(),
                    Some(s) if holiday.is_some() && is_holiday(s, self.ctx.now_ms) => holiday.as_deref(),
                    _ => closed.as_deref(),
                },
                BlockKind::Condition { subject, rules, otherwise } => {
                    let value = match subject {
                        Subject::Field { field } => {
                            self.fields.get(&placeholders::key(field)).cloned().unwrap_or_default()
                        }
                        Subject::Channel => self.ctx.channel.as_str().to_string(),
                    };
                    let value = fold(value.trim());
                    rules
                        .iter()
                        .find(|r| fold(r.equals.trim()) == value)
                        .map_or(otherwise.as_deref(), |r| r.next.as_deref())
                }
                BlockKind::Http { method, url, body, timeout_ms, .. } => {
                    let call = HttpCall {
                        method: *method,
                        url: placeholders::fill(url, &self.fields, placeholders::url_encode),
                        body: placeholders::fill(body, &self.fields, json_escape),
                        timeout_ms: *timeout_ms,
                        allow_private: def.allow_private_http,
                    };
                    self.act(Action::CallHttp(call));
                    return self.wait_at(block);
                }
                BlockKind::Transfer { team_id, priority } => {
                    return self.leave(Action::Transfer { team_id: *team_id, priority: *priority })
                }
                BlockKind::Close { text } => {
                    self.say(text, None, None);
                    return self.leave(Action::Close);
                }
                BlockKind::GoTo { flow_id } => return self.leave(Action::GoTo { flow_id: *flow_id }),
            };
            current = target.and_then(|id| def.block(id));
        }
        self.leave(Action::Stuck)
    }

    /// The customer's answer to a menu or a question.
    fn answer(&mut self, block: &Block, text: &str) {
        let (accepted, max_tries, retry_text, invalid) = match &block.kind {
            BlockKind::Menu { options, max_tries, retry_text, invalid, .. } => {
                let picked = menu::pick(options, text).map(|i| {
                    self.act(Action::Note(Note::Chose(format!("{} {}", i + 1, options[i].label))));
                    options[i].next.as_deref()
                });
                (picked, *max_tries, retry_text, invalid)
            }
            BlockKind::Ask { field, validation, max_tries, retry_text, next, invalid, .. } => {
                let valid = answers::validate(validation, text, self.ctx.default_country).map(|value| {
                    self.act(Action::Note(Note::Answered { field: field.clone(), value: value.clone() }));
                    self.set_field(field, value);
                    next.as_deref()
                });
                (valid, *max_tries, retry_text, invalid)
            }
            _ => return,
        };
        if let Some(next) = accepted {
            return self.go(next);
        }
        let tries = self.out.state.tries + 1;
        if tries >= max_tries.max(1) {
            self.act(Action::Note(Note::GaveUp { block: block.name.clone() }));
            return self.go(invalid.as_deref());
        }
        let retry = if retry_text.trim().is_empty() { RETRY_DEFAULT } else { retry_text };
        let (question, choices) = match &block.kind {
            BlockKind::Menu { text, options, .. } => (menu::as_text(text, options), menu::choices(options)),
            BlockKind::Ask { text, .. } => (text.clone(), None),
            _ => unreachable!("only menus and questions wait for the customer"),
        };
        self.say(&format!("{retry}\n\n{question}"), None, choices);
        self.out.state.tries = tries;
    }

    fn http_result(&mut self, block: &Block, outcome: HttpOutcome) {
        let BlockKind::Http { map, next, error, .. } = &block.kind else { return };
        let json = match outcome {
            HttpOutcome::Answered { status, body } if (200..300).contains(&status) => {
                serde_json::from_str::<serde_json::Value>(&body)
                    .ok()
                    .or_else(|| map.is_empty().then_some(serde_json::Value::Null))
            }
            _ => None,
        };
        let Some(json) = json else {
            self.act(Action::Note(Note::HttpFailed { block: block.name.clone() }));
            return self.go(error.as_deref());
        };
        for m in map {
            if let Some(value) = json_at(&json, &m.path) {
                self.set_field(&m.field, value);
            }
        }
        self.go(next.as_deref())
    }

    fn idle(&mut self) {
        match &self.def.idle.then {
            IdleThen::Close { text } => {
                self.say(text, None, None);
                self.leave(Action::Close)
            }
            IdleThen::Transfer { team_id } => self.leave(Action::Transfer { team_id: *team_id, priority: false }),
        }
    }
}

/// Closed all day by an exception on the local day (a holiday), not merely outside
/// the hours.
fn is_holiday(s: &Schedule, now_ms: i64) -> bool {
    let Some(day) = schedule::local_day(s.time_zone, now_ms) else { return false };
    let mut today = s.exceptions.iter().filter(|e| e.day == day).peekable();
    today.peek().is_some() && today.all(|e| e.hours.is_none())
}

/// A text or number at a dotted path (`pedido.itens.0.status`) of a JSON answer.
fn json_at(json: &serde_json::Value, path: &str) -> Option<String> {
    let mut at = json;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        at = match at {
            serde_json::Value::Array(items) => items.get(part.parse::<usize>().ok()?)?,
            other => other.get(part)?,
        };
    }
    match at {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A value put inside a JSON string of a request body.
fn json_escape(value: &str) -> String {
    let quoted = serde_json::Value::String(value.to_string()).to_string();
    quoted[1..quoted.len() - 1].to_string()
}

#[cfg(test)]
#[path = "step_tests.rs"]
pub(crate) mod tests;
