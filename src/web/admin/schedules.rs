//! "Grupos de horários": weekly opening hours in a time zone, with holidays and other
//! dated exceptions. Agents tied to a group can only work inside its hours (F-AU-5).
//! Same shape as the pauses section: list, one form for new and edit, delete, audit.

use std::collections::BTreeMap;

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

use super::form::{done, Done};
use crate::accounts::{AccountError, FieldErrors};
use crate::db::paging::{Pager, PAGE_SIZE};
use crate::db::schedules::{self, ExceptionRow, GroupUser, ScheduleGroupFields};
use crate::db::{audit, now_ms, Db};
use crate::domain::clock::{format_hhmm, parse_hhmm};
use crate::domain::fields;
use crate::domain::schedule::{self as rules, Interval, DAY_MINUTES};
use crate::web::auth::field_errors;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Create, Delete, Edit, Schedules, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

/// Intervals offered per weekday in the form.
const SLOTS_PER_DAY: usize = 3;
const GRID: usize = 7 * SLOTS_PER_DAY;
/// Empty exception rows offered for adding more.
const BLANK_EXCEPTIONS: usize = 3;
const NAME_MAX: usize = 60;
const LABEL_MAX: usize = 80;

#[get("/admin/schedules?<q>&<page_no>")]
async fn list(
    page: Page,
    _can: Can<Schedules, View>,
    db: &State<Db>,
    q: Option<String>,
    page_no: Option<i64>,
) -> WebResult<Template> {
    let pager = Pager::new(page_no, q);
    let (search, offset) = (pager.q.clone(), pager.offset());
    let (rows, total) = db
        .read(move |c| {
            let (groups, total) = schedules::list_groups(c, &search, PAGE_SIZE, offset)?;
            let now = now_ms();
            let mut rows = Vec::with_capacity(groups.len());
            for row in groups {
                let open = schedules::schedule_of(c, row.group.id)?.is_some_and(|s| rules::is_open(&s, now));
                rows.push(serde_json::json!({
                    "group": row.group,
                    "spans": spans(&row.intervals),
                    "exceptions": row.exceptions,
                    "open": open,
                }));
            }
            Ok((rows, total))
        })
        .await?;
    Ok(page.render("admin/schedules/list.html", context! { rows, pager: pager.with_total(total) }))
}

