//! What list pages share (the admin sections' and the contacts'): one page of the rows
//! the search finds, with its pager.

use rocket_dyn_templates::Template;
use rusqlite::Connection;
use serde::Serialize;

use crate::db::paging::{Pager, PAGE_SIZE};
use crate::db::{Db, DbResult};
use crate::web::errors::WebResult;
use crate::web::page::Page;

/// How a catalogue searches its rows: those matching the text, `limit` from `offset`,
/// and how many match in all.
pub type Search<T> = fn(&Connection, &str, i64, i64) -> DbResult<(Vec<T>, i64)>;

/// What a list template gets: the rows, the pager, and what else its page shows.
#[derive(Serialize)]
struct Listed<T, M> {
    rows: Vec<T>,
    pager: Pager,
    #[serde(flatten)]
    more: M,
}

/// Renders the list `template` with `rows` (page `page_no` of what `search` finds for
/// `q`), `pager`, and `more`: what else the page shows (`()` for nothing).
pub async fn list_page<T: Serialize + Send + 'static, M: Serialize>(
    page: &Page,
    db: &Db,
    template: &'static str,
    q: Option<String>,
    page_no: Option<i64>,
    search: Search<T>,
    more: M,
) -> WebResult<Template> {
    let pager = Pager::new(page_no, q);
    let (text, offset) = (pager.q.clone(), pager.offset());
    let (rows, total) = db.read(move |c| search(c, &text, PAGE_SIZE, offset)).await?;
    Ok(page.render(template, Listed { rows, pager: pager.with_total(total), more }))
}
