//! "Canais": where customers write from — web chat, WhatsApp, Telegram, e-mail. Every
//! channel has a name, a default team, a schedule group, on/off and "receptive only";
//! each kind adds its own settings (`channels::settings`), whose secrets are never shown
//! back nor audited. The key (widget URLs, webhook paths) is made once, when the
//! channel is created, and never changes; a channel with conversations is deactivated,
//! not deleted, so the history keeps it.

use rocket::form::FromForm;
use rusqlite::Connection;
use serde::Serialize;

use std::collections::HashMap;

use super::{check_name_free, checked, delete_audited, record_saved, CatalogError, CatalogResult, Deleted, KeepIfUsed};
use crate::accounts::Actor;
use crate::channels::{settings, webchat};
use crate::db::channels::{self, Channel, ChannelFields};
use crate::db::{schedules, teams, Db};
use crate::domain::channel_kind::ChannelKind;
use crate::domain::fields::{self, FieldErrors};

/// A channel as typed in its form, kept as typed so a refused form shows it again.
/// What every kind has is here; what a kind has of its own comes as `settings[…]`.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct ChannelDraft {
    /// Only read for a new channel (web chat when absent): a channel never changes kind.
    #[field(default = String::new())]
    pub kind: String,
    pub name: String,
    pub default_team_id: String,
    /// Empty: always open.
    pub schedule_group_id: String,
    pub active: bool,
    /// Customers write in, agents answer; nobody starts a conversation from here.
    pub receptive_only: bool,
    #[field(default = HashMap::new())]
    pub settings: HashMap<String, String>,
}

use crate::db::channels::RECEPTIVE_ONLY;

impl ChannelDraft {
    /// The form for a new channel of `kind`.
    pub fn blank(kind: ChannelKind) -> ChannelDraft {
        ChannelDraft::of(&Channel::blank(kind))
    }

    /// The form for editing `c` (never with a secret in it).
    pub fn of(c: &Channel) -> ChannelDraft {
        ChannelDraft {
            kind: c.kind.as_str().into(),
            name: c.name.clone(),
            default_team_id: c.default_team_id.map(|t| t.to_string()).unwrap_or_default(),
            schedule_group_id: c.schedule_group_id.map(|g| g.to_string()).unwrap_or_default(),
            active: c.active,
            receptive_only: c.receptive_only(),
            settings: settings::as_form(&settings::for_form(c)),
        }
    }

    /// The kind a new channel of this form gets.
    pub fn chosen_kind(&self) -> ChannelKind {
        ChannelKind::parse(&self.kind).unwrap_or(ChannelKind::WebChat)
    }

    /// The fields the form sets for a channel of `kind` whose config so far is
    /// `previous`; the key comes from `identity`.
    fn validate(&self, kind: ChannelKind, previous: Option<&serde_json::Value>) -> CatalogResult<ChannelFields> {
        let mut errors = FieldErrors::new();
        let name = fields::text(&mut errors, "name", &self.name, 60);
        let team = fields::number(&mut errors, "default_team_id", &self.default_team_id, 1, i64::MAX, true);
        let group = fields::number(&mut errors, "schedule_group_id", &self.schedule_group_id, 1, i64::MAX, false);
        let mut config = match settings::from_form(kind, &self.settings, previous) {
            Ok(config) => config,
            Err(kind_errors) => {
                errors.extend(kind_errors);
                serde_json::json!({})
            }
        };
        if let Some(map) = config.as_object_mut() {
            map.insert(RECEPTIVE_ONLY.into(), self.receptive_only.into());
        }
        let fields = ChannelFields {
            kind,
            name,
            key: String::new(),
            active: self.active,
            default_team_id: team,
            schedule_group_id: group,
            config,
        };
        checked(fields, errors)
    }
}

/// The channel as the audit log keeps it: its kind's settings without secrets.
fn for_audit(c: Channel) -> Channel {
    let mut config = settings::for_audit(&c);
    if let Some(map) = config.as_object_mut() {
        map.insert(RECEPTIVE_ONLY.into(), c.receptive_only().into());
    }
    Channel { config, ..c }
}

fn load_for_audit(conn: &Connection, id: i64) -> crate::db::DbResult<Option<Channel>> {
    Ok(channels::channel_by_id(conn, id)?.map(for_audit))
}

