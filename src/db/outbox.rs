//! The `outbox`: outbound messages waiting for their channel. A worker claims one row
//! with a lease before it sends, and records the result only while it still holds that
//! lease; a row leaves when its message is sent or has failed for good.

use rusqlite::{params, Connection, OptionalExtension};

use super::messages::set_status;
use super::{now_ms, DbResult};
use crate::domain::message_status::MessageStatus;
use crate::domain::message_template::TemplateSend;

/// Records that an outbound message goes as this template (before it is enqueued).
pub fn set_template(conn: &Connection, message_id: i64, template: &TemplateSend) -> DbResult<()> {
    let json = serde_json::to_string(template).unwrap_or_default();
    conn.execute("INSERT INTO template_sends (message_id, template) VALUES (?1, ?2)", params![message_id, json])?;
    Ok(())
}

/// Puts an outbound message in the outbox of its channel, due now.
pub fn enqueue(conn: &Connection, message_id: i64, channel_id: i64) -> DbResult<()> {
    conn.prepare_cached("INSERT INTO outbox (message_id, channel_id, next_attempt_at) VALUES (?1, ?2, ?3)")?
        .execute(params![message_id, channel_id, now_ms()])?;
    Ok(())
}

/// A row a worker holds: the message and the lease that proves it holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub message_id: i64,
    pub channel_id: i64,
    /// Failed attempts so far.
    pub attempts: i64,
    /// The lease's end; also the worker's proof when it records the result. A later
    /// claim of the same row always holds a later end, so a worker whose lease ran out
    /// cannot overwrite the result of the one that took over.
    pub leased_until: i64,
}

/// Claims the next due message of a channel until `now + lease_ms`: one that is due,
/// not leased (or whose lease ran out), and has no earlier message of its conversation
/// still in the outbox — so a message waiting for a retry is never overtaken. One
/// statement, so two workers never claim the same row.
pub fn claim_due(conn: &Connection, channel_id: i64, now: i64, lease_ms: i64) -> DbResult<Option<Claim>> {
    let mut stmt = conn.prepare_cached(
        "UPDATE outbox SET leased_until = ?3
         WHERE message_id = (
             SELECT o.message_id FROM outbox o JOIN messages m ON m.id = o.message_id
             WHERE o.channel_id = ?1 AND o.next_attempt_at <= ?2 AND o.leased_until <= ?2
               AND NOT EXISTS (
                   SELECT 1 FROM outbox earlier JOIN messages em ON em.id = earlier.message_id
                   WHERE em.conversation_id = m.conversation_id AND earlier.message_id < o.message_id)
             ORDER BY o.next_attempt_at, o.message_id LIMIT 1)
         RETURNING message_id, channel_id, attempts, leased_until",
    )?;
    Ok(stmt
        .query_row(params![channel_id, now, now + lease_ms], |r| {
            Ok(Claim { message_id: r.get(0)?, channel_id: r.get(1)?, attempts: r.get(2)?, leased_until: r.get(3)? })
        })
        .optional()?)
}

/// Frees every claim in the outbox, so each claimed message is due at once. For the
/// start of the server, before its first outbox worker: one process serves a data
/// directory, so a lease found then belongs to a process that died mid-send (killed,
/// crashed, power lost), and waiting for it to run out would hold that message, and the
/// rest of its conversation behind it, for up to the lease's length. The message goes
/// again, twice if the channel had taken it (no channel's send call can be asked
/// whether it was: `engine::outbox`). How many claims were freed.
pub fn release_leases(conn: &Connection) -> DbResult<usize> {
    Ok(conn.execute("UPDATE outbox SET leased_until = 0 WHERE leased_until > 0", [])?)
}

