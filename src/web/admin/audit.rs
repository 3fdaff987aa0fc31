//! "Registro de auditoria": who changed what, when and from where, with filters.

use rocket::{get, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use crate::db::audit::{self, AuditFilter};
use crate::db::paging::Pager;
use crate::db::{users, Db};
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
    let pager = Pager::new(page_no, None);
    let offset = (pager.page_no - 1) * AUDIT_PAGE;
    let (entries, total, people, actions) = db
        .read(move |c| {
            let (entries, total) = audit::search(c, &filter, AUDIT_PAGE, offset)?;
            let (people, _) = users::list_users(c, "", 1000, 0)?;
            Ok((entries, total, people, audit::actions(c)?))
        })
        .await?;
    let pages = ((total + AUDIT_PAGE - 1) / AUDIT_PAGE).max(1);
    let people: Vec<_> = people.iter().map(|u| serde_json::json!({"id": u.id, "name": u.name})).collect();
    // Pretty JSON of the details for the expandable row.
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            let pretty = serde_json::from_str::<serde_json::Value>(&e.details)
                .ok()
                .and_then(|v| serde_json::to_string_pretty(&v).ok())
                .unwrap_or_else(|| e.details.clone());
            serde_json::json!({"entry": e, "details": pretty})
        })
        .collect();
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
            rows, total, pages, page_no: pager.page_no, people, actions, query,
            filter: context! { user, action, from, until },
            errors,
        },
    ))
}

pub fn routes() -> Vec<Route> {
    routes![list]
}
