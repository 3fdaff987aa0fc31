//! A contact's personal data on request (LGPD arts. 18–19): everything stored about
//! one contact, read in one go for an export, and its anonymisation — name, phone,
//! e-mail, custom fields, identities, history of changes, message text, files and
//! survey comments removed, while the conversations, their protocols, times and
//! classifications stay for the reports. With `secure_delete` on (see `configure`)
//! what is overwritten is zeroed in the file.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::messages::{AUTHORS, AUTHOR_NAME};
use super::{json_ids, DbResult};

/// The name an anonymised contact keeps: it is still counted, never named.
pub const ANONYMOUS: &str = "Contato anonimizado";

#[derive(Debug, Serialize)]
pub struct ContactData {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: String,
    /// Custom fields by their label.
    pub custom: serde_json::Map<String, serde_json::Value>,
    pub created_at: i64,
    pub identities: Vec<Identity>,
    pub changes: Vec<Change>,
    pub conversations: Vec<ConversationData>,
}

#[derive(Debug, Serialize)]
pub struct Identity {
    pub channel: String,
    pub kind: String,
    pub address: String,
    pub created_at: i64,
}

#[derive(Debug, Serialize)]
pub struct Change {
    pub at: i64,
    /// Who made it: the user, or the channel that created the contact.
    pub by: Option<String>,
    /// As in `contact_changes.field` ('' the creation, `custom:<id>` a custom field).
    pub field: String,
    /// A custom field's name, while the field exists.
    pub label: Option<String>,
    pub old_value: String,
    pub new_value: String,
}

#[derive(Debug, Serialize)]
pub struct ConversationData {
    #[serde(skip)]
    pub id: i64,
    pub protocol: String,
    pub channel: String,
    pub team: String,
    pub status: String,
    pub subject: String,
    pub opened_at: i64,
    pub closed_at: Option<i64>,
    pub survey_score: Option<i64>,
    pub survey_comment: Option<String>,
    pub messages: Vec<MessageData>,
}

#[derive(Debug, Serialize)]
pub struct MessageData {
    pub at: i64,
    /// `in` (the contact), `out` (to the contact), `internal` (a note), `system`.
    pub direction: String,
    /// Who wrote it, when a person of the company did.
    pub author: Option<String>,
    pub body: String,
    pub file: Option<FileData>,
}

#[derive(Debug, Serialize)]
pub struct FileData {
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

/// Everything stored about contact `id`, or `None` when there is no such contact.
pub fn contact_data(conn: &Connection, id: i64) -> DbResult<Option<ContactData>> {
    let contact = conn
        .query_row("SELECT name, email, phone, custom, created_at FROM contacts WHERE id = ?1", [id], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get::<_, String>(3)?, r.get(4)?))
        })
        .optional()?;
    let Some((name, email, phone, custom, created_at)) = contact else { return Ok(None) };
    Ok(Some(ContactData {
        id,
        name,
        email,
        phone,
        custom: labelled_custom(conn, &custom)?,
        created_at,
        identities: identities(conn, id)?,
        changes: changes(conn, id)?,
        conversations: conversations(conn, id)?,
    }))
}

/// `{field id: value}` as `{label: value}` (a field deleted since keeps its id).
fn labelled_custom(conn: &Connection, custom: &str) -> DbResult<serde_json::Map<String, serde_json::Value>> {
    let stored: serde_json::Map<String, serde_json::Value> = serde_json::from_str(custom).unwrap_or_default();
    let mut labelled = serde_json::Map::new();
    for (field, value) in stored {
        let label: Option<String> = conn
            .query_row("SELECT name FROM contact_fields WHERE CAST(id AS TEXT) = ?1", [&field], |r| r.get(0))
            .optional()?;
        labelled.insert(label.unwrap_or(field), value);
    }
    Ok(labelled)
}

