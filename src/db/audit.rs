//! The `audit_log` table: who did what, when, from where.

use rusqlite::{params, Connection, Row};
use serde::Serialize;

use super::{now_ms, DbResult};

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub action: String,
    pub target: String,
    pub details: String,
    pub ip: String,
}

/// What the lists select of an entry, with who did it; `entry_of` reads it.
const SELECT: &str = "SELECT a.id, a.at, a.actor_id, COALESCE(u.name, t.name), a.action, a.target, a.details, a.ip
                      FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
                      LEFT JOIN api_tokens t ON t.id = a.api_token_id";

fn entry_of(r: &Row) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        actor_id: r.get(2)?,
        actor_name: r.get(3)?,
        action: r.get(4)?,
        target: r.get(5)?,
        details: r.get(6)?,
        ip: r.get(7)?,
    })
}

/// Records one event. `details` is a JSON object; callers mask secrets before.
pub fn record(
    conn: &Connection,
    actor_id: Option<i64>,
    action: &str,
    target: &str,
    details: &serde_json::Value,
    ip: &str,
) -> DbResult<()> {
    conn.execute(
        "INSERT INTO audit_log (at, actor_id, action, target, details, ip) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![now_ms(), actor_id, action, target, details.to_string(), ip],
    )?;
    Ok(())
}

/// Latest entries first.
pub fn recent(conn: &Connection, target: Option<&str>, limit: i64) -> DbResult<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(&format!("{SELECT} WHERE ?1 IS NULL OR a.target = ?1 ORDER BY a.id DESC LIMIT ?2"))?;
    let rows = stmt.query_map(params![target, limit], entry_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Records a create/update/delete with the values before and after (`None` for the side
/// that does not exist). Callers mask secrets in what they pass.
pub fn record_change(
    conn: &Connection,
    actor: &crate::accounts::Actor,
    action: &str,
    target: &str,
    before: Option<&dyn erased::Value>,
    after: Option<&dyn erased::Value>,
) -> DbResult<()> {
    record(conn, actor.user_id, action, target, &change_details(before, after), &actor.ip)
}

fn change_details(before: Option<&dyn erased::Value>, after: Option<&dyn erased::Value>) -> serde_json::Value {
    serde_json::json!({
        "before": before.map(|b| b.to_json()),
        "after": after.map(|a| a.to_json()),
    })
}

/// Like `record_change`, under whoever the author is: a person, or a REST API token
/// (the entry then names the token, `api_token_id`).
pub fn record_change_by(
    conn: &Connection,
    author: &crate::accounts::Author,
    action: &str,
    target: &str,
    before: Option<&dyn erased::Value>,
    after: Option<&dyn erased::Value>,
) -> DbResult<()> {
    let (token, ip) = match author {
        crate::accounts::Author::Person(actor) => return record_change(conn, actor, action, target, before, after),
        crate::accounts::Author::Token { id, ip } => (*id, ip),
    };
    record_by_token(conn, token, action, target, &change_details(before, after), ip)
}

/// Records one event a REST API token made (the entry names the token, no person).
pub fn record_by_token(
    conn: &Connection,
    token_id: i64,
    action: &str,
    target: &str,
    details: &serde_json::Value,
    ip: &str,
) -> DbResult<()> {
    conn.execute(
        "INSERT INTO audit_log (at, actor_id, api_token_id, action, target, details, ip)
         VALUES (?1, NULL, ?2, ?3, ?4, ?5, ?6)",
        params![now_ms(), token_id, action, target, details.to_string(), ip],
    )?;
    Ok(())
}

/// Lets `record_change` take any serialisable value behind a reference.
pub mod erased {
    pub trait Value {
        fn to_json(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Value for T {
        fn to_json(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
        }
    }
}

/// Filters of the audit log page; empty means "any".
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_id: Option<i64>,
    /// Exact action, or a prefix ending in `.` (e.g. `user.`).
    pub action: String,
    pub from_ms: Option<i64>,
    pub until_ms: Option<i64>,
}

/// One page of entries matching the filter, newest first, and the total count.
pub fn search(conn: &Connection, f: &AuditFilter, limit: i64, offset: i64) -> DbResult<(Vec<AuditEntry>, i64)> {
    let action_like = if f.action.is_empty() {
        "%".to_string()
    } else if f.action.ends_with('.') {
        format!("{}%", f.action.replace('%', "").replace('_', "\\_"))
    } else {
        f.action.replace('%', "").replace('_', "\\_")
    };
    let filter = "(?1 IS NULL OR a.actor_id = ?1) AND a.action LIKE ?2 ESCAPE '\\' AND (?3 IS NULL OR a.at >= ?3) AND (?4 IS NULL OR a.at < ?4)";
    let total = conn.query_row(
        &format!("SELECT count(*) FROM audit_log a WHERE {filter}"),
        params![f.actor_id, action_like, f.from_ms, f.until_ms],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare(&format!("{SELECT} WHERE {filter} ORDER BY a.id DESC LIMIT ?5 OFFSET ?6"))?;
    let rows = stmt
        .query_map(params![f.actor_id, action_like, f.from_ms, f.until_ms, limit, offset], entry_of)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, total))
}

/// The distinct actions recorded, for the filter's list.
pub fn actions(conn: &Connection) -> DbResult<Vec<String>> {
    let mut stmt = conn.prepare("SELECT DISTINCT action FROM audit_log ORDER BY action")?;
    let rows = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(rows)
}

/// One page of the audit log as its page shows it: the entries (each with its
/// details pretty-printed for the expandable row), how many match, the pages, and
/// the choices of its filters (people, actions).
#[derive(Debug, Serialize)]
pub struct AuditPage {
    pub rows: Vec<serde_json::Value>,
    pub total: i64,
    pub pages: i64,
    pub people: Vec<serde_json::Value>,
    pub actions: Vec<String>,
}

/// Loads page `page_no` (from 1) of `per_page` entries matching `f`.
pub fn audit_page(conn: &Connection, f: &AuditFilter, page_no: i64, per_page: i64) -> DbResult<AuditPage> {
    let (entries, total) = search(conn, f, per_page, (page_no - 1) * per_page)?;
    let (people, _) = super::users::list_users(conn, "", 1000, 0)?;
    let rows = entries
        .iter()
        .map(|e| {
            let pretty = serde_json::from_str::<serde_json::Value>(&e.details)
                .ok()
                .and_then(|v| serde_json::to_string_pretty(&v).ok())
                .unwrap_or_else(|| e.details.clone());
            serde_json::json!({"entry": e, "details": pretty})
        })
        .collect();
    Ok(AuditPage {
        rows,
        total,
        pages: ((total + per_page - 1) / per_page).max(1),
        people: people.iter().map(|u| serde_json::json!({"id": u.id, "name": u.name})).collect(),
        actions: actions(conn)?,
    })
}
