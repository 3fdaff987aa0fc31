//! "Filtro de palavras": words an agent may not send, and short replies ("obrigado",
//! "ok", "👍") that must not open a new conversation right after one closed.
//!
//! Both compare what people type case- and accent-insensitively (`text::fold`).

use super::text::fold;

/// A letter or digit: what a word is made of. Word boundaries fall between a word
/// character and anything else (space, punctuation, emoji, start or end of text).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Folded, with every run of white space made one space and the ends trimmed.
fn folded_words(text: &str) -> String {
    fold(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `term` (already folded) occurs in `message` (already folded) as whole words:
/// a term that starts (ends) with a letter or digit must not be glued to one before
/// (after) it. Terms that start or end with punctuation or an emoji match as they are.
fn contains_term(message: &str, term: &str) -> bool {
    let (Some(first), Some(last)) = (term.chars().next(), term.chars().next_back()) else {
        return false;
    };
    let mut from = 0;
    while let Some(found) = message[from..].find(term) {
        let start = from + found;
        let end = start + term.len();
        let before_ok = !is_word_char(first) || message[..start].chars().next_back().is_none_or(|c| !is_word_char(c));
        let after_ok = !is_word_char(last) || message[end..].chars().next().is_none_or(|c| !is_word_char(c));
        if before_ok && after_ok {
            return true;
        }
        // Try again one character further (matches may overlap the refused one).
        from = start + message[start..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// The blocked terms `message` contains, as they are written in `blocked`, in that
/// order and without repeats. "idiota" blocks "IDIÓTA!" but not "idiotice"; "vai se"
/// matches the phrase "Vai   SE" but not "vaise".
pub fn blocked_words_in(message: &str, blocked: &[String]) -> Vec<String> {
    let message = folded_words(message);
    let mut found: Vec<String> = Vec::new();
    for term in blocked {
        let folded = folded_words(term);
        if !folded.is_empty() && contains_term(&message, &folded) && !found.contains(term) {
            found.push(term.clone());
        }
    }
    found
}

/// Punctuation around or between words of a short reply ("Ok!", "obrigado, valeu...").
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || "¡¿…“”‘’«»–—·".contains(c)
}

/// Emoji presentation selector and skin tones: "👍🏽" and "👍️" are "👍".
fn is_emoji_modifier(c: char) -> bool {
    c == '\u{FE0F}' || c == '\u{FE0E}' || ('\u{1F3FB}'..='\u{1F3FF}').contains(&c)
}

/// A short reply reduced to what it says: folded, punctuation and emoji modifiers
/// dropped, spaces collapsed, repeated characters squeezed ("Obrigadooo!!" → "obrigado",
/// "👍👍" → "👍"). The same reduction is applied to the terms, so squeezing only ever
/// compares like with like.
fn reduce_reply(text: &str) -> String {
    let cleaned: String = fold(text)
        .chars()
        .filter(|c| !is_emoji_modifier(*c))
        .map(|c| if is_punctuation(c) { ' ' } else { c })
        .collect();
    let spaced = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut squeezed = String::with_capacity(spaced.len());
    let mut previous = None;
    for c in spaced.chars() {
        if previous != Some(c) {
            squeezed.push(c);
        }
        previous = Some(c);
    }
    squeezed
}

/// Whether the whole message is one of the ignore terms.
fn is_ignore_term(message: &str, ignore_terms: &[String]) -> bool {
    let reduced = reduce_reply(message);
    ignore_terms.iter().any(|term| {
        let term_reduced = reduce_reply(term);
        if term_reduced.is_empty() {
            // A term made only of punctuation (":)", "!!"): compare as written.
            let term = folded_words(term);
            !term.is_empty() && term == folded_words(message)
        } else {
            term_reduced == reduced
        }
    })
}

/// Whether a message from a contact opens a new conversation. It does not when the
/// contact's last conversation closed (`closed_at_ms`) less than `window_minutes` ago
/// and the whole message is one of the ignore terms ("obrigado", "ok", "👍" …).
/// A contact with no closed conversation (`None`) always opens one.
pub fn opens_new_conversation(
    message: &str,
    ignore_terms: &[String],
    closed_at_ms: Option<i64>,
    now_ms: i64,
    window_minutes: i64,
) -> bool {
    let Some(closed_at) = closed_at_ms else {
        return true;
    };
    let within_window = now_ms.saturating_sub(closed_at) < window_minutes.saturating_mul(60_000);
    !(within_window && is_ignore_term(message, ignore_terms))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn blocked_words_match_whole_words_ignoring_case_and_accents() {
        let blocked = terms(&["porra", "droga"]);
        assert_eq!(blocked_words_in("PÔRRA!", &blocked), terms(&["porra"]));
        assert_eq!(blocked_words_in("que porra é essa", &blocked), terms(&["porra"]));
        assert_eq!(blocked_words_in("porra", &blocked), terms(&["porra"]));
        assert!(blocked_words_in("foi uma porrada", &blocked).is_empty());
        assert!(blocked_words_in("aporrar", &blocked).is_empty());
        assert!(blocked_words_in("porra1", &blocked).is_empty(), "a digit is part of the word");
        assert_eq!(blocked_words_in("(porra)", &blocked), terms(&["porra"]));
        assert_eq!(blocked_words_in("Droga, porra.", &blocked), terms(&["porra", "droga"]));
        assert!(blocked_words_in("Bom dia!", &blocked).is_empty());
    }

    #[test]
    fn accented_terms_match_plain_text_and_back() {
        let blocked = terms(&["Babaca", "ladrão"]);
        assert_eq!(blocked_words_in("seu bábaca", &blocked), terms(&["Babaca"]));
        assert_eq!(blocked_words_in("LADRAO", &blocked), terms(&["ladrão"]));
    }

    #[test]
    fn multi_word_terms_match_as_a_phrase() {
        let blocked = terms(&["vai se"]);
        assert_eq!(blocked_words_in("Vai   SE danar", &blocked), terms(&["vai se"]));
        assert_eq!(blocked_words_in("vai\nse", &blocked), terms(&["vai se"]));
        assert!(blocked_words_in("vaise", &blocked).is_empty());
        assert!(blocked_words_in("vai sempre", &blocked).is_empty());
        assert!(blocked_words_in("se vai", &blocked).is_empty());
    }

    #[test]
    fn terms_with_punctuation_and_emoji_match() {
        let blocked = terms(&["🖕", "f*da", "p.q.p"]);
        assert_eq!(blocked_words_in("toma🖕", &blocked), terms(&["🖕"]));
        assert_eq!(blocked_words_in("toma 🖕🏽", &blocked), terms(&["🖕"]));
        assert_eq!(blocked_words_in("que F*DA", &blocked), terms(&["f*da"]));
        assert_eq!(blocked_words_in("P.Q.P!", &blocked), terms(&["p.q.p"]));
        assert!(blocked_words_in("👍", &blocked).is_empty());
    }

    #[test]
    fn overlapping_attempts_still_find_a_later_whole_word() {
        assert_eq!(blocked_words_in("porrada e porra", &terms(&["porra"])), terms(&["porra"]));
        assert!(blocked_words_in("", &terms(&["porra"])).is_empty());
        assert!(blocked_words_in("porra", &terms(&["", "  "])).is_empty(), "empty terms never match");
    }

    const MINUTE: i64 = 60_000;

    #[test]
    fn a_thank_you_right_after_closing_does_not_open_a_conversation() {
        let ignore = terms(&["obrigado", "ok", "👍", "valeu", "muito obrigada"]);
        let closed = Some(1_000 * MINUTE);
        let now = closed.unwrap() + 5 * MINUTE;
        for reply in
            ["obrigado", "  Obrigado!  ", "OBRIGADOOO!!", "ok", "Ok.", "👍", "👍🏽", "👍👍", "valeu", "Muito obrigada!"]
        {
            assert!(!opens_new_conversation(reply, &ignore, closed, now, 10), "{reply:?}");
        }
    }

    #[test]
    fn anything_else_or_later_opens_a_conversation() {
        let ignore = terms(&["obrigado", "ok"]);
        let closed = Some(1_000 * MINUTE);
        let soon = closed.unwrap() + 5 * MINUTE;
        assert!(opens_new_conversation("obrigado, mas tenho outra dúvida", &ignore, closed, soon, 10));
        assert!(opens_new_conversation("okay", &ignore, closed, soon, 10));
        assert!(opens_new_conversation("", &ignore, closed, soon, 10));
        assert!(opens_new_conversation("obrigado", &ignore, closed, closed.unwrap() + 10 * MINUTE, 10), "window over");
        assert!(!opens_new_conversation("obrigado", &ignore, closed, closed.unwrap() + 10 * MINUTE - 1, 10));
        assert!(opens_new_conversation("obrigado", &ignore, None, soon, 10), "no conversation before");
        assert!(opens_new_conversation("obrigado", &[], closed, soon, 10), "no terms");
        assert!(opens_new_conversation("obrigado", &ignore, closed, soon, 0), "window of zero minutes");
    }

    #[test]
    fn punctuation_only_terms_compare_as_written() {
        let ignore = terms(&[":)"]);
        let closed = Some(0);
        assert!(!opens_new_conversation(" :) ", &ignore, closed, MINUTE, 10));
        assert!(opens_new_conversation(":(", &ignore, closed, MINUTE, 10));
        assert!(opens_new_conversation("", &ignore, closed, MINUTE, 10));
    }
}
