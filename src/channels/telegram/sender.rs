//! Sending: `sendMessage` for text, split at Telegram's 4,096 characters (on whitespace
//! when it can), and `sendPhoto`/`sendVoice`/`sendDocument` for a file, with the text
//! as its caption when it fits in 1,024 characters, else after it.
//!
//! A message of several parts may fail halfway (a 429 on the second part). The parts
//! already taken are remembered, so the outbox's next attempt goes on from there and
//! no part reaches the customer twice (while the server runs; a crash between two
//! parts sends the message again, as any send the outbox did not see finish).

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};

use serde_json::json;

use super::api::{words, Api, Failure, Upload};
use super::settings::Settings;
use crate::channels::{Delivery, Outgoing, OutgoingFile, Sender};
use crate::domain::channel_kind::ChannelKind;

/// The largest file a bot may send, and the largest photo (larger ones go as documents).
const UPLOAD_LIMIT: i64 = 50 * 1024 * 1024;
const PHOTO_LIMIT: i64 = 10 * 1024 * 1024;

/// (API address, chat, message id) → how many of the message's parts Telegram has
/// taken, and the last one's id.
type Progress = HashMap<(String, i64, i64), (usize, String)>;
static TAKEN: LazyLock<Mutex<Progress>> = LazyLock::new(Default::default);

fn progress() -> std::sync::MutexGuard<'static, Progress> {
    TAKEN.lock().unwrap_or_else(PoisonError::into_inner)
}

pub struct TelegramSender {
    api: Api,
}

impl TelegramSender {
    pub fn new(settings: &Settings) -> TelegramSender {
        TelegramSender { api: Api::new(settings, settings.request_timeout()) }
    }
}

/// One call a message needs.
enum Part<'a> {
    Text(String),
    File { file: &'a OutgoingFile, caption: String },
}

/// `text` cut into pieces of at most `limit` characters, at the last whitespace before
/// the limit when there is one (a word longer than the limit is cut where it must be).
pub fn split(text: &str, limit: usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let Some((cut, _)) = rest.char_indices().nth(limit) else {
            parts.push(rest.to_string());
            break;
        };
        let head = &rest[..cut];
        let at = head.rfind(char::is_whitespace).filter(|&i| i > 0).unwrap_or(cut);
        parts.push(rest[..at].trim_end().to_string());
        rest = rest[at..].trim_start();
    }
    parts
}

fn parts(message: &Outgoing) -> Vec<Part<'_>> {
    let kind = ChannelKind::Telegram;
    let (text_limit, caption_limit) = (kind.text_limit().unwrap_or(4096), kind.caption_limit().unwrap_or(1024));
    let body = message.body.trim();
    match &message.attachment {
        Some(file) if body.chars().count() <= caption_limit => vec![Part::File { file, caption: body.to_string() }],
        Some(file) => std::iter::once(Part::File { file, caption: String::new() })
            .chain(split(body, text_limit).into_iter().map(Part::Text))
            .collect(),
        None => split(body, text_limit).into_iter().map(Part::Text).collect(),
    }
}

impl TelegramSender {
    fn send_part(&self, chat_id: i64, part: &Part) -> Result<String, Failure> {
        let sent = match part {
            Part::Text(text) => self.api.post_json("sendMessage", &json!({"chat_id": chat_id, "text": text}))?,
            Part::File { file, caption } => {
                let bytes = read_file(file)?;
                let (method, field) = match file.content_type.as_str() {
                    "image/jpeg" | "image/png" | "image/webp" if file.size <= PHOTO_LIMIT => ("sendPhoto", "photo"),
                    "audio/ogg" => ("sendVoice", "voice"),
                    _ => ("sendDocument", "document"),
                };
                let mut fields = vec![("chat_id", chat_id.to_string())];
                if !caption.is_empty() {
                    fields.push(("caption", caption.clone()));
                }
                let upload = Upload {
                    fields,
                    file_field: field,
                    file_name: &file.file_name,
                    content_type: &file.content_type,
                    bytes,
                };
                self.api.post_file(method, upload)?
            }
        };
        Ok(sent["message_id"].as_i64().map(|id| id.to_string()).unwrap_or_default())
    }
}

fn read_file(file: &OutgoingFile) -> Result<Vec<u8>, Failure> {
    if file.size > UPLOAD_LIMIT {
        return Err(Failure::TooLarge);
    }
    std::fs::read(&file.path).map_err(|_| Failure::Refused {
        code: 0,
        description: words("telegram-file-unreadable", &[]),
        retry_after: None,
    })
}

impl Sender for TelegramSender {
    fn send(&self, message: &Outgoing) -> Delivery {
        let Ok(chat_id) = message.to.parse::<i64>() else {
            return Delivery::Failed { reason: words("telegram-no-chat", &[]) };
        };
        let parts = parts(message);
        let key = (self.api.base().to_string(), chat_id, message.message_id);
        let (mut done, mut last_id) = progress().get(&key).cloned().unwrap_or((0, String::new()));
        while done < parts.len() {
            match self.send_part(chat_id, &parts[done]) {
                Ok(id) => {
                    done += 1;
                    last_id = id;
                    if done < parts.len() {
                        progress().insert(key.clone(), (done, last_id.clone()));
                    }
                }
                Err(failure) => {
                    let reason = failure.reason();
                    // A revoked token may be replaced: the message waits for it.
                    if matches!(failure, Failure::Refused { code: 401, .. }) {
                        return Delivery::Unauthorized { reason, wait: true };
                    }
                    if failure.is_transient() {
                        return Delivery::Retry { after: failure.retry_after(), reason };
                    }
                    progress().remove(&key);
                    return Delivery::Failed { reason };
                }
            }
        }
        progress().remove(&key);
        Delivery::Sent { provider_id: Some(last_id).filter(|id| !id.is_empty()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_split_on_whitespace_within_the_limit() {
        let words: String = (0..1200).map(|i| format!("palavra{i} ")).collect();
        let parts = split(&words, 4096);
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|p| p.chars().count() <= 4096 && !p.starts_with(' ') && !p.ends_with(' ')));
        assert_eq!(parts.join(" "), words.trim(), "nothing lost, nothing added");
        let one_word = "x".repeat(5000);
        assert_eq!(split(&one_word, 4096).iter().map(|p| p.len()).collect::<Vec<_>>(), [4096, 904]);
        let accents = "ação ".repeat(1000);
        assert!(split(&accents, 4096).iter().all(|p| p.chars().count() <= 4096), "characters, not bytes");
        assert_eq!(split("  curta  ", 4096), ["curta"]);
    }
}
