//! "Nível de serviço" (F-RE-4): the page (summary against the target, the waits'
//! histogram, volume by channel, the arrivals' heat map; in business hours only when
//! asked) and its tables as XLSX or CSV, granted by its own area; and the target's
//! form, for whoever may edit teams.

use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::{exported, status_of, Exported};
use crate::catalog::service_target::{save, TargetDraft};
use crate::catalog::CatalogError;
use crate::db::reports::Scope;
use crate::db::Db;
use crate::domain::fields::FieldErrors;
use crate::reports::export::{export_tables, SheetKind, TableExport};
use crate::reports::period::PeriodQuery;
use crate::reports::service_level::{service_page, service_tables};
use crate::web::csrf::CsrfForm;
use crate::web::errors::WebResult;
use crate::web::guards::{perm, Can, ReportViewer};
use crate::web::page::Page;

type Viewer = Can<perm::ServiceReport, perm::View>;

/// The page; after a refused target, with the target as typed and its errors.
async fn render(
    page: &Page,
    db: &Db,
    scope: Scope,
    filter: PeriodQuery,
    hours: bool,
    refused: Option<(TargetDraft, FieldErrors)>,
) -> WebResult<(Status, Template)> {
    let report = service_page(db, scope, filter, hours, page.lang).await?;
    let query = super::pairs_query(&report.filter.pairs());
    let (typed, target_errors) = refused.unzip();
    let target_errors = target_errors.unwrap_or_default();
    let status = if target_errors.is_empty() { status_of(&report.errors) } else { Status::UnprocessableEntity };
    Ok((status, page.render("reports/service_level.html", context! { report, query, typed, target_errors })))
}

#[get("/reports/service-level?<hours>&<filter..>")]
async fn show(
    page: Page,
    _granted: Viewer,
    viewer: ReportViewer,
    db: &State<Db>,
    hours: Option<bool>,
    filter: PeriodQuery,
) -> WebResult<(Status, Template)> {
    render(&page, db, viewer.scope(), filter, hours.unwrap_or(false), None).await
}

#[get("/reports/service-level/export/<kind>?<hours>&<filter..>")]
async fn export(
    page: Page,
    granted: Viewer,
    viewer: ReportViewer,
    db: &State<Db>,
    kind: &str,
    hours: Option<bool>,
    filter: PeriodQuery,
) -> WebResult<Option<Exported>> {
    let Some(kind) = SheetKind::parse(kind) else { return Ok(None) };
    let (lang, query, scope, hours) = (page.lang, filter.clone(), viewer.scope(), hours.unwrap_or(false));
    let mut filters = filter.pairs();
    filters.extend(hours.then(|| ("hours", "true".to_string())));
    let how = TableExport { kind, lang, actor: granted.actor(), report: "service-level", filters };
    let done = export_tables(db, how, move |conn| service_tables(conn, scope, &query, hours, lang)).await;
    exported(done, || render(&page, db, scope, filter, hours, None)).await.map(Some)
}

/// The target of the team chosen (or the company's); back to the report of that team.
#[post("/reports/service-level/target", data = "<form>")]
async fn set_target(
    page: Page,
    _granted: Viewer,
    editor: Can<perm::Teams, perm::Edit>,
    viewer: ReportViewer,
    db: &State<Db>,
    form: CsrfForm<TargetDraft>,
) -> WebResult<Result<Redirect, (Status, Template)>> {
    let draft = form.0;
    let filter = PeriodQuery { team: draft.team.map(|t| t.to_string()), ..PeriodQuery::default() };
    match save(db, &editor.actor(), draft.clone()).await {
        Ok(()) => Ok(Ok(Redirect::to(format!("/reports/service-level?{}", super::pairs_query(&filter.pairs()))))),
        Err(CatalogError::Invalid(errors)) => {
            Ok(Err(render(&page, db, viewer.scope(), filter, false, Some((draft, errors))).await?))
        }
        Err(other) => Err(other.into()),
    }
}

pub fn routes() -> Vec<Route> {
    routes![show, export, set_target]
}
