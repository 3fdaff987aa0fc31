//! "🔀" in the pane's header (F-AG-16): the contact's other open conversations, on
//! any channel, in one query. Those the viewer may see come with their protocol,
//! team, agent and status (the pane links them); the others are only counted, so an
//! agent of another team never learns their protocol or anything said in them.

use rusqlite::{params, Connection};
use serde::Serialize;

use super::DbResult;

/// Who may see an open conversation `c`: `?2` the viewer, `?3` whether they see the
/// whole floor — the open half of `engine::access::can_view` (a test keeps them equal).
pub(crate) const OPEN_VISIBLE: &str = "(?3 OR c.agent_id IS ?2
     OR EXISTS (SELECT 1 FROM conversation_participants p WHERE p.conversation_id = c.id AND p.user_id = ?2)
     OR EXISTS (SELECT 1 FROM team_members m WHERE m.user_id = ?2 AND m.team_id = c.team_id))";

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OtherOpen {
    pub id: i64,
    pub protocol: String,
    pub status: String,
    pub channel_kind: String,
    pub channel_name: String,
    pub team: Option<String>,
    pub agent: Option<String>,
}

#[derive(Debug, Default, Clone, Serialize, PartialEq)]
pub struct OtherConversations {
    pub shown: Vec<OtherOpen>,
    /// Open elsewhere, where the viewer may not look.
    pub hidden: usize,
    pub total: usize,
}

/// The other open conversations of `contact_id` than `conversation_id`, newest first.
pub fn others_of(
    conn: &Connection,
    contact_id: i64,
    conversation_id: i64,
    viewer: i64,
    sees_all: bool,
) -> DbResult<OtherConversations> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.protocol, c.status, ch.kind, ch.name, t.name, u.name, {OPEN_VISIBLE}
         FROM conversations c JOIN channels ch ON ch.id = c.channel_id
         LEFT JOIN teams t ON t.id = c.team_id LEFT JOIN users u ON u.id = c.agent_id
         WHERE c.contact_id = ?1 AND c.id != ?4 AND c.status != 'closed'
         ORDER BY c.opened_at DESC, c.id DESC"
    ))?;
    let mut found = OtherConversations::default();
    let rows = stmt.query_map(params![contact_id, viewer, sees_all, conversation_id], |r| {
        let visible: bool = r.get(7)?;
        Ok(visible
            .then(|| -> rusqlite::Result<OtherOpen> {
                Ok(OtherOpen {
                    id: r.get(0)?,
                    protocol: r.get(1)?,
                    status: r.get(2)?,
                    channel_kind: r.get(3)?,
                    channel_name: r.get(4)?,
                    team: r.get(5)?,
                    agent: r.get(6)?,
                })
            })
            .transpose()?)
    })?;
    for row in rows {
        match row? {
            Some(other) => found.shown.push(other),
            None => found.hidden += 1,
        }
    }
    found.total = found.shown.len() + found.hidden;
    Ok(found)
}
