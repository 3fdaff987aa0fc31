//! "Canais": where customers write from. For now the web chat: name, colour, greeting,
//! pre-chat fields, default team, schedule group. The key the company's site embeds is
//! made once, when the channel is created, and never changes; a channel with
//! conversations is deactivated, not deleted, so the history keeps it.

use rocket::form::FromForm;
use rusqlite::Connection;
use serde::Serialize;

use super::{
    check_name_free, checked, delete_audited, save_audited, CatalogError, CatalogResult, Deleted, KeepIfUsed, Rows,
};
use crate::accounts::Actor;
use crate::channels::webchat::{self, Ask, Settings};
use crate::db::channels::{self, Channel, ChannelFields};
use crate::db::{schedules, teams, Db};
use crate::domain::channel_kind::ChannelKind;
use crate::domain::fields::{self, FieldErrors};

/// A web chat channel as typed in its form, kept as typed so a refused form shows it again.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct ChannelDraft {
    pub name: String,
    pub color: String,
    pub greeting: String,
    pub ask_email: bool,
    pub require_email: bool,
    pub ask_phone: bool,
    pub require_phone: bool,
    pub default_team_id: String,
    /// Empty: always open.
    pub schedule_group_id: String,
    pub active: bool,
}

impl ChannelDraft {
    /// The form for a new channel.
    pub fn blank() -> ChannelDraft {
        ChannelDraft { active: true, color: "#0f5fa8".into(), ..Default::default() }
    }

    /// The form for editing `c`.
    pub fn of(c: &Channel) -> ChannelDraft {
        let s = Settings::of(c);
        ChannelDraft {
            name: c.name.clone(),
            color: s.color,
            greeting: s.greeting,
            ask_email: s.email != Ask::Off,
            require_email: s.email == Ask::Required,
            ask_phone: s.phone != Ask::Off,
            require_phone: s.phone == Ask::Required,
            default_team_id: c.default_team_id.map(|t| t.to_string()).unwrap_or_default(),
            schedule_group_id: c.schedule_group_id.map(|g| g.to_string()).unwrap_or_default(),
            active: c.active,
        }
    }

    /// The fields the form sets; the key and kind come from `identity`.
    fn validate(&self) -> CatalogResult<ChannelFields> {
        let mut errors = FieldErrors::new();
        let name = fields::text(&mut errors, "name", &self.name, 60);
        let color = self.color.trim().to_ascii_lowercase();
        if !webchat::is_color(&color) {
            errors.insert("color", "channels-bad-color");
        }
        let greeting = fields::optional_text(&mut errors, "greeting", &self.greeting, 500);
        let team = fields::number(&mut errors, "default_team_id", &self.default_team_id, 1, i64::MAX, true);
        let group = fields::number(&mut errors, "schedule_group_id", &self.schedule_group_id, 1, i64::MAX, false);
        let settings = Settings {
            color,
            greeting,
            email: Ask::from_checkboxes(self.ask_email, self.require_email),
            phone: Ask::from_checkboxes(self.ask_phone, self.require_phone),
        };
        let fields = ChannelFields {
            kind: ChannelKind::WebChat,
            name,
            key: String::new(),
            active: self.active,
            default_team_id: team,
            schedule_group_id: group,
            config: settings.to_json(),
        };
        checked(fields, errors)
    }
}

/// The kind and key a save writes: an edit keeps the channel's (the company's site
/// embeds the key), a new channel gets a key no other channel has.
fn identity(conn: &Connection, id: Option<i64>) -> CatalogResult<(ChannelKind, String)> {
    if let Some(id) = id {
        let channel = channels::channel_by_id(conn, id)?.ok_or(CatalogError::NotFound)?;
        return Ok((channel.kind, channel.key));
    }
    loop {
        let key = webchat::new_key();
        if !channels::key_taken(conn, &key)? {
            return Ok((ChannelKind::WebChat, key));
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

const CHANNELS: Rows<Channel, ChannelFields> =
    Rows { load: channels::channel_by_id, insert: channels::insert_channel, update: channels::update_channel };

/// Saves a new channel (`id` `None`) or an edit, with its audit entry; its id. Names
/// are unique among the channels.
pub async fn save(db: &Db, actor: &Actor, id: Option<i64>, draft: &ChannelDraft) -> CatalogResult<i64> {
    let (fields, actor) = (draft.validate()?, actor.clone());
    db.transact(move |tx| {
        let (kind, key) = identity(tx, id)?;
        let fields = ChannelFields { kind, key, ..fields };
        save_audited(tx, &actor, "channel", id, &fields, &CHANNELS, || {
            check_name_free(tx, "channels", &fields.name, id)?;
            check_choices(tx, &fields)
        })
    })
    .await
}

/// Deletes a channel, or deactivates it when it has conversations.
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> CatalogResult<Deleted> {
    let actor = actor.clone();
    let keep = KeepIfUsed { in_use: channels::has_conversations, deactivate: channels::deactivate };
    let (load, delete) = (channels::channel_by_id, channels::delete_channel);
    db.transact(move |tx| delete_audited(tx, &actor, "channel", id, load, delete, Some(keep))).await
}
