//! The `notifications` table: the notification centre's rows ("Notificações", and the
//! overview's "Avisos"), kept until someone marks them read. A cause is a kind and its
//! subject (a channel, a team, an agent, a conversation); while it has an unread row a
//! new occurrence counts on that row instead of adding one. What the company chose
//! about them (who is e-mailed, which causes, how often, the low score) is a document
//! of its own in the `settings` table (`Preferences`).

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{now_ms, DbResult};

/// A channel's service refused its credentials (a bad or revoked token, HTTP 401).
pub const CHANNEL_AUTH: &str = "channel_auth";
/// A call to a channel's webhook came with a signature that does not check.
pub const WEBHOOK_SIGNATURE: &str = "webhook_signature";
/// The outbox gave up on a message of the channel.
pub const DELIVERY_FAILED: &str = "delivery_failed";
/// A polled channel (Telegram, IMAP) kept failing past the grace.
pub const POLLER_DOWN: &str = "poller_down";
/// An agent's pause went past its limit.
pub const PAUSE_OVER_LIMIT: &str = "pause_over_limit";
/// A team's queue reached its limit.
pub const QUEUE_FULL: &str = "queue_full";
/// Conversations waited in a team's queue past its alert limit with nobody taking them.
pub const UNASSIGNED: &str = "unassigned";
/// A satisfaction survey scored at or below the company's threshold.
pub const LOW_SCORE: &str = "low_score";
/// An outgoing webhook's delivery was given up on after a day of retries.
pub const WEBHOOK_DEAD: &str = "webhook_dead";

/// Every kind, in the order the settings page offers them.
pub const KINDS: [&str; 9] = [
    CHANNEL_AUTH,
    WEBHOOK_SIGNATURE,
    DELIVERY_FAILED,
    POLLER_DOWN,
    PAUSE_OVER_LIMIT,
    QUEUE_FULL,
    UNASSIGNED,
    LOW_SCORE,
    WEBHOOK_DEAD,
];

/// The kinds whose subject is a team (the row keeps `team_id` too, so it goes with it).
fn about_a_team(kind: &str) -> bool {
    kind == QUEUE_FULL || kind == UNASSIGNED
}

/// One cause: what happened and to what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cause {
    pub kind: &'static str,
    pub subject: i64,
}

/// What `raise` did: the cause's unread row, its count, and whether this was a new
/// occurrence (a row added or counted on; the same occurrence again changes nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Raised {
    pub id: i64,
    pub count: i64,
    pub fresh: bool,
}

/// Records an occurrence of `cause` at `now`: a new row when the cause has no unread
/// one, otherwise one more on its count and its last time, with `details` (a JSON
/// object whose fields depend on the kind) as of this occurrence. `occurrence` names
/// the event ("" when each report is one): the same one reported again counts once.
/// One statement on a unique index of unread causes, so two writers at once end with
/// one row counted twice.
pub fn raise(
    conn: &Connection,
    cause: Cause,
    occurrence: &str,
    details: &serde_json::Value,
    now: i64,
) -> DbResult<Raised> {
    let team_id = about_a_team(cause.kind).then_some(cause.subject);
    let counted = conn
        .prepare_cached(
            "INSERT INTO notifications (kind, subject, team_id, details, created_at, last_at, occurrence)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)
             ON CONFLICT (kind, subject) WHERE read_at IS NULL DO UPDATE SET
               count = count + 1, last_at = excluded.last_at, details = excluded.details,
               occurrence = excluded.occurrence
             WHERE excluded.occurrence = '' OR occurrence <> excluded.occurrence
             RETURNING id, count",
        )?
        .query_row(params![cause.kind, cause.subject, team_id, details.to_string(), now, occurrence], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    if let Some((id, count)) = counted {
        return Ok(Raised { id, count, fresh: true });
    }
    // The same occurrence again: the row as it was.
    let (id, count) = conn
        .prepare_cached("SELECT id, count FROM notifications WHERE kind = ?1 AND subject = ?2 AND read_at IS NULL")?
        .query_row(params![cause.kind, cause.subject], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(Raised { id, count, fresh: false })
}

/// A notification as the pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub subject: i64,
    /// The subject's name: the channel, team or agent, or the conversation's protocol.
    pub subject_name: Option<String>,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    /// A JSON object whose fields depend on the kind.
    pub details: serde_json::Value,
    pub created_at: i64,
    pub last_at: i64,
    pub count: i64,
    pub read_at: Option<i64>,
}

const SELECT: &str = "SELECT n.id, n.kind, n.subject,
        CASE WHEN n.kind IN ('channel_auth', 'webhook_signature', 'delivery_failed', 'poller_down')
               THEN (SELECT name FROM channels WHERE id = n.subject)
             WHEN n.kind IN ('queue_full', 'unassigned')
               THEN (SELECT name FROM teams WHERE id = COALESCE(n.team_id, n.subject))
             WHEN n.kind = 'pause_over_limit' THEN (SELECT name FROM users WHERE id = n.subject)
             WHEN n.kind = 'low_score' THEN (SELECT protocol FROM conversations WHERE id = n.subject)
             WHEN n.kind = 'webhook_dead' THEN (SELECT url FROM webhook_subscriptions WHERE id = n.subject)
        END,
        n.team_id, t.name, n.details, n.created_at, n.last_at, n.count, n.read_at
     FROM notifications n LEFT JOIN teams t ON t.id = n.team_id";

fn notification(r: &rusqlite::Row) -> rusqlite::Result<Notification> {
    let details: String = r.get(6)?;
    Ok(Notification {
        id: r.get(0)?,
        kind: r.get(1)?,
        subject: r.get(2)?,
        subject_name: r.get(3)?,
        team_id: r.get(4)?,
        team_name: r.get(5)?,
        details: serde_json::from_str(&details).unwrap_or_default(),
        created_at: r.get(7)?,
        last_at: r.get(8)?,
        count: r.get(9)?,
        read_at: r.get(10)?,
    })
}

/// Unread notifications, the latest occurrence first.
pub fn unread(conn: &Connection, limit: i64) -> DbResult<Vec<Notification>> {
    list(conn, Filter::Unread, limit, 0)
}

/// Which notifications a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Filter {
    All,
    Unread,
    Read,
}

