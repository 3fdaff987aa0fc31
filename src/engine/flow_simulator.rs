//! The editor's simulator: the administrator chats with a flow's draft as a customer
//! would, through the same pure step as production (`domain::flow::step`), on the
//! channel profile, contact fields and clock they chose. Nothing is stored: the
//! conversation so far comes in with each request and goes back out (it only ever
//! concerns the administrator's own test), and no action is carried out except an
//! HTTP block, which makes its call for real (the same guarded `flow_http`) or takes
//! the sample answer typed in.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::{Engine, EngineError, EngineResult};
use crate::db::{flows, schedules, settings};
use crate::domain::channel_kind::ChannelKind;
use crate::domain::flow::menu::{self, Shown};
use crate::domain::flow::{step, Action, BlockKind, Context, HttpOutcome, Input, Note, State};

/// Lines of the simulated chat kept (the oldest go first).
pub const MAX_LINES: usize = 40;
/// Characters of a line kept, so the conversation fits in a form.
const MAX_LINE_CHARS: usize = 1000;
/// HTTP results one customer message may chain through.
const MAX_HTTP: usize = 4;

/// The simulated conversation so far, as it round-trips in the form.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Simulation {
    pub state: State,
    /// Contact fields by `placeholders::key`, including what the flow stored.
    pub fields: BTreeMap<String, String>,
    pub lines: Vec<Line>,
    /// The blocks passed through, in order.
    pub path: Vec<String>,
}

/// One line of the simulated chat.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum Line {
    Customer {
        text: String,
    },
    Bot {
        text: String,
        #[serde(default)]
        buttons: Vec<String>,
        #[serde(default)]
        rows: Vec<String>,
    },
    /// What the flow did besides talking: a catalogue key and its arguments.
    Event {
        key: String,
        #[serde(default)]
        args: BTreeMap<String, String>,
    },
}

/// What moves the simulation on.
#[derive(Debug, Clone, PartialEq)]
pub enum Nudge {
    Start,
    Text(String),
    /// "O cliente não respondeu".
    Idle,
    /// A WhatsApp button or list row tapped: arrives as the webhook words it.
    Tap(String),
}

/// How an HTTP block is answered in the simulator.
#[derive(Debug, Clone, PartialEq)]
pub enum HttpMode {
    /// The real call, through the same guarded client as production.
    Run,
    /// This body, as a 200 answer.
    Sample(String),
}

pub struct Profile {
    pub channel: ChannelKind,
    pub now_ms: i64,
    pub http: HttpMode,
}

impl Engine {
    /// Moves the simulation of flow `flow_id`'s draft on by `nudge`.
    pub async fn simulate(
        &self,
        flow_id: i64,
        mut sim: Simulation,
        nudge: Nudge,
        p: Profile,
    ) -> EngineResult<Simulation> {
        if nudge == Nudge::Text(String::new()) {
            return Ok(sim);
        }
        let (def, schedules, country) = self
            .db
            .read(move |c| {
                let flow = flows::flow_by_id(c, flow_id)?;
                let Some(flow) = flow else { return Ok(None) };
                let mut found = HashMap::new();
                for b in &flow.draft.blocks {
                    if let BlockKind::Schedule { group_id, .. } = b.kind {
                        if let Some(s) = schedules::schedule_of(c, group_id)? {
                            found.insert(group_id, s);
                        }
                    }
                }
                Ok(Some((flow.draft, found, settings::load(c)?.default_country)))
            })
            .await?
            .ok_or(EngineError::NotFound)?;
        let mut input = match nudge {
            Nudge::Start => {
                sim = Simulation { fields: sim.fields, ..Simulation::default() };
                Input::Started
            }
            Nudge::Text(text) => {
                sim.lines.push(Line::Customer { text: text.clone() });
                Input::Text(text)
            }
            Nudge::Tap(title) => {
                let args = [("choice", title.into())];
                let text = crate::i18n::translate_with(crate::i18n::DEFAULT, "whatsapp-in-choice", &args);
                sim.lines.push(Line::Customer { text: text.clone() });
                Input::Text(text)
            }
            Nudge::Idle => {
                sim.lines.push(Line::Event { key: "flows-sim-idle".into(), args: BTreeMap::new() });
                Input::Idle
            }
        };
        for _ in 0..=MAX_HTTP {
            let ctx = Context {
                now_ms: p.now_ms,
                channel: p.channel,
                fields: &sim.fields,
                schedules: &schedules,
                default_country: &country,
            };
            let done = step(&def, &sim.state, input, &ctx);
            sim.path.extend(done.path.iter().cloned());
            for m in &done.messages {
                let Shown { text, buttons, rows } = menu::shown(p.channel, &m.text, m.choices.as_ref());
                let text = text.chars().take(MAX_LINE_CHARS).collect();
                sim.lines.push(Line::Bot { text, buttons, rows });
            }
            let call = record(&mut sim, done.actions);
            sim.state = done.state;
            let Some(call) = call else { break };
            let outcome = match &p.http {
                HttpMode::Sample(body) => HttpOutcome::Answered { status: 200, body: body.clone() },
                HttpMode::Run => rocket::tokio::task::spawn_blocking(move || super::flow_http::call(&call))
                    .await
                    .unwrap_or_else(|e| HttpOutcome::Failed(e.to_string())),
            };
            if let HttpOutcome::Failed(reason) = &outcome {
                sim.lines.push(event("flows-sim-http-failed", &[("reason", reason.clone())]));
            }
            input = Input::Http(outcome);
        }
        let extra = sim.lines.len().saturating_sub(MAX_LINES);
        sim.lines.drain(..extra);
        Ok(sim)
    }
}

fn event(key: &str, args: &[(&str, String)]) -> Line {
    Line::Event { key: key.into(), args: args.iter().map(|(k, v)| (k.to_string(), v.clone())).collect() }
}

/// Keeps what the step did as lines (and the fields it set); the HTTP call it asks
/// for, if any.
fn record(sim: &mut Simulation, actions: Vec<Action>) -> Option<crate::domain::flow::step::HttpCall> {
    let mut call = None;
    for action in actions {
        let line = match action {
            Action::SetField { field, value } => {
                sim.fields.insert(crate::domain::flow::placeholders::key(&field), value.clone());
                event("flows-sim-set-field", &[("field", field), ("value", value)])
            }
            Action::CallHttp(c) => {
                let line = event("flows-sim-http-call", &[("url", c.url.clone())]);
                call = Some(c);
                line
            }
            Action::Note(Note::Chose(option)) => event("flows-sim-chose", &[("option", option)]),
            Action::Note(Note::GaveUp { block }) => event("flows-sim-gave-up", &[("block", block)]),
            Action::Note(_) => continue,
            Action::Transfer { team_id, priority } => {
                event("flows-sim-transfer", &[("team", team_id.to_string()), ("priority", priority.to_string())])
            }
            Action::Close => event("flows-sim-closed", &[]),
            Action::GoTo { flow_id } => event("flows-sim-goto", &[("flow", flow_id.to_string())]),
            Action::Stuck => event("flows-sim-stuck", &[]),
        };
        sim.lines.push(line);
    }
    call
}
