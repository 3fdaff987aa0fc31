//! One's own profile ("Meu perfil", "Editar perfil"): what an administrator set, shown
//! read-only (teams, schedule group, history permission), and what the user changes
//! themself — name, phone, extension ("ramal"), language and, with the current
//! password, the e-mail. The username never changes. Every change is audited.

use serde::Serialize;
use serde_json::json;

use super::credentials::verify_password;
use super::{blocking, AccountError, AccountResult, Actor, FieldErrors};
use crate::db::users::{self, ProfileEdit, User};
use crate::db::{audit, schedules, settings, Db};
use crate::domain::fields;
use crate::domain::text::one_line;

/// Longest extension ("ramal").
pub const EXTENSION_MAX: usize = 20;
/// Longest name.
pub const NAME_MAX: usize = 120;

/// The profile as typed; `name: None` keeps the stored name.
#[derive(Debug, Clone, Default)]
pub struct ProfileInput {
    pub name: Option<String>,
    pub extension: String,
    pub phone: String,
    pub language: String,
}

/// Checks the profile form: the field errors (catalogue keys) or what to store. The
/// phone is stored as E.164 digits, read in `default_country` when typed without one.
pub fn check_profile(input: &ProfileInput, current: &User, default_country: &str) -> Result<ProfileEdit, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = match &input.name {
        None => current.name.clone(),
        Some(typed) => {
            let name = one_line(typed);
            if name.is_empty() {
                errors.insert("name", "field-required");
            } else if name.chars().count() > NAME_MAX {
                errors.insert("name", "field-too-long");
            }
            name
        }
    };
    let extension = input.extension.trim();
    if extension.chars().count() > EXTENSION_MAX {
        errors.insert("extension", "profile-extension-too-long");
    } else if extension.chars().any(char::is_control) {
        errors.insert("extension", "profile-extension-invalid");
    }
    let phone = fields::phone(&mut errors, "phone", &input.phone, default_country, false);
    let language = input.language.trim();
    let language = if language.is_empty() {
        None
    } else if let Some((code, _)) = crate::i18n::LANGUAGES.iter().find(|(code, _)| *code == language) {
        Some(code.to_string())
    } else {
        errors.insert("language", "profile-language-invalid");
        None
    };
    if errors.is_empty() {
        Ok(ProfileEdit { name, extension: extension.to_string(), phone, language })
    } else {
        Err(errors)
    }
}

/// "Editar perfil": saves what changed, audited as `profile.update` (before and after).
pub async fn update_profile(db: &Db, user_id: i64, input: ProfileInput, actor: &Actor) -> AccountResult<()> {
    let actor = actor.clone();
    db.transact(move |tx| {
        let current = users::user_by_id(tx, user_id)?.ok_or(AccountError::NotFound)?;
        let country = settings::load(tx)?.default_country;
        let edit = match check_profile(&input, &current, &country) {
            Ok(edit) => edit,
            Err(errors) => return Err(AccountError::Invalid(errors)),
        };
        let before = ProfileEdit::of(&current);
        if before != edit {
            users::update_profile(tx, user_id, &edit)?;
            audit::record_change(tx, &actor, "profile.update", &format!("user:{user_id}"), Some(&before), Some(&edit))?;
        }
        Ok(())
    })
    .await
}

/// Changes one's own e-mail (the sign-in address) after checking the current password;
/// audited as `profile.email-change` with both addresses.
pub async fn change_email(
    db: &Db,
    user: &User,
    current_password: &str,
    new_email: &str,
    actor: &Actor,
) -> AccountResult<()> {
    let mut errors = FieldErrors::new();
    let address = fields::email(&mut errors, "new_email", new_email, true);
    if !errors.is_empty() {
        return Err(AccountError::Invalid(errors));
    }
    let (password, stored) = (current_password.to_string(), user.password_hash.clone());
    if !blocking(move || verify_password(&password, stored.as_deref())).await? {
        return Err(AccountError::Invalid(FieldErrors::from([("email_password", "password-current-wrong")])));
    }
    let (id, actor) = (user.id, actor.clone());
    db.transact(move |tx| {
        let current = users::user_by_id(tx, id)?.ok_or(AccountError::NotFound)?;
        if current.email == address {
            return Ok(());
        }
        if users::email_taken(tx, &address, Some(id))? {
            return Err(AccountError::Invalid(FieldErrors::from([("new_email", "email-taken")])));
        }
        users::set_email(tx, id, &address)?;
        let details = json!({ "before": { "email": current.email }, "after": { "email": address } });
        audit::record(tx, actor.user_id, "profile.email-change", &format!("user:{id}"), &details, &actor.ip)?;
        Ok(())
    })
    .await
}

