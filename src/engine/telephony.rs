//! Click-to-call (F-AG-22): "📞" asks the company's PBX to ring the agent's extension
//! and dial the contact. The request goes out on a blocking thread with the configured
//! timeout and no redirects; the answer is only "chamando" (the PBX took it) or a
//! failure. A call from a conversation leaves a system line in it; every call is
//! audited (the contact's id, never the number). One call per agent at a time: the
//! slot is taken before the PBX is asked, so a double click cannot ring twice.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::service::{load_for, system_message, Agent};
use super::{Engine, EngineError, EngineResult, Event};
use crate::db::telephony::{self, Telephony};
use crate::db::{audit, contacts, users};
use crate::domain::telephony::{request, CallRequest};

/// Where the call was asked from.
#[derive(Debug, Clone, Copy)]
pub enum CallFrom {
    Conversation(i64),
    Contact(i64),
}

/// What the PBX said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallOutcome {
    /// It answered 2xx: the agent's phone rings, then the contact's.
    Ringing,
    /// It answered with this status, or (`None`) did not answer in time.
    Failed(Option<u16>),
}

impl CallOutcome {
    /// As the system line and the audit log record it.
    pub fn code(&self) -> String {
        match self {
            CallOutcome::Ringing => "ringing".into(),
            CallOutcome::Failed(Some(status)) => format!("failed-{status}"),
            CallOutcome::Failed(None) => "failed".into(),
        }
    }
}

/// The agents with a call being asked for now.
#[derive(Debug, Clone, Default)]
pub struct CallsInFlight(Arc<Mutex<HashSet<i64>>>);

/// The slot of one agent's call, given back when dropped.
struct Slot(CallsInFlight, i64);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0 .0.lock().unwrap_or_else(|p| p.into_inner()).remove(&self.1);
    }
}

impl CallsInFlight {
    fn reserve(&self, user_id: i64) -> Option<Slot> {
        let fresh = self.0.lock().unwrap_or_else(|p| p.into_inner()).insert(user_id);
        fresh.then(|| Slot(self.clone(), user_id))
    }
}

/// What a call needs, read before the PBX is asked.
struct Prepared {
    settings: Telephony,
    request: CallRequest,
    contact_id: i64,
    line: Option<(i64, i64)>,
}

impl Engine {
    /// Whether "📞" is offered to `user_id` (see `may_call`).
    pub async fn can_call(&self, user_id: i64) -> EngineResult<bool> {
        Ok(self.db.read(move |c| may_call(c, user_id)).await?)
    }

    /// Asks the PBX to connect `agent` with the contact; records the outcome.
    pub async fn call(&self, agent: &Agent, from: CallFrom, ip: &str) -> EngineResult<CallOutcome> {
        let prepared = self.prepare_call(agent, from).await?;
        let Some(_slot) = self.calls.reserve(agent.user_id) else {
            return Err(EngineError::Invalid("call-in-progress"));
        };
        let (settings, req) = (prepared.settings.clone(), prepared.request.clone());
        let outcome = rocket::tokio::task::spawn_blocking(move || place(&settings, &req))
            .await
            .unwrap_or(CallOutcome::Failed(None));
        self.record_call(agent, &prepared, &outcome, ip).await?;
        Ok(outcome)
    }

    async fn prepare_call(&self, agent: &Agent, from: CallFrom) -> EngineResult<Prepared> {
        let agent = agent.clone();
        self.write(move |tx| {
            let settings = telephony::load(tx)?;
            if !settings.is_configured() {
                return Err(EngineError::Invalid("call-not-configured"));
            }
            let (contact_id, line) = match from {
                CallFrom::Conversation(id) => {
                    let c = load_for(tx, &agent, id)?;
                    (c.contact_id, Some((c.id, c.channel_id)))
                }
                CallFrom::Contact(id) => (id, None),
            };
            let contact = contacts::contact_by_id(tx, contact_id)?.ok_or(EngineError::NotFound)?;
            let extension = users::user_by_id(tx, agent.user_id)?.map(|u| u.extension).unwrap_or_default();
            let request = request(&settings.template(), &extension, &contact.phone, &settings.secret)
                .map_err(|refused| EngineError::Invalid(refused.key()))?;
            Ok(Prepared { settings, request, contact_id, line })
        })
        .await
    }

    async fn record_call(&self, agent: &Agent, p: &Prepared, outcome: &CallOutcome, ip: &str) -> EngineResult<()> {
        let (user, line, contact, code, ip) = (agent.user_id, p.line, p.contact_id, outcome.code(), ip.to_string());
        let event = self
            .write(move |tx| {
                let details =
                    serde_json::json!({ "contact": contact, "conversation": line.map(|l| l.0), "outcome": code });
                audit::record(tx, Some(user), "call.placed", &format!("contact:{contact}"), &details, &ip)?;
                let Some((conversation_id, channel_id)) = line else { return Ok(None) };
                system_message(tx, conversation_id, channel_id, &format!("call:{user}:{code}"))?;
                let c =
                    crate::db::conversations::conversation_by_id(tx, conversation_id)?.ok_or(EngineError::NotFound)?;
                Ok(Some(Event::Conversation { conversation_id, team_id: c.team_id, agent_id: c.agent_id }))
            })
            .await?;
        if let Some(event) = event {
            self.events.publish(event);
        }
        Ok(())
    }
}

/// "📞" is offered to `user_id`: the PBX is configured and they have an extension.
pub(crate) fn may_call(conn: &rusqlite::Connection, user_id: i64) -> crate::db::DbResult<bool> {
    let configured = telephony::load(conn)?.is_configured();
    let extension = users::user_by_id(conn, user_id)?.map(|u| u.extension).unwrap_or_default();
    Ok(configured && crate::domain::telephony::valid_extension(&extension))
}

/// The request itself; every failure is an outcome, never a panic. Nothing of the
/// request (it holds the secret) is logged.
fn place(settings: &Telephony, req: &CallRequest) -> CallOutcome {
    let timeout = Duration::from_secs(settings.timeout_secs.clamp(1, 30));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .build()
        .into();
    let mut builder = ureq::http::Request::builder().method(req.method.as_str()).uri(req.url.as_str());
    for (name, value) in &req.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let Ok(request) = builder.body(req.body.clone()) else { return CallOutcome::Failed(None) };
    match agent.run(request) {
        Ok(answer) if answer.status().is_success() => CallOutcome::Ringing,
        Ok(answer) => CallOutcome::Failed(Some(answer.status().as_u16())),
        Err(e) => {
            tracing::warn!(error = %e.to_string().split('?').next().unwrap_or(""), "the PBX did not take the call");
            CallOutcome::Failed(None)
        }
    }
}
