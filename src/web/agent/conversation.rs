//! The conversation pane: header, messages (with delivery ticks and readable system
//! events), composer, and the actions' forms. Canned phrases are in `phrases`.

use std::collections::HashMap;

use rocket::http::Status;
use rocket::{get, routes, Route, State};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::lists::with_pane;
use super::Floor;
use crate::db::messages::{self, Message};
use crate::db::{channels, contacts, settings, tabulations, teams, Db, DbResult};
use crate::engine::access::{can_write, visible_conversation};
use crate::engine::Engine;
use crate::web::errors::WebResult;
use crate::web::page::Page;

#[derive(Debug, Serialize)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct ReasonChoice {
    pub id: i64,
    pub name: String,
    pub subs: Vec<Named>,
}

#[derive(Debug, Serialize)]
pub struct TeamAgents {
    pub team: String,
    pub agents: Vec<Named>,
}

/// A message as the pane shows it; system events carry a catalogue key and names.
#[derive(Debug, Serialize)]
pub struct MessageView {
    pub id: i64,
    pub direction: String,
    pub author: String,
    pub body: String,
    pub status: String,
    pub failure: String,
    pub time: String,
    pub sys_key: String,
    pub a: String,
    pub b: String,
    pub c: String,
    /// The file the message carries, if any (shown by type in the pane).
    pub attachment: Option<crate::engine::attachments::Attachment>,
}

/// What went wrong with an action, shown next to it, with what was typed.
#[derive(Debug, Default, Serialize)]
pub struct Feedback {
    pub error_key: Option<String>,
    /// The words the word filter blocked, named in its message.
    pub error_words: String,
    /// Where the message goes: composer, classify, close, transfer, invite, top.
    pub error_at: String,
    pub draft: String,
    pub internal: bool,
    /// The agent is paused and tried to write to the contact.
    pub paused_prompt: bool,
    /// The reason and sub-reason chosen in the closing dialog, as sent.
    pub reason: String,
    pub sub_reason: String,
}

struct Names<'a> {
    conn: &'a Connection,
    users: HashMap<i64, String>,
}

