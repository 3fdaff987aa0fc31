//! Protocol numbers: two letters of the channel and an 11-digit sequence, e.g.
//! WC00000000042 (web chat), WA… (WhatsApp), TL… (Telegram), EM… (e-mail).

use super::channel_kind::ChannelKind;

/// `format(WebChat, 42)` → `WC00000000042`. The sequence wraps past 11 digits never
/// in practice (100 billion conversations); it is taken modulo to stay well-formed.
pub fn format(kind: ChannelKind, sequence: i64) -> String {
    format!("{}{:011}", kind.protocol_prefix(), sequence.rem_euclid(100_000_000_000))
}

/// Whether a text looks like a protocol number (two letters we use + 11 digits).
pub fn is_protocol(text: &str) -> bool {
    let text = text.trim();
    text.len() == 13
        && ChannelKind::ALL.iter().any(|k| text.starts_with(k.protocol_prefix()))
        && text[2..].chars().all(|c| c.is_ascii_digit())
}

/// The protocol numbers a message quotes, as written anywhere in it ("meu protocolo é
/// wa00000052829."), in the order they appear.
pub fn quoted(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .map(str::to_ascii_uppercase)
        .filter(|word| is_protocol(word))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_protocols_a_message_quotes() {
        assert_eq!(quoted("Sobre o protocolo wa00000052829, e o EM00000052813."), ["WA00000052829", "EM00000052813"]);
        assert!(quoted("Pedido 00000052829 e XX00000052813 e WA000000528290").is_empty());
    }

    #[test]
    fn formats_and_recognises() {
        assert_eq!(format(ChannelKind::WebChat, 42), "WC00000000042");
        assert_eq!(format(ChannelKind::WhatsApp, 52829), "WA00000052829");
        assert!(is_protocol("EM00000052813"));
        assert!(is_protocol("TL00000000001"));
        assert!(!is_protocol("EM0000005281"));
        assert!(!is_protocol("XX00000052813"));
        assert!(!is_protocol("é0000000528"));
    }
}
