//! "Hoje" on "Monitoramento": the facts of the company's day in a fixed number of
//! queries — the conversations closed today that reached a queue (the service level's
//! own query, so the panel and "Nível de serviço" count the same), those received or
//! first answered today, today's survey answers by team, and the targets.

use std::collections::HashMap;

use rusqlite::{params, Connection};

use super::service::{waited, Waited};
use super::{Scope, Window};
use crate::db::{team_rules, DbResult};
use crate::domain::service_level::Target;

/// A conversation received today, or first answered by a person today.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrival {
    pub team_id: Option<i64>,
    pub received: bool,
    pub answered: bool,
    /// From its first queue to the first human reply, when that reply was today.
    pub first_response_ms: Option<i64>,
}

/// Today's survey answers of one team (or of none).
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    pub team_id: Option<i64>,
    pub answers: i64,
    pub sum: i64,
}

#[derive(Debug, Clone)]
pub struct TodayFacts {
    pub waited: Vec<Waited>,
    pub arrivals: Vec<Arrival>,
    pub scores: Vec<Scores>,
    pub company_target: Target,
    pub team_targets: HashMap<i64, Target>,
}

fn arrivals(conn: &Connection, from: i64, until: i64) -> DbResult<Vec<Arrival>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.team_id, c.opened_at >= ?1 AND c.opened_at < ?2,
                c.first_response_at >= ?1 AND c.first_response_at < ?2, c.first_response_at - c.first_queued_at
         FROM conversations c
         WHERE (c.opened_at >= ?1 AND c.opened_at < ?2) OR (c.first_response_at >= ?1 AND c.first_response_at < ?2)",
    )?;
    let rows = stmt.query_map(params![from, until], |r| {
        let answered: bool = r.get::<_, Option<bool>>(2)?.unwrap_or(false);
        Ok(Arrival {
            team_id: r.get(0)?,
            received: r.get(1)?,
            answered,
            first_response_ms: if answered { r.get(3)? } else { None },
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn scores(conn: &Connection, from: i64, until: i64) -> DbResult<Vec<Scores>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.team_id, count(*), sum(a.score) FROM survey_answers a JOIN conversations c ON c.id = a.conversation_id
         WHERE a.answered_at >= ?1 AND a.answered_at < ?2 GROUP BY c.team_id",
    )?;
    let rows = stmt
        .query_map(params![from, until], |r| Ok(Scores { team_id: r.get(0)?, answers: r.get(1)?, sum: r.get(2)? }))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The day `[from, until)`, over every team (monitoring sees the whole floor).
pub fn today_facts(conn: &Connection, from: i64, until: i64) -> DbResult<TodayFacts> {
    let everyone = Scope { user_id: 0, sees_all: true };
    Ok(TodayFacts {
        waited: waited(conn, everyone, Window { from_ms: from, until_ms: until, team_id: None })?,
        arrivals: arrivals(conn, from, until)?,
        scores: scores(conn, from, until)?,
        company_target: team_rules::company_target(conn)?,
        team_targets: team_rules::team_targets(conn)?,
    })
}
