//! The `contacts` table and how each contact is known on each channel.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::{now_ms, DbResult};
use crate::domain::excerpt::{excerpt, ExcerptPart};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Contact {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub custom: serde_json::Value,
    pub created_at: i64,
}

const COLUMNS: &str = "id, name, email, phone, custom, created_at";

fn from_row(r: &Row) -> rusqlite::Result<Contact> {
    let custom: String = r.get(4)?;
    Ok(Contact {
        id: r.get(0)?,
        name: r.get(1)?,
        email: r.get(2)?,
        phone: r.get(3)?,
        custom: serde_json::from_str(&custom).unwrap_or_default(),
        created_at: r.get(5)?,
    })
}

pub fn contact_by_id(conn: &Connection, id: i64) -> DbResult<Option<Contact>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM contacts WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// The contact behind a channel identity (visitor token hash, phone number …).
pub fn contact_by_identity(conn: &Connection, channel_id: i64, external_id: &str) -> DbResult<Option<Contact>> {
    Ok(conn
        .prepare_cached(
            "SELECT c.id, c.name, c.email, c.phone, c.custom, c.created_at
             FROM contacts c JOIN contact_identities i ON i.contact_id = c.id
             WHERE i.channel_id = ?1 AND i.external_id = ?2",
        )?
        .query_row(params![channel_id, external_id], from_row)
        .optional()?)
}

pub fn insert_identity(conn: &Connection, channel_id: i64, external_id: &str, contact_id: i64) -> DbResult<()> {
    conn.execute(
        "INSERT INTO contact_identities (channel_id, external_id, contact_id, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![channel_id, external_id, contact_id, now_ms()],
    )?;
    Ok(())
}

/// How the contact is known on a channel: the identity they used last there.
pub fn identity_on(conn: &Connection, channel_id: i64, contact_id: i64) -> DbResult<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT external_id FROM contact_identities WHERE channel_id = ?1 AND contact_id = ?2
             ORDER BY created_at DESC, rowid DESC LIMIT 1",
            params![channel_id, contact_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// One way a contact is known on a channel, for their page.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Identity {
    pub channel_id: i64,
    pub channel_name: String,
    pub kind: crate::domain::channel_kind::ChannelKind,
    /// The number, chat id or address; empty for a web chat visitor (whose identity is
    /// a hash of the widget's token, meaningless to people).
    pub address: String,
}

pub fn identities_of(conn: &Connection, contact_id: i64) -> DbResult<Vec<Identity>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.channel_id, c.name, c.kind, i.external_id FROM contact_identities i
         JOIN channels c ON c.id = i.channel_id WHERE i.contact_id = ?1 ORDER BY c.kind, c.name, i.created_at",
    )?;
    let rows = stmt
        .query_map([contact_id], |r| {
            let kind: crate::domain::channel_kind::ChannelKind = r.get(2)?;
            let external: String = r.get(3)?;
            let address =
                if kind == crate::domain::channel_kind::ChannelKind::WebChat { String::new() } else { external };
            Ok(Identity { channel_id: r.get(0)?, channel_name: r.get(1)?, kind, address })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A contact as a channel knows them, for that channel's contact list.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChannelContact {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub since: i64,
}

/// The contacts known on a channel whose name or address (number, chat id, e-mail)
/// contains the text, newest first; and how many in all.
pub fn on_channel(
    conn: &Connection,
    channel_id: i64,
    search: &str,
    limit: i64,
    offset: i64,
) -> DbResult<(Vec<ChannelContact>, i64)> {
    let pattern = super::paging::like_pattern(search);
    let filter = "i.channel_id = ?1 AND (ct.name LIKE ?2 ESCAPE '\\' OR i.external_id LIKE ?2 ESCAPE '\\')";
    let total = conn.query_row(
        &format!("SELECT count(*) FROM contact_identities i JOIN contacts ct ON ct.id = i.contact_id WHERE {filter}"),
        params![channel_id, pattern],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT ct.id, ct.name, i.external_id, i.created_at FROM contact_identities i
         JOIN contacts ct ON ct.id = i.contact_id WHERE {filter}
         ORDER BY i.created_at DESC, i.rowid DESC LIMIT ?3 OFFSET ?4"
    ))?;
    let rows = stmt
        .query_map(params![channel_id, pattern, limit, offset], |r| {
            Ok(ChannelContact { id: r.get(0)?, name: r.get(1)?, address: r.get(2)?, since: r.get(3)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, total))
}

/// Contacts whose name or e-mail contains the text, or whose phone contains one of the
/// forms of the number typed (see `phone::search_forms`: only a number matches phones,
/// in any of its forms — with or without the country code or the 9th digit).
pub fn search_contacts(conn: &Connection, search: &str, limit: i64, offset: i64) -> DbResult<(Vec<Contact>, i64)> {
    let search = search.trim();
    let country = super::settings::load(conn)?.default_country;
    let phones: Vec<String> =
        crate::domain::phone::search_forms(search, &country).iter().map(|f| format!("%{f}%")).collect();
    // ?1 is the name pattern; the phone forms follow (none when the text is no number).
    let phone_filter: String = (0..phones.len()).map(|i| format!(" OR phone LIKE ?{}", i + 2)).collect();
    let filter = format!("(name LIKE ?1 ESCAPE '\\' OR email LIKE ?1 ESCAPE '\\'{phone_filter})");
    let mut args: Vec<rusqlite::types::Value> = vec![super::paging::like_pattern(search).into()];
    args.extend(phones.into_iter().map(rusqlite::types::Value::from));
    let total = conn.query_row(
        &format!("SELECT count(*) FROM contacts WHERE {filter}"),
        rusqlite::params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    let (limit_at, offset_at) = (args.len() + 1, args.len() + 2);
    args.extend([limit.into(), offset.into()]);
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM contacts WHERE {filter} ORDER BY name COLLATE NOCASE, id LIMIT ?{limit_at} OFFSET ?{offset_at}"
    ))?;
    let rows =
        stmt.query_map(rusqlite::params_from_iter(args.iter()), from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, total))
}

