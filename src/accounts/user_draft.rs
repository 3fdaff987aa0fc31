//! The user page's form as typed: text kept as typed, so a refused save shows it again
//! instead of the stored values.

use rocket::form::FromForm;
use serde::Serialize;

use super::manage;
use super::AccountResult;
use crate::db::users::User;
use crate::db::{groups, teams, Db};

/// The user page's form. The work settings (`capacity` onwards) are optional so that a
/// form without them changes only the account details.
#[derive(Debug, Clone, FromForm, Serialize)]
pub struct UserDraft {
    pub name: String,
    pub email: String,
    pub role: String,
    pub phone: String,
    pub extension: String,
    pub allowed_networks: String,
    /// Present when the form carries the work settings.
    pub capacity: Option<String>,
    #[field(default = String::new())]
    pub schedule_group_id: String,
    #[field(default = String::new())]
    pub outside_hours: String,
    #[field(default = String::new())]
    pub history_scope: String,
    pub internal_chat: bool,
    pub require_2fa: bool,
    pub teams: Vec<String>,
    pub groups: Vec<String>,
}

impl UserDraft {
    /// The form of `user` as stored, in the teams and permission groups given.
    pub fn of(user: &User, team_ids: &[i64], group_ids: &[i64]) -> UserDraft {
        UserDraft {
            name: user.name.clone(),
            email: user.email.clone(),
            role: user.role.as_str().into(),
            phone: user.phone.clone(),
            extension: user.extension.clone(),
            allowed_networks: user.allowed_networks.clone(),
            capacity: Some(user.capacity.to_string()),
            schedule_group_id: user.schedule_group_id.map(|g| g.to_string()).unwrap_or_default(),
            outside_hours: user.outside_hours.clone(),
            history_scope: user.history_scope.clone(),
            internal_chat: user.internal_chat,
            require_2fa: user.require_2fa,
            teams: team_ids.iter().map(i64::to_string).collect(),
            groups: group_ids.iter().map(i64::to_string).collect(),
        }
    }

    /// The form with the account details trimmed, as they are checked and saved.
    pub fn trimmed(&self) -> UserDraft {
        UserDraft {
            name: self.name.trim().into(),
            email: self.email.trim().into(),
            role: self.role.trim().into(),
            phone: self.phone.trim().into(),
            extension: self.extension.trim().into(),
            ..self.clone()
        }
    }

    /// Whether `id` is among the ids of `list` as typed.
    pub fn has(list: &[String], id: i64) -> bool {
        let id = id.to_string();
        list.iter().any(|v| v.trim() == id)
    }
}

/// The form to show again after a refused save of user `id`: what was typed, and the
/// stored work settings when the form did not carry them.
pub async fn shown_again(db: &Db, id: i64, typed: UserDraft) -> AccountResult<UserDraft> {
    if typed.capacity.is_some() {
        return Ok(typed);
    }
    let user = manage::user_by_id(db, id).await?;
    let (team_ids, group_ids) =
        db.read(move |c| Ok((teams::team_ids_of_user(c, id)?, groups::user_group_ids(c, id)?))).await?;
    let UserDraft { name, email, role, phone, extension, allowed_networks, .. } = typed;
    Ok(UserDraft {
        name,
        email,
        role,
        phone,
        extension,
        allowed_networks,
        ..UserDraft::of(&user, &team_ids, &group_ids)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed() -> UserDraft {
        UserDraft {
            name: " Ana ".into(),
            email: " ana@example.com ".into(),
            role: "agent ".into(),
            phone: " ".into(),
            extension: " 12 ".into(),
            allowed_networks: " 10.0.0.0/8 ".into(),
            capacity: None,
            schedule_group_id: String::new(),
            outside_hours: String::new(),
            history_scope: String::new(),
            internal_chat: false,
            require_2fa: false,
            teams: vec![" 3 ".into()],
            groups: vec![],
        }
    }

    #[test]
    fn the_details_are_trimmed_and_the_networks_kept_for_their_own_check() {
        let t = typed().trimmed();
        assert_eq!((t.name.as_str(), t.email.as_str(), t.role.as_str()), ("Ana", "ana@example.com", "agent"));
        assert_eq!((t.phone.as_str(), t.extension.as_str()), ("", "12"));
        assert_eq!(t.allowed_networks, " 10.0.0.0/8 ");
    }

    #[test]
    fn a_ticked_id_is_found_as_typed() {
        let t = typed();
        assert!(UserDraft::has(&t.teams, 3));
        assert!(!UserDraft::has(&t.teams, 4));
    }
}
