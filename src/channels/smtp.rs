//! Sending e-mail over SMTP (system e-mail: set-password links, tests of the settings);
//! the e-mail channel's sender connects the same way.

use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

use crate::db::settings::Smtp;
use crate::domain::email;
use crate::domain::fields::{self, FieldErrors};

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("SMTP is not configured")]
    NotConfigured,
    #[error("bad address {0:?}")]
    Address(String),
    #[error("building the message: {0}")]
    Build(String),
    #[error("SMTP: {0}")]
    Send(String),
}

/// A plain-text e-mail.
pub struct Mail {
    pub to_name: String,
    pub to_address: String,
    pub subject: String,
    pub body: String,
}

/// The sender as an administrator types it — an address, or a name and an address
/// (`Loja <loja@exemplo.com>`) — with the address checked and normalised by
/// `fields::email`, as every address; empty is "" unless required.
pub fn sender(errors: &mut FieldErrors, field: &'static str, typed: &str, required: bool) -> String {
    let typed = typed.trim();
    let Ok(mailbox) = typed.parse::<Mailbox>() else {
        return fields::email(errors, field, typed, required);
    };
    let address = fields::email(errors, field, mailbox.email.as_ref(), true);
    match address.parse() {
        Ok(address) if !errors.contains_key(field) => Mailbox::new(mailbox.name, address).to_string(),
        _ => {
            errors.entry(field).or_insert("email-invalid");
            typed.to_string()
        }
    }
}

/// An address for the envelope: the domain in Punycode, so that servers without
/// SMTPUTF8 deliver to internationalised domains too (an address stored before the
/// rules of `domain::email` goes as it is).
pub(crate) fn wire_address(address: &str) -> Result<lettre::Address, MailError> {
    let wire = email::ascii(address).unwrap_or_else(|| address.to_string());
    wire.parse().map_err(|_| MailError::Address(address.to_string()))
}

/// Sends one message; blocking (call from a blocking thread).
pub fn send(smtp: &Smtp, mail: &Mail) -> Result<(), MailError> {
    if !smtp.is_configured() {
        return Err(MailError::NotConfigured);
    }
    let from: Mailbox = smtp.from_address.parse().map_err(|_| MailError::Address(smtp.from_address.clone()))?;
    let from = Mailbox::new(from.name, wire_address(&from.email.to_string())?);
    let to = Mailbox::new(Some(mail.to_name.clone()), wire_address(&mail.to_address)?);
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(&mail.subject)
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|e| MailError::Build(e.to_string()))?;
    transport(smtp)?.send(&message).map_err(|e| MailError::Send(e.to_string()))?;
    Ok(())
}

pub(crate) fn transport(smtp: &Smtp) -> Result<SmtpTransport, MailError> {
    let host = smtp.host.trim();
    let tls = || TlsParameters::new(host.to_string()).map_err(|e| MailError::Send(e.to_string()));
    let mut builder =
        SmtpTransport::builder_dangerous(host).port(smtp.port).timeout(Some(std::time::Duration::from_secs(20)));
    builder = match smtp.security.as_str() {
        "tls" => builder.tls(Tls::Wrapper(tls()?)),
        "starttls" => builder.tls(Tls::Required(tls()?)),
        _ => builder.tls(Tls::None),
    };
    if !smtp.username.is_empty() {
        builder = builder.credentials(Credentials::new(smtp.username.clone(), smtp.password.clone()));
    }
    Ok(builder.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sender_is_one_address_with_or_without_a_name() {
        let mut e = FieldErrors::new();
        assert_eq!(sender(&mut e, "from", " Loja <Loja@EXEMPLO.com> ", true), "Loja <Loja@exemplo.com>");
        assert_eq!(sender(&mut e, "from", "loja@Exemplo.com", true), "loja@exemplo.com");
        assert_eq!(sender(&mut e, "from", "", false), "");
        assert!(e.is_empty());
        for bad in ["loja@localhost", "Loja <loja@exemplo>", "Loja <.loja@exemplo.com>", "a@b.com, c@d.com"] {
            let mut e = FieldErrors::new();
            assert_eq!(sender(&mut e, "from", bad, true), bad, "what was typed stays");
            assert_eq!(e["from"], "email-invalid", "{bad}");
        }
        let mut e = FieldErrors::new();
        sender(&mut e, "from", " ", true);
        assert_eq!(e["from"], "field-required");
    }
}
