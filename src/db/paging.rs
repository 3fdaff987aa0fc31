//! Search and pagination shared by every list page.

use serde::Serialize;

pub const PAGE_SIZE: i64 = 25;

/// A `LIKE` pattern matching `search` anywhere, with `%`, `_` and `\` taken literally
/// (use with `ESCAPE '\'`).
pub fn like_pattern(search: &str) -> String {
    let escaped = search.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// Where a list is: page number (from 1), page count, total rows and the search.
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    pub page_no: i64,
    pub pages: i64,
    pub total: i64,
    /// There are more than `total` rows (a count that stopped at a cap).
    pub more: bool,
    pub q: String,
}

impl Pager {
    /// The requested page, clamped to at least 1; `offset()` for the query.
    pub fn new(page_no: Option<i64>, q: Option<String>) -> Pager {
        Pager {
            page_no: page_no.unwrap_or(1).max(1),
            pages: 1,
            total: 0,
            more: false,
            q: q.unwrap_or_default().chars().take(100).collect(),
        }
    }

    pub fn offset(&self) -> i64 {
        (self.page_no - 1).saturating_mul(PAGE_SIZE)
    }

    /// Records the total once counted.
    pub fn with_total(mut self, total: i64) -> Pager {
        self.total = total;
        self.pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
        self
    }

    /// Records a count that stopped before the end: one more page can be asked for.
    pub fn with_total_at_least(self, total: i64, more: bool) -> Pager {
        let mut pager = self.with_total(total);
        pager.more = more;
        pager.pages += i64::from(more);
        pager
    }
}
