//! "Hoje" on "Monitoramento" (F-AD-11): per team and overall, for the company's day —
//! received, answered (a person replied), abandoned (closed without any human reply)
//! and its share, the share answered within the team's target, the median first
//! response (from the first queue, as the reports count it) and the satisfaction so
//! far. The abandoned and within-target shares are "Nível de serviço"'s, counted by the
//! same rules (`domain::service_level`) over the same conversations, so the panel and
//! the report agree for the same day.

use std::collections::HashMap;

use rusqlite::Connection;
use serde::Serialize;

use super::figures::{decimal, percent, share};
use crate::db::reports::today::{today_facts, TodayFacts};
use crate::db::DbResult;
use crate::domain::percentile::median_p90;
use crate::domain::service_level::{target_for, wait_end, Tally, Target};

/// One line of the panel: a team's (`team_id`), or the whole floor's.
#[derive(Debug, Default, Serialize)]
pub struct TodayRow {
    pub team_id: Option<i64>,
    pub name: String,
    pub received: i64,
    pub answered: i64,
    pub abandoned: i64,
    pub abandoned_share: String,
    pub within_share: String,
    /// The target the share is measured against, and whether its goal is met.
    pub target_seconds: i64,
    pub goal_percent: i64,
    pub goal_met: Option<bool>,
    pub median_first_response: Option<i64>,
    /// The average score (1 to 5) with the reader's decimal mark, and of how many.
    pub satisfaction: Option<String>,
    pub answers: i64,
}

#[derive(Debug, Serialize)]
pub struct Today {
    pub teams: Vec<TodayRow>,
    pub overall: TodayRow,
}

/// What is added up for one line.
#[derive(Default)]
struct Sums {
    received: i64,
    answered: i64,
    tally: Tally,
    first_responses: Vec<i64>,
    answers: i64,
    score_sum: i64,
}

impl Sums {
    fn row(mut self, team_id: Option<i64>, name: String, target: Target, lang: &str) -> TodayRow {
        let within = share(self.tally.within, self.tally.queued);
        TodayRow {
            team_id,
            name,
            received: self.received,
            answered: self.answered,
            abandoned: self.tally.abandoned,
            abandoned_share: percent(share(self.tally.abandoned, self.tally.queued), lang),
            within_share: percent(within, lang),
            target_seconds: target.seconds,
            goal_percent: target.goal_percent,
            goal_met: within.map(|v| v >= target.goal_percent as f64),
            median_first_response: median_p90(&mut self.first_responses).map(|(median, _)| median),
            satisfaction: (self.answers > 0).then(|| decimal(self.score_sum as f64 / self.answers as f64, lang)),
            answers: self.answers,
        }
    }
}

fn add_up(facts: &TodayFacts) -> (HashMap<Option<i64>, Sums>, Sums) {
    let (mut by_team, mut all) = (HashMap::<Option<i64>, Sums>::new(), Sums::default());
    for a in &facts.arrivals {
        for s in [by_team.entry(a.team_id).or_default(), &mut all] {
            s.received += i64::from(a.received);
            s.answered += i64::from(a.answered);
            s.first_responses.extend(a.first_response_ms);
        }
    }
    for w in &facts.waited {
        let target = target_for(w.team_id, &facts.team_targets, facts.company_target);
        let wait = wait_end(w.first_queued_at, w.first_response_at, w.closed_at) - w.first_queued_at;
        for s in [by_team.entry(w.team_id).or_default(), &mut all] {
            s.tally.add(w.first_response_at.is_some(), wait, target);
        }
    }
    for sc in &facts.scores {
        for s in [by_team.entry(sc.team_id).or_default(), &mut all] {
            s.answers += sc.answers;
            s.score_sum += sc.sum;
        }
    }
    (by_team, all)
}

/// The panel for the day `[from, until)`, one line per team of `teams` (id, name).
pub fn today(conn: &Connection, teams: &[(i64, String)], from: i64, until: i64, lang: &str) -> DbResult<Today> {
    let facts = today_facts(conn, from, until)?;
    let (mut by_team, all) = add_up(&facts);
    let rows = teams
        .iter()
        .map(|(id, name)| {
            let target = target_for(Some(*id), &facts.team_targets, facts.company_target);
            by_team.remove(&Some(*id)).unwrap_or_default().row(Some(*id), name.clone(), target, lang)
        })
        .collect();
    Ok(Today { teams: rows, overall: all.row(None, String::new(), facts.company_target, lang) })
}