/// What an administrator set for the user, shown on the profile without a way to
/// change it.
#[derive(Debug, Clone, Serialize)]
pub struct AssignedSettings {
    pub teams: Vec<String>,
    pub schedule_group: Option<String>,
    /// `none`, `own` or `all` (see `users.history_scope`).
    pub history_scope: String,
}

pub async fn assigned_settings(db: &Db, user: &User) -> AccountResult<AssignedSettings> {
    let (id, group, history_scope) = (user.id, user.schedule_group_id, user.history_scope.clone());
    Ok(db
        .read(move |c| {
            let teams = users::team_names_of_users(c, &[id])?.remove(&id).unwrap_or_default();
            let schedule_group = match group {
                Some(group) => schedules::group_by_id(c, group)?.map(|g| g.name),
                None => None,
            };
            Ok(AssignedSettings { teams, schedule_group, history_scope })
        })
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ana() -> User {
        User {
            id: 1,
            name: "Ana".into(),
            username: "ana".into(),
            email: "ana@x.test".into(),
            role: users::Role::Agent,
            password_hash: None,
            active: true,
            language: None,
            phone: String::new(),
            extension: String::new(),
            allowed_networks: String::new(),
            totp_secret: None,
            totp_enabled: false,
            failed_logins: 0,
            locked_until: None,
            status: "offline".into(),
            last_heartbeat_at: None,
            created_at: 0,
            capacity: 3,
            schedule_group_id: None,
            outside_hours: "warn".into(),
            history_scope: "own".into(),
            internal_chat: false,
            may_chat: false,
            require_2fa: false,
            photo: None,
            send_key: "enter".into(),
        }
    }

    fn input(name: Option<&str>, extension: &str, phone: &str, language: &str) -> ProfileInput {
        ProfileInput {
            name: name.map(str::to_string),
            extension: extension.into(),
            phone: phone.into(),
            language: language.into(),
        }
    }

    #[test]
    fn profile_fields_are_checked() {
        let ok = check_profile(&input(Some(" Ana  Souza "), " 2041 ", "(11) 98765-4321", "en"), &ana(), "BR").unwrap();
        assert_eq!(
            ok,
            ProfileEdit {
                name: "Ana Souza".into(),
                extension: "2041".into(),
                phone: "5511987654321".into(),
                language: Some("en".into())
            }
        );
        let kept = check_profile(&input(None, "", "", ""), &ana(), "BR").unwrap();
        assert_eq!((kept.name.as_str(), kept.language), ("Ana", None));
        let e = check_profile(&input(Some(" "), &"9".repeat(21), "11 9876x5432", "fr"), &ana(), "BR").unwrap_err();
        assert_eq!(e["name"], "field-required");
        assert_eq!(e["extension"], "profile-extension-too-long");
        assert_eq!(e["phone"], "phone-digits");
        assert_eq!(e["language"], "profile-language-invalid");
        let short = check_profile(&input(None, "", "123456789", ""), &ana(), "BR").unwrap_err();
        assert_eq!(short["phone"], "phone-invalid");
    }
}

/// The composer's send key, chosen on the profile; audited as a profile change. The
/// key is one of the offered ones (checked by the caller against `SEND_KEYS`).
pub async fn set_send_key(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    before: String,
    chosen: &'static str,
) -> AccountResult<()> {
    if before == chosen {
        return Ok(());
    }
    let actor = actor.clone();
    db.transact(move |tx| {
        users::set_send_key(tx, user_id, chosen)?;
        let (before, after) = (json!({ "send_key": before }), json!({ "send_key": chosen }));
        audit::record_change(tx, &actor, "profile.update", &format!("user:{user_id}"), Some(&before), Some(&after))?;
        Ok(())
    })
    .await
}
