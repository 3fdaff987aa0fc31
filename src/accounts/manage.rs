//! Changes to accounts: creating them (first administrator, by an administrator, from
//! the shell), editing, unlocking, deactivating, signing out, and changing one's own
//! password. Each change is written to the audit log with before/after values.

use serde_json::json;

use super::credentials::{hash_password, token_hash, verify_password};
use super::user_draft::UserDraft;
use super::{blocking, AccountError, AccountResult, Actor, FieldErrors};
use crate::db::links::{self, Purpose};
use crate::db::users::{AgentSettings, NewUser, Role, User, UserEdit};
use crate::db::{audit, groups, now_ms, sessions, settings, teams, users, Db};
use crate::domain::network;
use crate::domain::password::check_new_password;
use crate::domain::text::one_line;

/// The identity fields of a new account, already trimmed.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct AccountFields {
    pub name: String,
    pub username: String,
    pub email: String,
    pub role: String,
}

/// Checks the identity fields; all problems at once, keyed by field. Gives them cleaned
/// as they are stored: the name as one line without invisible or direction characters
/// (cleaned, never refused for what cannot be seen — as every name in Atende), the
/// e-mail normalised by `domain::email`.
pub fn validate_fields(fields: &AccountFields, check_username: bool) -> Result<AccountFields, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = one_line(&fields.name);
    let name_len = name.chars().count();
    if name_len == 0 {
        errors.insert("name", "field-required");
    } else if name_len > 120 {
        errors.insert("name", "field-too-long");
    }
    if check_username {
        let u = &fields.username;
        if u.is_empty() {
            errors.insert("username", "field-required");
        } else if u.len() < MIN_USERNAME
            || u.len() > MAX_USERNAME
            || !u.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        {
            errors.insert("username", "username-invalid");
        }
    }
    let email = crate::domain::fields::email(&mut errors, "email", &fields.email, true);
    if Role::parse(&fields.role).is_none() {
        errors.insert("role", "role-invalid");
    }
    if errors.is_empty() {
        Ok(AccountFields { name, email, ..fields.clone() })
    } else {
        Err(errors)
    }
}

/// The username to use when none is given: the e-mail's local part, or the name when
/// the local part is too short ("li@…", "Li Wei" → `li.wei`), folded to the characters
/// a username allows, and padded to the shortest allowed length.
pub fn derive_username(email: &str, name: &str) -> String {
    let clean = |text: &str, gap: char| {
        let mut out = String::new();
        for c in crate::domain::text::fold(text).chars() {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                out.push(c);
            } else if !out.is_empty() && !out.ends_with(gap) {
                out.push(gap);
            }
        }
        out.trim_matches(['.', '_', '-']).chars().take(MAX_USERNAME).collect::<String>()
    };
    let local = clean(email.split('@').next().unwrap_or_default(), '.');
    let mut username = if local.len() >= MIN_USERNAME { local.clone() } else { clean(name, '.') };
    if username.len() < local.len() {
        username = local;
    }
    while username.len() < MIN_USERNAME {
        username.push('1');
    }
    username
}

const MIN_USERNAME: usize = 3;
const MAX_USERNAME: usize = 40;

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
    let fields = validate_fields(&fields, true).map_err(AccountError::Invalid)?;
    let actor = actor.clone();
    db.transact(move |tx| {
        let id = insert_checked(tx, &fields, None)?;
        audit::record(tx, actor.user_id, "user.create", &format!("user:{id}"), &new_user_details(&fields), &actor.ip)?;
        Ok(id)
    })
    .await
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
    let fields = validate_fields(&fields, true).map_err(AccountError::Invalid)?;
    check_new_password(password, confirmation, &[&fields.name, &fields.username, &fields.email])
        .map_err(AccountError::Password)?;
    let password = password.to_string();
    let hash = blocking(move || hash_password(&password)).await?;
    let (setup_hash, actor) = (setup_token.map(token_hash), actor.clone());
    // A refused account (a username taken, say) leaves the setup link unspent.
    db.transact(move |tx| {
        if let Some(token_hash) = &setup_hash {
            if users::count_active_admins(tx)? > 0 || !links::spend_link(tx, token_hash, now_ms())? {
                return Err(AccountError::LinkUsed);
            }
        }
        let id = insert_checked(tx, &fields, Some(&hash))?;
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
        Ok(id)
    })
    .await
}

/// Whether this user is the last active member of "Administrador geral", who must stay.
fn is_last_general_admin(tx: &rusqlite::Transaction, user: &User) -> crate::db::DbResult<bool> {
    Ok(user.active
        && user.is_admin()
        && groups::is_general_admin(tx, user.id)?
        && groups::count_active_general_admins(tx)? <= 1)
}

