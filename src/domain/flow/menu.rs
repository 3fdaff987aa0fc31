//! A menu's options: how they are written for the customer and how an answer picks
//! one — by its number ("2", "2.", "opção 2") or by its words ("financeiro",
//! "Financeiro e cobrança"), accent- and case-insensitive, so free text does not leave
//! the customer stuck.

use serde::Serialize;

use super::definition::MenuOption;
use crate::domain::text::fold;

/// How a channel that can may show the options instead of numbered text: WhatsApp's
/// reply buttons take up to three, its list up to ten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choices {
    pub style: ChoiceStyle,
    pub options: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceStyle {
    Buttons,
    List,
}

pub const MAX_BUTTONS: usize = 3;
pub const MAX_LIST_ROWS: usize = 10;

/// The menu as numbered text, the way every channel can show it.
pub fn as_text(text: &str, options: &[MenuOption]) -> String {
    let mut out = text.trim_end().to_string();
    for (i, o) in options.iter().enumerate() {
        out.push_str(&format!("\n{} {}", i + 1, o.label));
    }
    out
}

/// The rendering hint for channels with buttons or lists; none past a list's rows.
pub fn choices(options: &[MenuOption]) -> Option<Choices> {
    let style = match options.len() {
        0 => return None,
        n if n <= MAX_BUTTONS => ChoiceStyle::Buttons,
        n if n <= MAX_LIST_ROWS => ChoiceStyle::List,
        _ => return None,
    };
    Some(Choices { style, options: options.iter().map(|o| o.label.clone()).collect() })
}

/// The index of the option an answer picks, if exactly one.
pub fn pick(options: &[MenuOption], answer: &str) -> Option<usize> {
    let folded = fold(answer.trim());
    let words: Vec<&str> = folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return None;
    }
    // "2", "2.", "2 - Financeiro", "opção 2": a number among few words.
    let numbers: Vec<usize> = words.iter().filter_map(|w| w.parse().ok()).collect();
    if let [n] = numbers.as_slice() {
        if (1..=options.len()).contains(n) && words.len() <= 4 {
            return Some(n - 1);
        }
    }
    let phrase = words.join(" ");
    let labels: Vec<String> = options.iter().map(|o| normal_words(&o.label)).collect();
    if let Some(i) = labels.iter().position(|l| *l == phrase) {
        return Some(i);
    }
    // The answer's words inside one option's words, or one option's words inside the
    // answer ("quero falar com o financeiro"): only when a single option fits.
    let fits: Vec<usize> = labels
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.is_empty() && (contains_words(l, &phrase) || contains_words(&phrase, l)))
        .map(|(i, _)| i)
        .collect();
    match fits.as_slice() {
        [only] => Some(*only),
        _ => None,
    }
}

fn normal_words(text: &str) -> String {
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Whether `needle`'s words appear in `hay` as whole consecutive words.
fn contains_words(hay: &str, needle: &str) -> bool {
    format!(" {hay} ").contains(&format!(" {needle} "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(labels: &[&str]) -> Vec<MenuOption> {
        labels.iter().map(|l| MenuOption { label: l.to_string(), next: None }).collect()
    }

    #[test]
    fn numbers_in_the_ways_people_type_them() {
        let o = options(&["Vendas", "Financeiro", "Suporte técnico"]);
        for answer in ["2", " 2. ", "2 - Financeiro", "opção 2", "Opcao 2"] {
            assert_eq!(pick(&o, answer), Some(1), "{answer}");
        }
        assert_eq!(pick(&o, "4"), None);
        assert_eq!(pick(&o, "0"), None);
    }

    #[test]
    fn words_accent_and_case_insensitive() {
        let o = options(&["Vendas", "Financeiro", "Suporte técnico"]);
        assert_eq!(pick(&o, "FINANCEIRO"), Some(1));
        assert_eq!(pick(&o, "suporte tecnico"), Some(2));
        assert_eq!(pick(&o, "Técnico"), Some(2));
        assert_eq!(pick(&o, "quero falar com o financeiro por favor"), Some(1));
        assert_eq!(pick(&o, "bom dia"), None);
        assert_eq!(pick(&o, "?!"), None);
    }

    #[test]
    fn ambiguous_words_pick_nothing() {
        let o = options(&["Segunda via do boleto", "Boleto vencido"]);
        assert_eq!(pick(&o, "boleto"), None);
        assert_eq!(pick(&o, "boleto vencido"), Some(1));
    }

    #[test]
    fn text_and_hint() {
        let o = options(&["Vendas", "Financeiro"]);
        assert_eq!(as_text("Como posso ajudar?", &o), "Como posso ajudar?\n1 Vendas\n2 Financeiro");
        assert_eq!(choices(&o).map(|c| c.style), Some(ChoiceStyle::Buttons));
        let four = options(&["a", "b", "c", "d"]);
        assert_eq!(choices(&four).map(|c| c.style), Some(ChoiceStyle::List));
        let eleven: Vec<String> = (0..11).map(|i| i.to_string()).collect();
        assert_eq!(choices(&options(&eleven.iter().map(String::as_str).collect::<Vec<_>>())), None);
    }
}
