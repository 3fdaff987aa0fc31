//! The lists, the queues, status and pauses: the left side and the top of the workspace.

use rocket::form::FromForm;
use rocket::http::{Header, Status};
use rocket::response::Redirect;
use rocket::{get, post, routes, Route, State};
use rocket_dyn_templates::context;
use rusqlite::Connection;
use serde::Serialize;

use super::conversation::pane_data;
use super::{refusal_status, Answer, Floor};
use crate::accounts::sessions;
use crate::db::{now_ms, pauses, Db, DbResult};
use crate::engine::{Engine, EngineError};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::errors::WebResult;
use crate::web::guards::Htmx;
use crate::web::page::Page;

/// One row of a list.
#[derive(Debug, Serialize)]
pub struct Row {
    pub id: i64,
    pub protocol: String,
    pub contact: String,
    pub channel: String,
    pub status: String,
    pub team: String,
    pub last: String,
    pub ago_key: &'static str,
    pub ago_n: i64,
    pub unread: i64,
    pub tags: Vec<Tag>,
    /// The team requires a classification and none is set yet.
    pub needs_classification: bool,
}

#[derive(Debug, Serialize)]
pub struct Tag {
    pub name: String,
    pub color: String,
}

#[derive(Debug, Serialize)]
pub struct Queue {
    pub team_id: i64,
    pub name: String,
    pub waiting: i64,
}

#[derive(Debug, Serialize)]
pub struct PauseChoice {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct Lists {
    pub mine: Vec<Row>,
    /// Conversations in service with messages the agent has not read.
    pub mine_unread: usize,
    pub waiting: Vec<Row>,
    pub pending: Vec<Row>,
    pub queues: Vec<Queue>,
}

/// "há 3 min": the catalogue key and the number for a span of time.
pub fn ago(since: i64, now: i64) -> (&'static str, i64) {
    let minutes = ((now - since).max(0)) / 60_000;
    match minutes {
        0 => ("workspace-ago-now", 0),
        1..=59 => ("workspace-ago-minutes", minutes),
        60..=1439 => ("workspace-ago-hours", minutes / 60),
        _ => ("workspace-ago-days", minutes / 1440),
    }
}

/// At most `max` characters, with an ellipsis when cut.
pub fn truncate(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max).collect();
    cut.push('…');
    cut
}

/// Rows shown of the waiting list: the queue count says how many there are in all.
const WAITING_SHOWN: i64 = 50;

