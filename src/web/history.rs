//! "Histórico" (top menu): the closed conversations the agent may see by their history
//! permission, newest first, a page at a time, filtered by period, protocol, contact
//! name and "Mensagens contendo" (words of the messages, accents and case ignored);
//! each row opens its transcript (`/agent/history/<id>`, in `contacts`).

use rocket::{get, routes, Route, State};
use rocket_dyn_templates::{context, Template};

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
    let (from, until, protocol, contact, q) = (typed(from), typed(until), typed(protocol), typed(contact), typed(q));
    let tz = page.time_zone;
    // "Até" includes the whole day chosen.
    let ((from_ms, until_ms), errors) = crate::web::period_filter(&from, &until, tz);
    let filter = HistoryFilter {
        from_ms,
        until_ms,
        protocol: protocol.clone(),
        contact: contact.clone(),
        containing: fts_query(&q),
    };
    let pager = Pager::new(page_no, None);
    let (me, supervisor, offset) = (floor.id(), floor.supervisor, pager.offset());
    let (rows, total) =
        db.read(move |c| history::closed_conversations(c, me, supervisor, &filter, PAGE_SIZE, offset)).await?;
    let filtered = [&from, &until, &protocol, &contact, &q].iter().any(|v| !v.is_empty());
    let query = [("from", &from), ("until", &until), ("protocol", &protocol), ("contact", &contact), ("q", &q)]
        .iter()
        .map(|(k, v)| format!("{k}={}", super::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    Ok(page.render(
        "history/list.html",
        context! {
            rows, filtered, query, errors,
            pager: pager.with_total(total),
            filter: context! { from, until, protocol, contact, q },
        },
    ))
}

pub fn routes() -> Vec<Route> {
    routes![list]
}
