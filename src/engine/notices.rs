//! The notification centre (F-AD-12): what administrators must hear about — a channel
//! whose credentials were refused, bad webhook signatures, messages the outbox gave up
//! on, a poller failing past its grace, pauses past their limit, full queues and queues
//! nobody takes, low survey scores when the company wants them. Each detecting path
//! calls one function here inside its own transaction; a cause with an unread
//! notification counts on it (`db::notifications::raise`). `Engine::write` publishes
//! `Event::Notices` after a transaction that raised one, so open bells refresh.

use std::cell::Cell;

use rusqlite::Connection;
use serde::Serialize;
use serde_json::{json, Value};

use super::{Engine, EngineResult, Event};
use crate::db::notifications::{self as rows, Cause, Notification, Raised};
use crate::db::{now_ms, pauses, settings};
use crate::domain::clock::day_start;
use crate::i18n;

thread_local! {
    /// Whether the transaction running on this thread raised a notification.
    static RAISED: Cell<bool> = const { Cell::new(false) };
}

/// Records an occurrence of `cause` (see `db::notifications::raise`).
fn raise(conn: &Connection, cause: Cause, occurrence: &str, details: Value) -> EngineResult<Raised> {
    let raised = rows::raise(conn, cause, occurrence, &details, now_ms())?;
    if raised.fresh {
        RAISED.with(|r| r.set(true));
    }
    Ok(raised)
}

/// Runs one transaction's work and tells whether it raised a notification.
pub(crate) fn watching<T>(work: impl FnOnce() -> T) -> (T, bool) {
    RAISED.with(|r| r.set(false));
    let value = work();
    (value, RAISED.with(|r| r.replace(false)))
}

/// A channel's service refused its credentials.
pub(crate) fn channel_auth(conn: &Connection, channel_id: i64, reason: &str) -> EngineResult<Raised> {
    raise(conn, Cause { kind: rows::CHANNEL_AUTH, subject: channel_id }, "", json!({ "reason": reason }))
}

/// The outbox gave up on `message_id` of the channel.
pub(crate) fn delivery_failed(
    conn: &Connection,
    channel_id: i64,
    message_id: i64,
    reason: &str,
) -> EngineResult<Raised> {
    let details = json!({ "reason": reason, "message_id": message_id });
    raise(conn, Cause { kind: rows::DELIVERY_FAILED, subject: channel_id }, &message_id.to_string(), details)
}

/// An outgoing webhook's delivery `delivery_id` of the subscription was given up on.
pub(crate) fn webhook_dead(
    conn: &Connection,
    subscription_id: i64,
    delivery_id: i64,
    reason: &str,
) -> EngineResult<Raised> {
    let details = json!({ "reason": reason, "delivery_id": delivery_id });
    raise(conn, Cause { kind: rows::WEBHOOK_DEAD, subject: subscription_id }, &delivery_id.to_string(), details)
}

/// A team's queue reached its limit (`details`: the limit, how many wait).
pub(crate) fn queue_full(conn: &Connection, team_id: i64, details: Value) -> EngineResult<Raised> {
    raise(conn, Cause { kind: rows::QUEUE_FULL, subject: team_id }, "", details)
}

/// Conversations of a team wait past its alert limit; `oldest` is the first of them,
/// so the same stuck queue seen by every pass counts once.
pub(crate) fn unassigned(conn: &Connection, team_id: i64, oldest: i64, details: Value) -> EngineResult<Raised> {
    raise(conn, Cause { kind: rows::UNASSIGNED, subject: team_id }, &oldest.to_string(), details)
}

/// A survey's score: a notification when the company set a threshold and it is at or
/// below it.
pub(crate) fn survey_scored(conn: &Connection, conversation_id: i64, score: u8) -> EngineResult<()> {
    let threshold = rows::preferences(conn)?.low_score;
    if threshold > 0 && i64::from(score) <= threshold {
        let cause = Cause { kind: rows::LOW_SCORE, subject: conversation_id };
        raise(conn, cause, "score", json!({ "score": score }))?;
    }
    Ok(())
}

/// What the notifications' page and e-mail say of one.
#[derive(Debug, Clone, Serialize)]
pub struct Shown {
    #[serde(flatten)]
    pub notification: Notification,
    /// In the reader's language.
    pub text: String,
    /// What it is about, to go and see.
    pub href: String,
}

