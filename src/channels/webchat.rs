//! The web chat channel: the settings an administrator gives it (colour, greeting,
//! pre-chat fields), the visitors who write through the widget and what they may see
//! of their conversation. The widget's HTTP side lives in `web::widget`.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::accounts::credentials::{random_token, token_hash};
use crate::db::channels::Channel;
use crate::db::contacts::{ChangedBy, ContactFields};
use crate::db::conversations::{self, Conversation};
use crate::db::paging::like_pattern;
use crate::db::{contacts, messages, DbResult};
use crate::domain::fields::{self, FieldErrors};
use crate::domain::phone;
use crate::domain::text::one_line;

pub const KIND: &str = "webchat";

/// Whether the pre-chat form asks for a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Ask {
    #[default]
    Off,
    Optional,
    Required,
}

impl Ask {
    /// What the visitor typed in a field, when the form asks for it.
    fn read(self, typed: &Option<String>) -> &str {
        match self {
            Ask::Off => "",
            _ => typed.as_deref().unwrap_or_default(),
        }
    }

    pub fn from_checkboxes(ask: bool, required: bool) -> Ask {
        match (ask || required, required) {
            (false, _) => Ask::Off,
            (true, false) => Ask::Optional,
            (true, true) => Ask::Required,
        }
    }
}

/// What `channels.config` holds for a web chat channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default = "default_color")]
    pub color: String,
    #[serde(default)]
    pub greeting: String,
    #[serde(default)]
    pub email: Ask,
    #[serde(default)]
    pub phone: Ask,
}

fn default_color() -> String {
    "#0f5fa8".into()
}

impl Default for Settings {
    fn default() -> Self {
        Settings { color: default_color(), greeting: String::new(), email: Ask::Off, phone: Ask::Off }
    }
}

impl Settings {
    pub fn of(channel: &Channel) -> Settings {
        serde_json::from_value(channel.config.clone()).unwrap_or_default()
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// `#rrggbb`, nothing else (it ends up in a stylesheet class choice and an attribute).
pub fn is_color(text: &str) -> bool {
    text.len() == 7 && text.starts_with('#') && text[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// A new public channel key: random and URL-safe (22 characters).
pub fn new_key() -> String {
    random_token().chars().take(22).collect()
}

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

/// Checks the pre-chat form with the rules of every form (`domain::fields`): the
/// first refusal, in the form's order. The widget does not pass the company's default
/// country yet, so a number typed without its country code is read as Brazilian.
pub fn validate_visitor(settings: &Settings, f: &VisitorForm) -> Result<Visitor, Refusal> {
    let mut errors = FieldErrors::new();
    let name = fields::text(&mut errors, "name", &one_line(&f.name), 80);
    let email = fields::email(&mut errors, "email", settings.email.read(&f.email), settings.email == Ask::Required);
    let (typed_phone, required) = (settings.phone.read(&f.phone), settings.phone == Ask::Required);
    let phone = fields::phone(&mut errors, "phone", typed_phone, phone::DEFAULT_COUNTRY, required);
    match ["name", "email", "phone"].into_iter().find_map(|field| Some((field, *errors.get(field)?))) {
        Some((field, key)) => Err(Refusal { field, key }),
        None => Ok(Visitor { name, email, phone }),
    }
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

/// Channels of every kind for the admin list, with search and pagination.
pub fn list_channels(conn: &Connection, search: &str, limit: i64, offset: i64) -> DbResult<(Vec<ChannelRow>, i64)> {
    let pattern = like_pattern(search);
    let total: i64 =
        conn.query_row("SELECT count(*) FROM channels WHERE name LIKE ?1 ESCAPE '\\'", [&pattern], |r| r.get(0))?;
    let mut stmt = conn.prepare(
        "SELECT c.id, c.kind, c.name, c.key, c.active, t.name
         FROM channels c LEFT JOIN teams t ON t.id = c.default_team_id
         WHERE c.name LIKE ?1 ESCAPE '\\'
         ORDER BY c.active DESC, c.name COLLATE NOCASE LIMIT ?2 OFFSET ?3",
    )?;
    let rows = stmt
        .query_map(params![pattern, limit, offset], |r| {
            Ok(ChannelRow {
                id: r.get(0)?,
                kind: r.get(1)?,
                name: r.get(2)?,
                key: r.get(3)?,
                active: r.get(4)?,
                team: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, total))
}

#[derive(Debug, Clone, Serialize)]
pub struct ChannelRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub key: String,
    pub active: bool,
    pub team: Option<String>,
}

/// Whether a channel has conversations (then it is deactivated instead of deleted).
pub fn has_conversations(conn: &Connection, channel_id: i64) -> DbResult<bool> {
    Ok(conn
        .query_row("SELECT EXISTS (SELECT 1 FROM conversations WHERE channel_id = ?1)", [channel_id], |r| r.get(0))?)
}

pub fn delete_channel(conn: &Connection, channel_id: i64) -> DbResult<()> {
    conn.execute("DELETE FROM channels WHERE id = ?1", [channel_id])?;
    Ok(())
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
        assert_eq!(validate_visitor(&s, &form(" ", None, None)).unwrap_err().field, "name");
        let v = validate_visitor(&s, &form(" Maria ", Some("ignored"), None)).unwrap();
        assert_eq!((v.name.as_str(), v.email.as_str()), ("Maria", ""));
        s.email = Ask::Required;
        s.phone = Ask::Optional;
        assert_eq!(
            validate_visitor(&s, &form("Maria", None, None)).unwrap_err(),
            Refusal { field: "email", key: "field-required" }
        );
        assert_eq!(validate_visitor(&s, &form("Maria", Some("maria@"), None)).unwrap_err().key, "email-invalid");
        assert_eq!(validate_visitor(&s, &form("Maria", Some("m@x.com"), Some("12a"))).unwrap_err().field, "phone");
        let v = validate_visitor(&s, &form("Maria", Some("m@x.com"), Some("+55 (11) 98765-4321"))).unwrap();
        assert_eq!(v.phone, "5511987654321");
    }

    #[test]
    fn keys_colours_and_identities() {
        let k = new_key();
        assert_eq!(k.len(), 22);
        assert!(k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(k, new_key());
        assert!(is_color("#0F5fa8") && !is_color("0f5fa8") && !is_color("#0f5fa") && !is_color("#zzzzzz"));
        assert!(visitor_identity("abc").starts_with("visitor:") && !visitor_identity("abc").contains("abc"));
        assert_eq!(Ask::from_checkboxes(false, true), Ask::Required);
        assert_eq!(Ask::from_checkboxes(true, false), Ask::Optional);
    }
}
