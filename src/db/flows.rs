//! The flow tables: `flows` (name and draft), `flow_versions` (published, immutable,
//! numbered per flow), `flow_sessions` (a conversation inside a flow) and the flow a
//! channel starts (`channels.flow_id`).

use std::cell::RefCell;

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::parsed::Parsed;
use super::DbResult;
use crate::domain::flow::{Definition, State};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Flow {
    pub id: i64,
    pub name: String,
    pub draft: Definition,
    pub updated_at: i64,
}

/// What the audit keeps of a draft saved: its name and definition.
#[derive(Debug, Clone, Serialize)]
pub struct FlowFields {
    pub name: String,
    pub draft: Definition,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Version {
    pub id: i64,
    pub flow_id: i64,
    pub number: i64,
    pub definition: Definition,
    pub published_at: i64,
    pub published_by: Option<i64>,
}

/// A flow in the list: its latest published version, if any.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FlowSummary {
    pub id: i64,
    pub name: String,
    pub updated_at: i64,
    pub published: Option<i64>,
    pub published_at: Option<i64>,
}

/// A stored definition that no longer reads (edited by hand) reads as no flow at all
/// rather than failing every page: a flow with no blocks, which cannot publish.
fn definition(text: &str) -> Definition {
    serde_json::from_str(text).unwrap_or(Definition {
        start: String::new(),
        blocks: vec![],
        idle: Default::default(),
        allow_private_http: false,
    })
}

fn json(def: &Definition) -> String {
    serde_json::to_string(def).unwrap_or_default()
}

fn flow_row(r: &Row) -> rusqlite::Result<Flow> {
    Ok(Flow { id: r.get(0)?, name: r.get(1)?, draft: definition(&r.get::<_, String>(2)?), updated_at: r.get(3)? })
}

thread_local! {
    /// A running flow reads its version for every message it takes (`db::parsed`).
    static PARSED: RefCell<Parsed<Definition>> = const { RefCell::new(Parsed::new()) };
}

fn version_row(r: &Row) -> rusqlite::Result<Version> {
    let id = r.get(0)?;
    let text = r.get_ref(3)?.as_str()?;
    Ok(Version {
        id,
        flow_id: r.get(1)?,
        number: r.get(2)?,
        definition: PARSED.with_borrow_mut(|parsed| parsed.with(id, text, definition, Definition::clone)),
        published_at: r.get(4)?,
        published_by: r.get(5)?,
    })
}

const VERSION_COLUMNS: &str = "id, flow_id, number, definition, published_at, published_by";

pub fn flow_by_id(conn: &Connection, id: i64) -> DbResult<Option<Flow>> {
    let sql = "SELECT id, name, draft, updated_at FROM flows WHERE id = ?1";
    Ok(conn.query_row(sql, [id], flow_row).optional()?)
}

