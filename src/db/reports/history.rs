//! "Histórico de Atendimentos" (F-RE-1): the closed conversations of a period the viewer
//! may see, filtered and sorted by any column, a page at a time (the count, the page's
//! ids, their rows, and their excerpts with "mensagens contendo") or every row for an
//! export (one query, read as it goes).

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::Connection;
use serde::Serialize;

use super::Scope;
use crate::db::contacts::{latest_hits, CONTAINING, CONTAINING_UNINDEXED};
use crate::db::history::VISIBLE;
use crate::db::paging::like_pattern;
use crate::db::DbResult;
use crate::domain::excerpt::ExcerptPart;

/// What the list is narrowed to, as the use case checked it; `None` and empty narrow
/// nothing, except the period, which is always given.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReportFilter {
    /// Closed at or after (unix ms).
    pub from_ms: i64,
    /// Closed before (unix ms).
    pub until_ms: i64,
    pub protocol: String,
    pub client: String,
    /// `phone::search_forms` of the number typed; `phone_typed` without forms matches
    /// nothing (what was typed is no number).
    pub phone_forms: Vec<String>,
    pub phone_typed: bool,
    pub email: String,
    /// An FTS query made by `contacts::fts_query`.
    pub containing: Option<String>,
    pub team_id: Option<i64>,
    pub agent_id: Option<i64>,
    pub channel_id: Option<i64>,
    /// A reason: conversations classified with it or any of its sub-reasons.
    pub reason_id: Option<i64>,
    pub sub_reason_id: Option<i64>,
    pub tag_id: Option<i64>,
    pub score: Option<i64>,
}

/// The columns the table sorts by; the only way a sort reaches SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortKey {
    Protocol,
    Channel,
    Client,
    Team,
    Agent,
    Opened,
    Closed,
    Duration,
    Classification,
    Score,
}

impl SortKey {
    pub const ALL: [SortKey; 10] = [
        SortKey::Protocol,
        SortKey::Channel,
        SortKey::Client,
        SortKey::Team,
        SortKey::Agent,
        SortKey::Opened,
        SortKey::Closed,
        SortKey::Duration,
        SortKey::Classification,
        SortKey::Score,
    ];

    /// The name in URLs and catalogue keys (`reports-col-closed`).
    pub fn code(self) -> &'static str {
        match self {
            SortKey::Protocol => "protocol",
            SortKey::Channel => "channel",
            SortKey::Client => "client",
            SortKey::Team => "team",
            SortKey::Agent => "agent",
            SortKey::Opened => "opened",
            SortKey::Closed => "closed",
            SortKey::Duration => "duration",
            SortKey::Classification => "classification",
            SortKey::Score => "score",
        }
    }

    pub fn parse(code: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|k| k.code() == code)
    }

    fn sql(self) -> &'static str {
        match self {
            SortKey::Protocol => "c.protocol",
            SortKey::Channel => "ch.name COLLATE NOCASE",
            SortKey::Client => "k.name COLLATE NOCASE",
            SortKey::Team => "t.name COLLATE NOCASE",
            SortKey::Agent => "u.name COLLATE NOCASE",
            SortKey::Opened => "c.opened_at",
            SortKey::Closed => "c.closed_at",
            SortKey::Duration => "(c.closed_at - c.opened_at)",
            SortKey::Classification => "classification COLLATE NOCASE",
            SortKey::Score => "s.score",
        }
    }
}

/// A sort: the column and its direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Order {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for Order {
    /// The newest closed first, as "Histórico" lists them.
    fn default() -> Order {
        Order { key: SortKey::Closed, descending: true }
    }
}

impl Order {
    fn sql(self) -> String {
        let dir = if self.descending { "DESC" } else { "ASC" };
        format!("{} {dir}, c.id {dir}", self.key.sql())
    }
}

