//! The "cadastrar senha" e-mail, in the recipient's language.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;

use super::{blocking, AccountResult};
use crate::channels::smtp::{self, Mail};
use crate::db::{settings, users::User, Db};
use crate::i18n;

/// The absolute link a user follows to set a password.
pub fn set_password_url(public_url: &str, token: &str) -> String {
    format!("{public_url}/password/set?token={token}")
}

/// Sends the link by e-mail. Returns false when no SMTP server is configured (the
/// administrator is shown the link instead) or sending failed (logged).
pub async fn send_set_password_link(db: &Db, user: &User, link: &str, fallback_lang: &str) -> AccountResult<bool> {
    let policy = db.read(settings::load).await?;
    if !policy.smtp.is_configured() {
        return Ok(false);
    }
    let lang = user.language.as_deref().and_then(i18n::normalise).unwrap_or(fallback_lang);
    let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
    args.insert("name".into(), FluentValue::from(user.name.clone()));
    args.insert("company".into(), FluentValue::from(policy.company_name.clone()));
    args.insert("link".into(), FluentValue::from(link.to_string()));
    args.insert("minutes".into(), FluentValue::from(policy.link_minutes));
    let mail = Mail {
        to_name: user.name.clone(),
        to_address: user.email.clone(),
        subject: i18n::try_translate(lang, "mail-set-password-subject", &args).unwrap_or_default(),
        body: i18n::try_translate(lang, "mail-set-password-body", &args).unwrap_or_default(),
    };
    let user_id = user.id;
    let result = blocking(move || smtp::send(&policy.smtp, &mail)).await?;
    match result {
        Ok(()) => Ok(true),
        Err(e) => {
            tracing::warn!(user_id, error = %e, "set-password e-mail not sent");
            Ok(false)
        }
    }
}
