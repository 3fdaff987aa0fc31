//! "Nível de serviço" (F-RE-4): the period's closed conversations that reached a queue,
//! each with its team, channel and the instants its wait is measured by, in one query;
//! the channels, their schedule groups and the targets in a few more.

use std::collections::HashMap;

use rusqlite::{params, Connection};

use super::{closed_in_period, Scope, Window};
use crate::db::{schedules, team_rules, DbResult};
use crate::domain::schedule::Schedule;
use crate::domain::service_level::Target;

#[derive(Debug, Clone, PartialEq)]
pub struct Waited {
    pub team_id: Option<i64>,
    pub channel_id: i64,
    pub first_queued_at: i64,
    /// The first human reply; none for an abandoned conversation.
    pub first_response_at: Option<i64>,
    pub closed_at: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChannelName {
    pub id: i64,
    pub kind: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct ServiceFacts {
    pub waited: Vec<Waited>,
    pub channels: Vec<ChannelName>,
    /// Each channel's schedule group (teams have none: a channel's hours are when the
    /// company answers there), for waits counted in business hours only.
    pub schedules: HashMap<i64, Schedule>,
    pub company_target: Target,
    pub team_targets: HashMap<i64, Target>,
}

pub(crate) fn waited(conn: &Connection, scope: Scope, w: Window) -> DbResult<Vec<Waited>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT c.team_id, c.channel_id, c.first_queued_at, c.first_response_at, c.closed_at
         FROM conversations c WHERE {} AND c.first_queued_at IS NOT NULL",
        closed_in_period()
    ))?;
    let rows = stmt.query_map(params![w.from_ms, w.until_ms, w.team_id, scope.user_id, scope.sees_all], |r| {
        Ok(Waited {
            team_id: r.get(0)?,
            channel_id: r.get(1)?,
            first_queued_at: r.get(2)?,
            first_response_at: r.get(3)?,
            closed_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn channels(conn: &Connection) -> DbResult<Vec<ChannelName>> {
    let mut stmt = conn.prepare("SELECT id, kind, name FROM channels ORDER BY name COLLATE NOCASE, id")?;
    let rows = stmt.query_map([], |r| Ok(ChannelName { id: r.get(0)?, kind: r.get(1)?, name: r.get(2)? }))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The schedule group of each channel that has one (a handful of channels).
fn channel_schedules(conn: &Connection) -> DbResult<HashMap<i64, Schedule>> {
    let mut stmt = conn.prepare("SELECT id, schedule_group_id FROM channels WHERE schedule_group_id IS NOT NULL")?;
    let pairs =
        stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?.collect::<Result<Vec<_>, _>>()?;
    let mut out = HashMap::new();
    for (channel, group) in pairs {
        if let Some(s) = schedules::schedule_of(conn, group)? {
            out.insert(channel, s);
        }
    }
    Ok(out)
}

pub fn service_facts(conn: &Connection, scope: Scope, w: Window) -> DbResult<ServiceFacts> {
    Ok(ServiceFacts {
        waited: waited(conn, scope, w)?,
        channels: channels(conn)?,
        schedules: channel_schedules(conn)?,
        company_target: team_rules::company_target(conn)?,
        team_targets: team_rules::team_targets(conn)?,
    })
}
