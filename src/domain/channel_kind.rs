//! The kinds of channel customers write from, and what each can do. This is the one
//! list: the stored name, the protocol prefix, the catalogue key and the limits of a
//! kind live here, and nowhere else matches on a kind's name.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    #[serde(rename = "webchat")]
    WebChat,
    #[serde(rename = "whatsapp")]
    WhatsApp,
    Telegram,
    Email,
}

/// How messages from the contact reach us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intake {
    /// The outside calls us (the widget's POST, a webhook).
    Pushed,
    /// We ask the outside (Telegram's long polling, IMAP).
    Polled,
}

/// How fast a channel lets us send: messages per second on the whole channel (one bot,
/// one number) and, when it also limits each conversation, per chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendRate {
    pub per_second: u32,
    pub per_chat_per_second: Option<u32>,
}

/// A stored kind we do not know (a newer database, a typo in a script).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown channel kind {0:?} (expected webchat, whatsapp, telegram or email)")]
pub struct UnknownKind(pub String);

/// An e-mail reply's cap in characters: far above a real answer, well inside the
/// 64 KiB a form may carry.
pub const LONGEST_MAIL_REPLY: usize = 16_000;

impl ChannelKind {
    pub const ALL: [ChannelKind; 4] =
        [ChannelKind::WebChat, ChannelKind::WhatsApp, ChannelKind::Telegram, ChannelKind::Email];

    /// The name stored in `channels.kind`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ChannelKind::WebChat => "webchat",
            ChannelKind::WhatsApp => "whatsapp",
            ChannelKind::Telegram => "telegram",
            ChannelKind::Email => "email",
        }
    }

    pub fn parse(stored: &str) -> Result<ChannelKind, UnknownKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == stored).ok_or_else(|| UnknownKind(stored.to_string()))
    }

    /// The two letters that open its protocol numbers (WC00000000042).
    pub const fn protocol_prefix(self) -> &'static str {
        match self {
            ChannelKind::WebChat => "WC",
            ChannelKind::WhatsApp => "WA",
            ChannelKind::Telegram => "TL",
            ChannelKind::Email => "EM",
        }
    }

    /// The catalogue key of its name as people read it ("Chat do site"). Templates that
    /// only hold the stored name build the same key: `channels-kind-` + name.
    pub fn display_key(self) -> String {
        format!("channels-kind-{}", self.as_str())
    }

    /// Free-form messages only within 24 hours of the contact's last message.
    pub const fn has_24_hour_window(self) -> bool {
        matches!(self, ChannelKind::WhatsApp)
    }

    /// The channel tells us when the contact received and read a message.
    pub const fn has_read_receipts(self) -> bool {
        matches!(self, ChannelKind::WebChat | ChannelKind::WhatsApp)
    }

    /// The longest text one message may carry, in characters; `None`: no practical limit.
    pub const fn text_limit(self) -> Option<usize> {
        match self {
            ChannelKind::WebChat | ChannelKind::WhatsApp | ChannelKind::Telegram => Some(4096),
            ChannelKind::Email => None,
        }
    }

    /// The longest reply an agent may write on the channel: its text limit, or for a
    /// channel without one (e-mail) as much as the composer's form carries comfortably.
    pub const fn reply_limit(self) -> usize {
        match self.text_limit() {
            Some(limit) => limit,
            None => LONGEST_MAIL_REPLY,
        }
    }

    /// The longest caption of a file, when shorter than the text limit (Telegram: 1,024).
    pub const fn caption_limit(self) -> Option<usize> {
        match self {
            ChannelKind::Telegram => Some(1024),
            _ => self.text_limit(),
        }
    }

    /// The pace the service asks senders to keep (Telegram: 30 a second per bot and one a
    /// second per chat; WhatsApp Cloud: 80 a second per number); `None`: no limit of its
    /// own (the web chat is ours, e-mail goes through the company's SMTP server).
    pub const fn send_rate(self) -> Option<SendRate> {
        match self {
            ChannelKind::Telegram => Some(SendRate { per_second: 30, per_chat_per_second: Some(1) }),
            ChannelKind::WhatsApp => Some(SendRate { per_second: 80, per_chat_per_second: None }),
            ChannelKind::WebChat | ChannelKind::Email => None,
        }
    }

    /// Where the service calls Atende for a channel with this key, when it does.
    pub fn webhook_path(self, key: &str) -> Option<String> {
        match self {
            ChannelKind::WhatsApp => Some(format!("/webhooks/whatsapp/{key}")),
            ChannelKind::WebChat | ChannelKind::Telegram | ChannelKind::Email => None,
        }
    }

    /// Whether the channel talks to a service outside Atende (then it can be tested).
    pub const fn reaches_a_service(self) -> bool {
        !matches!(self, ChannelKind::WebChat)
    }

    pub const fn intake(self) -> Intake {
        match self {
            ChannelKind::WebChat | ChannelKind::WhatsApp => Intake::Pushed,
            ChannelKind::Telegram | ChannelKind::Email => Intake::Polled,
        }
    }
}

impl std::fmt::Display for ChannelKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ChannelKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ChannelKind::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_round_trip_and_unknown_ones_are_refused() {
        for kind in ChannelKind::ALL {
            assert_eq!(ChannelKind::parse(kind.as_str()), Ok(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
            assert_eq!(kind.display_key(), format!("channels-kind-{kind}"));
        }
        let err = ChannelKind::parse("fax").unwrap_err();
        assert_eq!(err, UnknownKind("fax".into()));
        assert!(err.to_string().contains("\"fax\""));
        assert!(ChannelKind::parse("WebChat").is_err(), "stored names are exact");
    }

    #[test]
    fn prefixes_are_two_distinct_letters() {
        let prefixes: Vec<_> = ChannelKind::ALL.iter().map(|k| k.protocol_prefix()).collect();
        assert_eq!(prefixes, ["WC", "WA", "TL", "EM"]);
    }

    #[test]
    fn capabilities() {
        use ChannelKind::*;
        assert!(WhatsApp.has_24_hour_window());
        assert!(!Telegram.has_24_hour_window() && !Email.has_24_hour_window() && !WebChat.has_24_hour_window());
        assert!(WhatsApp.has_read_receipts() && WebChat.has_read_receipts());
        assert!(!Telegram.has_read_receipts() && !Email.has_read_receipts());
        assert_eq!((Telegram.text_limit(), Telegram.caption_limit()), (Some(4096), Some(1024)));
        assert_eq!(WhatsApp.text_limit(), Some(4096));
        assert_eq!((Email.text_limit(), Email.caption_limit()), (None, None));
        assert_eq!((WebChat.reply_limit(), Telegram.reply_limit(), Email.reply_limit()), (4096, 4096, 16_000));
        assert_eq!(Telegram.intake(), Intake::Polled);
        assert_eq!(Email.intake(), Intake::Polled);
        assert_eq!(WhatsApp.intake(), Intake::Pushed);
        assert_eq!(WebChat.intake(), Intake::Pushed);
        assert_eq!(Telegram.send_rate(), Some(SendRate { per_second: 30, per_chat_per_second: Some(1) }));
        assert_eq!(WhatsApp.send_rate().map(|r| (r.per_second, r.per_chat_per_second)), Some((80, None)));
        assert_eq!((WebChat.send_rate(), Email.send_rate()), (None, None));
    }
}
