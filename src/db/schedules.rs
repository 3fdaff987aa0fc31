//! The schedule groups ("Grupo de horários"): `schedule_groups` with their weekly
//! `schedule_intervals` and dated `schedule_exceptions`.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::paging::like_pattern;
use super::DbResult;
use crate::domain::schedule::{self, Exception, Interval, Schedule};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScheduleGroup {
    pub id: i64,
    pub name: String,
    pub time_zone: String,
    pub active: bool,
    pub created_at: i64,
}

/// A dated exception as stored: `day` is `YYYY-MM-DD` in the group's time zone; no
/// start/end means closed all day.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExceptionRow {
    pub day: String,
    pub start_min: Option<i64>,
    pub end_min: Option<i64>,
    pub label: String,
}

/// A group with its rules, as shown and as audited.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScheduleGroupFields {
    pub name: String,
    pub time_zone: String,
    pub active: bool,
    pub intervals: Vec<Interval>,
    pub exceptions: Vec<ExceptionRow>,
}

/// A row of the list page: the group, its weekly intervals and how many exceptions.
#[derive(Debug, Clone, Serialize)]
pub struct GroupListRow {
    pub group: ScheduleGroup,
    pub intervals: Vec<Interval>,
    pub exceptions: i64,
}

const COLUMNS: &str = "id, name, time_zone, active, created_at";

fn from_row(r: &Row) -> rusqlite::Result<ScheduleGroup> {
    Ok(ScheduleGroup { id: r.get(0)?, name: r.get(1)?, time_zone: r.get(2)?, active: r.get(3)?, created_at: r.get(4)? })
}

pub fn list_groups(conn: &Connection, search: &str, limit: i64, offset: i64) -> DbResult<(Vec<GroupListRow>, i64)> {
    let pattern = like_pattern(search);
    let total =
        conn.query_row("SELECT count(*) FROM schedule_groups WHERE name LIKE ?1 ESCAPE '\\'", [&pattern], |r| {
            r.get(0)
        })?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM schedule_groups WHERE name LIKE ?1 ESCAPE '\\'
         ORDER BY active DESC, name COLLATE NOCASE LIMIT ?2 OFFSET ?3"
    ))?;
    let groups = stmt.query_map(params![pattern, limit, offset], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut rows = Vec::with_capacity(groups.len());
    for group in groups {
        let intervals = intervals_of(conn, group.id)?;
        let exceptions =
            conn.query_row("SELECT count(*) FROM schedule_exceptions WHERE group_id = ?1", [group.id], |r| r.get(0))?;
        rows.push(GroupListRow { group, intervals, exceptions });
    }
    Ok((rows, total))
}

pub fn group_by_id(conn: &Connection, id: i64) -> DbResult<Option<ScheduleGroup>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM schedule_groups WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

