//! Replies by SMTP: from the channel's address to the contact's, with the protocol in
//! the subject, In-Reply-To and References naming the customer's mails (so their mail
//! program threads it), its own Message-ID as the provider id, and `Auto-Submitted:
//! auto-replied` on what Atende writes by itself, which well-behaved auto-responders
//! never answer. A 4xx or a network failure is tried again; a 5xx fails the message
//! with the server's words.

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{Message, Transport};

use super::settings::Settings;
use super::subject;
use crate::channels::smtp::{transport, wire_address};
use crate::channels::{Delivery, Outgoing, Sender};
use crate::db::channels::Channel;
use crate::db::settings::Smtp;

/// The largest file a reply carries (what Atende stores is smaller still).
const MAX_ATTACHMENT_BYTES: u64 = 20 * 1024 * 1024;
/// How many earlier mails References names at most (the newest ones).
const MAX_REFERENCES: usize = 20;

pub struct EmailSender {
    settings: Settings,
    /// Shown as the sender's name.
    name: String,
}

impl EmailSender {
    pub fn new(channel: &Channel) -> EmailSender {
        EmailSender { settings: Settings::of(channel), name: channel.name.clone() }
    }
}

/// RFC 3834's mark on a message a machine wrote.
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-replied".into())
    }
}

/// The SMTP side of the settings, as the account mail's transport takes it.
fn smtp(settings: &Settings) -> Smtp {
    Smtp {
        host: settings.smtp_host.clone(),
        port: settings.smtp_port,
        security: settings.smtp_security.as_str().into(),
        username: settings.login().into(),
        password: settings.password.clone(),
        from_address: settings.address.clone(),
    }
}

/// An id in angle brackets, when it is one a header may carry (a hash Atende made for
/// a mail without Message-ID is not).
fn bracketed(id: &str) -> Option<String> {
    let well_formed = id.contains('@') && !id.contains(|c: char| c.is_whitespace() || c == '<' || c == '>');
    well_formed.then(|| format!("<{id}>"))
}

/// A new Message-ID on the channel's domain (without brackets, as inbound ids are kept).
fn new_message_id(protocol: &str, address: &str) -> String {
    let domain = address.rsplit('@').next().unwrap_or("localhost");
    format!("{}.{protocol}@{domain}", hex::encode(rand::random::<[u8; 12]>()))
}

impl EmailSender {
    fn message(&self, out: &Outgoing, message_id: &str) -> Result<Message, String> {
        let from =
            Mailbox::new(Some(self.name.clone()), wire_address(&self.settings.address).map_err(|e| e.to_string())?);
        let to = Mailbox::new(None, wire_address(&out.to).map_err(|e| e.to_string())?);
        let mut builder = Message::builder()
            .from(from)
            .to(to)
            .subject(subject::reply(&out.subject, &out.protocol))
            .message_id(Some(format!("<{message_id}>")));
        let references: Vec<String> = out.references.iter().filter_map(|r| bracketed(r)).collect();
        if let Some(parent) = out.in_reply_to.as_deref().and_then(bracketed) {
            builder = builder.in_reply_to(parent);
        }
        if !references.is_empty() {
            let newest = &references[references.len().saturating_sub(MAX_REFERENCES)..];
            builder = builder.references(newest.join(" "));
        }
        if out.automatic {
            builder = builder.header(AutoSubmitted);
        }
        let text = SinglePart::builder().header(ContentType::TEXT_PLAIN).body(out.body.clone());
        let built = match &out.attachment {
            None => builder.singlepart(text),
            Some(file) => {
                let size = std::fs::metadata(&file.path).map_err(|e| format!("{}: {e}", file.file_name))?.len();
                if size > MAX_ATTACHMENT_BYTES {
                    return Err(format!("{}: larger than {} MB", file.file_name, MAX_ATTACHMENT_BYTES >> 20));
                }
                let bytes = std::fs::read(&file.path).map_err(|e| format!("{}: {e}", file.file_name))?;
                let kind = ContentType::parse(&file.content_type)
                    .unwrap_or(ContentType::parse("application/octet-stream").expect("a valid type"));
                let attachment = Attachment::new(file.file_name.clone()).body(bytes, kind);
                builder.multipart(MultiPart::mixed().singlepart(text).singlepart(attachment))
            }
        };
        built.map_err(|e| e.to_string())
    }
}

impl Sender for EmailSender {
    fn send(&self, out: &Outgoing) -> Delivery {
        if out.to.is_empty() {
            return Delivery::Failed { reason: "the contact has no address on this channel".into() };
        }
        let message_id = new_message_id(&out.protocol, &self.settings.address);
        let message = match self.message(out, &message_id) {
            Ok(message) => message,
            Err(reason) => return Delivery::Failed { reason },
        };
        let transport = match transport(&smtp(&self.settings)) {
            Ok(transport) => transport,
            Err(e) => return Delivery::Retry { after: None, reason: e.to_string() },
        };
        match transport.send(&message) {
            Ok(_) => Delivery::Sent { provider_id: Some(message_id) },
            Err(e) if e.is_permanent() => Delivery::Failed { reason: format!("SMTP: {e}") },
            // 4xx, the network, TLS, a timeout: the server may take it later.
            Err(e) => Delivery::Retry { after: None, reason: format!("SMTP: {e}") },
        }
    }
}

/// Greets the SMTP server (and signs in): the connection test.
pub(super) fn greet(settings: &Settings) -> Result<(), String> {
    let host = &settings.smtp_host;
    let failed = |e: &dyn std::fmt::Display| format!("SMTP {host}: {e}");
    let transport = transport(&smtp(settings)).map_err(|e| failed(&e))?;
    match transport.test_connection() {
        Ok(true) => Ok(()),
        Ok(false) => Err(failed(&"no answer")),
        Err(e) => Err(failed(&e)),
    }
}