/// One closed conversation as the table and the exports show it.
#[derive(Debug, Clone, Serialize)]
pub struct ReportRow {
    pub id: i64,
    pub protocol: String,
    pub channel_kind: String,
    pub channel_name: String,
    pub client: String,
    pub phone: String,
    pub email: String,
    pub team: Option<String>,
    pub agent: Option<String>,
    pub opened_at: i64,
    pub closed_at: i64,
    pub duration_ms: i64,
    /// Each reason (and sub-reason) it was classified with: `Financeiro › Boleto; Outros`.
    pub classification: String,
    /// The satisfaction survey's answer, 1 to 5.
    pub score: Option<i64>,
    /// From reaching the queue to the first reply.
    pub first_response_ms: Option<i64>,
    /// From an agent taking it to its close.
    pub handling_ms: Option<i64>,
    /// The newest message matching "mensagens contendo", with its excerpt.
    pub hit: Option<Hit>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub message_id: i64,
    pub snippet: Vec<ExcerptPart>,
}

/// Each reason (and sub-reason) a conversation was classified with, as one text.
const CLASSIFICATION: &str =
    "coalesce((SELECT group_concat(CASE WHEN p.id IS NULL THEN tb.name ELSE p.name || ' › ' || tb.name END, '; ')
        FROM conversation_tabulations ct JOIN tabulations tb ON tb.id = ct.tabulation_id
        LEFT JOIN tabulations p ON p.id = tb.parent_id WHERE ct.conversation_id = c.id), '')";

fn select_sql() -> String {
    format!(
        "SELECT c.id, c.protocol, ch.kind, ch.name, k.name, k.phone, k.email, t.name, u.name,
         c.opened_at, c.closed_at, c.closed_at - c.opened_at AS duration_ms, {CLASSIFICATION} AS classification,
         s.score, c.first_response_at - c.first_queued_at, c.closed_at - c.assigned_at"
    )
}

/// The tables a row reads; `joins_for` picks among the joins for counting and sorting.
const TABLES: &str = "conversations c JOIN contacts k ON k.id = c.contact_id JOIN channels ch ON ch.id = c.channel_id
    LEFT JOIN teams t ON t.id = c.team_id LEFT JOIN users u ON u.id = c.agent_id
    LEFT JOIN survey_answers s ON s.conversation_id = c.id";

const JOINS: [(&str, &str); 5] = [
    ("k", "JOIN contacts k ON k.id = c.contact_id"),
    ("ch", "JOIN channels ch ON ch.id = c.channel_id"),
    ("t", "LEFT JOIN teams t ON t.id = c.team_id"),
    ("u", "LEFT JOIN users u ON u.id = c.agent_id"),
    ("s", "LEFT JOIN survey_answers s ON s.conversation_id = c.id"),
];

