//! Inactivity (F-EN-5), one pass of the periodic job at a given instant: per team (its
//! own rules, else the company's auto-close, `domain::inactivity`) silent conversations
//! are warned and later closed with the team's closing message, pending ones close
//! after their longer limit, a queue nobody takes raises one notice to administrators,
//! and a conversation whose agent has not answered goes back to the queue. Like a
//! manual close, the capacity freed goes at once to the waiting queue of the holders'
//! teams.

use rusqlite::{params, Transaction};
use serde_json::json;

use super::closing::queue_closing_message;
use super::service::{route_team, route_teams_of, system_message};
use super::{Engine, EngineResult};
use crate::db::{audit, conversations, settings, team_rules};
use crate::domain::inactivity::{effective, Effective};

/// Conversations handled per rule and pass.
const BATCH: i64 = 500;

/// What one pass did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Swept {
    pub closed: usize,
    pub warned: usize,
    pub alerts: usize,
    pub given_back: usize,
}

fn ids(tx: &Transaction, sql: &str, team: Option<i64>, before: i64, other: Option<i64>) -> EngineResult<Vec<i64>> {
    let mut stmt = tx.prepare_cached(sql)?;
    let rows = stmt.query_map(params![team, before, other, BATCH], |r| r.get::<_, i64>(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Closes what has been silent past the rules: open ones after `close_after`, pending
/// ones after `pending_after`.
fn close_silent(
    tx: &Transaction,
    team: Option<i64>,
    rules: &Effective,
    now: i64,
    touched: &mut Vec<i64>,
) -> EngineResult<(usize, Vec<i64>)> {
    let open_before = rules.close_after.map_or(i64::MIN, |ms| now - ms);
    let pending_before = rules.pending_after.map(|ms| now - ms);
    let found = ids(
        tx,
        "SELECT id FROM conversations WHERE team_id IS ?1
           AND ((status IN ('waiting', 'active') AND last_message_at < ?2)
             OR (status = 'pending' AND ?3 IS NOT NULL AND last_message_at < ?3))
         ORDER BY id LIMIT ?4",
        team,
        open_before,
        pending_before,
    )?;
    let (mut holders, mut closed) = (Vec::new(), 0);
    for id in found {
        let Some(c) = conversations::conversation_by_id(tx, id)? else { continue };
        closed += 1;
        queue_closing_message(tx, &c, &rules.closing_message)?;
        conversations::close(tx, id, None, "")?;
        system_message(tx, id, c.channel_id, "closed:auto")?;
        super::survey::offer(tx, &c, now)?;
        holders.extend(c.agent_id);
        touched.push(id);
    }
    Ok((closed, holders))
}

/// Warns, once per silence, the open conversations that will close soon.
fn warn_silent(
    tx: &Transaction,
    team: Option<i64>,
    rules: &Effective,
    now: i64,
    touched: &mut Vec<i64>,
) -> EngineResult<usize> {
    let Some((after, message)) = &rules.warn_after else { return Ok(0) };
    let found = ids(
        tx,
        "SELECT c.id FROM conversations c LEFT JOIN inactivity_warnings w ON w.conversation_id = c.id
         WHERE c.team_id IS ?1 AND c.status IN ('waiting', 'active') AND c.last_message_at < ?2
           AND (w.warned_at IS NULL OR w.warned_at < c.last_message_at) AND ?3 IS NULL
         ORDER BY c.id LIMIT ?4",
        team,
        now - after,
        None,
    )?;
    for id in &found {
        let Some(c) = conversations::conversation_by_id(tx, *id)? else { continue };
        queue_closing_message(tx, &c, message)?;
        tx.execute(
            "INSERT INTO inactivity_warnings (conversation_id, warned_at) VALUES (?1, ?2)
             ON CONFLICT(conversation_id) DO UPDATE SET warned_at = excluded.warned_at",
            params![id, now],
        )?;
        system_message(tx, *id, c.channel_id, "inactivity-warned")?;
        touched.push(*id);
    }
    Ok(found.len())
}

/// One notification per team while its queue holds conversations nobody took in time;
/// while it is unread, a new oldest stuck conversation counts on it. True for a new one.
fn alert_unassigned(tx: &Transaction, team: i64, rules: &Effective, now: i64) -> EngineResult<bool> {
    let Some(after) = rules.alert_after else { return Ok(false) };
    let (waiting, oldest): (i64, Option<i64>) = tx.query_row(
        "SELECT count(*), min(id) FROM conversations WHERE team_id = ?1 AND status = 'waiting' AND queued_at < ?2",
        params![team, now - after],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let Some(oldest) = oldest else { return Ok(false) };
    let details = json!({ "waiting": waiting, "minutes": after / 60_000 });
    let raised = super::notices::unassigned(tx, team, oldest, details)?;
    Ok(raised.fresh && raised.count == 1)
}

/// Gives back to the queue the conversations whose customer has waited for their
/// agent's answer past the limit (counted from the customer's message or the
/// assignment, whichever came later); a system line and the audit log say so.
fn give_back(
    tx: &Transaction,
    team: i64,
    rules: &Effective,
    now: i64,
    touched: &mut Vec<i64>,
) -> EngineResult<Vec<i64>> {
    let Some(after) = rules.give_back_after else { return Ok(vec![]) };
    let found = ids(
        tx,
        "SELECT id FROM conversations WHERE team_id IS ?1 AND status = 'active' AND agent_id IS NOT NULL
           AND last_inbound_at IS NOT NULL AND last_inbound_at >= last_message_at
           AND max(last_inbound_at, coalesce(assigned_at, 0)) < ?2 AND ?3 IS NULL
         ORDER BY id LIMIT ?4",
        Some(team),
        now - after,
        None,
    )?;
    let mut holders = Vec::new();
    for id in found {
        let Some(c) = conversations::conversation_by_id(tx, id)? else { continue };
        let Some(agent) = c.agent_id else { continue };
        conversations::requeue(tx, id, Some(team))?;
        system_message(tx, id, c.channel_id, &format!("gave-back:{agent}"))?;
        let details = json!({ "agent_id": agent, "minutes": after / 60_000 });
        audit::record(tx, None, "conversation.give_back", &format!("conversation:{id}"), &details, "")?;
        holders.push(agent);
        touched.push(id);
    }
    Ok(holders)
}

impl Engine {
    /// Closes what has been idle too long at `now`; returns how many closed.
    pub async fn auto_close_idle(&self, now: i64) -> EngineResult<usize> {
        Ok(self.inactivity(now).await?.closed)
    }

    /// One inactivity pass at `now` over every team's rules (and the company's for
    /// conversations without a team).
    pub async fn inactivity(&self, now: i64) -> EngineResult<Swept> {
        let (swept, events) = self
            .write(move |tx| {
                let company = settings::load(tx)?;
                let mut groups = vec![(None, effective(None, company.auto_close_minutes, &company.closing_message))];
                for (team, rules) in team_rules::all_rules(tx)? {
                    let rules =
                        effective(rules.inactivity.as_ref(), company.auto_close_minutes, &company.closing_message);
                    groups.push((Some(team), rules));
                }
                let (mut swept, mut holders, mut requeued, mut touched) =
                    (Swept::default(), Vec::new(), Vec::new(), Vec::new());
                for (team, rules) in &groups {
                    let (closed, freed) = close_silent(tx, *team, rules, now, &mut touched)?;
                    swept.closed += closed;
                    holders.extend(freed);
                    swept.warned += warn_silent(tx, *team, rules, now, &mut touched)?;
                    let Some(team) = *team else { continue };
                    swept.alerts += usize::from(alert_unassigned(tx, team, rules, now)?);
                    let back = give_back(tx, team, rules, now, &mut touched)?;
                    if !back.is_empty() {
                        requeued.push(team);
                    }
                    swept.given_back += back.len();
                    holders.extend(back);
                }
                let mut events = Vec::new();
                for id in touched {
                    events.push(super::service::conversation_event(&super::service::load(tx, id)?));
                }
                for team in requeued {
                    events.extend(route_team(tx, team)?);
                }
                events.extend(route_teams_of(tx, &holders)?);
                Ok((swept, events))
            })
            .await?;
        self.publish_all(events);
        Ok(swept)
    }
}
