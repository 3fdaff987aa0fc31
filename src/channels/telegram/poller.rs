//! Long polling `getUpdates`. Each update comes back with the offset that confirms it
//! (its id + 1, or past the highest seen: ids can jump), and the engine stores that
//! offset in the same transaction as the message. Telegram forgets an update only when
//! asked past it, so a crash before the commit brings the update again (stored once,
//! by its message's id) and one after it never does.
//!
//! Private chats only: an update from a group or a channel is moved past.

use std::time::Duration;

use serde_json::Value;

use super::api::{words, Api, Failure, DOWNLOAD_LIMIT};
use super::settings::Settings;
use crate::channels::{Inbound, IncomingFile, MediaRef, PollError, Polled, Poller};

/// How long to wait after a refusal that only a person can fix (a revoked token,
/// another program reading the bot's updates): still tried, slowly.
const SLOW: Duration = Duration::from_secs(60);

pub struct TelegramPoller {
    api: Api,
    settings: Settings,
}

impl TelegramPoller {
    pub fn new(settings: Settings) -> TelegramPoller {
        TelegramPoller { api: Api::new(&settings, settings.poll_call_timeout()), settings }
    }
}

impl Poller for TelegramPoller {
    fn poll(&mut self, cursor: Option<&str>) -> Result<Vec<Polled>, PollError> {
        let mut query = vec![
            ("timeout", self.settings.poll_timeout_seconds.to_string()),
            ("allowed_updates", r#"["message"]"#.to_string()),
        ];
        if let Some(offset) = cursor.and_then(|c| c.parse::<i64>().ok()) {
            query.push(("offset", offset.to_string()));
        }
        let updates = self.api.get("getUpdates", &query).map_err(poll_error)?;
        let polled = read_updates(&updates, cursor)
            .into_iter()
            .map(|(cursor, update)| Polled { cursor, inbound: update.map(|u| u.fetched(&self.api)) })
            .collect();
        Ok(polled)
    }
}

/// The updates of a `getUpdates` result, each with the offset that confirms it and
/// what it says, before any file is fetched. No I/O: it reads what Telegram sent.
pub fn read_updates(result: &Value, cursor: Option<&str>) -> Vec<(String, Option<Update>)> {
    let mut next = cursor.and_then(|c| c.parse::<i64>().ok()).unwrap_or(0);
    let mut read = Vec::new();
    for update in result.as_array().into_iter().flatten() {
        let Some(id) = update["update_id"].as_i64() else { continue };
        // Saturating: an id at the top of the range is moved past, not a panic.
        next = next.max(id.saturating_add(1));
        read.push((next.to_string(), read_update(update)));
    }
    read
}

fn poll_error(failure: Failure) -> PollError {
    let after = match &failure {
        Failure::Refused { code: 429, .. } => failure.retry_after(),
        Failure::Refused { code: 401 | 403 | 404 | 409, .. } => Some(SLOW),
        _ => None,
    };
    let unauthorized = matches!(failure, Failure::Refused { code: 401, .. });
    PollError { after, reason: failure.reason(), unauthorized }
}

/// The message an update brings, when it is one from a private chat, and the file it
/// carries, still to be fetched.
pub struct Update {
    inbound: Inbound,
    file: Option<NamedFile>,
}

impl Update {
    /// The message as stored, with its file fetched (or owed, or told missing).
    fn fetched(self, api: &Api) -> Inbound {
        let mut inbound = self.inbound;
        if let Some(file) = self.file {
            take_file(api, file, &mut inbound);
        }
        inbound
    }
}

fn read_update(update: &Value) -> Option<Update> {
    let message = &update["message"];
    let chat = &message["chat"];
    let (Some(chat_id), Some(message_id)) = (chat["id"].as_i64(), message["message_id"].as_i64()) else {
        tracing::info!(
            update_id = update["update_id"].as_i64(),
            "telegram: an update without a message; moving past it"
        );
        return None;
    };
    if chat["type"].as_str() != Some("private") {
        tracing::info!(
            chat_id,
            kind = chat["type"].as_str(),
            "telegram: an update from a group or channel; moving past it"
        );
        return None;
    }
    let text = message["text"].as_str().or_else(|| message["caption"].as_str()).unwrap_or_default();
    let mut inbound = Inbound {
        contact_key: chat_id.to_string(),
        contact_name: name_of(&message["from"], chat_id),
        external_id: Some(format!("{chat_id}:{message_id}")),
        body: text.to_string(),
        ..Default::default()
    };
    let file = file_of(message);
    if file.is_none() && text.is_empty() {
        inbound.body = description(message);
    }
    Some(Update { inbound, file })
}

/// "First Last", else "@username", else the chat's number.
fn name_of(from: &Value, chat_id: i64) -> String {
    let parts: Vec<&str> =
        [&from["first_name"], &from["last_name"]].iter().filter_map(|v| v.as_str()).filter(|s| !s.is_empty()).collect();
    if !parts.is_empty() {
        return parts.join(" ");
    }
    match from["username"].as_str() {
        Some(user) => format!("@{user}"),
        None => format!("Telegram {chat_id}"),
    }
}

/// A file a message carries, as Telegram names it.
struct NamedFile {
    file_id: String,
    file_name: String,
    declared_type: String,
    size: Option<u64>,
}

fn file_of(message: &Value) -> Option<NamedFile> {
    // A photo comes in several sizes; the last is the largest.
    let (file, default_name, default_type) = if let Some(sizes) = message["photo"].as_array() {
        (sizes.last()?, "foto.jpg", "image/jpeg")
    } else {
        [
            ("document", "arquivo", "application/octet-stream"),
            ("voice", "audio.ogg", "audio/ogg"),
            ("audio", "audio.mp3", "audio/mpeg"),
            ("video", "video.mp4", "video/mp4"),
            ("video_note", "video.mp4", "video/mp4"),
        ]
        .into_iter()
        .find(|(field, ..)| message[*field].is_object())
        .map(|(field, name, kind)| (&message[field], name, kind))?
    };
    Some(NamedFile {
        file_id: file["file_id"].as_str()?.to_string(),
        file_name: file["file_name"].as_str().unwrap_or(default_name).to_string(),
        declared_type: file["mime_type"].as_str().unwrap_or(default_type).to_string(),
        size: file["file_size"].as_u64(),
    })
}

/// Fetches the file now; if Telegram or the network fails, it is owed and fetched
/// again later; one too large for a bot is a message that says so.
fn take_file(api: &Api, file: NamedFile, inbound: &mut Inbound) {
    let too_large = || words("telegram-file-named-too-large", &[("name", file.file_name.clone())]);
    if file.size.is_some_and(|size| size > DOWNLOAD_LIMIT) {
        inbound.files_missing.push(too_large());
        return;
    }
    match api.download(&file.file_id) {
        Ok(bytes) => {
            inbound.files.push(IncomingFile { file_name: file.file_name, declared_type: file.declared_type, bytes })
        }
        Err(Failure::TooLarge) => inbound.files_missing.push(too_large()),
        Err(failure) if failure.is_transient() => {
            tracing::info!(reason = %failure.reason(), "telegram: a file could not be fetched yet; owed");
            inbound.media_later.push(MediaRef {
                reference: file.file_id,
                file_name: file.file_name,
                declared_type: file.declared_type,
            });
        }
        Err(failure) => inbound.files_missing.push(failure.reason()),
    }
}

/// A message without text or file, told in words: a sticker, a place, a contact card.
fn description(message: &Value) -> String {
    if let Some(sticker) = message["sticker"].as_object() {
        let emoji = sticker.get("emoji").and_then(Value::as_str).unwrap_or_default();
        return words("telegram-sticker", &[("emoji", emoji.to_string())]);
    }
    if let (Some(lat), Some(lon)) =
        (message["location"]["latitude"].as_f64(), message["location"]["longitude"].as_f64())
    {
        let place = message["venue"]["title"].as_str().unwrap_or_default();
        return words(
            "telegram-location",
            &[("place", place.to_string()), ("lat", format!("{lat:.6}")), ("lon", format!("{lon:.6}"))],
        );
    }
    if let Some(contact) = message["contact"].as_object() {
        let field = |k: &str| contact.get(k).and_then(Value::as_str).unwrap_or_default();
        let name = format!("{} {}", field("first_name"), field("last_name")).trim().to_string();
        return words("telegram-contact", &[("name", name), ("phone", field("phone_number").to_string())]);
    }
    words("telegram-unsupported", &[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn api() -> Api {
        Api::new(&Settings { api_base: "http://127.0.0.1:9".into(), ..Settings::default() }, Duration::from_millis(50))
    }

    fn inbound(api: &Api, update: &Value) -> Option<Inbound> {
        read_update(update).map(|u| u.fetched(api))
    }

    #[test]
    fn an_update_id_at_the_top_of_the_range_is_moved_past() {
        let result = json!([{"update_id": i64::MAX, "message": {}}, {"update_id": 3}]);
        let read = read_updates(&result, Some("7"));
        let offsets: Vec<&str> = read.iter().map(|(offset, _)| offset.as_str()).collect();
        assert_eq!(offsets, [i64::MAX.to_string(), i64::MAX.to_string()], "never back, never past the range");
        assert!(read.iter().all(|(_, update)| update.is_none()), "no message in either");
    }

    #[test]
    fn a_private_text_becomes_a_message_of_its_chat() {
        let update = json!({"update_id": 10, "message": {"message_id": 5, "chat": {"id": 5_000_000_001i64, "type": "private"},
            "from": {"first_name": "Ana", "last_name": "Souza"}, "text": "Oi"}});
        let inbound = inbound(&api(), &update).unwrap();
        assert_eq!(inbound.contact_key, "5000000001");
        assert_eq!(inbound.contact_name, "Ana Souza");
        assert_eq!(inbound.external_id.as_deref(), Some("5000000001:5"));
        assert_eq!(inbound.body, "Oi");
    }

    #[test]
    fn groups_are_passed_and_other_kinds_are_told_in_words() {
        let group =
            json!({"update_id": 1, "message": {"message_id": 1, "chat": {"id": -100, "type": "group"}, "text": "oi"}});
        assert!(inbound(&api(), &group).is_none());
        let kinds = [
            (json!({"sticker": {"emoji": "😀", "file_id": "x"}}), "😀"),
            (json!({"location": {"latitude": -23.5, "longitude": -46.6}}), "-23.500000"),
            (json!({"contact": {"first_name": "Bia", "phone_number": "+5511999990000"}}), "+5511999990000"),
            (json!({"dice": {"emoji": "🎲", "value": 3}}), "suportado"),
        ];
        for (mut message, expected) in kinds {
            message["message_id"] = json!(2);
            message["chat"] = json!({"id": 7, "type": "private"});
            message["from"] = json!({"username": "bia"});
            let inbound = inbound(&api(), &json!({"update_id": 2, "message": message})).unwrap();
            assert!(inbound.body.contains(expected), "{} lacks {expected}", inbound.body);
            assert_eq!(inbound.contact_name, "@bia");
        }
    }

    #[test]
    fn a_file_too_large_for_a_bot_is_kept_as_a_note() {
        let update = json!({"update_id": 3, "message": {"message_id": 3, "chat": {"id": 7, "type": "private"},
            "document": {"file_id": "big", "file_name": "video.mov", "file_size": 30_000_000}, "caption": "Veja"}});
        let inbound = inbound(&api(), &update).unwrap();
        assert_eq!(inbound.body, "Veja");
        assert!(inbound.files.is_empty() && inbound.media_later.is_empty());
        assert!(inbound.files_missing[0].contains("video.mov"), "{:?}", inbound.files_missing);
    }

    #[test]
    fn a_file_that_cannot_be_fetched_now_is_owed() {
        let update = json!({"update_id": 4, "message": {"message_id": 4, "chat": {"id": 7, "type": "private"},
            "photo": [{"file_id": "small", "file_size": 10}, {"file_id": "large", "file_size": 900}]}});
        let inbound = inbound(&api(), &update).unwrap();
        assert_eq!(inbound.media_later.len(), 1, "nothing listens on the API's address");
        assert_eq!(inbound.media_later[0].reference, "large", "the largest size");
        assert_eq!(inbound.media_later[0].declared_type, "image/jpeg");
    }
}
