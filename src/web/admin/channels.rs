//! "Canais": where customers write from. For now the web chat: name, colour, greeting,
//! pre-chat fields, default team, schedule group; the key is generated once and the
//! edit page shows the snippet to paste into the company's site.

use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};

use super::form::{answer, answer_to, done, Done, Saved};
use super::list::list_page;
use crate::catalog::channels::{self as catalog, ChannelDraft};
use crate::catalog::CatalogError;
use crate::config::Config;
use crate::db::{channels, schedules, teams, Db};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::perm::{Channels, Create, Delete, Edit, View};
use crate::web::guards::{Can, Htmx};
use crate::web::page::Page;

const LIST: &str = "/admin/channels";

#[get("/admin/channels?<q>&<page_no>")]
async fn list(
    page: Page,
    _can: Can<Channels, View>,
    db: &State<Db>,
    q: Option<String>,
    page_no: Option<i64>,
) -> WebResult<Template> {
    list_page(&page, db, "admin/channels/list.html", q, page_no, channels::list_channels, ()).await
}

/// The form, new (`id` `None`) or edit (with the snippet to paste into the site), with
/// what was typed and its errors.
async fn form_page(
    page: &Page,
    db: &Db,
    config: &Config,
    id: Option<i64>,
    typed: &ChannelDraft,
    errors: serde_json::Value,
) -> WebResult<Template> {
    let (channel, team_list, group_list) = db
        .read(move |c| {
            let channel = match id {
                Some(id) => channels::channel_by_id(c, id)?,
                None => None,
            };
            let teams: Vec<_> =
                teams::all_teams(c)?.into_iter().map(|t| serde_json::json!({"id": t.id, "name": t.name})).collect();
            let (groups, _) = schedules::list_groups(c, "", 1000, 0)?;
            let groups: Vec<_> =
                groups.into_iter().map(|g| serde_json::json!({"id": g.group.id, "name": g.group.name})).collect();
            Ok((channel, teams, groups))
        })
        .await?;
    // The channel may have gone while its form was open.
    if id.is_some() && channel.is_none() {
        return Err(CatalogError::NotFound.into());
    }
    let key = channel.map(|c| c.key);
    let base = config.public_url();
    Ok(page.render(
        "admin/channels/form.html",
        context! { id, key, base, typed, errors, teams: team_list, groups: group_list },
    ))
}

#[get("/admin/channels/new")]
async fn new_form(
    page: Page,
    _can: Can<Channels, Create>,
    db: &State<Db>,
    config: &State<Config>,
) -> WebResult<Template> {
    form_page(&page, db, config, None, &ChannelDraft::blank(), serde_json::json!({})).await
}

#[get("/admin/channels/<id>")]
async fn edit_form(
    page: Page,
    _can: Can<Channels, View>,
    id: i64,
    db: &State<Db>,
    config: &State<Config>,
) -> WebResult<Template> {
    let channel = db.read(move |c| channels::channel_by_id(c, id)).await?.ok_or(CatalogError::NotFound)?;
    form_page(&page, db, config, Some(id), &ChannelDraft::of(&channel), serde_json::json!({})).await
}

/// A new channel goes to its own page, which shows the snippet for the site.
#[post("/admin/channels", data = "<form>")]
async fn create(
    page: Page,
    can: Can<Channels, Create>,
    htmx: Htmx,
    form: CsrfForm<ChannelDraft>,
    db: &State<Db>,
    config: &State<Config>,
) -> Saved {
    let saved = catalog::save(db, &can.actor(), None, &form.0).await;
    let to = |id| format!("{LIST}/{id}");
    answer_to(saved, &htmx, to, |errors| form_page(&page, db, config, None, &form.0, errors)).await
}

#[post("/admin/channels/<id>", data = "<form>")]
async fn update(
    page: Page,
    can: Can<Channels, Edit>,
    htmx: Htmx,
    id: i64,
    form: CsrfForm<ChannelDraft>,
    db: &State<Db>,
    config: &State<Config>,
) -> Saved {
    let saved = catalog::save(db, &can.actor(), Some(id), &form.0).await;
    answer(saved, &htmx, LIST, |errors| form_page(&page, db, config, Some(id), &form.0, errors)).await
}

#[post("/admin/channels/<id>/delete", data = "<_form>")]
async fn delete(
    can: Can<Channels, Delete>,
    htmx: Htmx,
    id: i64,
    _form: CsrfForm<NoFields>,
    db: &State<Db>,
) -> WebResult<Done> {
    catalog::delete(db, &can.actor(), id).await?;
    Ok(done(&htmx, LIST.into()))
}

pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, edit_form, update, delete]
}