pub fn list_flows(conn: &Connection) -> DbResult<Vec<FlowSummary>> {
    let mut stmt = conn.prepare(
        "SELECT f.id, f.name, f.updated_at, v.number, v.published_at FROM flows f
         LEFT JOIN flow_versions v ON v.flow_id = f.id
              AND v.number = (SELECT max(number) FROM flow_versions WHERE flow_id = f.id)
         ORDER BY f.name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(FlowSummary {
            id: r.get(0)?,
            name: r.get(1)?,
            updated_at: r.get(2)?,
            published: r.get(3)?,
            published_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn insert_flow(conn: &Connection, f: &FlowFields) -> DbResult<i64> {
    let now = super::now_ms();
    conn.execute(
        "INSERT INTO flows (name, draft, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
        params![f.name, json(&f.draft), now],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn update_flow(conn: &Connection, id: i64, f: &FlowFields) -> DbResult<()> {
    conn.execute(
        "UPDATE flows SET name = ?2, draft = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, f.name, json(&f.draft), super::now_ms()],
    )?;
    Ok(())
}

/// Freezes `definition` as the flow's next version; its id and number.
pub fn insert_version(conn: &Connection, flow_id: i64, def: &Definition, by: Option<i64>) -> DbResult<(i64, i64)> {
    let number: i64 = conn.query_row(
        "INSERT INTO flow_versions (flow_id, number, definition, published_at, published_by)
         VALUES (?1, (SELECT coalesce(max(number), 0) + 1 FROM flow_versions WHERE flow_id = ?1), ?2, ?3, ?4)
         RETURNING number",
        params![flow_id, json(def), super::now_ms(), by],
        |r| r.get(0),
    )?;
    Ok((conn.last_insert_rowid(), number))
}

pub fn version_by_id(conn: &Connection, id: i64) -> DbResult<Option<Version>> {
    let sql = format!("SELECT {VERSION_COLUMNS} FROM flow_versions WHERE id = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], version_row).optional()?)
}

/// The version new conversations start on: the flow's latest.
pub fn latest_version(conn: &Connection, flow_id: i64) -> DbResult<Option<Version>> {
    let sql = format!("SELECT {VERSION_COLUMNS} FROM flow_versions WHERE flow_id = ?1 ORDER BY number DESC LIMIT 1");
    Ok(conn.prepare_cached(&sql)?.query_row([flow_id], version_row).optional()?)
}

/// A flow's versions, newest first.
pub fn versions_of(conn: &Connection, flow_id: i64) -> DbResult<Vec<Version>> {
    let sql = format!("SELECT {VERSION_COLUMNS} FROM flow_versions WHERE flow_id = ?1 ORDER BY number DESC");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([flow_id], version_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The flow a channel starts for new conversations.
pub fn flow_of_channel(conn: &Connection, channel_id: i64) -> DbResult<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT flow_id FROM channels WHERE id = ?1")?
        .query_row([channel_id], |r| r.get(0))
        .optional()?
        .flatten())
}

pub fn set_channel_flow(conn: &Connection, channel_id: i64, flow_id: Option<i64>) -> DbResult<()> {
    conn.execute("UPDATE channels SET flow_id = ?2 WHERE id = ?1", params![channel_id, flow_id])?;
    Ok(())
}

/// A conversation inside a flow.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub conversation_id: i64,
    pub version_id: i64,
    pub state: State,
    pub idle_at: i64,
}

pub fn session_of(conn: &Connection, conversation_id: i64) -> DbResult<Option<Session>> {
    Ok(conn
        .prepare_cached(
            "SELECT conversation_id, version_id, state, idle_at FROM flow_sessions WHERE conversation_id = ?1",
        )?
        .query_row([conversation_id], |r| {
            Ok(Session {
                conversation_id: r.get(0)?,
                version_id: r.get(1)?,
                state: serde_json::from_str(&r.get::<_, String>(2)?).unwrap_or_default(),
                idle_at: r.get(3)?,
            })
        })
        .optional()?)
}

/// Stores where the conversation is (a new session or the next step of one).
pub fn save_session(conn: &Connection, s: &Session, now: i64) -> DbResult<()> {
    let state = serde_json::to_string(&s.state).unwrap_or_default();
    conn.prepare_cached(
        "INSERT INTO flow_sessions (conversation_id, version_id, state, updated_at, idle_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (conversation_id) DO UPDATE SET
             version_id = excluded.version_id, state = excluded.state,
             updated_at = excluded.updated_at, idle_at = excluded.idle_at",
    )?
    .execute(params![s.conversation_id, s.version_id, state, now, s.idle_at])?;
    Ok(())
}

/// The conversation leaves its flow; true when it was in one.
pub fn end_session(conn: &Connection, conversation_id: i64) -> DbResult<bool> {
    Ok(conn.execute("DELETE FROM flow_sessions WHERE conversation_id = ?1", [conversation_id])? == 1)
}

/// Conversations whose customer has been silent past the flow's limit at `now`.
pub fn idle_sessions(conn: &Connection, now: i64, limit: i64) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare(
        "SELECT conversation_id FROM flow_sessions WHERE idle_at <= ?1 ORDER BY idle_at, conversation_id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![now, limit], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What the publish checks need to know exists: active teams, schedule groups,
/// published flows and the custom contact fields.
pub fn catalogue(conn: &Connection, this_flow: Option<i64>) -> DbResult<crate::domain::flow::checks::Catalogue> {
    let ids = |sql: &str| -> DbResult<std::collections::BTreeSet<i64>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let mut stmt = conn.prepare("SELECT name FROM contact_fields")?;
    let names = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(crate::domain::flow::checks::Catalogue {
        teams: ids("SELECT id FROM teams WHERE active = 1")?,
        schedule_groups: ids("SELECT id FROM schedule_groups")?,
        flows: ids("SELECT DISTINCT flow_id FROM flow_versions")?,
        fields: names.iter().map(|n| crate::domain::flow::placeholders::key(n)).collect(),
        this_flow,
    })
}

/// Keeps a menu's rendering hint beside its message, for the channel's sender.
pub fn set_choices(conn: &Connection, message_id: i64, choices: &crate::domain::flow::menu::Choices) -> DbResult<()> {
    let style = match choices.style {
        crate::domain::flow::menu::ChoiceStyle::Buttons => "buttons",
        crate::domain::flow::menu::ChoiceStyle::List => "list",
    };
    let options = serde_json::to_string(&choices.options).unwrap_or_default();
    conn.prepare_cached("INSERT INTO message_choices (message_id, style, options) VALUES (?1, ?2, ?3)")?
        .execute(params![message_id, style, options])?;
    Ok(())
}

/// A message's rendering hint, if it has one. Options stored as plain titles read as
/// numbered from 1.
pub fn choices_of(conn: &Connection, message_id: i64) -> DbResult<Option<crate::domain::flow::menu::Choices>> {
    use crate::domain::flow::menu::{Choice, ChoiceStyle, Choices};
    let mut stmt = conn.prepare_cached("SELECT style, options FROM message_choices WHERE message_id = ?1")?;
    let row = stmt.query_row([message_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))).optional()?;
    let Some((style, options)) = row else { return Ok(None) };
    let style = if style == "list" { ChoiceStyle::List } else { ChoiceStyle::Buttons };
    let options = serde_json::from_str::<Vec<Choice>>(&options).unwrap_or_else(|_| {
        let titles: Vec<String> = serde_json::from_str(&options).unwrap_or_default();
        titles.into_iter().enumerate().map(|(i, title)| Choice { id: (i + 1).to_string(), title }).collect()
    });
    Ok((!options.is_empty()).then_some(Choices { style, options }))
}

/// A version in the history: who published it, by name.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VersionRow {
    pub version: Version,
    pub published_by_name: Option<String>,
}

/// A flow's versions with their publishers' names, newest first.
pub fn history_of(conn: &Connection, flow_id: i64) -> DbResult<Vec<VersionRow>> {
    let mut stmt = conn.prepare(
        "SELECT v.id, v.flow_id, v.number, v.definition, v.published_at, v.published_by, u.name
         FROM flow_versions v LEFT JOIN users u ON u.id = v.published_by
         WHERE v.flow_id = ?1 ORDER BY v.number DESC",
    )?;
    let rows =
        stmt.query_map([flow_id], |r| Ok(VersionRow { version: version_row(r)?, published_by_name: r.get(6)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The version published just before `version` of the same flow.
pub fn previous_version(conn: &Connection, version: &Version) -> DbResult<Option<Version>> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM flow_versions WHERE flow_id = ?1 AND number < ?2 ORDER BY number DESC LIMIT 1"
    );
    Ok(conn.query_row(&sql, params![version.flow_id, version.number], version_row).optional()?)
}

/// The channels that start each flow: flow id → channel names.
pub fn channels_by_flow(conn: &Connection) -> DbResult<std::collections::HashMap<i64, Vec<String>>> {
    let mut stmt =
        conn.prepare("SELECT flow_id, name FROM channels WHERE flow_id IS NOT NULL ORDER BY name COLLATE NOCASE")?;
    let mut found: std::collections::HashMap<i64, Vec<String>> = Default::default();
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (flow, name) = row?;
        found.entry(flow).or_default().push(name);
    }
    Ok(found)
}

/// Flows with a published version, by name (the choices of a channel and of "outro fluxo").
pub fn published_flows(conn: &Connection) -> DbResult<Vec<(i64, String)>> {
    let mut stmt = conn.prepare(
        "SELECT id, name FROM flows WHERE EXISTS (SELECT 1 FROM flow_versions v WHERE v.flow_id = flows.id)
         ORDER BY name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether a contact is inside a flow on any channel ("Iniciar conversa" waits).
pub fn contact_in_flow(conn: &Connection, contact_id: i64) -> DbResult<bool> {
    let sql = "SELECT 1 FROM conversations WHERE contact_id = ?1 AND status = 'bot' LIMIT 1";
    Ok(conn.query_row(sql, [contact_id], |_| Ok(())).optional()?.is_some())
}
