//! The widget's words: every message of the widget catalogue (`locales/*/widget.ftl`),
//! in the visitor's language, sent with the channel's settings. The script keeps no
//! dictionary of its own, so its words are checked like every other page's.

use serde_json::{Map, Value};

use crate::i18n;

/// The reference catalogue names the words; the other languages have the same keys.
const CATALOGUE: &str = include_str!("../../../locales/pt-BR/widget.ftl");
const PREFIX: &str = "widget-";

/// The widget's language: the browser's own (the widget sends `navigator.language`),
/// pt-BR when we do not offer that one; a caller that names none gets `Accept-Language`.
pub fn widget_lang(asked: Option<&str>, accepted: &'static str) -> &'static str {
    match asked {
        Some(tag) => i18n::normalise(tag).unwrap_or(i18n::DEFAULT),
        None => accepted,
    }
}

/// The words by the name the script asks for (`widget-offline-notice` → `offline-notice`).
/// The script fills in who answers, the place in the queue and a star's score itself,
/// so those arguments travel as the placeholders `{name}`, `{position}` and `{score}`.
pub fn words(lang: &str) -> Map<String, Value> {
    let placeholders = [("name", "{name}".into()), ("position", "{position}".into()), ("score", "{score}".into())];
    message_ids()
        .map(|id| (id[PREFIX.len()..].to_string(), Value::from(i18n::translate_with(lang, id, &placeholders))))
        .collect()
}

fn message_ids() -> impl Iterator<Item = &'static str> {
    CATALOGUE.lines().filter_map(|line| {
        let (id, _) = line.split_once('=')?;
        let id = id.trim();
        id.starts_with(PREFIX).then_some(id)
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The names the script asks for with `t("…")` (not `request("…")`).
    fn asked_by_the_script() -> BTreeSet<String> {
        let script = include_str!("../../../static/widget.js");
        let call = "t(\"";
        script
            .match_indices(call)
            .filter(|(at, _)| !script[..*at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .filter_map(|(at, _)| script[at + call.len()..].split_once('"'))
            .map(|(name, _)| name.to_string())
            .collect()
    }

    #[test]
    fn the_script_asks_only_for_words_it_is_sent_and_is_sent_only_words_it_uses() {
        let sent: BTreeSet<String> = words("pt-BR").keys().cloned().collect();
        let asked = asked_by_the_script();
        assert!(asked.len() > 10, "the script asks for words with t(\"…\"): {asked:?}");
        assert_eq!(asked, sent, "words the script asks for ≠ words of widget.ftl");
    }

    #[test]
    fn words_come_in_the_widgets_language_with_placeholders_for_the_script() {
        assert_eq!(words("en")["send"], "Send");
        assert_eq!(words("es")["send"], "Enviar");
        assert_eq!(words("pt-BR")["answering"], "Atendimento com {name}");
        assert_eq!(words("en")["position"], "You are number {position} in the queue");
    }

    #[test]
    fn the_browsers_language_wins_as_the_widget_chose_it_before() {
        assert_eq!(widget_lang(Some("es-AR"), "en"), "es");
        assert_eq!(widget_lang(Some("de-DE"), "en"), "pt-BR");
        assert_eq!(widget_lang(Some(""), "en"), "pt-BR");
        assert_eq!(widget_lang(None, "en"), "en");
    }
}
