//! "Webhooks" (F-IN-2): the company's outgoing webhooks. A subscription names a target
//! address, the events it receives, whether it is on, and whether its target may be a
//! private address; the address is resolved when saved and refused when it leads to a
//! private, loopback or link-local address without that choice (it is checked again
//! at every delivery). Its signing secret is generated with the blank form, shown
//! there once, and can be rotated (shown once again). All of it audited, never the
//! secret itself.

use rocket::form::FromForm;
use serde::Serialize;
use serde_json::json;

use super::{checked, delete_audited, save_audited, CatalogError, CatalogResult, Deleted, Rows};
use crate::accounts::Actor;
use crate::channels::guarded_http::{self, Refused};
use crate::db::webhooks::{self as rows, Subscription, SubscriptionFields};
use crate::db::{audit, webhook_deliveries, Db};
use crate::domain::fields::FieldErrors;
use crate::domain::webhooks::{events_of, events_text, parse_target};

/// A subscription as typed in its form.
#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct WebhookDraft {
    pub url: String,
    pub events: Vec<String>,
    pub active: bool,
    pub allow_private: bool,
    /// A new subscription's secret, made with the blank form and shown there once;
    /// empty on an edit (the stored one stays).
    pub secret: String,
}

impl WebhookDraft {
    /// The form for a new subscription: on, with a fresh secret.
    pub fn blank() -> WebhookDraft {
        WebhookDraft { active: true, secret: rows::new_secret(), ..Default::default() }
    }

    /// The form for editing `s` (without its secret).
    pub fn of(s: &Subscription) -> WebhookDraft {
        WebhookDraft {
            url: s.url.clone(),
            events: events_of(&s.events),
            active: s.active,
            allow_private: s.allow_private,
            secret: String::new(),
        }
    }

    /// The checks of what was typed, the address resolved (off the executor).
    async fn validate(&self, new: bool) -> CatalogResult<SubscriptionFields> {
        let mut errors = FieldErrors::new();
        let url = self.url.trim().to_string();
        match parse_target(&url) {
            Err(key) => {
                errors.insert("url", key);
            }
            Ok(target) => {
                let allow = self.allow_private;
                let found = rocket::tokio::task::spawn_blocking(move || {
                    guarded_http::check_host(&target.host, target.port, allow)
                })
                .await
                .unwrap_or(Err(Refused::Unresolvable));
                match found {
                    Ok(()) => {}
                    Err(Refused::Unresolvable) => drop(errors.insert("url", "webhooks-url-unresolvable")),
                    Err(Refused::Private) => drop(errors.insert("url", "webhooks-url-private")),
                }
            }
        }
        let events = match events_text(&self.events) {
            Ok(text) if text.is_empty() => {
                errors.insert("events", "webhooks-events-required");
                text
            }
            Ok(text) => text,
            Err(_) => {
                errors.insert("events", "webhooks-events-unknown");
                String::new()
            }
        };
        let secret = match new {
            false => None,
            true if self.secret.len() == 64 && self.secret.chars().all(|c| c.is_ascii_hexdigit()) => {
                Some(self.secret.to_ascii_lowercase())
            }
            true => {
                errors.insert("secret", "webhooks-secret-invalid");
                None
            }
        };
        let fields = SubscriptionFields { url, events, active: self.active, allow_private: self.allow_private, secret };
        checked(fields, errors)
    }
}

const SUBSCRIPTIONS: Rows<Subscription, SubscriptionFields> =
    Rows { load: rows::subscription_by_id, insert: rows::insert_subscription, update: rows::update_subscription };

/// Saves a new subscription (`id` `None`) or an edit, with its audit entry; its id.
pub async fn save(db: &Db, actor: &Actor, id: Option<i64>, draft: &WebhookDraft) -> CatalogResult<i64> {
    let (fields, actor) = (draft.validate(id.is_none()).await?, actor.clone());
    db.transact(move |tx| save_audited(tx, &actor, "webhook", id, &fields, &SUBSCRIPTIONS, || Ok(()))).await
}

/// Deletes a subscription with its deliveries.
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> CatalogResult<Deleted> {
    let actor = actor.clone();
    db.transact(move |tx| {
        delete_audited(tx, &actor, "webhook", id, rows::subscription_by_id, rows::delete_subscription, None)
    })
    .await
}

/// A new signing secret for the subscription, to show once; the old one stops
/// signing at once.
pub async fn rotate_secret(db: &Db, actor: &Actor, id: i64) -> CatalogResult<String> {
    let (actor, secret) = (actor.clone(), rows::new_secret());
    let kept = secret.clone();
    db.transact(move |tx| {
        if !rows::set_secret(tx, id, &kept)? {
            return Err(CatalogError::NotFound);
        }
        audit::record_change(tx, &actor, "webhook.rotate-secret", &format!("webhook:{id}"), None, None)?;
        Ok(())
    })
    .await?;
    Ok(secret)
}

/// "Reenviar": a new attempt of the delivery, with the same id, as soon as the worker
/// passes; its 24 hours of retries start again.
pub async fn resend(db: &Db, actor: &Actor, id: i64, delivery_id: i64, now: i64) -> CatalogResult<()> {
    let actor = actor.clone();
    db.transact(move |tx| {
        if !webhook_deliveries::resend(tx, id, delivery_id, now)? {
            return Err(CatalogError::NotFound);
        }
        let after = json!({ "delivery": delivery_id });
        audit::record_change(tx, &actor, "webhook.resend", &format!("webhook:{id}"), None, Some(&after))?;
        Ok(())
    })
    .await
}
