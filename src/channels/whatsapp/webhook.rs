//! What Meta posts to the webhook: the signature over the raw body, and the payload —
//! messages from contacts (every type, an unknown one kept as visible text) and the
//! statuses of messages we sent. Pure parsing; the files are fetched by `media`.

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use super::graph::refusal_reason;
use super::words;
use crate::domain::message_status::MessageStatus;
use crate::domain::phone;
use crate::engine::ingest::MediaRef;

/// Whether `header` (`X-Hub-Signature-256: sha256=<hex>`) is the HMAC-SHA256 of the
/// raw body under the app secret, compared in constant time. No secret, no match.
pub fn signed_by(app_secret: &str, body: &[u8], header: Option<&str>) -> bool {
    let Some(given) = header.and_then(|h| h.trim().strip_prefix("sha256=")).and_then(|h| hex::decode(h).ok()) else {
        return false;
    };
    if app_secret.is_empty() {
        return false;
    }
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()) else { return false };
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

/// A contact's message as Meta described it.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    pub wamid: String,
    /// The contact's `wa_id`.
    pub from: String,
    /// The other form of the same Brazilian mobile, when it has one.
    pub alias: Option<String>,
    pub name: String,
    pub body: String,
    /// The file it carries, by Meta's media id.
    pub media: Option<MediaRef>,
}

/// What Meta says became of a message we sent.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusUpdate {
    pub wamid: String,
    pub status: MessageStatus,
    /// Why it failed, in words for the agent.
    pub reason: String,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Payload {
    pub messages: Vec<Received>,
    pub statuses: Vec<StatusUpdate>,
    /// Changes for another number of the same app, left alone.
    pub other_numbers: usize,
}

/// The payload is not what Meta sends.
#[derive(Debug, Clone, PartialEq)]
pub struct Malformed(pub &'static str);

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// Reads a webhook body for the number `phone_number_id`.
pub fn parse(body: &[u8], phone_number_id: &str) -> Result<Payload, Malformed> {
    let v: Value = serde_json::from_slice(body).map_err(|_| Malformed("not JSON"))?;
    let entries = v["entry"].as_array().ok_or(Malformed("no entry list"))?;
    let mut payload = Payload::default();
    for entry in entries {
        let changes = entry["changes"].as_array().ok_or(Malformed("no changes list"))?;
        for change in changes {
            let value = &change["value"];
            if change["field"] != "messages" || !value.is_object() {
                continue;
            }
            let number = value["metadata"]["phone_number_id"].as_str().unwrap_or_default();
            if !number.is_empty() && number != phone_number_id {
                payload.other_numbers += 1;
                continue;
            }
            let names: Vec<(String, String)> = value["contacts"]
                .as_array()
                .map(|cs| cs.iter().map(|c| (text(&c["wa_id"]), text(&c["profile"]["name"]))).collect())
                .unwrap_or_default();
            for m in value["messages"].as_array().map(Vec::as_slice).unwrap_or_default() {
                payload.messages.push(message(m, &names)?);
            }
            for s in value["statuses"].as_array().map(Vec::as_slice).unwrap_or_default() {
                if let Some(update) = status(s)? {
                    payload.statuses.push(update);
                }
            }
        }
    }
    Ok(payload)
}

fn message(m: &Value, names: &[(String, String)]) -> Result<Received, Malformed> {
    let wamid = text(&m["id"]);
    let from = text(&m["from"]);
    if wamid.is_empty() || from.is_empty() || from.len() > 32 || !from.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Malformed("message without id or sender"));
    }
    let name = names.iter().find(|(id, _)| *id == from).map(|(_, n)| n.clone()).unwrap_or_default();
    let kind = m["type"].as_str().unwrap_or_default();
    let (body, media) = content(kind, m);
    let alias = phone::ninth_digit_alias(&from);
    Ok(Received { wamid, from, alias, name, body, media })
}

