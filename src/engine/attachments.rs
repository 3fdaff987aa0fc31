//! Attachments (F-EN-7): stored under the data directory by content hash, limited in
//! size, typed by their bytes (never by the name or the type the sender declared), and
//! handed out only to whoever may see the conversation.

use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::access::{can_write, visible_conversation};
use super::service::Agent;
use super::{Engine, EngineError, EngineResult, Event};
use crate::db::messages::{self, Writer};
use crate::db::{conversations, data_dir, now_ms, DbError, DbResult};
use crate::domain::channel_kind::ChannelKind;

/// Largest attachment accepted (16 MiB).
pub const MAX_ATTACHMENT_BYTES: usize = 16 * 1024 * 1024;

/// Everything not recognised below: stored as is, always downloaded.
pub const OCTET_STREAM: &str = "application/octet-stream";

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Attachment {
    pub id: i64,
    pub conversation_id: i64,
    pub sha256: String,
    pub size: i64,
    pub content_type: String,
    pub file_name: String,
    pub created_at: i64,
}

const OFFICE_TYPES: [&str; 6] = [
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
];

/// The content type of the bytes. `declared` only chooses between kinds the bytes
/// cannot tell apart (an MP4 or WebM of sound or of video; which office format a ZIP
/// is; whether UTF-8 text is plain text); it never makes unknown bytes renderable.
pub fn sniff(bytes: &[u8], declared: &str) -> &'static str {
    let declared = declared.trim().to_ascii_lowercase();
    let declared = declared.split(';').next().unwrap_or("").trim().to_string();
    let audio = declared.starts_with("audio/");
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        "image/gif"
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        "image/webp"
    } else if bytes.starts_with(b"%PDF-") {
        "application/pdf"
    } else if bytes.starts_with(b"OggS") {
        "audio/ogg"
    } else if bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        if audio {
            "audio/webm"
        } else {
            "video/webm"
        }
    } else if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        if audio || &bytes[8..11] == b"M4A" {
            "audio/mp4"
        } else {
            "video/mp4"
        }
    } else if bytes.starts_with(b"ID3") || (bytes.len() >= 2 && bytes[0] == 0xFF && (bytes[1] & 0xE0) == 0xE0) {
        "audio/mpeg"
    } else if bytes.starts_with(b"PK\x03\x04") {
        OFFICE_TYPES.iter().find(|t| **t == declared).copied().unwrap_or(OCTET_STREAM)
    } else if declared == "text/plain" && !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok() {
        "text/plain; charset=utf-8"
    } else {
        OCTET_STREAM
    }
}

/// Whether a browser may show this type in place (images, PDF, sound, video); every
/// other type is downloaded.
pub fn shown_inline(content_type: &str) -> bool {
    matches!(content_type, "image/png" | "image/jpeg" | "image/gif" | "image/webp" | "application/pdf")
        || content_type.starts_with("audio/")
        || content_type.starts_with("video/")
}

