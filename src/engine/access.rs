//! Who may see and who may write in a conversation. An agent of one team never sees
//! another team's conversation unless granted (history permission, invitation).

use rusqlite::{params, Connection, OptionalExtension};

use crate::db::conversations::{self, Conversation};
use crate::db::DbResult;

/// Whether `user_id` may see the conversation. `supervisor`: an administrator whose
/// groups grant monitoring, who sees the whole floor.
pub fn can_view(conn: &Connection, user_id: i64, supervisor: bool, c: &Conversation) -> DbResult<bool> {
    if supervisor || c.agent_id == Some(user_id) || conversations::is_participant(conn, c.id, user_id)? {
        return Ok(true);
    }
    let history: String = conn
        .query_row("SELECT history_scope FROM users WHERE id = ?1", [user_id], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| "none".into());
    let in_team = match c.team_id {
        Some(team) => conn
            .query_row("SELECT 1 FROM team_members WHERE team_id = ?1 AND user_id = ?2", params![team, user_id], |_| {
                Ok(())
            })
            .optional()?
            .is_some(),
        None => false,
    };
    Ok(match c.status.as_str() {
        // Open work of the team is visible to its members (queues, colleagues' chats).
        "waiting" | "active" | "pending" => in_team,
        // History follows the agent's history permission.
        _ => match history.as_str() {
            "all" => true,
            "own" => in_team,
            _ => false,
        },
    })
}

/// The conversation when it exists and the user may see it. A conversation the user may
/// not see is answered as missing, so ids cannot be probed.
pub fn visible_conversation(
    conn: &Connection,
    user_id: i64,
    supervisor: bool,
    id: i64,
) -> DbResult<Option<Conversation>> {
    let Some(c) = conversations::conversation_by_id(conn, id)? else { return Ok(None) };
    Ok(can_view(conn, user_id, supervisor, &c)?.then_some(c))
}

/// Whether `user_id` may write to the contact or change the conversation: the agent
/// holding it, or a colleague invited into it.
pub fn can_write(conn: &Connection, user_id: i64, c: &Conversation) -> DbResult<bool> {
    Ok(c.status != "closed" && (c.agent_id == Some(user_id) || conversations::is_participant(conn, c.id, user_id)?))
}

/// Whether the user belongs to the team.
pub fn is_member(conn: &Connection, user_id: i64, team_id: i64) -> DbResult<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM team_members WHERE team_id = ?1 AND user_id = ?2", params![team_id, user_id], |_| {
            Ok(())
        })
        .optional()?
        .is_some())
}
