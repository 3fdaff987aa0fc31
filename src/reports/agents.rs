//! "Agentes" (F-RE-3): per agent and period — conversations handled, first response
//! (median and p90, from the first queue to the first human reply, counted for whoever
//! gave it), handling time (median and p90), transfers out, satisfaction (average and
//! share of 4–5), time online, time in each pause type and pauses over their limit; as a
//! table (by name, or sorted by a column), a bar chart that opens each agent's history,
//! and a spreadsheet.

use std::collections::HashMap;

use serde::Serialize;

use super::chart::{bars, Bar, BarChart, Chart, Direction};
use super::criteria::FieldErrors;
use super::figures::{decimal, percent, share};
use super::period::{team_choices, PeriodQuery, PeriodTeam};
use super::sheet::{Cell, Table};
use crate::db::reports::agents::{agent_facts, AgentFacts};
use crate::db::reports::options::Choice;
use crate::db::reports::Scope;
use crate::db::{now_ms, settings, Db, DbResult};
use crate::domain::percentile::median_p90;
use crate::domain::{pause, schedule};
use crate::i18n::translate;

#[derive(Debug, Clone, Default, Serialize)]
pub struct AgentLine {
    pub id: i64,
    pub name: String,
    pub handled: i64,
    pub first_response: Option<(i64, i64)>,
    pub handling: Option<(i64, i64)>,
    pub transfers: i64,
    pub score_average: Option<f64>,
    pub satisfied_share: Option<f64>,
    pub online_ms: i64,
    /// Milliseconds in each pause type, in the order of the page's pause types.
    pub paused_ms: Vec<i64>,
    pub over_limit: i64,
    pub href: String,
}

/// A line as the page shows its figures (the durations go through `duration`).
#[derive(Debug, Serialize)]
pub struct ShownLine {
    #[serde(flatten)]
    pub line: AgentLine,
    pub score: String,
    pub satisfied: String,
    /// The pause types taken, with their time: (name, ms).
    pub paused: Vec<(String, i64)>,
}

#[derive(Debug, Serialize)]
pub struct AgentsPage {
    pub filter: PeriodQuery,
    pub errors: FieldErrors,
    pub teams: Vec<Choice>,
    pub pause_types: Vec<String>,
    pub lines: Vec<ShownLine>,
    pub chart: Option<Chart>,
    pub sort: Sort,
}

/// The columns the table sorts by; by name unless asked.
pub const SORTS: [&str; 7] = ["name", "handled", "first-response", "handling", "transfers", "score", "online"];

#[derive(Debug, Clone, Serialize)]
pub struct Sort {
    pub key: &'static str,
    pub descending: bool,
}

impl Sort {
    pub fn parse(key: Option<&str>, dir: Option<&str>) -> Sort {
        let key = SORTS.iter().copied().find(|k| Some(*k) == key).unwrap_or("name");
        Sort { key, descending: dir == Some("desc") }
    }

    fn apply(&self, lines: &mut [AgentLine]) {
        let first = |l: &AgentLine| l.first_response.map(|f| f.0);
        let handling = |l: &AgentLine| l.handling.map(|h| h.0);
        let number = |l: &AgentLine| match self.key {
            "handled" => Some(l.handled as f64),
            "first-response" => first(l).map(|v| v as f64),
            "handling" => handling(l).map(|v| v as f64),
            "transfers" => Some(l.transfers as f64),
            "score" => l.score_average,
            "online" => Some(l.online_ms as f64),
            _ => None,
        };
        if self.key != "name" {
            lines.sort_by(|a, b| number(a).partial_cmp(&number(b)).unwrap_or(std::cmp::Ordering::Equal));
        }
        if self.descending {
            lines.reverse();
        }
    }
}

/// The lines of every agent listed, by name.
fn lines(facts: &AgentFacts, checked: &PeriodTeam, tz: chrono_tz::Tz) -> Vec<AgentLine> {
    let mut by_id: HashMap<i64, AgentLine> = HashMap::new();
    for (id, name) in &facts.agents {
        let line = AgentLine {
            id: *id,
            name: name.clone(),
            paused_ms: vec![0; facts.pause_types.len()],
            href: checked.history_link(&[("agent", *id)]),
            ..AgentLine::default()
        };
        by_id.insert(*id, line);
    }
    let mut firsts: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut handlings: HashMap<i64, Vec<i64>> = HashMap::new();
    let mut scores: HashMap<i64, Vec<i64>> = HashMap::new();
    for h in &facts.handled {
        if let Some(line) = h.agent_id.and_then(|a| by_id.get_mut(&a)) {
            line.handled += 1;
        }
        if let (Some(by), Some(ms)) = (h.first_by, h.first_response_ms) {
            firsts.entry(by).or_default().push(ms);
        }
        if let (Some(agent), Some(ms)) = (h.agent_id, h.handling_ms) {
            handlings.entry(agent).or_default().push(ms);
        }
        if let (Some(agent), Some(score)) = (h.rated, h.score) {
            scores.entry(agent).or_default().push(score);
        }
    }
    let mut taken: HashMap<(i64, usize), Vec<(chrono::NaiveDate, i64)>> = HashMap::new();
    for p in &facts.pauses {
        let Some(kind) = facts.pause_types.iter().position(|t| t.id == p.pause_id) else { continue };
        if let Some(line) = by_id.get_mut(&p.user_id) {
            let length = (p.ended_at - p.started_at).max(0);
            line.paused_ms[kind] += length;
            let day = schedule::local_day(tz, p.started_at).unwrap_or_default();
            taken.entry((p.user_id, kind)).or_default().push((day, length));
        }
    }
    for ((user, kind), list) in taken {
        let t = &facts.pause_types[kind];
        if let Some(line) = by_id.get_mut(&user) {
            line.over_limit += pause::over_limit(&list, t.max_minutes, t.cumulative) as i64;
        }
    }
    for (user, count) in &facts.transfers {
        if let Some(line) = by_id.get_mut(user) {
            line.transfers = *count;
        }
    }
    for (user, ms) in &facts.online {
        if let Some(line) = by_id.get_mut(user) {
            line.online_ms = *ms;
        }
    }
    for line in by_id.values_mut() {
        line.first_response = firsts.get_mut(&line.id).and_then(|v| median_p90(v));
        line.handling = handlings.get_mut(&line.id).and_then(|v| median_p90(v));
        if let Some(s) = scores.get(&line.id) {
            line.score_average = Some(s.iter().sum::<i64>() as f64 / s.len() as f64);
            let satisfied = s.iter().filter(|v| **v >= 4).count() as i64;
            line.satisfied_share = share(satisfied, s.len() as i64);
        }
    }
    facts.agents.iter().filter_map(|(id, _)| by_id.remove(id)).collect()
}

