//! The 24-hour window (`domain::window`) where the engine keeps it: free text and files
//! to a contact whose window is closed are refused before they are stored, so an agent
//! never "sends" a message certain to fail; automatic messages are skipped with a note
//! in the conversation; a template approved by the provider may always go.

use rusqlite::Connection;

use super::access::can_write;
use super::actor::Actor;
use super::service::{conversation_event, load_for, queue_from_agent, refuse_blocked, Agent};
use super::{Engine, EngineError, EngineResult};
use crate::db::conversations::Conversation;
use crate::db::messages;
use crate::db::{channels, now_ms, outbox, templates, DbResult};
use crate::domain::channel_kind::ChannelKind;
use crate::domain::message_template::ApprovedTemplate;
use crate::domain::window::Window;

/// The window of the conversation's contact on its channel, now.
pub(crate) fn window_of(conn: &Connection, c: &Conversation) -> DbResult<Window> {
    match channels::channel_by_id(conn, c.channel_id)? {
        Some(ch) => window_on(conn, c, ch.kind),
        None => Ok(Window::None),
    }
}

/// The window of the conversation's contact on a channel of `kind` (the caller has
/// the channel already).
fn window_on(conn: &Connection, c: &Conversation, kind: ChannelKind) -> DbResult<Window> {
    if !kind.has_24_hour_window() {
        return Ok(Window::None);
    }
    let last = messages::last_inbound_at(conn, c.contact_id, c.channel_id)?;
    Ok(Window::at(true, last, now_ms()))
}

/// Refuses free text to a contact whose window is closed.
pub(crate) fn require_open(conn: &Connection, c: &Conversation) -> EngineResult<()> {
    match channels::channel_by_id(conn, c.channel_id)? {
        Some(ch) => require_open_on(conn, c, ch.kind),
        None => Ok(()),
    }
}

/// `require_open` when the caller has loaded the channel's kind.
pub(crate) fn require_open_on(conn: &Connection, c: &Conversation, kind: ChannelKind) -> EngineResult<()> {
    match window_on(conn, c, kind)?.allows_free_text() {
        true => Ok(()),
        false => Err(EngineError::Invalid("floor-window-closed")),
    }
}

/// The templates an agent may send in the conversation: the active "Modelos de
/// mensagem" of its channel's kind, for every team or for the conversation's.
pub(crate) fn templates_of(conn: &Connection, c: &Conversation) -> DbResult<Vec<ApprovedTemplate>> {
    match channels::channel_by_id(conn, c.channel_id)? {
        Some(ch) if ch.kind.has_24_hour_window() => templates::approved_for(conn, ch.kind, c.team_id),
        _ => Ok(Vec::new()),
    }
}

impl Engine {
    /// Sends one of the channel's approved templates, its parameters filled with
    /// `values` in order; allowed whatever the window. The message's body is the text
    /// the contact reads; the outbox hands the sender the template itself.
    pub async fn send_template(
        &self,
        agent: &Agent,
        conversation_id: i64,
        name: &str,
        language: &str,
        values: Vec<String>,
    ) -> EngineResult<i64> {
        let (agent, name, language) = (agent.clone(), name.to_string(), language.to_string());
        let (id, event) = self
            .write(move |tx| {
                let c = load_for(tx, &agent, conversation_id)?;
                if c.status == "closed" {
                    return Err(EngineError::Closed);
                }
                if !can_write(tx, agent.user_id, &c)? {
                    return Err(EngineError::Forbidden);
                }
                let id = template_in(tx, &Actor::from(&agent), &c, &name, &language, &values)?;
                Ok((id, conversation_event(&c)))
            })
            .await?;
        self.events.publish(event);
        Ok(id)
    }
}

/// Queues the approved template `name` in `language` of the conversation's channel,
/// filled with `values`, inside a transaction the caller holds (who may write in the
/// conversation is the caller's check); the message's id.
pub(crate) fn template_in(
    tx: &rusqlite::Transaction,
    actor: &Actor,
    c: &Conversation,
    name: &str,
    language: &str,
    values: &[String],
) -> EngineResult<i64> {
    let templates = templates_of(tx, c)?;
    let template = templates
        .iter()
        .find(|t| t.name == name && t.language == language)
        .ok_or(EngineError::Invalid("floor-template-unknown"))?;
    let (body, send) = template.fill(values).map_err(EngineError::Invalid)?;
    refuse_blocked(tx, &body)?;
    let id = queue_from_agent(tx, c, actor.writer(), &body, None)?;
    // In the same transaction: the outbox never sees it without its template.
    outbox::set_template(tx, id, &send)?;
    Ok(id)
}
