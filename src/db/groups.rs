//! Permission groups ("Grupos de usuários") and who belongs to them.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::{now_ms, DbResult};
use crate::domain::permissions::Grants;

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub id: i64,
    pub name: String,
    pub builtin: bool,
    pub permissions: Vec<String>,
    pub members: i64,
}

/// A group as saved and as the audit log shows it: its name, its permission codes
/// and its members' ids.
#[derive(Debug, Clone, Serialize)]
pub struct GroupFields {
    pub name: String,
    pub permissions: Vec<String>,
    pub members: Vec<i64>,
}

fn from_row(row: &Row) -> rusqlite::Result<Group> {
    let text: String = row.get(3)?;
    Ok(Group {
        id: row.get(0)?,
        name: row.get(1)?,
        builtin: row.get(2)?,
        permissions: serde_json::from_str(&text).unwrap_or_default(),
        members: row.get(4)?,
    })
}

const SELECT: &str = "SELECT g.id, g.name, g.builtin, g.permissions,
    (SELECT count(*) FROM user_groups ug WHERE ug.group_id = g.id) FROM permission_groups g";

pub fn list_groups(conn: &Connection) -> DbResult<Vec<Group>> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY g.builtin DESC, g.name COLLATE NOCASE"))?;
    let rows = stmt.query_map([], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn group_by_id(conn: &Connection, id: i64) -> DbResult<Option<Group>> {
    Ok(conn.query_row(&format!("{SELECT} WHERE g.id = ?1"), [id], from_row).optional()?)
}

pub fn builtin_group_id(conn: &Connection) -> DbResult<i64> {
    Ok(conn.query_row("SELECT id FROM permission_groups WHERE builtin = 1", [], |r| r.get(0))?)
}

pub fn insert_group(conn: &Connection, name: &str, permissions: &[String]) -> DbResult<i64> {
    conn.execute(
        "INSERT INTO permission_groups (name, permissions, created_at) VALUES (?1, ?2, ?3)",
        params![name, serde_json::to_string(permissions).unwrap_or_else(|_| "[]".into()), now_ms()],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Renames and re-grants a group; the built-in group keeps `*` whatever is sent.
pub fn update_group(conn: &Connection, id: i64, name: &str, permissions: &[String]) -> DbResult<()> {
    conn.execute(
        "UPDATE permission_groups SET name = ?2,
            permissions = CASE WHEN builtin = 1 THEN permissions ELSE ?3 END WHERE id = ?1",
        params![id, name, serde_json::to_string(permissions).unwrap_or_else(|_| "[]".into())],
    )?;
    Ok(())
}

pub fn delete_group(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM permission_groups WHERE id = ?1 AND builtin = 0", [id])?;
    Ok(())
}

/// The groups a user belongs to (ids).
pub fn user_group_ids(conn: &Connection, user_id: i64) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT group_id FROM user_groups WHERE user_id = ?1 ORDER BY group_id")?;
    let ids = stmt.query_map([user_id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

pub fn set_user_groups(conn: &Connection, user_id: i64, group_ids: &[i64]) -> DbResult<()> {
    conn.execute("DELETE FROM user_groups WHERE user_id = ?1", [user_id])?;
    let mut stmt = conn.prepare(
        "INSERT OR IGNORE INTO user_groups (user_id, group_id) SELECT ?1, id FROM permission_groups WHERE id = ?2",
    )?;
    for g in group_ids {
        stmt.execute(params![user_id, g])?;
    }
    Ok(())
}

pub fn add_user_to_group(conn: &Connection, user_id: i64, group_id: i64) -> DbResult<()> {
    conn.execute("INSERT OR IGNORE INTO user_groups (user_id, group_id) VALUES (?1, ?2)", params![user_id, group_id])?;
    Ok(())
}

/// Active members of the built-in group: there must always be at least one.
pub fn count_active_general_admins(conn: &Connection) -> DbResult<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM user_groups ug JOIN users u ON u.id = ug.user_id
         JOIN permission_groups g ON g.id = ug.group_id
         WHERE g.builtin = 1 AND u.active = 1 AND u.role = 'admin'",
        [],
        |r| r.get(0),
    )?)
}

pub fn is_general_admin(conn: &Connection, user_id: i64) -> DbResult<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM user_groups ug JOIN permission_groups g ON g.id = ug.group_id WHERE ug.user_id = ?1 AND g.builtin = 1",
            [user_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// What an administrator may do: the union of their groups' permissions.
pub fn grants_of(conn: &Connection, user_id: i64) -> DbResult<Grants> {
    let mut stmt = conn.prepare(
        "SELECT g.permissions FROM user_groups ug JOIN permission_groups g ON g.id = ug.group_id
         JOIN users u ON u.id = ug.user_id WHERE ug.user_id = ?1 AND u.role = 'admin'",
    )?;
    let lists = stmt.query_map([user_id], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    let codes: Vec<String> =
        lists.iter().flat_map(|t| serde_json::from_str::<Vec<String>>(t).unwrap_or_default()).collect();
    Ok(Grants::from_codes(codes.iter().map(String::as_str)))
}

/// One page of groups whose name matches `search`, the built-in group first.
pub fn list_groups_page(conn: &Connection, search: &str, limit: i64, offset: i64) -> DbResult<(Vec<Group>, i64)> {
    let pattern = super::paging::like_pattern(search);
    let total =
        conn.query_row("SELECT count(*) FROM permission_groups WHERE name LIKE ?1 ESCAPE '\\'", [&pattern], |r| {
            r.get(0)
        })?;
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE g.name LIKE ?1 ESCAPE '\\' ORDER BY g.builtin DESC, g.name COLLATE NOCASE LIMIT ?2 OFFSET ?3"
    ))?;
    let rows = stmt.query_map(params![pattern, limit, offset], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, total))
}

/// A group as saved, with its members; `None` when it does not exist.
pub fn group_fields(conn: &Connection, id: i64) -> DbResult<Option<GroupFields>> {
    let Some(group) = group_by_id(conn, id)? else { return Ok(None) };
    Ok(Some(GroupFields { name: group.name, permissions: group.permissions, members: member_ids(conn, id)? }))
}

/// The members of a group (user ids, active or not).
pub fn member_ids(conn: &Connection, group_id: i64) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT user_id FROM user_groups WHERE group_id = ?1 ORDER BY user_id")?;
    let ids = stmt.query_map([group_id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// Sets which active administrators belong to a group. Other memberships (inactive
/// accounts, which the form does not show) stay as they are; ids that are not active
/// administrators are ignored.
pub fn set_admin_members(conn: &Connection, group_id: i64, user_ids: &[i64]) -> DbResult<()> {
    conn.execute(
        "DELETE FROM user_groups WHERE group_id = ?1
           AND user_id IN (SELECT id FROM users WHERE role = 'admin' AND active = 1)",
        [group_id],
    )?;
    let mut stmt = conn.prepare(
        "INSERT OR IGNORE INTO user_groups (user_id, group_id)
         SELECT id, ?2 FROM users WHERE id = ?1 AND role = 'admin' AND active = 1",
    )?;
    for user in user_ids {
        stmt.execute(params![user, group_id])?;
    }
    Ok(())
}

/// Ids of the groups that exist among `ids`.
pub fn existing_group_ids(conn: &Connection, ids: &[i64]) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT id FROM permission_groups WHERE id = ?1")?;
    let mut found = Vec::new();
    for id in ids {
        if let Some(id) = stmt.query_row([id], |r| r.get::<_, i64>(0)).optional()? {
            found.push(id);
        }
    }
    Ok(found)
}
