//! "Grupos de horários": weekly opening hours in a time zone, with holidays and other
//! dated exceptions: list, one form for new and edit, delete. The use cases are in
//! `catalog::schedules`.

use rocket_dyn_templates::{context, Template};
use serde::Serialize;

use super::section::{admin_section, found, Form};
use crate::catalog::schedules::{self, cell, is_open_at, ScheduleDraft, SLOTS_PER_DAY};
use crate::db::schedules as stored;
use crate::db::{now_ms, Db};
use crate::domain::schedule as rules;
use crate::web::errors::WebResult;
use crate::web::guards::perm::Schedules;
use crate::web::page::Page;

/// Empty exception rows offered for adding more.
const BLANK_EXCEPTIONS: usize = 3;

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

/// The grid and exception rows of the form; an edit just opened also says whether
/// the group is open now, and a refused delete lists the agents tied to it.
async fn form_page(page: &Page, db: &Db, form: Form<'_, ScheduleDraft>) -> WebResult<Template> {
    let (id, opened, refused) = (form.id, form.opened(), form.refusal.is_some());
    let (open_now, in_use) = db
        .read(move |c| {
            let open_now = match id {
                Some(id) if opened => Some(is_open_at(c, id, now_ms())?),
                _ => None,
            };
            let in_use = match id {
                Some(id) if refused => Some(stored::users_of(c, id)?),
                _ => None,
            };
            Ok((open_now, in_use))
        })
        .await?;
    let typed = form.typed;
    let now_state = match open_now {
        Some(true) => "open",
        Some(false) => "closed",
        None => "",
    };
    let more = context! { grid: grid(typed), exceptions: exceptions(typed), zones: rules::zone_choices_with(&typed.time_zone), in_use, now_state };
    Ok(form.render(page, "admin/schedules/form.html", more))
}

/// The weekly grid of the form, filled with what `typed` holds.
fn grid(typed: &ScheduleDraft) -> Vec<GridDay> {
    (0..7)
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
        .collect()
}

/// The exception rows of the form: what `typed` holds, and a few empty rows at the end
/// for adding more.
fn exceptions(typed: &ScheduleDraft) -> Vec<ExceptionCells> {
    let mut exceptions: Vec<ExceptionCells> = (0..typed.exception_rows())
        .map(|r| ExceptionCells {
            day: typed.x_day.get(r).cloned().unwrap_or_default(),
            label: typed.x_label.get(r).cloned().unwrap_or_default(),
            start: typed.x_start.get(r).cloned().unwrap_or_default(),
            end: typed.x_end.get(r).cloned().unwrap_or_default(),
        })
        .collect();
    let blank = |e: &ExceptionCells| [&e.day, &e.label, &e.start, &e.end].iter().all(|v| v.trim().is_empty());
    let filled = exceptions.iter().rposition(|e| !blank(e)).map_or(0, |p| p + 1);
    let rows = exceptions.len().max(filled + BLANK_EXCEPTIONS);
    exceptions.resize_with(rows, ExceptionCells::default);
    exceptions
}

admin_section! {
    area: Schedules, at: "/admin/schedules", catalog: schedules, draft: ScheduleDraft, form: form_page,
    list: ("admin/schedules/list.html", schedules::listed),
    blank: |page, _| ScheduleDraft::blank(page.time_zone.name()),
    stored: |db, id| ScheduleDraft::of(&found(db, stored::group_fields, id).await?),
}