/// The message's text as the agent reads it, and its file.
fn content(kind: &str, m: &Value) -> (String, Option<MediaRef>) {
    let part = &m[kind];
    match kind {
        "text" => (text(&part["body"]), None),
        "image" | "video" | "audio" | "document" | "sticker" => {
            let Some(id) = part["id"].as_str().filter(|id| !id.is_empty()) else {
                return (unsupported(kind), None);
            };
            let declared = text(&part["mime_type"]);
            let declared = declared.split(';').next().unwrap_or_default().trim().to_string();
            let file_name = match part["filename"].as_str().filter(|f| !f.trim().is_empty()) {
                Some(name) => name.to_string(),
                None => format!("{}.{}", if part["voice"] == true { "voice" } else { kind }, extension(&declared)),
            };
            let media = MediaRef { reference: id.to_string(), file_name, declared_type: declared };
            (text(&part["caption"]), Some(media))
        }
        "location" => {
            let (lat, lng) = (part["latitude"].as_f64(), part["longitude"].as_f64());
            let place = [text(&part["name"]), text(&part["address"])]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" — ");
            let map = match (lat, lng) {
                (Some(lat), Some(lng)) => format!("https://maps.google.com/?q={lat},{lng}"),
                _ => String::new(),
            };
            (words("whatsapp-in-location", &[("place", place), ("map", map)]).trim().to_string(), None)
        }
        "contacts" => {
            let cards: Vec<String> = part
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|c| {
                    let phones: Vec<String> = c["phones"]
                        .as_array()
                        .map(Vec::as_slice)
                        .unwrap_or_default()
                        .iter()
                        .map(|p| text(&p["phone"]))
                        .filter(|p| !p.is_empty())
                        .collect();
                    format!("{} {}", text(&c["name"]["formatted_name"]), phones.join(", ")).trim().to_string()
                })
                .collect();
            (words("whatsapp-in-contacts", &[("cards", cards.join("; "))]), None)
        }
        "interactive" => {
            let reply = &part[part["type"].as_str().unwrap_or_default()];
            match reply["title"].as_str() {
                Some(title) => (words("whatsapp-in-choice", &[("choice", title.to_string())]), None),
                None => (unsupported(kind), None),
            }
        }
        "button" => (words("whatsapp-in-choice", &[("choice", text(&part["text"]))]), None),
        "reaction" => match part["emoji"].as_str().filter(|e| !e.is_empty()) {
            Some(emoji) => (words("whatsapp-in-reaction", &[("emoji", emoji.to_string())]), None),
            None => (words("whatsapp-in-reaction-removed", &[]), None),
        },
        _ => (unsupported(kind), None),
    }
}

fn unsupported(kind: &str) -> String {
    let kind: String = kind.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(40).collect();
    words("whatsapp-in-unsupported", &[("kind", kind)])
}

/// A file extension for a type Meta declares (its media have no names but documents).
fn extension(declared: &str) -> &'static str {
    match declared {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "audio/ogg" => "ogg",
        "audio/mpeg" => "mp3",
        "audio/mp4" | "audio/aac" => "m4a",
        "audio/amr" => "amr",
        "video/mp4" => "mp4",
        "video/3gpp" => "3gp",
        "application/pdf" => "pdf",
        _ => "bin",
    }
}