fn identities(conn: &Connection, id: i64) -> DbResult<Vec<Identity>> {
    let mut stmt = conn.prepare(
        "SELECT ch.name, ch.kind, i.external_id, i.created_at FROM contact_identities i
         JOIN channels ch ON ch.id = i.channel_id WHERE i.contact_id = ?1 ORDER BY i.created_at, i.rowid",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(Identity { channel: r.get(0)?, kind: r.get(1)?, address: r.get(2)?, created_at: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn changes(conn: &Connection, id: i64) -> DbResult<Vec<Change>> {
    let mut stmt = conn.prepare(
        "SELECT x.at, coalesce(u.name, ch.name), x.field, f.name, x.old_value, x.new_value
         FROM contact_changes x LEFT JOIN users u ON u.id = x.actor_id LEFT JOIN channels ch ON ch.id = x.channel_id
         LEFT JOIN contact_fields f ON 'custom:' || f.id = x.field
         WHERE x.contact_id = ?1 ORDER BY x.at, x.id",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(Change {
            at: r.get(0)?,
            by: r.get(1)?,
            field: r.get(2)?,
            label: r.get(3)?,
            old_value: r.get(4)?,
            new_value: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn conversations(conn: &Connection, contact: i64) -> DbResult<Vec<ConversationData>> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.protocol, coalesce(ch.name, ''), coalesce(t.name, ''), c.status, c.subject, c.opened_at,
                c.closed_at, s.score, s.comment
         FROM conversations c LEFT JOIN channels ch ON ch.id = c.channel_id LEFT JOIN teams t ON t.id = c.team_id
         LEFT JOIN survey_answers s ON s.conversation_id = c.id
         WHERE c.contact_id = ?1 ORDER BY c.opened_at, c.id",
    )?;
    let rows = stmt.query_map([contact], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            ConversationData {
                id: r.get(0)?,
                protocol: r.get(1)?,
                channel: r.get(2)?,
                team: r.get(3)?,
                status: r.get(4)?,
                subject: r.get(5)?,
                opened_at: r.get(6)?,
                closed_at: r.get(7)?,
                survey_score: r.get(8)?,
                survey_comment: r.get(9)?,
                messages: Vec::new(),
            },
        ))
    })?;
    let mut list = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut messages = conn.prepare(&format!(
        "SELECT m.created_at, m.direction, {AUTHOR_NAME}, m.body, a.file_name, a.content_type, a.size
         FROM messages m {AUTHORS} LEFT JOIN attachments a ON a.id = m.attachment_id
         WHERE m.conversation_id = ?1 ORDER BY m.id"
    ))?;
    for (id, conversation) in &mut list {
        let rows = messages.query_map([*id], |r| {
            let file = match r.get::<_, Option<String>>(4)? {
                Some(name) => Some(FileData { name, content_type: r.get(5)?, size: r.get(6)? }),
                None => None,
            };
            Ok(MessageData { at: r.get(0)?, direction: r.get(1)?, author: r.get(2)?, body: r.get(3)?, file })
        })?;
        conversation.messages = rows.collect::<rusqlite::Result<_>>()?;
    }
    Ok(list.into_iter().map(|(_, c)| c).collect())
}

/// What an anonymisation removed; `orphaned` are stored files no attachment names any
/// more, to delete from the data directory once the transaction has committed.
#[derive(Debug, Default, PartialEq)]
pub struct Anonymised {
    pub conversations: usize,
    pub messages: usize,
    pub files: usize,
    pub orphaned: Vec<String>,
}

