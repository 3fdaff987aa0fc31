//! Sending through the Cloud API: `POST /{version}/{phone_number_id}/messages` with text
//! (split at WhatsApp's 4,096 characters), a file uploaded first (`/media`, multipart)
//! and sent by id with its caption, or an approved template with its parameters. The
//! id Meta gives (`messages[0].id`, the wamid) is what later statuses name.

use serde_json::{json, Value};

use super::graph::{Graph, GraphError};
use super::settings::Settings;
use super::words;
use crate::channels::{Delivery, Outgoing, OutgoingFile, Sender};
use crate::domain::channel_kind::ChannelKind;
use crate::domain::flow::menu::{self, Choices};
use crate::domain::message_template::TemplateSend;

pub struct WhatsAppSender {
    settings: Settings,
}

impl WhatsAppSender {
    pub fn new(settings: Settings) -> WhatsAppSender {
        WhatsAppSender { settings }
    }
}

/// `text` in pieces of at most `limit` characters, cut at a line break or a space when
/// there is one in the second half of a piece.
pub fn split(text: &str, limit: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = text.trim();
    while rest.chars().count() > limit {
        let end = rest.char_indices().nth(limit).map(|(i, _)| i).unwrap_or(rest.len());
        let head = &rest[..end];
        let half = head.char_indices().nth(limit / 2).map(|(i, _)| i).unwrap_or(0);
        let cut = head.rfind('\n').or_else(|| head.rfind(' ')).filter(|i| *i >= half).unwrap_or(end);
        pieces.push(rest[..cut].trim_end().to_string());
        rest = rest[cut..].trim_start();
    }
    if !rest.is_empty() {
        pieces.push(rest.to_string());
    }
    pieces
}

/// What WhatsApp calls a file of this type, as a message type.
fn media_type(content_type: &str) -> &'static str {
    match content_type {
        "image/jpeg" | "image/png" => "image",
        "image/webp" => "sticker",
        "video/mp4" | "video/3gpp" => "video",
        "audio/aac" | "audio/amr" | "audio/mpeg" | "audio/mp4" | "audio/ogg" => "audio",
        _ => "document",
    }
}

