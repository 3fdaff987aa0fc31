//! Inbound path: normalise → de-duplicate by the channel's message id → find or create
//! the contact → attach to the open conversation or open a new one → run the channel's
//! flow (`engine::flow`) or queue it in a team → route → publish. Channel adapters call `ingest`; nothing else writes inbound.

use serde::Serialize;

use super::attachments::{self, Prepared};
use super::service::{notify_contact, route_team, system_message};
use super::{flow, queue, survey, Engine, EngineError, EngineResult, Event};
use crate::db::channel_state::{self, Happened, MediaDue};
use crate::db::contacts::{ChangedBy, ContactFields};
use crate::db::conversations;
use crate::db::messages::{self, NewMessage};
use crate::db::{channels, contacts, now_ms, settings, surveys, word_filter};
use crate::domain::flow::step::HttpCall;
use crate::domain::flow::Input;
use crate::domain::survey::{Answer as SurveyAnswer, Outcome};
use crate::domain::{email, phone, protocol, text, word_filter as filter};

/// A message from a contact, as a channel adapter hands it over: its text, the files
/// that came with it and, for a polled channel, the cursor that confirms it. All of it
/// is stored in one transaction.
#[derive(Debug, Clone, Default)]
pub struct Inbound {
    pub channel_id: i64,
    /// How the channel knows the contact (visitor token hash, `wa_id`, chat id, address).
    pub contact_key: String,
    /// Other keys the same person may arrive under (a Brazilian mobile with and without
    /// its ninth digit): found by any of them, the contact is known by all of them.
    pub contact_aliases: Vec<String>,
    /// Used when the contact is new.
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    /// The channel's id of the message; a second delivery with the same id is dropped.
    pub external_id: Option<String>,
    pub body: String,
    /// Files that came with it: the first goes with the text, each other one is a
    /// message of its own, in the same transaction.
    pub files: Vec<IncomingFile>,
    /// Files the channel named but that could not be fetched yet: stored as owed and
    /// fetched again later (`Engine::fetch_owed_media`), shown as on their way.
    pub media_later: Vec<MediaRef>,
    /// Files the channel named that will never come (too large for it to hand over):
    /// the reason for each, in words for the agent. Each is a message that says so, so
    /// a file is never dropped without a trace.
    pub files_missing: Vec<String>,
    /// The polled channel's position after this message (`channel_cursors`).
    pub cursor: Option<String>,
    /// The thread's title, for channels that have one (an e-mail's Subject): kept on a
    /// conversation this message opens, and handed back with every reply
    /// (`Outgoing.subject`). Empty for channels without titles.
    pub subject: String,
}

/// A file as a channel handed it over (its name and type as the sender declared them;
/// the bytes decide the stored type).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IncomingFile {
    pub file_name: String,
    pub declared_type: String,
    pub bytes: Vec<u8>,
}

/// A file a channel can hand over later, by its own handle for it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MediaRef {
    pub reference: String,
    pub file_name: String,
    pub declared_type: String,
}

