//! What moves a flow besides the customer's messages (those come through ingest): an
//! HTTP block's result, the idle limit, and an agent taking the conversation over.

use super::flow::{self, Ran};
use super::service::{conversation_event, load_for, may_take, system_message, Agent};
use super::{Engine, EngineError, EngineResult};
use crate::db::webhooks::{self, Change};
use crate::db::{conversations, flows};
use crate::domain::flow::step::HttpCall;
use crate::domain::flow::{HttpOutcome, Input};

/// Idle sessions handled per pass.
const IDLE_BATCH: i64 = 200;

impl Engine {
    /// Runs a flow's HTTP call off the request, then feeds its result to the flow.
    pub(crate) fn flow_http(&self, conversation_id: i64, call: HttpCall) {
        let engine = self.clone();
        rocket::tokio::spawn(async move {
            let outcome = rocket::tokio::task::spawn_blocking(move || super::flow_http::call(&call))
                .await
                .unwrap_or_else(|e| HttpOutcome::Failed(e.to_string()));
            if let HttpOutcome::Failed(reason) = &outcome {
                // The reason only: the address may carry the customer's data.
                tracing::warn!(conversation = conversation_id, reason = %reason, "flow HTTP call failed");
            }
            if let Err(e) = engine.flow_http_result(conversation_id, outcome).await {
                tracing::error!(conversation = conversation_id, error = %e, "flow HTTP result not applied");
            }
        });
    }

    /// Feeds an HTTP block's result to the conversation's flow.
    pub async fn flow_http_result(&self, conversation_id: i64, outcome: HttpOutcome) -> EngineResult<()> {
        let now = self.clock.now();
        let ran = self.write(move |tx| flow::feed(tx, conversation_id, Input::Http(outcome), now)).await?;
        self.after_flow(ran);
        Ok(())
    }

    /// Tells every flow session whose customer has been silent past its limit at `now`;
    /// how many were told.
    pub async fn flow_idle(&self, now: i64) -> EngineResult<usize> {
        let (count, ran) = self
            .write(move |tx| {
                let ids = flows::idle_sessions(tx, now, IDLE_BATCH)?;
                let mut all = Ran::default();
                for id in &ids {
                    let ran = flow::feed(tx, *id, Input::Idle, now)?;
                    all.events.extend(ran.events);
                    // An idle step never calls out; a session still there is not idle again.
                    if let Some(mut s) = flows::session_of(tx, *id)? {
                        s.idle_at = s.idle_at.max(now + 60_000);
                        flows::save_session(tx, &s, now)?;
                    }
                }
                Ok((ids.len(), all))
            })
            .await?;
        self.after_flow(ran);
        Ok(count)
    }

    /// "Assumir": an agent of the conversation's team (or a supervisor) takes a
    /// conversation out of its flow; the session ends and the conversation is theirs.
    pub async fn take_over(&self, agent: &Agent, conversation_id: i64) -> EngineResult<()> {
        let agent = agent.clone();
        let events = self
            .write(move |tx| {
                let c = load_for(tx, &agent, conversation_id)?;
                may_take(tx, &agent, &c)?;
                if c.status != "bot" {
                    return Err(if c.status == "closed" { EngineError::Closed } else { EngineError::AlreadyTaken });
                }
                flows::end_session(tx, c.id)?;
                conversations::hand_to(tx, c.id, c.team_id, agent.user_id)?;
                webhooks::emit(tx, Change::ConversationAssigned(c.id))?;
                system_message(tx, c.id, c.channel_id, &format!("flow-taken:{}", agent.user_id))?;
                Ok(vec![conversation_event(&super::service::load(tx, c.id)?)])
            })
            .await?;
        self.publish_all(events);
        Ok(())
    }

    fn after_flow(&self, ran: Ran) {
        self.publish_all(ran.events);
        if let Some((id, call)) = ran.http {
            self.flow_http(id, call);
        }
    }
}
