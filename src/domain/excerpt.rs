//! The excerpt of a message a search found: a few words around the first word searched
//! for, each word searched for marked. Words are read as the search index reads them —
//! runs of letters and digits, compared without case or accents — so what is marked is
//! what matched.

use serde::Serialize;

use super::text::fold;

/// A piece of an excerpt: plain text, or the text of a match.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ExcerptPart {
    pub text: String,
    pub mark: bool,
}

/// The words of `text`: each one's byte range.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                found.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        found.push((s, text.len()));
    }
    found
}

/// At most `length` words of `text` from shortly before the first word of `searched`
/// (the words as typed, quotes and signs aside), those words marked, `…` where text was
/// left out. The text's start when no word matches.
pub fn excerpt(text: &str, searched: &str, length: usize) -> Vec<ExcerptPart> {
    let wanted: Vec<String> = words(searched).into_iter().map(|(s, e)| fold(&searched[s..e])).collect();
    let all = words(text);
    let marked: Vec<bool> = all.iter().map(|(s, e)| wanted.contains(&fold(&text[*s..*e]))).collect();
    let length = length.max(1);
    let first = marked.iter().position(|m| *m).unwrap_or(0);
    let start = first.saturating_sub(length / 4).min(all.len().saturating_sub(length));
    let end = (start + length).min(all.len());
    let mut parts: Vec<ExcerptPart> = Vec::new();
    let mut push = |text: &str, mark: bool| match parts.last_mut() {
        Some(last) if last.mark == mark => last.text.push_str(text),
        _ if text.is_empty() => {}
        _ => parts.push(ExcerptPart { text: text.to_string(), mark }),
    };
    if all.is_empty() {
        push(text.trim(), false);
        return parts;
    }
    if start > 0 {
        push("…", false);
    }
    let mut at = if start == 0 { 0 } else { all[start].0 };
    for i in start..end {
        let (s, e) = all[i];
        push(&text[at..s], false);
        push(&text[s..e], marked[i]);
        at = e;
    }
    if end < all.len() {
        push("…", false);
    } else {
        push(&text[at..], false);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(parts: &[ExcerptPart]) -> String {
        parts.iter().map(|p| if p.mark { format!("[{}]", p.text) } else { p.text.clone() }).collect()
    }

    #[test]
    fn the_words_searched_are_marked_without_case_or_accents() {
        let parts = excerpt("Quero o REEMBOLSO da ação, já!", "\"reembolso\" \"acao\"", 16);
        assert_eq!(shown(&parts), "Quero o [REEMBOLSO] da [ação], já!");
        assert!(parts.iter().any(|p| p.mark && p.text == "ação"));
    }

    #[test]
    fn a_long_text_is_cut_around_the_first_match() {
        let text = (1..=40).map(|n| format!("w{n}")).collect::<Vec<_>>().join(" ");
        let parts = excerpt(&text, "w20", 8);
        assert_eq!(shown(&parts), "…w18 w19 [w20] w21 w22 w23 w24 w25…");
        assert_eq!(shown(&excerpt(&text, "w40", 4)), "…w37 w38 w39 [w40]");
        assert_eq!(shown(&excerpt(&text, "w1", 3)), "[w1] w2 w3…");
    }

    #[test]
    fn markup_is_text_and_nothing_found_is_the_start() {
        assert_eq!(shown(&excerpt("<b>pix</b> ok", "pix", 16)), "<b>[pix]</b> ok");
        assert_eq!(shown(&excerpt("sem nada", "boleto", 16)), "sem nada");
        assert_eq!(shown(&excerpt("  …  ", "x", 16)), "…");
    }
}