pub const MAX_CAPACITY: i64 = 50;
pub const OUTSIDE_HOURS: [&str; 2] = ["warn", "refuse"];
pub const HISTORY_SCOPES: [&str; 3] = ["none", "own", "all"];

/// The work settings once the values that need no database are checked; ids still
/// have to be found.
struct CheckedAgent {
    settings: AgentSettings,
    teams: Vec<i64>,
    groups: Vec<i64>,
}

/// Ids as posted by checkboxes: numbers, without repeats; anything else is `None`.
fn parse_ids(values: &[String]) -> Option<Vec<i64>> {
    let mut ids = Vec::new();
    for v in values {
        let id = v.trim().parse::<i64>().ok()?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Some(ids)
}

/// An agent's work settings and an administrator's permission groups, as typed on the
/// user page (checked here, then saved with the rest or not at all).
fn check_agent(a: &UserDraft, capacity: &str, errors: &mut FieldErrors) -> CheckedAgent {
    let capacity = match capacity.trim() {
        "" => {
            errors.insert("capacity", "field-required");
            1
        }
        text => match text.parse::<i64>() {
            Ok(n) if (1..=MAX_CAPACITY).contains(&n) => n,
            Ok(_) => {
                errors.insert("capacity", "field-out-of-range");
                1
            }
            Err(_) => {
                errors.insert("capacity", "field-not-a-number");
                1
            }
        },
    };
    let schedule_group_id = match a.schedule_group_id.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.insert("schedule_group_id", "agents-schedule-unknown");
                None
            }
        },
    };
    let outside_hours = a.outside_hours.trim().to_string();
    if !OUTSIDE_HOURS.contains(&outside_hours.as_str()) {
        errors.insert("outside_hours", "agents-outside-hours-invalid");
    }
    let history_scope = a.history_scope.trim().to_string();
    if !HISTORY_SCOPES.contains(&history_scope.as_str()) {
        errors.insert("history_scope", "agents-history-invalid");
    }
    let teams = parse_ids(&a.teams).unwrap_or_else(|| {
        errors.insert("teams", "agents-teams-unknown");
        Vec::new()
    });
    let groups = parse_ids(&a.groups).unwrap_or_else(|| {
        errors.insert("groups", "agents-groups-unknown");
        Vec::new()
    });
    CheckedAgent {
        settings: AgentSettings {
            capacity,
            schedule_group_id,
            outside_hours,
            history_scope,
            internal_chat: a.internal_chat,
            require_2fa: a.require_2fa,
        },
        teams,
        groups,
    }
}

/// Everything the audit log shows of an account before and after an edit.
fn audited_user(edit: &UserEdit, settings: &AgentSettings, teams: &[i64], groups: &[i64]) -> serde_json::Value {
    json!({"name": edit.name, "email": edit.email, "role": edit.role, "phone": edit.phone,
           "extension": edit.extension, "allowed_networks": edit.allowed_networks,
           "capacity": settings.capacity, "schedule_group_id": settings.schedule_group_id,
           "outside_hours": settings.outside_hours, "history_scope": settings.history_scope,
           "internal_chat": settings.internal_chat, "require_2fa": settings.require_2fa,
           "teams": teams, "groups": groups})
}

