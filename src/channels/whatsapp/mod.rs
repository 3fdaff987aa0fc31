//! The WhatsApp Cloud API channel: its settings, Meta's webhook (signature and payload),
//! the Graph API calls, the sender and contacts' files. The webhook's HTTP side lives
//! in `web::webhooks::whatsapp`.

mod graph;
mod intake;
mod media;
mod sender;
mod settings;
mod webhook;

pub use intake::{take, Refusal, Taken};
pub use media::{receive, WhatsAppMedia};
pub use sender::WhatsAppSender;
pub use settings::{test_connection, Settings, DEFAULT_API_BASE, DEFAULT_GRAPH_VERSION};
pub use webhook::{parse, signed_by, Malformed, Payload, Received, StatusUpdate};

/// A catalogue text in the language the floor speaks by default: what the channel
/// stores for agents to read (a failure's reason, a location or a reaction in words).
fn words(key: &str, args: &[(&'static str, String)]) -> String {
    let args: Vec<_> = args.iter().map(|(k, v)| (*k, v.clone().into())).collect();
    crate::i18n::translate_with(crate::i18n::DEFAULT, key, &args)
}
