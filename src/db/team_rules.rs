//! `team_rules`: a team's own survey switch and inactivity rules (F-EN-5, F-EN-6).
//! A team without a row follows the company's settings.
//! And the service-level target of a team (F-RE-4), or of the company (in the settings).

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::DbResult;
use std::collections::HashMap;

use crate::domain::inactivity::Rules;
use crate::domain::service_level::{self, Target};

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct TeamRules {
    /// `None`: the company's "Pesquisa de satisfação".
    pub survey_enabled: Option<bool>,
    /// `None`: the company's auto-close.
    pub inactivity: Option<Rules>,
}

const COLUMNS: &str = "survey_enabled, own_inactivity, close_minutes, closing_message, warning_minutes,
    warning_message, pending_minutes, unassigned_alert_minutes, give_back_minutes";

fn from_row(r: &Row, at: usize) -> rusqlite::Result<TeamRules> {
    let own: bool = r.get(at + 1)?;
    let rules = Rules {
        close_minutes: r.get(at + 2)?,
        closing_message: r.get(at + 3)?,
        warning_minutes: r.get(at + 4)?,
        warning_message: r.get(at + 5)?,
        pending_minutes: r.get(at + 6)?,
        unassigned_alert_minutes: r.get(at + 7)?,
        give_back_minutes: r.get(at + 8)?,
    };
    Ok(TeamRules { survey_enabled: r.get(at)?, inactivity: own.then_some(rules) })
}

pub fn rules_of(conn: &Connection, team_id: i64) -> DbResult<TeamRules> {
    Ok(conn
        .query_row(&format!("SELECT {COLUMNS} FROM team_rules WHERE team_id = ?1"), [team_id], |r| from_row(r, 0))
        .optional()?
        .unwrap_or_default())
}

/// Every team's rules, the teams without a row included (as defaults).
pub fn all_rules(conn: &Connection) -> DbResult<Vec<(i64, TeamRules)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT t.id, r.team_id IS NOT NULL, {} FROM teams t LEFT JOIN team_rules r ON r.team_id = t.id ORDER BY t.id",
        COLUMNS.split(',').map(|c| format!("r.{}", c.trim())).collect::<Vec<_>>().join(", ")
    ))?;
    let rows = stmt
        .query_map([], |r| {
            let has_row: bool = r.get(1)?;
            Ok((r.get(0)?, if has_row { from_row(r, 2)? } else { TeamRules::default() }))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn save_rules(conn: &Connection, team_id: i64, rules: &TeamRules) -> DbResult<()> {
    let own = rules.inactivity.clone();
    let r = own.clone().unwrap_or_default();
    conn.execute(
        "INSERT INTO team_rules (team_id, survey_enabled, own_inactivity, close_minutes, closing_message,
             warning_minutes, warning_message, pending_minutes, unassigned_alert_minutes, give_back_minutes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT(team_id) DO UPDATE SET survey_enabled = excluded.survey_enabled,
             own_inactivity = excluded.own_inactivity, close_minutes = excluded.close_minutes,
             closing_message = excluded.closing_message, warning_minutes = excluded.warning_minutes,
             warning_message = excluded.warning_message, pending_minutes = excluded.pending_minutes,
             unassigned_alert_minutes = excluded.unassigned_alert_minutes,
             give_back_minutes = excluded.give_back_minutes",
        params![
            team_id,
            rules.survey_enabled,
            own.is_some(),
            r.close_minutes,
            r.closing_message,
            r.warning_minutes,
            r.warning_message,
            r.pending_minutes,
            r.unassigned_alert_minutes,
            r.give_back_minutes
        ],
    )?;
    Ok(())
}

/// The settings' key of the company's service-level target.
const COMPANY_TARGET: &str = "service_level";

/// The company's service-level target, or the default.
pub fn company_target(conn: &Connection) -> DbResult<Target> {
    let text: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [COMPANY_TARGET], |r| r.get(0)).optional()?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or(service_level::DEFAULT))
}

pub fn save_company_target(conn: &Connection, target: Target) -> DbResult<()> {
    let text = serde_json::to_string(&target).unwrap_or_else(|_| "{}".into());
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![COMPANY_TARGET, text],
    )?;
    Ok(())
}

/// The teams with a target of their own.
pub fn team_targets(conn: &Connection) -> DbResult<HashMap<i64, Target>> {
    let mut stmt = conn.prepare(
        "SELECT team_id, service_target_seconds, service_goal_percent FROM team_rules
         WHERE service_target_seconds IS NOT NULL AND service_goal_percent IS NOT NULL",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, Target { seconds: r.get(1)?, goal_percent: r.get(2)? })))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A team's own target, or `None` to follow the company's.
pub fn save_team_target(conn: &Connection, team_id: i64, target: Option<Target>) -> DbResult<()> {
    conn.execute(
        "INSERT INTO team_rules (team_id, service_target_seconds, service_goal_percent) VALUES (?1, ?2, ?3)
         ON CONFLICT(team_id) DO UPDATE SET service_target_seconds = excluded.service_target_seconds,
             service_goal_percent = excluded.service_goal_percent",
        params![team_id, target.map(|t| t.seconds), target.map(|t| t.goal_percent)],
    )?;
    Ok(())
}
