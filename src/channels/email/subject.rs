//! Subjects: the thread's title as the customer first gave it, and the subject of a
//! reply, which carries the conversation's protocol so that the customer's mail program
//! (and any helpdesk on their side) keeps the thread.

use crate::domain::protocol;

/// Reply and forward prefixes mail programs add, in the languages Atende speaks
/// (Outlook in Portuguese writes "RES:" and "ENC:").
const PREFIXES: [&str; 8] = ["re", "res", "fw", "fwd", "enc", "rv", "aw", "sv"];

/// The subject without reply prefixes and protocol tags: "RES: Re: Pedido [EM00000000007]"
/// → "Pedido".
pub fn thread_title(subject: &str) -> String {
    let words: Vec<&str> = subject
        .split_whitespace()
        .filter(|w| !(w.starts_with('[') && w.ends_with(']') && protocol::is_protocol(&w[1..w.len() - 1])))
        .collect();
    let mut rest = words.join(" ");
    loop {
        let trimmed = rest.trim_start();
        let prefix = trimmed.split_once(':').map(|(p, _)| p.trim().to_ascii_lowercase());
        match prefix {
            Some(p) if PREFIXES.contains(&p.as_str()) => rest = trimmed.split_once(':').unwrap().1.to_string(),
            _ => return trimmed.trim().to_string(),
        }
    }
}

/// The subject of a reply: `Re: <title> [EM00000000123]`, or the protocol alone when the
/// conversation has no title.
pub fn reply(title: &str, protocol: &str) -> String {
    if title.trim().is_empty() {
        format!("[{protocol}]")
    } else {
        format!("Re: {} [{protocol}]", title.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_lose_prefixes_and_protocols_and_replies_carry_them() {
        assert_eq!(thread_title("RES: Re: Pedido atrasado [EM00000000007]"), "Pedido atrasado");
        assert_eq!(thread_title("Fwd: ENC: nota fiscal"), "nota fiscal");
        assert_eq!(thread_title("Reunião: pauta"), "Reunião: pauta");
        assert_eq!(thread_title("[EM00000000007]"), "");
        assert_eq!(thread_title("[urgente] troca"), "[urgente] troca");
        assert_eq!(reply("Pedido atrasado", "EM00000000007"), "Re: Pedido atrasado [EM00000000007]");
        assert_eq!(reply("", "EM00000000007"), "[EM00000000007]");
    }
}
