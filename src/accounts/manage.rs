//! Changes to accounts: creating them (first administrator, by an administrator, from
//! the shell), editing, unlocking, deactivating, signing out, and changing one's own
//! password. Each change is written to the audit log with before/after values.

use serde_json::json;

use super::credentials::{hash_password, token_hash, verify_password};
use super::{blocking, AccountError, AccountResult, Actor, FieldErrors};
use crate::db::links::{self, Purpose};
use crate::db::users::{NewUser, Role, User, UserEdit};
use crate::db::{audit, groups, now_ms, sessions, users, Db};
use crate::domain::network;
use crate::domain::password::check_new_password;

/// The identity fields of a new account, already trimmed.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct AccountFields {
    pub name: String,
    pub username: String,
    pub email: String,
    pub role: String,
}

/// Checks the identity fields; all problems at once, keyed by field.
pub fn validate_fields(fields: &AccountFields, check_username: bool) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    let name_len = fields.name.chars().count();
    if name_len == 0 {
        errors.insert("name", "field-required");
    } else if name_len > 120 {
        errors.insert("name", "field-too-long");
    } else if fields.name.chars().any(char::is_control) {
        errors.insert("name", "field-invalid-characters");
    }
    if check_username {
        let u = &fields.username;
        if u.is_empty() {
            errors.insert("username", "field-required");
        } else if u.len() < 3 || u.len() > 40 || !u.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
            errors.insert("username", "username-invalid");
        }
    }
    if fields.email.is_empty() {
        errors.insert("email", "field-required");
    } else if !is_plausible_email(&fields.email) {
        errors.insert("email", "email-invalid");
    }
    if Role::parse(&fields.role).is_none() {
        errors.insert("role", "role-invalid");
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// A light check: one `@`, something on each side, a dot in the domain, no spaces.
pub fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Inserts the account after checking that username and e-mail are free, inside the
/// same transaction (so two administrators cannot create the same username at once).
fn insert_checked(
    tx: &rusqlite::Transaction,
    fields: &AccountFields,
    password_hash: Option<&str>,
) -> AccountResult<i64> {
    let mut errors = FieldErrors::new();
    if users::username_taken(tx, &fields.username)? {
        errors.insert("username", "username-taken");
    }
    if users::email_taken(tx, &fields.email, None)? {
        errors.insert("email", "email-taken");
    }
    if !errors.is_empty() {
        return Err(AccountError::Invalid(errors));
    }
    let role = Role::parse(&fields.role).unwrap_or(Role::Agent);
    Ok(users::insert_user(
        tx,
        &NewUser { name: &fields.name, username: &fields.username, email: &fields.email, role, password_hash },
    )?)
}

fn new_user_details(fields: &AccountFields) -> serde_json::Value {
    json!({"after": {"name": fields.name, "username": fields.username, "email": fields.email, "role": fields.role}})
}

/// Creates an account with no password; the caller then issues a "cadastrar senha" link.
pub async fn create_user(db: &Db, fields: AccountFields, actor: &Actor) -> AccountResult<i64> {
    validate_fields(&fields, true).map_err(AccountError::Invalid)?;
    let actor = actor.clone();
    db.write(move |tx| {
        let id = match insert_checked(tx, &fields, None) {
            Ok(id) => id,
            Err(e) => return Ok(Err(e)),
        };
        audit::record(tx, actor.user_id, "user.create", &format!("user:{id}"), &new_user_details(&fields), &actor.ip)?;
        Ok(Ok(id))
    })
    .await?
}

/// Creates an account with a password (setup page and `atende user add`). `setup_token`,
/// when given, must be an unused setup link; it is spent in the same transaction.
pub async fn create_user_with_password(
    db: &Db,
    fields: AccountFields,
    password: &str,
    confirmation: &str,
    setup_token: Option<&str>,
    actor: &Actor,
) -> AccountResult<i64> {
    validate_fields(&fields, true).map_err(AccountError::Invalid)?;
    check_new_password(password, confirmation, &[&fields.name, &fields.username, &fields.email])
        .map_err(AccountError::Password)?;
    let password = password.to_string();
    let hash = blocking(move || hash_password(&password)).await?;
    let (setup_hash, actor) = (setup_token.map(token_hash), actor.clone());
    db.write(move |tx| {
        if let Some(token_hash) = &setup_hash {
            if users::count_active_admins(tx)? > 0 || !links::spend_link(tx, token_hash, now_ms())? {
                return Ok(Err(AccountError::LinkUsed));
            }
        }
        let id = match insert_checked(tx, &fields, Some(&hash)) {
            Ok(id) => id,
            Err(e) => return Ok(Err(e)),
        };
        if fields.role == "admin" {
            // Administrators created here (setup page, shell) hold every permission.
            groups::add_user_to_group(tx, id, groups::builtin_group_id(tx)?)?;
            links::retire_links(tx, Purpose::Setup, None, now_ms())?;
        }
        let action = if setup_hash.is_some() { "user.create-first-admin" } else { "user.create" };
        audit::record(
            tx,
            actor.user_id.or(Some(id)),
            action,
            &format!("user:{id}"),
            &new_user_details(&fields),
            &actor.ip,
        )?;
        Ok(Ok(id))
    })
    .await?
}

/// Whether this user is the last active member of "Administrador geral", who must stay.
fn is_last_general_admin(tx: &rusqlite::Transaction, user: &User) -> crate::db::DbResult<bool> {
    Ok(user.active
        && user.is_admin()
        && groups::is_general_admin(tx, user.id)?
        && groups::count_active_general_admins(tx)? <= 1)
}

/// What an administrator may change on the user page.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    pub name: String,
    pub email: String,
    pub role: String,
    pub phone: String,
    pub extension: String,
    pub allowed_networks: String,
}