/// The channels that have something due now (for a pass over all of them).
pub fn channels_with_due(conn: &Connection, now: i64) -> DbResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT channel_id FROM outbox WHERE next_attempt_at <= ?1 AND leased_until <= ?1 ORDER BY channel_id",
    )?;
    let ids = stmt.query_map([now], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// What a channel's sender gets: the message, where it goes, and what an adapter
/// needs to thread it (e-mail) or to mark it automatic.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub message_id: i64,
    pub conversation_id: i64,
    pub protocol: String,
    /// The contact's address on the channel (chat id, phone number, e-mail address, the
    /// web chat visitor's identity): the identity they last wrote from; empty when the
    /// contact has none there.
    pub to: String,
    pub body: String,
    pub attachment_id: Option<i64>,
    /// The file the message carries, where its bytes are.
    pub attachment: Option<OutgoingFile>,
    /// The channel's id of the contact's last message in this conversation (an
    /// e-mail's Message-ID, for In-Reply-To), and of all of them in order (References).
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// Written by Atende itself (closing message, notices), not by an agent.
    pub automatic: bool,
    /// The conversation's title on its channel (`Inbound.subject`), empty when none.
    pub subject: String,
    /// Sent as the provider's approved template (`template_sends`); `body` is its text.
    pub template: Option<TemplateSend>,
    /// A menu's hint (`message_choices`): channels with buttons or lists show them.
    pub choices: Option<crate::domain::flow::menu::Choices>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutgoingFile {
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub path: std::path::PathBuf,
}

pub fn outgoing(conn: &Connection, message_id: i64) -> DbResult<Option<Outgoing>> {
    let row = conn
        .prepare_cached(
            "SELECT m.id, m.conversation_id, c.protocol, m.body, m.attachment_id,
                    coalesce((SELECT i.external_id FROM contact_identities i
                              WHERE i.channel_id = c.channel_id AND i.contact_id = c.contact_id
                              ORDER BY i.created_at DESC, i.rowid DESC LIMIT 1), ''),
                    m.author_id IS NULL AND m.api_token_id IS NULL,
                    a.file_name, a.content_type, a.size, a.sha256, c.subject, ts.template
             FROM messages m JOIN conversations c ON c.id = m.conversation_id
             LEFT JOIN attachments a ON a.id = m.attachment_id
             LEFT JOIN template_sends ts ON ts.message_id = m.id WHERE m.id = ?1",
        )?
        .query_row([message_id], |r| {
            let file = match r.get::<_, Option<String>>(7)? {
                Some(file_name) => Some((file_name, r.get(8)?, r.get(9)?, r.get::<_, String>(10)?)),
                None => None,
            };
            Ok((
                Outgoing {
                    message_id: r.get(0)?,
                    conversation_id: r.get(1)?,
                    protocol: r.get(2)?,
                    body: r.get(3)?,
                    attachment_id: r.get(4)?,
                    to: r.get(5)?,
                    attachment: None,
                    in_reply_to: None,
                    references: Vec::new(),
                    automatic: r.get(6)?,
                    subject: r.get(11)?,
                    template: r.get::<_, Option<String>>(12)?.and_then(|t| serde_json::from_str(&t).ok()),
                    choices: None,
                },
                file,
            ))
        })
        .optional()?;
    let Some((mut out, file)) = row else { return Ok(None) };
    out.choices = super::flows::choices_of(conn, message_id)?;
    if let Some((file_name, content_type, size, sha256)) = file {
        let dir = super::data_dir(conn)?;
        let path = crate::engine::attachments::stored_path(&dir, &sha256);
        out.attachment = Some(OutgoingFile { file_name, content_type, size, path });
    }
    let mut stmt = conn.prepare_cached(
        "SELECT external_id FROM messages WHERE conversation_id = ?1 AND direction = 'in'
           AND external_id IS NOT NULL AND id < ?2 ORDER BY id",
    )?;
    out.references = stmt
        .query_map(params![out.conversation_id, message_id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    out.in_reply_to = out.references.last().cloned();
    Ok(Some(out))
}

/// Takes the row out if the claim still holds it; whether it did.
fn release(conn: &Connection, claim: &Claim) -> DbResult<bool> {
    let gone = conn
        .prepare_cached("DELETE FROM outbox WHERE message_id = ?1 AND leased_until = ?2")?
        .execute(params![claim.message_id, claim.leased_until])?;
    Ok(gone > 0)
}

/// The channel took it: out of the outbox, `sent`, with the channel's id for it.
/// `false` when the lease was lost (another worker sent it again and records that).
pub fn record_sent(conn: &Connection, claim: &Claim, provider_id: Option<&str>) -> DbResult<bool> {
    if !release(conn, claim)? {
        return Ok(false);
    }
    if let Some(id) = provider_id {
        super::messages::set_provider_id(conn, claim.message_id, id)?;
    }
    set_status(conn, claim.message_id, MessageStatus::Sent, "")?;
    Ok(true)
}

/// The channel failed for good, or the retries ran out: out of the outbox, `failed`.
pub fn record_failed(conn: &Connection, claim: &Claim, reason: &str) -> DbResult<bool> {
    if !release(conn, claim)? {
        return Ok(false);
    }
    set_status(conn, claim.message_id, MessageStatus::Failed, reason)?;
    Ok(true)
}

/// One more failed attempt: due again at `next_at`, unleased.
pub fn record_retry(conn: &Connection, claim: &Claim, reason: &str, next_at: i64) -> DbResult<bool> {
    let changed = conn.execute(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?3, last_error = ?4, leased_until = 0
         WHERE message_id = ?1 AND leased_until = ?2",
        params![claim.message_id, claim.leased_until, next_at, reason],
    )?;
    Ok(changed > 0)
}

/// Not yet, without counting an attempt (the channel's send limit): due again at
/// `next_at`, unleased.
pub fn postpone(conn: &Connection, claim: &Claim, next_at: i64) -> DbResult<bool> {
    let changed = conn.execute(
        "UPDATE outbox SET next_attempt_at = ?3, leased_until = 0 WHERE message_id = ?1 AND leased_until = ?2",
        params![claim.message_id, claim.leased_until, next_at],
    )?;
    Ok(changed > 0)
}

/// "Tentar novamente": a failed outbound message of the conversation goes back to the
/// outbox with a fresh retry budget. The one move back in a message's status, made by
/// a person on purpose; receipts never take it (`messages::set_status`). Whether it did.
pub fn requeue_failed(conn: &Connection, conversation_id: i64, message_id: i64) -> DbResult<bool> {
    let channel_id: Option<i64> = conn
        .query_row(
            "UPDATE messages SET status = 'queued', failure = ''
             WHERE id = ?1 AND conversation_id = ?2 AND direction = 'out' AND status = 'failed'
             RETURNING channel_id",
            params![message_id, conversation_id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(channel_id) = channel_id else { return Ok(false) };
    enqueue(conn, message_id, channel_id)?;
    Ok(true)
}