impl Names<'_> {
    fn user(&mut self, id: i64) -> String {
        if let Some(n) = self.users.get(&id) {
            return n.clone();
        }
        let name: String = self
            .conn
            .query_row("SELECT name FROM users WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .ok()
            .flatten()
            .unwrap_or_else(|| "?".into());
        self.users.insert(id, name.clone());
        name
    }

    fn team(&self, id: i64) -> String {
        self.conn
            .query_row("SELECT name FROM teams WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .ok()
            .flatten()
            .unwrap_or_else(|| "?".into())
    }
}

/// A system code (`assigned:7`, `transferred:3:2:0` …) as a key and its arguments.
fn system_event(names: &mut Names, code: &str) -> (String, String, String, String) {
    let parts: Vec<&str> = code.split(':').collect();
    let id = |i: usize| parts.get(i).and_then(|p| p.parse::<i64>().ok());
    let s = String::new;
    match parts.as_slice() {
        ["protocol", number] => ("workspace-sys-protocol".into(), number.to_string(), s(), s()),
        ["assigned", _] if id(1).is_some() => {
            ("workspace-sys-assigned".into(), names.user(id(1).unwrap_or(0)), s(), s())
        }
        ["closed", "auto"] => ("workspace-sys-closed-auto".into(), s(), s(), s()),
        ["closed", _] if id(1).is_some() => ("workspace-sys-closed".into(), names.user(id(1).unwrap_or(0)), s(), s()),
        ["invited", _] if id(1).is_some() => ("workspace-sys-invited".into(), names.user(id(1).unwrap_or(0)), s(), s()),
        ["pending"] => ("workspace-sys-pending".into(), s(), s(), s()),
        ["overflow", _, _] => {
            ("workspace-sys-overflow".into(), names.team(id(1).unwrap_or(0)), names.team(id(2).unwrap_or(0)), s())
        }
        ["transferred", _, _, _] => {
            let by = names.user(id(1).unwrap_or(0));
            let team = names.team(id(2).unwrap_or(0));
            match id(3).filter(|a| *a > 0) {
                Some(agent) => ("workspace-sys-transferred-agent".into(), by, team, names.user(agent)),
                None => ("workspace-sys-transferred-team".into(), by, team, s()),
            }
        }
        _ => ("workspace-sys-other".into(), code.to_string(), s(), s()),
    }
}

fn message_views(conn: &Connection, list: Vec<Message>, tz: chrono_tz::Tz, lang: &str) -> Vec<MessageView> {
    let mut names = Names { conn, users: HashMap::new() };
    list.into_iter()
        .map(|m| {
            let (sys_key, a, b, c) =
                if m.direction == "system" { system_event(&mut names, &m.body) } else { Default::default() };
            let attachment =
                m.attachment_id.and_then(|a| crate::engine::attachments::attachment_by_id(conn, a).ok().flatten());
            MessageView {
                id: m.id,
                attachment,
                author: m.author_name.unwrap_or_default(),
                body: if m.direction == "system" { String::new() } else { m.body },
                direction: m.direction,
                status: m.status,
                failure: m.failure,
                time: crate::i18n::dates::format(m.created_at, tz, lang, crate::i18n::dates::Style::Short),
                sys_key,
                a,
                b,
                c,
            }
        })
        .collect()
}

fn named(conn: &Connection, sql: &str, param: i64) -> DbResult<Vec<Named>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt
        .query_map([param], |r| Ok(Named { id: r.get(0)?, name: r.get(1)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Everything the pane shows, or the status that refuses it (403, 404).
fn load_pane(
    conn: &Connection,
    me: i64,
    supervisor: bool,
    id: i64,
    lang: &str,
) -> DbResult<Result<serde_json::Value, Status>> {
    let Some(c) = visible_conversation(conn, me, supervisor, id)? else { return Ok(Err(Status::NotFound)) };
    let tz = settings::load(conn)?.zone();
    let contact = contacts::contact_by_id(conn, c.contact_id)?;
    let channel = channels::channel_by_id(conn, c.channel_id)?;
    let mut names = Names { conn, users: HashMap::new() };
    let team_name = c.team_id.map(|t| names.team(t)).unwrap_or_default();
    let agent_name = c.agent_id.map(|a| names.user(a)).unwrap_or_default();
    let messages = message_views(conn, messages::of_conversation(conn, id, true)?, tz, lang);
    let team = c.team_id.unwrap_or(0);
    let applied = tabulations::classifications_of(conn, id)?;
    let require_tabulation =
        c.team_id.map(|t| teams::team_by_id(conn, t)).transpose()?.flatten().is_some_and(|t| t.require_tabulation);
    let reasons = named(
        conn,
        "SELECT id, name FROM tabulations WHERE team_id = ?1 AND parent_id IS NULL AND active = 1 ORDER BY name COLLATE NOCASE",
        team,
    )?
    .into_iter()
    .map(|r| {
        let subs = named(
            conn,
            "SELECT id, name FROM tabulations WHERE parent_id = ?1 AND active = 1 ORDER BY name COLLATE NOCASE",
            r.id,
        )?;
        Ok(ReasonChoice { id: r.id, name: r.name, subs })
    })
    .collect::<DbResult<Vec<_>>>()?;
    let tags_on = named(
        conn,
        "SELECT t.id, t.name FROM conversation_tags x JOIN tags t ON t.id = x.tag_id
         WHERE x.conversation_id = ?1 ORDER BY t.name COLLATE NOCASE",
        id,
    )?;
    let tag_choices = named(
        conn,
        "SELECT id, name FROM tags WHERE team_id IS NULL OR team_id = ?1 ORDER BY name COLLATE NOCASE",
        team,
    )?;
    let teams = named(conn, "SELECT id, name FROM teams WHERE active = 1 AND id > ?1 ORDER BY name COLLATE NOCASE", 0)?;
    let mut team_agents = Vec::new();
    for t in &teams {
        let agents = named(
            conn,
            "SELECT u.id, u.name FROM users u JOIN team_members m ON m.user_id = u.id
             WHERE m.team_id = ?1 AND u.active = 1 ORDER BY u.name COLLATE NOCASE",
            t.id,
        )?;
        if !agents.is_empty() {
            team_agents.push(TeamAgents { team: t.name.clone(), agents });
        }
    }
    let colleagues = {
        let mut stmt = conn.prepare(
            "SELECT id, name FROM users WHERE active = 1 AND role = 'agent' AND id != ?1 AND id IS NOT ?3
               AND id NOT IN (SELECT user_id FROM conversation_participants WHERE conversation_id = ?2)
             ORDER BY name COLLATE NOCASE",
        )?;
        let rows = stmt
            .query_map(rusqlite::params![me, id, c.agent_id], |r| Ok(Named { id: r.get(0)?, name: r.get(1)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows
    };
    let writer = can_write(conn, me, &c)?;
    Ok(Ok(serde_json::json!({
        "id": c.id, "protocol": c.protocol, "status": c.status, "unread": c.unread,
        "contact": contact, "channel": channel.as_ref().map(|ch| ch.kind.as_str()).unwrap_or_default(),
        "channel_name": channel.map(|ch| ch.name).unwrap_or_default(),
        "team": team_name, "team_id": c.team_id, "agent": agent_name, "agent_id": c.agent_id,
        "holder": c.agent_id == Some(me), "can_write": writer, "can_comment": c.status != "closed",
        "supervisor": supervisor, "messages": messages, "reasons": reasons,
        "needs_classification": require_tabulation && applied.is_empty() && c.status != "closed",
        "require_tabulation": require_tabulation, "last_applied": applied.last(), "applied": applied,
        "teams": teams, "team_agents": team_agents, "colleagues": colleagues,
        "tags_on": tags_on, "tag_choices": tag_choices,
    })))
}

/// The pane's data for the signed-in user.
pub async fn pane_data(page: &Page, db: &Db, floor: &Floor, id: i64) -> WebResult<Result<serde_json::Value, Status>> {
    let (me, supervisor, lang) = (floor.id(), floor.supervisor, page.lang);
    Ok(db.read(move |c| load_pane(c, me, supervisor, id, lang)).await?)
}

/// The pane partial with feedback from an action.
pub async fn pane_with(
    page: &Page,
    db: &Db,
    floor: &Floor,
    id: i64,
    feedback: Feedback,
) -> WebResult<Result<rocket_dyn_templates::Template, Status>> {
    Ok(match pane_data(page, db, floor, id).await? {
        Ok(conv) => Ok(page.render("agent/_conversation.html", serde_json::json!({ "conv": conv, "fb": feedback }))),
        Err(s) => Err(s),
    })
}

/// Opening a conversation marks its messages read.
async fn open(engine: &Engine, floor: &Floor, id: i64) -> WebResult<Option<Status>> {
    let (me, supervisor) = (floor.id(), floor.supervisor);
    let visible = engine
        .db
        .read(move |c| Ok(visible_conversation(c, me, supervisor, id)?.is_none().then_some(Status::NotFound)))
        .await?;
    if visible.is_none() {
        if let Err(e) = engine.mark_read(&floor.agent(), id).await {
            tracing::warn!(error = %e, "mark read failed");
        }
    }
    Ok(visible)
}

#[get("/agent/conversations/<id>")]
async fn show(
    page: Page,
    floor: Floor,
    engine: &State<Engine>,
    id: i64,
) -> WebResult<Result<rocket_dyn_templates::Template, Status>> {
    if let Some(refusal) = open(engine, &floor, id).await? {
        return Ok(Err(refusal));
    }
    with_pane(&page, &engine.db, &floor, id).await
}

#[get("/agent/conversations/<id>/pane")]
async fn pane(
    page: Page,
    floor: Floor,
    engine: &State<Engine>,
    id: i64,
) -> WebResult<Result<rocket_dyn_templates::Template, Status>> {
    if let Some(refusal) = open(engine, &floor, id).await? {
        return Ok(Err(refusal));
    }
    pane_with(&page, &engine.db, &floor, id, Feedback::default()).await
}

pub fn routes() -> Vec<Route> {
    routes![show, pane]
}
