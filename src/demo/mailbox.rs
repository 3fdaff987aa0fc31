//! The e-mail side of the phone: the company's demo mailbox (the folder the IMAP server
//! shows, one mail per UID) and the customer's mail program (her conversations, each
//! her mails and the replies the SMTP sink took, threaded by Message-ID, In-Reply-To
//! and References as a mail program threads them). A few mails wait at every start.

use lettre::message::{header::ContentType, Mailbox as Address};
use mail_parser::MessageParser;
use serde::Serialize;

use super::phone::{Phone, EMAIL_CUSTOMER};
use crate::db::now_ms;

/// The longest subject the customer may type.
pub const MAX_SUBJECT_CHARS: usize = 200;
/// How many mails the demo mailbox keeps (the oldest stay: UIDs never move).
const MOST_MAILS: usize = 2_000;

/// Mails waiting at start: (Message-ID, name, address, subject, text). Fixed ids, so a
/// second run's copies are known to Atende already.
const WAITING: [(&str, &str, &str, &str, &str); 2] = [
    (
        "demo-mail-1@exemplo.com",
        EMAIL_CUSTOMER.0,
        EMAIL_CUSTOMER.1,
        "Nota fiscal do pedido 4521",
        "Olá! Comprei uma cafeteira na semana passada (pedido 4521) e não recebi a nota fiscal. Podem me enviar?\n\nObrigada,\nHelena",
    ),
    (
        "demo-mail-2@exemplo.com",
        "Roberto Almeida",
        "roberto.almeida@exemplo.com",
        "Troca de tamanho",
        "Bom dia. A camiseta que recebi ficou pequena. Como faço para trocar por um tamanho maior?\n\nRoberto",
    ),
];

#[derive(Debug, Clone, Serialize)]
pub struct Mail {
    /// Written by the customer (else a reply from the company).
    pub customer: bool,
    pub from: String,
    pub subject: String,
    pub text: String,
    pub at: i64,
}

/// One conversation in the customer's mail program.
#[derive(Debug, Clone, Serialize)]
pub struct Thread {
    pub id: usize,
    pub subject: String,
    pub mails: Vec<Mail>,
    /// The Message-IDs in it, without brackets.
    #[serde(skip)]
    pub ids: Vec<String>,
}

pub struct Mailbox {
    /// Changes every run: the UIDs of another run meant other mails.
    pub validity: u32,
    /// The folder's mails as sent, UID = position + 1.
    pub folder: Vec<Vec<u8>>,
    /// The customer's conversations, oldest first.
    pub threads: Vec<Thread>,
}

fn new_message_id() -> String {
    format!("{}@exemplo.com", hex::encode(rand::random::<[u8; 12]>()))
}

/// A mail as a mail program writes it, to `to`.
fn raw_mail(from: (&str, &str), to: &str, subject: &str, text: &str, id: &str, parents: &[String]) -> Option<Vec<u8>> {
    let from = Address::new(Some(from.0.to_string()), from.1.parse().ok()?);
    let mut builder =
        lettre::Message::builder().from(from).to(to.parse().ok()?).subject(subject).message_id(Some(format!("<{id}>")));
    if let Some(parent) = parents.last() {
        builder = builder.in_reply_to(format!("<{parent}>"));
        builder = builder.references(parents.iter().map(|p| format!("<{p}>")).collect::<Vec<_>>().join(" "));
    }
    builder.header(ContentType::TEXT_PLAIN).body(text.to_string()).ok().map(|m| m.formatted())
}

/// A subject as a mail program compares them: without `Re:`s and a trailing `[…]`.
fn topic(subject: &str) -> String {
    let mut rest = subject.trim();
    while let Some(after) = rest.get(..3).filter(|p| p.eq_ignore_ascii_case("re:")).map(|_| &rest[3..]) {
        rest = after.trim_start();
    }
    if let (true, Some(open)) = (rest.ends_with(']'), rest.rfind('[')) {
        rest = rest[..open].trim_end();
    }
    rest.to_lowercase()
}

fn bare(id: &str) -> String {
    id.trim().trim_start_matches('<').trim_end_matches('>').to_string()
}

impl Mailbox {
    /// The mailbox of `address` at start, with the mails that wait in it.
    pub fn with_demo_mail(address: &str) -> Mailbox {
        let validity = (now_ms() / 1000) as u32;
        let mut mailbox = Mailbox { validity, folder: Vec::new(), threads: Vec::new() };
        for (id, name, from, subject, text) in WAITING {
            if let Some(raw) = raw_mail((name, from), address, subject, text, id, &[]) {
                mailbox.folder.push(raw);
            }
            if from == EMAIL_CUSTOMER.1 {
                mailbox.add(None, id.to_string(), Mail::customer(subject, text));
            }
        }
        mailbox
    }

