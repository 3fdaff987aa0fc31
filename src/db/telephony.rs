//! The PBX click-to-call asks (F-AG-22), kept as its own document in the `settings`
//! table; click-to-call is off while no address is set.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::DbResult;
use crate::domain::telephony::CallTemplate;

const KEY: &str = "telephony";

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Telephony {
    pub method: String,
    pub url: String,
    pub headers: String,
    pub body: String,
    /// Put where the template says `{secret}`; never shown again nor logged.
    pub secret: String,
    pub timeout_secs: u64,
}

impl Telephony {
    pub fn is_configured(&self) -> bool {
        !self.url.trim().is_empty()
    }

    pub fn template(&self) -> CallTemplate {
        CallTemplate {
            method: self.method.clone(),
            url: self.url.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
        }
    }
}

pub fn load(conn: &Connection) -> DbResult<Telephony> {
    let text: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [KEY], |r| r.get(0)).optional()?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default())
}

pub fn save(conn: &Connection, telephony: &Telephony) -> DbResult<()> {
    let text = serde_json::to_string(telephony).unwrap_or_else(|_| "{}".into());
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![KEY, text],
    )?;
    Ok(())
}
