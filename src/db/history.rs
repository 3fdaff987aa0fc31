//! "Histórico": the closed conversations a user may see, newest first, by period,
//! protocol, contact name and "Mensagens contendo" (the messages' full-text index).

use rusqlite::types::Value;
use rusqlite::Connection;
use serde::Serialize;

use super::contacts::{self, ContactConversation, MessageHit, CONVERSATION_TABLES};
use super::paging::like_pattern;
use super::DbResult;

/// What the list is narrowed to; empty fields narrow nothing.
#[derive(Debug, Clone, Default)]
pub struct HistoryFilter {
    /// Closed at or after (unix ms).
    pub from_ms: Option<i64>,
    /// Closed before (unix ms).
    pub until_ms: Option<i64>,
    /// Part of the protocol number.
    pub protocol: String,
    /// Part of the contact's name.
    pub contact: String,
    /// An FTS query made by `contacts::fts_query`: a message of the conversation matches.
    pub containing: Option<String>,
}

/// A closed conversation in the list, with the message that matched "Mensagens contendo".
#[derive(Debug, Clone, Serialize)]
pub struct HistoryRow {
    pub row: ContactConversation,
    pub hit: Option<MessageHit>,
}

/// Which closed conversations `user_id` may see (`?1`; `?2` is the monitoring
/// permission, which sees the whole floor): those they held or were invited into, and
/// by their history permission all (`all`) or their teams' (`own`). The same rule as
/// `engine::access::can_view` for closed conversations (a test holds them together).
pub(crate) const VISIBLE: &str = "(?2 OR c.agent_id = ?1
     OR EXISTS (SELECT 1 FROM conversation_participants p WHERE p.conversation_id = c.id AND p.user_id = ?1)
     OR (SELECT history_scope FROM users WHERE id = ?1) = 'all'
     OR ((SELECT history_scope FROM users WHERE id = ?1) = 'own'
         AND c.team_id IN (SELECT team_id FROM team_members WHERE user_id = ?1)))";

/// The filter as SQL over `CONVERSATION_TABLES` and its arguments (from `?1`).
fn filter_sql(user_id: i64, supervisor: bool, f: &HistoryFilter) -> (String, Vec<Value>) {
    let mut sql = format!("c.status = 'closed' AND {VISIBLE}");
    let mut args: Vec<Value> = vec![user_id.into(), supervisor.into()];
    let mut add = |clause: &str, value: Value, args: &mut Vec<Value>| {
        args.push(value);
        sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
    };
    if let Some(from) = f.from_ms {
        add(" AND c.closed_at >= ?", from.into(), &mut args);
    }
    if let Some(until) = f.until_ms {
        add(" AND c.closed_at < ?", until.into(), &mut args);
    }
    if !f.protocol.trim().is_empty() {
        add(" AND c.protocol LIKE ? ESCAPE '\\'", like_pattern(&f.protocol).into(), &mut args);
    }
    if !f.contact.trim().is_empty() {
        add(" AND k.name LIKE ? ESCAPE '\\'", like_pattern(&f.contact).into(), &mut args);
    }
    if let Some(query) = &f.containing {
        add(contacts::CONTAINING, query.clone().into(), &mut args);
    }
    (sql, args)
}

/// One page of the closed conversations `user_id` may see, newest first, and how many
/// there are in all.
pub fn closed_conversations(
    conn: &Connection,
    user_id: i64,
    supervisor: bool,
    filter: &HistoryFilter,
    limit: i64,
    offset: i64,
) -> DbResult<(Vec<HistoryRow>, i64)> {
    let (sql, mut args) = filter_sql(user_id, supervisor, filter);
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM {CONVERSATION_TABLES} WHERE {sql}"),
        rusqlite::params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    let page =
        format!("{sql} ORDER BY c.closed_at DESC, c.id DESC LIMIT ?{} OFFSET ?{}", args.len() + 1, args.len() + 2);
    args.extend([limit.into(), offset.into()]);
    let rows = contacts::conversation_rows(conn, &page, rusqlite::params_from_iter(args.iter()))?;
    let mut hits = match &filter.containing {
        Some(query) => {
            let ids: Vec<i64> = rows.iter().map(|r| r.conversation.id).collect();
            contacts::latest_hits(conn, query, &ids)?
        }
        None => Default::default(),
    };
    let rows = rows.into_iter().map(|row| HistoryRow { hit: hits.remove(&row.conversation.id), row }).collect();
    Ok((rows, total))
}
