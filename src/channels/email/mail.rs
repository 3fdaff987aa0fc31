//! One fetched mail, read: what the customer wrote (HTML shown as text, the original
//! kept as a file), who they are, its id for de-duplication, its files — or why it is
//! moved past (an auto-reply, bulk mail, a bounce, our own mail), so two auto-responders
//! can never answer each other through Atende.

use std::borrow::Cow;
use std::collections::HashMap;

use mail_parser::{HeaderValue, MessageParser, MimeHeaders};
use sha2::{Digest, Sha256};

use super::subject;
use crate::engine::attachments::MAX_ATTACHMENT_BYTES;
use crate::engine::ingest::{Inbound, IncomingFile};

/// The name of the file that keeps an HTML mail as it came. A file name, read in every
/// language, so no word.
pub const ORIGINAL_HTML: &str = "original.html";

/// The longest text kept of one mail, in characters (a pasted log, a forwarded chain).
const MAX_TEXT_CHARS: usize = 100_000;

#[derive(Debug)]
pub enum Mail {
    Message(Box<Inbound>),
    /// Moved past with the cursor; the reason is logged.
    Ignored(&'static str),
}

/// Reads a mail. `cut`: the mail's full size when only its start was fetched (it is
/// larger than the poller takes): its text is kept with a note, its files are not.
pub fn read(raw: &[u8], own_address: &str, cut: Option<u64>) -> Mail {
    let Some(message) = MessageParser::default().parse(raw) else { return Mail::Ignored("unreadable") };
    if let Some(reason) = automatic(&message) {
        return Mail::Ignored(reason);
    }
    let Some(from) = message.from().and_then(|a| a.first()) else { return Mail::Ignored("no sender") };
    let Some(address) = from.address().map(|a| a.trim().to_lowercase()).filter(|a| a.contains('@')) else {
        return Mail::Ignored("no sender");
    };
    if address == own_address.trim().to_lowercase() {
        return Mail::Ignored("our own mail");
    }
    let mut notes = Vec::new();
    let mut files = Vec::new();
    let html = message.html_bodies().next().filter(|p| p.is_text_html()).and_then(|p| p.text_contents());
    let plain =
        message.text_bodies().next().filter(|p| p.is_text() && !p.is_text_html()).and_then(|p| p.text_contents());
    let text = match (plain, html) {
        (Some(plain), _) => plain.to_string(),
        (None, Some(html)) => as_text(html),
        (None, None) => String::new(),
    };
    if let Some(html) = html.filter(|_| cut.is_none()) {
        files.push(IncomingFile {
            file_name: ORIGINAL_HTML.into(),
            declared_type: "text/html".into(),
            bytes: html.as_bytes().to_vec(),
        });
    }
    if let Some(size) = cut {
        notes.push(note("email-mail-too-large", &[("size", megabytes(size as usize))]));
    } else {
        for part in message.attachments() {
            let name = part.attachment_name().unwrap_or_default().to_string();
            let bytes = part.contents();
            if bytes.is_empty() {
                continue;
            }
            if bytes.len() > MAX_ATTACHMENT_BYTES {
                notes.push(note("email-attachment-too-large", &[("name", name), ("size", megabytes(bytes.len()))]));
                continue;
            }
            let declared = part.content_type().map(|t| match t.subtype() {
                Some(sub) => format!("{}/{sub}", t.ctype()),
                None => t.ctype().to_string(),
            });
            files.push(IncomingFile {
                file_name: name,
                declared_type: declared.unwrap_or_default(),
                bytes: bytes.to_vec(),
            });
        }
    }
    let title = message.subject().unwrap_or_default();
    let mut body = without_quoted_tail(&text);
    if body.chars().count() > MAX_TEXT_CHARS {
        body = body.chars().take(MAX_TEXT_CHARS).collect();
        notes.push(note("email-text-cut", &[]));
    }
    if body.trim().is_empty() {
        // A mail that says it all in its subject.
        body = title.to_string();
    }
    for n in notes {
        body = format!("{}\n\n{n}", body.trim_end());
    }
    Mail::Message(Box::new(Inbound {
        contact_key: address.clone(),
        contact_name: from.name().unwrap_or_default().to_string(),
        contact_email: address,
        external_id: Some(id(&message)),
        body,
        files,
        subject: subject::thread_title(title),
        ..Default::default()
    }))
}

/// Why a mail is someone's machine talking, if it is (RFC 3834 and the headers mail
/// programs use in practice).
fn automatic(message: &mail_parser::Message) -> Option<&'static str> {
    let header = |name: &str| message.header_raw(name).map(|v| v.trim().to_ascii_lowercase());
    if header("Auto-Submitted").is_some_and(|v| v.split(';').next().unwrap_or("").trim() != "no") {
        return Some("auto-submitted");
    }
    if header("Precedence").is_some_and(|v| matches!(v.as_str(), "bulk" | "list" | "junk")) {
        return Some("bulk");
    }
    if header("X-Autoreply").is_some() || header("X-Autorespond").is_some() {
        return Some("auto-reply");
    }
    if header("X-Auto-Response-Suppress").is_some() {
        return Some("auto-response-suppress");
    }
    let empty_return_path = match message.return_path() {
        HeaderValue::Empty => header("Return-Path").is_some(),
        HeaderValue::Text(t) => t.trim().is_empty() || t.trim() == "<>",
        _ => false,
    };
    if empty_return_path || header("Return-Path").is_some_and(|v| v == "<>") {
        return Some("bounce");
    }
    None
}

