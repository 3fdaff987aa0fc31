//! "Tabular" and "Finalizar": a conversation gets a reason or sub-reason of its team,
//! and closes for good. The closing dialog does both in one step: the classification
//! chosen there, the comment, the company's closing message to the contact and the
//! close are one transaction, so a refused close leaves nothing half-written.

use rusqlite::Transaction;

use super::actor::Actor;
use super::service::{conversation_event, load, notify_contact, route_teams_of, system_message, writable, Agent};
use super::{Engine, EngineError, EngineResult, Event};
use crate::db::conversations::{self, Conversation};
use crate::db::tabulations::{self, Tabulation};
use crate::db::{settings, teams};
use crate::domain::text;

/// A reason, and optionally one of its sub-reasons, as chosen in the closing dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub reason_id: i64,
    pub sub_reason_id: Option<i64>,
}

/// Queues the company's closing message to the contact (no author: the company speaks).
/// An empty message sends nothing. A close can come long after the contact's last
/// message: outside their 24-hour window the message would fail, so a note in the
/// conversation says it was skipped instead. (The other automatic messages answer a
/// message just received, inside the window.)
pub(crate) fn queue_closing_message(tx: &Transaction, c: &Conversation, message: &str) -> EngineResult<()> {
    let message = message.trim();
    if message.is_empty() {
        return Ok(());
    }
    if !super::window::window_of(tx, c)?.allows_free_text() {
        system_message(tx, c.id, c.channel_id, "window-skipped")?;
        return Ok(());
    }
    notify_contact(tx, c.id, c.channel_id, message)?;
    Ok(())
}

/// The closing message of a team: its own when it has own inactivity rules with one,
/// else the company's.
pub(crate) fn closing_message_of(tx: &Transaction, team_id: Option<i64>) -> EngineResult<String> {
    let company = settings::load(tx)?;
    let own = match team_id {
        Some(team) => crate::db::team_rules::rules_of(tx, team)?.inactivity,
        None => None,
    };
    Ok(crate::domain::inactivity::effective(own.as_ref(), company.auto_close_minutes, &company.closing_message)
        .closing_message)
}

/// An active reason or sub-reason of the conversation's team.
fn tabulation_of_team(tx: &Transaction, team_id: Option<i64>, id: i64) -> EngineResult<Tabulation> {
    match tabulations::tabulation_by_id(tx, id)? {
        Some(t) if t.active && Some(t.team_id) == team_id => Ok(t),
        _ => Err(EngineError::Invalid("floor-bad-tabulation")),
    }
}

/// What a choice stores: the sub-reason (which carries its reason), else the reason.
fn chosen_tabulation(tx: &Transaction, team_id: Option<i64>, choice: Choice) -> EngineResult<i64> {
    let reason = tabulation_of_team(tx, team_id, choice.reason_id)?;
    if reason.parent_id.is_some() {
        return Err(EngineError::Invalid("floor-bad-tabulation"));
    }
    match choice.sub_reason_id {
        None => Ok(reason.id),
        Some(sub) => {
            let sub = tabulation_of_team(tx, team_id, sub)?;
            if sub.parent_id != Some(reason.id) {
                return Err(EngineError::Invalid("floor-bad-tabulation"));
            }
            Ok(sub.id)
        }
    }
}

impl Engine {
    /// Adds a classification (reason or sub-reason of the conversation's team).
    pub async fn classify(&self, agent: &Agent, conversation_id: i64, tabulation_id: i64) -> EngineResult<()> {
        self.set_classification(agent, conversation_id, tabulation_id, true).await
    }

    /// Takes a classification off (the × on its chip), as a tag is taken off.
    pub async fn unclassify(&self, agent: &Agent, conversation_id: i64, tabulation_id: i64) -> EngineResult<()> {
        self.set_classification(agent, conversation_id, tabulation_id, false).await
    }

    async fn set_classification(
        &self,
        agent: &Agent,
        conversation_id: i64,
        tabulation_id: i64,
        on: bool,
    ) -> EngineResult<()> {
        let agent = agent.clone();
        let event = self
            .write(move |tx| {
                let c = writable(tx, &agent, conversation_id)?;
                if on {
                    tabulation_of_team(tx, c.team_id, tabulation_id)?;
                    tabulations::classify_conversation(tx, conversation_id, tabulation_id, Some(agent.user_id))?;
                } else if !tabulations::unclassify_conversation(tx, conversation_id, tabulation_id)? {
                    return Err(EngineError::Invalid("floor-bad-tabulation"));
                }
                Ok(conversation_event(&c))
            })
            .await?;
        self.events.publish(event);
        Ok(())
    }

    /// "Finalizar" without a new classification.
    pub async fn close(&self, agent: &Agent, conversation_id: i64, comment: &str) -> EngineResult<()> {
        self.close_with(agent, conversation_id, comment, None).await
    }

    /// "Finalizar": closes for good (a new message opens a new protocol), first adding
    /// the classification chosen, if any. A team that requires classification refuses a
    /// close without one. The company's closing message goes to the contact. Capacity
    /// freed → routing.
    pub async fn close_with(
        &self,
        agent: &Agent,
        conversation_id: i64,
        comment: &str,
        choice: Option<Choice>,
    ) -> EngineResult<()> {
        let (actor, comment) = (Actor::from(agent), close_comment(comment));
        let now = self.clock.now();
        let events = self.write(move |tx| close_in(tx, &actor, conversation_id, &comment, choice, now)).await?;
        self.publish_all(events);
        Ok(())
    }
}

/// A closing comment as stored: message text, at most 1000 characters.
pub(crate) fn close_comment(comment: &str) -> String {
    text::message(comment).chars().take(1000).collect()
}

/// Adds the classification chosen (a reason, or one of its sub-reasons) inside a
/// transaction the caller holds; the conversation, still open.
pub(crate) fn classify_in(
    tx: &Transaction,
    actor: &Actor,
    conversation_id: i64,
    choice: Choice,
) -> EngineResult<Conversation> {
    let c = actor.writable(tx, conversation_id)?;
    let tabulation = chosen_tabulation(tx, c.team_id, choice)?;
    tabulations::classify_conversation(tx, c.id, tabulation, actor.user_id())?;
    Ok(c)
}

/// The close of `close_with` inside a transaction the caller holds (monitoring and the
/// API add their audit entry to the same one); the events to publish after the commit.
pub(crate) fn close_in(
    tx: &Transaction,
    actor: &Actor,
    conversation_id: i64,
    comment: &str,
    choice: Option<Choice>,
    now: i64,
) -> EngineResult<Vec<Event>> {
    let c = match choice {
        Some(choice) => classify_in(tx, actor, conversation_id, choice)?,
        None => actor.writable(tx, conversation_id)?,
    };
    let team = c.team_id.map(|t| teams::team_by_id(tx, t)).transpose()?.flatten();
    if team.is_some_and(|t| t.require_tabulation) && tabulations::classifications_of(tx, c.id)?.is_empty() {
        return Err(EngineError::TabulationRequired);
    }
    conversations::close(tx, conversation_id, actor.user_id(), comment)?;
    queue_closing_message(tx, &c, &closing_message_of(tx, c.team_id)?)?;
    actor.event(tx, &c, &format!("closed:{}", actor.code()))?;
    super::survey::offer(tx, &c, now)?;
    let mut events = vec![conversation_event(&load(tx, conversation_id)?)];
    if let Some(holder) = c.agent_id {
        events.extend(route_teams_of(tx, &[holder])?);
    }
    Ok(events)
}
