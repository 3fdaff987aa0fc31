//! The `users` table: administrators and agents.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::{json_ids, now_ms, DbResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Agent,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Agent => "agent",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "agent" => Some(Role::Agent),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub username: String,
    pub email: String,
    pub role: Role,
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub active: bool,
    pub language: Option<String>,
    pub phone: String,
    pub extension: String,
    pub allowed_networks: String,
    #[serde(skip)]
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    pub failed_logins: i64,
    pub locked_until: Option<i64>,
    pub status: String,
    pub last_heartbeat_at: Option<i64>,
    pub created_at: i64,
    /// Conversations the agent may hold at once.
    pub capacity: i64,
    /// The schedule group ("Grupo de horários") the agent works in, if any.
    pub schedule_group_id: Option<i64>,
    /// Outside the schedule group: `warn` or `refuse` going online.
    pub outside_hours: String,
    /// Conversation history the agent may see: `none`, `own` (own teams) or `all`.
    pub history_scope: String,
    /// The user's own internal-chat permission, as their form sets it.
    pub internal_chat: bool,
    /// Whether they may chat now: active, with the permission, and in no team whose
    /// internal chat an administrator switched off.
    pub may_chat: bool,
    /// An administrator requires this user to use two-factor authentication.
    pub require_2fa: bool,
    /// The profile photo: a file name under `photos/` in the data directory.
    pub photo: Option<String>,
    /// How the composer sends: one of `SEND_KEYS`.
    pub send_key: String,
}

impl User {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn is_locked(&self, now: i64) -> bool {
        self.locked_until.is_some_and(|until| until > now)
    }
}

const COLUMNS: &str = "id, name, username, email, role, password_hash, active, language, phone, \
    extension, allowed_networks, totp_secret, totp_enabled, failed_logins, locked_until, status, \
    last_heartbeat_at, created_at, capacity, schedule_group_id, outside_hours, history_scope, internal_chat, \
    require_2fa, photo, send_key, \
    active = 1 AND internal_chat = 1 AND NOT EXISTS (SELECT 1 FROM team_members cm JOIN teams ct ON ct.id = cm.team_id \
        WHERE cm.user_id = users.id AND ct.internal_chat_off = 1)";

fn from_row(row: &Row) -> rusqlite::Result<User> {
    let role: String = row.get(4)?;
    Ok(User {
        id: row.get(0)?,
        name: row.get(1)?,
        username: row.get(2)?,
        email: row.get(3)?,
        role: Role::parse(&role).unwrap_or(Role::Agent),
        password_hash: row.get(5)?,
        active: row.get(6)?,
        language: row.get(7)?,
        phone: row.get(8)?,
        extension: row.get(9)?,
        allowed_networks: row.get(10)?,
        totp_secret: row.get(11)?,
        totp_enabled: row.get(12)?,
        failed_logins: row.get(13)?,
        locked_until: row.get(14)?,
        status: row.get(15)?,
        last_heartbeat_at: row.get(16)?,
        created_at: row.get(17)?,
        capacity: row.get(18)?,
        schedule_group_id: row.get(19)?,
        outside_hours: row.get(20)?,
        history_scope: row.get(21)?,
        internal_chat: row.get(22)?,
        require_2fa: row.get(23)?,
        photo: row.get(24)?,
        send_key: row.get(25)?,
        may_chat: row.get(26)?,
    })
}

pub fn user_by_id(conn: &Connection, id: i64) -> DbResult<Option<User>> {
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM users WHERE id = ?1"), [id], from_row).optional()?)
}

/// Finds an account by e-mail or username (both case-insensitive).
pub fn user_by_login(conn: &Connection, login: &str) -> DbResult<Option<User>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM users WHERE email = ?1 OR username = ?1 LIMIT 1"),
            [login.trim()],
            from_row,
        )
        .optional()?)
}

pub fn user_by_email(conn: &Connection, email: &str) -> DbResult<Option<User>> {
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM users WHERE email = ?1"), [email.trim()], from_row).optional()?)
}

pub fn username_taken(conn: &Connection, username: &str) -> DbResult<bool> {
    Ok(conn.query_row("SELECT 1 FROM users WHERE username = ?1", [username], |_| Ok(())).optional()?.is_some())
}

pub fn email_taken(conn: &Connection, email: &str, except_id: Option<i64>) -> DbResult<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM users WHERE email = ?1 AND id IS NOT ?2", params![email, except_id], |_| Ok(()))
        .optional()?
        .is_some())
}