/// The mail's Message-ID (without its angle brackets), or, for a mail without one, a
/// stable hash of the headers that name it: a second copy is then still the same mail.
fn id(message: &mail_parser::Message) -> String {
    if let Some(id) = message.message_id().map(str::trim).filter(|id| !id.is_empty()) {
        return id.to_string();
    }
    let mut hash = Sha256::new();
    for name in ["From", "To", "Cc", "Date", "Subject"] {
        hash.update(name.as_bytes());
        hash.update(message.header_raw(name).unwrap_or_default().trim().as_bytes());
        hash.update([0]);
    }
    format!("sha256:{}", hex::encode(hash.finalize()))
}

/// HTML as the text a person reads: no markup, no script, links kept as footnotes.
fn as_text(html: &str) -> String {
    html2text::config::plain()
        .allow_width_overflow()
        .string_from_read(html.as_bytes(), 10_000)
        .unwrap_or_default()
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text without the earlier mail quoted under it ("Em …, Ana escreveu:" and its
/// "> " lines): the conversation already holds it.
fn without_quoted_tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut end = lines.len();
    while end > 0 && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    let quoted_from =
        (0..end).rev().take_while(|i| lines[*i].trim_start().starts_with('>') || lines[*i].trim().is_empty()).last();
    let Some(mut start) = quoted_from else { return text.trim_end().to_string() };
    // The line that introduces the quote ends with a colon.
    if start > 0 && lines[start - 1].trim_end().ends_with(':') {
        start -= 1;
    }
    let kept = lines[..start].join("\n");
    if kept.trim().is_empty() {
        text.trim_end().to_string()
    } else {
        kept.trim_end().to_string()
    }
}

fn megabytes(bytes: usize) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

/// A note Atende adds to the text, in the company's default language.
fn note(key: &str, args: &[(&'static str, String)]) -> String {
    let args: HashMap<Cow<'static, str>, fluent_templates::fluent_bundle::FluentValue> =
        args.iter().map(|(k, v)| (Cow::Borrowed(*k), v.clone().into())).collect();
    crate::i18n::try_translate(crate::i18n::DEFAULT, key, &args).unwrap_or_else(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(raw: &str) -> Inbound {
        match read(raw.replace('\n', "\r\n").as_bytes(), "sac@empresa.test", None) {
            Mail::Message(m) => *m,
            Mail::Ignored(why) => panic!("ignored: {why}"),
        }
    }

    fn ignored(raw: &str) -> &'static str {
        match read(raw.replace('\n', "\r\n").as_bytes(), "sac@empresa.test", None) {
            Mail::Ignored(why) => why,
            Mail::Message(m) => panic!("read as a message: {m:?}"),
        }
    }

    const PLAIN: &str = "From: Maria Souza <Maria@Cliente.test>\nTo: sac@empresa.test\nSubject: Re: Pedido atrasado [EM00000000007]\nMessage-ID: <abc@cliente.test>\n\nAinda não chegou.\n\nEm 1 de dez., SAC escreveu:\n> Seu pedido saiu.\n> Obrigado\n";

    #[test]
    fn a_plain_mail_gives_its_sender_its_id_and_its_new_text() {
        let m = message(PLAIN);
        assert_eq!((m.contact_key.as_str(), m.contact_email.as_str()), ("maria@cliente.test", "maria@cliente.test"));
        assert_eq!(m.contact_name, "Maria Souza");
        assert_eq!(m.external_id.as_deref(), Some("abc@cliente.test"));
        assert_eq!(m.body, "Ainda não chegou.");
        assert_eq!(m.subject, "Pedido atrasado");
        assert!(m.files.is_empty());
    }

    #[test]
    fn html_is_shown_as_text_and_kept_as_a_file() {
        let m = message(
            "From: a@cliente.test\nSubject: Oi\nContent-Type: text/html; charset=utf-8\n\n<html><head><style>p{}</style><script>alert(1)</script></head><body><p>Ol&aacute; <b>mundo</b></p><p>Segunda linha</p></body></html>\n",
        );
        assert!(m.body.contains("Olá") && m.body.contains("mundo") && m.body.contains("Segunda linha"), "{}", m.body);
        assert!(!m.body.contains('<') && !m.body.contains("alert"), "{}", m.body);
        assert_eq!(m.files.len(), 1);
        assert_eq!(m.files[0].file_name, ORIGINAL_HTML);
        assert!(String::from_utf8_lossy(&m.files[0].bytes).contains("<b>mundo</b>"));
        assert!(m.external_id.unwrap().starts_with("sha256:"), "no Message-ID: a hash of its headers");
    }

    #[test]
    fn a_mail_without_message_id_hashes_the_same_twice() {
        let raw = "From: a@cliente.test\nDate: Mon, 1 Dec 2025 10:00:00 -0300\nSubject: Oi\n\nTexto\n";
        assert_eq!(message(raw).external_id, message(raw).external_id);
        assert_ne!(message(raw).external_id, message(&raw.replace("10:00", "10:01")).external_id);
    }

    #[test]
    fn machines_talking_are_moved_past() {
        let head = "From: a@cliente.test\nSubject: Ausente\n";
        assert_eq!(ignored(&format!("{head}Auto-Submitted: auto-replied\n\nFora")), "auto-submitted");
        assert_eq!(ignored(&format!("{head}Precedence: bulk\n\nOferta")), "bulk");
        assert_eq!(ignored(&format!("{head}Precedence: list\n\nLista")), "bulk");
        assert_eq!(ignored(&format!("{head}X-Autoreply: yes\n\nFora")), "auto-reply");
        assert_eq!(ignored(&format!("{head}X-Auto-Response-Suppress: All\n\nFora")), "auto-response-suppress");
        assert_eq!(ignored(&format!("Return-Path: <>\n{head}\nFalha na entrega")), "bounce");
        assert_eq!(ignored("From: SAC <SAC@empresa.test>\nSubject: x\n\neco"), "our own mail");
        assert_eq!(ignored("Subject: sem remetente\n\nx"), "no sender");
        // "no" says a person wrote it.
        assert_eq!(message(&format!("{head}Auto-Submitted: no\n\nEscrevi eu")).body, "Escrevi eu");
    }

    #[test]
    fn an_empty_text_takes_the_subject_and_a_cut_mail_says_so() {
        assert_eq!(message("From: a@cliente.test\nSubject: Ligar amanhã\n\n").body, "Ligar amanhã");
        let Mail::Message(m) = read(PLAIN.replace('\n', "\r\n").as_bytes(), "sac@empresa.test", Some(40 << 20)) else {
            panic!()
        };
        assert!(m.body.starts_with("Ainda não chegou.") && m.body.contains("40.0"), "{}", m.body);
    }

    #[test]
    fn attachments_come_with_their_names_and_types() {
        let raw = "From: a@cliente.test\nSubject: Nota\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nSegue a nota\n--b\nContent-Type: application/pdf; name=\"nota.pdf\"\nContent-Disposition: attachment; filename=\"nota.pdf\"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjcgeA==\n--b--\n";
        let m = message(raw);
        assert_eq!(m.body, "Segue a nota");
        assert_eq!(m.files.len(), 1);
        assert_eq!((m.files[0].file_name.as_str(), m.files[0].declared_type.as_str()), ("nota.pdf", "application/pdf"));
        assert_eq!(m.files[0].bytes, b"%PDF-1.7 x");
    }

    #[test]
    fn garbage_never_panics() {
        for raw in
            [&b""[..], b"\xff\xfe\x00", b"From:\r\n\r\n", b"Content-Type: multipart/mixed; boundary=x\r\n\r\n--x"]
        {
            let _ = read(raw, "sac@empresa.test", None);
        }
    }
}
