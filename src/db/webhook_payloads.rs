//! What an outgoing webhook's `data` holds, read inside the change's own transaction
//! so it is the row as the change left it (docs/webhooks.md shows each one).

use rusqlite::{Connection, OptionalExtension};
use serde_json::{json, Value};

use super::messages::{AUTHORS, AUTHOR_NAME};
use super::webhooks::Change;
use super::DbResult;

/// Unix milliseconds as RFC 3339 in UTC (`2026-12-02T04:05:06.789Z`).
pub fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn time(ms: Option<i64>) -> Value {
    ms.map_or(Value::Null, |ms| Value::from(rfc3339(ms)))
}

/// The change's conversation (if it has one) and its `data`; `None` when there is
/// nothing to tell (the row is gone, or a message is an internal note or a system line).
pub fn data(conn: &Connection, change: &Change) -> DbResult<Option<(Option<i64>, Value)>> {
    Ok(match *change {
        Change::ConversationOpened(id)
        | Change::ConversationAssigned(id)
        | Change::ConversationTransferred(id)
        | Change::ConversationClosed(id) => conversation(conn, id)?.map(|c| (Some(id), json!({ "conversation": c }))),
        Change::MessageCreated(id) => message(conn, id)?.and_then(|(conversation_id, m)| {
            let c = conversation(conn, conversation_id).ok().flatten()?;
            Some((Some(conversation_id), json!({ "message": m, "conversation": c })))
        }),
        Change::MessageStatus(id) => message(conn, id)?.map(|(conversation_id, m)| {
            let status = json!({ "id": m["id"], "conversation_id": conversation_id, "status": m["status"],
                                 "failure": m["failure"] });
            (Some(conversation_id), json!({ "message": status }))
        }),
        Change::ContactCreated(id) | Change::ContactUpdated(id) => {
            contact(conn, id)?.map(|c| (None, json!({ "contact": c })))
        }
        Change::SurveyAnswered(conversation_id) => survey(conn, conversation_id)?.and_then(|s| {
            let c = conversation(conn, conversation_id).ok().flatten()?;
            Some((Some(conversation_id), json!({ "survey": s, "conversation": c })))
        }),
    })
}

fn conversation(conn: &Connection, id: i64) -> DbResult<Option<Value>> {
    Ok(conn
        .prepare_cached(
            "SELECT c.id, c.protocol, c.status, c.subject, c.opened_at, c.closed_at,
                    ch.id, ch.kind, ch.name, t.id, t.name, u.id, u.name, c.contact_id, k.name
             FROM conversations c JOIN channels ch ON ch.id = c.channel_id
             JOIN contacts k ON k.id = c.contact_id
             LEFT JOIN teams t ON t.id = c.team_id LEFT JOIN users u ON u.id = c.agent_id
             WHERE c.id = ?1",
        )?
        .query_row([id], |r| {
            let named = |id: Option<i64>, name: Option<String>| match id {
                Some(id) => json!({ "id": id, "name": name }),
                None => Value::Null,
            };
            Ok(json!({
                "id": r.get::<_, i64>(0)?,
                "protocol": r.get::<_, String>(1)?,
                "status": r.get::<_, String>(2)?,
                "subject": r.get::<_, String>(3)?,
                "opened_at": time(r.get(4)?),
                "closed_at": time(r.get(5)?),
                "channel": { "id": r.get::<_, i64>(6)?, "kind": r.get::<_, String>(7)?, "name": r.get::<_, String>(8)? },
                "team": named(r.get(9)?, r.get(10)?),
                "agent": named(r.get(11)?, r.get(12)?),
                "contact": { "id": r.get::<_, i64>(13)?, "name": r.get::<_, String>(14)? },
            }))
        })
        .optional()?)
}

/// A message the contact wrote or was sent, with its conversation's id.
fn message(conn: &Connection, id: i64) -> DbResult<Option<(i64, Value)>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT m.id, m.conversation_id, m.direction, m.author_id, {AUTHOR_NAME}, m.body, m.status, m.failure,
                    m.created_at, a.id, a.file_name, a.content_type, a.size, m.api_token_id
             FROM messages m {AUTHORS}
             LEFT JOIN attachments a ON a.id = m.attachment_id
             WHERE m.id = ?1 AND m.direction IN ('in', 'out')"
        ))?
        .query_row([id], |r| {
            // A person, or a REST API token (which is no person: `api_token_id`).
            let author = match (r.get::<_, Option<i64>>(3)?, r.get::<_, Option<i64>>(13)?) {
                (Some(id), _) => json!({ "id": id, "name": r.get::<_, Option<String>>(4)? }),
                (None, Some(token)) => json!({ "api_token_id": token, "name": r.get::<_, Option<String>>(4)? }),
                (None, None) => Value::Null,
            };
            let attachment = match r.get::<_, Option<i64>>(9)? {
                Some(id) => json!({ "id": id, "file_name": r.get::<_, String>(10)?,
                                    "content_type": r.get::<_, String>(11)?, "size": r.get::<_, i64>(12)? }),
                None => Value::Null,
            };
            let conversation_id: i64 = r.get(1)?;
            Ok((
                conversation_id,
                json!({
                    "id": r.get::<_, i64>(0)?,
                    "conversation_id": conversation_id,
                    "direction": r.get::<_, String>(2)?,
                    "author": author,
                    "body": r.get::<_, String>(5)?,
                    "status": r.get::<_, String>(6)?,
                    "failure": r.get::<_, String>(7)?,
                    "created_at": time(r.get(8)?),
                    "attachment": attachment,
                }),
            ))
        })
        .optional()?)
}

fn contact(conn: &Connection, id: i64) -> DbResult<Option<Value>> {
    Ok(conn
        .prepare_cached("SELECT id, name, email, phone, custom, created_at, updated_at FROM contacts WHERE id = ?1")?
        .query_row([id], |r| {
            let custom: String = r.get(4)?;
            Ok(json!({
                "id": r.get::<_, i64>(0)?,
                "name": r.get::<_, String>(1)?,
                "email": r.get::<_, String>(2)?,
                "phone": r.get::<_, String>(3)?,
                "custom": serde_json::from_str::<Value>(&custom).unwrap_or(Value::Null),
                "created_at": time(r.get(5)?),
                "updated_at": time(r.get(6)?),
            }))
        })
        .optional()?)
}

fn survey(conn: &Connection, conversation_id: i64) -> DbResult<Option<Value>> {
    Ok(conn
        .prepare_cached(
            "SELECT s.score, s.comment, s.answered_at, s.agent_id, u.name FROM survey_answers s
             LEFT JOIN users u ON u.id = s.agent_id WHERE s.conversation_id = ?1",
        )?
        .query_row([conversation_id], |r| {
            let agent = match r.get::<_, Option<i64>>(3)? {
                Some(id) => json!({ "id": id, "name": r.get::<_, Option<String>>(4)? }),
                None => Value::Null,
            };
            Ok(json!({
                "conversation_id": conversation_id,
                "score": r.get::<_, i64>(0)?,
                "comment": r.get::<_, String>(1)?,
                "answered_at": time(r.get(2)?),
                "agent": agent,
            }))
        })
        .optional()?)
}