/// How the REST API lists contacts: all of them a page at a time, or those with one
/// e-mail address (any case) or one value of a custom field.
#[derive(Debug, Clone)]
pub enum ContactsBy {
    All,
    Email(String),
    Custom { field_id: i64, value: String },
}

/// Up to `limit` contacts with ids after `after`, by id, as `by` chooses.
pub fn contacts_after(conn: &Connection, by: &ContactsBy, after: i64, limit: i64) -> DbResult<Vec<Contact>> {
    let (filter, value): (&str, Vec<rusqlite::types::Value>) = match by {
        ContactsBy::All => ("", vec![]),
        ContactsBy::Email(email) => (" AND email = ?3 COLLATE NOCASE", vec![email.clone().into()]),
        ContactsBy::Custom { field_id, value } => {
            (" AND json_extract(custom, ?3) = ?4", vec![format!("$.\"{field_id}\"").into(), value.clone().into()])
        }
    };
    let mut args: Vec<rusqlite::types::Value> = vec![after.into(), limit.into()];
    args.extend(value);
    let mut stmt =
        conn.prepare(&format!("SELECT {COLUMNS} FROM contacts WHERE id > ?1{filter} ORDER BY id LIMIT ?2"))?;
    let rows =
        stmt.query_map(rusqlite::params_from_iter(args.iter()), from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A contact as typed in "Adicionar contato", already validated.
#[derive(Debug, Clone, Serialize)]
pub struct ContactFields {
    pub name: String,
    pub email: String,
    /// E.164 digits (may be empty when the company does not require it).
    pub phone: String,
    pub custom: serde_json::Value,
}

/// Who changed a contact: an agent, the channel a new contact first wrote through, or a
/// REST API token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangedBy {
    User(i64),
    Channel(i64),
    Token(i64),
}

fn record_change(
    conn: &Connection,
    contact_id: i64,
    by: ChangedBy,
    at: i64,
    field: &str,
    old: &str,
    new: &str,
) -> DbResult<()> {
    let (user, channel, token) = match by {
        ChangedBy::User(id) => (Some(id), None, None),
        ChangedBy::Channel(id) => (None, Some(id), None),
        ChangedBy::Token(id) => (None, None, Some(id)),
    };
    conn.execute(
        "INSERT INTO contact_changes (contact_id, at, actor_id, channel_id, api_token_id, field, old_value, new_value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![contact_id, at, user, channel, token, field, old, new],
    )?;
    Ok(())
}

/// Creates a contact and records who created it (a change of field '').
pub fn insert_contact(conn: &Connection, f: &ContactFields, by: ChangedBy) -> DbResult<i64> {
    let now = now_ms();
    conn.execute(
        "INSERT INTO contacts (name, email, phone, custom, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![f.name, f.email, f.phone, f.custom.to_string(), now],
    )?;
    let id = conn.last_insert_rowid();
    record_change(conn, id, by, now, "", "", "")?;
    super::webhooks::emit(conn, super::webhooks::Change::ContactCreated(id))?;
    Ok(id)
}

/// A custom field's value as the history shows it.
fn custom_text(custom: &serde_json::Value, key: &str) -> String {
    match custom.get(key) {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The fields that differ between what is stored and what is saved, in the order the
/// page shows them: (field, old, new), custom fields as `custom:<id>`.
fn differences(before: &Contact, after: &ContactFields) -> Vec<(String, String, String)> {
    let mut changed = Vec::new();
    for (field, old, new) in [
        ("name", &before.name, &after.name),
        ("email", &before.email, &after.email),
        ("phone", &before.phone, &after.phone),
    ] {
        if old != new {
            changed.push((field.to_string(), old.clone(), new.clone()));
        }
    }
    let keys = |v: &serde_json::Value| v.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
    let mut custom: Vec<String> = keys(&before.custom).into_iter().chain(keys(&after.custom)).collect();
    custom.sort_by_key(|k| (k.parse::<i64>().unwrap_or(i64::MAX), k.clone()));
    custom.dedup();
    for key in custom {
        let (old, new) = (custom_text(&before.custom, &key), custom_text(&after.custom, &key));
        if old != new {
            changed.push((format!("custom:{key}"), old, new));
        }
    }
    changed
}

/// Saves a contact's new values and records one change per field that differs; gives
/// how many differed (none: nothing is written).
pub fn update_contact(conn: &Connection, before: &Contact, f: &ContactFields, by: ChangedBy) -> DbResult<usize> {
    let changed = differences(before, f);
    if changed.is_empty() {
        return Ok(0);
    }
    let now = now_ms();
    conn.execute(
        "UPDATE contacts SET name = ?2, email = ?3, phone = ?4, custom = ?5, updated_at = ?6 WHERE id = ?1",
        params![before.id, f.name, f.email, f.phone, f.custom.to_string(), now],
    )?;
    for (field, old, new) in &changed {
        record_change(conn, before.id, by, now, field, old, new)?;
    }
    super::webhooks::emit(conn, super::webhooks::Change::ContactUpdated(before.id))?;
    Ok(changed.len())
}

/// One entry of a contact's history ("Alterações"), with the names of who made it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ContactChange {
    pub at: i64,
    pub actor_name: Option<String>,
    pub channel_name: Option<String>,
    /// As in `contact_changes.field`: '' for the creation.
    pub field: String,
    pub old_value: String,
    pub new_value: String,
}

/// The catalogue key of a built-in field's label in the history of changes (`name`,
/// `email`, `phone`); `None` for the creation ('') and custom fields.
pub fn change_label_key(field: &str) -> Option<&'static str> {
    match field {
        "name" => Some("field-name"),
        "email" => Some("field-email"),
        "phone" => Some("contacts-field-whatsapp"),
        _ => None,
    }
}

/// The latest changes of a contact, newest first.
pub fn changes_of(conn: &Connection, contact_id: i64, limit: i64) -> DbResult<Vec<ContactChange>> {
    let mut stmt = conn.prepare(
        "SELECT x.at, COALESCE(u.name, t.name), ch.name, x.field, x.old_value, x.new_value
         FROM contact_changes x LEFT JOIN users u ON u.id = x.actor_id LEFT JOIN channels ch ON ch.id = x.channel_id
         LEFT JOIN api_tokens t ON t.id = x.api_token_id
         WHERE x.contact_id = ?1 ORDER BY x.id DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![contact_id, limit], |r| {
            Ok(ContactChange {
                at: r.get(0)?,
                actor_name: r.get(1)?,
                channel_name: r.get(2)?,
                field: r.get(3)?,
                old_value: r.get(4)?,
                new_value: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Another contact with one of these phone forms (the 9th-digit forms of one number).
pub fn contact_with_phone(conn: &Connection, forms: &[String], except: Option<i64>) -> DbResult<Option<Contact>> {
    for form in forms.iter().filter(|f| !f.is_empty()) {
        let found = conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM contacts WHERE phone = ?1 AND id IS NOT ?2 ORDER BY id LIMIT 1"),
                params![form, except],
                from_row,
            )
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// A conversation as the contact page and the history list it.
#[derive(Debug, Clone, Serialize)]
pub struct ContactConversation {
    pub conversation: super::conversations::Conversation,
    pub contact_name: String,
    pub channel_kind: String,
    pub channel_name: String,
    pub team_name: Option<String>,
    pub agent_name: Option<String>,
}

/// The tables a conversation row is read from: `c` conversations, `k` contacts, `ch`
/// channels, `t` teams, `u` the agent.
pub(crate) const CONVERSATION_TABLES: &str = "conversations c JOIN contacts k ON k.id = c.contact_id
     JOIN channels ch ON ch.id = c.channel_id LEFT JOIN teams t ON t.id = c.team_id LEFT JOIN users u ON u.id = c.agent_id";

/// Conversations with their names, `filter` (and its order and limits) on the tables
/// of `CONVERSATION_TABLES`.
pub(crate) fn conversation_rows(
    conn: &Connection,
    filter: &str,
    args: impl rusqlite::Params,
) -> DbResult<Vec<ContactConversation>> {
    let columns = super::conversations::COLUMNS.split(", ").map(|c| format!("c.{c}")).collect::<Vec<_>>().join(", ");
    let mut stmt = conn.prepare(&format!(
        "SELECT {columns}, k.name, ch.kind, ch.name, t.name, u.name FROM {CONVERSATION_TABLES} WHERE {filter}"
    ))?;
    let rows = stmt
        .query_map(args, |r| {
            Ok(ContactConversation {
                conversation: super::conversations::from_row(r)?,
                contact_name: r.get(14)?,
                channel_kind: r.get(15)?,
                channel_name: r.get(16)?,
                team_name: r.get(17)?,
                agent_name: r.get(18)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The contact's open conversations on every channel (F-AG-16).
pub fn open_conversations_of(conn: &Connection, contact_id: i64) -> DbResult<Vec<ContactConversation>> {
    conversation_rows(
        conn,
        "c.contact_id = ?1 AND c.status != 'closed' ORDER BY c.opened_at DESC, c.id DESC",
        [contact_id],
    )
}

/// The contact's conversations closed since `since` (ms), newest first (F-AG-15).
pub fn closed_conversations_of(conn: &Connection, contact_id: i64, since: i64) -> DbResult<Vec<ContactConversation>> {
    conversation_rows(
        conn,
        "c.contact_id = ?1 AND c.status = 'closed' AND c.closed_at >= ?2 ORDER BY c.closed_at DESC, c.id DESC LIMIT 500",
        params![contact_id, since],
    )
}

/// One conversation with its channel, team and agent names.
pub fn contact_conversation(conn: &Connection, conversation_id: i64) -> DbResult<Option<ContactConversation>> {
    Ok(conversation_rows(conn, "c.id = ?1", [conversation_id])?.into_iter().next())
}

/// An FTS5 query from what the user typed: each word becomes a quoted string (so no
/// word is read as FTS syntax: `OR`, `NEAR`, `*`, `-`, `:` …), all of them required.
/// `None` when nothing searchable was typed.
pub fn fts_query(typed: &str) -> Option<String> {
    let words: Vec<String> = typed
        .split_whitespace()
        .map(|w| w.chars().filter(|c| *c != '"' && !c.is_control()).collect::<String>())
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .take(10)
        .map(|w| format!("\"{w}\""))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The filter "Mensagens contendo" over `c` (the conversations), for the search's
/// query as an argument: the conversations are found in the index itself.
pub const CONTAINING: &str = " AND c.id IN (SELECT conversation_id FROM message_search WHERE message_search MATCH ?)";

/// The same filter for a query that reads the conversations in another index's order:
/// `+c.id` keeps the planner from starting at the matches (and then sorting them all).
pub const CONTAINING_UNINDEXED: &str =
    " AND +c.id IN (SELECT conversation_id FROM message_search WHERE message_search MATCH ?)";

/// A message found by "Mensagens contendo".
#[derive(Debug, Clone, Serialize)]
pub struct MessageHit {
    pub message_id: i64,
    pub conversation_id: i64,
    pub direction: String,
    pub created_at: i64,
    pub snippet: Vec<ExcerptPart>,
}

/// The newest message matching an FTS query made by `fts_query` (system events are not
/// in the index) in each of `conversations`, with its excerpt — one query for a page of
/// rows, and only their messages read.
pub fn latest_hits(conn: &Connection, query: &str, conversations: &[i64]) -> DbResult<HashMap<i64, MessageHit>> {
    let mut found = HashMap::new();
    if conversations.is_empty() {
        return Ok(found);
    }
    let ids = serde_json::to_string(conversations).unwrap_or_default();
    let mut stmt = conn.prepare_cached(
        "SELECT m.conversation_id, m.id, m.direction, m.created_at, m.body FROM messages m
         WHERE m.id IN (SELECT max(rowid) FROM message_search
                        WHERE message_search MATCH ?1 AND conversation_id IN (SELECT value FROM json_each(?2))
                        GROUP BY conversation_id)",
    )?;
    let rows = stmt.query_map(params![query, ids], |r| {
        Ok(MessageHit {
            conversation_id: r.get(0)?,
            message_id: r.get(1)?,
            direction: r.get(2)?,
            created_at: r.get(3)?,
            snippet: excerpt(&r.get::<_, String>(4)?, query, EXCERPT_WORDS),
        })
    })?;
    for hit in rows {
        let hit = hit?;
        found.insert(hit.conversation_id, hit);
    }
    Ok(found)
}

/// How many words a hit's excerpt shows.
const EXCERPT_WORDS: usize = 16;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_words_are_quoted_never_syntax() {
        assert_eq!(fts_query("acao"), Some("\"acao\"".into()));
        assert_eq!(fts_query("  boleto  OR  \"pix\" "), Some("\"boleto\" \"OR\" \"pix\"".into()));
        assert_eq!(fts_query("NEAR(a b) body:x*"), Some("\"NEAR(a\" \"b)\" \"body:x*\"".into()));
        assert_eq!(fts_query(" \" - * "), None);
        assert_eq!(fts_query(""), None);
    }

    #[test]
    fn differences_are_the_fields_that_changed() {
        let before = Contact {
            id: 1,
            name: "Ana".into(),
            email: "ana@x.com".into(),
            phone: String::new(),
            custom: serde_json::json!({"7": "Ouro", "10": "a"}),
            created_at: 0,
        };
        let same = ContactFields {
            name: "Ana".into(),
            email: "ana@x.com".into(),
            phone: String::new(),
            custom: serde_json::json!({"10": "a", "7": "Ouro"}),
        };
        assert!(differences(&before, &same).is_empty());
        let after = ContactFields {
            name: "Ana Souza".into(),
            phone: "5511987654321".into(),
            custom: serde_json::json!({"7": "Prata", "8": "novo"}),
            ..same
        };
        let d = |f: &str, o: &str, n: &str| (f.to_string(), o.to_string(), n.to_string());
        assert_eq!(
            differences(&before, &after),
            vec![
                d("name", "Ana", "Ana Souza"),
                d("phone", "", "5511987654321"),
                d("custom:7", "Ouro", "Prata"),
                d("custom:8", "", "novo"),
                d("custom:10", "a", ""),
            ]
        );
    }

    #[test]
    fn search_finds_words_without_accents_and_survives_syntax() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::Db::open(&dir.path().join("t.db")).unwrap();
        db.write_now(|tx| {
            tx.execute_batch(
                "INSERT INTO channels (id, kind, name, key, created_at) VALUES (1, 'webchat', 'Site', 'k', 0);
                 INSERT INTO contacts (id, name, created_at, updated_at) VALUES (1, 'Ana', 0, 0);
                 INSERT INTO conversations (id, protocol, channel_id, contact_id, status, opened_at, queued_at, last_message_at)
                   VALUES (1, 'WC1', 1, 1, 'closed', 0, 0, 0);
                 INSERT INTO messages (conversation_id, channel_id, direction, body, created_at)
                   VALUES (1, 1, 'in', 'Quero saber da Ação de <script> hoje', 0);",
            )?;
            Ok(())
        })
        .unwrap();
        let query = fts_query("acao").unwrap();
        let hits = db.read_now(|c| latest_hits(c, &query, &[1, 2])).unwrap();
        let hit = hits.get(&1).expect("found without the accents");
        assert_eq!(hits.len(), 1, "only conversations that hold the words");
        assert!(hit.snippet.iter().any(|p| p.mark && p.text == "Ação"));
        assert!(db.read_now(|c| latest_hits(c, &fts_query("boleto").unwrap(), &[1])).unwrap().is_empty());
        for typed in ["\"", "a OR", "NEAR(", "x*", "body:", "-a", "(", "^"] {
            if let Some(q) = fts_query(typed) {
                db.read_now(|c| latest_hits(c, &q, &[1])).unwrap();
            }
        }
    }
}
