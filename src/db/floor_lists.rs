//! What the left side of the workspace shows an agent: "Em atendimento" (held or
//! invited into), "Em espera" (the queues of the agent's teams), "Pendentes", and the
//! queue counts; and, around them, the agent's status, the pause menu and the teams of
//! "Transferir todos". A fixed number of queries whatever the size of the floor.

use std::collections::HashMap;

use rusqlite::{Connection, Row};
use serde::Serialize;

use super::pauses::{self, Pause};
use super::{json_ids, now_ms, DbResult};

/// Rows shown of the waiting list: the queue count says how many there are in all.
const WAITING_SHOWN: i64 = 50;
/// Rows shown of the agent's own lists.
const OWN_SHOWN: i64 = 200;
/// Characters of the last message a row shows.
const PREVIEW_CHARS: usize = 60;

/// One row of a list.
#[derive(Debug, Serialize)]
pub struct ListRow {
    pub id: i64,
    pub protocol: String,
    pub contact: String,
    pub channel: String,
    pub status: String,
    pub team: String,
    /// The last message to or from the contact, on one line and cut short; a file's
    /// name when the message is only a file.
    pub last: String,
    /// The last message carries a file (the page shows a clip before it).
    pub last_has_file: bool,
    pub ago_key: &'static str,
    pub ago_n: i64,
    pub unread: i64,
    pub tags: Vec<RowTag>,
    /// The team requires a classification and none is set yet.
    pub needs_classification: bool,
}

#[derive(Debug, Serialize)]
pub struct RowTag {
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
pub struct FloorLists {
    pub mine: Vec<ListRow>,
    /// Conversations in service with messages the agent has not read.
    pub mine_unread: usize,
    pub waiting: Vec<ListRow>,
    pub pending: Vec<ListRow>,
    pub queues: Vec<Queue>,
}

/// A team "Transferir todos" can send to.
#[derive(Debug, Serialize)]
pub struct TeamChoice {
    pub id: i64,
    pub name: String,
}

/// The whole workspace around the pane.
#[derive(Debug, Serialize)]
pub struct Workspace {
    pub lists: FloorLists,
    pub pauses: Vec<Pause>,
    /// The name of the pause the agent is in now.
    pub current_pause: Option<String>,
    pub all_teams: Vec<TeamChoice>,
    pub my_status: String,
}

/// A row's columns; each list adds its filter, order and limit (`?1` the agent, `?2`
/// the limit). The last message's id is one indexed look-up per row: the last the
/// customer or a person wrote (Atende's own notices — protocol, queue, bot — say
/// nothing of the case).
macro_rules! rows_where {
    ($filter_order_limit:literal) => {
        concat!(
            "SELECT c.id, c.protocol, ct.name, ch.kind, c.status, coalesce(t.name, ''), c.queued_at,
                    c.last_message_at, c.unread,
                    (SELECT m.id FROM messages m WHERE m.conversation_id = c.id
                       AND (m.direction = 'in' OR (m.direction = 'out' AND (m.author_id IS NOT NULL OR m.api_token_id IS NOT NULL)))
                     ORDER BY m.id DESC LIMIT 1),
                    coalesce(t.require_tabulation, 0) = 1
                      AND NOT EXISTS (SELECT 1 FROM conversation_tabulations x WHERE x.conversation_id = c.id)
             FROM conversations c JOIN contacts ct ON ct.id = c.contact_id JOIN channels ch ON ch.id = c.channel_id
             LEFT JOIN teams t ON t.id = c.team_id
             WHERE ",
            $filter_order_limit
        )
    };
}

const MINE: &str = rows_where!(
    "(c.agent_id = ?1 OR c.id IN (SELECT conversation_id FROM conversation_participants WHERE user_id = ?1))
       AND c.status = 'active'
     ORDER BY c.last_message_at DESC LIMIT ?2"
);
const WAITING: &str = rows_where!(
    "c.status = 'waiting' AND c.team_id IN (SELECT team_id FROM team_members WHERE user_id = ?1)
     ORDER BY c.priority DESC, c.queued_at, c.id LIMIT ?2"
);
const PENDING: &str = rows_where!("c.agent_id = ?1 AND c.status = 'pending' ORDER BY c.last_message_at DESC LIMIT ?2");

impl FloorLists {
    /// The lists of an agent: three row queries, then the tags and the last messages of
    /// every row shown in one query each, and the queue counts.
    pub fn load(conn: &Connection, user_id: i64) -> DbResult<FloorLists> {
        let now = now_ms();
        let mut mine = rows(conn, MINE, user_id, OWN_SHOWN, now)?;
        let mut waiting = rows(conn, WAITING, user_id, WAITING_SHOWN, now)?;
        let mut pending = rows(conn, PENDING, user_id, OWN_SHOWN, now)?;
        let mut shown: Vec<&mut Shown> = mine.iter_mut().chain(waiting.iter_mut()).chain(pending.iter_mut()).collect();
        fill_tags(conn, &mut shown)?;
        fill_last_messages(conn, &mut shown)?;
        let strip = |list: Vec<Shown>| list.into_iter().map(|s| s.row).collect::<Vec<_>>();
        let mine = strip(mine);
        let mine_unread = mine.iter().filter(|r| r.unread > 0).count();
        Ok(FloorLists {
            mine,
            mine_unread,
            waiting: strip(waiting),
            pending: strip(pending),
            queues: queues(conn, user_id)?,
        })
    }
}

impl Workspace {
    pub fn load(conn: &Connection, user_id: i64) -> DbResult<Workspace> {
        let my_status =
            conn.prepare_cached("SELECT status FROM users WHERE id = ?1")?.query_row([user_id], |r| r.get(0))?;
        Ok(Workspace {
            lists: FloorLists::load(conn, user_id)?,
            pauses: pauses::active_pauses(conn)?,
            current_pause: pauses::taken_now(conn, user_id)?.map(|(pause, _)| pause.fields.name),
            all_teams: active_teams(conn)?,
            my_status,
        })
    }
}

/// A row while it is being filled, with the id of its last message.
struct Shown {
    row: ListRow,
    last_message: Option<i64>,
}

fn rows(conn: &Connection, sql: &'static str, user_id: i64, limit: i64, now: i64) -> DbResult<Vec<Shown>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([user_id, limit], |r| shown_row(r, now))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn shown_row(r: &Row, now: i64) -> rusqlite::Result<Shown> {
    let status: String = r.get(4)?;
    // A waiting conversation ages from when it entered the queue.
    let since: i64 = if status == "waiting" { r.get(6)? } else { r.get(7)? };
    let (ago_key, ago_n) = ago(since, now);
    Ok(Shown {
        row: ListRow {
            id: r.get(0)?,
            protocol: r.get(1)?,
            contact: r.get(2)?,
            channel: r.get(3)?,
            status,
            team: r.get(5)?,
            last: String::new(),
            last_has_file: false,
            ago_key,
            ago_n,
            unread: r.get(8)?,
            tags: Vec::new(),
            needs_classification: r.get(10)?,
        },
        last_message: r.get(9)?,
    })
}

fn fill_tags(conn: &Connection, shown: &mut [&mut Shown]) -> DbResult<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT x.conversation_id, t.name, t.color FROM conversation_tags x JOIN tags t ON t.id = x.tag_id
         WHERE x.conversation_id IN (SELECT value FROM json_each(?1)) ORDER BY t.name COLLATE NOCASE",
    )?;
    let mut by_conversation: HashMap<i64, Vec<RowTag>> = HashMap::new();
    let ids = json_ids(shown.iter().map(|s| s.row.id));
    for found in stmt.query_map([ids], |r| Ok((r.get::<_, i64>(0)?, RowTag { name: r.get(1)?, color: r.get(2)? })))? {
        let (id, tag) = found?;
        by_conversation.entry(id).or_default().push(tag);
    }
    for s in shown.iter_mut() {
        s.row.tags = by_conversation.remove(&s.row.id).unwrap_or_default();
    }
    Ok(())
}

