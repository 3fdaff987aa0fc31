//! "Iniciar conversa" (F-AG-18): an agent starts a conversation with a contact on a
//! channel that reaches them (WhatsApp by the contact's number, e-mail by their
//! address, Telegram only once they wrote to the bot), for one of the agent's teams.
//! The conversation opens with the agent; what to say first is written in its composer
//! (where WhatsApp's 24-hour rule offers the approved templates).

use rusqlite::Connection;
use serde::Serialize;

use super::access::is_member;
use super::actor::Actor;
use super::service::{conversation_event, system_message, Agent};
use super::{Engine, EngineError, Event};
use crate::db::conversations::Conversation;
use crate::db::{channels, contacts, conversations, teams, users};
use crate::domain::channel_kind::ChannelKind;
use crate::domain::protocol;

/// Why a conversation cannot be started ("Não tem permissão" and this reason).
#[derive(Debug, thiserror::Error)]
pub enum StartRefused {
    /// The catalogue key of the reason; `name` fills it (the agent who has the contact).
    #[error("not allowed: {key}")]
    NotAllowed { key: &'static str, name: String },
    #[error(transparent)]
    Engine(#[from] EngineError),
}

impl From<crate::db::DbError> for StartRefused {
    fn from(e: crate::db::DbError) -> Self {
        StartRefused::Engine(EngineError::Db(e))
    }
}

fn refuse<T>(key: &'static str) -> Result<T, StartRefused> {
    Err(StartRefused::NotAllowed { key, name: String::new() })
}

/// A choice of the "Iniciar conversa" form.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
    pub kind: Option<ChannelKind>,
}

/// What the form offers: the channels that can start a conversation, the agent's teams.
#[derive(Debug, Clone, Serialize)]
pub struct StartChoices {
    pub channels: Vec<Choice>,
    pub teams: Vec<Choice>,
}

/// How the contact is reached on a channel of `kind`: the identity they already have
/// there, else one made from their details (WhatsApp: the E.164 digits of their phone,
/// which is the `wa_id`; e-mail: their address). Telegram bots cannot write first.
fn address(conn: &Connection, kind: ChannelKind, channel_id: i64, contact_id: i64) -> Result<String, StartRefused> {
    if let Some(known) = contacts::identity_on(conn, channel_id, contact_id)? {
        return Ok(known);
    }
    let contact = contacts::contact_by_id(conn, contact_id)?.ok_or(EngineError::NotFound)?;
    let made = match kind {
        ChannelKind::WhatsApp => contact.phone.clone(),
        ChannelKind::Email => contact.email.to_lowercase(),
        ChannelKind::Telegram => return refuse("start-telegram-first"),
        ChannelKind::WebChat => return refuse("start-webchat"),
    };
    if made.is_empty() {
        return refuse(if kind == ChannelKind::Email { "start-no-email" } else { "start-no-phone" });
    }
    contacts::insert_identity(conn, channel_id, &made, contact_id)?;
    Ok(made)
}

impl Engine {
    pub async fn start_choices(&self, agent: &Agent) -> Result<StartChoices, EngineError> {
        let agent = agent.clone();
        Ok(self
            .db
            .read(move |c| {
                let channels = channels::all_channels(c)?
                    .into_iter()
                    .filter(|ch| ch.active && ch.kind != ChannelKind::WebChat && !ch.receptive_only())
                    .map(|ch| Choice { id: ch.id, name: ch.name, kind: Some(ch.kind) })
                    .collect();
                let mut teams = Vec::new();
                for t in teams::all_teams(c)?.into_iter().filter(|t| t.active) {
                    if agent.supervisor || is_member(c, agent.user_id, t.id)? {
                        teams.push(Choice { id: t.id, name: t.name, kind: None });
                    }
                }
                Ok(StartChoices { channels, teams })
            })
            .await?)
    }

    /// Starts a conversation with the contact on the channel for the team, held by the
    /// agent; its id. An open conversation of the contact on that channel that the agent
    /// holds already is returned as it is; one someone else holds refuses, naming them.
    pub async fn start_conversation(
        &self,
        agent: &Agent,
        contact_id: i64,
        channel_id: i64,
        team_id: i64,
    ) -> Result<i64, StartRefused> {
        let (actor, now) = (Actor::from(agent), self.clock.now());
        let (c, event) = self.db.transact(move |tx| start_in(tx, &actor, contact_id, channel_id, team_id, now)).await?;
        if let Some(event) = event {
            self.events.publish(event);
        }
        Ok(c.id)
    }
}

/// `start_conversation` inside a transaction the caller holds: the conversation, and
/// its event when it is new. An agent holds it; one a REST API token starts waits in
/// the team's queue (the caller routes it once it has said something).
pub(crate) fn start_in(
    tx: &rusqlite::Transaction,
    actor: &Actor,
    contact_id: i64,
    channel_id: i64,
    team_id: i64,
    now: i64,
) -> Result<(Conversation, Option<Event>), StartRefused> {
    let channel = channels::channel_by_id(tx, channel_id)?.filter(|c| c.active).ok_or(EngineError::NotFound)?;
    if channel.receptive_only() {
        return refuse("start-receptive-only");
    }
    teams::team_by_id(tx, team_id)?.filter(|t| t.active).ok_or(EngineError::NotFound)?;
    if let Some(agent) = actor.agent().filter(|a| !a.supervisor) {
        if !is_member(tx, agent.user_id, team_id)? {
            return refuse("start-not-in-team");
        }
    }
    contacts::contact_by_id(tx, contact_id)?.ok_or(EngineError::NotFound)?;
    // A contact talking to a flow (on any channel) is busy: the flow hands over.
    if crate::db::flows::contact_in_flow(tx, contact_id)? {
        return refuse("start-in-flow");
    }
    // So does one answering a satisfaction survey (seed 001: "preso" in the bot).
    if crate::db::surveys::contact_in_survey(tx, contact_id, now)? {
        return refuse("start-in-survey");
    }
    if let Some(open) = conversations::open_conversation(tx, contact_id, channel_id)? {
        if open.agent_id.is_some() && open.agent_id == actor.user_id() {
            return Ok((open, None));
        }
        let name = match open.agent_id {
            Some(other) => users::user_by_id(tx, other)?.map(|u| u.name).unwrap_or_default(),
            None => String::new(),
        };
        let key = if name.is_empty() { "start-waiting" } else { "start-with-someone-else" };
        return Err(StartRefused::NotAllowed { key, name });
    }
    address(tx, channel.kind, channel_id, contact_id)?;
    let number = protocol::format(channel.kind, conversations::next_protocol_sequence(tx)?);
    let id = conversations::insert_conversation(tx, &number, channel_id, contact_id, Some(team_id), false)?;
    if let Some(user) = actor.user_id() {
        conversations::assign_if_waiting(tx, id, user)?;
    }
    system_message(tx, id, channel_id, &format!("protocol:{number}"))?;
    let c = conversations::conversation_by_id(tx, id)?.ok_or(EngineError::NotFound)?;
    actor.event(tx, &c, &format!("started:{}", actor.code()))?;
    let event = conversation_event(&c);
    Ok((c, Some(event)))
}
