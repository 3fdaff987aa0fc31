//! Protocol numbers: two letters of the channel and an 11-digit sequence, e.g.
//! WC00000000042 (web chat), WA… (WhatsApp), TL… (Telegram), EM… (e-mail).

/// The two letters of a channel kind.
pub fn prefix(kind: &str) -> Option<&'static str> {
    match kind {
        "webchat" => Some("WC"),
        "whatsapp" => Some("WA"),
        "telegram" => Some("TL"),
        "email" => Some("EM"),
        _ => None,
    }
}

/// `format("webchat", 42)` → `WC00000000042`. The sequence wraps past 11 digits never
/// in practice (100 billion conversations); it is taken modulo to stay well-formed.
pub fn format(kind: &str, sequence: i64) -> Option<String> {
    Some(format!("{}{:011}", prefix(kind)?, sequence.rem_euclid(100_000_000_000)))
}

/// Whether a text looks like a protocol number (two letters we use + 11 digits).
pub fn is_protocol(text: &str) -> bool {
    let text = text.trim();
    text.len() == 13 && ["WC", "WA", "TL", "EM"].contains(&&text[..2]) && text[2..].chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_recognises() {
        assert_eq!(format("webchat", 42).as_deref(), Some("WC00000000042"));
        assert_eq!(format("whatsapp", 52829).as_deref(), Some("WA00000052829"));
        assert_eq!(format("fax", 1), None);
        assert!(is_protocol("EM00000052813"));
        assert!(!is_protocol("EM0000005281"));
        assert!(!is_protocol("XX00000052813"));
    }
}
