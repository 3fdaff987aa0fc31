//! "Registro de auditoria": who changed what, when and from where, with filters.

use rocket::{get, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use crate::db::audit::{self, AuditFilter};
use crate::db::paging::Pager;
use crate::db::Db;
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Audit, View};
use crate::web::guards::Can;
use crate::web::page::Page;

const AUDIT_PAGE: i64 = 50;

/// The filters as typed: the search they ask for, the field errors of days that are
/// not days, and the query string of the pager's links.
fn filter_of(
    user: Option<i64>,
    action: &str,
    from: &str,
    until: &str,
    tz: chrono_tz::Tz,
) -> (AuditFilter, serde_json::Map<String, serde_json::Value>, String) {
    // "Até" includes the whole day chosen.
    let ((from_ms, until_ms), errors) = crate::web::period_filter(from, until, tz);
    let filter = AuditFilter { actor_id: user, action: action.chars().take(80).collect(), from_ms, until_ms };
    let user = user.map(|u| u.to_string()).unwrap_or_default();
    let query = crate::web::query_string(&[("user", &user), ("action", action), ("from", from), ("until", until)]);
    (filter, errors, query)
}

#[get("/admin/audit?<user>&<action>&<from>&<until>&<page_no>")]
#[allow(clippy::too_many_arguments)]
async fn list(
    page: Page,
    _can: Can<Audit, View>,
    db: &State<Db>,
    user: Option<i64>,
    action: Option<String>,
    from: Option<String>,
    until: Option<String>,
    page_no: Option<i64>,
) -> WebResult<Template> {
    let (from, until) = (from.unwrap_or_default(), until.unwrap_or_default());
    let (filter, errors, query) = filter_of(user, action.as_deref().unwrap_or_default(), &from, &until, page.time_zone);
    let page_no = Pager::new(page_no, None).page_no;
    let found = db.read(move |c| audit::audit_page(c, &filter, page_no, AUDIT_PAGE)).await?;
    Ok(page.render(
        "admin/audit/list.html",
        context! {
            rows: found.rows, total: found.total, pages: found.pages, page_no, people: found.people,
            actions: found.actions, query, filter: context! { user, action, from, until }, errors,
        },
    ))
}

pub fn routes() -> Vec<Route> {
    routes![list]
}
