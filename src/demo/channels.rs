//! The demo's WhatsApp, Telegram and e-mail channels, pointed at the simulators of this
//! process. Added when missing (also to a demo made before they existed) and, at every
//! start, given the simulators' current addresses: the mail servers' ports change from
//! one run to the next. Their secrets are demo values, known to the simulators.

use crate::channels::email::settings::Security;
use crate::channels::{email, telegram, whatsapp};
use crate::db::channels::{self, Channel, ChannelFields};
use crate::db::{Db, DbResult};
use crate::domain::channel_kind::ChannelKind;

pub const WHATSAPP_KEY: &str = "demo-whatsapp";
pub const TELEGRAM_KEY: &str = "demo-telegram";
pub const EMAIL_KEY: &str = "demo-email";

/// The demo number's id at "Meta" and the phone number it shows.
pub const PHONE_NUMBER_ID: &str = "100200300400";
pub const DISPLAY_NUMBER: &str = "+55 11 4000-2026";
/// The mailbox customers write to.
pub const MAILBOX: &str = "contato@demo.local";

/// Where the simulators listen this run.
#[derive(Debug, Clone)]
pub struct Addresses {
    /// How the server reaches itself (`http://127.0.0.1:8000`).
    pub local_url: String,
    pub imap_port: u16,
    pub smtp_port: u16,
}

/// The three channels as stored after the start's update.
#[derive(Debug, Clone)]
pub struct DemoChannels {
    pub whatsapp: Channel,
    pub telegram: Channel,
    pub email: Channel,
}

fn whatsapp_settings(kept: Option<whatsapp::Settings>, at: &Addresses) -> serde_json::Value {
    let mut s = kept.unwrap_or_else(|| whatsapp::Settings {
        phone_number_id: PHONE_NUMBER_ID.into(),
        access_token: "demo-graph-access-token".into(),
        app_secret: "demo-graph-app-secret".into(),
        verify_token: "demo-verify-token".into(),
        ..whatsapp::Settings::default()
    });
    s.api_base = format!("{}/demo/graph", at.local_url);
    s.to_json()
}

fn telegram_settings(kept: Option<telegram::Settings>, at: &Addresses) -> serde_json::Value {
    let mut s = kept.unwrap_or_else(|| telegram::Settings {
        bot_token: "7000000001:DEMOatendeBot_token_0123456789".into(),
        poll_timeout_seconds: 20,
        ..telegram::Settings::default()
    });
    s.api_base = format!("{}/demo/telegram", at.local_url);
    s.to_json()
}

fn email_settings(kept: Option<email::Settings>, at: &Addresses) -> serde_json::Value {
    let mut s = kept.unwrap_or_else(|| email::Settings {
        address: MAILBOX.into(),
        imap_security: Security::None,
        smtp_security: Security::None,
        password: "demo-mailbox-password".into(),
        poll_interval_secs: 3,
        ..email::Settings::default()
    });
    (s.imap_host, s.imap_port) = ("127.0.0.1".into(), at.imap_port);
    (s.smtp_host, s.smtp_port) = ("127.0.0.1".into(), at.smtp_port);
    s.to_json()
}

/// Adds the channel of `kind` and `key` when it is missing, or gives it `config`'s
/// addresses; the settings come from `settings`, given what is stored.
fn ensure(
    tx: &rusqlite::Transaction,
    kind: ChannelKind,
    key: &str,
    name: &str,
    settings: impl FnOnce(Option<&Channel>) -> serde_json::Value,
) -> DbResult<Channel> {
    match channels::channel_by_key(tx, kind, key)? {
        Some(found) => {
            let fields = ChannelFields {
                kind,
                name: found.name.clone(),
                key: found.key.clone(),
                active: found.active,
                default_team_id: found.default_team_id,
                schedule_group_id: found.schedule_group_id,
                config: settings(Some(&found)),
            };
            channels::update_channel(tx, found.id, &fields)?;
        }
        None => {
            let sac: Option<i64> = tx
                .query_row("SELECT id FROM teams WHERE name = 'SAC'", [], |r| r.get(0))
                .map(Some)
                .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })?;
            let fields = ChannelFields {
                kind,
                name: name.into(),
                key: key.into(),
                active: true,
                default_team_id: sac,
                // Always open: the demo works at any hour.
                schedule_group_id: None,
                config: settings(None),
            };
            channels::insert_channel(tx, &fields)?;
        }
    }
    channels::channel_by_key(tx, kind, key)?.ok_or(rusqlite::Error::QueryReturnedNoRows.into())
}

/// The three channels, added or pointed at `at`.
pub fn point_at(db: &Db, at: &Addresses) -> DbResult<DemoChannels> {
    db.write_now(|tx| {
        let whatsapp = ensure(tx, ChannelKind::WhatsApp, WHATSAPP_KEY, "WhatsApp Demo Atende", |c| {
            whatsapp_settings(c.map(whatsapp::Settings::of), at)
        })?;
        let telegram = ensure(tx, ChannelKind::Telegram, TELEGRAM_KEY, "Telegram Demo Atende", |c| {
            telegram_settings(c.map(telegram::Settings::of), at)
        })?;
        let email = ensure(tx, ChannelKind::Email, EMAIL_KEY, "E-mail Demo Atende", |c| {
            email_settings(c.map(email::Settings::of), at)
        })?;
        Ok(DemoChannels { whatsapp, telegram, email })
    })
}
