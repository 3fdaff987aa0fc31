//! Signing in: password, lockout, allowed networks, then (when enrolled) the TOTP step.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, OnceLock};

use rocket::tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

use serde_json::json;

use super::credentials::verify_password;
use super::{blocking, AccountError, AccountResult};
use crate::db::{audit, now_ms, settings, users, users::User, Db};
use crate::domain::network;

/// Per-account turn for sign-in checks. The lock is read, the slow verification runs
/// and the failure is counted while the account's turn is held, so parallel guesses are
/// verified one after another and none is verified once the limit locked the account.
/// One process serves a company, so a lock in memory is enough.
pub(crate) async fn account_turn(user_id: i64) -> OwnedMutexGuard<()> {
    static TURNS: OnceLock<Mutex<HashMap<i64, Arc<AsyncMutex<()>>>>> = OnceLock::new();
    let turn = {
        let mut turns = TURNS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
        turns.entry(user_id).or_default().clone()
    };
    turn.lock_owned().await
}

/// Checks a login and password. On success returns the user, who still needs the TOTP
/// step when `totp_enabled`. Every refusal that could be guessing counts towards the
/// lockout; see `account_turn` for why parallel attempts cannot slip past the limit.
/// While the account is locked no password is verified: right and wrong get `Locked`.
pub async fn check_password(db: &Db, login: &str, password: &str, ip: IpAddr) -> AccountResult<User> {
    // An e-mail is looked up as stored: normalised (the domain in lower case).
    let login_owned = crate::domain::email::parse(login).unwrap_or_else(|_| login.trim().to_string());
    let found = db.read(move |c| users::user_by_login(c, &login_owned)).await?;
    let Some(found) = found else {
        let password = password.to_string();
        blocking(move || verify_password(&password, None)).await?;
        audit_failure(db, None, login, "unknown-login", ip).await?;
        return Err(AccountError::InvalidCredentials);
    };
    let _turn = account_turn(found.id).await;
    // Read again inside the turn: the attempts before it may have locked the account.
    let id = found.id;
    let user = db.read(move |c| users::user_by_id(c, id)).await?.ok_or(AccountError::InvalidCredentials)?;
    if user.is_locked(now_ms()) {
        audit_failure(db, Some(user.id), login, "locked", ip).await?;
        return Err(AccountError::Locked);
    }
    let (password, hash) = (password.to_string(), user.password_hash.clone());
    let matches = blocking(move || verify_password(&password, hash.as_deref())).await?;
    if !matches {
        return Err(count_failure(db, &user, "wrong-password", ip, AccountError::InvalidCredentials).await?);
    }
    let allowed = network::parse_networks(&user.allowed_networks).unwrap_or_default();
    if !network::is_allowed(&allowed, ip) {
        return Err(count_failure(db, &user, "network-refused", ip, AccountError::NetworkRefused).await?);
    }
    if !user.active {
        audit_failure(db, Some(user.id), login, "inactive", ip).await?;
        return Err(AccountError::Inactive);
    }
    Ok(user)
}

/// Counts one failed attempt and returns the error to show: `Locked` when this attempt
/// reached the limit (or a parallel one already had), otherwise `otherwise`.
pub(crate) async fn count_failure(
    db: &Db,
    user: &User,
    reason: &'static str,
    ip: IpAddr,
    otherwise: AccountError,
) -> AccountResult<AccountError> {
    let (id, login) = (user.id, user.username.clone());
    let ip_text = ip.to_string();
    let locked_now = db
        .write(move |tx| {
            let policy = settings::load(tx)?;
            let now = now_ms();
            let until = now + policy.lockout_minutes.max(1) * 60_000;
            let locked_now = users::record_failed_login(tx, id, policy.lockout_attempts.max(1), until)?;
            audit::record(
                tx,
                Some(id),
                "login.failed",
                &format!("user:{id}"),
                &json!({"login": login, "reason": reason}),
                &ip_text,
            )?;
            if locked_now {
                audit::record(
                    tx,
                    Some(id),
                    "login.lockout",
                    &format!("user:{id}"),
                    &json!({"minutes": policy.lockout_minutes}),
                    &ip_text,
                )?;
            }
            Ok(locked_now)
        })
        .await?;
    Ok(if locked_now { AccountError::Locked } else { otherwise })
}

async fn audit_failure(db: &Db, user_id: Option<i64>, login: &str, reason: &str, ip: IpAddr) -> AccountResult<()> {
    let (login, reason, ip) = (truncate(login, 120), reason.to_string(), ip.to_string());
    db.write(move |tx| {
        let target = user_id.map(|id| format!("user:{id}")).unwrap_or_default();
        audit::record(tx, user_id, "login.failed", &target, &json!({"login": login, "reason": reason}), &ip)
    })
    .await?;
    Ok(())
}

fn truncate(text: &str, max: usize) -> String {
    text.trim().chars().take(max).collect()
}
