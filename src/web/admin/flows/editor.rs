//! The flow's page and its draft: a block's form (opened by clicking its box), saving
//! it, adding and deleting blocks, the flow's settings.

use rocket::form::FromForm;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::Template;

use super::view::{self, words, Panel, Said};
use crate::catalog::flows::{self as catalog, BlockForm, FlowSettings};
use crate::db::Db;
use crate::web::admin::form::{answer_to, Saved};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Edit, Flows, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

/// The page: the block `block` open, the settings (`panel=settings`, or nothing
/// chosen), or the simulator (`panel=sim`) beside the diagram.
#[get("/admin/flows/<id>?<block>&<panel>")]
async fn page(
    page: Page,
    _can: Can<Flows, View>,
    db: &State<Db>,
    id: i64,
    block: Option<String>,
    panel: Option<&str>,
) -> WebResult<Template> {
    let panel = match (block, panel) {
        (Some(id), _) => Panel::Block { id, typed: None },
        (None, Some("sim")) => Panel::Simulator { sim: Default::default(), options: super::simulator::options(&page) },
        _ => Panel::Settings { typed: None },
    };
    view::render(&page, db, id, panel, Said::default()).await
}

/// Saves a block's form into the draft; a block chosen as "novo bloco" is added.
#[post("/admin/flows/<id>/blocks/<block>", data = "<form>")]
async fn save_block(
    page: Page,
    can: Can<Flows, Edit>,
    htmx: Htmx,
    db: &State<Db>,
    id: i64,
    block: &str,
    form: CsrfForm<BlockForm>,
) -> Saved {
    let lang = page.lang;
    let name_for = move |code: &str| words(lang, &format!("flow-kind-{code}"), vec![]);
    let saved = catalog::save_block(db, &can.actor(), id, block, &form.0, name_for).await;
    let panel = Panel::Block { id: block.to_string(), typed: Some(form.0.clone()) };
    let again = |errors| view::render(&page, db, id, panel, Said { errors, ..Said::default() });
    answer_to(saved, &htmx, |_| format!("/admin/flows/{id}?block={block}"), again).await
}

#[derive(Debug, FromForm)]
struct NewBlock {
    kind: String,
}

/// "Novo bloco": a blank block of the kind chosen, opened.
#[post("/admin/flows/<id>/blocks", data = "<form>")]
async fn add_block(
    page: Page,
    can: Can<Flows, Edit>,
    htmx: Htmx,
    db: &State<Db>,
    id: i64,
    form: CsrfForm<NewBlock>,
) -> Saved {
    let name = words(page.lang, &format!("flow-kind-{}", form.0.kind), vec![]);
    let added = catalog::add_block(db, &can.actor(), id, &form.0.kind, &name).await;
    let again =
        |errors| view::render(&page, db, id, Panel::Settings { typed: None }, Said { errors, ..Said::default() });
    answer_to(added, &htmx, |block| format!("/admin/flows/{id}?block={block}"), again).await
}

/// Deletes a block and says which blocks' exits it left empty.
#[post("/admin/flows/<id>/blocks/<block>/delete", data = "<_form>")]
async fn delete_block(
    page: Page,
    can: Can<Flows, Edit>,
    db: &State<Db>,
    id: i64,
    block: &str,
    _form: CsrfForm<NoFields>,
) -> WebResult<Template> {
    let pointed = catalog::delete_block(db, &can.actor(), id, block).await?;
    let notice = match pointed.is_empty() {
        true => words(page.lang, "flows-block-deleted", vec![]),
        false => words(page.lang, "flows-block-deleted-exits", vec![("blocks", pointed.join(", "))]),
    };
    view::render(&page, db, id, Panel::Settings { typed: None }, Said { notice: Some(notice), ..Said::default() }).await
}

/// The flow's name, idle rule and private addresses.
#[post("/admin/flows/<id>/settings", data = "<form>")]
async fn settings(
    page: Page,
    can: Can<Flows, Edit>,
    htmx: Htmx,
    db: &State<Db>,
    id: i64,
    form: CsrfForm<FlowSettings>,
) -> Saved {
    let saved = catalog::save_settings(db, &can.actor(), id, &form.0).await;
    let panel = Panel::Settings { typed: Some(form.0.clone()) };
    let again = |errors| view::render(&page, db, id, panel, Said { errors, ..Said::default() });
    answer_to(saved, &htmx, |_| format!("/admin/flows/{id}?panel=settings"), again).await
}

pub fn routes() -> Vec<Route> {
    routes![page, save_block, add_block, delete_block, settings]
}
