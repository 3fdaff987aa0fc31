//! The filters the summary reports share (reasons, agents, service level): a period of
//! at most 31 days in the company's zone, by the same rule as the history, and a team.

use rocket::form::FromForm;
use serde::Serialize;

use super::criteria::{text, FieldErrors};
use super::history::today;
use crate::db::reports::options::Choice;
use crate::db::reports::Window;
use crate::db::{settings, DbResult};
use crate::domain::report_period::{self, Period};

/// The form as typed.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct PeriodQuery {
    pub from: Option<String>,
    pub until: Option<String>,
    pub team: Option<String>,
}

/// The checked filters.
#[derive(Debug, Clone, Copy)]
pub struct PeriodTeam {
    pub period: Period,
    pub team_id: Option<i64>,
}

impl PeriodQuery {
    /// The filters as `name=value` pairs: links that keep them, the audit entry.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        [("from", text(&self.from)), ("until", text(&self.until)), ("team", text(&self.team))]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .collect()
    }

    pub fn check(&self, today: chrono::NaiveDate, tz: chrono_tz::Tz) -> Result<PeriodTeam, FieldErrors> {
        let mut errors = FieldErrors::new();
        let period = report_period::resolve(&text(&self.from), &text(&self.until), today, tz)
            .map_err(|e| errors.insert(e.field.into(), e.key.into()))
            .ok();
        let team_id = match text(&self.team).as_str() {
            "" => None,
            typed => match typed.parse::<i64>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    errors.insert("team".into(), "reports-bad-choice".into());
                    None
                }
            },
        };
        match (period, errors.is_empty()) {
            (Some(period), true) => Ok(PeriodTeam { period, team_id }),
            _ => Err(errors),
        }
    }

    /// Checked with the company's zone; the form as typed, its days filled in when
    /// they were left empty and the period holds.
    pub fn checked(&self, conn: &rusqlite::Connection) -> DbResult<(PeriodQuery, Result<PeriodTeam, FieldErrors>)> {
        let tz = settings::load(conn)?.zone();
        let checked = self.check(today(tz), tz);
        let mut shown =
            PeriodQuery { from: Some(text(&self.from)), until: Some(text(&self.until)), team: Some(text(&self.team)) };
        if let Ok(c) = &checked {
            let day = |d: chrono::NaiveDate| Some(d.format("%Y-%m-%d").to_string());
            (shown.from, shown.until) = (day(c.period.from), day(c.period.until));
        }
        Ok((shown, checked))
    }
}

/// The teams a summary report's filter offers.
pub fn team_choices(conn: &rusqlite::Connection) -> DbResult<Vec<Choice>> {
    let all = crate::db::teams::all_teams(conn)?;
    Ok(all.into_iter().map(|t| Choice { id: t.id, name: t.name, group: String::new() }).collect())
}

impl PeriodTeam {
    /// The period and team as the read models take them.
    pub fn window(&self) -> Window {
        Window { from_ms: self.period.from_ms, until_ms: self.period.until_ms, team_id: self.team_id }
    }

    /// The history of the same period and team, narrowed by `extra` (`agent=3`).
    pub fn history_link(&self, extra: &[(&str, i64)]) -> String {
        let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        super::figures::history_link(&day(self.period.from), &day(self.period.until), self.team_id, extra)
    }

    /// The period's days for a file name: `2026-03-01_2026-03-31`.
    pub fn days(&self) -> String {
        format!("{}_{}", self.period.from.format("%Y-%m-%d"), self.period.until.format("%Y-%m-%d"))
    }
}
