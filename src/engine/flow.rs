//! The flow runtime: a new conversation on a channel with a flow starts it (status
//! 'bot', in no queue); the customer's messages, HTTP results and the idle limit are
//! fed to the pure step (`domain::flow::step`), and what it says and does is carried
//! out in the caller's transaction — the customer's message, the flow's messages
//! (through the outbox, so every channel gets them) and the new state commit
//! together, so a restart continues where the customer was. A conversation stays on
//! the version it started on.

use std::collections::HashMap;

use rusqlite::Transaction;

use super::queue;
use super::service::{route_team, system_message};
use super::{EngineError, EngineResult, Event};
use crate::db::contacts::{self, ChangedBy, Contact, ContactFields};
use crate::db::conversations::{self, Conversation};
use crate::db::flows::{self, Session, Version};
use crate::db::{channels, schedules, settings};
use crate::domain::flow::placeholders::{self, Fields};
use crate::domain::flow::step::HttpCall;
use crate::domain::flow::{step, Action, BlockKind, Context, Input, Note, Outgoing, State, Step};

/// How many flows one step may chain through "ir para outro fluxo".
const MAX_JUMPS: usize = 4;

/// What a step left to do after its transaction: events to publish and an HTTP call
/// to make (its result comes back as the next input).
#[derive(Debug, Default)]
pub(crate) struct Ran {
    pub events: Vec<Event>,
    pub http: Option<(i64, HttpCall)>,
}

/// The version a new conversation on the channel starts: its flow's latest.
pub(crate) fn version_for_channel(tx: &Transaction, channel_id: i64) -> EngineResult<Option<Version>> {
    match flows::flow_of_channel(tx, channel_id)? {
        Some(flow_id) => Ok(flows::latest_version(tx, flow_id)?),
        None => Ok(None),
    }
}

/// Starts `version` on a conversation just opened in status 'bot'.
pub(crate) fn start(tx: &Transaction, conversation_id: i64, version: Version, now: i64) -> EngineResult<Ran> {
    let c = super::service::load(tx, conversation_id)?;
    run(tx, &c, version, State::default(), Input::Started, now, 0)
}

/// Feeds an input to the conversation's flow session; nothing when it has none.
pub(crate) fn feed(tx: &Transaction, conversation_id: i64, input: Input, now: i64) -> EngineResult<Ran> {
    let Some(session) = flows::session_of(tx, conversation_id)? else { return Ok(Ran::default()) };
    let c = super::service::load(tx, conversation_id)?;
    // Closed or transferred by a person meanwhile: the flow is over for it.
    if c.status != "bot" {
        flows::end_session(tx, conversation_id)?;
        return Ok(Ran::default());
    }
    let version = flows::version_by_id(tx, session.version_id)?.ok_or(EngineError::NotFound)?;
    run(tx, &c, version, session.state, input, now, 0)
}

fn run(
    tx: &Transaction,
    c: &Conversation,
    version: Version,
    state: State,
    input: Input,
    now: i64,
    jumps: usize,
) -> EngineResult<Ran> {
    let channel = channels::channel_by_id(tx, c.channel_id)?.ok_or(EngineError::NotFound)?;
    let contact = contacts::contact_by_id(tx, c.contact_id)?.ok_or(EngineError::NotFound)?;
    let fields = fields_of(tx, &contact)?;
    let mut schedules = HashMap::new();
    for block in &version.definition.blocks {
        if let BlockKind::Schedule { group_id, .. } = block.kind {
            if let Some(s) = schedules::schedule_of(tx, group_id)? {
                schedules.insert(group_id, s);
            }
        }
    }
    let country = settings::load(tx)?.default_country;
    let ctx = Context {
        now_ms: now,
        channel: channel.kind,
        fields: &fields,
        schedules: &schedules,
        default_country: &country,
    };
    let done = step(&version.definition, &state, input, &ctx);
    apply(tx, c, &version, done, now, jumps)
}

/// The contact as flows see it: the built-in fields and every custom one by name.
fn fields_of(tx: &Transaction, contact: &Contact) -> EngineResult<Fields> {
    let mut fields: Fields = [("nome", &contact.name), ("email", &contact.email), ("telefone", &contact.phone)]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    for field in crate::db::contact_fields::all_contact_fields(tx)? {
        if let Some(value) = contact.custom.get(field.id.to_string()) {
            let text = value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string());
            fields.insert(placeholders::key(&field.name), text);
        }
    }
    Ok(fields)
}

