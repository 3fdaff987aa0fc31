//! Schedule groups ("Grupo de horários"): weekly opening intervals in a time zone, with
//! dated exceptions (holidays, reduced hours). Says whether a schedule is open at an
//! instant; no I/O.
//!
//! Times of day are minutes from midnight, end exclusive, so 08:00–12:00 and 12:00–18:00
//! touch without overlapping and 22:00–24:00 ends at 1440. An interval that crosses
//! midnight is entered as two: 22:00–24:00 on one day and 00:00–06:00 on the next.

use chrono::{DateTime, Datelike, NaiveDate, Timelike};
use chrono_tz::Tz;
use serde::Serialize;

/// Minutes in a day: the largest end of an interval.
pub const DAY_MINUTES: i64 = 1440;

/// One weekly opening interval: `weekday` 0 = Monday … 6 = Sunday, `[start_min, end_min)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Interval {
    pub weekday: u8,
    pub start_min: i64,
    pub end_min: i64,
}

/// A dated exception in the schedule's time zone: different hours on that date, or
/// closed all day (`hours: None`, a holiday).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    pub day: NaiveDate,
    pub hours: Option<(i64, i64)>,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub time_zone: Tz,
    pub weekly: Vec<Interval>,
    pub exceptions: Vec<Exception>,
}

/// Whether the schedule is open at `instant_ms` (unix milliseconds). On a date with
/// exceptions only their hours count (none: closed all day); otherwise the weekly
/// intervals of that weekday.
pub fn is_open(schedule: &Schedule, instant_ms: i64) -> bool {
    let Some(utc) = DateTime::from_timestamp_millis(instant_ms) else {
        return false;
    };
    let local = utc.with_timezone(&schedule.time_zone);
    let day = local.date_naive();
    let minute = i64::from(local.hour() * 60 + local.minute());
    let inside = |start: i64, end: i64| start <= minute && minute < end;
    let mut exceptions = schedule.exceptions.iter().filter(|e| e.day == day).peekable();
    if exceptions.peek().is_some() {
        return exceptions.any(|e| e.hours.is_some_and(|(s, e)| inside(s, e)));
    }
    let weekday = local.weekday().num_days_from_monday() as u8;
    schedule.weekly.iter().any(|i| i.weekday == weekday && inside(i.start_min, i.end_min))
}

/// Milliseconds of `[from_ms, until_ms)` the schedule is open: a wait counted in
/// business hours only. Each local day's hours (its exceptions, else its weekday's
/// intervals), from that day's midnight, cut to the span.
pub fn open_ms_between(schedule: &Schedule, from_ms: i64, until_ms: i64) -> i64 {
    use chrono::TimeZone;
    let (Some(start), Some(end)) =
        (DateTime::from_timestamp_millis(from_ms), DateTime::from_timestamp_millis(until_ms))
    else {
        return 0;
    };
    let tz = schedule.time_zone;
    let (mut day, last) = (start.with_timezone(&tz).date_naive(), end.with_timezone(&tz).date_naive());
    let mut open = 0;
    while day <= last {
        let midnight = tz.from_local_datetime(&day.and_time(chrono::NaiveTime::MIN)).earliest();
        let Some(midnight) = midnight.map(|m| m.timestamp_millis()) else { break };
        let dated: Vec<(i64, i64)> =
            schedule.exceptions.iter().filter(|e| e.day == day).filter_map(|e| e.hours).collect();
        let hours: Vec<(i64, i64)> = if schedule.exceptions.iter().any(|e| e.day == day) {
            dated
        } else {
            let weekday = day.weekday().num_days_from_monday() as u8;
            schedule.weekly.iter().filter(|i| i.weekday == weekday).map(|i| (i.start_min, i.end_min)).collect()
        };
        for (s, e) in hours {
            let (a, b) = ((midnight + s * 60_000).max(from_ms), (midnight + e * 60_000).min(until_ms));
            open += (b - a).max(0);
        }
        day = day.succ_opt().unwrap_or(last + chrono::Duration::days(1));
    }
    open
}

/// What is wrong with a set of intervals; indices point into the slice checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntervalProblem {
    /// Weekday above 6, or a time outside 00:00–24:00.
    OutOfRange(usize),
    /// The start is not before the end.
    Reversed(usize),
    /// The second interval overlaps the first on the same weekday.
    Overlap(usize, usize),
}