pub async fn update_user(db: &Db, id: i64, changes: UserChanges, actor: &Actor) -> AccountResult<()> {
    let fields = AccountFields {
        name: changes.name.clone(),
        username: String::new(),
        email: changes.email.clone(),
        role: changes.role.clone(),
    };
    let mut errors = validate_fields(&fields, false).err().unwrap_or_default();
    let networks = match network::parse_networks(&changes.allowed_networks) {
        Ok(nets) => network::format_networks(&nets),
        Err(_) => {
            errors.insert("allowed_networks", "networks-invalid");
            String::new()
        }
    };
    if changes.phone.chars().count() > 40 {
        errors.insert("phone", "field-too-long");
    }
    if changes.extension.chars().count() > 20 {
        errors.insert("extension", "field-too-long");
    }
    if !errors.is_empty() {
        return Err(AccountError::Invalid(errors));
    }
    let actor = actor.clone();
    db.write(move |tx| {
        let Some(before) = users::user_by_id(tx, id)? else { return Ok(Err(AccountError::NotFound)) };
        if users::email_taken(tx, &changes.email, Some(id))? {
            return Ok(Err(AccountError::Invalid(FieldErrors::from([("email", "email-taken")]))));
        }
        let role = Role::parse(&changes.role).unwrap_or(before.role);
        if role != Role::Admin && is_last_general_admin(tx, &before)? {
            return Ok(Err(AccountError::Invalid(FieldErrors::from([("role", "last-admin")]))));
        }
        if role != Role::Admin {
            // Agents hold no administrative permissions.
            groups::set_user_groups(tx, id, &[])?;
        }
        let edit = UserEdit {
            name: &changes.name,
            email: &changes.email,
            role,
            phone: &changes.phone,
            extension: &changes.extension,
            allowed_networks: &networks,
        };
        users::update_user(tx, id, &edit)?;
        let details = json!({
            "before": {"name": before.name, "email": before.email, "role": before.role, "phone": before.phone,
                       "extension": before.extension, "allowed_networks": before.allowed_networks},
            "after": {"name": edit.name, "email": edit.email, "role": role, "phone": edit.phone,
                      "extension": edit.extension, "allowed_networks": networks},
        });
        audit::record(tx, actor.user_id, "user.update", &format!("user:{id}"), &details, &actor.ip)?;
        Ok(Ok(()))
    })
    .await?
}