/// Anonymises contact `id` in the caller's transaction at `now`. Kept: the contact row
/// (for the counts) under `ANONYMOUS`, its conversations with their protocols, times,
/// teams, agents, tags, classifications and scores, and system events that name no
/// answer of the customer. Removed: everything else that tells who they are or what
/// they wrote (`anonymise_conversations` for what the conversations hold).
pub fn anonymise(tx: &Connection, id: i64, now: i64) -> DbResult<Anonymised> {
    let ids: Vec<i64> = {
        let mut stmt = tx.prepare("SELECT id FROM conversations WHERE contact_id = ?1")?;
        let rows = stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        rows
    };
    tx.execute(
        "UPDATE contacts SET name = ?2, email = '', phone = '', custom = '{}', anonymised_at = ?3 WHERE id = ?1",
        params![id, ANONYMOUS, now],
    )?;
    tx.execute("DELETE FROM contact_identities WHERE contact_id = ?1", [id])?;
    tx.execute("DELETE FROM contact_changes WHERE contact_id = ?1", [id])?;
    // The contact's own audit entries held its fields; the anonymisation's entry says
    // what happened.
    tx.execute("UPDATE audit_log SET details = '{}' WHERE target = ?1", [format!("contact:{id}")])?;
    tx.execute(
        &format!(
            "UPDATE webhook_deliveries SET payload = {WEBHOOK_ANONYMISED} WHERE conversation_id IS NULL
                  AND json_extract(payload, '$.data.contact.id') = ?1"
        ),
        [id],
    )?;
    anonymise_conversations(tx, &ids, now)
}

/// An outgoing webhook's body once its subject is anonymised: the envelope (id, event,
/// version, time) stays for the delivery log, and one not yet delivered still leaves,
/// its `data` saying only that (docs/webhooks.md).
const WEBHOOK_ANONYMISED: &str = "json_set(payload, '$.data', json('{\"anonymised\":true}'))";

/// Removes from conversations `ids` what the contact and the agents wrote — subjects,
/// message text, files, survey comments, flow sessions — keeping protocols, times,
/// classifications and scores; marks them anonymised at `now`.
pub fn anonymise_conversations(tx: &Connection, ids: &[i64], now: i64) -> DbResult<Anonymised> {
    let conversations = json_ids(ids.iter().copied());
    let within = "conversation_id IN (SELECT value FROM json_each(?1))";
    let hashes: Vec<String> = {
        let mut stmt = tx.prepare(&format!("SELECT DISTINCT sha256 FROM attachments WHERE {within}"))?;
        let rows = stmt.query_map([&conversations], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        rows
    };
    tx.execute(
        "UPDATE conversations SET subject = '', anonymised_at = ?2 WHERE id IN (SELECT value FROM json_each(?1))",
        params![&conversations, now],
    )?;
    // Text of the contact, the agents and the notes, and the flow's lines that hold
    // the customer's answers; the other system events (assigned, transferred …) stay.
    let messages = tx.execute(
        &format!(
            "UPDATE messages SET body = '', attachment_id = NULL
             WHERE {within} AND (direction != 'system' OR body LIKE 'flow-%') AND (body != '' OR attachment_id IS NOT NULL)"
        ),
        [&conversations],
    )?;
    tx.execute(
        &format!("DELETE FROM media_downloads WHERE message_id IN (SELECT id FROM messages WHERE {within})"),
        [&conversations],
    )?;
    let files = tx.execute(&format!("DELETE FROM attachments WHERE {within}"), [&conversations])?;
    tx.execute(&format!("UPDATE survey_answers SET comment = '' WHERE {within}"), [&conversations])?;
    tx.execute(&format!("DELETE FROM flow_sessions WHERE {within}"), [&conversations])?;
    tx.execute(
        &format!("UPDATE webhook_deliveries SET payload = {WEBHOOK_ANONYMISED} WHERE {within}"),
        [&conversations],
    )?;
    let mut orphaned = Vec::new();
    for hash in hashes {
        let still: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM attachments WHERE sha256 = ?1)", [&hash], |r| r.get(0))?;
        if !still {
            orphaned.push(hash);
        }
    }
    Ok(Anonymised { conversations: ids.len(), messages, files, orphaned })
}

/// Folds the full-text index so that no removed word stays in its older segments (in
/// a write transaction of its own: it rewrites the index, slow on a large floor).
pub fn fold_text_index(tx: &Connection) -> DbResult<()> {
    tx.execute("INSERT INTO message_search (message_search) VALUES ('optimize')", [])?;
    Ok(())
}

/// Moves the write-ahead log into the file and empties it, so the old versions of
/// overwritten pages are gone too (outside any transaction; readers may keep part of
/// the log until they finish, and the next checkpoint takes it).
pub fn checkpoint(conn: &Connection) -> DbResult<()> {
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}
