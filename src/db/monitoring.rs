//! What "Monitoramento" shows: every agent with their status and load, every team's
//! queue with its thresholds, and the open conversations (filtered). Five queries
//! whatever the size of the floor; the pause clock and the "over" marks are computed
//! here so the page only draws. And a conversation as a supervisor's confirmation of a
//! transfer or a classified finish shows it.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::conversation_pane::{reasons, transfer_choices, Named, TeamAgents};
use super::monitoring_thresholds::Thresholds;
use super::tabulations::Reason;
use super::DbResult;
use crate::domain::pause::{minutes_seconds, PauseClock};

/// Conversations listed at most; the count says how many match.
const SHOWN: i64 = 200;

/// The statuses the list can be filtered by: a conversation's, and `survey` for a
/// closed one whose survey is still open.
pub const STATUSES: [&str; 5] = ["waiting", "active", "pending", "bot", "survey"];

#[derive(Debug, Serialize)]
pub struct AgentRow {
    pub id: i64,
    pub name: String,
    pub status: String,
    /// When the current status began (the open status span), and how long ago.
    pub since: Option<i64>,
    pub in_status: i64,
    pub pause: Option<PauseNow>,
    pub conversations: i64,
    pub capacity: i64,
    pub last_activity: Option<i64>,
    pub teams: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct PauseNow {
    pub name: String,
    pub started_at: i64,
    /// What a cumulative pause had already used today (the page's clock counts on).
    pub used_before: i64,
    pub limit: i64,
    /// As the top bar's clock writes them ("12:34 / 15:00").
    pub elapsed_text: String,
    pub limit_text: String,
    pub over: bool,
}

#[derive(Debug, Serialize)]
pub struct QueueRow {
    pub team_id: i64,
    pub name: String,
    pub waiting: i64,
    pub oldest_queued_at: Option<i64>,
    /// How long the oldest has waited.
    pub longest_wait: i64,
    /// 0: no limit.
    pub limit: i64,
    pub over: bool,
    pub in_bot: i64,
    pub in_survey: i64,
    /// The team's thresholds on this page, and whether the queue passes each.
    pub thresholds: Thresholds,
    pub wait_over: bool,
    pub count_over: bool,
}

#[derive(Debug, Serialize)]
pub struct OpenRow {
    pub id: i64,
    pub protocol: String,
    pub contact: String,
    pub team: Option<String>,
    pub agent: Option<String>,
    pub channel: String,
    pub channel_kind: String,
    /// One of `STATUSES`.
    pub status: String,
    /// Since when it waits (in a queue), is handled (by an agent), is with the bot or in
    /// the survey.
    pub since: i64,
    pub lasted: i64,
    /// Its team requires a classification: "Finalizar" asks for one first.
    pub require_tabulation: bool,
}

/// What the list is filtered by, already checked.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Filter {
    pub team: Option<i64>,
    pub agent: Option<i64>,
    pub channel: Option<i64>,
    pub status: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct Monitor {
    pub agents: Vec<AgentRow>,
    pub queues: Vec<QueueRow>,
    pub open: Vec<OpenRow>,
    pub open_total: i64,
    pub channels: Vec<Choice>,
    pub now: i64,
}

impl Monitor {
    /// `day_start`: where today's pauses begin (a cumulative pause counts them).
    pub fn load(conn: &Connection, filter: &Filter, now: i64, day_start: i64) -> DbResult<Monitor> {
        let mut agents = agents(conn, now, day_start)?;
        let ids: Vec<i64> = agents.iter().map(|a| a.id).collect();
        let mut teams = super::users::team_names_of_users(conn, &ids)?;
        for a in &mut agents {
            a.teams = teams.remove(&a.id).unwrap_or_default();
        }
        let (open, open_total) = open(conn, filter, now)?;
        Ok(Monitor { agents, queues: queues(conn, now)?, open, open_total, channels: channels(conn)?, now })
    }
}

/// Agents: active users who are agents or members of a team. The pause and its
/// earlier takes today come in the same row.
pub(crate) fn agents(conn: &Connection, now: i64, day_start: i64) -> DbResult<Vec<AgentRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.id, u.name, u.status, u.capacity,
                (SELECT s.started_at FROM status_spans s WHERE s.user_id = u.id AND s.ended_at IS NULL),
                (SELECT count(*) FROM conversations c WHERE c.agent_id = u.id AND c.status = 'active'),
                max(coalesce(u.last_assigned_at, 0), coalesce((SELECT max(c.last_message_at) FROM conversations c
                    WHERE c.agent_id = u.id AND c.status IN ('active', 'pending')), 0)),
                p.name, ap.started_at, p.max_minutes,
                CASE WHEN p.cumulative THEN (SELECT coalesce(sum(e.ended_at - e.started_at), 0) FROM agent_pauses e
                    WHERE e.user_id = u.id AND e.pause_id = p.id AND e.ended_at IS NOT NULL AND e.started_at >= ?2)
                ELSE 0 END
         FROM users u
         LEFT JOIN agent_pauses ap ON ap.user_id = u.id AND ap.ended_at IS NULL AND u.status = 'paused'
         LEFT JOIN pauses p ON p.id = ap.pause_id
         WHERE u.active = 1 AND (u.role = 'agent' OR EXISTS (SELECT 1 FROM team_members m WHERE m.user_id = u.id))
         GROUP BY u.id
         ORDER BY CASE u.status WHEN 'paused' THEN 0 WHEN 'online' THEN 1 ELSE 2 END, u.name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map(params![now, day_start], |r| agent_row(r, now))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn agent_row(r: &Row, now: i64) -> rusqlite::Result<AgentRow> {
    let pause = match (r.get::<_, Option<String>>(7)?, r.get::<_, Option<i64>>(8)?) {
        (Some(name), Some(started_at)) => {
            let clock = PauseClock::new(started_at, r.get(10)?, r.get(9)?);
            Some(PauseNow {
                name,
                started_at,
                used_before: clock.used_before,
                limit: clock.limit,
                elapsed_text: minutes_seconds(clock.elapsed(now)),
                limit_text: minutes_seconds(clock.limit),
                over: clock.is_over(now),
            })
        }
        _ => None,
    };
    let (last, since): (i64, Option<i64>) = (r.get(6)?, r.get(4)?);
    Ok(AgentRow {
        id: r.get(0)?,
        name: r.get(1)?,
        status: r.get(2)?,
        capacity: r.get(3)?,
        since,
        in_status: since.map_or(0, |s| now - s),
        conversations: r.get(5)?,
        last_activity: (last > 0).then_some(last),
        pause,
        teams: Vec::new(),
    })
}

pub(crate) fn queues(conn: &Connection, now: i64) -> DbResult<Vec<QueueRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.name, t.queue_limit,
                (SELECT count(*) FROM conversations c WHERE c.team_id = t.id AND c.status = 'waiting'),
                (SELECT min(c.queued_at) FROM conversations c WHERE c.team_id = t.id AND c.status = 'waiting'),
                (SELECT count(*) FROM conversations c WHERE c.team_id = t.id AND c.status = 'bot'),
                (SELECT count(*) FROM surveys s JOIN conversations c ON c.id = s.conversation_id WHERE c.team_id = t.id),
                h.longest_wait_seconds, h.waiting_count
         FROM teams t LEFT JOIN monitoring_thresholds h ON h.team_id = t.id
         WHERE t.active = 1 ORDER BY t.name COLLATE NOCASE",
    )?;
    let rows = stmt
        .query_map([], |r| {
            let (limit, waiting, oldest): (i64, i64, Option<i64>) = (r.get(2)?, r.get(3)?, r.get(4)?);
            let thresholds = Thresholds { longest_wait_seconds: r.get(7)?, waiting_count: r.get(8)? };
            let longest_wait = oldest.map_or(0, |o| now - o);
            let (wait_over, count_over) = thresholds.passed(waiting, longest_wait);
            Ok(QueueRow {
                team_id: r.get(0)?,
                name: r.get(1)?,
                waiting,
                oldest_queued_at: oldest,
                longest_wait,
                limit,
                over: limit > 0 && waiting > limit,
                in_bot: r.get(5)?,
                in_survey: r.get(6)?,
                thresholds,
                wait_over,
                count_over,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The open conversations and those in the survey, as one list: `?1`…`?4` the filter
/// (NULL: any).
const OPEN: &str = "
    WITH listed AS (
        SELECT c.id, c.protocol, c.contact_id, c.team_id, c.agent_id, c.channel_id, c.status,
               CASE c.status WHEN 'waiting' THEN c.queued_at WHEN 'bot' THEN c.opened_at
                             ELSE coalesce(c.assigned_at, c.opened_at) END AS since
        FROM conversations c WHERE c.status != 'closed'
        UNION ALL
        SELECT c.id, c.protocol, c.contact_id, c.team_id, c.agent_id, c.channel_id, 'survey', s.asked_at
        FROM surveys s JOIN conversations c ON c.id = s.conversation_id
    )
    SELECT l.id, l.protocol, ct.name, t.name, u.name, ch.name, ch.kind, l.status, l.since, count(*) OVER (),
           coalesce(t.require_tabulation, 0)
    FROM listed l JOIN contacts ct ON ct.id = l.contact_id JOIN channels ch ON ch.id = l.channel_id
    LEFT JOIN teams t ON t.id = l.team_id LEFT JOIN users u ON u.id = l.agent_id
    WHERE (?1 IS NULL OR l.team_id = ?1) AND (?2 IS NULL OR l.agent_id = ?2)
      AND (?3 IS NULL OR l.channel_id = ?3) AND (?4 IS NULL OR l.status = ?4)
    ORDER BY CASE l.status WHEN 'waiting' THEN 0 ELSE 1 END, l.since, l.id
    LIMIT ?5";

fn open(conn: &Connection, f: &Filter, now: i64) -> DbResult<(Vec<OpenRow>, i64)> {
    let mut stmt = conn.prepare_cached(OPEN)?;
    let mut total = 0;
    let rows = stmt
        .query_map(params![f.team, f.agent, f.channel, f.status, SHOWN], |r| {
            total = r.get(9)?;
            Ok(OpenRow {
                id: r.get(0)?,
                protocol: r.get(1)?,
                contact: r.get(2)?,
                team: r.get(3)?,
                agent: r.get(4)?,
                channel: r.get(5)?,
                channel_kind: r.get(6)?,
                status: r.get(7)?,
                since: r.get(8)?,
                lasted: now - r.get::<_, i64>(8)?,
                require_tabulation: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, total))
}

fn channels(conn: &Connection) -> DbResult<Vec<Choice>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM channels ORDER BY name COLLATE NOCASE")?;
    let rows =
        stmt.query_map([], |r| Ok(Choice { id: r.get(0)?, name: r.get(1)? }))?.collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A conversation as a supervisor's confirmation shows it ("Transferir", "Finalizar"
/// with a classification), with its form's choices: the team's active reasons and
/// sub-reasons, and the active teams with their agents.
#[derive(Debug, Serialize)]
pub struct Confirming {
    pub id: i64,
    pub protocol: String,
    pub contact: String,
    pub status: String,
    pub channel_kind: String,
    pub team: Option<String>,
    pub team_id: Option<i64>,
    pub agent: Option<String>,
    pub require_tabulation: bool,
    pub reasons: Vec<Reason>,
    pub teams: Vec<Named>,
    pub team_agents: Vec<TeamAgents>,
}

impl Confirming {
    pub fn load(conn: &Connection, id: i64) -> DbResult<Option<Confirming>> {
        let mut stmt = conn.prepare_cached(
            "SELECT c.id, c.protocol, ct.name, c.status, ch.kind, t.name, c.team_id, u.name, coalesce(t.require_tabulation, 0)
             FROM conversations c JOIN contacts ct ON ct.id = c.contact_id JOIN channels ch ON ch.id = c.channel_id
             LEFT JOIN teams t ON t.id = c.team_id LEFT JOIN users u ON u.id = c.agent_id WHERE c.id = ?1",
        )?;
        let found = stmt
            .query_row([id], |r| {
                Ok(Confirming {
                    id: r.get(0)?,
                    protocol: r.get(1)?,
                    contact: r.get(2)?,
                    status: r.get(3)?,
                    channel_kind: r.get(4)?,
                    team: r.get(5)?,
                    team_id: r.get(6)?,
                    agent: r.get(7)?,
                    require_tabulation: r.get(8)?,
                    reasons: Vec::new(),
                    teams: Vec::new(),
                    team_agents: Vec::new(),
                })
            })
            .optional()?;
        let Some(mut c) = found else { return Ok(None) };
        if let Some(team) = c.team_id {
            c.reasons = reasons(conn, team)?;
        }
        (c.teams, c.team_agents) = transfer_choices(conn)?;
        Ok(Some(c))
    }
}