/// Unlocks an account an administrator trusts again. After a suspected compromise the
/// administrator asks to end its sessions too.
pub async fn unlock(db: &Db, id: i64, end_sessions: bool, actor: &Actor) -> AccountResult<()> {
    let actor = actor.clone();
    db.write(move |tx| {
        users::unlock(tx, id)?;
        if end_sessions {
            sessions::delete_user_sessions(tx, id, None)?;
        }
        audit::record(
            tx,
            actor.user_id,
            "user.unlock",
            &format!("user:{id}"),
            &json!({"end_sessions": end_sessions}),
            &actor.ip,
        )
    })
    .await?;
    Ok(())
}

/// Activates or deactivates an account; deactivating ends its sessions. The last active
/// administrator cannot be deactivated, nor can administrators deactivate themselves.
pub async fn set_active(db: &Db, id: i64, active: bool, actor: &Actor) -> AccountResult<()> {
    let actor = actor.clone();
    db.write(move |tx| {
        let Some(user) = users::user_by_id(tx, id)? else {
            return Ok(Err(AccountError::NotFound));
        };
        if !active && (actor.user_id == Some(id) || (user.is_admin() && users::count_active_admins(tx)? <= 1)) {
            return Ok(Err(AccountError::Invalid(FieldErrors::from([("active", "cannot-deactivate")]))));
        }
        users::set_active(tx, id, active)?;
        if !active {
            sessions::delete_user_sessions(tx, id, None)?;
        }
        let details = json!({"before": {"active": user.active}, "after": {"active": active}});
        audit::record(
            tx,
            actor.user_id,
            if active { "user.activate" } else { "user.deactivate" },
            &format!("user:{id}"),
            &details,
            &actor.ip,
        )?;
        Ok(Ok(()))
    })
    .await?
}

/// Ends every session of an account ("forçar saída") and takes it offline.
pub async fn force_logout(db: &Db, id: i64, actor: &Actor) -> AccountResult<()> {
    let actor = actor.clone();
    db.write(move |tx| {
        let ended = sessions::delete_user_sessions(tx, id, None)?;
        users::set_status(tx, id, "offline")?;
        audit::record(
            tx,
            actor.user_id,
            "user.force-logout",
            &format!("user:{id}"),
            &json!({"sessions": ended}),
            &actor.ip,
        )
    })
    .await?;
    Ok(())
}

/// Changes one's own password after checking the current one; every other session of
/// the account ends (`keep_session` stays).
pub async fn change_password(
    db: &Db,
    user: &User,
    current: &str,
    new: &str,
    confirmation: &str,
    keep_session: &str,
    actor: &Actor,
) -> AccountResult<()> {
    let (current, stored) = (current.to_string(), user.password_hash.clone());
    if !blocking(move || verify_password(&current, stored.as_deref())).await? {
        return Err(AccountError::Invalid(FieldErrors::from([("current_password", "password-current-wrong")])));
    }
    check_new_password(new, confirmation, &[&user.name, &user.username, &user.email])
        .map_err(AccountError::Password)?;
    let new = new.to_string();
    let hash = blocking(move || hash_password(&new)).await?;
    let (id, keep, actor) = (user.id, keep_session.to_string(), actor.clone());
    db.write(move |tx| {
        users::set_password_hash(tx, id, &hash)?;
        sessions::delete_user_sessions(tx, id, Some(&keep))?;
        audit::record(tx, actor.user_id, "password.change", &format!("user:{id}"), &json!({}), &actor.ip)
    })
    .await?;
    Ok(())
}

/// Sets the interface language chosen by the user (`None`: company default).
pub async fn set_language(db: &Db, id: i64, language: Option<String>) -> AccountResult<()> {
    db.write(move |tx| users::set_language(tx, id, language.as_deref())).await?;
    Ok(())
}

pub async fn user_by_id(db: &Db, id: i64) -> AccountResult<User> {
    db.read(move |c| users::user_by_id(c, id)).await?.ok_or(AccountError::NotFound)
}
