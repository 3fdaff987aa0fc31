//! The `notifications` table: notices for administrators ("Avisos" on the admin
//! overview), kept until someone marks them read.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::{now_ms, DbResult};

/// A team's queue reached its limit.
pub const QUEUE_FULL: &str = "queue_full";
/// Conversations waited in a team's queue past its alert limit with nobody taking them.
pub const UNASSIGNED: &str = "unassigned";

#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    /// A JSON object whose fields depend on the kind.
    pub details: serde_json::Value,
    pub created_at: i64,
}

/// Records a notice unless an unread one of the same kind and team exists (one notice
/// per crossing, not one per event); the new id, or `None` when one was already there.
pub fn insert_unless_unread(
    conn: &Connection,
    kind: &str,
    team_id: i64,
    details: &serde_json::Value,
) -> DbResult<Option<i64>> {
    Ok(conn
        .query_row(
            "INSERT INTO notifications (kind, team_id, details, created_at)
             SELECT ?1, ?2, ?3, ?4
             WHERE NOT EXISTS (SELECT 1 FROM notifications WHERE kind = ?1 AND team_id = ?2 AND read_at IS NULL)
             RETURNING id",
            params![kind, team_id, details.to_string(), now_ms()],
            |r| r.get(0),
        )
        .optional()?)
}

/// Unread notices, newest first.
pub fn unread(conn: &Connection, limit: i64) -> DbResult<Vec<Notification>> {
    let mut stmt = conn.prepare(
        "SELECT n.id, n.kind, n.team_id, t.name, n.details, n.created_at
         FROM notifications n LEFT JOIN teams t ON t.id = n.team_id
         WHERE n.read_at IS NULL ORDER BY n.id DESC LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit], |r| {
            let details: String = r.get(4)?;
            Ok(Notification {
                id: r.get(0)?,
                kind: r.get(1)?,
                team_id: r.get(2)?,
                team_name: r.get(3)?,
                details: serde_json::from_str(&details).unwrap_or_default(),
                created_at: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Marks a notice read by `user_id`; false when there is no such unread notice.
pub fn mark_read(conn: &Connection, id: i64, user_id: Option<i64>) -> DbResult<bool> {
    let changed = conn.execute(
        "UPDATE notifications SET read_at = ?2, read_by = ?3 WHERE id = ?1 AND read_at IS NULL",
        params![id, now_ms(), user_id],
    )?;
    Ok(changed == 1)
}