fn status(s: &Value) -> Result<Option<StatusUpdate>, Malformed> {
    let wamid = text(&s["id"]);
    if wamid.is_empty() {
        return Err(Malformed("status without id"));
    }
    let status = match s["status"].as_str().unwrap_or_default() {
        "sent" => MessageStatus::Sent,
        "delivered" => MessageStatus::Delivered,
        "read" => MessageStatus::Read,
        "failed" => MessageStatus::Failed,
        // `deleted`, `warning` …: nothing that moves a message.
        _ => return Ok(None),
    };
    let reason = match (status, s["errors"].get(0)) {
        (MessageStatus::Failed, Some(e)) => {
            let detail = e["error_data"]["details"].as_str().or(e["title"].as_str()).unwrap_or_default();
            refusal_reason(e["code"].as_i64().unwrap_or(0), detail)
        }
        (MessageStatus::Failed, None) => refusal_reason(0, ""),
        _ => String::new(),
    };
    Ok(Some(StatusUpdate { wamid, status, reason }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(secret: &str, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(body);
        format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
    }

    #[test]
    fn only_the_app_secrets_signature_of_these_bytes_passes() {
        let body = br#"{"entry":[]}"#;
        let good = sign("segredo", body);
        assert!(signed_by("segredo", body, Some(&good)));
        assert!(!signed_by("outro", body, Some(&good)));
        assert!(!signed_by("segredo", br#"{"entry":[] }"#, Some(&good)), "the raw bytes, not the JSON");
        assert!(!signed_by("segredo", body, None));
        assert!(!signed_by("segredo", body, Some(good.trim_start_matches("sha256="))));
        assert!(!signed_by("segredo", body, Some("sha256=zz")));
        assert!(!signed_by("", body, Some(&sign("", body))), "a channel without a secret takes nothing");
    }

    fn change(messages: Value, statuses: Value) -> Vec<u8> {
        serde_json::json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages",
            "value": {"messaging_product": "whatsapp", "metadata": {"phone_number_id": "106"},
                "contacts": [{"wa_id": "5511987654321", "profile": {"name": "Maria"}}],
                "messages": messages, "statuses": statuses}}]}]})
        .to_string()
        .into_bytes()
    }

    fn one(m: Value) -> Received {
        let mut m = m;
        m["id"] = "wamid.1".into();
        m["from"] = "5511987654321".into();
        parse(&change(serde_json::json!([m]), serde_json::json!([])), "106").unwrap().messages.remove(0)
    }

    #[test]
    fn every_type_of_message_reads_as_something() {
        let m = one(serde_json::json!({"type": "text", "text": {"body": "Oi"}}));
        assert_eq!((m.body.as_str(), m.name.as_str(), m.alias.as_deref()), ("Oi", "Maria", Some("551187654321")));
        let m = one(
            serde_json::json!({"type": "image", "image": {"id": "m1", "mime_type": "image/jpeg", "caption": "foto"}}),
        );
        assert_eq!(m.body, "foto");
        assert_eq!(
            m.media.unwrap(),
            MediaRef { reference: "m1".into(), file_name: "image.jpg".into(), declared_type: "image/jpeg".into() }
        );
        let m = one(
            serde_json::json!({"type": "audio", "audio": {"id": "a1", "mime_type": "audio/ogg; codecs=opus", "voice": true}}),
        );
        assert_eq!(m.media.unwrap().file_name, "voice.ogg");
        let m = one(
            serde_json::json!({"type": "document", "document": {"id": "d1", "mime_type": "application/pdf", "filename": "nota.pdf"}}),
        );
        assert_eq!(m.media.unwrap().file_name, "nota.pdf");
        let m = one(
            serde_json::json!({"type": "location", "location": {"latitude": -23.5, "longitude": -46.6, "name": "Loja"}}),
        );
        assert!(m.body.contains("Loja") && m.body.contains("-23.5,-46.6"), "{}", m.body);
        let m = one(
            serde_json::json!({"type": "contacts", "contacts": [{"name": {"formatted_name": "João"}, "phones": [{"phone": "+55 11 5555-0000"}]}]}),
        );
        assert!(m.body.contains("João") && m.body.contains("5555-0000"), "{}", m.body);
        let m = one(
            serde_json::json!({"type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "b", "title": "Sim"}}}),
        );
        assert!(m.body.contains("Sim"));
        let m = one(
            serde_json::json!({"type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "l", "title": "Boleto"}}}),
        );
        assert!(m.body.contains("Boleto"));
        let m = one(serde_json::json!({"type": "button", "button": {"payload": "p", "text": "Confirmar"}}));
        assert!(m.body.contains("Confirmar"));
        let m = one(serde_json::json!({"type": "reaction", "reaction": {"message_id": "wamid.0", "emoji": "👍"}}));
        assert!(m.body.contains("👍"));
        let m = one(serde_json::json!({"type": "order", "order": {}}));
        assert!(m.body.contains("order") && !m.body.is_empty(), "kept visible: {}", m.body);
    }

    #[test]
    fn statuses_and_bad_payloads() {
        let body = change(
            serde_json::json!([]),
            serde_json::json!([{"id": "wamid.9", "status": "failed", "errors": [{"code": 131047, "title": "Re-engagement"}]},
                               {"id": "wamid.9", "status": "read"}, {"id": "wamid.9", "status": "deleted"}]),
        );
        let p = parse(&body, "106").unwrap();
        assert_eq!(p.statuses.len(), 2);
        assert_eq!(p.statuses[0].status, MessageStatus::Failed);
        assert!(p.statuses[0].reason.contains("24 horas"));
        assert_eq!(parse(&body, "999").unwrap(), Payload { other_numbers: 1, ..Payload::default() });
        assert!(parse(b"{not json", "106").is_err());
        assert!(parse(b"{}", "106").is_err());
        assert!(parse(&change(serde_json::json!([{"type": "text"}]), serde_json::json!([])), "106").is_err());
        assert!(parse(br#"{"entry":[{"changes":[{"field":"account_update","value":{}}]}]}"#, "106")
            .unwrap()
            .messages
            .is_empty());
    }
}
