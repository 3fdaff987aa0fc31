//! Company-wide settings an administrator changes at run time, kept as one JSON
//! document in the `settings` table. Missing fields take their defaults, so new
//! settings need no migration.

use std::cell::RefCell;

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use super::parsed::Parsed;
use super::DbResult;

const KEY: &str = "company";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Settings {
    pub company_name: String,
    /// Language for users who chose none; `None` follows the browser.
    pub default_language: Option<String>,
    pub lockout_attempts: i64,
    pub lockout_minutes: i64,
    /// Lifetime of "cadastrar senha" links.
    pub link_minutes: i64,
    pub session_idle_minutes: i64,
    pub session_max_hours: i64,
    /// An agent whose page sent no heartbeat for this long goes offline.
    pub heartbeat_minutes: i64,
    pub smtp: Smtp,
    /// IANA time zone in which times are shown and stored zones that are not one are
    /// read; `zone()` gives it.
    pub time_zone: String,
    /// "País padrão": the country (ISO 3166 code) of phone numbers typed without one.
    pub default_country: String,
    /// Conversations with no activity for this long close by themselves (0 = never).
    pub auto_close_minutes: i64,
    /// Sent to the contact when a conversation closes, by an agent or by inactivity.
    pub closing_message: String,
    /// Ask the contact for a 1–5 rating after a conversation closes.
    pub survey_enabled: bool,
    /// An unanswered survey stops waiting for the answer after this many hours.
    pub survey_expiry_hours: i64,
    /// File name of the uploaded logo inside the data directory (`logo.png` …).
    pub logo: Option<String>,
    /// "Filtro de palavras": for this long after a conversation closes, a message that
    /// is only an ignore term ("obrigado", "ok") does not open a new one.
    pub ignore_window_minutes: i64,
    /// Which built-in contact fields "Adicionar contato" requires.
    pub required_contact_fields: RequiredContactFields,
    /// "Retenção": closed conversations older than this many months are anonymised by
    /// the retention pass (0 = kept forever).
    pub retention_months: i64,
}

/// The built-in contact fields that must be filled when adding a contact.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RequiredContactFields {
    pub name: bool,
    pub email: bool,
    pub whatsapp: bool,
}

impl Default for RequiredContactFields {
    fn default() -> Self {
        RequiredContactFields { name: true, email: true, whatsapp: true }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Smtp {
    /// Empty means "no SMTP": links are shown to the administrator instead.
    pub host: String,
    pub port: u16,
    /// `none`, `starttls` or `tls`.
    pub security: String,
    pub username: String,
    pub password: String,
    pub from_address: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            company_name: "Atende".into(),
            default_language: None,
            lockout_attempts: 5,
            lockout_minutes: 15,
            link_minutes: 30,
            session_idle_minutes: 30,
            session_max_hours: 12,
            heartbeat_minutes: 2,
            smtp: Smtp::default(),
            time_zone: crate::domain::clock::DEFAULT_ZONE.name().into(),
            default_country: crate::domain::phone::DEFAULT_COUNTRY.into(),
            auto_close_minutes: 0,
            closing_message: String::new(),
            survey_enabled: false,
            survey_expiry_hours: 24,
            logo: None,
            ignore_window_minutes: 10,
            required_contact_fields: RequiredContactFields::default(),
            retention_months: 0,
        }
    }
}

impl Default for Smtp {
    fn default() -> Self {
        Smtp {
            host: String::new(),
            port: 587,
            security: "starttls".into(),
            username: String::new(),
            password: String::new(),
            from_address: String::new(),
        }
    }
}

impl Settings {
    /// The company's time zone; `clock::DEFAULT_ZONE` while the one saved is not a zone.
    pub fn zone(&self) -> chrono_tz::Tz {
        crate::domain::clock::stored_zone(&self.time_zone, crate::domain::clock::DEFAULT_ZONE)
    }
}

impl Smtp {
    pub fn is_configured(&self) -> bool {
        !self.host.trim().is_empty() && !self.from_address.trim().is_empty()
    }
}

thread_local! {
    /// Nearly every load finds the same text, and parsing it was a measurable part of
    /// every message's write (`db::parsed`).
    static PARSED: RefCell<Parsed<Settings>> = const { RefCell::new(Parsed::new()) };
}

pub fn load(conn: &Connection) -> DbResult<Settings> {
    read(conn, Settings::clone)
}

/// `what` of the current settings, without copying all of them: for a path that runs
/// on every message (the day's counters need only the time zone).
pub fn read<T>(conn: &Connection, what: impl FnOnce(&Settings) -> T) -> DbResult<T> {
    let mut stmt = conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?;
    let mut rows = stmt.query([KEY])?;
    let text = match rows.next()? {
        Some(row) => row.get_ref(0)?.as_str_or_null().map_err(rusqlite::Error::from)?.unwrap_or_default(),
        None => return Ok(what(&Settings::default())),
    };
    // A document that no longer parses (hand-edited) reads as the defaults rather
    // than locking everyone out.
    Ok(PARSED.with_borrow_mut(|parsed| parsed.with(0, text, |t| serde_json::from_str(t).unwrap_or_default(), what)))
}

pub fn save(conn: &Connection, settings: &Settings) -> DbResult<()> {
    let text = serde_json::to_string(settings).unwrap_or_else(|_| "{}".into());
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![KEY, text],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loads on one thread see every change, from a save or from anywhere else, and two
    /// databases never see each other's settings through what the thread kept.
    #[test]
    fn a_load_sees_every_change() {
        let dir = tempfile::tempdir().unwrap();
        let one = Connection::open(dir.path().join("one.db")).unwrap();
        let two = Connection::open(dir.path().join("two.db")).unwrap();
        for c in [&one, &two] {
            c.execute_batch("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)").unwrap();
        }
        assert_eq!(load(&one).unwrap(), Settings::default());
        let mut changed = Settings { company_name: "Loja Um".into(), ..Settings::default() };
        save(&one, &changed).unwrap();
        assert_eq!(load(&one).unwrap().company_name, "Loja Um");
        save(&two, &Settings { company_name: "Loja Dois".into(), ..Settings::default() }).unwrap();
        assert_eq!(load(&two).unwrap().company_name, "Loja Dois");
        assert_eq!(load(&one).unwrap().company_name, "Loja Um");
        changed.time_zone = "America/Manaus".into();
        save(&one, &changed).unwrap();
        assert_eq!(load(&one).unwrap(), changed);
        // A read of one setting sees the change as a load does, on either database.
        assert_eq!(read(&one, Settings::zone).unwrap(), chrono_tz::America::Manaus);
        assert_eq!(read(&two, Settings::zone).unwrap(), Settings::default().zone());
        assert_eq!(read(&one, |s| s.company_name.clone()).unwrap(), "Loja Um");
        // Edited by hand into something that does not parse: the defaults.
        one.execute("UPDATE settings SET value = '{' WHERE key = ?1", [KEY]).unwrap();
        assert_eq!(load(&one).unwrap(), Settings::default());
        one.execute("DELETE FROM settings", []).unwrap();
        assert_eq!(read(&one, Settings::zone).unwrap(), Settings::default().zone());
    }
}
