//! Notifications by e-mail: the administrators the company chose hear of the causes it
//! chose, at most one e-mail per cause per interval, through the company's SMTP account
//! (the one the "cadastrar senha" links go through). Nothing secret is logged: a failed
//! send names the cause, never the server's credentials.

use super::notices::shown;
use super::{Engine, EngineResult};
use crate::channels::smtp::{self, Mail};
use crate::db::notifications::{self as rows, Notification};
use crate::db::settings::{self as company, Settings};
use crate::db::users::{self, User};
use crate::i18n::{self, dates};

/// One e-mail about `n` to `to`, in their language (the company's when they chose none).
fn mail(n: &Notification, to: &User, company: &Settings, public_url: &str) -> Mail {
    let lang = to
        .language
        .as_deref()
        .or(company.default_language.as_deref())
        .and_then(i18n::normalise)
        .unwrap_or(i18n::DEFAULT);
    let said = shown(n.clone(), lang);
    let last = dates::format(n.last_at, company.zone(), lang, dates::Style::DateTime);
    let args = |extra: &[(&'static str, String)]| {
        let mut all: Vec<(&'static str, fluent_templates::fluent_bundle::FluentValue<'static>)> = vec![
            ("company", company.company_name.clone().into()),
            ("what", said.text.clone().into()),
            ("count", n.count.into()),
            ("last", last.clone().into()),
        ];
        all.extend(extra.iter().map(|(k, v)| (*k, v.clone().into())));
        all
    };
    let link = format!("{}{}", public_url.trim_end_matches('/'), said.href);
    Mail {
        to_name: to.name.clone(),
        to_address: to.email.clone(),
        subject: i18n::translate_with(lang, "notice-mail-subject", &args(&[])),
        body: i18n::translate_with(lang, "notice-mail-body", &args(&[("link", link)])),
    }
}

impl Engine {
    /// One pass at `now` (the engine's clock): every unread notification of a chosen kind
    /// with occurrences not yet told is e-mailed to the chosen administrators, unless its
    /// cause was e-mailed less than the interval ago. Each e-mail is reserved in the
    /// database before it is sent, so two passes never send it twice. How many were sent.
    pub async fn mail_notices(&self, now: i64, public_url: &str) -> EngineResult<usize> {
        let (prefs, settings) = self.db.read(|c| Ok((rows::preferences(c)?, company::load(c)?))).await?;
        if prefs.recipients.is_empty() || prefs.kinds.is_empty() || !settings.smtp.is_configured() {
            return Ok(0);
        }
        let interval = prefs.interval_minutes.max(1) * 60_000;
        let (kinds, ids) = (prefs.kinds.clone(), prefs.recipients.clone());
        let (due, people) = self
            .write(move |tx| {
                let mut due = Vec::new();
                for n in rows::unmailed(tx, &kinds)? {
                    if rows::reserve_mail(tx, &n, now, interval)? {
                        due.push(n);
                    }
                }
                let mut people = Vec::new();
                for id in ids {
                    if let Some(u) = users::user_by_id(tx, id)?.filter(|u| u.active && u.is_admin()) {
                        people.push(u);
                    }
                }
                Ok((due, people))
            })
            .await?;
        let company = &settings;
        let mails: Vec<(String, Mail)> = due
            .iter()
            .flat_map(|n| people.iter().map(move |u| (n.kind.clone(), mail(n, u, company, public_url))))
            .collect();
        let account = settings.smtp.clone();
        let sent = rocket::tokio::task::spawn_blocking(move || {
            let mut sent = 0;
            for (kind, mail) in mails {
                match smtp::send(&account, &mail) {
                    Ok(()) => sent += 1,
                    Err(e) => tracing::warn!(kind, error = %e, "notification e-mail not sent"),
                }
            }
            sent
        })
        .await
        .unwrap_or(0);
        Ok(sent)
    }
}