/// Each row's last message: its text, or the file's name when it has no text.
fn fill_last_messages(conn: &Connection, shown: &mut [&mut Shown]) -> DbResult<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.id, m.body, a.file_name FROM messages m LEFT JOIN attachments a ON a.id = m.attachment_id
         WHERE m.id IN (SELECT value FROM json_each(?1))",
    )?;
    let mut by_id: HashMap<i64, (String, Option<String>)> = HashMap::new();
    let ids = json_ids(shown.iter().filter_map(|s| s.last_message));
    for found in stmt.query_map([ids], |r| Ok((r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?))))? {
        let (id, message) = found?;
        by_id.insert(id, message);
    }
    for s in shown.iter_mut() {
        let Some((body, file)) = s.last_message.and_then(|id| by_id.remove(&id)) else { continue };
        s.row.last_has_file = file.is_some();
        let text = match file {
            Some(name) if body.is_empty() => name,
            _ => body,
        };
        // Room for the clip the page puts before a file.
        s.row.last = truncate(&text, if s.row.last_has_file { PREVIEW_CHARS - 2 } else { PREVIEW_CHARS });
    }
    Ok(())
}

fn queues(conn: &Connection, user_id: i64) -> DbResult<Vec<Queue>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.name, (SELECT count(*) FROM conversations c WHERE c.team_id = t.id AND c.status = 'waiting')
         FROM teams t JOIN team_members m ON m.team_id = t.id
         WHERE m.user_id = ?1 AND t.active = 1 ORDER BY t.name COLLATE NOCASE",
    )?;
    let queues = stmt
        .query_map([user_id], |r| Ok(Queue { team_id: r.get(0)?, name: r.get(1)?, waiting: r.get(2)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(queues)
}

fn active_teams(conn: &Connection) -> DbResult<Vec<TeamChoice>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM teams WHERE active = 1 ORDER BY name COLLATE NOCASE")?;
    let teams = stmt
        .query_map([], |r| Ok(TeamChoice { id: r.get(0)?, name: r.get(1)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(teams)
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

/// At most `max` characters on one line, with an ellipsis when cut.
pub fn truncate(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max).collect();
    cut.push('…');
    cut
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