/// One notification in `lang`'s words, with its link.
pub fn shown(n: Notification, lang: &str) -> Shown {
    let name = n.subject_name.clone().unwrap_or_else(|| "?".into());
    let detail = |field: &str| match &n.details[field] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let mut args: Vec<(&'static str, String)> = vec![("name", name)];
    for field in ["reason", "limit", "waiting", "minutes", "pause", "score"] {
        args.push((field, detail(field)));
    }
    let args: Vec<_> = args.into_iter().map(|(k, v)| (k, i18n_value(v))).collect();
    let text = i18n::translate_with(lang, &format!("notice-{}", n.kind.replace('_', "-")), &args);
    let href = match n.kind.as_str() {
        rows::CHANNEL_AUTH | rows::WEBHOOK_SIGNATURE | rows::DELIVERY_FAILED | rows::POLLER_DOWN => {
            format!("/admin/channels/{}", n.subject)
        }
        rows::QUEUE_FULL | rows::UNASSIGNED => format!("/admin/teams/{}", n.team_id.unwrap_or(n.subject)),
        rows::PAUSE_OVER_LIMIT => format!("/admin/monitoring?agent={}", n.subject),
        rows::LOW_SCORE => format!("/agent/history/{}", n.subject),
        rows::WEBHOOK_DEAD => format!("/admin/webhooks/{}", n.subject),
        _ => "/admin/notifications".into(),
    };
    Shown { notification: n, text, href }
}

/// Numbers stay numbers for Fluent's plurals; anything else is text.
fn i18n_value(v: String) -> fluent_templates::fluent_bundle::FluentValue<'static> {
    match v.parse::<i64>() {
        Ok(n) => n.into(),
        Err(_) => v.into(),
    }
}

impl Engine {
    /// A call to a channel's webhook came with a bad signature (or none).
    pub async fn webhook_signature_failed(&self, channel_id: i64) -> EngineResult<()> {
        let cause = Cause { kind: rows::WEBHOOK_SIGNATURE, subject: channel_id };
        self.write(move |tx| raise(tx, cause, "", json!({})).map(|_| ())).await
    }

    /// A poll failed (its reason on the channel's health); a refused token raises
    /// `channel_auth`, and failing since `failing_since` for longer than the poller's
    /// grace raises `poller_down` once for that outage.
    pub async fn poll_failed(
        &self,
        channel_id: i64,
        reason: String,
        unauthorized: bool,
        failing_since: i64,
    ) -> EngineResult<()> {
        let grace = self.poller_grace_ms;
        self.write(move |tx| {
            let now = now_ms();
            crate::db::channel_state::record_error(tx, channel_id, &reason, now)?;
            if unauthorized {
                channel_auth(tx, channel_id, &reason)?;
            }
            if now - failing_since >= grace {
                let cause = Cause { kind: rows::POLLER_DOWN, subject: channel_id };
                let details = json!({ "reason": reason, "since": failing_since });
                raise(tx, cause, &failing_since.to_string(), details)?;
            }
            Ok(())
        })
        .await
    }

    /// The periodic look at pauses at `now`: each agent in a pause past its limit raises
    /// `pause_over_limit`, once per pause taken. How many were found over.
    pub async fn notice_pauses(&self, now: i64) -> EngineResult<usize> {
        self.write(move |tx| {
            let today = day_start(now, settings::load(tx)?.zone());
            let mut over = 0;
            for user_id in pauses::users_paused(tx)? {
                let Some((pause, clock)) = pauses::clock_now(tx, user_id, today)? else { continue };
                if !clock.is_over(now) {
                    continue;
                }
                over += 1;
                let details = json!({ "pause": pause.fields.name, "limit": pause.fields.max_minutes });
                let cause = Cause { kind: rows::PAUSE_OVER_LIMIT, subject: user_id };
                raise(tx, cause, &clock.started_at.to_string(), details)?;
            }
            Ok(over)
        })
        .await
    }

    /// Marks one notification read; one already read stays as it was.
    pub async fn mark_notice_read(&self, id: i64, user_id: Option<i64>) -> EngineResult<()> {
        self.write(move |tx| Ok(rows::mark_read(tx, id, user_id)?)).await?;
        self.events.publish(Event::Notices);
        Ok(())
    }

    /// "Marcar todas como lidas"; how many were unread.
    pub async fn mark_all_notices_read(&self, user_id: Option<i64>) -> EngineResult<usize> {
        let done = self.write(move |tx| Ok(rows::mark_all_read(tx, user_id)?)).await?;
        self.events.publish(Event::Notices);
        Ok(done)
    }
}
