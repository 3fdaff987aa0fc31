//! A customer's demand across conversations (F-RE-6): links from a conversation to an
//! earlier protocol of the same contact, always stored against the demand's first
//! conversation, and the conversations of one demand in time order.

use std::sync::LazyLock;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::cross_channel::OPEN_VISIBLE;
use super::history::VISIBLE;
use super::DbResult;

/// An earlier protocol of the contact a conversation may be linked to.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Earlier {
    pub id: i64,
    pub protocol: String,
    pub opened_at: i64,
}

/// The contact's conversations opened before conversation `id` that `viewer` may see
/// (`supervisor`: the whole floor), newest first (at most `limit`): the choices of
/// "Vincular a protocolo anterior". Another team's protocol is not the viewer's to know,
/// as in the pane's "🔀": open ones by `cross_channel::OPEN_VISIBLE`, closed ones by the
/// history's rule.
pub fn earlier_of(conn: &Connection, id: i64, viewer: i64, supervisor: bool, limit: i64) -> DbResult<Vec<Earlier>> {
    let mut stmt = conn.prepare_cached(&EARLIER_VISIBLE)?;
    let rows = stmt.query_map(params![viewer, supervisor, id, limit], |r| {
        Ok(Earlier { id: r.get(0)?, protocol: r.get(1)?, opened_at: r.get(2)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Conversation `c` was opened before `cur`: two opened in the same millisecond are
/// told apart by id, so the later one is never offered as "earlier".
const BEFORE: &str = "(c.opened_at, c.id) < (cur.opened_at, cur.id)";

/// `earlier_of`'s query, put together once. Both visibility rules name the viewer and
/// the floor-wide permission; here they are ?1 and ?2.
static EARLIER_VISIBLE: LazyLock<String> = LazyLock::new(|| {
    let open = OPEN_VISIBLE.replace("?2", "?1").replace("?3", "?2");
    format!(
        "SELECT c.id, c.protocol, c.opened_at FROM conversations cur
         JOIN conversations c ON c.contact_id = cur.contact_id AND {BEFORE}
         WHERE cur.id = ?3 AND CASE WHEN c.status = 'closed' THEN {VISIBLE} ELSE {open} END
         ORDER BY c.opened_at DESC, c.id DESC LIMIT ?4"
    )
});

/// The earlier conversation of the same contact as `id` with this protocol, if any.
pub fn earlier_by_protocol(conn: &Connection, id: i64, protocol: &str) -> DbResult<Option<i64>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT c.id FROM conversations cur JOIN conversations c ON c.contact_id = cur.contact_id AND {BEFORE}
                 WHERE cur.id = ?1 AND c.protocol = ?2"
            ),
            params![id, protocol],
            |r| r.get(0),
        )
        .optional()?)
}

/// The demand conversation `id` belongs to: its first conversation (itself when unlinked).
pub fn demand_of(conn: &Connection, id: i64) -> DbResult<i64> {
    let linked: Option<i64> = conn
        .query_row("SELECT demand_id FROM protocol_links WHERE conversation_id = ?1", [id], |r| r.get(0))
        .optional()?;
    Ok(linked.unwrap_or(id))
}

/// Whether conversation `id` is linked to a demand already.
pub fn is_linked(conn: &Connection, id: i64) -> DbResult<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM protocol_links WHERE conversation_id = ?1)", [id], |r| r.get(0))?)
}

/// Links conversation `id` to the demand of conversation `to` (replacing an earlier
/// link); what was linked to `id` moves along, so every link names the first one.
pub fn link(conn: &Connection, id: i64, to: i64, by: Option<i64>, now: i64) -> DbResult<()> {
    let demand = demand_of(conn, to)?;
    conn.execute(
        "INSERT INTO protocol_links (conversation_id, demand_id, linked_by, linked_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (conversation_id) DO UPDATE SET demand_id = excluded.demand_id, linked_by = excluded.linked_by,
           linked_at = excluded.linked_at",
        params![id, demand, by, now],
    )?;
    conn.execute("UPDATE protocol_links SET demand_id = ?2 WHERE demand_id = ?1", params![id, demand])?;
    Ok(())
}

/// The conversations of the demand of conversation `id`, in the order they opened.
pub fn conversations_of_demand(conn: &Connection, id: i64) -> DbResult<Vec<i64>> {
    let demand = demand_of(conn, id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT c.id FROM conversations c WHERE c.id = ?1
            OR c.id IN (SELECT conversation_id FROM protocol_links WHERE demand_id = ?1)
         ORDER BY c.opened_at, c.id",
    )?;
    let rows = stmt.query_map([demand], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The conversation with this protocol.
pub fn by_protocol(conn: &Connection, protocol: &str) -> DbResult<Option<i64>> {
    Ok(conn.query_row("SELECT id FROM conversations WHERE protocol = ?1", [protocol], |r| r.get(0)).optional()?)
}
