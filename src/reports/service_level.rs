//! "Nível de serviço" (F-RE-4): of the period's closed conversations that reached a
//! queue, how long each waited (from its first queue to the first human reply, or to
//! its close when nobody answered — abandoned), the share answered within the target
//! (each team's, or the company's), the waits as a histogram, the volume by channel
//! (each bar opens the history of that channel) and a day × hour heat map of arrivals in
//! the company's zone; optionally counting only the waits within the channel's hours.

use chrono::{Datelike, TimeZone, Timelike};
use serde::Serialize;

use super::chart::{bars, heatmap, histogram, Bar, BarChart, Chart, Direction, HeatMap};
use super::criteria::FieldErrors;
use super::figures::{percent, share};
use super::period::{team_choices, PeriodQuery, PeriodTeam};
use crate::db::reports::options::Choice;
use crate::db::reports::service::{service_facts, ServiceFacts, Waited};
use crate::db::reports::Scope;
use crate::db::{settings, team_rules, Db, DbResult};
use crate::domain::percentile::median_p90;
use crate::domain::schedule::open_ms_between;
use crate::domain::service_level::{bound_text, bucket, wait_end, Tally, Target, BUCKETS};
use crate::i18n::translate;

/// The target the page offers to edit: the team's when one is chosen (`own` when it
/// has one), else the company's.
#[derive(Debug, Clone, Serialize)]
pub struct TargetForm {
    pub team_id: Option<i64>,
    pub target: Target,
    pub own: bool,
}

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub queued: i64,
    pub answered: i64,
    pub abandoned: i64,
    pub within: i64,
    pub within_share: String,
    pub abandoned_share: String,
    pub goal_met: Option<bool>,
    pub wait: Option<(i64, i64)>,
}

#[derive(Debug, Serialize)]
pub struct ServicePage {
    pub filter: PeriodQuery,
    pub business_hours: bool,
    pub errors: FieldErrors,
    pub teams: Vec<Choice>,
    pub target: Option<TargetForm>,
    pub summary: Summary,
    pub charts: Vec<(Chart, bool)>,
}

/// How long a conversation waited: to the first human reply, or to its close; within
/// the channel's open hours only when asked and the channel has a schedule group.
fn wait_of(w: &Waited, facts: &ServiceFacts, business_hours: bool) -> i64 {
    let end = wait_end(w.first_queued_at, w.first_response_at, w.closed_at);
    match facts.schedules.get(&w.channel_id).filter(|_| business_hours) {
        Some(schedule) => open_ms_between(schedule, w.first_queued_at, end),
        None => end - w.first_queued_at,
    }
}

fn target_of(facts: &ServiceFacts, team: Option<i64>) -> Target {
    crate::domain::service_level::target_for(team, &facts.team_targets, facts.company_target)
}

fn summary(facts: &ServiceFacts, waits: &[i64], target: Target, lang: &str) -> Summary {
    let mut tally = Tally::default();
    for (w, wait) in facts.waited.iter().zip(waits) {
        tally.add(w.first_response_at.is_some(), *wait, target_of(facts, w.team_id));
    }
    let mut s = Summary {
        queued: tally.queued,
        answered: tally.answered,
        abandoned: tally.abandoned,
        within: tally.within,
        ..Summary::default()
    };
    let within = share(s.within, s.queued);
    (s.within_share, s.abandoned_share) = (percent(within, lang), percent(share(s.abandoned, s.queued), lang));
    s.goal_met = within.map(|v| v >= target.goal_percent as f64);
    s.wait = median_p90(&mut waits.to_vec());
    s
}

