//! Two-factor authentication with TOTP (RFC 6238): enrolment with a QR code, checking
//! codes at sign-in (each time step accepted once), recovery codes, and resets.

use rusqlite::params;
use serde_json::json;
use totp_rs::{Algorithm, Builder, Secret, Totp};

use super::credentials::{recovery_code_hash, recovery_codes};
use super::login::count_failure;
use super::{AccountError, AccountResult, Actor};
use crate::db::{audit, now_ms, sessions, users, users::User, Db};

fn totp_for(secret_b32: &str, account: &str, issuer: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret_b32).ok()?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret)
        .with_account_name(account)
        .with_issuer(Some(issuer))
        .build()
        .ok()
}

/// What the enrolment page shows: the secret as text and an `otpauth://` URL as a QR code.
pub struct Enrolment {
    pub secret: String,
    pub otpauth_url: String,
    pub qr_svg: String,
}

/// Starts (or restarts) enrolment: a new secret stored unconfirmed.
pub async fn begin_enrolment(db: &Db, user: &User, issuer: &str) -> AccountResult<Enrolment> {
    let secret = Secret::generate().to_base32();
    let id = user.id;
    let stored = secret.clone();
    db.write(move |tx| users::set_totp(tx, id, Some(&stored), false)).await?;
    enrolment_for(&secret, &user.email, issuer)
}

/// The enrolment data for a secret already stored but not yet confirmed.
pub fn enrolment_for(secret: &str, account: &str, issuer: &str) -> AccountResult<Enrolment> {
    let totp = totp_for(secret, account, issuer).ok_or(AccountError::NotFound)?;
    let url = totp.to_url().map_err(|_| AccountError::NotFound)?;
    let qr = qrcode::QrCode::new(url.as_bytes()).map_err(|_| AccountError::NotFound)?;
    let qr_svg = qr.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).quiet_zone(true).build();
    Ok(Enrolment { secret: secret.to_string(), otpauth_url: url, qr_svg })
}

/// Accepts a code for `user` at `now_secs`, spending its time step. True when valid.
fn accept_code(
    tx: &rusqlite::Transaction,
    user: &User,
    code: &str,
    issuer: &str,
    now_secs: u64,
) -> rusqlite::Result<bool> {
    let Some(totp) = user.totp_secret.as_deref().and_then(|s| totp_for(s, &user.email, issuer)) else {
        return Ok(false);
    };
    let code: String = code.chars().filter(|c| c.is_ascii_digit()).collect();
    let Some(step) = totp.check(&code, now_secs) else {
        return Ok(false);
    };
    // The step must be newer than the last accepted one: a code is used once.
    let changed = tx.execute(
        "UPDATE users SET totp_last_step = ?2 WHERE id = ?1 AND totp_last_step < ?2",
        params![user.id, step as i64],
    )?;
    Ok(changed == 1)
}

fn now_secs() -> u64 {
    (now_ms() / 1000) as u64
}

/// Confirms enrolment with a first code; returns the ten recovery codes to show once.
/// Every other session of the account ends.
pub async fn confirm_enrolment(
    db: &Db,
    user: &User,
    code: &str,
    keep_session: &str,
    issuer: &str,
    actor: &Actor,
) -> AccountResult<Vec<String>> {
    let (user, code, keep, issuer, actor) =
        (user.clone(), code.to_string(), keep_session.to_string(), issuer.to_string(), actor.clone());
    let codes = recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| recovery_code_hash(c)).collect();
    db.transact(move |tx| {
        let fresh = users::user_by_id(tx, user.id)?.ok_or(AccountError::NotFound)?;
        if fresh.totp_secret.is_none() || !accept_code(tx, &fresh, &code, &issuer, now_secs())? {
            return Err(AccountError::InvalidCode);
        }
        users::set_totp(tx, user.id, fresh.totp_secret.as_deref(), true)?;
        users::replace_recovery_codes(tx, user.id, &hashes)?;
        sessions::delete_user_sessions(tx, user.id, Some(&keep))?;
        audit::record(tx, actor.user_id, "2fa.enable", &format!("user:{}", user.id), &json!({}), &actor.ip)?;
        Ok(())
    })
    .await?;
    Ok(codes)
}

/// The second sign-in step: a current TOTP code or an unused recovery code. A wrong
/// code counts towards the lockout like a wrong password.
pub async fn verify_login_code(
    db: &Db,
    user_id: i64,
    code: &str,
    issuer: &str,
    ip: std::net::IpAddr,
) -> AccountResult<User> {
    let (code_owned, issuer) = (code.trim().to_string(), issuer.to_string());
    let ip_text = ip.to_string();
    // Codes are checked and failures counted in the account's turn, like passwords.
    let _turn = super::login::account_turn(user_id).await;
    // A wrong code writes nothing here: the failure is counted below, in its own
    // transaction, so it is kept although this one refuses.
    let checked = db
        .transact(move |tx| {
            let user = users::user_by_id(tx, user_id)?.ok_or(AccountError::NotFound)?;
            if user.is_locked(now_ms()) {
                return Err(AccountError::Locked);
            }
            if !user.totp_enabled || accept_code(tx, &user, &code_owned, &issuer, now_secs())? {
                return Ok(user);
            }
            if code_owned.chars().filter(|c| c.is_ascii_alphanumeric()).count() == 8
                && users::use_recovery_code(tx, user.id, &recovery_code_hash(&code_owned))?
            {
                audit::record(
                    tx,
                    Some(user.id),
                    "2fa.recovery-code-used",
                    &format!("user:{}", user.id),
                    &json!({"left": users::unused_recovery_codes(tx, user.id)?}),
                    &ip_text,
                )?;
                return Ok(user);
            }
            Err(AccountError::InvalidCode)
        })
        .await;
    match checked {
        Err(AccountError::InvalidCode) => {
            let user = super::manage::user_by_id(db, user_id).await?;
            Err(count_failure(db, &user, "wrong-2fa-code", ip, AccountError::InvalidCode).await?)
        }
        other => other,
    }
}

/// Turns 2FA off: by the user (after a valid code) or by an administrator's reset.
/// Every session of the account ends except `keep_session`.
pub async fn reset(db: &Db, user_id: i64, keep_session: Option<&str>, actor: &Actor) -> AccountResult<()> {
    let (keep, actor) = (keep_session.map(str::to_string), actor.clone());
    db.write(move |tx| {
        users::set_totp(tx, user_id, None, false)?;
        users::replace_recovery_codes(tx, user_id, &[])?;
        sessions::delete_user_sessions(tx, user_id, keep.as_deref())?;
        let action = if actor.user_id == Some(user_id) { "2fa.disable" } else { "2fa.reset" };
        audit::record(tx, actor.user_id, action, &format!("user:{user_id}"), &json!({}), &actor.ip)
    })
    .await?;
    Ok(())
}

/// A current code for a secret, for tests and the fake authenticator in them.
pub fn current_code(secret_b32: &str, at_secs: u64) -> Option<String> {
    totp_for(secret_b32, "x@example.com", "Atende").map(|t| t.generate(at_secs).to_string())
}
