//! "Grupos de horários": weekly opening hours in a time zone, with holidays and other
//! dated exceptions. Agents tied to a group can only work inside its hours (F-AU-5); a
//! group agents are tied to is not deleted.

use std::collections::BTreeMap;

use rocket::form::FromForm;
use rusqlite::Connection;
use serde::Serialize;

use super::{
    before, check_name_free, delete_audited, record_saved, update_or_insert, CatalogError, CatalogResult, Deleted,
    RefuseIfUsed,
};
use crate::accounts::Actor;
use crate::db::schedules::{self, ExceptionRow, ScheduleGroup, ScheduleGroupFields};
use crate::db::{now_ms, Db, DbResult};
use crate::domain::clock::{format_hhmm, parse_hhmm};
use crate::domain::fields::{self, FieldErrors};
use crate::domain::schedule::{self as rules, Interval, DAY_MINUTES};

/// Intervals offered per weekday in the form.
pub const SLOTS_PER_DAY: usize = 3;
pub const GRID: usize = 7 * SLOTS_PER_DAY;
const NAME_MAX: usize = 60;
const LABEL_MAX: usize = 80;

/// A group as typed in its form, as text. The weekly grid is 7 × 3 start/end pairs in
/// order (Monday first); the exceptions are parallel lists, one entry per row.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct ScheduleDraft {
    pub name: String,
    pub time_zone: String,
    pub active: bool,
    pub w_start: Vec<String>,
    pub w_end: Vec<String>,
    pub x_day: Vec<String>,
    pub x_label: Vec<String>,
    pub x_start: Vec<String>,
    pub x_end: Vec<String>,
}

/// Cell errors: the fixed fields (`name`, `time_zone`), a grid slot (`w7`) or an
/// exception cell (`x2_day`, `x2_label`, `x2_hours`) → message key.
type Cells = BTreeMap<String, &'static str>;

/// A cell of a posted list, trimmed ("" past its end).
pub fn cell(list: &[String], i: usize) -> &str {
    list.get(i).map(|s| s.trim()).unwrap_or_default()
}

/// A time input's value: 24:00 (the end of a day) shows as 00:00, which time inputs
/// can hold and which reads back as the end of the day.
fn shown_time(minutes: i64) -> String {
    format_hhmm(minutes % DAY_MINUTES)
}

/// A start/end pair: both empty → `Ok(None)`; an end of 00:00 means midnight at the
/// end of the day (24:00).
fn hours(start: &str, end: &str) -> Result<Option<(i64, i64)>, &'static str> {
    match (start.is_empty(), end.is_empty()) {
        (true, true) => return Ok(None),
        (true, false) | (false, true) => return Err("field-required"),
        _ => {}
    }
    let (Some(start), Some(end)) = (parse_hhmm(start), parse_hhmm(end)) else {
        return Err("field-bad-time");
    };
    let end = if end == 0 { DAY_MINUTES } else { end };
    if start >= DAY_MINUTES {
        return Err("field-bad-time");
    }
    if start >= end {
        return Err("window-end-before-start");
    }
    Ok(Some((start, end)))
}

impl ScheduleDraft {
    /// The form for a new group: open nowhere yet, in the company's time zone.
    pub fn blank(company_zone: &str) -> ScheduleDraft {
        ScheduleDraft {
            active: true,
            time_zone: company_zone.into(),
            w_start: vec![String::new(); GRID],
            w_end: vec![String::new(); GRID],
            ..Default::default()
        }
    }

    /// The form for editing `g`.
    pub fn of(g: &ScheduleGroupFields) -> ScheduleDraft {
        let mut typed = ScheduleDraft {
            name: g.name.clone(),
            time_zone: g.time_zone.clone(),
            active: g.active,
            ..Self::blank(&g.time_zone)
        };
        let mut used = [0usize; 7];
        for i in &g.intervals {
            let day = usize::from(i.weekday.min(6));
            // More intervals than the grid holds cannot be typed in; the rest stay stored.
            if used[day] < SLOTS_PER_DAY {
                let slot = day * SLOTS_PER_DAY + used[day];
                typed.w_start[slot] = shown_time(i.start_min);
                typed.w_end[slot] = shown_time(i.end_min);
                used[day] += 1;
            }
        }
        for e in &g.exceptions {
            typed.x_day.push(e.day.clone());
            typed.x_label.push(e.label.clone());
            typed.x_start.push(e.start_min.map(shown_time).unwrap_or_default());
            typed.x_end.push(e.end_min.map(shown_time).unwrap_or_default());
        }
        typed
    }

    /// How many exception rows were posted.
    pub fn exception_rows(&self) -> usize {
        self.x_day.len().max(self.x_label.len()).max(self.x_start.len()).max(self.x_end.len())
    }