fn chart(lines: &[AgentLine], lang: &str) -> Chart {
    let bars_of = lines.iter().map(|l| Bar {
        label: l.name.clone(),
        value: l.handled as f64,
        shown: l.handled.to_string(),
        href: Some(l.href.clone()),
    });
    bars(&BarChart {
        title: translate(lang, "reports-agents-chart"),
        category_axis: translate(lang, "reports-col-agent"),
        value_axis: translate(lang, "reports-conversations"),
        bars: bars_of.collect(),
        direction: Direction::Horizontal,
    })
}

/// The facts and the lines of a checked filter, sorted as asked.
fn read(
    conn: &rusqlite::Connection,
    scope: Scope,
    c: &PeriodTeam,
    sort: &Sort,
) -> DbResult<(AgentFacts, Vec<AgentLine>)> {
    let tz = settings::load(conn)?.zone();
    let facts = agent_facts(conn, scope, c.window(), now_ms())?;
    let mut lines = lines(&facts, c, tz);
    sort.apply(&mut lines);
    Ok((facts, lines))
}

pub async fn agents_page(
    db: &Db,
    scope: Scope,
    query: PeriodQuery,
    sort: Sort,
    lang: &'static str,
) -> DbResult<AgentsPage> {
    db.read(move |conn| {
        let (filter, checked) = query.checked(conn)?;
        let mut page = AgentsPage {
            filter,
            errors: FieldErrors::new(),
            teams: team_choices(conn)?,
            pause_types: Vec::new(),
            lines: Vec::new(),
            chart: None,
            sort: sort.clone(),
        };
        match checked {
            Ok(c) => {
                let (facts, lines) = read(conn, scope, &c, &sort)?;
                page.pause_types = facts.pause_types.into_iter().map(|t| t.name).collect();
                page.chart = Some(chart(&lines, lang));
                let names = &page.pause_types;
                page.lines = lines
                    .into_iter()
                    .map(|line| ShownLine {
                        paused: names.iter().cloned().zip(line.paused_ms.iter().copied()).filter(|p| p.1 > 0).collect(),
                        score: line.score_average.map(|v| decimal(v, lang)).unwrap_or_else(|| "–".into()),
                        satisfied: percent(line.satisfied_share, lang),
                        line,
                    })
                    .collect();
            }
            Err(errors) => page.errors = errors,
        }
        Ok(page)
    })
    .await
}

/// The table as a spreadsheet holds it, a column per pause type.
pub fn agents_table(
    conn: &rusqlite::Connection,
    scope: Scope,
    query: &PeriodQuery,
    sort: &Sort,
    lang: &str,
) -> DbResult<Result<(Table, String), FieldErrors>> {
    let c = match query.checked(conn)?.1 {
        Ok(c) => c,
        Err(errors) => return Ok(Err(errors)),
    };
    let (facts, lines) = read(conn, scope, &c, sort)?;
    let heading = |key: &str, width: f64| (translate(lang, key), width);
    let mut columns = vec![
        heading("reports-col-agent", 24.0),
        heading("reports-agents-handled", 13.0),
        heading("reports-agents-first-median", 14.0),
        heading("reports-agents-first-p90", 14.0),
        heading("reports-agents-handling-median", 14.0),
        heading("reports-agents-handling-p90", 14.0),
        heading("reports-agents-transfers", 13.0),
        heading("reports-agents-score", 12.0),
        heading("reports-agents-satisfied", 12.0),
        heading("reports-agents-online", 13.0),
    ];
    columns.extend(facts.pause_types.iter().map(|t| (t.name.clone(), 13.0)));
    columns.push(heading("reports-agents-over-limit", 14.0));
    let rows = lines
        .into_iter()
        .map(|l| {
            let mut row = vec![
                Cell::text(l.name),
                Cell::Number(Some(l.handled)),
                Cell::Duration(l.first_response.map(|f| f.0)),
                Cell::Duration(l.first_response.map(|f| f.1)),
                Cell::Duration(l.handling.map(|h| h.0)),
                Cell::Duration(l.handling.map(|h| h.1)),
                Cell::Number(Some(l.transfers)),
                Cell::Decimal(l.score_average),
                Cell::Decimal(l.satisfied_share),
                Cell::Duration(Some(l.online_ms)),
            ];
            row.extend(l.paused_ms.into_iter().map(|ms| Cell::Duration(Some(ms))));
            row.push(Cell::Number(Some(l.over_limit)));
            row
        })
        .collect();
    let table = Table {
        sheet: translate(lang, "reports-agents-title"),
        file: translate(lang, "reports-agents-file"),
        columns,
        rows,
    };
    Ok(Ok((table, c.days())))
}