fn rows(conn: &Connection, filter: &str, order: &str, user_id: i64, limit: i64) -> DbResult<Vec<Row>> {
    let now = now_ms();
    let mut stmt = conn.prepare(&format!(
        "SELECT c.id, c.protocol, ct.name, ch.kind, c.status, coalesce(t.name, ''), c.queued_at, c.last_message_at, c.unread,
                coalesce((SELECT CASE WHEN a.id IS NULL THEN m.body
                                      ELSE '📎 ' || CASE WHEN m.body = '' THEN a.file_name ELSE m.body END END
                          FROM messages m LEFT JOIN attachments a ON a.id = m.attachment_id
                          WHERE m.conversation_id = c.id AND m.direction IN ('in', 'out')
                          ORDER BY m.id DESC LIMIT 1), ''),
                coalesce(t.require_tabulation, 0) = 1
                  AND NOT EXISTS (SELECT 1 FROM conversation_tabulations x WHERE x.conversation_id = c.id)
         FROM conversations c JOIN contacts ct ON ct.id = c.contact_id JOIN channels ch ON ch.id = c.channel_id
         LEFT JOIN teams t ON t.id = c.team_id
         WHERE {filter} ORDER BY {order} LIMIT {limit}"
    ))?;
    let mut out = stmt
        .query_map([user_id], |r| {
            let status: String = r.get(4)?;
            let since: i64 = if status == "waiting" { r.get(6)? } else { r.get(7)? };
            let (ago_key, ago_n) = ago(since, now);
            let last: String = r.get(9)?;
            Ok(Row {
                id: r.get(0)?,
                protocol: r.get(1)?,
                contact: r.get(2)?,
                channel: r.get(3)?,
                status,
                team: r.get(5)?,
                last: truncate(&last, 60),
                ago_key,
                ago_n,
                unread: r.get(8)?,
                tags: vec![],
                needs_classification: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // The tags of every row in one query (ids passed as a JSON array).
    let ids = serde_json::to_string(&out.iter().map(|r| r.id).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare(
        "SELECT x.conversation_id, t.name, t.color FROM conversation_tags x JOIN tags t ON t.id = x.tag_id
         WHERE x.conversation_id IN (SELECT value FROM json_each(?1)) ORDER BY t.name COLLATE NOCASE",
    )?;
    let mut by_conversation: std::collections::HashMap<i64, Vec<Tag>> = std::collections::HashMap::new();
    let found = stmt.query_map([ids], |r| Ok((r.get::<_, i64>(0)?, Tag { name: r.get(1)?, color: r.get(2)? })))?;
    for item in found {
        let (id, tag) = item?;
        by_conversation.entry(id).or_default().push(tag);
    }
    for row in &mut out {
        row.tags = by_conversation.remove(&row.id).unwrap_or_default();
    }
    Ok(out)
}

pub fn lists(conn: &Connection, user_id: i64) -> DbResult<Lists> {
    let mine_or_invited =
        "(c.agent_id = ?1 OR c.id IN (SELECT conversation_id FROM conversation_participants WHERE user_id = ?1))";
    let mine =
        rows(conn, &format!("{mine_or_invited} AND c.status = 'active'"), "c.last_message_at DESC", user_id, 200)?;
    let waiting = rows(
        conn,
        "c.status = 'waiting' AND c.team_id IN (SELECT team_id FROM team_members WHERE user_id = ?1)",
        "c.queued_at, c.id",
        user_id,
        WAITING_SHOWN,
    )?;
    let pending = rows(conn, "c.agent_id = ?1 AND c.status = 'pending'", "c.last_message_at DESC", user_id, 200)?;
    let mut stmt = conn.prepare(
        "SELECT t.id, t.name, (SELECT count(*) FROM conversations c WHERE c.team_id = t.id AND c.status = 'waiting')
         FROM teams t JOIN team_members m ON m.team_id = t.id
         WHERE m.user_id = ?1 AND t.active = 1 ORDER BY t.name COLLATE NOCASE",
    )?;
    let queues = stmt
        .query_map([user_id], |r| Ok(Queue { team_id: r.get(0)?, name: r.get(1)?, waiting: r.get(2)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mine_unread = mine.iter().filter(|r| r.unread > 0).count();
    Ok(Lists { mine, mine_unread, waiting, pending, queues })
}

/// The pause the agent is in now, by name.
fn current_pause(conn: &Connection, user_id: i64) -> DbResult<Option<String>> {
    Ok(pauses::taken_now(conn, user_id)?.map(|(pause, _)| pause.name))
}

/// Active teams for "Transferir todos".
pub fn active_teams(conn: &Connection) -> DbResult<Vec<PauseChoice>> {
    let mut stmt = conn.prepare("SELECT id, name FROM teams WHERE active = 1 ORDER BY name COLLATE NOCASE")?;
    let rows = stmt
        .query_map([], |r| Ok(PauseChoice { id: r.get(0)?, name: r.get(1)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Everything the workspace page shows around the pane.
pub async fn workspace_data(db: &Db, floor: &Floor) -> WebResult<serde_json::Value> {
    let id = floor.id();
    let (lists, pauses, pause, teams, status) = db
        .read(move |c| {
            let status: String = c.query_row("SELECT status FROM users WHERE id = ?1", [id], |r| r.get(0))?;
            Ok((lists(c, id)?, pauses::active_pauses(c)?, current_pause(c, id)?, active_teams(c)?, status))
        })
        .await?;
    Ok(serde_json::json!({
        "lists": lists, "pauses": pauses, "current_pause": pause, "all_teams": teams, "my_status": status,
    }))
}

/// The whole workspace page, optionally with a conversation open and a message.
pub async fn workspace_page(
    page: &Page,
    db: &Db,
    floor: &Floor,
    pane: Option<serde_json::Value>,
    notice: Option<&str>,
) -> WebResult<rocket_dyn_templates::Template> {
    let mut data = workspace_data(db, floor).await?;
    if let serde_json::Value::Object(map) = &mut data {
        map.insert("conv".into(), pane.unwrap_or(serde_json::Value::Null));
        map.insert("notice".into(), serde_json::json!(notice));
        map.insert("fb".into(), serde_json::to_value(super::conversation::Feedback::default()).unwrap_or_default());
    }
    Ok(page.render("agent/index.html", data))
}

#[get("/agent")]
async fn workspace(page: Page, floor: Floor, db: &State<Db>) -> WebResult<rocket_dyn_templates::Template> {
    workspace_page(&page, db, &floor, None, None).await
}

/// The lists and the queues, for htmx refreshes.
#[get("/agent/lists?<open>")]
async fn lists_partial(
    page: Page,
    floor: Floor,
    db: &State<Db>,
    open: Option<i64>,
) -> WebResult<rocket_dyn_templates::Template> {
    let data = workspace_data(db, &floor).await?;
    Ok(page.render("agent/_lists.html", context! { lists: &data["lists"], open_id: open }))
}

/// Sent by the open page every 30 seconds; without it the reaper takes the agent offline.
#[post("/agent/heartbeat", data = "<_form>")]
async fn heartbeat(floor: Floor, _form: CsrfForm<NoFields>, db: &State<Db>) -> WebResult<Status> {
    sessions::heartbeat(db, floor.id()).await?;
    Ok(Status::NoContent)
}

/// Takes a waiting conversation ("Em espera" → "Em atendimento").
#[post("/agent/conversations/<id>/take", data = "<_form>")]
async fn take(
    page: Page,
    floor: Floor,
    htmx: Htmx,
    _form: CsrfForm<NoFields>,
    engine: &State<Engine>,
    id: i64,
) -> WebResult<Answer> {
    match engine.take(&floor.agent(), id).await {
        Ok(()) => Ok(opened(htmx.0, id)),
        Err(e) => refused(&page, &engine.db, &floor, htmx.0, e).await,
    }
}

/// "Puxar próximo": the oldest waiting conversation of one of the agent's teams.
#[post("/agent/teams/<id>/pull", data = "<_form>")]
async fn pull(
    page: Page,
    floor: Floor,
    htmx: Htmx,
    _form: CsrfForm<NoFields>,
    engine: &State<Engine>,
    id: i64,
) -> WebResult<Answer> {
    match engine.pull_next(&floor.agent(), id).await {
        Ok(Some(id)) => Ok(opened(htmx.0, id)),
        Ok(None) => notice(&page, &engine.db, &floor, htmx.0, Status::Ok, "workspace-queue-empty").await,
        Err(e) => refused(&page, &engine.db, &floor, htmx.0, e).await,
    }
}

#[derive(FromForm)]
struct PauseForm {
    pause_id: String,
}

/// Starts a pause from the menu at the top.
#[post("/agent/pause", data = "<form>")]
async fn pause(
    page: Page,
    floor: Floor,
    htmx: Htmx,
    form: CsrfForm<PauseForm>,
    engine: &State<Engine>,
) -> WebResult<Answer> {
    let Ok(pause_id) = form.0.pause_id.trim().parse::<i64>() else {
        return notice(&page, &engine.db, &floor, htmx.0, Status::UnprocessableEntity, "floor-bad-pause").await;
    };
    match engine.start_pause(floor.id(), pause_id).await {
        Ok(()) => Ok(stay(htmx.0)),
        Err(e) => refused(&page, &engine.db, &floor, htmx.0, e).await,
    }
}

/// "Ficar disponível": ends the pause.
#[post("/agent/online", data = "<_form>")]
async fn online(
    page: Page,
    floor: Floor,
    htmx: Htmx,
    _form: CsrfForm<NoFields>,
    engine: &State<Engine>,
) -> WebResult<Answer> {
    match engine.go_online(floor.id()).await {
        Ok(()) => Ok(stay(htmx.0)),
        Err(e) => refused(&page, &engine.db, &floor, htmx.0, e).await,
    }
}

#[derive(FromForm)]
struct TransferAllForm {
    team_id: String,
    note: String,
}

/// "Transferir todos": every open conversation of the agent to a team's queue.
#[post("/agent/transfer-all", data = "<form>")]
async fn transfer_all(
    page: Page,
    floor: Floor,
    htmx: Htmx,
    form: CsrfForm<TransferAllForm>,
    engine: &State<Engine>,
) -> WebResult<Answer> {
    let Ok(team) = form.0.team_id.trim().parse::<i64>() else {
        return notice(&page, &engine.db, &floor, htmx.0, Status::UnprocessableEntity, "floor-bad-team").await;
    };
    match engine.transfer_all(&floor.agent(), team, &form.0.note).await {
        Ok(_) => Ok(back(htmx.0)),
        Err(e) => refused(&page, &engine.db, &floor, htmx.0, e).await,
    }
}

/// To the conversation just taken.
fn opened(htmx: bool, id: i64) -> Answer {
    let to = format!("/agent/conversations/{id}");
    if htmx {
        Answer::hx_redirect(to)
    } else {
        Answer::Go(Redirect::to(to))
    }
}

/// Back to the workspace.
fn back(htmx: bool) -> Answer {
    if htmx {
        Answer::hx_redirect("/agent".into())
    } else {
        Answer::Go(Redirect::to("/agent"))
    }
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

/// The workspace (or, for htmx, the lists) with a message on top.
pub async fn notice(page: &Page, db: &Db, floor: &Floor, htmx: bool, status: Status, key: &str) -> WebResult<Answer> {
    if htmx {
        let data = workspace_data(db, floor).await?;
        let t = page.render("agent/_lists.html", context! { lists: &data["lists"], notice: key });
        return Ok(Answer::Hx((status, t), Header::new("HX-Retarget", "#lists")));
    }
    Ok(Answer::Page((status, workspace_page(page, db, floor, None, Some(key)).await?)))
}

/// An engine refusal shown on the workspace; a database failure stays an error.
pub async fn refused(page: &Page, db: &Db, floor: &Floor, htmx: bool, e: EngineError) -> WebResult<Answer> {
    if let EngineError::Db(err) = e {
        return Err(err.into());
    }
    let status = refusal_status(&e);
    notice(page, db, floor, htmx, status, e.key()).await
}

/// The full page with the pane open.
pub async fn with_pane(
    page: &Page,
    db: &Db,
    floor: &Floor,
    id: i64,
) -> WebResult<Result<rocket_dyn_templates::Template, Status>> {
    match pane_data(page, db, floor, id).await? {
        Ok(pane) => Ok(Ok(workspace_page(page, db, floor, Some(pane), None).await?)),
        Err(s) => Ok(Err(s)),
    }
}

pub fn routes() -> Vec<Route> {
    routes![workspace, lists_partial, heartbeat, take, pull, pause, online, transfer_all]
}

#[cfg(test)]
mod tests {
    use super::{ago, truncate};

    #[test]
    fn spans_read_as_minutes_hours_days() {
        assert_eq!(ago(0, 30_000), ("workspace-ago-now", 0));
        assert_eq!(ago(0, 3 * 60_000), ("workspace-ago-minutes", 3));
        assert_eq!(ago(0, 125 * 60_000), ("workspace-ago-hours", 2));
        assert_eq!(ago(0, 3 * 1440 * 60_000), ("workspace-ago-days", 3));
        assert_eq!(ago(10, 0), ("workspace-ago-now", 0), "clock skew is now");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(truncate("oi\n  tudo bem", 20), "oi tudo bem");
        assert_eq!(truncate("abcdef", 3), "abc…");
    }
}