/// A run of weekdays with the same hours, as the templates show it.
#[derive(Debug, Serialize)]
struct Span {
    first: u8,
    last: u8,
    hours: Vec<String>,
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

/// What the form posts, as text. The weekly grid is 7 × 3 start/end pairs in order
/// (Monday first); the exceptions are parallel lists, one entry per row.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
struct ScheduleForm {
    name: String,
    time_zone: String,
    active: bool,
    w_start: Vec<String>,
    w_end: Vec<String>,
    x_day: Vec<String>,
    x_label: Vec<String>,
    x_start: Vec<String>,
    x_end: Vec<String>,
}

/// A time input's value: 24:00 (the end of a day) shows as 00:00, which time inputs
/// can hold and which reads back as the end of the day.
fn shown_time(minutes: i64) -> String {
    format_hhmm(minutes % DAY_MINUTES)
}

fn typed_from(g: &ScheduleGroupFields) -> ScheduleForm {
    let mut typed = ScheduleForm {
        name: g.name.clone(),
        time_zone: g.time_zone.clone(),
        active: g.active,
        w_start: vec![String::new(); GRID],
        w_end: vec![String::new(); GRID],
        ..Default::default()
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

/// Field errors: the fixed fields (`name`, `time_zone`), a grid slot (`w7`) or an
/// exception cell (`x2_day`, `x2_label`, `x2_hours`) → message key.
type Errors = BTreeMap<String, &'static str>;

fn cell(list: &[String], i: usize) -> &str {
    list.get(i).map(|s| s.trim()).unwrap_or_default()
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

/// An optional label: at most `LABEL_MAX` characters, no control characters.
fn label_problem(label: &str) -> Option<&'static str> {
    if label.chars().count() > LABEL_MAX {
        Some("field-too-long")
    } else if label.chars().any(char::is_control) {
        Some("field-invalid-characters")
    } else {
        None
    }
}

/// Form parsing and validation, apart from the handlers.
fn validate(f: &ScheduleForm) -> Result<ScheduleGroupFields, Errors> {
    let mut fixed = FieldErrors::new();
    let name = fields::text(&mut fixed, "name", &f.name, NAME_MAX);
    let time_zone = f.time_zone.trim().to_string();
    if crate::domain::clock::parse_zone(&time_zone).is_none() {
        fixed.insert("time_zone", "schedules-bad-time-zone");
    }
    let mut errors: Errors = fixed.into_iter().map(|(k, v)| (k.to_string(), v)).collect();

    // The weekly grid.
    let mut intervals: Vec<(usize, Interval)> = Vec::new();
    for slot in 0..GRID {
        match hours(cell(&f.w_start, slot), cell(&f.w_end, slot)) {
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

    // Exceptions: empty rows are ignored.
    let rows = f.x_day.len().max(f.x_label.len()).max(f.x_start.len()).max(f.x_end.len());
    let mut exceptions: Vec<(usize, ExceptionRow)> = Vec::new();
    for row in 0..rows {
        let (day, label, start, end) =
            (cell(&f.x_day, row), cell(&f.x_label, row), cell(&f.x_start, row), cell(&f.x_end, row));
        if day.is_empty() && label.is_empty() && start.is_empty() && end.is_empty() {
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
        if let Some(problem) = label_problem(label) {
            errors.insert(format!("x{row}_label"), problem);
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
        if exceptions.iter().any(|(_, e)| e.day == day && e.start_min == start_min) {
            errors.entry(format!("x{row}_day")).or_insert("schedules-exception-duplicate");
            continue;
        }
        let overlaps = exceptions.iter().any(|(_, e)| {
            e.day == day
                && matches!((e.start_min.zip(e.end_min), span), (Some((s1, e1)), Some((s2, e2))) if s1 < e2 && s2 < e1)
        });
        if overlaps {
            errors.entry(format!("x{row}_hours")).or_insert("schedules-overlap");
            continue;
        }
        exceptions.push((row, ExceptionRow { day, start_min, end_min, label: label.to_string() }));
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    let mut intervals = only;
    intervals.sort();
    let mut exceptions: Vec<ExceptionRow> = exceptions.into_iter().map(|(_, e)| e).collect();
    exceptions.sort();
    Ok(ScheduleGroupFields { name, time_zone, active: f.active, intervals, exceptions })
}

/// One weekday of the grid as the template shows it.
#[derive(Debug, Serialize)]
struct GridDay {
    weekday: usize,
    slots: Vec<GridSlot>,
}

#[derive(Debug, Serialize)]
struct GridSlot {
    index: usize,
    n: usize,
    start: String,
    end: String,
}

#[derive(Debug, Default, Serialize)]
struct ExceptionCells {
    day: String,
    label: String,
    start: String,
    end: String,
}

/// Everything the form page needs beyond the typed values.
#[derive(Default)]
struct Extras {
    open_now: Option<bool>,
    in_use: Option<Vec<GroupUser>>,
}

fn form_page(
    page: &Page,
    id: Option<i64>,
    typed: &ScheduleForm,
    errors: serde_json::Value,
    extras: Extras,
) -> Template {
    let grid: Vec<GridDay> = (0..7)
        .map(|weekday| GridDay {
            weekday,
            slots: (0..SLOTS_PER_DAY)
                .map(|n| {
                    let index = weekday * SLOTS_PER_DAY + n;
                    GridSlot {
                        index,
                        n: n + 1,
                        start: cell(&typed.w_start, index).to_string(),
                        end: cell(&typed.w_end, index).to_string(),
                    }
                })
                .collect(),
        })
        .collect();
    let rows = typed.x_day.len().max(typed.x_label.len()).max(typed.x_start.len()).max(typed.x_end.len());
    let mut exceptions: Vec<ExceptionCells> = (0..rows)
        .map(|r| ExceptionCells {
            day: typed.x_day.get(r).cloned().unwrap_or_default(),
            label: typed.x_label.get(r).cloned().unwrap_or_default(),
            start: typed.x_start.get(r).cloned().unwrap_or_default(),
            end: typed.x_end.get(r).cloned().unwrap_or_default(),
        })
        .collect();
    // Keep a few empty rows at the end for adding more.
    let blank = |e: &ExceptionCells| [&e.day, &e.label, &e.start, &e.end].iter().all(|v| v.trim().is_empty());
    let filled = exceptions.iter().rposition(|e| !blank(e)).map_or(0, |p| p + 1);
    let rows = exceptions.len().max(filled + BLANK_EXCEPTIONS);
    exceptions.resize_with(rows, ExceptionCells::default);
    let zones = rules::zone_choices_with(&typed.time_zone);
    page.render(
        "admin/schedules/form.html",
        context! {
            id, typed, errors, grid, exceptions, zones, in_use: extras.in_use,
            now_state: match extras.open_now { Some(true) => "open", Some(false) => "closed", None => "" },
        },
    )
}

fn refused(page: &Page, id: Option<i64>, typed: &ScheduleForm, errors: serde_json::Value) -> (Status, Template) {
    (Status::UnprocessableEntity, form_page(page, id, typed, errors, Extras::default()))
}

#[get("/admin/schedules/new")]
fn new_form(page: Page, _can: Can<Schedules, Create>) -> Template {
    let typed = ScheduleForm {
        active: true,
        time_zone: page.time_zone.name().into(),
        w_start: vec![String::new(); GRID],
        w_end: vec![String::new(); GRID],
        ..Default::default()
    };
    form_page(&page, None, &typed, serde_json::json!({}), Extras::default())
}

#[post("/admin/schedules", data = "<form>")]
async fn create(
    page: Page,
    can: Can<Schedules, Create>,
    htmx: Htmx,
    form: CsrfForm<ScheduleForm>,
    db: &State<Db>,
) -> WebResult<Result<Done, (Status, Template)>> {
    let typed = form.0;
    let fields = match validate(&typed) {
        Ok(f) => f,
        Err(e) => return Ok(Err(refused(&page, None, &typed, serde_json::to_value(e).unwrap_or_default()))),
    };
    let actor = can.actor();
    let saved = db
        .write(move |tx| {
            if crate::db::name_taken(tx, "schedule_groups", &fields.name, None)? {
                return Ok(Err(AccountError::Invalid(FieldErrors::from([("name", "name-taken")]))));
            }
            let id = schedules::insert_group(tx, &fields, now_ms())?;
            audit::record_change(tx, &actor, "schedule.create", &format!("schedule:{id}"), None, Some(&fields))?;
            Ok(Ok(id))
        })
        .await?;
    match saved {
        Ok(_) => Ok(Ok(done(&htmx, "/admin/schedules".into()))),
        Err(refusal) => Ok(Err(refused(&page, None, &typed, field_errors(&refusal)))),
    }
}

#[get("/admin/schedules/<id>")]
async fn edit_form(page: Page, _can: Can<Schedules, View>, id: i64, db: &State<Db>) -> WebResult<Template> {
    let (fields, open_now) = db
        .read(move |c| {
            let Some((_, fields)) = schedules::group_fields(c, id)? else {
                return Ok(None);
            };
            let open = schedules::schedule_of(c, id)?.is_some_and(|s| rules::is_open(&s, now_ms()));
            Ok(Some((fields, open)))
        })
        .await?
        .ok_or(AccountError::NotFound)?;
    let extras = Extras { open_now: Some(open_now), ..Default::default() };
    Ok(form_page(&page, Some(id), &typed_from(&fields), serde_json::json!({}), extras))
}

#[post("/admin/schedules/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<Schedules, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<ScheduleForm>,
    db: &State<Db>,
) -> WebResult<Result<Done, (Status, Template)>> {
    let typed = form.0;
    let fields = match validate(&typed) {
        Ok(f) => f,
        Err(e) => return Ok(Err(refused(&page, Some(id), &typed, serde_json::to_value(e).unwrap_or_default()))),
    };
    let actor = can.actor();
    let saved = db
        .write(move |tx| {
            let Some((_, before)) = schedules::group_fields(tx, id)? else {
                return Ok(Err(AccountError::NotFound));
            };
            if crate::db::name_taken(tx, "schedule_groups", &fields.name, Some(id))? {
                return Ok(Err(AccountError::Invalid(FieldErrors::from([("name", "name-taken")]))));
            }
            schedules::update_group(tx, id, &fields)?;
            audit::record_change(
                tx,
                &actor,
                "schedule.update",
                &format!("schedule:{id}"),
                Some(&before),
                Some(&fields),
            )?;
            Ok(Ok(()))
        })
        .await?;
    match saved {
        Ok(()) => Ok(Ok(done(&htmx, "/admin/schedules".into()))),
        Err(AccountError::NotFound) => Err(AccountError::NotFound.into()),
        Err(refusal) => Ok(Err(refused(&page, Some(id), &typed, field_errors(&refusal)))),
    }
}

/// Why a delete did not happen.
enum NotDeleted {
    Missing,
    InUse(Box<ScheduleGroupFields>, Vec<GroupUser>),
}

#[post("/admin/schedules/<id>/delete", data = "<_form>")]
async fn delete(
    page: Page,
    can: Can<Schedules, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Result<Done, (Status, Template)>> {
    let actor = can.actor();
    let outcome = db
        .write(move |tx| {
            let Some((_, before)) = schedules::group_fields(tx, id)? else {
                return Ok(Err(NotDeleted::Missing));
            };
            let users = schedules::users_of(tx, id)?;
            if !users.is_empty() {
                return Ok(Err(NotDeleted::InUse(Box::new(before), users)));
            }
            schedules::delete_group(tx, id)?;
            audit::record_change(tx, &actor, "schedule.delete", &format!("schedule:{id}"), Some(&before), None)?;
            Ok(Ok(()))
        })
        .await?;
    match outcome {
        Ok(()) => Ok(Ok(done(&htmx, "/admin/schedules".into()))),
        Err(NotDeleted::Missing) => Err(AccountError::NotFound.into()),
        Err(NotDeleted::InUse(fields, users)) => {
            let extras = Extras { open_now: None, in_use: Some(users) };
            let template = form_page(&page, Some(id), &typed_from(&fields), serde_json::json!({}), extras);
            Ok(Err((Status::Conflict, template)))
        }
    }
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, edit_form, update, delete]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty_form() -> ScheduleForm {
        ScheduleForm {
            name: "Comercial".into(),
            time_zone: "America/Sao_Paulo".into(),
            active: true,
            w_start: vec![String::new(); GRID],
            w_end: vec![String::new(); GRID],
            ..Default::default()
        }
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
        let fields = validate(&f).unwrap();
        assert_eq!(fields.intervals.len(), 3);
        assert_eq!(fields.intervals[2], Interval { weekday: 1, start_min: 1320, end_min: 1440 });
        assert_eq!(fields.exceptions.len(), 1);
        assert_eq!(fields.exceptions[0].start_min, None);
        // The form shows it back as typed (24:00 as 00:00).
        let back = typed_from(&fields);
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
        f.x_day = vec!["2026-02-30".into(), "2026-05-01".into(), "2026-05-01".into(), "".into()];
        f.x_label = vec!["".into(), "".into(), "".into(), "sem data".into()];
        f.x_start = vec!["".into(), "".into(), "".into(), "".into()];
        f.x_end = vec!["".into(), "".into(), "".into(), "".into()];
        let errors = validate(&f).unwrap_err();
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
    }
}
