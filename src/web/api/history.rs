//! `GET /api/v1/reports/history`: the history report ("Histórico de Atendimentos") as
//! JSON, with the page's filters (the same names, clearer: `name`, `containing`,
//! `sub_reason`) checked the page's way — a period of at most 31 days — and read by the
//! page's own query, oldest close first, so a page's cursor (its place in the list)
//! never repeats nor skips a row as new closes arrive at the end. Times are RFC 3339
//! with the company's offset.

use rocket::{get, routes, FromForm, Route, State};
use serde_json::{json, Value};

use super::token::{Read, Reports, Scoped};
use super::{ok, paging, ApiError, ApiResult};
use crate::db::reports::history::{self as report, ReportRow};
use crate::db::reports::Scope;
use crate::db::{settings, Db};
use crate::domain::api_scope::cursor_after;
use crate::domain::clock::rfc3339_in;
use crate::reports::criteria::HistoryQuery;
use crate::reports::history::criteria_of;

/// The filters as the API names them.
#[derive(Debug, Default, FromForm)]
struct Filters {
    from: Option<String>,
    until: Option<String>,
    protocol: Option<String>,
    name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    containing: Option<String>,
    team: Option<String>,
    agent: Option<String>,
    channel: Option<String>,
    reason: Option<String>,
    sub_reason: Option<String>,
    tag: Option<String>,
    score: Option<String>,
}

/// The page's field names that the API calls otherwise.
const RENAMED: [(&str, &str); 3] = [("client", "name"), ("q", "containing"), ("sub", "sub_reason")];

impl Filters {
    fn query(self) -> HistoryQuery {
        let Filters {
            from,
            until,
            protocol,
            name,
            phone,
            email,
            containing,
            team,
            agent,
            channel,
            reason,
            sub_reason,
            tag,
            score,
        } = self;
        let (sort, dir) = (Some("closed".to_string()), Some("asc".to_string()));
        let (client, q, sub) = (name, containing, sub_reason);
        HistoryQuery {
            from,
            until,
            protocol,
            client,
            phone,
            email,
            q,
            team,
            agent,
            channel,
            reason,
            sub,
            tag,
            score,
            sort,
            dir,
        }
    }
}

/// A row with its times in the company's zone.
fn entry(row: ReportRow, tz: chrono_tz::Tz) -> Value {
    let (opened, closed) = (rfc3339_in(row.opened_at, tz), rfc3339_in(row.closed_at, tz));
    let mut entry = serde_json::to_value(row).unwrap_or_default();
    (entry["opened_at"], entry["closed_at"]) = (opened.into(), closed.into());
    entry
}

#[get("/api/v1/reports/history?<cursor>&<limit>&<filters..>")]
async fn history(
    _s: Scoped<Reports, Read>,
    db: &State<Db>,
    cursor: Option<&str>,
    limit: Option<i64>,
    filters: Filters,
) -> ApiResult {
    let (offset, limit) = paging(cursor, limit)?;
    let query = filters.query();
    let read = db
        .read(move |c| {
            let criteria = match criteria_of(c, &query)? {
                Ok(criteria) => criteria,
                Err(errors) => return Ok(Err(errors)),
            };
            let tz = settings::load(c)?.zone();
            let everyone = Scope { user_id: 0, sees_all: true };
            let (rows, _) = report::page(c, everyone, &criteria.filter, criteria.order, limit, offset)?;
            Ok(Ok(rows.into_iter().map(|r| entry(r, tz)).collect::<Vec<_>>()))
        })
        .await?;
    let rows = read.map_err(|errors| match errors.into_iter().next() {
        Some((field, key)) => {
            let named = RENAMED.iter().find(|(page, _)| *page == field).map_or(field.as_str(), |(_, api)| api);
            ApiError::invalid(named.to_string(), key.as_str().unwrap_or("api-error-bad-request").to_string())
        }
        None => ApiError::bad_request("api-error-bad-request"),
    })?;
    let next = (rows.len() as i64 == limit).then(|| cursor_after(offset + limit));
    ok(json!({ "data": rows, "next_cursor": next }))
}

pub fn routes() -> Vec<Route> {
    routes![history]
}