fn wait_chart(waits: &[i64], lang: &str) -> Chart {
    let mut counts = [0i64; BUCKETS.len()];
    for wait in waits {
        counts[bucket(*wait)] += 1;
    }
    let label = |i: usize| match i {
        0 => format!("0–{}", bound_text(BUCKETS[0])),
        i if i == BUCKETS.len() - 1 => format!("> {}", bound_text(BUCKETS[i - 1])),
        i => format!("{}–{}", bound_text(BUCKETS[i - 1]), bound_text(BUCKETS[i])),
    };
    let bars_of = counts.iter().enumerate().map(|(i, n)| Bar {
        label: label(i),
        value: *n as f64,
        shown: n.to_string(),
        href: None,
    });
    histogram(&BarChart {
        title: translate(lang, "reports-service-waits-chart"),
        category_axis: translate(lang, "reports-service-wait"),
        value_axis: translate(lang, "reports-conversations"),
        bars: bars_of.collect(),
        direction: Direction::Vertical,
    })
}

fn channel_chart(facts: &ServiceFacts, checked: &PeriodTeam, lang: &str) -> Chart {
    let bars_of = facts.channels.iter().filter_map(|ch| {
        let n = facts.waited.iter().filter(|w| w.channel_id == ch.id).count();
        (n > 0).then(|| Bar {
            label: format!("{} · {}", translate(lang, &format!("channels-kind-{}", ch.kind)), ch.name),
            value: n as f64,
            shown: n.to_string(),
            href: Some(checked.history_link(&[("channel", ch.id)])),
        })
    });
    bars(&BarChart {
        title: translate(lang, "reports-service-channels-chart"),
        category_axis: translate(lang, "reports-col-channel"),
        value_axis: translate(lang, "reports-conversations"),
        bars: bars_of.collect(),
        direction: Direction::Horizontal,
    })
}

/// Arrivals (first queue) by weekday and hour in the company's zone.
fn arrivals(facts: &ServiceFacts, tz: chrono_tz::Tz, lang: &str) -> Chart {
    let mut counts = [[0u64; 24]; 7];
    for w in &facts.waited {
        if let Some(t) = tz.timestamp_millis_opt(w.first_queued_at).single() {
            counts[t.weekday().num_days_from_monday() as usize][t.hour() as usize] += 1;
        }
    }
    heatmap(&HeatMap {
        title: translate(lang, "reports-service-heatmap"),
        days: std::array::from_fn(|d| translate(lang, &format!("schedules-day-short-{d}"))),
        unit: translate(lang, "reports-service-unit"),
        heads: (translate(lang, "reports-service-day-hour"), translate(lang, "reports-conversations")),
        day_axis: translate(lang, "reports-service-day"),
        hour_axis: translate(lang, "reports-service-hour"),
        counts,
    })
}

pub async fn service_page(
    db: &Db,
    scope: Scope,
    query: PeriodQuery,
    business_hours: bool,
    lang: &'static str,
) -> DbResult<ServicePage> {
    db.read(move |conn| {
        let (filter, checked) = query.checked(conn)?;
        let mut page = ServicePage {
            filter,
            business_hours,
            errors: FieldErrors::new(),
            teams: team_choices(conn)?,
            target: None,
            summary: Summary::default(),
            charts: Vec::new(),
        };
        let c = match checked {
            Ok(c) => c,
            Err(errors) => {
                page.errors = errors;
                return Ok(page);
            }
        };
        let tz = settings::load(conn)?.zone();
        let facts = service_facts(conn, scope, c.window())?;
        let waits: Vec<i64> = facts.waited.iter().map(|w| wait_of(w, &facts, business_hours)).collect();
        let target = target_of(&facts, c.team_id);
        let own = c.team_id.is_some_and(|t| facts.team_targets.contains_key(&t));
        page.target = Some(TargetForm { team_id: c.team_id, target, own });
        page.summary = summary(&facts, &waits, target, lang);
        page.charts = vec![
            (wait_chart(&waits, lang), false),
            (channel_chart(&facts, &c, lang), false),
            (arrivals(&facts, tz, lang), true),
        ];
        Ok(page)
    })
    .await
}

/// The target a team follows now, for the form after a refused change.
pub fn current_target(conn: &rusqlite::Connection, team: Option<i64>) -> DbResult<Target> {
    let company = team_rules::company_target(conn)?;
    Ok(team.and_then(|t| team_rules::team_targets(conn).ok()?.get(&t).copied()).unwrap_or(company))
}