/// A multipart body for `/media`: the product, the type and the file.
fn multipart(file: &OutgoingFile, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = format!("atende-{}", crate::accounts::credentials::random_token());
    let name: String = file.file_name.chars().filter(|c| !matches!(c, '"' | '\r' | '\n' | '\\')).collect();
    let mut body = Vec::with_capacity(bytes.len() + 512);
    for (field, value) in [("messaging_product", "whatsapp"), ("type", file.content_type.as_str())] {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {}\r\n\r\n",
            file.content_type
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The `template` object of a template message.
pub fn template_json(t: &TemplateSend) -> Value {
    let mut components = Vec::new();
    if let Some(h) = &t.header {
        components
            .push(json!({"type": "header", "parameters": [{"type": h.format, h.format.as_str(): {"link": h.link}}]}));
    }
    if !t.params.is_empty() {
        let parameters: Vec<Value> = t
            .params
            .iter()
            .map(|(name, value)| match t.named {
                true => json!({"type": "text", "parameter_name": name, "text": value}),
                false => json!({"type": "text", "text": value}),
            })
            .collect();
        components.push(json!({"type": "body", "parameters": parameters}));
    }
    json!({"name": t.name, "language": {"code": t.language}, "components": components})
}

/// Longest body an interactive message takes.
const INTERACTIVE_BODY: usize = 1024;

/// The `interactive` object of a menu: reply buttons for up to three options, a list
/// for up to ten; `None` when the menu fits neither (it goes as numbered text).
pub fn interactive_json(body: &str, choices: &Choices) -> Option<Value> {
    let shown = menu::shown(ChannelKind::WhatsApp, body, Some(choices));
    if shown.text.is_empty() || shown.text.chars().count() > INTERACTIVE_BODY {
        return None;
    }
    let ids = choices.options.iter().map(|o| o.id.clone());
    if !shown.buttons.is_empty() {
        let buttons: Vec<Value> = ids
            .zip(shown.buttons)
            .map(|(id, title)| json!({"type": "reply", "reply": {"id": id, "title": title}}))
            .collect();
        return Some(json!({"type": "button", "body": {"text": shown.text}, "action": {"buttons": buttons}}));
    }
    if !shown.rows.is_empty() {
        let rows: Vec<Value> = ids.zip(shown.rows).map(|(id, title)| json!({"id": id, "title": title})).collect();
        let button = menu::short(&words("whatsapp-list-button", &[]), menu::BUTTON_TITLE_CHARS);
        let sections = [json!({"title": menu::short(&words("whatsapp-list-section", &[]), 24), "rows": rows})];
        return Some(
            json!({"type": "list", "body": {"text": shown.text}, "action": {"button": button, "sections": sections}}),
        );
    }
    None
}

impl WhatsAppSender {
    fn post(&self, graph: &Graph, to: &str, kind: &str, content: Value) -> Result<Option<String>, GraphError> {
        let body = json!({"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": kind, kind: content});
        let answer = graph.post_json(&format!("{}/messages", self.settings.phone_number_id), &body)?;
        Ok(answer["messages"][0]["id"].as_str().map(str::to_string))
    }

    fn texts(&self, graph: &Graph, to: &str, body: &str) -> Result<Option<String>, GraphError> {
        let mut last = None;
        for piece in split(body, ChannelKind::WhatsApp.text_limit().unwrap_or(4096)) {
            last = self.post(graph, to, "text", json!({"body": piece, "preview_url": false}))?;
        }
        Ok(last)
    }

    fn file(&self, graph: &Graph, m: &Outgoing, file: &OutgoingFile) -> Result<Option<String>, GraphError> {
        let bytes = std::fs::read(&file.path)
            .map_err(|_| GraphError::Refused { code: 0, reason: words("whatsapp-error-file-gone", &[]) })?;
        let (content_type, body) = multipart(file, &bytes);
        let uploaded = graph.post_bytes(&format!("{}/media", self.settings.phone_number_id), &content_type, &body)?;
        let Some(id) = uploaded["id"].as_str() else {
            return Err(GraphError::Temporary { reason: words("whatsapp-error-answer", &[]), after: None });
        };
        let kind = media_type(&file.content_type);
        let caption_limit = ChannelKind::WhatsApp.caption_limit().unwrap_or(1024).min(1024);
        let captioned = matches!(kind, "image" | "video" | "document");
        let caption = m.body.trim();
        // A caption too long (or a file that takes none) goes as text before the file.
        let fits = captioned && caption.chars().count() <= caption_limit;
        if !fits && !caption.is_empty() {
            self.texts(graph, &m.to, caption)?;
        }
        let mut content = json!({"id": id});
        if fits && !caption.is_empty() {
            content["caption"] = caption.into();
        }
        if kind == "document" {
            content["filename"] = file.file_name.clone().into();
        }
        self.post(graph, &m.to, kind, content)
    }
}

impl Sender for WhatsAppSender {
    fn send(&self, m: &Outgoing) -> Delivery {
        if m.to.is_empty() {
            return Delivery::Failed { reason: words("whatsapp-error-no-number", &[]) };
        }
        let graph = Graph::new(&self.settings);
        // Several requests (a long text, a caption sent apart) are retried together:
        // the engine keeps texts within one piece, so this is rare.
        let sent = match (&m.template, &m.attachment) {
            (Some(t), _) => self.post(&graph, &m.to, "template", template_json(t)),
            (None, Some(file)) => self.file(&graph, m, file),
            (None, None) => match m.choices.as_ref().and_then(|c| interactive_json(&m.body, c)) {
                Some(menu) => self.post(&graph, &m.to, "interactive", menu),
                None => self.texts(&graph, &m.to, &m.body),
            },
        };
        match sent {
            Ok(provider_id) => Delivery::Sent { provider_id },
            Err(GraphError::Temporary { reason, after }) => Delivery::Retry { after, reason },
            // An expired or revoked access token (OAuth code 190).
            Err(GraphError::Refused { code: 190, reason }) => Delivery::Unauthorized { reason, wait: false },
            Err(GraphError::Refused { reason, .. }) => Delivery::Failed { reason },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::message_template::MediaHeader;

    #[test]
    fn long_texts_split_at_words_within_the_limit() {
        assert_eq!(split("curto", 10), vec!["curto"]);
        let pieces = split("uma frase longa demais para caber", 10);
        assert!(pieces.iter().all(|p| p.chars().count() <= 10), "{pieces:?}");
        assert_eq!(pieces.join(" "), "uma frase longa demais para caber");
        let text = "ç".repeat(25);
        let pieces = split(&text, 10);
        assert_eq!(pieces.iter().map(|p| p.chars().count()).collect::<Vec<_>>(), vec![10, 10, 5]);
    }

    #[test]
    fn menus_go_as_reply_buttons_or_a_list_within_whatsapps_limits() {
        use crate::domain::flow::definition::MenuOption;
        let options = |labels: &[&str]| -> Vec<MenuOption> {
            labels.iter().map(|l| MenuOption { label: l.to_string(), next: None, synonyms: vec![] }).collect()
        };
        let three = options(&["Vendas", "Financeiro e cobrança de boletos", "Suporte"]);
        let body = menu::as_text("Como posso ajudar?", &three);
        let v = interactive_json(&body, &menu::choices(&three).unwrap()).unwrap();
        assert_eq!(v["type"], "button");
        assert_eq!(v["body"]["text"], "Como posso ajudar?");
        assert_eq!(
            v["action"]["buttons"][1],
            json!({"type": "reply", "reply": {"id": "2", "title": "Financeiro e cobran…"}})
        );
        let labels: Vec<String> = (1..=7).map(|i| format!("Assunto número {i} com nome comprido")).collect();
        let seven = options(&labels.iter().map(String::as_str).collect::<Vec<_>>());
        let v = interactive_json(&menu::as_text("Escolha", &seven), &menu::choices(&seven).unwrap()).unwrap();
        assert_eq!(v["type"], "list");
        let rows = v["action"]["sections"][0]["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 7);
        assert!(rows.iter().all(|r| r["title"].as_str().unwrap().chars().count() <= 24));
        assert!(v["action"]["button"].as_str().unwrap().chars().count() <= 20);
        let long = "x".repeat(1100);
        assert_eq!(interactive_json(&menu::as_text(&long, &three), &menu::choices(&three).unwrap()), None);
    }

    #[test]
    fn templates_carry_their_header_and_parameters() {
        let t = TemplateSend {
            name: "pedido".into(),
            language: "pt_BR".into(),
            header: Some(MediaHeader { format: "image".into(), link: "https://x.test/a.png".into() }),
            params: vec![("nome".into(), "Ana".into())],
            named: true,
        };
        let v = template_json(&t);
        assert_eq!(v["language"]["code"], "pt_BR");
        assert_eq!(v["components"][0]["parameters"][0]["image"]["link"], "https://x.test/a.png");
        assert_eq!(
            v["components"][1]["parameters"][0],
            json!({"type": "text", "parameter_name": "nome", "text": "Ana"})
        );
        let plain = template_json(&TemplateSend { header: None, named: false, ..t });
        assert_eq!(plain["components"][0]["parameters"][0], json!({"type": "text", "text": "Ana"}));
        assert_eq!(media_type("application/pdf"), "document");
        assert_eq!(media_type("audio/ogg"), "audio");
    }
}
