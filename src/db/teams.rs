//! The `teams` table ("Equipes") and `team_members`.

use rusqlite::{params, Connection, OptionalExtension, Row, ToSql};
use serde::Serialize;

use super::paging::like_pattern;
use super::{now_ms, DbResult};

/// How a team's queue is given out.
pub const DISTRIBUTIONS: [&str; 2] = ["auto", "manual"];

/// The largest queue limit an administrator may set (0 = no limit).
pub const MAX_QUEUE_LIMIT: i64 = 10_000;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Team {
    pub id: i64,
    pub name: String,
    /// `manual` (agents pull) or `auto` (least busy available member).
    pub distribution: String,
    /// 0 = no limit.
    pub queue_limit: i64,
    pub require_tabulation: bool,
    pub active: bool,
    /// Where new conversations go while this team's queue is at its limit.
    pub overflow_team_id: Option<i64>,
    /// What the contact is told when the queue is full; empty = the default text.
    pub queue_full_message: String,
    /// The team's members may not use the internal chat ("Chat interno" switched off).
    pub internal_chat_off: bool,
}

pub const COLUMNS: &str =
    "id, name, distribution, queue_limit, require_tabulation, active, overflow_team_id, queue_full_message, internal_chat_off";
/// How many columns `COLUMNS` selects (a query's own columns follow them).
pub const COLUMN_COUNT: usize = 9;

pub fn from_row(r: &Row) -> rusqlite::Result<Team> {
    Ok(Team {
        id: r.get(0)?,
        name: r.get(1)?,
        distribution: r.get(2)?,
        queue_limit: r.get(3)?,
        require_tabulation: r.get(4)?,
        active: r.get(5)?,
        overflow_team_id: r.get(6)?,
        queue_full_message: r.get(7)?,
        internal_chat_off: r.get(8)?,
    })
}

/// A team as typed in the form, already validated.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct TeamFields {
    pub name: String,
    pub distribution: String,
    pub queue_limit: i64,
    pub require_tabulation: bool,
    pub active: bool,
    pub overflow_team_id: Option<i64>,
    pub queue_full_message: String,
    pub internal_chat_off: bool,
}

impl From<&Team> for TeamFields {
    fn from(t: &Team) -> Self {
        TeamFields {
            name: t.name.clone(),
            distribution: t.distribution.clone(),
            queue_limit: t.queue_limit,
            require_tabulation: t.require_tabulation,
            active: t.active,
            overflow_team_id: t.overflow_team_id,
            queue_full_message: t.queue_full_message.clone(),
            internal_chat_off: t.internal_chat_off,
        }
    }
}

/// What the audit log keeps of a team: its fields and its members' names.
#[derive(Debug, Clone, Serialize)]
pub struct TeamSnapshot {
    #[serde(flatten)]
    pub fields: TeamFields,
    pub members: Vec<String>,
    pub rules: super::team_rules::TeamRules,
}

/// One row of the list page.
#[derive(Debug, Clone, Serialize)]
pub struct TeamRow {
    pub team: Team,
    pub members: i64,
}

/// A user who can be (or is) a member, for the checkboxes of the team page.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub username: String,
    pub role: String,
    pub active: bool,
}

/// What belongs to a team; a team with any of it cannot be deleted.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct TeamUsage {
    pub members: i64,
    pub reasons: i64,
    pub sub_reasons: i64,
    pub tags: i64,
    pub phrases: i64,
    pub templates: i64,
}

impl TeamUsage {
    pub fn is_empty(&self) -> bool {
        *self == TeamUsage::default()
    }
}

