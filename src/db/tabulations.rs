//! The `tabulations` table: per team, reasons (`parent_id` NULL) and their sub-reasons,
//! the classification an agent gives a conversation ("tabulação").

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::teams::{self, Team};
use super::DbResult;
use crate::domain::text::fold;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tabulation {
    pub id: i64,
    pub team_id: i64,
    /// `None` for a reason; the reason's id for a sub-reason.
    pub parent_id: Option<i64>,
    pub name: String,
    pub active: bool,
}

/// A reason with its sub-reasons, as pages show them.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Reason {
    #[serde(flatten)]
    pub reason: Tabulation,
    pub subs: Vec<Tabulation>,
}

/// A team with the number of its reasons and sub-reasons (the team picker).
#[derive(Debug, Clone, Serialize)]
pub struct TeamSummary {
    pub team: Team,
    pub reasons: i64,
    pub sub_reasons: i64,
}

const COLUMNS: &str = "id, team_id, parent_id, name, active";

fn from_row(r: &Row) -> rusqlite::Result<Tabulation> {
    Ok(Tabulation { id: r.get(0)?, team_id: r.get(1)?, parent_id: r.get(2)?, name: r.get(3)?, active: r.get(4)? })
}

pub fn tabulation_by_id(conn: &Connection, id: i64) -> DbResult<Option<Tabulation>> {
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM tabulations WHERE id = ?1"), [id], from_row).optional()?)
}

/// A classification of a conversation: its reason, and the sub-reason when one was
/// chosen (a sub-reason carries its reason).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Classification {
    /// What is stored: the sub-reason's id, or the reason's when there is no sub-reason.
    pub tabulation_id: i64,
    pub reason_id: i64,
    pub reason: String,
    pub sub_id: Option<i64>,
    pub sub: Option<String>,
}

