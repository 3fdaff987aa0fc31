//! "Telefonia" on the settings page: the request click-to-call sends to the PBX.
//! Saving an empty address turns click-to-call off.

use rocket::form::FromForm;
use serde::Serialize;

use super::{checked, CatalogResult};
use crate::accounts::Actor;
use crate::db::telephony::{self, Telephony};
use crate::db::{audit, Db};
use crate::domain::fields::{self, FieldErrors};
use crate::domain::telephony::{parse_headers, METHODS};

/// The form as typed; the secret is never sent back to the page.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct TelephonyDraft {
    pub method: String,
    pub url: String,
    pub headers: String,
    pub body: String,
    #[serde(skip)]
    pub secret: String,
    pub timeout_secs: String,
}

impl TelephonyDraft {
    pub fn of(t: &Telephony) -> TelephonyDraft {
        TelephonyDraft {
            method: if t.method.is_empty() { "POST".into() } else { t.method.clone() },
            url: t.url.clone(),
            headers: t.headers.clone(),
            body: t.body.clone(),
            secret: String::new(),
            timeout_secs: if t.timeout_secs == 0 { "5".into() } else { t.timeout_secs.to_string() },
        }
    }

    /// The form onto `current`: an empty secret keeps the stored one.
    fn applied_to(&self, current: &Telephony) -> CatalogResult<Telephony> {
        let (f, mut e) = (self, FieldErrors::new());
        let mut t = current.clone();
        t.method = f.method.trim().to_ascii_uppercase();
        if !METHODS.contains(&t.method.as_str()) {
            e.insert("method", "telephony-bad-method");
        }
        t.url = fields::optional_text(&mut e, "url", &f.url, 2000);
        let scheme_ok = t.url.starts_with("http://") || t.url.starts_with("https://");
        if !t.url.is_empty() && (!scheme_ok || t.url.contains(char::is_whitespace)) {
            e.insert("url", "telephony-bad-url");
        }
        t.headers = f.headers.replace("\r\n", "\n").trim().chars().take(4000).collect();
        if parse_headers(&t.headers).is_err() {
            e.insert("headers", "telephony-bad-headers");
        }
        t.body = f.body.chars().take(8000).collect();
        if !f.secret.is_empty() {
            t.secret = f.secret.clone();
        }
        if t.secret.contains(['\r', '\n']) || t.secret.len() > 1000 {
            e.insert("secret", "telephony-bad-secret");
        }
        t.timeout_secs = fields::number(&mut e, "timeout_secs", &f.timeout_secs, 1, 30, true).unwrap_or(5) as u64;
        checked(t, e)
    }
}

/// As recorded in the audit log: the secret never appears.
fn masked(t: &Telephony) -> Telephony {
    let mut copy = t.clone();
    if !copy.secret.is_empty() {
        copy.secret = "••••••".into();
    }
    copy
}

/// Saves the PBX request, audited as `settings.telephony` (masked).
pub async fn save(db: &Db, actor: &Actor, draft: &TelephonyDraft) -> CatalogResult<()> {
    let (draft, actor) = (draft.clone(), actor.clone());
    db.transact(move |tx| {
        let before = telephony::load(tx)?;
        let after = draft.applied_to(&before)?;
        telephony::save(tx, &after)?;
        audit::record_change(
            tx,
            &actor,
            "settings.telephony",
            "settings",
            Some(&masked(&before)),
            Some(&masked(&after)),
        )?;
        Ok(())
    })
    .await
}
