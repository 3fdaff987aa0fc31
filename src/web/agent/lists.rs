//! The lists, the queues, status and pauses: the left side and the top of the workspace.
//! What they show is the read model `db::floor_lists`.

use rocket::form::FromForm;
use rocket::http::{Header, Status};
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::{context, Template};
use serde::Serialize;

use super::conversation::Feedback;
use super::{refusal_status, Acting, Answer, Floor};
use crate::accounts::sessions;
use crate::db::conversation_pane::ConversationPane;
use crate::db::floor_lists::{FloorLists, Workspace};
use crate::db::Db;
use crate::engine::EngineError;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::page::Page;

/// The workspace page: the lists and bars, the pane when a conversation is open, and
/// a message on top or next to an action.
#[derive(Serialize)]
struct WorkspaceView<'a> {
    #[serde(flatten)]
    workspace: Workspace,
    conv: Option<&'a ConversationPane>,
    notice: Option<&'a str>,
    fb: &'a Feedback,
}

pub async fn workspace_page(
    page: &Page,
    db: &Db,
    floor: &Floor,
    conv: Option<&ConversationPane>,
    notice: Option<&str>,
    fb: &Feedback,
) -> WebResult<Template> {
    let id = floor.id();
    let workspace = db.read(move |c| Workspace::load(c, id)).await?;
    Ok(page.render("agent/index.html", WorkspaceView { workspace, conv, notice, fb }))
}

async fn floor_lists(db: &Db, floor: &Floor) -> WebResult<FloorLists> {
    let id = floor.id();
    Ok(db.read(move |c| FloorLists::load(c, id)).await?)
}

#[get("/agent")]
async fn workspace(page: Page, floor: Floor, db: &State<Db>) -> WebResult<Template> {
    workspace_page(&page, db, &floor, None, None, &Feedback::default()).await
}

/// The lists and the queues, for htmx refreshes.
#[get("/agent/lists?<open>")]
async fn lists_partial(page: Page, floor: Floor, db: &State<Db>, open: Option<i64>) -> WebResult<Template> {
    let lists = floor_lists(db, &floor).await?;
    Ok(page.render("agent/_lists.html", context! { lists, open_id: open }))
}

/// Sent by the open page every 30 seconds; without it the reaper takes the agent offline.
#[post("/agent/heartbeat", data = "<_form>")]
async fn heartbeat(floor: Floor, _form: CsrfForm<NoFields>, db: &State<Db>) -> WebResult<Status> {
    sessions::heartbeat(db, floor.id()).await?;
    Ok(Status::NoContent)
}

/// Takes a waiting conversation ("Em espera" → "Em atendimento").
#[post("/agent/conversations/<id>/take", data = "<_form>")]
async fn take(act: Acting<'_>, _form: CsrfForm<NoFields>, id: i64) -> WebResult<Answer> {
    match act.engine.take(&act.floor.agent(), id).await {
        Ok(()) => Ok(opened(act.htmx, id)),
        Err(e) => act.refused(e).await,
    }
}

/// "Assumir": takes a conversation out of its bot flow.
#[post("/agent/conversations/<id>/take-over", data = "<_form>")]
async fn take_over(act: Acting<'_>, _form: CsrfForm<NoFields>, id: i64) -> WebResult<Answer> {
    match act.engine.take_over(&act.floor.agent(), id).await {
        Ok(()) => Ok(opened(act.htmx, id)),
        Err(e) => act.refused(e).await,
    }
}

/// "Puxar próximo": the oldest waiting conversation of one of the agent's teams.
#[post("/agent/teams/<id>/pull", data = "<_form>")]
async fn pull(act: Acting<'_>, _form: CsrfForm<NoFields>, id: i64) -> WebResult<Answer> {
    match act.engine.pull_next(&act.floor.agent(), id).await {
        Ok(Some(id)) => Ok(opened(act.htmx, id)),
        Ok(None) => act.notice(Status::Ok, "workspace-queue-empty").await,
        Err(e) => act.refused(e).await,
    }
}

#[derive(FromForm)]
struct PauseForm {
    pause_id: String,
}

/// Starts a pause from the menu at the top.
#[post("/agent/pause", data = "<form>")]
async fn pause(act: Acting<'_>, form: CsrfForm<PauseForm>) -> WebResult<Answer> {
    let Ok(pause_id) = form.0.pause_id.trim().parse::<i64>() else {
        return act.notice(Status::UnprocessableEntity, "floor-bad-pause").await;
    };
    match act.engine.start_pause(act.floor.id(), pause_id).await {
        Ok(()) => Ok(stay(act.htmx)),
        Err(e) => act.refused(e).await,
    }
}

/// "Ficar disponível": ends the pause.
#[post("/agent/online", data = "<_form>")]
async fn online(act: Acting<'_>, _form: CsrfForm<NoFields>) -> WebResult<Answer> {
    match act.engine.go_online(act.floor.id()).await {
        Ok(()) => Ok(stay(act.htmx)),
        Err(e) => act.refused(e).await,
    }
}

#[derive(FromForm)]
struct TransferAllForm {
    team_id: String,
    note: String,
}

/// "Transferir todos": every open conversation of the agent to a team's queue.
#[post("/agent/transfer-all", data = "<form>")]
async fn transfer_all(act: Acting<'_>, form: CsrfForm<TransferAllForm>) -> WebResult<Answer> {
    let Ok(team) = form.0.team_id.trim().parse::<i64>() else {
        return act.notice(Status::UnprocessableEntity, "floor-bad-team").await;
    };
    match act.engine.transfer_all(&act.floor.agent(), team, &form.0.note).await {
        Ok(_) => Ok(back(act.htmx)),
        Err(e) => act.refused(e).await,
    }
}

/// To the conversation just taken.
fn opened(htmx: bool, id: i64) -> Answer {
    Answer::go(htmx, format!("/agent/conversations/{id}"))
}

/// Back to the workspace.
fn back(htmx: bool) -> Answer {
    Answer::go(htmx, "/agent".into())
}

/// A change of the agent's own status: htmx keeps the page (and the open conversation)
/// and refreshes the bars; a plain form goes back to the workspace.
fn stay(htmx: bool) -> Answer {
    if htmx {
        Answer::Bare(Status::NoContent, Header::new("HX-Trigger", "ws-bar-refresh, workspace-lists"))
    } else {
        back(false)
    }
}

impl Acting<'_> {
    /// The workspace (or, for htmx, the lists) with a message on top.
    async fn notice(&self, status: Status, key: &str) -> WebResult<Answer> {
        let (page, db) = (&self.page, &self.engine.db);
        if self.htmx {
            let lists = floor_lists(db, &self.floor).await?;
            let t = page.render("agent/_lists.html", context! { lists, notice: key });
            return Ok(Answer::Hx((status, t), Header::new("HX-Retarget", "#lists")));
        }
        let t = workspace_page(page, db, &self.floor, None, Some(key), &Feedback::default()).await?;
        Ok(Answer::Page((status, t)))
    }

    /// An engine refusal shown on the workspace; a database failure stays an error.
    async fn refused(&self, e: EngineError) -> WebResult<Answer> {
        if let EngineError::Db(err) = e {
            return Err(err.into());
        }
        self.notice(refusal_status(&e), e.key()).await
    }
}

pub fn routes() -> Vec<Route> {
    routes![workspace, lists_partial, heartbeat, take, take_over, pull, pause, online, transfer_all]
}