fn apply(
    tx: &Transaction,
    c: &Conversation,
    version: &Version,
    done: Step,
    now: i64,
    jumps: usize,
) -> EngineResult<Ran> {
    let mut ran = Ran::default();
    for m in &done.messages {
        say(tx, c, m)?;
    }
    let mut left = false;
    for action in done.actions {
        match action {
            Action::SetField { field, value } => set_field(tx, c, &field, &value)?,
            Action::Note(note) => {
                system_message(tx, c.id, c.channel_id, &note_code(&note))?;
            }
            Action::CallHttp(call) => ran.http = Some((c.id, call)),
            Action::Transfer { team_id, priority } => {
                flows::end_session(tx, c.id)?;
                ran.events.extend(hand_over(tx, c, Some(team_id), priority)?);
                left = true;
            }
            Action::Close => {
                flows::end_session(tx, c.id)?;
                conversations::close(tx, c.id, None, "")?;
                system_message(tx, c.id, c.channel_id, "flow-closed")?;
                left = true;
            }
            Action::GoTo { flow_id } => match flows::latest_version(tx, flow_id)?.filter(|_| jumps < MAX_JUMPS) {
                Some(next) => {
                    let more = run(tx, c, next, State::default(), Input::Started, now, jumps + 1)?;
                    ran.events.extend(more.events);
                    ran.http = ran.http.or(more.http);
                    left = true;
                }
                None => left |= stuck(tx, c, &mut ran)?,
            },
            Action::Stuck => left |= stuck(tx, c, &mut ran)?,
        }
    }
    if !left && !done.state.finished {
        let idle_at = now + version.definition.idle.minutes.max(1) * 60_000;
        let session = Session { conversation_id: c.id, version_id: version.id, state: done.state, idle_at };
        flows::save_session(tx, &session, now)?;
    }
    let now_c = super::service::load(tx, c.id)?;
    ran.events.push(super::service::conversation_event(&now_c));
    Ok(ran)
}

/// A path that ends nowhere goes to the channel's team, so nobody is left in the bot.
fn stuck(tx: &Transaction, c: &Conversation, ran: &mut Ran) -> EngineResult<bool> {
    tracing::warn!(conversation = c.id, "flow path ended nowhere; handed to the channel's team");
    flows::end_session(tx, c.id)?;
    let team = channels::channel_by_id(tx, c.channel_id)?.and_then(|ch| ch.default_team_id);
    ran.events.extend(hand_over(tx, c, team, false)?);
    Ok(true)
}

/// The flow's message to the contact, through the outbox, with a menu's hint.
fn say(tx: &Transaction, c: &Conversation, m: &Outgoing) -> EngineResult<()> {
    let id = super::service::queue_outbound(tx, c.id, c.channel_id, Default::default(), &m.text, m.attachment_id)?;
    if let Some(choices) = &m.choices {
        flows::set_choices(tx, id, choices)?;
    }
    Ok(())
}

/// Stores an answer in the contact: a built-in field by its name, a custom one by id.
fn set_field(tx: &Transaction, c: &Conversation, field: &str, value: &str) -> EngineResult<()> {
    let Some(before) = contacts::contact_by_id(tx, c.contact_id)? else { return Ok(()) };
    let mut after = ContactFields {
        name: before.name.clone(),
        email: before.email.clone(),
        phone: before.phone.clone(),
        custom: before.custom.clone(),
    };
    let value = crate::domain::text::one_line(value).chars().take(500).collect::<String>();
    match placeholders::key(field).as_str() {
        "nome" => after.name = value,
        "email" => after.email = value,
        "telefone" => after.phone = value,
        key => {
            let custom = crate::db::contact_fields::all_contact_fields(tx)?;
            let Some(f) = custom.into_iter().find(|f| placeholders::key(&f.name) == key) else { return Ok(()) };
            if !after.custom.is_object() {
                after.custom = serde_json::json!({});
            }
            after.custom[f.id.to_string()] = serde_json::Value::String(value);
        }
    }
    contacts::update_contact(tx, &before, &after, ChangedBy::Channel(c.channel_id))?;
    Ok(())
}

/// The system line of a note (`domain::flow::Note`), read back by the pane.
fn note_code(note: &Note) -> String {
    match note {
        Note::Chose(option) => format!("flow-chose:{option}"),
        Note::Answered { field, value } => format!("flow-answered:{}:{value}", field.replace(':', " ")),
        Note::GaveUp { block } => format!("flow-gave-up:{block}"),
        Note::HttpFailed { block } => format!("flow-http-failed:{block}"),
    }
}

/// Out of the flow into a team's queue the way a new conversation queues: the queue
/// limit and overflow, "fila cheia", routing.
pub(crate) fn hand_over(
    tx: &Transaction,
    c: &Conversation,
    team_id: Option<i64>,
    priority: bool,
) -> EngineResult<Vec<Event>> {
    let placement = queue::place(tx, team_id)?;
    conversations::requeue(tx, c.id, placement.team_id)?;
    if priority {
        conversations::set_priority(tx, c.id, 1)?;
    }
    system_message(tx, c.id, c.channel_id, &format!("flow-transferred:{}", placement.team_id.unwrap_or(0)))?;
    if let Some(full) = &placement.full {
        let lang = settings::load(tx)?.default_language.unwrap_or_else(|| crate::i18n::DEFAULT.to_string());
        queue::tell_queue_full(tx, c.id, c.channel_id, full, &lang)?;
    }
    match placement.team_id {
        Some(team) => route_team(tx, team),
        None => Ok(vec![]),
    }
}
