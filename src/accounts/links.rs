//! Single-use links: the first-administrator setup link and "cadastrar senha" links for
//! new accounts and forgotten passwords.

use serde_json::json;

use super::credentials::{hash_password, random_token, token_hash};
use super::{blocking, AccountError, AccountResult, Actor};
use crate::db::links::{self, Purpose};
use crate::db::{audit, now_ms, sessions, settings, users, Db};
use crate::domain::password::check_new_password;

/// Creates a fresh setup link when the company has no active administrator yet,
/// retiring any earlier one. Returns the token to print, or `None` when not needed.
pub fn setup_token_if_needed(db: &Db) -> AccountResult<Option<String>> {
    Ok(db.write_now(|tx| {
        if users::count_active_admins(tx)? > 0 {
            return Ok(None);
        }
        let now = now_ms();
        links::retire_links(tx, Purpose::Setup, None, now)?;
        let token = random_token();
        links::insert_link(tx, &token_hash(&token), Purpose::Setup, None, now, None)?;
        Ok(Some(token))
    })?)
}

/// Whether a setup token can still be used (to show the form or the "used" page).
pub async fn check_setup_token(db: &Db, token: &str) -> AccountResult<()> {
    let hash = token_hash(token);
    let link = db.read(move |c| links::link_by_hash(c, &hash, Purpose::Setup)).await?;
    match link {
        None => Err(AccountError::LinkUnknown),
        Some(l) if l.used_at.is_some() => Err(AccountError::LinkUsed),
        Some(_) => Ok(()),
    }
}

/// Issues a "cadastrar senha" link for a user, retiring their earlier ones.
pub async fn issue_set_password(db: &Db, user_id: i64) -> AccountResult<String> {
    let token = random_token();
    let hash = token_hash(&token);
    db.write(move |tx| {
        let minutes = settings::load(tx)?.link_minutes.max(1);
        let now = now_ms();
        links::retire_links(tx, Purpose::SetPassword, Some(user_id), now)?;
        links::insert_link(tx, &hash, Purpose::SetPassword, Some(user_id), now, Some(now + minutes * 60_000))
    })
    .await?;
    Ok(token)
}

/// The user a set-password link is for, if the link can still be used.
pub async fn check_set_password(db: &Db, token: &str) -> AccountResult<users::User> {
    let hash = token_hash(token);
    let (link, user) = db
        .read(move |c| {
            let link = links::link_by_hash(c, &hash, Purpose::SetPassword)?;
            let user = match link.as_ref().and_then(|l| l.user_id) {
                Some(id) => users::user_by_id(c, id)?,
                None => None,
            };
            Ok((link, user))
        })
        .await?;
    let link = link.ok_or(AccountError::LinkUnknown)?;
    if link.used_at.is_some() {
        return Err(AccountError::LinkUsed);
    }
    if link.expires_at.is_some_and(|at| at <= now_ms()) {
        return Err(AccountError::LinkExpired);
    }
    user.filter(|u| u.active).ok_or(AccountError::LinkUnknown)
}

/// Sets a password through a link: spends the link, stores the hash, ends every session
/// of the account and clears a lockout (the owner of the mailbox proved who they are).
pub async fn set_password_with_link(
    db: &Db,
    token: &str,
    password: &str,
    confirmation: &str,
    actor: &Actor,
) -> AccountResult<users::User> {
    let user = check_set_password(db, token).await?;
    check_new_password(password, confirmation, &[&user.name, &user.username, &user.email])
        .map_err(AccountError::Password)?;
    let password = password.to_string();
    let hash = blocking(move || hash_password(&password)).await?;
    let (token_hash, ip, user_id) = (token_hash(token), actor.ip.clone(), user.id);
    db.transact(move |tx| {
        if !links::spend_link(tx, &token_hash, now_ms())? {
            return Err(AccountError::LinkUsed);
        }
        users::set_password_hash(tx, user_id, &hash)?;
        sessions::delete_user_sessions(tx, user_id, None)?;
        audit::record(tx, Some(user_id), "password.set-by-link", &format!("user:{user_id}"), &json!({}), &ip)?;
        Ok(())
    })
    .await?;
    Ok(user)
}

/// "Esqueceu a senha?": a link for the account with this e-mail, if there is an active
/// one. The caller answers the same either way, so the reply tells nothing.
pub async fn request_reset(db: &Db, email: &str, actor: &Actor) -> AccountResult<Option<(users::User, String)>> {
    let email = crate::domain::email::parse(email).unwrap_or_else(|_| email.trim().to_string());
    let (ip, logged) = (actor.ip.clone(), email.chars().take(120).collect::<String>());
    let user = db.read(move |c| users::user_by_email(c, &email)).await?.filter(|u| u.active);
    let target = user.as_ref().map(|u| format!("user:{}", u.id)).unwrap_or_default();
    db.write(move |tx| audit::record(tx, None, "password.reset-requested", &target, &json!({"email": logged}), &ip))
        .await?;
    match user {
        Some(u) => {
            let token = issue_set_password(db, u.id).await?;
            Ok(Some((u, token)))
        }
        None => Ok(None),
    }
}

/// Records that an administrator sent (or showed) a set-password link.
pub async fn record_link_sent(db: &Db, actor: &Actor, user_id: i64, emailed: bool) -> AccountResult<()> {
    let actor = actor.clone();
    db.transact(move |tx| {
        let details = serde_json::json!({ "emailed": emailed });
        crate::db::audit::record(
            tx,
            actor.user_id,
            "user.send-password-link",
            &format!("user:{user_id}"),
            &details,
            &actor.ip,
        )?;
        Ok(())
    })
    .await
}
