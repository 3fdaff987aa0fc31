//! "Grupos de horários": weekly opening hours in a time zone, with holidays and other
//! dated exceptions: list, one form for new and edit, delete. The use cases are in
//! `catalog::schedules`.

use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

use super::form::{answer, answer_delete, Saved};
use crate::catalog::schedules::{self, cell, ScheduleDraft, SLOTS_PER_DAY};
use crate::catalog::CatalogError;
use crate::db::paging::{Pager, PAGE_SIZE};
use crate::db::schedules::{self as stored, GroupUser};
use crate::db::{now_ms, Db};
use crate::domain::clock::format_hhmm;
use crate::domain::schedule::{self as rules, Interval};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Create, Delete, Edit, Schedules, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

/// Empty exception rows offered for adding more.
const BLANK_EXCEPTIONS: usize = 3;
const LIST: &str = "/admin/schedules";

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
            let (groups, total) = stored::list_groups(c, &search, PAGE_SIZE, offset)?;
            let now = now_ms();
            let mut rows = Vec::with_capacity(groups.len());
            for row in groups {
                let open = stored::schedule_of(c, row.group.id)?.is_some_and(|s| rules::is_open(&s, now));
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
    typed: &ScheduleDraft,
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
    let rows = typed.exception_rows();
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

#[get("/admin/schedules/new")]
fn new_form(page: Page, _can: Can<Schedules, Create>) -> Template {
    form_page(&page, None, &ScheduleDraft::blank(page.time_zone.name()), serde_json::json!({}), Extras::default())
}

#[get("/admin/schedules/<id>")]
async fn edit_form(page: Page, _can: Can<Schedules, View>, id: i64, db: &State<Db>) -> WebResult<Template> {
    let (fields, open_now) = db
        .read(move |c| {
            let Some(fields) = stored::group_fields(c, id)? else {
                return Ok(None);
            };
            let open = stored::schedule_of(c, id)?.is_some_and(|s| rules::is_open(&s, now_ms()));
            Ok(Some((fields, open)))
        })
        .await?
        .ok_or(CatalogError::NotFound)?;
    let extras = Extras { open_now: Some(open_now), ..Default::default() };
    Ok(form_page(&page, Some(id), &ScheduleDraft::of(&fields), serde_json::json!({}), extras))
}

#[post("/admin/schedules", data = "<form>")]
async fn create(
    page: Page,
    can: Can<Schedules, Create>,
    htmx: Htmx,
    form: CsrfForm<ScheduleDraft>,
    db: &State<Db>,
) -> Saved {
    let saved = schedules::save(db, &can.actor(), None, &form.0).await;
    answer(saved, &htmx, LIST, |errors| async move { Ok(form_page(&page, None, &form.0, errors, Extras::default())) })
        .await
}

#[post("/admin/schedules/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<Schedules, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<ScheduleDraft>,
    db: &State<Db>,
) -> Saved {
    let saved = schedules::save(db, &can.actor(), Some(id), &form.0).await;
    answer(
        saved,
        &htmx,
        LIST,
        |errors| async move { Ok(form_page(&page, Some(id), &form.0, errors, Extras::default())) },
    )
    .await
}

/// The group's page as stored with the agents tied to it: why it was not deleted.
async fn in_use_page(page: &Page, db: &Db, id: i64) -> WebResult<Template> {
    let (fields, users) = db.read(move |c| Ok((stored::group_fields(c, id)?, stored::users_of(c, id)?))).await?;
    let fields = fields.ok_or(CatalogError::NotFound)?;
    let extras = Extras { open_now: None, in_use: Some(users) };
    Ok(form_page(page, Some(id), &ScheduleDraft::of(&fields), serde_json::json!({}), extras))
}

/// A group agents are tied to is refused: 409 and its page listing them.
#[post("/admin/schedules/<id>/delete", data = "<_form>")]
async fn delete(
    page: Page,
    can: Can<Schedules, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> Saved {
    let deleted = schedules::delete(db, &can.actor(), id).await;
    answer_delete(deleted, &htmx, LIST, |_| in_use_page(&page, db, id)).await
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, edit_form, update, delete]
}
