//! Canned phrases on the floor: what the composer offers after `/` (JSON for
//! static/composer.js), the `/shortcut` + Tab expansion, and the agent's own phrases
//! ("Minhas frases": list, create, edit, delete). Team and company-wide phrases are the
//! administrators' (`web::admin::phrases`); the page links there for whoever may edit them.

use rocket::http::{ContentType, Status};
use rocket::serde::json::Json;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

use super::{refusal_status, Floor};
use crate::catalog::phrases::PhraseDraft;
use crate::catalog::{self, CatalogError};
use crate::db::phrases;
use crate::db::Db;
use crate::engine::phrases::PhraseChoice;
use crate::engine::{Engine, EngineError};
use crate::i18n;
use crate::web::admin::form::{answer, done, Done, Saved};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::{Htmx, SignedIn};
use crate::web::page::Page;

/// "Nenhuma frase padrão com o atalho /x."
fn unknown(page: &Page, shortcut: &str) -> String {
    let shortcut = shortcut.trim().trim_start_matches('/').to_string();
    i18n::translate_with(page.lang, "composer-phrase-unknown", &[("shortcut", shortcut.into())])
}

/// A refusal of the engine as a status; a database failure stays an error.
fn refused<T>(e: EngineError) -> WebResult<Result<T, Status>> {
    match e {
        EngineError::Db(e) => Err(e.into()),
        e => Ok(Err(refusal_status(&e))),
    }
}

#[derive(Serialize)]
struct Offered {
    shortcut: String,
    text: String,
    /// "Minha", the team's name or "Toda a empresa".
    scope: String,
    personal: bool,
}

#[derive(Serialize)]
struct Offer {
    phrases: Vec<Offered>,
    /// Said when nothing matches.
    message: String,
}

/// The phrases this agent may use in the conversation whose shortcut or text holds `q`.
#[get("/agent/conversations/<id>/phrases?<q>")]
async fn offered(
    page: Page,
    floor: Floor,
    engine: &State<Engine>,
    id: i64,
    q: Option<&str>,
) -> WebResult<Result<Json<Offer>, Status>> {
    let q = q.unwrap_or_default();
    let found = match engine.phrases_for(&floor.agent(), id, q).await {
        Ok(found) => found,
        Err(e) => return refused(e),
    };
    let scope = |p: &PhraseChoice| match (&p.team_name, p.personal) {
        (_, true) => page.t("phrases-scope-mine"),
        (Some(team), false) => team.clone(),
        (None, false) => page.t("phrases-company-wide"),
    };
    let message = if found.is_empty() { unknown(&page, q) } else { String::new() };
    let phrases = found
        .into_iter()
        .map(|p| Offered { scope: scope(&p), shortcut: p.shortcut, text: p.text, personal: p.personal })
        .collect();
    Ok(Ok(Json(Offer { phrases, message })))
}

/// `/saudacao` + Tab: the phrase filled in, or (404) a line saying there is none.
#[get("/agent/conversations/<id>/phrase?<shortcut>")]
async fn expanded(
    page: Page,
    floor: Floor,
    engine: &State<Engine>,
    id: i64,
    shortcut: &str,
) -> WebResult<Result<(Status, (ContentType, String)), Status>> {
    match engine.expand_phrase(&floor.agent(), id, shortcut).await {
        Ok(Some(text)) => Ok(Ok((Status::Ok, (ContentType::Plain, text)))),
        Ok(None) => Ok(Ok((Status::NotFound, (ContentType::Plain, unknown(&page, shortcut))))),
        Err(e) => refused(e),
    }
}

/// Where a save goes: the list, saying it was saved.
const SAVED: &str = "/agent/phrases?saved=1";

#[get("/agent/phrases?<saved>")]
async fn list(page: Page, me: SignedIn, db: &State<Db>, saved: Option<&str>) -> WebResult<Template> {
    let id = me.user.id;
    let (own, shared) =
        db.read(move |c| Ok((phrases::own_phrases(c, id)?, phrases::phrases_of_teams_of(c, id)?))).await?;
    Ok(page.render("agent/phrases/list.html", context! { own, shared, saved: saved.is_some() }))
}

fn form_page(page: &Page, id: Option<i64>, typed: &PhraseDraft, errors: serde_json::Value) -> Template {
    let placeholders = catalog::phrases::placeholders();
    page.render("agent/phrases/form.html", context! { id, typed, errors, placeholders })
}

#[get("/agent/phrases/new")]
fn new_form(page: Page, _me: SignedIn) -> Template {
    form_page(&page, None, &PhraseDraft::default(), serde_json::json!({}))
}

#[get("/agent/phrases/<id>")]
async fn edit_form(page: Page, me: SignedIn, id: i64, db: &State<Db>) -> WebResult<Template> {
    let owner = me.user.id;
    let phrase = db.read(move |c| phrases::own_phrase(c, id, owner)).await?.ok_or(CatalogError::NotFound)?;
    Ok(form_page(&page, Some(id), &PhraseDraft::of(&phrase), serde_json::json!({})))
}

#[post("/agent/phrases", data = "<form>")]
async fn create(page: Page, me: SignedIn, htmx: Htmx, form: CsrfForm<PhraseDraft>, db: &State<Db>) -> Saved {
    let saved = catalog::phrases::save_own(db, &me.actor(), me.user.id, None, &form.0).await;
    answer(saved, &htmx, SAVED, |errors| async { Ok(form_page(&page, None, &form.0, errors)) }).await
}

#[post("/agent/phrases/<id>", data = "<form>")]
async fn update(page: Page, me: SignedIn, htmx: Htmx, id: i64, form: CsrfForm<PhraseDraft>, db: &State<Db>) -> Saved {
    let saved = catalog::phrases::save_own(db, &me.actor(), me.user.id, Some(id), &form.0).await;
    answer(saved, &htmx, SAVED, |errors| async { Ok(form_page(&page, Some(id), &form.0, errors)) }).await
}

#[post("/agent/phrases/<id>/delete", data = "<_form>")]
async fn delete(me: SignedIn, htmx: Htmx, id: i64, _form: CsrfForm<NoFields>, db: &State<Db>) -> WebResult<Done> {
    catalog::phrases::delete_own(db, &me.actor(), me.user.id, id).await?;
    Ok(done(&htmx, "/agent/phrases".into()))
}

pub fn routes() -> Vec<Route> {
    routes![offered, expanded, list, new_form, create, edit_form, update, delete]
}
