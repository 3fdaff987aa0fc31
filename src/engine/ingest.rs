//! Inbound path: normalise → de-duplicate by the channel's message id → find or create
//! the contact → attach to the open conversation or open a new one → queue it in a team
//! → route → publish. Channel adapters call `ingest`; nothing else writes inbound.

use serde::Serialize;

use super::service::{notify_contact, route_team, system_message};
use super::{queue, Engine, EngineError, EngineResult, Event};
use crate::db::contacts::{ChangedBy, ContactFields};
use crate::db::conversations;
use crate::db::messages::{self, NewMessage};
use crate::db::{channels, contacts, now_ms, settings, word_filter};
use crate::domain::{email, phone, protocol, text, word_filter as filter};

/// A message from a contact, as a channel adapter hands it over.
#[derive(Debug, Clone)]
pub struct Inbound {
    pub channel_id: i64,
    /// How the channel knows the contact (visitor token hash, phone number …).
    pub contact_key: String,
    /// Used when the contact is new.
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    /// The channel's id of the message; a second delivery with the same id is dropped.
    pub external_id: Option<String>,
    pub body: String,
    pub attachment_id: Option<i64>,
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
    /// A "thank you" right after a close: kept with the conversation just closed (its
    /// transcript and the visitor's widget show it), which stays closed.
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
        // One place cleans what channels hand over, so every channel gets it.
        let body = text::message(&inbound.body);
        let contact_name = text::one_line(&inbound.contact_name);
        // A channel's address that is not one (a list, a display name …) is not kept.
        let contact_email = email::parse(&text::one_line(&inbound.contact_email)).unwrap_or_default();
        if body.is_empty() && inbound.attachment_id.is_none() {
            return Err(EngineError::Invalid("floor-empty-message"));
        }
        let (result, events) = self
            .write(move |tx| {
                let channel = channels::channel_by_id(tx, inbound.channel_id)?.ok_or(EngineError::NotFound)?;
                if let Some(ext) = inbound.external_id.as_deref() {
                    if let Some(m) = messages::by_external_id(tx, channel.id, "in", ext)? {
                        return Ok((
                            Ingested::Duplicate { conversation_id: m.conversation_id, message_id: m.id },
                            vec![],
                        ));
                    }
                }
                let contact = match contacts::contact_by_identity(tx, channel.id, &inbound.contact_key)? {
                    Some(c) => c.id,
                    None => {
                        let country = settings::load(tx)?.default_country;
                        let fields = ContactFields {
                            name: contact_name.clone(),
                            email: contact_email.clone(),
                            phone: phone::from_channel(&inbound.contact_phone, &country),
                            custom: serde_json::json!({}),
                        };
                        let id = contacts::insert_contact(tx, &fields, ChangedBy::Channel(channel.id))?;
                        contacts::insert_identity(tx, channel.id, &inbound.contact_key, id)?;
                        id
                    }
                };
                let mut events = Vec::new();
                // `full`: the team whose queue a new conversation found full, and the
                // language its contact is told in.
                let (conversation, opened, full) = match conversations::open_conversation(tx, contact, channel.id)? {
                    Some(c) => {
                        if c.status == "pending" {
                            // The customer's answer brings a pending conversation back.
                            conversations::set_status(tx, c.id, "active")?;
                        }
                        (c, false, None)
                    }
                    None => {
                        let policy = settings::load(tx)?;
                        let closed = conversations::last_closed(tx, contact, channel.id)?;
                        let ignore = word_filter::terms_of_kind(tx, "ignore")?;
                        let opens = filter::opens_new_conversation(
                            &body,
                            &ignore,
                            closed.map(|(_, at)| at),
                            now_ms(),
                            policy.ignore_window_minutes,
                        );
                        if let (false, Some((closed_id, _))) = (opens, closed) {
                            let c = conversations::conversation_by_id(tx, closed_id)?.ok_or(EngineError::NotFound)?;
                            let message_id = store_inbound(tx, c.id, &inbound, &body)?;
                            let event =
                                Event::Conversation { conversation_id: c.id, team_id: c.team_id, agent_id: c.agent_id };
                            return Ok((Ingested::Kept { conversation_id: c.id, message_id }, vec![event]));
                        }
                        let sequence = conversations::next_protocol_sequence(tx)?;
                        let number = protocol::format(channel.kind, sequence);
                        // Counted and queued in this same write transaction: visitors
                        // arriving at once cannot push the queue past its limit.
                        let placement = queue::place(tx, channel.default_team_id)?;
                        let id =
                            conversations::insert_conversation(tx, &number, channel.id, contact, placement.team_id)?;
                        system_message(tx, id, channel.id, &format!("protocol:{number}"))?;
                        if let (Some(full), Some(to)) = (&placement.full, placement.team_id) {
                            if full.id != to {
                                system_message(tx, id, channel.id, &format!("overflow:{}:{to}", full.id))?;
                            }
                        }
                        let lang = policy.default_language.as_deref().unwrap_or(crate::i18n::DEFAULT).to_string();
                        notify_contact(tx, id, channel.id, &protocol_notice(&number, &lang))?;
                        let conversation = conversations::conversation_by_id(tx, id)?.ok_or(EngineError::NotFound)?;
                        (conversation, true, placement.full.map(|team| (team, lang)))
                    }
                };
                let message_id = store_inbound(tx, conversation.id, &inbound, &body)?;
                conversations::touch(tx, conversation.id, true)?;
                if let Some(team) = conversation.team_id.filter(|_| opened) {
                    events.extend(route_team(tx, team)?);
                }
                if let Some((team, lang)) = &full {
                    queue::tell_queue_full(tx, conversation.id, channel.id, team, lang)?;
                }
                let now = conversations::conversation_by_id(tx, conversation.id)?.ok_or(EngineError::NotFound)?;
                events.push(Event::Conversation {
                    conversation_id: now.id,
                    team_id: now.team_id,
                    agent_id: now.agent_id,
                });
                Ok((Ingested::Stored { conversation_id: now.id, message_id, protocol: now.protocol, opened }, events))
            })
            .await?;
        for e in events {
            self.events.publish(e);
        }
        Ok(result)
    }
}

/// The contact's message, stored in a conversation.
fn store_inbound(tx: &rusqlite::Transaction, conversation_id: i64, inbound: &Inbound, body: &str) -> EngineResult<i64> {
    Ok(messages::insert_message(
        tx,
        &NewMessage {
            conversation_id,
            channel_id: inbound.channel_id,
            direction: "in",
            author_id: None,
            body,
            attachment_id: inbound.attachment_id,
            external_id: inbound.external_id.as_deref(),
            status: "received",
        },
    )?)
}
