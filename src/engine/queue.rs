//! The team's queue limit (0 = no limit) and its overflow team. A new conversation that
//! would queue in a team whose waiting queue is at the limit goes to the overflow team
//! when that has room; otherwise it still waits in the full team: a customer's message
//! is never dropped. The contact is told so with the team's "fila cheia" message, and
//! administrators get one notice per crossing. Everything here runs inside the caller's
//! write transaction (`BEGIN IMMEDIATE`), so counting and queueing cannot interleave
//! with another visitor's.

use rusqlite::Transaction;
use serde_json::json;

use super::service::notify_contact;
use super::EngineResult;
use crate::db::teams::{self, Team};
use crate::db::{audit, conversations};
use crate::domain::message_template::fill_variables;

/// Where a new conversation waits, and the full team it was meant for, if any.
#[derive(Debug)]
pub(crate) struct Placement {
    pub team_id: Option<i64>,
    /// The team whose queue was at its limit: its message tells the contact.
    pub full: Option<Team>,
}

fn has_room(tx: &Transaction, team: &Team) -> EngineResult<bool> {
    Ok(team.queue_limit <= 0 || conversations::waiting_count(tx, team.id)? < team.queue_limit)
}

/// Chooses the queue for a new conversation meant for `team_id`.
///
/// Overflow follows one hop only: the overflow team's own overflow team is never
/// followed, so no chain of settings can loop. When the overflow team is full too (or
/// inactive), the conversation waits in the team it was meant for, over that team's
/// limit: a team's queue only goes over its limit with conversations meant for it, and
/// they wait with the agents of the right team.
pub(crate) fn place(tx: &Transaction, team_id: Option<i64>) -> EngineResult<Placement> {
    let Some(team) = team_id.map(|id| teams::team_by_id(tx, id)).transpose()?.flatten() else {
        return Ok(Placement { team_id, full: None });
    };
    if has_room(tx, &team)? {
        return Ok(Placement { team_id, full: None });
    }
    let overflow = match team.overflow_team_id.filter(|o| *o != team.id) {
        Some(id) => teams::team_by_id(tx, id)?.filter(|o| o.active),
        None => None,
    };
    let overflow = match overflow {
        Some(o) if has_room(tx, &o)? => Some(o),
        _ => None,
    };
    note_full(tx, &team, overflow.as_ref())?;
    Ok(Placement { team_id: Some(overflow.map_or(team.id, |o| o.id)), full: Some(team) })
}

/// After a transfer into a team's queue: transfers are never refused or sent elsewhere
/// (the agent chose the team on purpose), but one that puts the queue over its limit
/// notifies administrators like a new conversation does.
pub(crate) fn check_after_transfer(tx: &Transaction, team_id: i64) -> EngineResult<()> {
    if let Some(team) = teams::team_by_id(tx, team_id)? {
        if team.queue_limit > 0 && conversations::waiting_count(tx, team.id)? > team.queue_limit {
            note_full(tx, &team, None)?;
        }
    }
    Ok(())
}

/// Notifies administrators that the team's queue reached its limit: one notification
/// per crossing, counting each conversation that met the full queue while it is
/// unread. The audit log and the server log record the crossing.
fn note_full(tx: &Transaction, team: &Team, overflow: Option<&Team>) -> EngineResult<()> {
    let waiting = conversations::waiting_count(tx, team.id)?;
    let details = json!({
        "limit": team.queue_limit,
        "waiting": waiting,
        "overflow_team_id": overflow.map(|o| o.id),
    });
    let raised = super::notices::queue_full(tx, team.id, details.clone())?;
    if raised.fresh && raised.count == 1 {
        audit::record(tx, None, "team.queue-full", &format!("team:{}", team.id), &details, "")?;
        tracing::warn!(
            team = %team.name,
            limit = team.queue_limit,
            waiting,
            overflow = overflow.map(|o| o.name.as_str()),
            "queue reached its limit"
        );
    }
    Ok(())
}

/// The "fila cheia" text of a team for the contact at `position`: the team's own text,
/// or the default one in the company's language.
fn queue_full_text(team: &Team, position: i64, lang: &str) -> String {
    let text = match team.queue_full_message.trim() {
        "" => crate::i18n::translate(lang, "floor-queue-full-notice"),
        own => own.to_string(),
    };
    fill_variables(&text, &[("posicao", &position.to_string())])
}

/// Tells the contact of a conversation still waiting that the queue was full, with its
/// place in the queue, through the outbox. A conversation already given to an agent
/// waits for nothing and is told nothing.
pub(crate) fn tell_queue_full(
    tx: &Transaction,
    conversation_id: i64,
    channel_id: i64,
    full: &Team,
    lang: &str,
) -> EngineResult<()> {
    let Some(position) = conversations::queue_position(tx, conversation_id)? else {
        return Ok(());
    };
    notify_contact(tx, conversation_id, channel_id, &queue_full_text(full, position, lang))?;
    Ok(())
}