/// The channel saved before this save (an edit), or `None` for a new one; `NotFound`
/// when it went while its form was open.
fn existing(conn: &Connection, id: Option<i64>) -> CatalogResult<Option<Channel>> {
    match id {
        Some(id) => Ok(Some(channels::channel_by_id(conn, id)?.ok_or(CatalogError::NotFound)?)),
        None => Ok(None),
    }
}

/// A key no other channel has (web chat widget URLs and webhook paths carry it).
fn new_key(conn: &Connection) -> CatalogResult<String> {
    loop {
        let key = webchat::new_key();
        if !channels::key_taken(conn, &key)? {
            return Ok(key);
        }
    }
}

/// Inside the saving transaction: the chosen team and schedule group still exist.
fn check_choices(conn: &Connection, fields: &ChannelFields) -> CatalogResult<()> {
    let mut errors = FieldErrors::new();
    if let Some(team) = fields.default_team_id {
        if teams::team_by_id(conn, team)?.is_none() {
            errors.insert("default_team_id", "channels-unknown-choice");
        }
    }
    if let Some(group) = fields.schedule_group_id {
        if schedules::group_by_id(conn, group)?.is_none() {
            errors.insert("schedule_group_id", "channels-unknown-choice");
        }
    }
    checked((), errors)
}

/// Saves a new channel (`id` `None`) or an edit, with its audit entry (which never
/// holds a secret); its id. Names are unique among the channels; an edit keeps the
/// channel's kind and key (the company's site embeds the key, Meta calls it).
pub async fn save(db: &Db, actor: &Actor, id: Option<i64>, draft: &ChannelDraft) -> CatalogResult<i64> {
    let (draft, actor) = (draft.clone(), actor.clone());
    db.transact(move |tx| {
        let before = existing(tx, id)?;
        let kind = before.as_ref().map(|c| c.kind).unwrap_or_else(|| draft.chosen_kind());
        let fields = draft.validate(kind, before.as_ref().map(|c| &c.config))?;
        check_name_free(tx, "channels", &fields.name, id)?;
        check_choices(tx, &fields)?;
        let id = match &before {
            Some(c) => {
                let fields = ChannelFields { key: c.key.clone(), ..fields };
                channels::update_channel(tx, c.id, &fields)?;
                c.id
            }
            None => channels::insert_channel(tx, &ChannelFields { key: new_key(tx)?, ..fields })?,
        };
        let after = load_for_audit(tx, id)?;
        record_saved(tx, &actor, "channel", id, before.map(for_audit).as_ref(), &after)?;
        Ok(id)
    })
    .await
}

/// Deletes a channel, or deactivates it when it has conversations.
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> CatalogResult<Deleted> {
    let actor = actor.clone();
    let keep = KeepIfUsed { in_use: channels::has_conversations, deactivate: channels::deactivate };
    let (load, delete) = (load_for_audit, channels::delete_channel);
    db.transact(move |tx| delete_audited(tx, &actor, "channel", id, load, delete, Some(keep))).await
}

/// "Testar conexão" with the channel's saved settings, on a blocking thread (the
/// adapters' calls block).
pub async fn test_connection(channel: Channel) -> Result<String, String> {
    rocket::tokio::task::spawn_blocking(move || settings::test_connection(&channel))
        .await
        .unwrap_or_else(|e| Err(format!("test stopped: {e}")))
}

/// A channel added from the shell (`atende channel add`): its team by name, its kind's
/// settings as the channel page would post them. Saved like a page's save, audited.
pub async fn add_from_shell(
    db: &Db,
    kind: ChannelKind,
    name: &str,
    team: &str,
    settings: HashMap<String, String>,
) -> CatalogResult<Channel> {
    let wanted = team.trim().to_lowercase();
    let found =
        db.read(move |c| Ok(teams::all_teams(c)?.into_iter().find(|t| t.name.to_lowercase() == wanted))).await?;
    let Some(team) = found else {
        return Err(CatalogError::Invalid(FieldErrors::from([("team", "channels-unknown-choice")])));
    };
    let draft = ChannelDraft {
        kind: kind.as_str().into(),
        name: name.into(),
        default_team_id: team.id.to_string(),
        schedule_group_id: String::new(),
        active: true,
        receptive_only: false,
        settings,
    };
    let actor = Actor { user_id: None, ip: "cli".into() };
    let id = save(db, &actor, None, &draft).await?;
    db.read(move |c| channels::channel_by_id(c, id)).await?.ok_or(CatalogError::NotFound)
}