impl IntervalProblem {
    /// The message key in the catalogues.
    pub fn key(self) -> &'static str {
        match self {
            IntervalProblem::OutOfRange(_) => "field-bad-time",
            IntervalProblem::Reversed(_) => "window-end-before-start",
            IntervalProblem::Overlap(..) => "schedules-overlap",
        }
    }

    /// The interval to mark in a form (for an overlap, the later one).
    pub fn index(self) -> usize {
        match self {
            IntervalProblem::OutOfRange(i) | IntervalProblem::Reversed(i) => i,
            IntervalProblem::Overlap(a, b) => a.max(b),
        }
    }
}

/// Every problem of a set of intervals: bad ranges first, then each overlapping pair
/// on the same weekday (touching is fine: 08:00–12:00 and 12:00–18:00).
pub fn interval_problems(intervals: &[Interval]) -> Vec<IntervalProblem> {
    let mut problems = Vec::new();
    for (n, i) in intervals.iter().enumerate() {
        if i.weekday > 6 || !(0..DAY_MINUTES).contains(&i.start_min) || !(1..=DAY_MINUTES).contains(&i.end_min) {
            problems.push(IntervalProblem::OutOfRange(n));
        } else if i.start_min >= i.end_min {
            problems.push(IntervalProblem::Reversed(n));
        }
    }
    if !problems.is_empty() {
        return problems;
    }
    for (a, first) in intervals.iter().enumerate() {
        for (b, second) in intervals.iter().enumerate().skip(a + 1) {
            let same_day = first.weekday == second.weekday;
            if same_day && first.start_min < second.end_min && second.start_min < first.end_min {
                problems.push(IntervalProblem::Overlap(a, b));
            }
        }
    }
    problems
}

/// Refuses start ≥ end, times out of range and overlapping intervals on one weekday.
pub fn validate_intervals(intervals: &[Interval]) -> Result<(), IntervalProblem> {
    match interval_problems(intervals).first() {
        Some(p) => Err(*p),
        None => Ok(()),
    }
}

/// Brazil's zones by the city people know them by, the most used first.
pub const BRAZIL_ZONES: [(&str, &str); 16] = [
    ("America/Sao_Paulo", "Brasília"),
    ("America/Manaus", "Manaus"),
    ("America/Fortaleza", "Fortaleza"),
    ("America/Recife", "Recife"),
    ("America/Bahia", "Salvador"),
    ("America/Belem", "Belém"),
    ("America/Cuiaba", "Cuiabá"),
    ("America/Campo_Grande", "Campo Grande"),
    ("America/Porto_Velho", "Porto Velho"),
    ("America/Boa_Vista", "Boa Vista"),
    ("America/Rio_Branco", "Rio Branco"),
    ("America/Noronha", "Noronha"),
    ("America/Maceio", "Maceió"),
    ("America/Araguaina", "Araguaína"),
    ("America/Santarem", "Santarém"),
    ("America/Eirunepe", "Eirunepé"),
];

/// A zone as forms offer it: its name, what the list shows, and whether it is Brazil's.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ZoneChoice {
    pub id: &'static str,
    pub label: String,
    pub brazil: bool,
}

/// The zones offered in forms: Brazil's first, by city ("Brasília (America/Sao_Paulo)"),
/// then UTC and every other America/*, Europe/* and Atlantic/* zone by name.
pub fn zone_choices() -> Vec<ZoneChoice> {
    let mut zones: Vec<ZoneChoice> = BRAZIL_ZONES
        .iter()
        .map(|(id, city)| ZoneChoice { id, label: format!("{city} ({id})"), brazil: true })
        .collect();
    let mut others: Vec<&'static str> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name())
        .filter(|n| n.starts_with("America/") || n.starts_with("Europe/") || n.starts_with("Atlantic/"))
        .filter(|n| !BRAZIL_ZONES.iter().any(|(id, _)| id == n))
        .collect();
    others.sort_unstable();
    others.insert(0, "UTC");
    zones.extend(others.into_iter().map(|id| ZoneChoice { id, label: id.to_string(), brazil: false }));
    zones
}

/// The zones offered, with `current` among the others when it is a real zone not offered.
pub fn zone_choices_with(current: &str) -> Vec<ZoneChoice> {
    let mut zones = zone_choices();
    if let Some(tz) = super::clock::parse_zone(current).filter(|tz| !zones.iter().any(|z| z.id == tz.name())) {
        let at = zones.iter().position(|z| !z.brazil).unwrap_or(zones.len());
        zones.insert(at, ZoneChoice { id: tz.name(), label: tz.name().to_string(), brazil: false });
    }
    zones
}

/// `YYYY-MM-DD` (exactly) → a date; anything else → `None`.
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape {
        return None;
    }
    let (y, m, d) = (text[0..4].parse().ok()?, text[5..7].parse().ok()?, text[8..10].parse().ok()?);
    NaiveDate::from_ymd_opt(y, m, d)
}

