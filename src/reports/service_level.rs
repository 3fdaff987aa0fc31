//! "Nível de serviço" (F-RE-4): of the period's closed conversations that reached a
//! queue, how long each waited (from its first queue to the first human reply, or to
//! its close when nobody answered — abandoned), the share answered within the target
//! (each team's, or the company's), the waits as a histogram, the volume by channel
//! (each bar opens the history of that channel) and a day × hour heat map of arrivals in
//! the company's zone; optionally counting only the waits within the channel's hours.
//! The same tables as a spreadsheet: the summary, the waits, the channels, the heat map.

use chrono::{Datelike, TimeZone, Timelike};
use serde::Serialize;

use super::chart::{bars, heatmap, histogram, Bar, BarChart, Chart, Direction, HeatMap};
use super::criteria::FieldErrors;
use super::figures::{percent, share};
use super::period::{team_choices, PeriodQuery, PeriodTeam};
use super::sheet::{Cell, Table};
use crate::db::reports::options::Choice;
use crate::db::reports::service::{service_facts, ChannelName, ServiceFacts, Waited};
use crate::db::reports::Scope;
use crate::db::{settings, Db, DbResult};
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

/// How many waits fall in each of `BUCKETS`.
fn wait_counts(waits: &[i64]) -> [i64; BUCKETS.len()] {
    let mut counts = [0i64; BUCKETS.len()];
    for wait in waits {
        counts[bucket(*wait)] += 1;
    }
    counts
}

/// A bucket as people read it: `0–15 s`, `1 min–2 min`, `> 30 min`.
fn bucket_label(i: usize) -> String {
    match i {
        0 => format!("0–{}", bound_text(BUCKETS[0])),
        i if i == BUCKETS.len() - 1 => format!("> {}", bound_text(BUCKETS[i - 1])),
        i => format!("{}–{}", bound_text(BUCKETS[i - 1]), bound_text(BUCKETS[i])),
    }
}