/// What a file name loses: what a one-line field loses, and line separators.
fn invisible(c: char) -> bool {
    crate::domain::text::is_invisible(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// The name kept for a file whose own name is empty once cleaned. It is stored, then read
/// in every language (by agents, by the customer, as a download name), so it is no word.
pub const NAMELESS_FILE: &str = "_";

/// The sender's file name made harmless to show and to offer as a download name: no
/// directories, no "..", no leading dots, no control, zero-width or direction-changing
/// characters, at most 120 characters; `NAMELESS_FILE` when nothing is left.
pub fn neutralise_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last.chars().filter(|c| !invisible(*c)).collect();
    let mut cleaned = cleaned.replace("..", "");
    cleaned = cleaned.trim().trim_start_matches('.').trim().to_string();
    let cleaned: String = cleaned.chars().take(120).collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() {
        NAMELESS_FILE.into()
    } else {
        cleaned
    }
}

/// `Content-Disposition` for a stored attachment: inline only for the types a browser
/// shows safely, the name as RFC 5987 UTF-8.
pub fn content_disposition(content_type: &str, file_name: &str) -> String {
    let kind = if shown_inline(content_type) { "inline" } else { "attachment" };
    let encoded: String = file_name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("{kind}; filename*=UTF-8''{encoded}")
}

/// Where an attachment with this hash lives under the data directory.
pub fn stored_path(data_dir: &Path, sha256: &str) -> PathBuf {
    let prefix = sha256.get(..2).unwrap_or("00");
    data_dir.join("attachments").join(prefix).join(sha256)
}

/// Writes the bytes once under their hash; a crash never leaves half a file in place.
fn write_content(data_dir: &Path, sha256: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = stored_path(data_dir, sha256);
    if path.exists() {
        return Ok(());
    }
    let folder = path.parent().unwrap_or(data_dir);
    std::fs::create_dir_all(folder)?;
    let temporary = folder.join(format!(".{sha256}.{}.part", crate::accounts::credentials::random_token()));
    let result = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, &path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

const COLUMNS: &str = "id, conversation_id, sha256, size, content_type, file_name, created_at";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Attachment> {
    Ok(Attachment {
        id: r.get(0)?,
        conversation_id: r.get(1)?,
        sha256: r.get(2)?,
        size: r.get(3)?,
        content_type: r.get(4)?,
        file_name: r.get(5)?,
        created_at: r.get(6)?,
    })
}

pub fn attachment_by_id(conn: &Connection, id: i64) -> DbResult<Option<Attachment>> {
    Ok(conn.query_row(&format!("SELECT {COLUMNS} FROM attachments WHERE id = ?1"), [id], from_row).optional()?)
}

/// The attachments of a conversation, in order.
pub fn attachments_of_conversation(conn: &Connection, conversation_id: i64) -> DbResult<Vec<Attachment>> {
    let mut stmt =
        conn.prepare(&format!("SELECT {COLUMNS} FROM attachments WHERE conversation_id = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([conversation_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A file checked, hashed and typed, ready to be written and recorded.
pub(crate) struct Prepared {
    sha256: String,
    content_type: &'static str,
    file_name: String,
    bytes: Vec<u8>,
}

pub(crate) fn prepare(file_name: &str, declared_type: &str, bytes: Vec<u8>) -> EngineResult<Prepared> {
    if bytes.is_empty() {
        return Err(EngineError::Invalid("contacts-attachment-empty"));
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(EngineError::Invalid("contacts-attachment-too-large"));
    }
    Ok(Prepared {
        sha256: hex::encode(Sha256::digest(&bytes)),
        content_type: sniff(&bytes, declared_type),
        file_name: neutralise_file_name(file_name),
        bytes,
    })
}

/// Records a file already written for the conversation (inside the write transaction;
/// the bytes went to disk before it, see `Engine::prepare_files`).
pub(crate) fn record(tx: &Connection, conversation_id: i64, p: &Prepared) -> EngineResult<i64> {
    tx.prepare_cached(
        "INSERT INTO attachments (conversation_id, sha256, size, content_type, file_name, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![conversation_id, p.sha256, p.bytes.len() as i64, p.content_type, p.file_name, now_ms()])?;
    Ok(tx.last_insert_rowid())
}

impl Engine {
    /// Checks, hashes, types and writes files under the data directory, on a blocking
    /// thread and before any write transaction, so no file work ever happens under the
    /// database's write lock. A file written for a transaction that then fails stays
    /// as an unreferenced blob; the same bytes later find it in place.
    pub(crate) async fn prepare_files(&self, files: Vec<(String, String, Vec<u8>)>) -> EngineResult<Vec<Prepared>> {
        if files.is_empty() {
            return Ok(Vec::new());
        }
        let dir = self.db.dir().to_path_buf();
        rocket::tokio::task::spawn_blocking(move || {
            let mut prepared = Vec::with_capacity(files.len());
            for (name, declared, bytes) in files {
                let p = prepare(&name, &declared, bytes)?;
                write_content(&dir, &p.sha256, &p.bytes).map_err(DbError::from)?;
                prepared.push(p);
            }
            Ok(prepared)
        })
        .await
        .map_err(|e| EngineError::Db(DbError::from(std::io::Error::other(e.to_string()))))?
    }

    async fn prepare_file(&self, file_name: &str, declared_type: &str, bytes: Vec<u8>) -> EngineResult<Prepared> {
        let mut files = self.prepare_files(vec![(file_name.into(), declared_type.into(), bytes)]).await?;
        Ok(files.remove(0))
    }
}

impl Engine {
    /// Stores a file of a conversation (from a contact or an agent) and gives its id.
    /// Larger than `MAX_ATTACHMENT_BYTES` is refused.
    pub async fn store_attachment(
        &self,
        conversation_id: i64,
        file_name: &str,
        declared_type: &str,
        bytes: Vec<u8>,
    ) -> EngineResult<i64> {
        let prepared = self.prepare_file(file_name, declared_type, bytes).await?;
        self.write(move |tx| {
            conversations::conversation_by_id(tx, conversation_id)?.ok_or(EngineError::NotFound)?;
            record(tx, conversation_id, &prepared)
        })
        .await
    }

    /// An agent sends a file to the contact: stored, then an outbound message that
    /// carries it, queued for the channel like `reply`. Only the agent holding the
    /// conversation (or an invited colleague) may.
    pub async fn send_attachment(
        &self,
        agent: &Agent,
        conversation_id: i64,
        file_name: &str,
        declared_type: &str,
        bytes: Vec<u8>,
    ) -> EngineResult<(i64, i64)> {
        let prepared = self.prepare_file(file_name, declared_type, bytes).await?;
        let agent = agent.clone();
        let (ids, event) = self
            .write(move |tx| {
                let c = super::service::load_for(tx, &agent, conversation_id)?;
                if c.status == "closed" {
                    return Err(EngineError::Closed);
                }
                if !can_write(tx, agent.user_id, &c)? {
                    return Err(EngineError::Forbidden);
                }
                super::window::require_open(tx, &c)?;
                let attachment_id = record(tx, conversation_id, &prepared)?;
                let message_id =
                    super::service::queue_from_agent(tx, &c, Writer::person(agent.user_id), "", Some(attachment_id))?;
                let event = Event::Conversation { conversation_id, team_id: c.team_id, agent_id: c.agent_id };
                Ok(((attachment_id, message_id), event))
            })
            .await?;
        self.events.publish(event);
        Ok(ids)
    }

    /// An attachment for a signed-in user, with the path of its bytes. An attachment
    /// of a conversation the user may not see is `NotFound`, like a missing one, so
    /// ids cannot be probed.
    pub async fn attachment_for_user(
        &self,
        user_id: i64,
        supervisor: bool,
        id: i64,
    ) -> EngineResult<(Attachment, PathBuf)> {
        self.db
            .read(move |conn| {
                let Some(a) = attachment_by_id(conn, id)? else { return Ok(None) };
                if visible_conversation(conn, user_id, supervisor, a.conversation_id)?.is_none() {
                    return Ok(None);
                }
                let path = stored_path(&data_dir(conn)?, &a.sha256);
                Ok(Some((a, path)))
            })
            .await?
            .ok_or(EngineError::NotFound)
    }

    /// An attachment for the web chat visitor whose conversation holds it: the
    /// conversation's contact must be known on that channel as `visitor:` + the
    /// SHA-256 of the visitor's token.
    pub async fn attachment_for_visitor(
        &self,
        channel_key: &str,
        token: &str,
        id: i64,
    ) -> EngineResult<(Attachment, PathBuf)> {
        let (channel_key, identity) =
            (channel_key.to_string(), format!("visitor:{}", crate::accounts::credentials::token_hash(token)));
        self.db
            .read(move |conn| {
                let Some(a) = attachment_by_id(conn, id)? else { return Ok(None) };
                let owned: bool = conn.query_row(
                    "SELECT EXISTS (SELECT 1 FROM conversations c
                       JOIN channels ch ON ch.id = c.channel_id
                       JOIN contact_identities i ON i.channel_id = c.channel_id AND i.contact_id = c.contact_id
                     WHERE c.id = ?1 AND ch.kind = ?4 AND ch.key = ?2 AND i.external_id = ?3)",
                    params![a.conversation_id, channel_key, identity, ChannelKind::WebChat],
                    |r| r.get(0),
                )?;
                if !owned {
                    return Ok(None);
                }
                let path = stored_path(&data_dir(conn)?, &a.sha256);
                Ok(Some((a, path)))
            })
            .await?
            .ok_or(EngineError::NotFound)
    }
}

impl Engine {
    /// A contact's file that came after its message (a download that failed at first):
    /// the message gets it and no longer waits for it.
    pub async fn attach_to_inbound(
        &self,
        message_id: i64,
        file_name: &str,
        declared_type: &str,
        bytes: Vec<u8>,
    ) -> EngineResult<i64> {
        let prepared = self.prepare_file(file_name, declared_type, bytes).await?;
        let (attachment_id, event) = self
            .write(move |tx| {
                let m = messages::message_by_id(tx, message_id)?
                    .filter(|m| m.direction == "in")
                    .ok_or(EngineError::NotFound)?;
                let c = conversations::conversation_by_id(tx, m.conversation_id)?.ok_or(EngineError::NotFound)?;
                let attachment_id = record(tx, c.id, &prepared)?;
                messages::set_attachment(tx, message_id, attachment_id)?;
                crate::db::channel_state::media_settled(tx, message_id)?;
                Ok((
                    attachment_id,
                    Event::Conversation { conversation_id: c.id, team_id: c.team_id, agent_id: c.agent_id },
                ))
            })
            .await?;
        self.events.publish(event);
        Ok(attachment_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_neutralised() {
        assert_eq!(neutralise_file_name("../../etc/passwd"), "passwd");
        assert_eq!(neutralise_file_name("C:\\Users\\ana\\relatório.pdf"), "relatório.pdf");
        assert_eq!(neutralise_file_name(".htaccess"), "htaccess");
        assert_eq!(neutralise_file_name("..."), "_");
        assert_eq!(neutralise_file_name(""), "_");
        assert_eq!(neutralise_file_name("a..b.txt"), "ab.txt");
        assert_eq!(neutralise_file_name("fatura\u{202E}fdp.exe"), "faturafdp.exe");
        assert_eq!(neutralise_file_name("a\u{200B}b\u{FEFF}c\u{2066}d.png"), "abcd.png");
        assert_eq!(neutralise_file_name("linha\r\nnova\0.txt"), "linhanova.txt");
        assert_eq!(neutralise_file_name(&"x".repeat(300)).chars().count(), 120);
        assert_eq!(neutralise_file_name("foto da loja.png"), "foto da loja.png");
    }

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest", "text/html"), "image/png");
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0], ""), "image/jpeg");
        assert_eq!(sniff(b"GIF89a....", ""), "image/gif");
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 ", ""), "image/webp");
        assert_eq!(sniff(b"%PDF-1.7", ""), "application/pdf");
        assert_eq!(sniff(b"OggS\0\x02", ""), "audio/ogg");
        assert_eq!(sniff(&[0x1A, 0x45, 0xDF, 0xA3, 1], "audio/webm"), "audio/webm");
        assert_eq!(sniff(&[0x1A, 0x45, 0xDF, 0xA3, 1], "video/webm"), "video/webm");
        assert_eq!(sniff(b"\0\0\0\x20ftypisom\0\0", "video/mp4"), "video/mp4");
        assert_eq!(sniff(b"\0\0\0\x20ftypM4A \0\0", ""), "audio/mp4");
        assert_eq!(sniff(b"ID3\x04\0", ""), "audio/mpeg");
        assert_eq!(sniff(b"ola, mundo", "text/plain"), "text/plain; charset=utf-8");
        assert_eq!(sniff(b"PK\x03\x04....", OFFICE_TYPES[0]), OFFICE_TYPES[0]);
        assert_eq!(sniff(b"PK\x03\x04....", "application/zip"), OCTET_STREAM);
        // What a browser would run or render is never typed as such.
        assert_eq!(sniff(b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", "image/svg+xml"), OCTET_STREAM);
        assert_eq!(sniff(b"<html><script>alert(1)</script>", "text/html"), OCTET_STREAM);
        assert_eq!(sniff(b"alert(1)", "application/javascript"), OCTET_STREAM);
        assert_eq!(sniff(b"<html>", "image/png"), OCTET_STREAM);
    }

    #[test]
    fn only_safe_kinds_show_inline() {
        assert!(shown_inline("image/png"));
        assert!(shown_inline("application/pdf"));
        assert!(shown_inline("audio/ogg"));
        assert!(!shown_inline(OCTET_STREAM));
        assert!(!shown_inline("text/plain; charset=utf-8"));
        assert_eq!(content_disposition("image/png", "foto 1.png"), "inline; filename*=UTF-8''foto%201.png");
        assert_eq!(
            content_disposition(OCTET_STREAM, "ação\".svg"),
            "attachment; filename*=UTF-8''a%C3%A7%C3%A3o%22.svg"
        );
    }

    #[test]
    fn files_live_under_their_hash() {
        let p = stored_path(Path::new("/data"), "abcdef");
        assert_eq!(p, PathBuf::from("/data/attachments/ab/abcdef"));
    }
}