impl Inbound {
    /// A text message from `contact_key` on a channel.
    pub fn text(channel_id: i64, contact_key: impl Into<String>, body: impl Into<String>) -> Inbound {
        Inbound { channel_id, contact_key: contact_key.into(), body: body.into(), ..Default::default() }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Ingested {
    Stored {
        conversation_id: i64,
        message_id: i64,
        protocol: String,
        opened: bool,
    },
    /// Already stored: the channel delivered it again.
    Duplicate {
        conversation_id: i64,
        message_id: i64,
    },
    /// A "thank you" right after a close, or an answer to the satisfaction survey: kept
    /// with the conversation just closed (its transcript and the visitor's widget show
    /// it), which stays closed.
    Kept {
        conversation_id: i64,
        message_id: i64,
    },
}

/// The text that tells the contact the protocol of a new conversation.
fn protocol_notice(protocol: &str, lang: &str) -> String {
    let mut args = std::collections::HashMap::new();
    args.insert(
        std::borrow::Cow::Borrowed("protocol"),
        fluent_templates::fluent_bundle::FluentValue::from(protocol.to_string()),
    );
    crate::i18n::try_translate(lang, "floor-protocol-notice", &args).unwrap_or_else(|| protocol.to_string())
}

impl Engine {
    pub async fn ingest(&self, inbound: Inbound) -> EngineResult<Ingested> {
        Ok(self.ingest_then(inbound, |_, _| Ok(())).await?.0)
    }

    /// `ingest`, then `then` in the same transaction on what was stored: the answer a
    /// channel gives its sender, read without another trip to the database.
    pub async fn ingest_then<T: Send + 'static>(
        &self,
        inbound: Inbound,
        then: impl FnOnce(&rusqlite::Connection, &Ingested) -> EngineResult<T> + Send + 'static,
    ) -> EngineResult<(Ingested, T)> {
        // One place cleans what channels hand over, so every channel gets it.
        let body = text::message(&inbound.body);
        if body.is_empty()
            && inbound.files.is_empty()
            && inbound.media_later.is_empty()
            && inbound.files_missing.is_empty()
        {
            return Err(EngineError::Invalid("floor-empty-message"));
        }
        let mut inbound = inbound;
        let channel_id = inbound.channel_id;
        let files = std::mem::take(&mut inbound.files);
        let files =
            self.prepare_files(files.into_iter().map(|f| (f.file_name, f.declared_type, f.bytes)).collect()).await?;
        let now = self.clock.now();
        let (result, events, http, kind) = self
            .write(move |tx| {
                let channel = channels::routing_of(tx, inbound.channel_id)?.ok_or(EngineError::NotFound)?;
                let (stored, events, http) = store(tx, &channel, &inbound, &body, &files, now)?;
                let answer = then(tx, &stored)?;
                if let Some(cursor) = &inbound.cursor {
                    channel_state::set_cursor(tx, inbound.channel_id, cursor, now_ms())?;
                }
                if !matches!(stored, Ingested::Duplicate { .. }) {
                    super::health::record(tx, inbound.channel_id, Happened::Received)?;
                }
                Ok(((stored, answer), events, http, channel.kind))
            })
            .await?;
        if !matches!(result.0, Ingested::Duplicate { .. }) {
            self.metrics.message_in(kind, channel_id);
        }
        for e in events {
            self.events.publish(e);
        }
        if let Some((conversation_id, call)) = http {
            self.flow_http(conversation_id, call);
        }
        Ok(result)
    }

    /// A polled channel moves past something that holds no message for Atende (an
    /// update from a group, a bounce): the cursor alone.
    pub async fn advance_cursor(&self, channel_id: i64, cursor: String) -> EngineResult<()> {
        self.write(move |tx| Ok(channel_state::set_cursor(tx, channel_id, &cursor, now_ms())?)).await
    }
}

/// Stores an inbound message: de-duplicated, its contact found or created, put in the
/// open conversation or a new one (queued and routed), with its files.
fn store(
    tx: &rusqlite::Transaction,
    channel: &channels::Routing,
    inbound: &Inbound,
    body: &str,
    files: &[Prepared],
    now_flow: i64,
) -> EngineResult<(Ingested, Vec<Event>, Option<(i64, HttpCall)>)> {
    if let Some(ext) = inbound.external_id.as_deref() {
        if let Some(m) = messages::by_external_id(tx, channel.id, "in", ext)? {
            return Ok((Ingested::Duplicate { conversation_id: m.conversation_id, message_id: m.id }, vec![], None));
        }
    }
    let contact = match known_contact(tx, channel.id, inbound)? {
        Some(c) => c,
        None => {
            let country = settings::load(tx)?.default_country;
            let fields = ContactFields {
                name: text::one_line(&inbound.contact_name),
                // A channel's address that is not one (a list, a display name …) is not kept.
                email: email::parse(&text::one_line(&inbound.contact_email)).unwrap_or_default(),
                phone: phone::from_channel(&inbound.contact_phone, &country),
                custom: serde_json::json!({}),
            };
            let id = contacts::insert_contact(tx, &fields, ChangedBy::Channel(channel.id))?;
            // The key last: a reply goes to the newest identity, the one just used.
            for key in inbound.contact_aliases.iter().chain([&inbound.contact_key]) {
                contacts::insert_identity(tx, channel.id, key, id)?;
            }
            id
        }
    };
    let mut events = Vec::new();
    // A new conversation's protocol notice, sent after the customer's message so that
    // it answers it (an e-mail's In-Reply-To names the message before it).
    let mut notice = None;
    // `full`: the team whose queue a new conversation found full, and the
    // language its contact is told in; `flow`: the version a new one starts.
    let mut flow = None;
    let (conversation, opened, full) = match conversations::open_conversation(tx, contact, channel.id)? {
        Some(c) => {
            if c.status == "pending" {
                // The customer's answer brings a pending conversation back.
                conversations::set_status(tx, c.id, "active")?;
            }
            (c, false, None)
        }
        None => {
            // An open survey takes the message as its answer, unless it lets it through.
            if let Some(s) = surveys::open_for(tx, contact, channel.id, now_flow)? {
                let outcome = survey::reading(tx, &s, SurveyAnswer::Text(body))?;
                if outcome != Outcome::LetThrough {
                    let message_id = store_inbound(tx, s.conversation_id, inbound, body, files)?;
                    survey::apply(tx, &s, &outcome, now_flow)?;
                    let c = conversations::conversation_by_id(tx, s.conversation_id)?.ok_or(EngineError::NotFound)?;
                    let event = Event::Conversation { conversation_id: c.id, team_id: c.team_id, agent_id: c.agent_id };
                    return Ok((Ingested::Kept { conversation_id: c.id, message_id }, vec![event], None));
                }
                survey::apply(tx, &s, &outcome, now_flow)?;
            }
            let policy = settings::load(tx)?;
            let closed = conversations::last_closed(tx, contact, channel.id)?;
            let ignore = word_filter::terms_of_kind(tx, "ignore")?;
            let opens = filter::opens_new_conversation(
                body,
                &ignore,
                closed.map(|(_, at)| at),
                now_ms(),
                policy.ignore_window_minutes,
            );
            if let (false, Some((closed_id, _))) = (opens, closed) {
                let c = conversations::conversation_by_id(tx, closed_id)?.ok_or(EngineError::NotFound)?;
                let message_id = store_inbound(tx, c.id, inbound, body, files)?;
                let event = Event::Conversation { conversation_id: c.id, team_id: c.team_id, agent_id: c.agent_id };
                return Ok((Ingested::Kept { conversation_id: c.id, message_id }, vec![event], None));
            }
            let sequence = conversations::next_protocol_sequence(tx)?;
            let number = protocol::format(channel.kind, sequence);
            // A channel with a flow starts it: the conversation is with the bot, in no
            // queue, until the flow hands it over.
            flow = flow::version_for_channel(tx, channel.id)?;
            // Counted and queued in this same write transaction: visitors
            // arriving at once cannot push the queue past its limit.
            let placement = match flow {
                Some(_) => queue::Placement { team_id: channel.default_team_id, full: None },
                None => queue::place(tx, channel.default_team_id)?,
            };
            let id = conversations::insert_conversation(
                tx,
                &number,
                channel.id,
                contact,
                placement.team_id,
                flow.is_some(),
            )?;
            if !inbound.subject.is_empty() {
                conversations::set_subject(tx, id, &text::one_line(&inbound.subject))?;
            }
            system_message(tx, id, channel.id, &format!("protocol:{number}"))?;
            if let (Some(full), Some(to)) = (&placement.full, placement.team_id) {
                if full.id != to {
                    system_message(tx, id, channel.id, &format!("overflow:{}:{to}", full.id))?;
                }
            }
            let lang = policy.default_language.as_deref().unwrap_or(crate::i18n::DEFAULT).to_string();
            notice = Some(protocol_notice(&number, &lang));
            let conversation = conversations::conversation_by_id(tx, id)?.ok_or(EngineError::NotFound)?;
            (conversation, true, placement.full.map(|team| (team, lang)))
        }
    };
    let message_id = store_inbound(tx, conversation.id, inbound, body, files)?;
    super::protocol_links::link_quoted(tx, &conversation, body, now_flow)?;
    if let Some(notice) = notice {
        notify_contact(tx, conversation.id, channel.id, &notice)?;
    }
    conversations::touch_inbound(tx, conversation.id)?;
    if let Some(team) = conversation.team_id.filter(|_| opened && flow.is_none()) {
        events.extend(route_team(tx, team)?);
    }
    if let Some((team, lang)) = &full {
        queue::tell_queue_full(tx, conversation.id, channel.id, team, lang)?;
    }
    // The flow runs in this transaction: its answer commits with the customer's message.
    let bot = flow.is_some() || conversation.status == "bot";
    let ran = match flow {
        Some(version) => flow::start(tx, conversation.id, version, now_flow)?,
        None if bot => flow::feed(tx, conversation.id, Input::Text(body.to_string()), now_flow)?,
        None => flow::Ran::default(),
    };
    events.extend(ran.events);
    // Routing and the flow may have moved a new or bot conversation to a team or an
    // agent; a message in any other open conversation leaves both as they were.
    let now = if opened || bot {
        conversations::conversation_by_id(tx, conversation.id)?.ok_or(EngineError::NotFound)?
    } else {
        conversation
    };
    events.push(Event::Conversation { conversation_id: now.id, team_id: now.team_id, agent_id: now.agent_id });
    Ok((Ingested::Stored { conversation_id: now.id, message_id, protocol: now.protocol, opened }, events, ran.http))
}

/// The contact known on the channel by the message's key or one of its aliases; a
/// contact found by an alias becomes known by the key too.
fn known_contact(tx: &rusqlite::Transaction, channel_id: i64, inbound: &Inbound) -> EngineResult<Option<i64>> {
    if let Some(c) = contacts::contact_by_identity(tx, channel_id, &inbound.contact_key)? {
        return Ok(Some(c.id));
    }
    for alias in &inbound.contact_aliases {
        if let Some(c) = contacts::contact_by_identity(tx, channel_id, alias)? {
            contacts::insert_identity(tx, channel_id, &inbound.contact_key, c.id)?;
            return Ok(Some(c.id));
        }
    }
    Ok(None)
}

/// What one stored message carries besides the text: a file, a file owed, or the
/// reason a file will not come.
#[derive(Default)]
struct Part<'a> {
    attachment_id: Option<i64>,
    owed: Option<&'a MediaRef>,
    missing: Option<&'a String>,
}

