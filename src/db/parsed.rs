//! JSON documents read on paths that run for every message (the settings, a flow
//! version's definition) are parsed once per thread: each thread keeps the last parse of
//! each document with the text it came from, and parses again only when the text it
//! reads differs. The row is still read every time, so a change is seen at once and two
//! databases used from one thread (tests) never see each other's documents.

/// How many documents a thread keeps; past that the oldest is parsed again when needed.
const KEPT: usize = 16;

pub struct Parsed<T> {
    /// (the document's key, its text, its parse), oldest first.
    kept: Vec<(i64, String, T)>,
}

impl<T> Parsed<T> {
    pub const fn new() -> Parsed<T> {
        Parsed { kept: Vec::new() }
    }

    /// `what` of document `key`, whose stored text is `text`: `parse` runs only when the
    /// thread has not parsed this very text for this key.
    pub fn with<R>(&mut self, key: i64, text: &str, parse: impl FnOnce(&str) -> T, what: impl FnOnce(&T) -> R) -> R {
        match self.kept.iter().position(|(k, seen, _)| *k == key && seen == text) {
            Some(i) => what(&self.kept[i].2),
            None => {
                self.kept.retain(|(k, _, _)| *k != key);
                if self.kept.len() >= KEPT {
                    self.kept.remove(0);
                }
                let parsed = parse(text);
                let answer = what(&parsed);
                self.kept.push((key, text.to_string(), parsed));
                answer
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_parsed_again_only_when_its_text_changes() {
        let mut parsed = Parsed::new();
        let mut parses = 0;
        let mut read = |key: i64, text: &str| {
            parsed.with(
                key,
                text,
                |t| {
                    parses += 1;
                    t.len()
                },
                |n| *n,
            )
        };
        assert_eq!(read(1, "abc"), 3);
        assert_eq!(read(1, "abc"), 3);
        assert_eq!(read(2, "abcd"), 4);
        assert_eq!(read(1, "abc"), 3);
        // A changed text under the same key is parsed, and replaces the old one.
        assert_eq!(read(1, "ab"), 2);
        assert_eq!(read(1, "ab"), 2);
        // More documents than are kept: all still read right.
        for key in 10..(10 + KEPT as i64 * 2) {
            assert_eq!(read(key, &"x".repeat(key as usize)), key as usize);
        }
        assert_eq!(read(1, "ab"), 2);
        drop(read);
        assert_eq!(parses, 3 + KEPT * 2 + 1);
        assert!(parsed.kept.len() <= KEPT);
    }
}