/// A date as `YYYY-MM-DD`.
pub fn format_day(day: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day())
}

/// The local date of an instant in a time zone (for "today" in that zone).
pub fn local_day(time_zone: Tz, instant_ms: i64) -> Option<NaiveDate> {
    Some(DateTime::from_timestamp_millis(instant_ms)?.with_timezone(&time_zone).date_naive())
}

/// Consecutive weekdays that share the same intervals, for a short summary such as
/// "seg–sex 08:00–18:00, sáb 08:00–12:00". Closed days are left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DaySpan {
    pub first: u8,
    pub last: u8,
    /// `(start_min, end_min)` in order.
    pub hours: Vec<(i64, i64)>,
}

pub fn week_summary(weekly: &[Interval]) -> Vec<DaySpan> {
    let hours_of = |day: u8| {
        let mut hours: Vec<(i64, i64)> =
            weekly.iter().filter(|i| i.weekday == day).map(|i| (i.start_min, i.end_min)).collect();
        hours.sort_unstable();
        hours
    };
    let mut spans: Vec<DaySpan> = Vec::new();
    for day in 0..7u8 {
        let hours = hours_of(day);
        if hours.is_empty() {
            continue;
        }
        match spans.last_mut() {
            Some(span) if span.last + 1 == day && span.hours == hours => span.last = day,
            _ => spans.push(DaySpan { first: day, last: day, hours }),
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(weekday: u8, start: &str, end: &str) -> Interval {
        let m = |t: &str| crate::domain::clock::parse_hhmm(t).unwrap();
        Interval { weekday, start_min: m(start), end_min: m(end) }
    }

    fn at(rfc3339: &str) -> i64 {
        DateTime::parse_from_rfc3339(rfc3339).unwrap().timestamp_millis()
    }

    fn day(text: &str) -> NaiveDate {
        parse_day(text).unwrap()
    }

    fn schedule(tz: Tz, weekly: Vec<Interval>) -> Schedule {
        Schedule { time_zone: tz, weekly, exceptions: vec![] }
    }

    /// Mon–Fri 08:00–18:00 and Saturday 08:00–12:00.
    fn office(tz: Tz) -> Schedule {
        let mut weekly: Vec<Interval> = (0..5).map(|d| iv(d, "08:00", "18:00")).collect();
        weekly.push(iv(5, "08:00", "12:00"));
        schedule(tz, weekly)
    }

    #[test]
    fn open_time_between_two_instants_counts_only_open_hours() {
        let sp = chrono_tz::America::Sao_Paulo;
        let mut s = office(sp);
        // Friday 17:50 to Monday 08:05 in São Paulo: 10 minutes on Friday, 4 hours on
        // Saturday, 5 on Monday.
        let wait = open_ms_between(&s, at("2026-03-06T17:50:00-03:00"), at("2026-03-09T08:05:00-03:00"));
        assert_eq!(wait, (10 + 240 + 5) * 60_000);
        // A holiday on that Saturday: closed all day.
        s.exceptions.push(Exception { day: day("2026-03-07"), hours: None, label: "Feriado".into() });
        let wait = open_ms_between(&s, at("2026-03-06T17:50:00-03:00"), at("2026-03-09T08:05:00-03:00"));
        assert_eq!(wait, 15 * 60_000);
        assert_eq!(open_ms_between(&s, at("2026-03-09T10:00:00-03:00"), at("2026-03-09T09:00:00-03:00")), 0);
    }

    #[test]
    fn across_midnight_as_two_intervals() {
        // 2026-03-02 is a Monday.
        let s = schedule(Tz::UTC, vec![iv(0, "22:00", "24:00"), iv(1, "00:00", "06:00")]);
        assert!(!is_open(&s, at("2026-03-02T21:59:00Z")));
        assert!(is_open(&s, at("2026-03-02T22:00:00Z")));
        assert!(is_open(&s, at("2026-03-02T23:59:59Z")));
        assert!(is_open(&s, at("2026-03-03T00:00:00Z")));
        assert!(is_open(&s, at("2026-03-03T00:30:00Z")));
        assert!(is_open(&s, at("2026-03-03T05:59:59Z")));
        assert!(!is_open(&s, at("2026-03-03T06:00:00Z")));
        // Tuesday night is not Monday night.
        assert!(!is_open(&s, at("2026-03-03T23:00:00Z")));
    }

    #[test]
    fn sao_paulo_is_three_hours_behind_utc() {
        let s = office(chrono_tz::America::Sao_Paulo);
        // 11:00Z = 08:00 local, Monday.
        assert!(is_open(&s, at("2026-03-02T11:00:00Z")));
        assert!(!is_open(&s, at("2026-03-02T10:59:00Z")));
        // 18:00 local = 21:00Z: closed; 17:59 local open.
        assert!(is_open(&s, at("2026-03-02T20:59:00Z")));
        assert!(!is_open(&s, at("2026-03-02T21:00:00Z")));
        // No daylight saving since 2019: the same in January.
        assert!(is_open(&s, at("2026-01-05T11:00:00Z")));
        assert!(!is_open(&s, at("2026-01-05T10:59:00Z")));
        // Monday 01:00Z is still Sunday 22:00 in São Paulo: closed.
        assert!(!is_open(&s, at("2026-03-02T01:00:00Z")));
    }

    #[test]
    fn the_same_hours_in_utc_and_in_india() {
        let utc = office(Tz::UTC);
        let india = office(chrono_tz::Asia::Kolkata); // UTC+05:30
        let instant = at("2026-03-02T03:00:00Z"); // 03:00 UTC, 08:30 in Kolkata
        assert!(!is_open(&utc, instant));
        assert!(is_open(&india, instant));
        let instant = at("2026-03-02T12:45:00Z"); // 12:45 UTC, 18:15 in Kolkata
        assert!(is_open(&utc, instant));
        assert!(!is_open(&india, instant));
        assert!(is_open(&india, at("2026-03-02T12:29:00Z")));
        assert!(!is_open(&india, at("2026-03-02T12:30:00Z")));
    }

    #[test]
    fn a_holiday_closes_a_weekday() {
        let mut s = office(chrono_tz::America::Sao_Paulo);
        // Tiradentes, 2026-04-21, a Tuesday.
        s.exceptions.push(Exception { day: day("2026-04-21"), hours: None, label: "Tiradentes".into() });
        assert!(!is_open(&s, at("2026-04-21T13:00:00Z")));
        assert!(is_open(&s, at("2026-04-22T13:00:00Z")), "the next day is normal");
        // The date is local: 2026-04-22 01:00Z is still the 21st in São Paulo.
        s.weekly.push(iv(1, "20:00", "24:00"));
        assert!(!is_open(&s, at("2026-04-22T01:00:00Z")));
    }

    #[test]
    fn an_exception_with_reduced_hours() {
        let mut s = office(Tz::UTC);
        // Ash Wednesday 2026-02-18: only from 13:00 to 18:00.
        s.exceptions.push(Exception { day: day("2026-02-18"), hours: Some((780, 1080)), label: "Cinzas".into() });
        assert!(!is_open(&s, at("2026-02-18T09:00:00Z")));
        assert!(!is_open(&s, at("2026-02-18T12:59:00Z")));
        assert!(is_open(&s, at("2026-02-18T13:00:00Z")));
        assert!(!is_open(&s, at("2026-02-18T18:00:00Z")));
        // An exception can open a day that is normally closed (Sunday), and several
        // exceptions on one date are a union.
        s.exceptions.push(Exception { day: day("2026-03-08"), hours: Some((540, 600)), label: "".into() });
        s.exceptions.push(Exception { day: day("2026-03-08"), hours: Some((840, 900)), label: "".into() });
        assert!(is_open(&s, at("2026-03-08T09:30:00Z")));
        assert!(!is_open(&s, at("2026-03-08T12:00:00Z")));
        assert!(is_open(&s, at("2026-03-08T14:30:00Z")));
    }

    #[test]
    fn saturday_morning_only_and_sunday_closed() {
        let s = office(Tz::UTC);
        // 2026-03-07 is a Saturday.
        assert!(is_open(&s, at("2026-03-07T08:00:00Z")));
        assert!(is_open(&s, at("2026-03-07T11:59:00Z")));
        assert!(!is_open(&s, at("2026-03-07T12:00:00Z")));
        assert!(!is_open(&s, at("2026-03-07T15:00:00Z")));
        assert!(!is_open(&s, at("2026-03-08T10:00:00Z")));
    }

    #[test]
    fn boundary_minutes() {
        let s = schedule(Tz::UTC, vec![iv(0, "08:00", "12:00"), iv(0, "12:00", "18:00")]);
        assert!(!is_open(&s, at("2026-03-02T07:59:59.999Z")));
        assert!(is_open(&s, at("2026-03-02T08:00:00Z")));
        assert!(is_open(&s, at("2026-03-02T12:00:00Z")), "touching intervals leave no gap");
        assert!(is_open(&s, at("2026-03-02T17:59:59Z")));
        assert!(!is_open(&s, at("2026-03-02T18:00:00Z")));
        assert!(!is_open(&schedule(Tz::UTC, vec![]), at("2026-03-02T10:00:00Z")));
        assert!(!is_open(&s, i64::MAX), "an instant out of range is closed, not a panic");
    }

    #[test]
    fn overlaps_are_found_and_touching_is_fine() {
        assert_eq!(validate_intervals(&[iv(0, "08:00", "12:00"), iv(0, "12:00", "18:00")]), Ok(()));
        assert_eq!(validate_intervals(&[iv(0, "08:00", "12:00"), iv(1, "10:00", "14:00")]), Ok(()));
        assert_eq!(
            validate_intervals(&[iv(0, "08:00", "12:00"), iv(0, "11:59", "18:00")]),
            Err(IntervalProblem::Overlap(0, 1))
        );
        assert_eq!(
            validate_intervals(&[iv(2, "08:00", "18:00"), iv(3, "09:00", "10:00"), iv(2, "09:00", "10:00")]),
            Err(IntervalProblem::Overlap(0, 2))
        );
        assert_eq!(IntervalProblem::Overlap(0, 2).index(), 2);
        assert_eq!(validate_intervals(&[iv(0, "12:00", "08:00")]), Err(IntervalProblem::Reversed(0)));
        assert_eq!(validate_intervals(&[iv(0, "08:00", "08:00")]), Err(IntervalProblem::Reversed(0)));
        let out = Interval { weekday: 7, start_min: 0, end_min: 60 };
        assert_eq!(validate_intervals(&[out]), Err(IntervalProblem::OutOfRange(0)));
        let late = Interval { weekday: 0, start_min: 0, end_min: 1441 };
        assert_eq!(validate_intervals(&[late]), Err(IntervalProblem::OutOfRange(0)));
        assert_eq!(validate_intervals(&[iv(0, "22:00", "24:00")]), Ok(()));
    }

    #[test]
    fn time_zones_and_days_parse_strictly() {
        // How a zone name parses is `clock::parse_zone`'s test; here, the zones offered.
        let zones = zone_choices();
        assert_eq!(zones[0].label, "Brasília (America/Sao_Paulo)");
        let brazil = zones.iter().take_while(|z| z.brazil).count();
        assert_eq!(brazil, BRAZIL_ZONES.len(), "Brazil's zones come first");
        assert_eq!(zones[brazil].id, "UTC");
        assert!(zones.iter().any(|z| z.id == "Europe/Lisbon") && zones.iter().any(|z| z.id == "America/New_York"));
        assert_eq!(zones.iter().filter(|z| z.id == "America/Manaus").count(), 1, "once, among Brazil's");
        assert!(zones.iter().all(|z| crate::domain::clock::parse_zone(z.id).is_some()));
        let with_tokyo = zone_choices_with("Asia/Tokyo");
        assert_eq!(with_tokyo[brazil].id, "Asia/Tokyo");
        assert_eq!(zone_choices_with("America/Recife").len(), zones.len());
        assert_eq!(zone_choices_with("Mars/Olympus").len(), zones.len());
        assert_eq!(parse_day("2026-04-21"), NaiveDate::from_ymd_opt(2026, 4, 21));
        assert_eq!(parse_day("2026-02-30"), None);
        assert_eq!(parse_day("21/04/2026"), None);
        assert_eq!(parse_day("2026-4-21"), None);
        assert_eq!(parse_day("+026-04-21"), None);
        assert_eq!(format_day(day("2026-04-01")), "2026-04-01");
        assert_eq!(local_day(chrono_tz::America::Sao_Paulo, at("2026-04-22T01:00:00Z")), Some(day("2026-04-21")));
    }

    #[test]
    fn summary_groups_consecutive_days() {
        let s = office(Tz::UTC);
        assert_eq!(
            week_summary(&s.weekly),
            vec![
                DaySpan { first: 0, last: 4, hours: vec![(480, 1080)] },
                DaySpan { first: 5, last: 5, hours: vec![(480, 720)] },
            ]
        );
        let split = vec![iv(0, "13:00", "18:00"), iv(0, "08:00", "12:00"), iv(2, "08:00", "12:00")];
        assert_eq!(
            week_summary(&split),
            vec![
                DaySpan { first: 0, last: 0, hours: vec![(480, 720), (780, 1080)] },
                DaySpan { first: 2, last: 2, hours: vec![(480, 720)] },
            ]
        );
        assert!(week_summary(&[]).is_empty());
    }
}