    /// Puts a mail in a thread (`None`: a new one).
    fn add(&mut self, thread: Option<usize>, id: String, mail: Mail) {
        match thread.and_then(|t| self.threads.get_mut(t)) {
            Some(t) => {
                t.ids.push(id);
                t.mails.push(mail);
            }
            None => {
                let id_in_list = self.threads.len();
                self.threads.push(Thread {
                    id: id_in_list,
                    subject: mail.subject.clone(),
                    mails: vec![mail],
                    ids: vec![id],
                });
            }
        }
    }
}

impl Mail {
    fn customer(subject: &str, text: &str) -> Mail {
        let from = format!("{} <{}>", EMAIL_CUSTOMER.0, EMAIL_CUSTOMER.1);
        Mail { customer: true, from, subject: subject.into(), text: text.into(), at: now_ms() }
    }
}

/// What the customer typed as a subject, refused with the catalogue key of why.
pub fn typed_subject(subject: &str) -> Result<String, &'static str> {
    let subject = crate::domain::text::one_line(subject);
    match subject.chars().count() {
        0 => Err("demo-phone-no-subject"),
        n if n > MAX_SUBJECT_CHARS => Err("demo-phone-subject-too-long"),
        _ => Ok(subject.trim().to_string()),
    }
}

impl Phone {
    pub fn mail_threads(&self) -> Vec<Thread> {
        self.read(|s| s.mailbox.threads.iter().rev().cloned().collect())
    }

    /// The customer writes a mail, new or in reply within `thread`: it lands in the
    /// demo mailbox (the next UID) and in her conversation.
    pub fn customer_mails(&self, thread: Option<usize>, subject: &str, text: &str) -> Result<(), &'static str> {
        let address = self.links().email.address.clone();
        self.change(|s| {
            let mailbox = &mut s.mailbox;
            if mailbox.folder.len() >= MOST_MAILS {
                return Err("demo-phone-mailbox-full");
            }
            let parents = thread.and_then(|t| mailbox.threads.get(t)).map(|t| t.ids.clone()).unwrap_or_default();
            let subject = match thread.and_then(|t| mailbox.threads.get(t)) {
                Some(_) if !subject.is_empty() => subject.to_string(),
                Some(t) => format!("Re: {}", t.subject.trim_start_matches("Re: ")),
                None => subject.to_string(),
            };
            let id = new_message_id();
            let raw = raw_mail(EMAIL_CUSTOMER, &address, &subject, text, &id, &parents).ok_or("demo-phone-empty")?;
            mailbox.folder.push(raw);
            mailbox.add(thread.filter(|t| *t < mailbox.threads.len()), id, Mail::customer(&subject, text));
            Ok(())
        })
    }

    /// A mail the SMTP sink took: a reply to the customer joins the conversation it
    /// answers (by In-Reply-To and References, else by its subject, as mail programs
    /// do), else starts one. Mails to others are delivered nowhere.
    pub fn mail_arrives(&self, raw: &[u8]) {
        let Some(message) = MessageParser::default().parse(raw) else { return };
        let to_customer = message
            .to()
            .into_iter()
            .flat_map(|to| to.iter())
            .any(|a| a.address().is_some_and(|a| a.eq_ignore_ascii_case(EMAIL_CUSTOMER.1)));
        if !to_customer {
            return;
        }
        let mut parents: Vec<String> =
            message.references().as_text_list().unwrap_or_default().iter().map(|r| bare(r)).collect();
        parents.extend(message.in_reply_to().as_text_list().unwrap_or_default().iter().map(|r| bare(r)));
        let from = message.from().and_then(|f| f.first()).map(|a| {
            let address = a.address().unwrap_or_default();
            a.name().map_or_else(|| address.to_string(), |name| format!("{name} <{address}>"))
        });
        let mail = Mail {
            customer: false,
            from: from.unwrap_or_default(),
            subject: message.subject().unwrap_or_default().to_string(),
            text: message.body_text(0).map(|t| t.trim().to_string()).unwrap_or_default(),
            at: now_ms(),
        };
        let id = message.message_id().map(bare).unwrap_or_else(new_message_id);
        let about = topic(&mail.subject);
        self.change(|s| {
            let threads = &s.mailbox.threads;
            let thread = threads
                .iter()
                .position(|t| parents.iter().any(|p| t.ids.contains(p)))
                .or_else(|| threads.iter().position(|t| topic(&t.subject) == about));
            s.mailbox.add(thread, id, mail);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_compare_without_replies_and_the_protocol() {
        assert_eq!(topic("Re: RE: Nota fiscal [EM00000000002]"), "nota fiscal");
        assert_eq!(topic("Nota fiscal"), "nota fiscal");
        assert_eq!(topic("Re:"), "");
    }
}