/// The classifications of a conversation, in the order they were given.
pub fn classifications_of(conn: &Connection, conversation_id: i64) -> DbResult<Vec<Classification>> {
    let mut stmt = conn.prepare(
        "SELECT t.id, coalesce(p.id, t.id), coalesce(p.name, t.name), p.id IS NOT NULL, t.name
         FROM conversation_tabulations x JOIN tabulations t ON t.id = x.tabulation_id
         LEFT JOIN tabulations p ON p.id = t.parent_id
         WHERE x.conversation_id = ?1 ORDER BY x.added_at, t.id",
    )?;
    let rows = stmt
        .query_map([conversation_id], |r| {
            let (id, is_sub): (i64, bool) = (r.get(0)?, r.get(3)?);
            Ok(Classification {
                tabulation_id: id,
                reason_id: r.get(1)?,
                reason: r.get(2)?,
                sub_id: is_sub.then_some(id),
                sub: if is_sub { Some(r.get(4)?) } else { None },
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Gives a conversation a classification; giving it again changes nothing.
/// `by` is the person; none for a REST API token (the audit log names it).
pub fn classify_conversation(
    conn: &Connection,
    conversation_id: i64,
    tabulation_id: i64,
    by: Option<i64>,
) -> DbResult<()> {
    conn.execute(
        "INSERT OR IGNORE INTO conversation_tabulations (conversation_id, tabulation_id, added_by, added_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![conversation_id, tabulation_id, by, super::now_ms()],
    )?;
    Ok(())
}

/// Takes a classification off a conversation; `false` when it was not there.
pub fn unclassify_conversation(conn: &Connection, conversation_id: i64, tabulation_id: i64) -> DbResult<bool> {
    let n = conn.execute(
        "DELETE FROM conversation_tabulations WHERE conversation_id = ?1 AND tabulation_id = ?2",
        params![conversation_id, tabulation_id],
    )?;
    Ok(n > 0)
}

/// Every team, active first, by name, with its counts.
pub fn team_summaries(conn: &Connection) -> DbResult<Vec<TeamSummary>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {}, (SELECT count(*) FROM tabulations t WHERE t.team_id = teams.id AND t.parent_id IS NULL),
                (SELECT count(*) FROM tabulations t WHERE t.team_id = teams.id AND t.parent_id IS NOT NULL)
         FROM teams ORDER BY active DESC, name COLLATE NOCASE",
        teams::COLUMNS
    ))?;
    let rows = stmt
        .query_map([], |r| {
            let n = teams::COLUMN_COUNT;
            Ok(TeamSummary { team: teams::from_row(r)?, reasons: r.get(n)?, sub_reasons: r.get(n + 1)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every reason and sub-reason of a team, by name.
pub fn tabulations_of_team(conn: &Connection, team_id: i64) -> DbResult<Vec<Tabulation>> {
    let mut stmt = conn
        .prepare(&format!("SELECT {COLUMNS} FROM tabulations WHERE team_id = ?1 ORDER BY name COLLATE NOCASE, id"))?;
    let rows = stmt.query_map([team_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Reasons with their sub-reasons nested, both in the order given. A sub-reason whose
/// reason is not in `all` is left out.
pub fn nest(all: Vec<Tabulation>) -> Vec<Reason> {
    let (reasons, subs): (Vec<_>, Vec<_>) = all.into_iter().partition(|t| t.parent_id.is_none());
    reasons
        .into_iter()
        .map(|reason| {
            let subs = subs.iter().filter(|s| s.parent_id == Some(reason.id)).cloned().collect();
            Reason { reason, subs }
        })
        .collect()
}

/// The reasons of a team with their sub-reasons.
pub fn tree_of_team(conn: &Connection, team_id: i64) -> DbResult<Vec<Reason>> {
    Ok(nest(tabulations_of_team(conn, team_id)?))
}

/// A tabulation with its sub-reasons (none for a sub-reason), as the audit log of a
/// deletion records it.
pub fn reason_by_id(conn: &Connection, id: i64) -> DbResult<Option<Reason>> {
    let Some(reason) = tabulation_by_id(conn, id)? else { return Ok(None) };
    let mut stmt = conn
        .prepare(&format!("SELECT {COLUMNS} FROM tabulations WHERE parent_id = ?1 ORDER BY name COLLATE NOCASE, id"))?;
    let subs = stmt.query_map([id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some(Reason { reason, subs }))
}

/// Whether a conversation was classified with the tabulation or one of its
/// sub-reasons (the reports keep those classifications).
pub fn in_use(conn: &Connection, id: i64) -> DbResult<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM conversation_tabulations ct JOIN tabulations t ON t.id = ct.tabulation_id
                        WHERE t.id = ?1 OR t.parent_id = ?1)",
        [id],
        |r| r.get(0),
    )?)
}

/// Takes a tabulation out of use, with its sub-reasons.
pub fn deactivate_tabulation(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("UPDATE tabulations SET active = 0 WHERE id = ?1 OR parent_id = ?1", [id])?;
    Ok(())
}

/// Whether another tabulation under the same team and parent has this name, compared
/// case- and accent-insensitively (the unique index folds ASCII case only).
pub fn name_taken(
    conn: &Connection,
    team_id: i64,
    parent_id: Option<i64>,
    name: &str,
    except: Option<i64>,
) -> DbResult<bool> {
    let wanted = fold(name.trim());
    let mut stmt =
        conn.prepare("SELECT name FROM tabulations WHERE team_id = ?1 AND parent_id IS ?2 AND id IS NOT ?3")?;
    let mut rows = stmt.query(params![team_id, parent_id, except])?;
    while let Some(row) = rows.next()? {
        if fold(row.get_ref(0)?.as_str().unwrap_or_default()) == wanted {
            return Ok(true);
        }
    }
    Ok(false)
}

pub fn insert_tabulation(conn: &Connection, team_id: i64, parent_id: Option<i64>, name: &str) -> DbResult<i64> {
    conn.execute(
        "INSERT INTO tabulations (team_id, parent_id, name, active) VALUES (?1, ?2, ?3, 1)",
        params![team_id, parent_id, name],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn update_tabulation(conn: &Connection, id: i64, name: &str, active: bool) -> DbResult<()> {
    conn.execute("UPDATE tabulations SET name = ?2, active = ?3 WHERE id = ?1", params![id, name, active])?;
    Ok(())
}

/// Deletes a tabulation; a reason takes its sub-reasons with it.
pub fn delete_tabulation(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM tabulations WHERE parent_id = ?1", [id])?;
    conn.execute("DELETE FROM tabulations WHERE id = ?1", [id])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tab(id: i64, parent_id: Option<i64>, name: &str) -> Tabulation {
        Tabulation { id, team_id: 1, parent_id, name: name.into(), active: true }
    }

    #[test]
    fn nests_sub_reasons_under_their_reason() {
        let tree = nest(vec![
            tab(3, Some(1), "2ª via"),
            tab(1, None, "Boleto"),
            tab(4, Some(2), "Troca"),
            tab(2, None, "Pedido"),
            tab(5, Some(1), "Vencido"),
            tab(6, Some(99), "Órfão"),
        ]);
        assert_eq!(tree.len(), 2);
        assert_eq!(tree[0].reason.name, "Boleto");
        assert_eq!(tree[0].subs.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["2ª via", "Vencido"]);
        assert_eq!(tree[1].subs.iter().map(|s| s.id).collect::<Vec<_>>(), [4]);
    }
}
