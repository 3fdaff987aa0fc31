//! "Agentes" (F-RE-3): what the agents' report is made of, in five queries whatever the
//! number of agents — the period's closed conversations (each with its holder, who gave
//! the first human reply, its times and its score), the transfers out, the time online
//! and the pauses taken — and the agents the viewer may see.

use rusqlite::{params, Connection};

use super::{closed_in_period, Scope, Window};
use crate::db::DbResult;

/// One closed conversation as the report counts it.
#[derive(Debug, Clone, PartialEq)]
pub struct Handled {
    /// Who held it when it closed (handled it).
    pub agent_id: Option<i64>,
    /// Who gave the first human reply, and how long after it first reached a queue.
    pub first_by: Option<i64>,
    pub first_response_ms: Option<i64>,
    /// From its last assignment to its close.
    pub handling_ms: Option<i64>,
    /// The survey's score and the agent it rated.
    pub score: Option<i64>,
    pub rated: Option<i64>,
}

/// A pause taken, cut to the period (`ended_at` is now for one still running).
#[derive(Debug, Clone, PartialEq)]
pub struct PauseTaken {
    pub user_id: i64,
    pub pause_id: i64,
    pub started_at: i64,
    pub ended_at: i64,
}

/// A pause type: its name, limit in minutes and whether the limit is over the day.
#[derive(Debug, Clone, PartialEq)]
pub struct PauseType {
    pub id: i64,
    pub name: String,
    pub max_minutes: i64,
    pub cumulative: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgentFacts {
    /// (id, name), by name.
    pub agents: Vec<(i64, String)>,
    pub handled: Vec<Handled>,
    /// (agent, conversations they transferred out).
    pub transfers: Vec<(i64, i64)>,
    /// (user, milliseconds online within the period).
    pub online: Vec<(i64, i64)>,
    pub pauses: Vec<PauseTaken>,
    pub pause_types: Vec<PauseType>,
}

/// Agents listed: active agents (of the team asked, and for a viewer who does not see
/// every team, of the viewer's teams), and whoever handled a conversation counted.
fn agents(conn: &Connection, scope: Scope, w: Window, handled: &[Handled]) -> DbResult<Vec<(i64, String)>> {
    let ids = crate::db::json_ids(handled.iter().filter_map(|h| h.agent_id));
    let mut stmt = conn.prepare(
        "SELECT u.id, u.name FROM users u
         WHERE (u.role = 'agent' AND u.active
                AND (?1 IS NULL OR u.id IN (SELECT user_id FROM team_members WHERE team_id = ?1))
                AND (?2 OR u.id = ?3 OR u.id IN (SELECT m.user_id FROM team_members m
                     WHERE m.team_id IN (SELECT team_id FROM team_members WHERE user_id = ?3))))
            OR u.id IN (SELECT value FROM json_each(?4))
         ORDER BY u.name COLLATE NOCASE, u.id",
    )?;
    let rows =
        stmt.query_map(params![w.team_id, scope.sees_all, scope.user_id, ids], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn handled(conn: &Connection, scope: Scope, w: Window) -> DbResult<Vec<Handled>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT c.agent_id, c.first_response_by, c.first_response_at - c.first_queued_at, c.closed_at - c.assigned_at,
                s.score, coalesce(s.agent_id, c.agent_id)
         FROM conversations c LEFT JOIN survey_answers s ON s.conversation_id = c.id
         WHERE {}",
        closed_in_period()
    ))?;
    let rows = stmt.query_map(params![w.from_ms, w.until_ms, w.team_id, scope.user_id, scope.sees_all], |r| {
        Ok(Handled {
            agent_id: r.get(0)?,
            first_by: r.get(1)?,
            first_response_ms: r.get(2)?,
            handling_ms: r.get(3)?,
            score: r.get(4)?,
            rated: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Transfers are the conversation's system lines `transferred:{who}:{team}:{to}`: the
/// one record of them. Counted once per conversation and person who transferred it.
fn transfers(conn: &Connection, scope: Scope, w: Window) -> DbResult<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT who, count(DISTINCT id) FROM (
             SELECT c.id, CAST(substr(m.body, 13, instr(substr(m.body, 13), ':') - 1) AS INTEGER) AS who
             FROM conversations c JOIN messages m ON m.conversation_id = c.id
             WHERE {} AND m.direction = 'system' AND m.body LIKE 'transferred:%')
         GROUP BY who",
        closed_in_period()
    ))?;
    let rows = stmt.query_map(params![w.from_ms, w.until_ms, w.team_id, scope.user_id, scope.sees_all], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Spans of `table` overlapping the period, cut to it, a running one up to `now`.
const OVERLAP: &str = "started_at < ?2 AND (ended_at IS NULL OR ended_at > ?1)";
const CUT: &str = "min(coalesce(ended_at, ?3), ?2) - max(started_at, ?1)";

fn online(conn: &Connection, w: Window, now: i64) -> DbResult<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT user_id, sum(max(0, {CUT})) FROM status_spans WHERE status = 'online' AND {OVERLAP} GROUP BY user_id"
    ))?;
    let rows = stmt.query_map(params![w.from_ms, w.until_ms, now], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn pauses(conn: &Connection, w: Window, now: i64) -> DbResult<(Vec<PauseTaken>, Vec<PauseType>)> {
    let mut stmt = conn.prepare(&format!(
        "SELECT user_id, pause_id, max(started_at, ?1), min(coalesce(ended_at, ?3), ?2) FROM agent_pauses
         WHERE {OVERLAP} ORDER BY started_at"
    ))?;
    let taken = stmt
        .query_map(params![w.from_ms, w.until_ms, now], |r| {
            Ok(PauseTaken { user_id: r.get(0)?, pause_id: r.get(1)?, started_at: r.get(2)?, ended_at: r.get(3)? })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut stmt = conn.prepare(
        "SELECT id, name, max_minutes, cumulative FROM pauses
         WHERE active OR id IN (SELECT value FROM json_each(?1)) ORDER BY name COLLATE NOCASE",
    )?;
    let used = crate::db::json_ids(taken.iter().map(|t| t.pause_id));
    let types = stmt
        .query_map([used], |r| {
            Ok(PauseType { id: r.get(0)?, name: r.get(1)?, max_minutes: r.get(2)?, cumulative: r.get(3)? })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok((taken, types))
}

pub fn agent_facts(conn: &Connection, scope: Scope, w: Window, now: i64) -> DbResult<AgentFacts> {
    let handled = handled(conn, scope, w)?;
    let agents = agents(conn, scope, w, &handled)?;
    let (pauses, pause_types) = pauses(conn, w, now)?;
    Ok(AgentFacts {
        transfers: transfers(conn, scope, w)?,
        online: online(conn, w, now)?,
        agents,
        handled,
        pauses,
        pause_types,
    })
}
