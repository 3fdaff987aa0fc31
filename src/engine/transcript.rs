//! The full transcript of a closed or open conversation, as its page shows it: the
//! conversation with its contact, every message (internal comments too) with its file,
//! and what was recorded when it closed.

use std::collections::HashMap;

use rusqlite::Connection;
use serde::Serialize;

use super::access::can_view;
use super::attachments::{attachments_of_conversation, Attachment};
use crate::db::contacts::{self, Contact, ContactConversation};
use crate::db::conversations::{self, ConversationRecord};
use crate::db::messages::{self, Message};
use crate::db::DbResult;

/// The system events a transcript names; any other shows as `other`.
const EVENTS: [&str; 8] = ["protocol", "assigned", "closed", "pending", "invited", "transferred", "overflow", "linked"];

#[derive(Debug, Serialize)]
pub struct Transcript {
    pub row: ContactConversation,
    pub contact: Option<Contact>,
    pub messages: Vec<Line>,
    pub record: ConversationRecord,
}

/// One message; a system message (`kind:arg`) also as its event and argument.
#[derive(Debug, Serialize)]
pub struct Line {
    pub m: Message,
    pub event: String,
    pub arg: String,
    pub file: Option<Attachment>,
}

impl Line {
    fn of(m: Message, files: &HashMap<i64, Attachment>) -> Line {
        let (event, arg) = match m.direction.as_str() {
            "system" => {
                let (kind, arg) = m.body.split_once(':').unwrap_or((m.body.as_str(), ""));
                (if EVENTS.contains(&kind) { kind.to_string() } else { "other".into() }, arg.to_string())
            }
            _ => (String::new(), String::new()),
        };
        let file = m.attachment_id.and_then(|a| files.get(&a).cloned());
        Line { m, event, arg, file }
    }
}

/// The transcript of conversation `id` for `user_id` (`supervisor`: sees the whole
/// floor); `None` when it does not exist or the viewer may not see it, so ids cannot be
/// probed.
pub fn transcript_of(conn: &Connection, user_id: i64, supervisor: bool, id: i64) -> DbResult<Option<Transcript>> {
    let Some(row) = contacts::contact_conversation(conn, id)? else { return Ok(None) };
    if !can_view(conn, user_id, supervisor, &row.conversation)? {
        return Ok(None);
    }
    let contact = contacts::contact_by_id(conn, row.conversation.contact_id)?;
    let files: HashMap<i64, Attachment> =
        attachments_of_conversation(conn, id)?.into_iter().map(|a| (a.id, a)).collect();
    let messages = messages::of_conversation(conn, id, true)?.into_iter().map(|m| Line::of(m, &files)).collect();
    Ok(Some(Transcript { row, contact, messages, record: conversations::record_of(conn, id)? }))
}