pub fn count_active_admins(conn: &Connection) -> DbResult<i64> {
    Ok(conn.query_row("SELECT count(*) FROM users WHERE role = 'admin' AND active = 1", [], |r| r.get(0))?)
}

pub fn count_users(conn: &Connection) -> DbResult<i64> {
    Ok(conn.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?)
}

/// One page of users matching `search` (name, username or e-mail), ordered by name.
pub fn list_users(conn: &Connection, search: &str, limit: i64, offset: i64) -> DbResult<(Vec<User>, i64)> {
    let pattern = super::paging::like_pattern(search);
    let filter = "name LIKE ?1 ESCAPE '\\' OR username LIKE ?1 ESCAPE '\\' OR email LIKE ?1 ESCAPE '\\'";
    let total = conn.query_row(&format!("SELECT count(*) FROM users WHERE {filter}"), [&pattern], |r| r.get(0))?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM users WHERE {filter} ORDER BY name COLLATE NOCASE, id LIMIT ?2 OFFSET ?3"
    ))?;
    let users = stmt.query_map(params![pattern, limit, offset], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((users, total))
}

pub struct NewUser<'a> {
    pub name: &'a str,
    pub username: &'a str,
    pub email: &'a str,
    pub role: Role,
    pub password_hash: Option<&'a str>,
}

pub fn insert_user(conn: &Connection, user: &NewUser) -> DbResult<i64> {
    let now = now_ms();
    conn.execute(
        "INSERT INTO users (name, username, email, role, password_hash, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![user.name, user.username, user.email, user.role.as_str(), user.password_hash, now],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The fields an administrator edits on the user page (username is immutable).
pub struct UserEdit<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub role: Role,
    pub phone: &'a str,
    pub extension: &'a str,
    pub allowed_networks: &'a str,
}

pub fn update_user(conn: &Connection, id: i64, edit: &UserEdit) -> DbResult<()> {
    conn.execute(
        "UPDATE users SET name = ?2, email = ?3, role = ?4, phone = ?5, extension = ?6,
                allowed_networks = ?7, updated_at = ?8 WHERE id = ?1",
        params![
            id,
            edit.name,
            edit.email,
            edit.role.as_str(),
            edit.phone,
            edit.extension,
            edit.allowed_networks,
            now_ms()
        ],
    )?;
    Ok(())
}

/// An agent's work settings as an administrator saves them, already validated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentSettings {
    pub capacity: i64,
    pub schedule_group_id: Option<i64>,
    pub outside_hours: String,
    pub history_scope: String,
    pub internal_chat: bool,
    pub require_2fa: bool,
}

impl AgentSettings {
    pub fn of(user: &User) -> AgentSettings {
        AgentSettings {
            capacity: user.capacity,
            schedule_group_id: user.schedule_group_id,
            outside_hours: user.outside_hours.clone(),
            history_scope: user.history_scope.clone(),
            internal_chat: user.internal_chat,
            require_2fa: user.require_2fa,
        }
    }
}

pub fn update_agent_settings(conn: &Connection, id: i64, s: &AgentSettings) -> DbResult<()> {
    conn.execute(
        "UPDATE users SET capacity = ?2, schedule_group_id = ?3, outside_hours = ?4, history_scope = ?5,
                internal_chat = ?6, require_2fa = ?7, updated_at = ?8 WHERE id = ?1",
        params![
            id,
            s.capacity,
            s.schedule_group_id,
            s.outside_hours,
            s.history_scope,
            s.internal_chat,
            s.require_2fa,
            now_ms()
        ],
    )?;
    Ok(())
}

/// A schedule group ("Grupo de horários") as offered in the agent's settings.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleChoice {
    pub id: i64,
    pub name: String,
    pub active: bool,
}