impl Filter {
    pub fn parse(text: Option<&str>) -> Filter {
        match text {
            Some("unread") => Filter::Unread,
            Some("read") => Filter::Read,
            _ => Filter::All,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Unread => "unread",
            Filter::Read => "read",
        }
    }

    /// 0: read only, 1: unread only, 2: both.
    fn code(self) -> i64 {
        match self {
            Filter::Read => 0,
            Filter::Unread => 1,
            Filter::All => 2,
        }
    }
}

/// A page of notifications: unread first, then each group by its latest occurrence.
pub fn list(conn: &Connection, filter: Filter, limit: i64, offset: i64) -> DbResult<Vec<Notification>> {
    let sql = format!(
        "{SELECT} WHERE ?1 = 2 OR (n.read_at IS NULL) = (?1 = 1)
         ORDER BY n.read_at IS NOT NULL, n.last_at DESC, n.id DESC LIMIT ?2 OFFSET ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![filter.code(), limit, offset], notification)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// How many a filter holds, for the pager.
pub fn count(conn: &Connection, filter: Filter) -> DbResult<i64> {
    Ok(conn
        .prepare_cached("SELECT COUNT(*) FROM notifications WHERE ?1 = 2 OR (read_at IS NULL) = (?1 = 1)")?
        .query_row([filter.code()], |r| r.get(0))?)
}

/// The bell's number: unread notifications.
pub fn unread_count(conn: &Connection) -> DbResult<i64> {
    count(conn, Filter::Unread)
}

/// Marks a notification read by `user_id`; false when there is no such unread one.
pub fn mark_read(conn: &Connection, id: i64, user_id: Option<i64>) -> DbResult<bool> {
    let changed = conn.execute(
        "UPDATE notifications SET read_at = ?2, read_by = ?3 WHERE id = ?1 AND read_at IS NULL",
        params![id, now_ms(), user_id],
    )?;
    Ok(changed == 1)
}

/// Marks every unread notification read; how many were.
pub fn mark_all_read(conn: &Connection, user_id: Option<i64>) -> DbResult<usize> {
    Ok(conn.execute(
        "UPDATE notifications SET read_at = ?1, read_by = ?2 WHERE read_at IS NULL",
        params![now_ms(), user_id],
    )?)
}

/// Unread notifications of `kinds` with occurrences nobody was e-mailed about.
pub fn unmailed(conn: &Connection, kinds: &[String]) -> DbResult<Vec<Notification>> {
    let sql = format!(
        "{SELECT} WHERE n.read_at IS NULL AND n.count > n.mailed_count
           AND n.kind IN (SELECT value FROM json_each(?1))
         ORDER BY n.last_at"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let kinds = serde_json::to_string(kinds).unwrap_or_else(|_| "[]".into());
    let rows = stmt.query_map([kinds], notification)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Reserves the e-mail of a notification's occurrences up to `count` at `now`, unless
/// its cause was e-mailed less than `interval_ms` ago; true when this caller is to send
/// it. The reservation is written before the mail goes, so two senders never both send.
pub fn reserve_mail(conn: &Connection, n: &Notification, now: i64, interval_ms: i64) -> DbResult<bool> {
    let reserved = conn
        .prepare_cached(
            "INSERT INTO notification_mail (kind, subject, sent_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (kind, subject) DO UPDATE SET sent_at = excluded.sent_at
               WHERE notification_mail.sent_at <= ?3 - ?4
             RETURNING sent_at",
        )?
        .query_row(params![n.kind, n.subject, now, interval_ms], |r| r.get::<_, i64>(0))
        .optional()?
        .is_some();
    if reserved {
        conn.execute("UPDATE notifications SET mailed_count = count WHERE id = ?1", [n.id])?;
    }
    Ok(reserved)
}

const PREFERENCES_KEY: &str = "notifications";

/// What the company chose about notifications ("Notificações" under Configurações).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Preferences {
    /// Administrators (user ids) who receive notifications by e-mail.
    pub recipients: Vec<i64>,
    /// The kinds e-mailed.
    pub kinds: Vec<String>,
    /// At most one e-mail per cause this often.
    pub interval_minutes: i64,
    /// A survey score at or below this raises `low_score`; 0 = never (the default).
    pub low_score: i64,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences { recipients: Vec::new(), kinds: Vec::new(), interval_minutes: 30, low_score: 0 }
    }
}

pub fn preferences(conn: &Connection) -> DbResult<Preferences> {
    let text: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [PREFERENCES_KEY], |r| r.get(0)).optional()?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default())
}

pub fn save_preferences(conn: &Connection, p: &Preferences) -> DbResult<()> {
    let text = serde_json::to_string(p).unwrap_or_else(|_| "{}".into());
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![PREFERENCES_KEY, text],
    )?;
    Ok(())
}