pub fn intervals_of(conn: &Connection, group_id: i64) -> DbResult<Vec<Interval>> {
    let mut stmt = conn.prepare_cached(
        "SELECT weekday, start_min, end_min FROM schedule_intervals WHERE group_id = ?1
         ORDER BY weekday, start_min",
    )?;
    let rows = stmt
        .query_map([group_id], |r| Ok(Interval { weekday: r.get(0)?, start_min: r.get(1)?, end_min: r.get(2)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn exceptions_of(conn: &Connection, group_id: i64) -> DbResult<Vec<ExceptionRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT day, start_min, end_min, label FROM schedule_exceptions WHERE group_id = ?1
         ORDER BY day, start_min",
    )?;
    let rows = stmt
        .query_map([group_id], |r| {
            Ok(ExceptionRow { day: r.get(0)?, start_min: r.get(1)?, end_min: r.get(2)?, label: r.get(3)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A group with all its rules.
pub fn group_fields(conn: &Connection, id: i64) -> DbResult<Option<ScheduleGroupFields>> {
    let Some(group) = group_by_id(conn, id)? else {
        return Ok(None);
    };
    Ok(Some(ScheduleGroupFields {
        name: group.name,
        time_zone: group.time_zone,
        active: group.active,
        intervals: intervals_of(conn, id)?,
        exceptions: exceptions_of(conn, id)?,
    }))
}

pub fn insert_group(conn: &Connection, g: &ScheduleGroupFields, now: i64) -> DbResult<i64> {
    conn.execute(
        "INSERT INTO schedule_groups (name, time_zone, active, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![g.name, g.time_zone, g.active, now],
    )?;
    let id = conn.last_insert_rowid();
    replace_rules(conn, id, g)?;
    Ok(id)
}

pub fn update_group(conn: &Connection, id: i64, g: &ScheduleGroupFields) -> DbResult<()> {
    conn.execute(
        "UPDATE schedule_groups SET name = ?2, time_zone = ?3, active = ?4 WHERE id = ?1",
        params![id, g.name, g.time_zone, g.active],
    )?;
    replace_rules(conn, id, g)
}

/// Replaces the intervals and exceptions of a group (call inside the write transaction).
fn replace_rules(conn: &Connection, id: i64, g: &ScheduleGroupFields) -> DbResult<()> {
    conn.execute("DELETE FROM schedule_intervals WHERE group_id = ?1", [id])?;
    conn.execute("DELETE FROM schedule_exceptions WHERE group_id = ?1", [id])?;
    let mut interval =
        conn.prepare("INSERT INTO schedule_intervals (group_id, weekday, start_min, end_min) VALUES (?1, ?2, ?3, ?4)")?;
    for i in &g.intervals {
        interval.execute(params![id, i.weekday, i.start_min, i.end_min])?;
    }
    let mut exception = conn.prepare(
        "INSERT INTO schedule_exceptions (group_id, day, label, start_min, end_min) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for e in &g.exceptions {
        exception.execute(params![id, e.day, e.label, e.start_min, e.end_min])?;
    }
    Ok(())
}

pub fn delete_group(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM schedule_groups WHERE id = ?1", [id])?;
    Ok(())
}

/// A user tied to a group, for the "in use" explanation.
#[derive(Debug, Clone, Serialize)]
pub struct GroupUser {
    pub id: i64,
    pub name: String,
    pub username: String,
}

pub fn users_of(conn: &Connection, group_id: i64) -> DbResult<Vec<GroupUser>> {
    let mut stmt =
        conn.prepare("SELECT id, name, username FROM users WHERE schedule_group_id = ?1 ORDER BY name COLLATE NOCASE")?;
    let rows = stmt
        .query_map([group_id], |r| Ok(GroupUser { id: r.get(0)?, name: r.get(1)?, username: r.get(2)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Builds the rule set from stored rows. A time zone that is no longer known is read as
/// `company`'s; a malformed exception date is skipped (neither can be typed in).
pub fn schedule_from(
    time_zone: &str,
    company: chrono_tz::Tz,
    intervals: Vec<Interval>,
    exceptions: &[ExceptionRow],
) -> Schedule {
    let time_zone = crate::domain::clock::stored_zone(time_zone, company);
    let exceptions = exceptions
        .iter()
        .filter_map(|e| {
            Some(Exception {
                day: schedule::parse_day(&e.day)?,
                hours: e.start_min.zip(e.end_min),
                label: e.label.clone(),
            })
        })
        .collect();
    Schedule { time_zone, weekly: intervals, exceptions }
}

/// The schedule of a group, ready for `domain::schedule::is_open`.
pub fn schedule_of(conn: &Connection, group_id: i64) -> DbResult<Option<Schedule>> {
    let Some(group) = group_by_id(conn, group_id)? else {
        return Ok(None);
    };
    let company = super::settings::load(conn)?.zone();
    Ok(Some(schedule_from(&group.time_zone, company, intervals_of(conn, group_id)?, &exceptions_of(conn, group_id)?)))
}

/// The work hours of an agent tied to an active schedule group, with what happens
/// outside them (`warn` or `refuse`); `None` for administrators and agents without one.
pub fn work_hours_of(conn: &Connection, user_id: i64) -> DbResult<Option<(Schedule, String)>> {
    let found: Option<(i64, String)> = conn
        .query_row(
            "SELECT g.id, u.outside_hours FROM users u JOIN schedule_groups g ON g.id = u.schedule_group_id
             WHERE u.id = ?1 AND u.role = 'agent' AND g.active = 1",
            [user_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((group_id, mode)) = found else {
        return Ok(None);
    };
    Ok(schedule_of(conn, group_id)?.map(|s| (s, mode)))
}
