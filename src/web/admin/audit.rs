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
    let tz = page.time_zone;
    let (from, until) = (from.unwrap_or_default(), until.unwrap_or_default());
    // "Até" includes the whole day chosen.
    let ((from_ms, until_ms), errors) = crate::web::period_filter(&from, &until, tz);
    let filter = AuditFilter {
        actor_id: user,
        action: action.clone().unwrap_or_default().chars().take(80).collect(),
        from_ms,
        until_ms,
    };
    let page_no = Pager::new(page_no, None).page_no;
    let found = db.read(move |c| audit::audit_page(c, &filter, page_no, AUDIT_PAGE)).await?;
    let query = format!(
        "user={}&action={}&from={}&until={}",
        user.map(|u| u.to_string()).unwrap_or_default(),
        crate::web::urlencode(action.as_deref().unwrap_or_default()),
        crate::web::urlencode(&from),
        crate::web::urlencode(&until),
    );
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