/// Saves what an administrator changed on the user page; the work settings stay as
/// stored when the form did not carry them.
pub async fn update_user(db: &Db, id: i64, draft: &UserDraft, actor: &Actor) -> AccountResult<()> {
    let mut changes = draft.trimmed();
    let country = db.read(|c| Ok(settings::load(c)?.default_country)).await?;
    let fields = AccountFields {
        name: changes.name.clone(),
        username: String::new(),
        email: changes.email.clone(),
        role: changes.role.clone(),
    };
    let mut errors = match validate_fields(&fields, false) {
        Ok(clean) => {
            (changes.name, changes.email) = (clean.name, clean.email);
            FieldErrors::new()
        }
        Err(errors) => errors,
    };
    let networks = match network::parse_networks(&changes.allowed_networks) {
        Ok(nets) => network::format_networks(&nets),
        Err(_) => {
            errors.insert("allowed_networks", "networks-invalid");
            String::new()
        }
    };
    // Stored as E.164 digits, like a contact's number.
    changes.phone = crate::domain::fields::phone(&mut errors, "phone", &changes.phone, &country, false);
    if changes.extension.chars().count() > 20 {
        errors.insert("extension", "field-too-long");
    }
    let agent = changes.capacity.as_ref().map(|capacity| check_agent(&changes, capacity, &mut errors));
    if !errors.is_empty() {
        return Err(AccountError::Invalid(errors));
    }
    let actor = actor.clone();
    db.transact(move |tx| {
        let before = users::user_by_id(tx, id)?.ok_or(AccountError::NotFound)?;
        let mut errors = FieldErrors::new();
        if users::email_taken(tx, &changes.email, Some(id))? {
            errors.insert("email", "email-taken");
        }
        let role = Role::parse(&changes.role).unwrap_or(before.role);
        let last_general_admin = is_last_general_admin(tx, &before)?;
        if role != Role::Admin && last_general_admin {
            errors.insert("role", "last-admin");
        }
        let teams_before = teams::team_ids_of_user(tx, id)?;
        let groups_before = groups::user_group_ids(tx, id)?;
        let (settings, teams_after, mut groups_after) = match &agent {
            None => (AgentSettings::of(&before), teams_before.clone(), groups_before.clone()),
            Some(a) => {
                if let Some(group) = a.settings.schedule_group_id {
                    if !users::schedule_group_exists(tx, group)? {
                        errors.insert("schedule_group_id", "agents-schedule-unknown");
                    }
                }
                let known: Vec<i64> = teams::all_teams(tx)?.iter().map(|t| t.id).collect();
                if a.teams.iter().any(|t| !known.contains(t)) {
                    errors.insert("teams", "agents-teams-unknown");
                }
                if role == Role::Admin && groups::existing_group_ids(tx, &a.groups)?.len() != a.groups.len() {
                    errors.insert("groups", "agents-groups-unknown");
                }
                let mut teams = a.teams.clone();
                teams.sort_unstable();
                let mut chosen = a.groups.clone();
                chosen.sort_unstable();
                (a.settings.clone(), teams, chosen)
            }
        };
        if role != Role::Admin {
            // Agents hold no administrative permissions.
            groups_after.clear();
        } else if last_general_admin && !errors.contains_key("role") {
            let builtin = groups::builtin_group_id(tx)?;
            if !groups_after.contains(&builtin) {
                errors.insert("groups", "groups-last-member");
            }
        }
        if !errors.is_empty() {
            return Err(AccountError::Invalid(errors));
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
        users::update_agent_settings(tx, id, &settings)?;
        teams::set_user_teams(tx, id, &teams_after)?;
        groups::set_user_groups(tx, id, &groups_after)?;
        let old = UserEdit {
            name: &before.name,
            email: &before.email,
            role: before.role,
            phone: &before.phone,
            extension: &before.extension,
            allowed_networks: &before.allowed_networks,
        };
        let details = json!({
            "before": audited_user(&old, &AgentSettings::of(&before), &teams_before, &groups_before),
            "after": audited_user(&edit, &settings, &teams_after, &groups_after),
        });
        audit::record(tx, actor.user_id, "user.update", &format!("user:{id}"), &details, &actor.ip)?;
        Ok(())
    })
    .await?;
    // Teams, groups and the history permission decide what the user's live stream tells.
    db.access_changed();
    Ok(())
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
/// administrator and the last active member of "Administrador geral" cannot be
/// deactivated, nor can administrators deactivate themselves.
pub async fn set_active(db: &Db, id: i64, active: bool, actor: &Actor) -> AccountResult<()> {
    let actor = actor.clone();
    db.transact(move |tx| {
        let user = users::user_by_id(tx, id)?.ok_or(AccountError::NotFound)?;
        if !active
            && (actor.user_id == Some(id)
                || (user.is_admin() && users::count_active_admins(tx)? <= 1)
                || is_last_general_admin(tx, &user)?)
        {
            return Err(AccountError::Invalid(FieldErrors::from([("active", "cannot-deactivate")])));
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
        Ok(())
    })
    .await
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

#[cfg(test)]
mod tests {
    use super::derive_username;

    #[test]
    fn usernames_derive_from_the_address_or_the_name() {
        assert_eq!(derive_username("maria@empresa.test", "Maria"), "maria");
        assert_eq!(derive_username("li@example.test", "Li Wei"), "li.wei");
        assert_eq!(derive_username("jo@example.test", "João Três"), "joao.tres");
        assert_eq!(derive_username("Zé@example.test", "Zé"), "ze1");
        assert_eq!(derive_username("x@example.test", "李"), "x11");
        assert_eq!(derive_username("ana+vendas@example.test", "Ana"), "ana.vendas");
        for u in ["maria", "li.wei", "joao.tres", "ze1", "x11", "ana.vendas"] {
            let fields = super::AccountFields {
                name: "N".into(),
                username: u.into(),
                email: "n@example.test".into(),
                role: "agent".into(),
            };
            assert!(super::validate_fields(&fields, true).is_ok(), "{u} is a valid username");
        }
    }
}
