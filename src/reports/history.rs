//! The "Histórico de Atendimentos" page: the filters checked, one page of rows in the
//! order asked, and the form's choices, in one read.

use serde::Serialize;

use super::criteria::{Criteria, FieldErrors, HistoryQuery};
use crate::db::paging::{Pager, PAGE_SIZE};
use crate::db::reports::history::{self, Order, ReportRow, Total};
use crate::db::reports::options::{filter_options, FilterOptions};
use crate::db::reports::Scope;
use crate::db::{settings, Db, DbResult};

#[derive(Debug, Serialize)]
pub struct HistoryPage {
    pub rows: Vec<ReportRow>,
    pub pager: Pager,
    /// Field → what is wrong; when any, no rows are read.
    pub errors: FieldErrors,
    pub options: FilterOptions,
    /// The form as typed, the period's days filled in when left empty.
    pub filter: HistoryQuery,
    pub order: Order,
}

/// Today in the company's zone, the day a period left empty ends on.
pub fn today(tz: chrono_tz::Tz) -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&tz).date_naive()
}

/// The typed filters checked with the company's zone and country.
pub fn criteria_of(conn: &rusqlite::Connection, query: &HistoryQuery) -> DbResult<Result<Criteria, FieldErrors>> {
    let company = settings::load(conn)?;
    let tz = company.zone();
    Ok(query.check(today(tz), tz, &company.default_country))
}

pub async fn history_page(db: &Db, scope: Scope, query: HistoryQuery, page_no: Option<i64>) -> DbResult<HistoryPage> {
    db.read(move |conn| {
        let options = filter_options(conn, scope)?;
        let mut filter = query.cleaned();
        let pager = Pager::new(page_no, None);
        let (rows, total, errors, order) = match criteria_of(conn, &query)? {
            Ok(criteria) => {
                let day = |d: chrono::NaiveDate| Some(d.format("%Y-%m-%d").to_string());
                (filter.from, filter.until) = (day(criteria.period.from), day(criteria.period.until));
                let (rows, total) =
                    history::page(conn, scope, &criteria.filter, criteria.order, PAGE_SIZE, pager.offset())?;
                (rows, total, FieldErrors::new(), criteria.order)
            }
            Err(errors) => (Vec::new(), Total { count: 0, more: false }, errors, Order::default()),
        };
        let pager = pager.with_total_at_least(total.count, total.more);
        Ok(HistoryPage { rows, pager, errors, options, filter, order })
    })
    .await
}
