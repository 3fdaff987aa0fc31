//! The choices of a report's filter form, limited to what the viewer may see: their
//! teams (or every team), the people of those teams, the channels, those teams'
//! reasons and sub-reasons, and their tags. Five queries.

use rusqlite::Connection;
use serde::Serialize;

use super::Scope;
use crate::db::DbResult;

#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
    /// What it belongs to: a channel's kind, a sub-reason's reason.
    pub group: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FilterOptions {
    pub teams: Vec<Choice>,
    pub agents: Vec<Choice>,
    pub channels: Vec<Choice>,
    pub reasons: Vec<Choice>,
    pub sub_reasons: Vec<Choice>,
    pub tags: Vec<Choice>,
}

/// The teams the viewer's reports cover (`?1` user, `?2` sees every team).
const TEAMS: &str = "(SELECT id FROM teams WHERE ?2 OR (SELECT history_scope FROM users WHERE id = ?1) = 'all'
    OR id IN (SELECT team_id FROM team_members WHERE user_id = ?1))";

/// Choices read by `sql`, in which `{TEAMS}` stands for the viewer's teams.
fn choices(conn: &Connection, scope: Option<Scope>, sql: &str) -> DbResult<Vec<Choice>> {
    let mut stmt = conn.prepare(&sql.replace("{TEAMS}", TEAMS))?;
    let args: Vec<rusqlite::types::Value> = match scope {
        Some(s) => vec![s.user_id.into(), s.sees_all.into()],
        None => Vec::new(),
    };
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
        Ok(Choice { id: r.get(0)?, name: r.get(1)?, group: r.get(2)? })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub fn filter_options(conn: &Connection, scope: Scope) -> DbResult<FilterOptions> {
    Ok(FilterOptions {
        teams: choices(conn, Some(scope), "SELECT id, name, '' FROM teams WHERE id IN {TEAMS} ORDER BY name COLLATE NOCASE")?,
        agents: choices(
            conn,
            Some(scope),
            "SELECT id, name, '' FROM users WHERE ?2 OR (SELECT history_scope FROM users WHERE id = ?1) = 'all'
               OR id = ?1 OR id IN (SELECT user_id FROM team_members WHERE team_id IN {TEAMS})
             ORDER BY name COLLATE NOCASE",
        )?,
        channels: choices(conn, None, "SELECT id, name, kind FROM channels ORDER BY name COLLATE NOCASE")?,
        reasons: choices(
            conn,
            Some(scope),
            "SELECT tb.id, tb.name, t.name FROM tabulations tb JOIN teams t ON t.id = tb.team_id
             WHERE tb.parent_id IS NULL AND tb.team_id IN {TEAMS} ORDER BY t.name COLLATE NOCASE, tb.name COLLATE NOCASE",
        )?,
        sub_reasons: choices(
            conn,
            Some(scope),
            "SELECT tb.id, tb.name, p.name FROM tabulations tb JOIN tabulations p ON p.id = tb.parent_id
             WHERE tb.team_id IN {TEAMS} ORDER BY p.name COLLATE NOCASE, tb.name COLLATE NOCASE",
        )?,
        tags: choices(
            conn,
            Some(scope),
            "SELECT id, name, '' FROM tags WHERE team_id IS NULL OR team_id IN {TEAMS} ORDER BY name COLLATE NOCASE",
        )?,
    })
}
