//! Who may see and who may write in a conversation. An agent of one team never sees
//! another team's conversation unless granted (history permission, invitation).

use rusqlite::{params, Connection, OptionalExtension};

use crate::db::conversations::{self, Conversation};
use crate::db::{teams, DbResult};
use crate::domain::visibility::{self, Seen, Viewer};

/// Whether `user_id` may see the conversation. `supervisor`: an administrator whose
/// groups grant monitoring, who sees the whole floor.
pub fn can_view(conn: &Connection, user_id: i64, supervisor: bool, c: &Conversation) -> DbResult<bool> {
    // The rule's first answer needs no query: most calls are the holder's own pane.
    if supervisor || c.agent_id == Some(user_id) {
        return Ok(true);
    }
    let viewer = viewer(conn, user_id, supervisor)?;
    Ok(visibility::may_view(&viewer, &seen(conn, c)?))
}

/// The viewer's side of `may_view`, as stored now (a user who is gone sees nothing of
/// the history).
pub fn viewer(conn: &Connection, user_id: i64, supervisor: bool) -> DbResult<Viewer> {
    let history_scope: String = conn
        .prepare_cached("SELECT history_scope FROM users WHERE id = ?1")?
        .query_row([user_id], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| "none".into());
    Ok(Viewer { user_id, supervisor, history_scope, teams: teams::team_ids_of_user(conn, user_id)? })
}

/// The conversation's side of `may_view`.
pub fn seen(conn: &Connection, c: &Conversation) -> DbResult<Seen> {
    Ok(Seen {
        status: c.status.clone(),
        team_id: c.team_id,
        agent_id: c.agent_id,
        participants: conversations::participant_ids(conn, c.id)?,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::history::{closed_conversations, HistoryFilter};

    /// The history list (SQL) and `can_view` (Rust) agree on every closed conversation,
    /// the pane's "🔀" (SQL) on every open one, and "Vincular a protocolo anterior" (SQL)
    /// on both, for every history permission, team, holder, invitation and the monitoring one.
    #[test]
    fn the_history_list_shows_exactly_what_can_view_allows() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::Db::open(&dir.path().join("t.db")).unwrap();
        db.write_now(|tx| {
            tx.execute_batch(
                "INSERT INTO users (id, name, username, email, role, history_scope, created_at, updated_at) VALUES
                   (1, 'A', 'a', 'a@x.test', 'agent', 'none', 0, 0), (2, 'B', 'b', 'b@x.test', 'agent', 'own', 0, 0),
                   (3, 'C', 'c', 'c@x.test', 'agent', 'all', 0, 0), (4, 'D', 'd', 'd@x.test', 'agent', 'own', 0, 0);
                 INSERT INTO teams (id, name, distribution, created_at) VALUES (1, 'T1', 'manual', 0), (2, 'T2', 'manual', 0);
                 INSERT INTO team_members (team_id, user_id) VALUES (1, 1), (1, 2), (2, 4);
                 INSERT INTO channels (id, kind, name, key, created_at) VALUES (1, 'webchat', 'Site', 'k', 0),
                   (2, 'webchat', 'Loja', 'l', 0);
                 INSERT INTO contacts (id, name, created_at, updated_at) VALUES (1, 'Maria', 0, 0), (2, 'João', 0, 0),
                   (3, 'Carla', 0, 0), (4, 'Pedro', 0, 0);
                 INSERT INTO conversations (id, protocol, channel_id, contact_id, team_id, agent_id, status, opened_at, queued_at, last_message_at, closed_at) VALUES
                   (1, 'WC1', 1, 1, 1, 1, 'closed', 0, 0, 0, 1), (2, 'WC2', 1, 1, 1, 4, 'closed', 0, 0, 0, 2),
                   (3, 'WC3', 1, 1, 2, 4, 'closed', 0, 0, 0, 3), (4, 'WC4', 1, 1, NULL, NULL, 'closed', 0, 0, 0, 4),
                   (5, 'WC5', 1, 1, 2, 3, 'closed', 0, 0, 0, 5), (6, 'WC6', 1, 1, 1, 2, 'active', 0, 0, 0, NULL),
                   (7, 'WC7', 1, 2, 2, NULL, 'waiting', 0, 0, 0, NULL), (8, 'WC8', 1, 3, 2, 4, 'pending', 0, 0, 0, NULL),
                   (9, 'WC9', 1, 4, NULL, NULL, 'bot', 0, 0, 0, NULL), (10, 'WC10', 2, 1, 2, NULL, 'waiting', 0, 0, 0, NULL);
                 INSERT INTO conversation_participants (conversation_id, user_id, invited_at) VALUES (3, 1, 0), (8, 1, 0);",
            )?;
            Ok(())
        })
        .unwrap();
        db.read_now(|c| {
            // The pane's "🔀" shows an open conversation exactly when `can_view` does.
            let mut stmt = c.prepare(&format!(
                "SELECT c.id, {} FROM conversations c WHERE c.status != 'closed' ORDER BY c.id",
                crate::db::cross_channel::OPEN_VISIBLE
            ))?;
            for user in 1..=4 {
                for supervisor in [false, true] {
                    let rows = stmt.query_map(rusqlite::params![0, user, supervisor], |r| {
                        Ok((r.get::<_, i64>(0)?, r.get::<_, bool>(1)?))
                    })?;
                    for row in rows {
                        let (id, shown) = row?;
                        let conv = conversations::conversation_by_id(c, id)?.unwrap();
                        assert_eq!(shown, can_view(c, user, supervisor, &conv)?, "open {id}, user {user}");
                    }
                }
            }
            for user in 1..=4 {
                for supervisor in [false, true] {
                    let (rows, total) = closed_conversations(c, user, supervisor, &HistoryFilter::default(), 100, 0)?;
                    let listed: Vec<i64> = rows.iter().map(|r| r.row.conversation.id).rev().collect();
                    let mut allowed = Vec::new();
                    for id in 1..=10 {
                        let conv = conversations::conversation_by_id(c, id)?.unwrap();
                        if conv.status == "closed" && can_view(c, user, supervisor, &conv)? {
                            allowed.push(id);
                        }
                    }
                    assert_eq!(listed, allowed, "user {user}, supervisor {supervisor}");
                    assert_eq!(total as usize, allowed.len());
                }
            }
            // "Vincular a protocolo anterior" offers Maria's earlier ones (closed and open,
            // all opened at 0, so before 10 by id) exactly when `can_view` does.
            for user in 1..=4 {
                for supervisor in [false, true] {
                    let offered: Vec<i64> = crate::db::protocol_links::earlier_of(c, 10, user, supervisor, 100)?
                        .iter()
                        .map(|e| e.id)
                        .collect();
                    let mut allowed = Vec::new();
                    for id in (1..=6).rev() {
                        let conv = conversations::conversation_by_id(c, id)?.unwrap();
                        if can_view(c, user, supervisor, &conv)? {
                            allowed.push(id);
                        }
                    }
                    assert_eq!(offered, allowed, "user {user}, supervisor {supervisor}");
                }
            }
            Ok(())
        })
        .unwrap();
    }
}
