//! The internal chat's rules (F-AG-20): whom a thread is with, and what a message may be.

use super::text;

/// The longest message, in characters.
pub const MAX_BODY: usize = 4000;

/// Whom a thread is with: a colleague (one to one) or a team's channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peer {
    Person(i64),
    Team(i64),
}

impl Peer {
    /// The thread's address under `/agent/chat/` (`people/5`, `teams/2`), which the page
    /// and the live notices name it by.
    pub fn address(self) -> String {
        match self {
            Peer::Person(id) => format!("people/{id}"),
            Peer::Team(id) => format!("teams/{id}"),
        }
    }
}

/// The two members of a one-to-one thread, the lower id first; `None` for oneself.
pub fn pair(a: i64, b: i64) -> Option<(i64, i64)> {
    match a.cmp(&b) {
        std::cmp::Ordering::Less => Some((a, b)),
        std::cmp::Ordering::Greater => Some((b, a)),
        std::cmp::Ordering::Equal => None,
    }
}

/// A message as typed, cleaned; refused (with the catalogue key of why) when nothing is
/// left or it is longer than `MAX_BODY`.
pub fn body(typed: &str) -> Result<String, &'static str> {
    let cleaned = text::message(typed);
    if cleaned.is_empty() {
        Err("chat-empty")
    } else if cleaned.chars().count() > MAX_BODY {
        Err("chat-too-long")
    } else {
        Ok(cleaned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pair_is_ordered_and_never_oneself() {
        assert_eq!(pair(7, 3), Some((3, 7)));
        assert_eq!(pair(3, 7), Some((3, 7)));
        assert_eq!(pair(4, 4), None);
    }

    #[test]
    fn a_body_is_cleaned_and_bounded() {
        assert_eq!(body("  Oi, tudo bem?\r\n "), Ok("Oi, tudo bem?".into()));
        assert_eq!(body(" \n\t "), Err("chat-empty"));
        assert_eq!(body(&"a".repeat(MAX_BODY)).map(|b| b.len()), Ok(MAX_BODY));
        assert_eq!(body(&"ç".repeat(MAX_BODY + 1)), Err("chat-too-long"));
    }

    #[test]
    fn addresses_name_the_peer() {
        assert_eq!(Peer::Person(5).address(), "people/5");
        assert_eq!(Peer::Team(2).address(), "teams/2");
    }
}