    fn validate(&self) -> Result<ScheduleGroupFields, Cells> {
        let mut fixed = FieldErrors::new();
        let name = fields::text(&mut fixed, "name", &self.name, NAME_MAX);
        let time_zone = self.time_zone.trim().to_string();
        if crate::domain::clock::parse_zone(&time_zone).is_none() {
            fixed.insert("time_zone", "schedules-bad-time-zone");
        }
        let mut errors: Cells = fixed.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        let mut intervals = self.weekly(&mut errors);
        let mut exceptions = self.exceptions(&mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        intervals.sort();
        exceptions.sort();
        Ok(ScheduleGroupFields { name, time_zone, active: self.active, intervals, exceptions })
    }

    /// The weekly grid's intervals; a slot in fault, or overlapping another, is `w<slot>`.
    fn weekly(&self, errors: &mut Cells) -> Vec<Interval> {
        let mut intervals: Vec<(usize, Interval)> = Vec::new();
        for slot in 0..GRID {
            match hours(cell(&self.w_start, slot), cell(&self.w_end, slot)) {
                Ok(Some((start_min, end_min))) => {
                    let weekday = (slot / SLOTS_PER_DAY) as u8;
                    intervals.push((slot, Interval { weekday, start_min, end_min }));
                }
                Ok(None) => {}
                Err(key) => {
                    errors.insert(format!("w{slot}"), key);
                }
            }
        }
        let only: Vec<Interval> = intervals.iter().map(|(_, i)| *i).collect();
        for problem in rules::interval_problems(&only) {
            errors.entry(format!("w{}", intervals[problem.index()].0)).or_insert(problem.key());
        }
        only
    }

    /// The dated exceptions (empty rows are ignored); cells in fault are `x<row>_…`.
    fn exceptions(&self, errors: &mut Cells) -> Vec<ExceptionRow> {
        let mut exceptions: Vec<ExceptionRow> = Vec::new();
        for row in 0..self.exception_rows() {
            let (day, start, end) = (cell(&self.x_day, row), cell(&self.x_start, row), cell(&self.x_end, row));
            let typed_label = cell(&self.x_label, row);
            if day.is_empty() && typed_label.is_empty() && start.is_empty() && end.is_empty() {
                continue;
            }
            let parsed_day = if day.is_empty() {
                errors.insert(format!("x{row}_day"), "field-required");
                None
            } else if let Some(d) = rules::parse_day(day) {
                Some(rules::format_day(d))
            } else {
                errors.insert(format!("x{row}_day"), "schedules-bad-date");
                None
            };
            let mut label_errors = FieldErrors::new();
            let label = fields::optional_text(&mut label_errors, "label", typed_label, LABEL_MAX);
            if let Some(key) = label_errors.remove("label") {
                errors.insert(format!("x{row}_label"), key);
            }
            let span = match hours(start, end) {
                Ok(span) => span,
                Err(key) => {
                    errors.insert(format!("x{row}_hours"), key);
                    continue;
                }
            };
            let Some(day) = parsed_day else { continue };
            let (start_min, end_min) = (span.map(|s| s.0), span.map(|s| s.1));
            if exceptions.iter().any(|e| e.day == day && e.start_min == start_min) {
                errors.entry(format!("x{row}_day")).or_insert("schedules-exception-duplicate");
                continue;
            }
            let overlaps = exceptions.iter().any(|e| {
                e.day == day
                    && matches!((e.start_min.zip(e.end_min), span), (Some((s1, e1)), Some((s2, e2))) if s1 < e2 && s2 < e1)
            });
            if overlaps {
                errors.entry(format!("x{row}_hours")).or_insert("schedules-overlap");
                continue;
            }
            exceptions.push(ExceptionRow { day, start_min, end_min, label });
        }
        exceptions
    }
}

/// A run of weekdays with the same hours, as the list shows it (`08:00–12:00`).
#[derive(Debug, Serialize)]
pub struct Span {
    pub first: u8,
    pub last: u8,
    pub hours: Vec<String>,
}

fn spans(intervals: &[Interval]) -> Vec<Span> {
    rules::week_summary(intervals)
        .into_iter()
        .map(|s| Span {
            first: s.first,
            last: s.last,
            hours: s.hours.iter().map(|(a, b)| format!("{}–{}", format_hhmm(*a), format_hhmm(*b))).collect(),
        })
        .collect()
}

/// A group as its list shows it: its week in spans, its count of exceptions and
/// whether it is open now.
#[derive(Debug, Serialize)]
pub struct ListedGroup {
    pub group: ScheduleGroup,
    pub spans: Vec<Span>,
    pub exceptions: i64,
    pub open: bool,
}

/// The groups the search finds (`limit` from `offset`), as the list shows them, and
/// how many match.
pub fn listed(conn: &Connection, search: &str, limit: i64, offset: i64) -> DbResult<(Vec<ListedGroup>, i64)> {
    let (groups, total) = schedules::list_groups(conn, search, limit, offset)?;
    let now = now_ms();
    let mut rows = Vec::with_capacity(groups.len());
    for row in groups {
        let open = is_open_at(conn, row.group.id, now)?;
        rows.push(ListedGroup { spans: spans(&row.intervals), exceptions: row.exceptions, open, group: row.group });
    }
    Ok((rows, total))
}

/// Whether group `id` is open at `now` (a group that is gone is not).
pub fn is_open_at(conn: &Connection, id: i64, now: i64) -> DbResult<bool> {
    Ok(schedules::schedule_of(conn, id)?.is_some_and(|s| rules::is_open(&s, now)))
}

/// Saves a new group (`id` `None`) or an edit with all its rules, audited
/// (`schedule.create`, `schedule.update`); the group's id.
pub async fn save(db: &Db, actor: &Actor, id: Option<i64>, draft: &ScheduleDraft) -> CatalogResult<i64> {
    let fields = draft.validate().map_err(CatalogError::Cells)?;
    let actor = actor.clone();
    db.transact(move |tx| {
        let before = before(tx, id, schedules::group_fields)?;
        check_name_free(tx, "schedule_groups", &fields.name, id)?;
        let id = update_or_insert(
            id,
            |id| schedules::update_group(tx, id, &fields),
            || schedules::insert_group(tx, &fields, now_ms()),
        )?;
        record_saved(tx, &actor, "schedule", id, before.as_ref(), &fields)?;
        Ok(id)
    })
    .await
}

/// Deletes a group no agent is tied to; otherwise refused (`schedules-in-use`).
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> CatalogResult<Deleted> {
    let actor = actor.clone();
    let refuse =
        RefuseIfUsed { in_use: |c, id| Ok(!schedules::users_of(c, id)?.is_empty()), reason: "schedules-in-use" };
    db.transact(move |tx| {
        delete_audited(tx, &actor, "schedule", id, schedules::group_fields, schedules::delete_group, refuse)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty_form() -> ScheduleDraft {
        ScheduleDraft { name: "Comercial".into(), ..ScheduleDraft::blank("America/Sao_Paulo") }
    }

    #[test]
    fn grid_and_exceptions_are_parsed() {
        let mut f = empty_form();
        f.w_start[0] = "08:00".into();
        f.w_end[0] = "12:00".into();
        f.w_start[1] = "12:00".into();
        f.w_end[1] = "18:00".into();
        f.w_start[3] = "22:00".into(); // Tuesday
        f.w_end[3] = "00:00".into();
        f.x_day = vec!["2026-04-21".into(), "".into()];
        f.x_label = vec!["Tiradentes".into(), "".into()];
        f.x_start = vec!["".into(), "".into()];
        f.x_end = vec!["".into(), "".into()];
        let fields = f.validate().unwrap();
        assert_eq!(fields.intervals.len(), 3);
        assert_eq!(fields.intervals[2], Interval { weekday: 1, start_min: 1320, end_min: 1440 });
        assert_eq!(fields.exceptions.len(), 1);
        assert_eq!(fields.exceptions[0].start_min, None);
        // The form shows it back as typed (24:00 as 00:00).
        let back = ScheduleDraft::of(&fields);
        assert_eq!(back.w_start[3], "22:00");
        assert_eq!(back.w_end[3], "00:00");
    }

    #[test]
    fn problems_are_reported_per_cell() {
        let mut f = empty_form();
        f.time_zone = "Mars/Olympus".into();
        f.w_start[0] = "08:00".into();
        f.w_end[0] = "12:00".into();
        f.w_start[1] = "11:00".into();
        f.w_end[1] = "13:00".into();
        f.w_start[3] = "18:00".into();
        f.w_end[3] = "08:00".into();
        f.w_start[6] = "25:00".into();
        f.w_end[6] = "26:00".into();
        f.w_start[9] = "08:00".into();
        f.x_day = vec!["2026-02-30".into(), "2026-05-01".into(), "2026-05-01".into(), "".into(), "2026-05-02".into()];
        f.x_label = vec!["".into(), "".into(), "".into(), "sem data".into(), "a".repeat(81)];
        f.x_start = vec!["".into(); 5];
        f.x_end = vec!["".into(); 5];
        let errors = f.validate().unwrap_err();
        assert_eq!(errors.get("time_zone"), Some(&"schedules-bad-time-zone"));
        assert_eq!(errors.get("w1"), Some(&"schedules-overlap"));
        assert_eq!(errors.get("w0"), None);
        assert_eq!(errors.get("w3"), Some(&"window-end-before-start"));
        assert_eq!(errors.get("w6"), Some(&"field-bad-time"));
        assert_eq!(errors.get("w9"), Some(&"field-required"));
        assert_eq!(errors.get("x0_day"), Some(&"schedules-bad-date"));
        assert_eq!(errors.get("x1_day"), None);
        assert_eq!(errors.get("x2_day"), Some(&"schedules-exception-duplicate"));
        assert_eq!(errors.get("x3_day"), Some(&"field-required"));
        assert_eq!(errors.get("x4_label"), Some(&"field-too-long"));
    }
}
