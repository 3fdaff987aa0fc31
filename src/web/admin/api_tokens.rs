//! "Tokens da API" (Integrações): the list with each token's scopes, networks and last
//! use, the form of a new token, the token shown once after it is made, and "Revogar".
//! The use cases are `catalog::api_tokens`.

use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use crate::catalog::api_tokens::{self as catalogue, TokenDraft};
use crate::catalog::CatalogError;
use crate::config::Config;
use crate::db::Db;
use crate::domain::api_scope::{Resource, Scope};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Create, Delete, Integrations, View};
use crate::web::guards::Can;
use crate::web::page::Page;

/// The form's scopes, a row per resource: `(resource, [scope codes])`.
fn scope_rows() -> Vec<(&'static str, Vec<String>)> {
    Resource::ALL.iter().map(|r| (r.code(), r.accesses().iter().map(|a| Scope(*r, *a).code()).collect())).collect()
}

fn form_page(page: &Page, typed: &TokenDraft, errors: serde_json::Value) -> Template {
    page.render("admin/api_tokens/form.html", context! { typed, errors, scope_rows: scope_rows() })
}

#[get("/admin/api-tokens")]
async fn list(page: Page, _can: Can<Integrations, View>, db: &State<Db>) -> WebResult<Template> {
    let tokens = catalogue::list(db).await?;
    Ok(page.render("admin/api_tokens/list.html", context! { tokens }))
}

#[get("/admin/api-tokens/new")]
fn new(page: Page, _can: Can<Integrations, Create>) -> Template {
    form_page(&page, &TokenDraft::default(), serde_json::json!({}))
}

/// A token made is shown this once (201), never stored or shown again; a refused form
/// comes back with what was typed (422).
#[post("/admin/api-tokens", data = "<form>")]
async fn create(
    page: Page,
    can: Can<Integrations, Create>,
    form: CsrfForm<TokenDraft>,
    db: &State<Db>,
    config: &State<Config>,
) -> WebResult<(Status, Template)> {
    match catalogue::create(db, &can.actor(), &form.0).await {
        Ok(created) => {
            let (name, base_url) = (form.0.name.trim(), config.public_url());
            let context = context! { token: created.token, id: created.id, name, base_url };
            Ok((Status::Created, page.render("admin/api_tokens/created.html", context)))
        }
        Err(CatalogError::Invalid(errors)) => {
            let errors = serde_json::to_value(errors).unwrap_or_default();
            Ok((Status::UnprocessableEntity, form_page(&page, &form.0, errors)))
        }
        Err(other) => Err(other.into()),
    }
}

#[post("/admin/api-tokens/<id>/revoke", data = "<_form>")]
async fn revoke(
    can: Can<Integrations, Delete>,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
    id: i64,
) -> WebResult<Redirect> {
    catalogue::revoke(db, &can.actor(), id).await?;
    Ok(Redirect::to("/admin/api-tokens"))
}

pub fn routes() -> Vec<Route> {
    routes![list, new, create, revoke]
}
