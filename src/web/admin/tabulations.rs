//! "Tabulações" page: per team, the tree of reasons and sub-reasons with inline forms
//! (add a reason, add a sub-reason, rename, (de)activate, delete); every save goes back
//! to it. The use cases are in `catalog::tabulations`.

use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

use super::form::{answer_to, done, Done, Saved};
use crate::catalog::tabulations::{self, NewTabulation, TabulationEdit};
use crate::catalog::CatalogError;
use crate::db::{tabulations as stored, teams, Db};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Create, Delete, Edit, Tabulations, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

/// An inline form that was refused, shown again with what was typed and why.
#[derive(Debug, Clone, Default, Serialize)]
struct Failed {
    /// The form's element id: `tab-new`, `tab-sub-<reason>` or `tab-edit-<id>`.
    form: String,
    name: String,
    active: bool,
    /// Message key.
    error: String,
}

impl Failed {
    /// The refusal of a name in the form `form`; any other refusal is the page's.
    fn of(errors: &serde_json::Value, form: String, name: &str, active: bool) -> (Failed, Option<String>) {
        let key = |field: &str| errors.get(field).and_then(|k| k.as_str()).map(String::from);
        match key("name") {
            Some(error) => (Failed { form, name: name.to_string(), active, error }, None),
            None => (Failed::default(), key("parent_id")),
        }
    }
}

/// The page of the tabulations: the team picker, and the chosen team's tree.
async fn tab_page(
    page: &Page,
    db: &Db,
    team_id: Option<i64>,
    (failed, refusal): (Failed, Option<String>),
) -> WebResult<Template> {
    let (teams, chosen) = db
        .read(move |c| {
            let chosen = match team_id {
                Some(id) => match teams::team_by_id(c, id)? {
                    Some(team) => Some(Some((team, stored::tree_of_team(c, id)?))),
                    None => None,
                },
                None => Some(None),
            };
            Ok((stored::team_summaries(c)?, chosen))
        })
        .await?;
    let (team, tree) = chosen.ok_or(CatalogError::NotFound)?.unzip();
    Ok(page.render("admin/tabulations/list.html", context! { teams, team, tree, failed, refusal }))
}

/// Where every save goes back to.
fn team_page(team_id: i64) -> String {
    format!("/admin/tabulations?team={team_id}")
}

#[get("/admin/tabulations?<team>")]
async fn list(page: Page, _can: Can<Tabulations, View>, db: &State<Db>, team: Option<i64>) -> WebResult<Template> {
    tab_page(&page, db, team, (Failed::default(), None)).await
}

#[post("/admin/tabulations", data = "<form>")]
async fn create(
    page: Page,
    can: Can<Tabulations, Create>,
    htmx: Htmx,
    form: CsrfForm<NewTabulation>,
    db: &State<Db>,
) -> Saved {
    let typed = &form.0;
    let saved = tabulations::create(db, &can.actor(), typed).await;
    answer_to(saved, &htmx, team_page, |errors| {
        let form_id = match typed.parent_id.trim() {
            "" => "tab-new".to_string(),
            parent => format!("tab-sub-{parent}"),
        };
        let team_id = typed.team_id.trim().parse().ok();
        tab_page(&page, db, team_id, Failed::of(&errors, form_id, &typed.name, true))
    })
    .await
}

#[post("/admin/tabulations/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<Tabulations, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<TabulationEdit>,
    db: &State<Db>,
) -> Saved {
    let typed = &form.0;
    let saved = tabulations::update(db, &can.actor(), id, typed).await;
    answer_to(saved, &htmx, team_page, |errors| async move {
        let tabulation = db.read(move |c| stored::tabulation_by_id(c, id)).await?.ok_or(CatalogError::NotFound)?;
        let failed = Failed::of(&errors, format!("tab-edit-{id}"), &typed.name, typed.active);
        tab_page(&page, db, Some(tabulation.team_id), failed).await
    })
    .await
}

#[post("/admin/tabulations/<id>/delete", data = "<_form>")]
async fn delete(
    can: Can<Tabulations, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Done> {
    let team_id = tabulations::delete(db, &can.actor(), id).await?;
    Ok(done(&htmx, team_page(team_id)))
}

pub fn routes() -> Vec<Route> {
    routes![list, create, update, delete]
}