/// Every team, active first, by name (for pickers and filters).
pub fn all_teams(conn: &Connection) -> DbResult<Vec<Team>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM teams ORDER BY active DESC, name COLLATE NOCASE"))?;
    let rows = stmt.query_map([], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn team_by_id(conn: &Connection, id: i64) -> DbResult<Option<Team>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM teams WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// A page of teams whose name contains `search`, with their member counts.
pub fn list_teams(conn: &Connection, search: &str, limit: i64, offset: i64) -> DbResult<(Vec<TeamRow>, i64)> {
    let pattern = like_pattern(search);
    let total =
        conn.query_row("SELECT count(*) FROM teams WHERE name LIKE ?1 ESCAPE '\\'", [&pattern], |r| r.get(0))?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS}, (SELECT count(*) FROM team_members m WHERE m.team_id = teams.id)
         FROM teams WHERE name LIKE ?1 ESCAPE '\\'
         ORDER BY active DESC, name COLLATE NOCASE LIMIT ?2 OFFSET ?3"
    ))?;
    let rows = stmt
        .query_map(params![pattern, limit, offset], |r| {
            Ok(TeamRow { team: from_row(r)?, members: r.get(COLUMN_COUNT)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, total))
}

/// The named parameters of a team's fields, shared by the insert and the update.
fn field_params(t: &TeamFields) -> Vec<(&'static str, &dyn ToSql)> {
    vec![
        (":name", &t.name),
        (":distribution", &t.distribution),
        (":queue_limit", &t.queue_limit),
        (":require_tabulation", &t.require_tabulation),
        (":active", &t.active),
        (":overflow_team_id", &t.overflow_team_id),
        (":queue_full_message", &t.queue_full_message),
        (":internal_chat_off", &t.internal_chat_off),
    ]
}

pub fn insert_team(conn: &Connection, t: &TeamFields) -> DbResult<i64> {
    let now = now_ms();
    let mut values = field_params(t);
    values.push((":created_at", &now));
    conn.execute(
        "INSERT INTO teams (name, distribution, queue_limit, require_tabulation, active, overflow_team_id,
                            queue_full_message, internal_chat_off, created_at)
         VALUES (:name, :distribution, :queue_limit, :require_tabulation, :active, :overflow_team_id,
                 :queue_full_message, :internal_chat_off, :created_at)",
        values.as_slice(),
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn update_team(conn: &Connection, id: i64, t: &TeamFields) -> DbResult<()> {
    let mut values = field_params(t);
    values.push((":id", &id));
    conn.execute(
        "UPDATE teams SET name = :name, distribution = :distribution, queue_limit = :queue_limit,
                          require_tabulation = :require_tabulation, active = :active,
                          overflow_team_id = :overflow_team_id, queue_full_message = :queue_full_message,
                          internal_chat_off = :internal_chat_off
         WHERE id = :id",
        values.as_slice(),
    )?;
    Ok(())
}

/// The teams a team's queue may overflow into: the other active teams, plus its current
/// overflow team even if deactivated since (so saving does not drop it unseen).
pub fn overflow_candidates(conn: &Connection, team_id: Option<i64>) -> DbResult<Vec<Team>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM teams
         WHERE id IS NOT ?1 AND (active = 1 OR id = (SELECT overflow_team_id FROM teams WHERE id IS ?1))
         ORDER BY active DESC, name COLLATE NOCASE"
    ))?;
    let rows = stmt.query_map([team_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn delete_team(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM teams WHERE id = ?1", [id])?;
    Ok(())
}

/// How much belongs to the team.
pub fn usage(conn: &Connection, team_id: i64) -> DbResult<TeamUsage> {
    let count = |sql: &str| -> DbResult<i64> { Ok(conn.query_row(sql, [team_id], |r| r.get(0))?) };
    Ok(TeamUsage {
        members: count("SELECT count(*) FROM team_members WHERE team_id = ?1")?,
        reasons: count("SELECT count(*) FROM tabulations WHERE team_id = ?1 AND parent_id IS NULL")?,
        sub_reasons: count("SELECT count(*) FROM tabulations WHERE team_id = ?1 AND parent_id IS NOT NULL")?,
        tags: count("SELECT count(*) FROM tags WHERE team_id = ?1")?,
        phrases: count("SELECT count(*) FROM canned_phrases WHERE team_id = ?1")?,
        templates: count("SELECT count(*) FROM message_templates WHERE team_id = ?1")?,
    })
}

/// The members of a team (ids), in id order.
pub fn member_ids(conn: &Connection, team_id: i64) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT user_id FROM team_members WHERE team_id = ?1 ORDER BY user_id")?;
    let ids = stmt.query_map([team_id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// The names of a team's members, by name (for the audit log).
pub fn member_names(conn: &Connection, team_id: i64) -> DbResult<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT u.name FROM team_members m JOIN users u ON u.id = m.user_id
         WHERE m.team_id = ?1 ORDER BY u.name COLLATE NOCASE, u.id",
    )?;
    let names = stmt.query_map([team_id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(names)
}

/// The team as the audit log records it; `None` when it does not exist.
pub fn snapshot(conn: &Connection, team_id: i64) -> DbResult<Option<TeamSnapshot>> {
    let Some(team) = team_by_id(conn, team_id)? else {
        return Ok(None);
    };
    let rules = super::team_rules::rules_of(conn, team_id)?;
    Ok(Some(TeamSnapshot { fields: TeamFields::from(&team), members: member_names(conn, team_id)?, rules }))
}

/// Who may be ticked as a member: every active user, plus the current members of
/// `team_id` even if deactivated since (so saving does not drop them unseen).
pub fn member_candidates(conn: &Connection, team_id: Option<i64>) -> DbResult<Vec<Candidate>> {
    let mut stmt = conn.prepare(
        "SELECT id, name, username, role, active FROM users
         WHERE active = 1 OR id IN (SELECT user_id FROM team_members WHERE team_id = ?1)
         ORDER BY active DESC, name COLLATE NOCASE, id",
    )?;
    let rows = stmt
        .query_map([team_id], |r| {
            Ok(Candidate { id: r.get(0)?, name: r.get(1)?, username: r.get(2)?, role: r.get(3)?, active: r.get(4)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Replaces the members of a team. Callers check the ids first (`member_candidates`).
pub fn set_team_members(conn: &Connection, team_id: i64, user_ids: &[i64]) -> DbResult<()> {
    conn.execute("DELETE FROM team_members WHERE team_id = ?1", [team_id])?;
    let mut stmt = conn.prepare("INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?1, ?2)")?;
    for u in user_ids {
        stmt.execute(params![team_id, u])?;
    }
    Ok(())
}

/// The teams a user belongs to (ids).
pub fn team_ids_of_user(conn: &Connection, user_id: i64) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT team_id FROM team_members WHERE user_id = ?1 ORDER BY team_id")?;
    let ids = stmt.query_map([user_id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// The names of the active teams a user belongs to, by name.
pub fn team_names_of_user(conn: &Connection, user_id: i64) -> DbResult<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT t.name FROM teams t JOIN team_members m ON m.team_id = t.id
         WHERE m.user_id = ?1 AND t.active = 1 ORDER BY t.name COLLATE NOCASE",
    )?;
    let names = stmt.query_map([user_id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(names)
}

/// Replaces the teams of a user (ids of teams that do not exist are ignored).
pub fn set_user_teams(conn: &Connection, user_id: i64, team_ids: &[i64]) -> DbResult<()> {
    conn.execute("DELETE FROM team_members WHERE user_id = ?1", [user_id])?;
    let mut stmt =
        conn.prepare("INSERT OR IGNORE INTO team_members (team_id, user_id) SELECT id, ?2 FROM teams WHERE id = ?1")?;
    for t in team_ids {
        stmt.execute(params![t, user_id])?;
    }
    Ok(())
}