fn wait_chart(waits: &[i64], lang: &str) -> Chart {
    let bars_of = wait_counts(waits).into_iter().enumerate().map(|(i, n)| Bar {
        label: bucket_label(i),
        value: n as f64,
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

/// The channels that had a conversation in the queue, with how many.
fn channel_counts(facts: &ServiceFacts) -> impl Iterator<Item = (&ChannelName, usize)> {
    facts
        .channels
        .iter()
        .map(|ch| (ch, facts.waited.iter().filter(|w| w.channel_id == ch.id).count()))
        .filter(|c| c.1 > 0)
}

fn channel_label(ch: &ChannelName, lang: &str) -> String {
    format!("{} · {}", translate(lang, &format!("channels-kind-{}", ch.kind)), ch.name)
}

fn channel_chart(facts: &ServiceFacts, checked: &PeriodTeam, lang: &str) -> Chart {
    let bars_of = channel_counts(facts).map(|(ch, n)| Bar {
        label: channel_label(ch, lang),
        value: n as f64,
        shown: n.to_string(),
        href: Some(checked.history_link(&[("channel", ch.id)])),
    });
    bars(&BarChart {
        title: translate(lang, "reports-service-channels-chart"),
        category_axis: translate(lang, "reports-col-channel"),
        value_axis: translate(lang, "reports-conversations"),
        bars: bars_of.collect(),
        direction: Direction::Horizontal,
    })
}

/// Arrivals (first queue) by weekday (Monday first) and hour in the company's zone.
fn arrival_counts(facts: &ServiceFacts, tz: chrono_tz::Tz) -> [[u64; 24]; 7] {
    let mut counts = [[0u64; 24]; 7];
    for w in &facts.waited {
        if let Some(t) = tz.timestamp_millis_opt(w.first_queued_at).single() {
            counts[t.weekday().num_days_from_monday() as usize][t.hour() as usize] += 1;
        }
    }
    counts
}

fn arrivals(facts: &ServiceFacts, tz: chrono_tz::Tz, lang: &str) -> Chart {
    let counts = arrival_counts(facts, tz);
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

/// The facts of a checked period, each conversation's wait, and the target it is read by.
fn measured(
    conn: &rusqlite::Connection,
    scope: Scope,
    c: &PeriodTeam,
    business_hours: bool,
) -> DbResult<(ServiceFacts, Vec<i64>, Target)> {
    let facts = service_facts(conn, scope, c.window())?;
    let waits: Vec<i64> = facts.waited.iter().map(|w| wait_of(w, &facts, business_hours)).collect();
    let target = target_of(&facts, c.team_id);
    Ok((facts, waits, target))
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
        let (facts, waits, target) = measured(conn, scope, &c, business_hours)?;
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

/// The page's tables as a spreadsheet holds them: the summary against the target, the
/// waits by bucket, the volume by channel, and arrivals by weekday and hour.
pub fn service_tables(
    conn: &rusqlite::Connection,
    scope: Scope,
    query: &PeriodQuery,
    business_hours: bool,
    lang: &str,
) -> DbResult<Result<(Vec<Table>, String), FieldErrors>> {
    let c = match query.checked(conn)?.1 {
        Ok(c) => c,
        Err(errors) => return Ok(Err(errors)),
    };
    let tz = settings::load(conn)?.zone();
    let (facts, waits, target) = measured(conn, scope, &c, business_hours)?;
    let s = summary(&facts, &waits, target, lang);
    let heading = |key: &str, width: f64| (translate(lang, key), width);
    let conversations = || heading("reports-conversations", 14.0);
    let table = |key: &str, columns, rows| Table {
        sheet: translate(lang, key),
        file: translate(lang, "reports-service-file"),
        columns,
        rows,
    };
    let summary_row = vec![
        Cell::Number(Some(s.queued)),
        Cell::Number(Some(s.answered)),
        Cell::Number(Some(target.seconds)),
        Cell::Number(Some(target.goal_percent)),
        Cell::Number(Some(s.within)),
        Cell::Decimal(share(s.within, s.queued)),
        Cell::Number(Some(s.abandoned)),
        Cell::Decimal(share(s.abandoned, s.queued)),
        Cell::Duration(s.wait.map(|w| w.0)),
        Cell::Duration(s.wait.map(|w| w.1)),
    ];
    let summary_columns = [
        ("reports-service-col-queued", 14.0),
        ("reports-service-col-answered", 12.0),
        ("reports-service-seconds", 16.0),
        ("reports-service-goal", 10.0),
        ("reports-service-col-within", 14.0),
        ("reports-service-col-within-share", 14.0),
        ("reports-service-col-abandoned", 14.0),
        ("reports-service-col-abandoned-share", 16.0),
        ("reports-service-wait-median", 16.0),
        ("reports-service-col-wait-p90", 14.0),
    ];
    let waits_rows = wait_counts(&waits).into_iter().enumerate();
    let channel_rows =
        channel_counts(&facts).map(|(ch, n)| vec![Cell::text(channel_label(ch, lang)), Cell::Number(Some(n as i64))]);
    let mut hours = vec![heading("reports-service-day", 10.0)];
    hours.extend((0..24).map(|h| (format!("{h:02}h"), 6.0)));
    let day_rows = arrival_counts(&facts, tz).into_iter().enumerate().map(|(d, counts)| {
        let mut row = vec![Cell::text(translate(lang, &format!("schedules-day-short-{d}")))];
        row.extend(counts.into_iter().map(|n| Cell::Number(Some(n as i64))));
        row
    });
    let tables = vec![
        table(
            "reports-service-sheet-summary",
            summary_columns.iter().map(|(k, w)| heading(k, *w)).collect(),
            vec![summary_row],
        ),
        table(
            "reports-service-sheet-waits",
            vec![heading("reports-service-wait", 14.0), conversations()],
            waits_rows.map(|(i, n)| vec![Cell::text(bucket_label(i)), Cell::Number(Some(n))]).collect(),
        ),
        table(
            "reports-service-sheet-channels",
            vec![heading("reports-col-channel", 30.0), conversations()],
            channel_rows.collect(),
        ),
        table("reports-service-sheet-arrivals", hours, day_rows.collect()),
    ];
    Ok(Ok((tables, c.days())))
}
