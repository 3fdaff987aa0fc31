//! The visitors who write through the widget: who they are (a token kept in the
//! browser, stored only as its hash), the pre-chat form, and what they may see of their
//! conversation.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::settings::{Ask, Settings};
use crate::accounts::credentials::{random_token, token_hash};
use crate::db::contacts::{ChangedBy, ContactFields};
use crate::db::conversations::{self, Conversation};
use crate::db::{contacts, messages, DbResult};
use crate::domain::fields::{self, FieldErrors};
use crate::domain::text::one_line;

/// How a visitor is known on the channel: the SHA-256 of their token, never the token.
pub fn visitor_identity(token: &str) -> String {
    format!("visitor:{}", token_hash(token))
}

/// What a visitor typed in the pre-chat form, checked against the channel's settings.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct VisitorForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// A refused pre-chat form: the field and the catalogue key of the message.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub field: &'static str,
    pub key: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Visitor {
    pub name: String,
    pub email: String,
    pub phone: String,
}

pub fn validate_visitor(settings: &Settings, f: &VisitorForm, default_country: &str) -> Result<Visitor, Refusal> {
    let mut errors = FieldErrors::new();
    let name = fields::text(&mut errors, "name", &one_line(&f.name), 80);
    let email = fields::email(&mut errors, "email", settings.email.read(&f.email), settings.email == Ask::Required);
    let (typed_phone, required) = (settings.phone.read(&f.phone), settings.phone == Ask::Required);
    let phone = fields::phone(&mut errors, "phone", typed_phone, default_country, required);
    match ["name", "email", "phone"].into_iter().find_map(|field| Some((field, *errors.get(field)?))) {
        Some((field, key)) => Err(Refusal { field, key }),
        None => Ok(Visitor { name, email, phone }),
    }
}

/// Creates the contact of a new visitor (one transaction) and returns the token the
/// widget keeps.
pub async fn register(db: &crate::db::Db, channel_id: i64, v: Visitor) -> DbResult<String> {
    db.write(move |tx| register_visitor(tx, channel_id, &v)).await
}

/// Creates the contact of a new visitor and returns the token the widget keeps.
pub fn register_visitor(conn: &Connection, channel_id: i64, v: &Visitor) -> DbResult<String> {
    let token = random_token();
    let fields = ContactFields {
        name: v.name.clone(),
        email: v.email.clone(),
        phone: v.phone.clone(),
        custom: serde_json::json!({}),
    };
    let contact = contacts::insert_contact(conn, &fields, ChangedBy::Channel(channel_id))?;
    contacts::insert_identity(conn, channel_id, &visitor_identity(&token), contact)?;
    Ok(token)
}

/// The visitor's conversation on the channel: the open one, else the last one.
pub fn current_conversation(conn: &Connection, channel_id: i64, contact_id: i64) -> DbResult<Option<Conversation>> {
    if let Some(open) = conversations::open_conversation(conn, contact_id, channel_id)? {
        return Ok(Some(open));
    }
    Ok(conn
        .query_row(
            &format!(
                "SELECT {} FROM conversations WHERE contact_id = ?1 AND channel_id = ?2 ORDER BY opened_at DESC, id DESC LIMIT 1",
                conversations::COLUMNS
            ),
            params![contact_id, channel_id],
            conversations::from_row,
        )
        .optional()?)
}

/// A message as the visitor sees it: no internal comments or system events, and only
/// the display name of the agent.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct VisitorMessage {
    pub id: i64,
    pub direction: String,
    pub body: String,
    pub author: Option<String>,
    pub status: String,
    pub created_at: i64,
    /// A file the message carries: `GET /webchat/<key>/attachments/<id>?token=…`.
    pub attachment_id: Option<i64>,
    /// Its (neutralised) name, for the link.
    pub file_name: Option<String>,
}

impl From<messages::Message> for VisitorMessage {
    fn from(m: messages::Message) -> Self {
        let inbound = m.direction == "in";
        VisitorMessage {
            id: m.id,
            direction: m.direction,
            body: m.body,
            author: if inbound { None } else { m.author_name },
            status: if inbound { "received".into() } else { m.status },
            created_at: m.created_at,
            attachment_id: m.attachment_id,
            file_name: None,
        }
    }
}

pub fn visitor_messages(conn: &Connection, conversation_id: i64) -> DbResult<Vec<VisitorMessage>> {
    messages::of_conversation(conn, conversation_id, false)?.into_iter().map(|m| with_file_name(conn, m)).collect()
}

/// One message as the visitor sees it (the answer to what they just sent).
pub fn visitor_message(conn: &Connection, message_id: i64) -> DbResult<Option<VisitorMessage>> {
    messages::message_by_id(conn, message_id)?.map(|m| with_file_name(conn, m)).transpose()
}

fn with_file_name(conn: &Connection, m: messages::Message) -> DbResult<VisitorMessage> {
    let conversation_id = m.conversation_id;
    let mut v = VisitorMessage::from(m);
    if let Some(id) = v.attachment_id {
        let mut names =
            conn.prepare_cached("SELECT file_name FROM attachments WHERE id = ?1 AND conversation_id = ?2")?;
        v.file_name = names.query_row(params![id, conversation_id], |r| r.get(0)).optional()?;
    }
    Ok(v)
}

/// Whether a conversation belongs to the visitor (for their live stream).
pub fn belongs_to(conn: &Connection, conversation_id: i64, channel_id: i64, contact_id: i64) -> DbResult<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM conversations WHERE id = ?1 AND channel_id = ?2 AND contact_id = ?3",
            params![conversation_id, channel_id, contact_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, email: Option<&str>, phone: Option<&str>) -> VisitorForm {
        VisitorForm { name: name.into(), email: email.map(String::from), phone: phone.map(String::from) }
    }

    #[test]
    fn pre_chat_follows_the_channel_settings() {
        let mut s = Settings::default();
        assert_eq!(validate_visitor(&s, &form(" ", None, None), "BR").unwrap_err().field, "name");
        let v = validate_visitor(&s, &form(" Maria ", Some("ignored"), None), "BR").unwrap();
        assert_eq!((v.name.as_str(), v.email.as_str()), ("Maria", ""));
        s.email = Ask::Required;
        s.phone = Ask::Optional;
        assert_eq!(
            validate_visitor(&s, &form("Maria", None, None), "BR").unwrap_err(),
            Refusal { field: "email", key: "field-required" }
        );
        assert_eq!(validate_visitor(&s, &form("Maria", Some("maria@"), None), "BR").unwrap_err().key, "email-invalid");
        assert_eq!(
            validate_visitor(&s, &form("Maria", Some("m@x.com"), Some("12a")), "BR").unwrap_err().field,
            "phone"
        );
        let v = validate_visitor(&s, &form("Maria", Some("m@x.com"), Some("+55 (11) 98765-4321")), "BR").unwrap();
        assert_eq!(v.phone, "5511987654321");
        // A local number is read in the company's own default country.
        let v = validate_visitor(&s, &form("Maria", Some("m@x.com"), Some("912 345 678")), "PT").unwrap();
        assert_eq!(v.phone, "351912345678");
    }

    #[test]
    fn identities_hide_the_token() {
        assert!(visitor_identity("abc").starts_with("visitor:") && !visitor_identity("abc").contains("abc"));
    }
}