/// The joins that `sql` reads (an alias followed by a dot, not inside a longer name).
/// Every conversation has its contact and its channel (foreign keys), so leaving the
/// others out counts and orders the same rows — and a count over a month of 100,000
/// conversations reads one table instead of six.
fn joins_for(sql: &str) -> String {
    let mentions = |alias: &str| {
        let needle = format!("{alias}.");
        sql.match_indices(&needle)
            .any(|(at, _)| at == 0 || !sql[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_'))
    };
    JOINS.iter().filter(|(alias, _)| mentions(alias)).map(|(_, join)| *join).collect::<Vec<_>>().join(" ")
}

fn row_of(r: &rusqlite::Row) -> rusqlite::Result<ReportRow> {
    Ok(ReportRow {
        id: r.get(0)?,
        protocol: r.get(1)?,
        channel_kind: r.get(2)?,
        channel_name: r.get(3)?,
        client: r.get(4)?,
        phone: r.get(5)?,
        email: r.get(6)?,
        team: r.get(7)?,
        agent: r.get(8)?,
        opened_at: r.get(9)?,
        closed_at: r.get(10)?,
        duration_ms: r.get(11)?,
        classification: r.get(12)?,
        score: r.get(13)?,
        first_response_ms: r.get(14)?,
        handling_ms: r.get(15)?,
        hit: None,
    })
}

/// The filter as SQL over `TABLES` and its arguments (`?1`, `?2` are the scope's).
/// `containing` is `CONTAINING` or its unindexed form, for a search read in close order.
fn filter_sql(scope: Scope, f: &ReportFilter, containing: &str) -> (String, Vec<Value>) {
    let mut sql = format!("c.status = 'closed' AND {VISIBLE}");
    let mut args: Vec<Value> = vec![scope.user_id.into(), scope.sees_all.into()];
    let mut add = |clause: &str, value: Value| {
        args.push(value);
        sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
    };
    add(" AND c.closed_at >= ?", f.from_ms.into());
    add(" AND c.closed_at < ?", f.until_ms.into());
    for (column, typed) in [("c.protocol", &f.protocol), ("k.name", &f.client), ("k.email", &f.email)] {
        if !typed.is_empty() {
            add(&format!(" AND {column} LIKE ? ESCAPE '\\'"), like_pattern(typed).into());
        }
    }
    if let Some(query) = &f.containing {
        add(containing, query.clone().into());
    }
    let ids = [
        (" AND c.team_id = ?", f.team_id),
        (" AND c.agent_id = ?", f.agent_id),
        (" AND c.channel_id = ?", f.channel_id),
        (
            " AND EXISTS (SELECT 1 FROM conversation_tabulations ct JOIN tabulations tb ON tb.id = ct.tabulation_id
               WHERE ct.conversation_id = c.id AND (tb.id = ? OR tb.parent_id = ?))",
            f.reason_id,
        ),
        (" AND EXISTS (SELECT 1 FROM conversation_tabulations ct WHERE ct.conversation_id = c.id AND ct.tabulation_id = ?)", f.sub_reason_id),
        (" AND EXISTS (SELECT 1 FROM conversation_tags g WHERE g.conversation_id = c.id AND g.tag_id = ?)", f.tag_id),
        (" AND s.score = ?", f.score),
    ];
    for (clause, id) in ids {
        if let Some(id) = id {
            add(clause, id.into());
        }
    }
    if f.phone_typed {
        // Any stored form of the number: with or without the country code or the 9th digit.
        let first = args.len() + 1;
        let forms: Vec<String> = (0..f.phone_forms.len()).map(|i| format!("k.phone LIKE ?{}", first + i)).collect();
        sql.push_str(&if forms.is_empty() { " AND 0".to_string() } else { format!(" AND ({})", forms.join(" OR ")) });
        args.extend(f.phone_forms.iter().map(|form| Value::from(format!("%{form}%"))));
    }
    (sql, args)
}

/// How many rows the report has.
pub fn count(conn: &Connection, scope: Scope, filter: &ReportFilter) -> DbResult<i64> {
    let (sql, args) = filter_sql(scope, filter, CONTAINING);
    let sql = format!("SELECT count(*) FROM conversations c {} WHERE {sql}", joins_for(&sql));
    Ok(conn.query_row(&sql, rusqlite::params_from_iter(args.iter()), |r| r.get(0))?)
}

/// How many rows the report has: `count`, or more than `count` when `more` (a search
/// of the messages counts no further than `COUNT_CAP`, past the page asked for).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Total {
    pub count: i64,
    pub more: bool,
}

/// How far "Mensagens contendo" counts: a common word matches tens of thousands of
/// conversations, and counting them all costs more than showing the page.
pub const COUNT_CAP: i64 = 1_000;

