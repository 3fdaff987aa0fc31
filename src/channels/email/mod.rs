//! The e-mail channel (F-CH-4): an IMAP folder polled for mail in, SMTP for replies.
//!
//! A mail's contact is its sender, by the lower-cased address. A reply threads by who
//! sent it: the sender's open conversation on the channel is the thread, whatever the
//! subject says. The protocol in the subject (`[EM00000000123]`) and In-Reply-To /
//! References are written on every reply so that the customer's mail program keeps the
//! thread on their side; a different person answering in the same thread is another
//! contact, so they get a conversation of their own. Auto-replies and bulk mail are
//! moved past (`mail`), so Atende never answers a machine.

mod connection;
pub mod mail;
mod poller;
mod sender;
pub mod settings;
pub mod subject;

pub use poller::EmailPoller;
pub use sender::EmailSender;
pub use settings::Settings;