/// Every schedule group (id and name), active first, for the user page's picker.
pub fn schedule_group_choices(conn: &Connection) -> DbResult<Vec<ScheduleChoice>> {
    let mut stmt =
        conn.prepare("SELECT id, name, active FROM schedule_groups ORDER BY active DESC, name COLLATE NOCASE")?;
    let rows = stmt
        .query_map([], |r| Ok(ScheduleChoice { id: r.get(0)?, name: r.get(1)?, active: r.get(2)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn schedule_group_exists(conn: &Connection, id: i64) -> DbResult<bool> {
    Ok(conn.query_row("SELECT 1 FROM schedule_groups WHERE id = ?1", [id], |_| Ok(())).optional()?.is_some())
}

/// Names of the teams of each of `user_ids` (users without teams are absent).
pub fn team_names_of_users(
    conn: &Connection,
    user_ids: &[i64],
) -> DbResult<std::collections::HashMap<i64, Vec<String>>> {
    let ids = json_ids(user_ids.iter().copied());
    let mut stmt = conn.prepare(
        "SELECT tm.user_id, t.name FROM team_members tm JOIN teams t ON t.id = tm.team_id
         WHERE tm.user_id IN (SELECT value FROM json_each(?1)) ORDER BY t.name COLLATE NOCASE",
    )?;
    let mut names: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
    let rows = stmt.query_map([ids], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (user, name) = row?;
        names.entry(user).or_default().push(name);
    }
    Ok(names)
}

/// Active administrators by name (the people a permission group can hold).
pub fn active_admins(conn: &Connection) -> DbResult<Vec<User>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM users WHERE role = 'admin' AND active = 1 ORDER BY name COLLATE NOCASE, id"
    ))?;
    let rows = stmt.query_map([], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn set_password_hash(conn: &Connection, id: i64, hash: &str) -> DbResult<()> {
    conn.execute(
        "UPDATE users SET password_hash = ?2, failed_logins = 0, locked_until = NULL, updated_at = ?3 WHERE id = ?1",
        params![id, hash, now_ms()],
    )?;
    Ok(())
}

pub fn set_active(conn: &Connection, id: i64, active: bool) -> DbResult<()> {
    conn.execute(
        "UPDATE users SET active = ?2, status = CASE WHEN ?2 THEN status ELSE 'offline' END, updated_at = ?3 WHERE id = ?1",
        params![id, active, now_ms()],
    )?;
    Ok(())
}

pub fn set_language(conn: &Connection, id: i64, language: Option<&str>) -> DbResult<()> {
    conn.execute("UPDATE users SET language = ?2 WHERE id = ?1", params![id, language])?;
    Ok(())
}

/// Counts one failed sign-in atomically; at `max_attempts` the account is locked until
/// `lock_until` and the counter starts again. Returns whether this attempt locked it.
pub fn record_failed_login(conn: &Connection, id: i64, max_attempts: i64, lock_until: i64) -> DbResult<bool> {
    let locked: Option<i64> = conn.query_row(
        "UPDATE users SET
            locked_until  = CASE WHEN failed_logins + 1 >= ?2 THEN ?3 ELSE locked_until END,
            failed_logins = CASE WHEN failed_logins + 1 >= ?2 THEN 0 ELSE failed_logins + 1 END
         WHERE id = ?1 RETURNING locked_until",
        params![id, max_attempts, lock_until],
        |r| r.get(0),
    )?;
    Ok(locked == Some(lock_until))
}

pub fn clear_failed_logins(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute("UPDATE users SET failed_logins = 0 WHERE id = ?1", [id])?;
    Ok(())
}

pub fn unlock(conn: &Connection, id: i64) -> DbResult<()> {
    conn.execute(
        "UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = ?2 WHERE id = ?1",
        params![id, now_ms()],
    )?;
    Ok(())
}

/// Stores a TOTP secret waiting for its first code (`enabled = false`) or confirmed.
pub fn set_totp(conn: &Connection, id: i64, secret: Option<&str>, enabled: bool) -> DbResult<()> {
    conn.execute(
        "UPDATE users SET totp_secret = ?2, totp_enabled = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, secret, enabled, now_ms()],
    )?;
    Ok(())
}

pub fn set_status(conn: &Connection, id: i64, status: &str) -> DbResult<()> {
    conn.execute(
        "UPDATE users SET status = ?2, last_heartbeat_at = CASE WHEN ?2 = 'offline' THEN last_heartbeat_at ELSE ?3 END WHERE id = ?1",
        params![id, status, now_ms()],
    )?;
    Ok(())
}

pub fn touch_heartbeat(conn: &Connection, id: i64, now: i64) -> DbResult<()> {
    conn.execute("UPDATE users SET last_heartbeat_at = ?2 WHERE id = ?1", params![id, now])?;
    Ok(())
}

/// Takes users whose browser stopped sending heartbeats, or who have no session left,
/// out of routing.
pub fn set_absent_offline(conn: &Connection, heartbeat_before: i64) -> DbResult<Vec<i64>> {
    const ABSENT: &str = "status != 'offline'
           AND (last_heartbeat_at IS NULL OR last_heartbeat_at < ?1
                OR NOT EXISTS (SELECT 1 FROM sessions WHERE sessions.user_id = users.id))";
    // They were last seen at their last heartbeat: their time online (and a pause they
    // were in) ends there, not now — a server that was down counts as nobody's time.
    for table in ["status_spans", "agent_pauses"] {
        conn.execute(
            &format!(
                "UPDATE {table} SET ended_at = max(started_at, coalesce(
                     (SELECT last_heartbeat_at FROM users WHERE users.id = {table}.user_id), started_at))
                 WHERE ended_at IS NULL AND user_id IN (SELECT id FROM users WHERE {ABSENT})"
            ),
            [heartbeat_before],
        )?;
    }
    let mut stmt = conn.prepare(&format!("UPDATE users SET status = 'offline' WHERE {ABSENT} RETURNING id"))?;
    let ids = stmt.query_map([heartbeat_before], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

pub fn replace_recovery_codes(conn: &Connection, user_id: i64, hashes: &[String]) -> DbResult<()> {
    conn.execute("DELETE FROM recovery_codes WHERE user_id = ?1", [user_id])?;
    let mut stmt = conn.prepare("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?1, ?2)")?;
    for hash in hashes {
        stmt.execute(params![user_id, hash])?;
    }
    Ok(())
}

/// Spends a recovery code; true when it existed and was unused.
pub fn use_recovery_code(conn: &Connection, user_id: i64, code_hash: &str) -> DbResult<bool> {
    let changed = conn.execute(
        "UPDATE recovery_codes SET used_at = ?3 WHERE user_id = ?1 AND code_hash = ?2 AND used_at IS NULL",
        params![user_id, code_hash, now_ms()],
    )?;
    Ok(changed == 1)
}

pub fn unused_recovery_codes(conn: &Connection, user_id: i64) -> DbResult<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM recovery_codes WHERE user_id = ?1 AND used_at IS NULL",
        [user_id],
        |r| r.get(0),
    )?)
}

