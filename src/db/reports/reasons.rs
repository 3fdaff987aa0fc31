//! "Motivos de contato" (F-RE-2): the closed conversations of a period (of a team, or
//! of all) counted by the reason and sub-reason they were classified with. A
//! conversation classified with two matters counts once under each; the share is of the
//! period's conversations. Three queries.

use rusqlite::{params, Connection};
use serde::Serialize;

use super::{closed_in_period, Scope};
use crate::db::DbResult;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SubCount {
    pub id: i64,
    pub name: String,
    pub conversations: i64,
}

/// A reason: the conversations classified with it or with any of its sub-reasons, and
/// those of each sub-reason, the largest first.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReasonCount {
    pub id: i64,
    pub name: String,
    pub team: String,
    pub conversations: i64,
    pub subs: Vec<SubCount>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Reasons {
    /// Closed conversations in the period.
    pub total: i64,
    /// Of them, closed without any classification.
    pub unclassified: i64,
    pub reasons: Vec<ReasonCount>,
}

pub fn reasons(
    conn: &Connection,
    scope: Scope,
    from_ms: i64,
    until_ms: i64,
    team_id: Option<i64>,
) -> DbResult<Reasons> {
    let closed = closed_in_period();
    let args = params![from_ms, until_ms, team_id, scope.user_id, scope.sees_all];
    let (total, unclassified) = conn.query_row(
        &format!(
            "SELECT count(*), coalesce(sum(NOT EXISTS (SELECT 1 FROM conversation_tabulations ct
                 WHERE ct.conversation_id = c.id)), 0)
             FROM conversations c WHERE {closed}"
        ),
        args,
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut stmt = conn.prepare(&format!(
        "SELECT r.id, r.name, coalesce(t.name, ''), count(DISTINCT c.id) AS n
         FROM conversations c JOIN conversation_tabulations ct ON ct.conversation_id = c.id
         JOIN tabulations tb ON tb.id = ct.tabulation_id
         JOIN tabulations r ON r.id = coalesce(tb.parent_id, tb.id) LEFT JOIN teams t ON t.id = r.team_id
         WHERE {closed} GROUP BY r.id ORDER BY n DESC, r.name COLLATE NOCASE"
    ))?;
    let mut reasons = stmt
        .query_map(args, |r| {
            Ok(ReasonCount {
                id: r.get(0)?,
                name: r.get(1)?,
                team: r.get(2)?,
                conversations: r.get(3)?,
                subs: Vec::new(),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut stmt = conn.prepare(&format!(
        "SELECT tb.parent_id, tb.id, tb.name, count(DISTINCT c.id) AS n
         FROM conversations c JOIN conversation_tabulations ct ON ct.conversation_id = c.id
         JOIN tabulations tb ON tb.id = ct.tabulation_id
         WHERE {closed} AND tb.parent_id IS NOT NULL GROUP BY tb.id ORDER BY n DESC, tb.name COLLATE NOCASE"
    ))?;
    let subs = stmt.query_map(args, |r| {
        Ok((r.get::<_, i64>(0)?, SubCount { id: r.get(1)?, name: r.get(2)?, conversations: r.get(3)? }))
    })?;
    for sub in subs {
        let (parent, sub) = sub?;
        if let Some(reason) = reasons.iter_mut().find(|r| r.id == parent) {
            reason.subs.push(sub);
        }
    }
    Ok(Reasons { total, unclassified, reasons })
}
