//! "Filtro de palavras": words an agent may not send (the message is refused) and
//! short replies ("obrigado", "ok", "👍") that do not open a new conversation when they
//! arrive shortly after one closed. One page with both lists, the add forms (one term
//! per line) and the minutes the ignore terms apply for.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{done, Done};
use crate::accounts::{AccountError, FieldErrors};
use crate::db::word_filter::{self, FilterTerm, KINDS};
use crate::db::{audit, settings, Db, DbResult};
use crate::domain::fields;
use crate::domain::text::fold;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Create, Delete, Edit, View, WordFilter};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

const BASE: &str = "/admin/word-filter";
/// Longest term, in characters.
const MAX_TERM: usize = 60;
/// Most terms added at once.
const MAX_TERMS_AT_ONCE: usize = 500;

/// What the page shows besides the lists: the form that failed (`blocked`, `ignore` or
/// `window`) with what was typed and its errors, and the note after a save.
#[derive(Debug, Default, serde::Serialize)]
struct PageState {
    failed: &'static str,
    typed_terms: String,
    typed_window: Option<String>,
    errors: serde_json::Value,
    added: Option<i64>,
    skipped: Option<i64>,
    saved: bool,
}

async fn render_page(page: &Page, db: &Db, state: PageState) -> WebResult<Template> {
    let (blocked, ignore, window) = db
        .read(|c| {
            Ok((
                word_filter::list_terms(c, "blocked")?,
                word_filter::list_terms(c, "ignore")?,
                settings::load(c)?.ignore_window_minutes,
            ))
        })
        .await?;
    let window_minutes = state.typed_window.clone().unwrap_or_else(|| window.to_string());
    let lists = serde_json::json!([{ "kind": "blocked", "terms": blocked }, { "kind": "ignore", "terms": ignore }]);
    Ok(page.render("admin/word_filter/list.html", context! { lists, window_minutes, state }))
}

#[get("/admin/word-filter?<added>&<skipped>&<saved>")]
async fn list(
    page: Page,
    _can: Can<WordFilter, View>,
    db: &State<Db>,
    added: Option<i64>,
    skipped: Option<i64>,
    saved: Option<bool>,
) -> WebResult<Template> {
    let state = PageState { added, skipped, saved: saved.unwrap_or(false), ..Default::default() };
    render_page(&page, db, state).await
}

#[derive(Debug, FromForm)]
struct AddForm {
    /// `blocked` or `ignore`.
    kind: String,
    /// One term per line.
    terms: String,
}

/// The terms typed, one per line: trimmed, inner spaces made one, empty lines dropped.
fn terms_of(errors: &mut FieldErrors, text: &str) -> Vec<String> {
    let terms: Vec<String> =
        text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|l| !l.is_empty()).collect();
    if terms.is_empty() {
        errors.insert("terms", "field-required");
    } else if terms.len() > MAX_TERMS_AT_ONCE {
        errors.insert("terms", "word-filter-too-many");
    } else if terms.iter().any(|t| t.chars().count() > MAX_TERM) {
        errors.insert("terms", "word-filter-term-too-long");
    } else if terms.iter().any(|t| t.chars().any(char::is_control)) {
        errors.insert("terms", "field-invalid-characters");
    }
    terms
}

/// Adds the terms not yet in the list (compared case- and accent-insensitively) and
/// returns (added, skipped).
fn add_terms(conn: &rusqlite::Connection, kind: &str, terms: &[String]) -> DbResult<(Vec<String>, usize)> {
    let mut known: Vec<String> = word_filter::terms_of_kind(conn, kind)?.iter().map(|t| fold(t)).collect();
    let (mut added, mut skipped) = (Vec::new(), 0);
    for term in terms {
        let folded = fold(term);
        if known.contains(&folded) {
            skipped += 1;
            continue;
        }
        word_filter::insert_term(conn, kind, term)?;
        known.push(folded);
        added.push(term.clone());
    }
    Ok((added, skipped))
}

