//! What a supervisor does from "Monitoramento" (F-AD-11): end an agent's pause, sign an
//! agent out, transfer or finish a conversation, take a contact out of the bot or the survey. Each
//! is the floor's own step and its audit entry in one transaction.

use rusqlite::Transaction;
use serde_json::json;

use super::actor::Actor;
use super::closing::Choice;
use super::service::{conversation_event, load, online_in, system_message, transfer_in, Agent};
use super::{Engine, EngineError, EngineResult, Event};
use crate::db::{audit, flows, sessions, surveys, users};

/// The administrator acting, and where from (for the audit log).
#[derive(Debug, Clone)]
pub struct Supervisor {
    pub user_id: i64,
    pub ip: String,
}

impl Supervisor {
    fn actor(&self) -> Actor {
        Actor::Agent(Agent { user_id: self.user_id, supervisor: true })
    }

    fn record(&self, tx: &Transaction, action: &str, target: String, details: serde_json::Value) -> EngineResult<()> {
        Ok(audit::record(tx, Some(self.user_id), action, &target, &details, &self.ip)?)
    }
}

fn active_user(tx: &Transaction, user_id: i64) -> EngineResult<users::User> {
    users::user_by_id(tx, user_id)?.filter(|u| u.active).ok_or(EngineError::NotFound)
}

impl Engine {
    /// Ends the pause an agent is in: available again, and routed to.
    pub async fn end_pause_of(&self, by: &Supervisor, user_id: i64) -> EngineResult<()> {
        let by = by.clone();
        let events = self
            .write(move |tx| {
                if active_user(tx, user_id)?.status != "paused" {
                    return Err(EngineError::Invalid("monitoring-not-paused"));
                }
                let pause = crate::db::pauses::taken_now(tx, user_id)?.map(|(p, _)| p.fields.name);
                let events = online_in(tx, user_id)?;
                by.record(tx, "monitoring.end-pause", format!("user:{user_id}"), json!({ "pause": pause }))?;
                Ok(events)
            })
            .await?;
        self.publish_all(events);
        self.events.publish(Event::Agent { user_id });
        Ok(())
    }

    /// Signs an agent out as "Sair" does: every session ends, they go offline, and
    /// their conversations stay with them.
    pub async fn sign_out_agent(&self, by: &Supervisor, user_id: i64) -> EngineResult<()> {
        let by = by.clone();
        self.write(move |tx| {
            active_user(tx, user_id)?;
            let ended = sessions::delete_user_sessions(tx, user_id, None)?;
            users::set_status(tx, user_id, "offline")?;
            by.record(tx, "monitoring.sign-out", format!("user:{user_id}"), json!({ "sessions": ended }))
        })
        .await?;
        self.events.publish(Event::Agent { user_id });
        Ok(())
    }

    /// "Finalizar" as the supervisor: the engine's close with the classification chosen,
    /// if any, so a team that requires one refuses a close without it.
    pub async fn finish_as_supervisor(
        &self,
        by: &Supervisor,
        conversation_id: i64,
        choice: Option<Choice>,
    ) -> EngineResult<()> {
        let (by, now) = (by.clone(), self.clock.now());
        let events = self
            .write(move |tx| {
                let events = super::closing::close_in(tx, &by.actor(), conversation_id, "", choice, now)?;
                let protocol = load(tx, conversation_id)?.protocol;
                let target = format!("conversation:{conversation_id}");
                let classified = choice.map(|c| c.sub_reason_id.unwrap_or(c.reason_id));
                by.record(tx, "monitoring.finish", target, json!({ "protocol": protocol, "tabulation": classified }))?;
                Ok(events)
            })
            .await?;
        self.publish_all(events);
        Ok(())
    }

    /// "Transferir" as the supervisor: the floor's own transfer (to the team's queue and
    /// its routing, or straight to an agent of the team), with the note as an internal
    /// comment, and its audit entry.
    pub async fn transfer_as_supervisor(
        &self,
        by: &Supervisor,
        conversation_id: i64,
        team_id: i64,
        to_agent: Option<i64>,
        note: &str,
    ) -> EngineResult<()> {
        let (by, note) = (by.clone(), super::service::transfer_note(note));
        let events = self
            .write(move |tx| {
                let before = load(tx, conversation_id)?;
                let events = transfer_in(tx, &by.actor(), conversation_id, team_id, to_agent, &note)?;
                let details = json!({
                    "protocol": before.protocol,
                    "from_team": before.team_id,
                    "from_agent": before.agent_id,
                    "team": team_id,
                    "agent": to_agent,
                });
                by.record(tx, "monitoring.transfer", format!("conversation:{conversation_id}"), details)?;
                Ok(events)
            })
            .await?;
        self.publish_all(events);
        Ok(())
    }

    /// Takes a conversation out of its flow into its team's queue, as the flow's own
    /// transfer does (queue limit, overflow, routing).
    pub async fn out_of_bot(&self, by: &Supervisor, conversation_id: i64) -> EngineResult<()> {
        let by = by.clone();
        let events = self
            .write(move |tx| {
                let c = load(tx, conversation_id)?;
                if c.status != "bot" {
                    return Err(if c.status == "closed" { EngineError::Closed } else { EngineError::AlreadyTaken });
                }
                if c.team_id.is_none() {
                    return Err(EngineError::Invalid("monitoring-no-team"));
                }
                flows::end_session(tx, c.id)?;
                let mut events = super::flow::hand_over(tx, &c, c.team_id, false)?;
                events.push(conversation_event(&load(tx, c.id)?));
                let target = format!("conversation:{conversation_id}");
                by.record(tx, "monitoring.out-of-bot", target, json!({ "protocol": c.protocol }))?;
                Ok(events)
            })
            .await?;
        self.publish_all(events);
        Ok(())
    }

    /// Ends a survey still waiting for the contact: their next message opens a new
    /// conversation instead of answering it.
    pub async fn end_survey(&self, by: &Supervisor, conversation_id: i64) -> EngineResult<()> {
        let by = by.clone();
        let event = self
            .write(move |tx| {
                let c = load(tx, conversation_id)?;
                if !surveys::end(tx, c.id)? {
                    return Err(EngineError::Invalid("monitoring-not-in-survey"));
                }
                system_message(tx, c.id, c.channel_id, "survey-ended")?;
                let target = format!("conversation:{conversation_id}");
                by.record(tx, "monitoring.end-survey", target, json!({ "protocol": c.protocol }))?;
                Ok(conversation_event(&c))
            })
            .await?;
        self.events.publish(event);
        Ok(())
    }
}