/// What a user may change on their own profile ("Editar perfil"); the e-mail changes
/// apart, with the password (`set_email`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ProfileEdit {
    pub name: String,
    pub extension: String,
    pub phone: String,
    /// `None`: the company's language.
    pub language: Option<String>,
}

impl ProfileEdit {
    pub fn of(user: &User) -> ProfileEdit {
        ProfileEdit {
            name: user.name.clone(),
            extension: user.extension.clone(),
            phone: user.phone.clone(),
            language: user.language.clone(),
        }
    }
}

pub fn update_profile(conn: &Connection, id: i64, p: &ProfileEdit) -> DbResult<()> {
    conn.execute(
        "UPDATE users SET name = ?2, extension = ?3, phone = ?4, language = ?5, updated_at = ?6 WHERE id = ?1",
        params![id, p.name, p.extension, p.phone, p.language, now_ms()],
    )?;
    Ok(())
}

/// Sets a user's e-mail, already checked (normalised, not taken).
pub fn set_email(conn: &Connection, id: i64, email: &str) -> DbResult<()> {
    conn.execute("UPDATE users SET email = ?2, updated_at = ?3 WHERE id = ?1", params![id, email, now_ms()])?;
    Ok(())
}

/// Sets (or clears) the profile photo's file name.
pub fn set_photo(conn: &Connection, id: i64, photo: Option<&str>) -> DbResult<()> {
    conn.execute("UPDATE users SET photo = ?2 WHERE id = ?1", params![id, photo])?;
    Ok(())
}

/// The profile photo's file name of a user, if any.
pub fn photo_of(conn: &Connection, id: i64) -> DbResult<Option<String>> {
    Ok(conn.query_row("SELECT photo FROM users WHERE id = ?1", [id], |r| r.get(0)).optional()?.flatten())
}

/// The composer's send keys: Enter (Shift+Enter adds a line) or Ctrl+Enter (Enter adds a line).
pub const SEND_KEYS: [&str; 2] = ["enter", "ctrl-enter"];

pub fn set_send_key(conn: &Connection, id: i64, send_key: &str) -> DbResult<()> {
    conn.execute("UPDATE users SET send_key = ?2 WHERE id = ?1", params![id, send_key])?;
    Ok(())
}
