//! "Histórico" (top menu): the closed conversations the agent may see by their history
//! permission, newest first, a page at a time, filtered by period, protocol, contact
//! name and "Mensagens contendo" (words of the messages, accents and case ignored);
//! each row opens its transcript (`/agent/history/<id>`, in `contacts`).

use rocket::{get, routes, Route, State};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

use super::errors::WebResult;
use super::guards::Floor;
use super::page::Page;
use crate::db::contacts::fts_query;
use crate::db::history::{self, HistoryFilter};
use crate::db::paging::{Pager, PAGE_SIZE};
use crate::db::Db;

/// At most this many characters of each filter are read.
const FILTER_MAX: usize = 100;

fn typed(value: Option<String>) -> String {
    value.unwrap_or_default().chars().take(FILTER_MAX).collect::<String>().trim().to_string()
}

/// The filters as typed, shown again in the form.
#[derive(Serialize)]
struct Typed {
    from: String,
    until: String,
    protocol: String,
    contact: String,
    q: String,
}

impl Typed {
    fn pairs(&self) -> [(&'static str, &str); 5] {
        [
            ("from", &self.from),
            ("until", &self.until),
            ("protocol", &self.protocol),
            ("contact", &self.contact),
            ("q", &self.q),
        ]
    }

    /// The search the filters ask for, with the field errors of days that are not days.
    fn filter(&self, tz: chrono_tz::Tz) -> (HistoryFilter, serde_json::Map<String, serde_json::Value>) {
        // "Até" includes the whole day chosen.
        let ((from_ms, until_ms), errors) = super::period_filter(&self.from, &self.until, tz);
        let (protocol, contact, containing) = (self.protocol.clone(), self.contact.clone(), fts_query(&self.q));
        (HistoryFilter { from_ms, until_ms, protocol, contact, containing }, errors)
    }
}

#[get("/agent/history?<from>&<until>&<protocol>&<contact>&<q>&<page_no>")]
#[allow(clippy::too_many_arguments)]
async fn list(
    page: Page,
    floor: Floor,
    db: &State<Db>,
    from: Option<String>,
    until: Option<String>,
    protocol: Option<String>,
    contact: Option<String>,
    q: Option<String>,
    page_no: Option<i64>,
) -> WebResult<Template> {
    let typed = Typed {
        from: typed(from),
        until: typed(until),
        protocol: typed(protocol),
        contact: typed(contact),
        q: typed(q),
    };
    let (filter, errors) = typed.filter(page.time_zone);
    let pager = Pager::new(page_no, None);
    let (me, supervisor, offset) = (floor.id(), floor.supervisor, pager.offset());
    let (rows, total) =
        db.read(move |c| history::closed_conversations(c, me, supervisor, &filter, PAGE_SIZE, offset)).await?;
    let (filtered, query) = (typed.pairs().iter().any(|(_, v)| !v.is_empty()), super::query_string(&typed.pairs()));
    let pager = pager.with_total(total);
    Ok(page.render("history/list.html", context! { rows, filtered, query, errors, pager, filter: typed }))
}

pub fn routes() -> Vec<Route> {
    routes![list]
}