#[post("/admin/word-filter", data = "<form>")]
async fn add(
    page: Page,
    can: Can<WordFilter, Create>,
    htmx: Htmx,
    form: CsrfForm<AddForm>,
    db: &State<Db>,
) -> WebResult<Result<Done, (Status, Template)>> {
    let AddForm { kind, terms: typed } = form.0;
    let mut errors = FieldErrors::new();
    let failed = KINDS.iter().copied().find(|k| *k == kind.trim());
    if failed.is_none() {
        errors.insert("terms", "word-filter-kind-invalid");
    }
    let terms = terms_of(&mut errors, &typed);
    if !errors.is_empty() {
        let state = PageState {
            failed: failed.unwrap_or("blocked"),
            typed_terms: typed,
            errors: serde_json::to_value(errors).unwrap_or_default(),
            ..Default::default()
        };
        return Ok(Err((Status::UnprocessableEntity, render_page(&page, db, state).await?)));
    }
    let kind = failed.unwrap_or("blocked");
    let actor = can.actor();
    let (added, skipped) = db
        .write(move |tx| {
            let (added, skipped) = add_terms(tx, kind, &terms)?;
            if !added.is_empty() {
                let after = serde_json::json!({ "kind": kind, "terms": added });
                audit::record_change(
                    tx,
                    &actor,
                    "word_filter.add",
                    &format!("word_filter:{kind}"),
                    None,
                    Some(&after),
                )?;
            }
            Ok((added.len(), skipped))
        })
        .await?;
    Ok(Ok(done(&htmx, format!("{BASE}?added={added}&skipped={skipped}"))))
}

#[derive(Debug, FromForm)]
struct WindowForm {
    window_minutes: String,
}

#[post("/admin/word-filter/window", data = "<form>")]
async fn save_window(
    page: Page,
    can: Can<WordFilter, Edit>,
    htmx: Htmx,
    form: CsrfForm<WindowForm>,
    db: &State<Db>,
) -> WebResult<Result<Done, (Status, Template)>> {
    let typed = form.0.window_minutes;
    let mut errors = FieldErrors::new();
    let minutes = fields::number(&mut errors, "window_minutes", &typed, 1, 1440, true);
    let Some(minutes) = minutes.filter(|_| errors.is_empty()) else {
        let state = PageState {
            failed: "window",
            typed_window: Some(typed),
            errors: serde_json::to_value(errors).unwrap_or_default(),
            ..Default::default()
        };
        return Ok(Err((Status::UnprocessableEntity, render_page(&page, db, state).await?)));
    };
    let actor = can.actor();
    db.write(move |tx| {
        let mut current = settings::load(tx)?;
        let before = serde_json::json!({ "ignore_window_minutes": current.ignore_window_minutes });
        current.ignore_window_minutes = minutes;
        settings::save(tx, &current)?;
        let after = serde_json::json!({ "ignore_window_minutes": minutes });
        audit::record_change(tx, &actor, "word_filter.window", "settings", Some(&before), Some(&after))
    })
    .await?;
    Ok(Ok(done(&htmx, format!("{BASE}?saved=true"))))
}

#[post("/admin/word-filter/<id>/delete", data = "<_form>")]
async fn delete(
    can: Can<WordFilter, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Done> {
    let actor = can.actor();
    db.write(move |tx| {
        let Some(before): Option<FilterTerm> = word_filter::term_by_id(tx, id)? else {
            return Ok(Err(AccountError::NotFound));
        };
        // Terms are only compared with messages as they arrive; nothing refers to them.
        word_filter::delete_term(tx, id)?;
        audit::record_change(tx, &actor, "word_filter.delete", &format!("word_filter:{id}"), Some(&before), None)?;
        Ok(Ok(()))
    })
    .await??;
    Ok(done(&htmx, BASE.into()))
}

pub fn routes() -> Vec<Route> {
    routes![list, add, save_window, delete]
}