/// One page of the report and how many rows it has in all.
pub fn page(
    conn: &Connection,
    scope: Scope,
    filter: &ReportFilter,
    order: Order,
    limit: i64,
    offset: i64,
) -> DbResult<(Vec<ReportRow>, Total)> {
    let (sql, args) = filter_sql(scope, filter, CONTAINING);
    if let Some(query) =
        filter.containing.as_deref().filter(|_| order.key == SortKey::Closed && joins_for(&sql).is_empty())
    {
        let unindexed = filter_sql(scope, filter, CONTAINING_UNINDEXED);
        return searched_by_close(conn, unindexed, query, order, (limit, offset));
    }
    // The page's ids, reading only what the filter and the sort need, then the rows of
    // those ids whole. A filter on the conversation's own columns sorted by its close
    // is counted apart and read in the index's order, 50 rows; any other is read once,
    // counted on the way (`count(*) OVER ()`), since it must be read whole to be sorted.
    let n = args.len();
    let separate_count = joins_for(&sql).is_empty() && order.key == SortKey::Closed;
    let count = || count(conn, scope, filter);
    let counted_apart = if separate_count { Some(count()?) } else { None };
    let mut page_args = args.clone();
    page_args.extend([limit.into(), offset.into()]);
    let sort = order.sql();
    let classification = if order.key == SortKey::Classification { CLASSIFICATION } else { "''" };
    let total_column = if separate_count { "0" } else { "count(*) OVER ()" };
    let mut stmt = conn.prepare(&format!(
        "SELECT c.id, {classification} AS classification, {total_column} FROM conversations c {} WHERE {sql}
         ORDER BY {sort} LIMIT ?{} OFFSET ?{}",
        joins_for(&format!("{sql} {sort}")),
        n + 1,
        n + 2
    ))?;
    let found = stmt
        .query_map(rusqlite::params_from_iter(page_args.iter()), |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(2)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    let total = match (counted_apart, found.first()) {
        (Some(total), _) => total,
        (None, Some((_, total))) => *total,
        // A page past the end: count on its own.
        (None, None) => count()?,
    };
    let ids: Vec<i64> = found.into_iter().map(|(id, _)| id).collect();
    let mut rows = rows_by_id(conn, &ids)?;
    if let Some(query) = &filter.containing {
        add_hits(conn, query, &mut rows)?;
    }
    Ok((rows, Total { count: total, more: false }))
}

/// A search of the messages in the default order: the conversations are read in the
/// close index's order (`CONTAINING_UNINDEXED`), up to the cap or just past the page —
/// one statement gives the page and the count.
fn searched_by_close(
    conn: &Connection,
    (sql, mut args): (String, Vec<Value>),
    query: &str,
    order: Order,
    (limit, offset): (i64, i64),
) -> DbResult<(Vec<ReportRow>, Total)> {
    let wanted = (COUNT_CAP + 1).max(offset.saturating_add(limit).saturating_add(1));
    args.push(wanted.into());
    let mut stmt = conn.prepare(&format!(
        "SELECT c.id FROM conversations c WHERE {sql} ORDER BY {} LIMIT ?{}",
        order.sql(),
        args.len()
    ))?;
    let found = stmt
        .query_map(rusqlite::params_from_iter(args.iter()), |r| r.get::<_, i64>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    let more = found.len() as i64 == wanted;
    let total = Total { count: found.len() as i64 - i64::from(more), more };
    let page: Vec<i64> = found.into_iter().skip(offset.max(0) as usize).take(limit.max(0) as usize).collect();
    let mut rows = rows_by_id(conn, &page)?;
    add_hits(conn, query, &mut rows)?;
    Ok((rows, total))
}

/// The rows of `ids`, in that order.
fn rows_by_id(conn: &Connection, ids: &[i64]) -> DbResult<Vec<ReportRow>> {
    let list = serde_json::to_string(ids).unwrap_or_default();
    let mut stmt =
        conn.prepare(&format!("{} FROM {TABLES} WHERE c.id IN (SELECT value FROM json_each(?1))", select_sql()))?;
    let mut found: HashMap<i64, ReportRow> =
        stmt.query_map([list], row_of)?.map(|r| r.map(|row| (row.id, row))).collect::<Result<_, _>>()?;
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// The newest matching message of each row.
fn add_hits(conn: &Connection, query: &str, rows: &mut [ReportRow]) -> DbResult<()> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut hits = latest_hits(conn, query, &ids)?;
    for row in rows {
        row.hit = hits.remove(&row.id).map(|h| Hit { message_id: h.message_id, snippet: h.snippet });
    }
    Ok(())
}

/// Every row of the report in order, handed to `each` as it is read (an export never
/// holds the list); how many there were.
pub fn each_row(
    conn: &Connection,
    scope: Scope,
    filter: &ReportFilter,
    order: Order,
    mut each: impl FnMut(&ReportRow) -> DbResult<()>,
) -> DbResult<u64> {
    let (sql, args) = filter_sql(scope, filter, CONTAINING);
    let mut stmt = conn.prepare(&format!("{} FROM {TABLES} WHERE {sql} ORDER BY {}", select_sql(), order.sql()))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
    let mut count = 0;
    while let Some(r) = rows.next()? {
        each(&row_of(r)?)?;
        count += 1;
    }
    Ok(count)
}