/// The contact's message, stored in a conversation with its files: the first file (or
/// owed file) goes with the text, each further one is a message of its own. Returns
/// the id of the first message.
fn store_inbound(
    tx: &rusqlite::Transaction,
    conversation_id: i64,
    inbound: &Inbound,
    body: &str,
    files: &[Prepared],
) -> EngineResult<i64> {
    let mut attachments = Vec::with_capacity(files.len());
    for file in files {
        attachments.push(Some(attachments::record(tx, conversation_id, file)?));
    }
    // One message per file, per owed file and per missing one; at least one for the text.
    let owed = inbound.media_later.iter().map(|m| Part { owed: Some(m), ..Part::default() });
    let missing = inbound.files_missing.iter().map(|r| Part { missing: Some(r), ..Part::default() });
    let parts: Vec<Part> = attachments
        .into_iter()
        .map(|a| Part { attachment_id: a, ..Part::default() })
        .chain(owed)
        .chain(missing)
        .collect();
    let parts = if parts.is_empty() { vec![Part::default()] } else { parts };
    let mut first = None;
    for (i, part) in parts.into_iter().enumerate() {
        let message_id = messages::insert_message(
            tx,
            &NewMessage {
                conversation_id,
                channel_id: inbound.channel_id,
                direction: "in",
                author: Default::default(),
                body: if i == 0 { body } else { "" },
                attachment_id: part.attachment_id,
                external_id: if i == 0 { inbound.external_id.as_deref() } else { None },
                status: "received",
            },
        )?;
        if let Some(m) = part.owed {
            let due = MediaDue {
                message_id,
                channel_id: inbound.channel_id,
                reference: m.reference.clone(),
                file_name: m.file_name.clone(),
                declared_type: m.declared_type.clone(),
                attempts: 0,
            };
            channel_state::owe_media(tx, &due, now_ms(), "")?;
        }
        if let Some(reason) = part.missing {
            messages::set_inbound_failure(tx, message_id, reason)?;
        }
        first.get_or_insert(message_id);
    }
    Ok(first.unwrap_or_default())
}
