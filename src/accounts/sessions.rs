//! Server-side sessions: started after a complete sign-in, checked on every request,
//! ended by "Sair", by the reaper, or by a change that must sign the account out.

use serde_json::json;

use super::credentials::{random_token, token_hash};
use super::{AccountError, AccountResult, Actor};
use crate::db::{audit, now_ms, sessions, settings, users, users::User, Db};

/// A session is touched at most this often, so reads do not all become writes.
const TOUCH_EVERY_MS: i64 = 30_000;

/// Opens a session for a user who passed every sign-in step; returns the cookie token.
/// The lock is checked again inside the write so a lockout that raced this sign-in wins.
pub async fn start(db: &Db, user_id: i64, actor: &Actor, user_agent: &str) -> AccountResult<String> {
    let token = random_token();
    let (id, ip, agent) = (token_hash(&token), actor.ip.clone(), user_agent.chars().take(300).collect::<String>());
    let opened = db
        .transact(move |tx| {
            let now = now_ms();
            let login = match users::user_by_id(tx, user_id)? {
                Some(u) if u.is_locked(now) => return Err(AccountError::Locked),
                Some(u) if !u.active => return Err(AccountError::Inactive),
                None => return Err(AccountError::NotFound),
                Some(u) => u.username,
            };
            let status = match outside_work_hours(tx, user_id, now)? {
                Some(OutsideHours::Refuse) => {
                    let details = json!({"login": login, "reason": "outside-hours"});
                    audit::record(tx, Some(user_id), "login.failed", &format!("user:{user_id}"), &details, &ip)?;
                    // The audit log keeps the refused sign-in: commit, then refuse.
                    return Ok(Opened::RefusedOutsideHours);
                }
                // Signed in, but out of routing until the agent's hours begin.
                Some(OutsideHours::Warn) => "offline",
                None => "online",
            };
            users::clear_failed_logins(tx, user_id)?;
            sessions::insert_session(tx, &id, user_id, now, &ip, &agent)?;
            users::set_status(tx, user_id, status)?;
            audit::record(tx, Some(user_id), "login", &format!("user:{user_id}"), &json!({}), &ip)?;
            Ok(Opened::Session)
        })
        .await?;
    match opened {
        Opened::Session => Ok(token),
        Opened::RefusedOutsideHours => Err(AccountError::OutsideHours),
    }
}

/// What `start` committed: a session, or only the record of a refusal.
enum Opened {
    Session,
    RefusedOutsideHours,
}

/// What to do with an agent signing in outside their schedule group's hours.
enum OutsideHours {
    Warn,
    Refuse,
}

/// F-AU-5: `Some` when the user is an agent tied to an active schedule group that is
/// closed at `now`, with what their account says to do (`refuse`, otherwise warn).
fn outside_work_hours(
    conn: &rusqlite::Connection,
    user_id: i64,
    now: i64,
) -> crate::db::DbResult<Option<OutsideHours>> {
    let Some((schedule, mode)) = crate::db::schedules::work_hours_of(conn, user_id)? else {
        return Ok(None);
    };
    if crate::domain::schedule::is_open(&schedule, now) {
        return Ok(None);
    }
    Ok(Some(if mode == "refuse" { OutsideHours::Refuse } else { OutsideHours::Warn }))
}

/// The signed-in user behind a cookie token, if the session is still valid.
pub async fn resume(db: &Db, token: &str) -> AccountResult<Option<(String, User)>> {
    let id = token_hash(token);
    let found = db
        .read(move |c| {
            let Some(session) = sessions::session_by_id(c, &id)? else {
                return Ok(None);
            };
            let policy = settings::load(c)?;
            let now = now_ms();
            let idle = now - session.last_seen_at > policy.session_idle_minutes.max(1) * 60_000;
            let too_old = now - session.created_at > policy.session_max_hours.max(1) * 3_600_000;
            if idle || too_old {
                return Ok(None);
            }
            let user = users::user_by_id(c, session.user_id)?.filter(|u| u.active);
            Ok(user.map(|u| (session, u)))
        })
        .await?;
    let Some((session, user)) = found else {
        return Ok(None);
    };
    if now_ms() - session.last_seen_at > TOUCH_EVERY_MS {
        let id = session.id.clone();
        db.write(move |tx| sessions::touch_session(tx, &id, now_ms())).await?;
    }
    Ok(Some((session.id, user)))
}

/// "Sair": ends this session and takes the user out of routing.
pub async fn end(db: &Db, session_id: &str, user_id: i64, actor: &Actor) -> AccountResult<()> {
    let (id, ip) = (session_id.to_string(), actor.ip.clone());
    db.write(move |tx| {
        sessions::delete_session(tx, &id)?;
        users::set_status(tx, user_id, "offline")?;
        audit::record(tx, Some(user_id), "logout", &format!("user:{user_id}"), &json!({}), &ip)
    })
    .await?;
    Ok(())
}

/// Records a heartbeat from the user's open page (keeps them routable).
pub async fn heartbeat(db: &Db, user_id: i64) -> AccountResult<()> {
    db.write(move |tx| users::touch_heartbeat(tx, user_id, now_ms())).await?;
    Ok(())
}

/// What the reaper did in one pass.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Reaped {
    pub sessions: usize,
    pub went_offline: usize,
}

/// One pass of the session reaper: expires idle and too-old sessions, and takes users
/// whose page stopped sending heartbeats (or who have no session left) offline.
pub async fn reap(db: &Db, now: i64) -> AccountResult<Reaped> {
    Ok(db
        .write(move |tx| {
            let policy = settings::load(tx)?;
            let expired = sessions::delete_expired_sessions(
                tx,
                now - policy.session_idle_minutes.max(1) * 60_000,
                now - policy.session_max_hours.max(1) * 3_600_000,
            )?;
            let absent = users::set_absent_offline(tx, now - policy.heartbeat_minutes.max(1) * 60_000)?;
            for id in &absent {
                audit::record(tx, None, "agent.offline-no-heartbeat", &format!("user:{id}"), &json!({}), "")?;
            }
            Ok(Reaped { sessions: expired.len(), went_offline: absent.len() })
        })
        .await?)
}
