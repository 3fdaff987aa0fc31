//! A menu's options: how they are written for the customer and how an answer picks
//! one — by its number ("2", "2.", "opção 2"), a tapped button, or its words
//! (`menu_words`), so free text does not leave the customer stuck.

use serde::Serialize;

use super::definition::MenuOption;
use crate::domain::text::fold;

/// How a channel that can may show the options instead of numbered text: WhatsApp's
/// reply buttons take up to three, its list up to ten. Generic on purpose (an id and a
/// title each): flows and the satisfaction survey both write it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Choices {
    pub style: ChoiceStyle,
    pub options: Vec<Choice>,
}

/// One button or row: the id a reply comes back with and the words shown (the
/// channel shortens them to its limit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Choice {
    pub id: String,
    pub title: String,
}

/// What WhatsApp allows: a reply button's title, a list row's title.
pub const BUTTON_TITLE_CHARS: usize = 20;
pub const ROW_TITLE_CHARS: usize = 24;

/// `title` within `limit` characters, cut with an ellipsis.
pub fn short(title: &str, limit: usize) -> String {
    let title = title.trim();
    if title.chars().count() <= limit {
        return title.to_string();
    }
    let cut: String = title.chars().take(limit.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
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
    let options =
        options.iter().enumerate().map(|(i, o)| Choice { id: (i + 1).to_string(), title: o.label.clone() }).collect();
    Some(Choices { style, options })
}

/// A menu message's question without the numbered lines `as_text` added, for
/// channels that show the options as buttons or a list; the whole text otherwise.
pub fn question<'a>(body: &'a str, choices: &Choices) -> &'a str {
    let mut rest = body.trim_end();
    for (i, c) in choices.options.iter().enumerate().rev() {
        let line = format!("\n{} {}", i + 1, c.title);
        match rest.strip_suffix(&line) {
            Some(before) => rest = before,
            None => return body,
        }
    }
    rest.trim_end()
}

/// How a channel kind shows a message with a menu's hint: the text, and the titles of
/// its reply buttons or list rows (shortened to the channel's limits); channels
/// without either get the numbered text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    pub text: String,
    pub buttons: Vec<String>,
    pub rows: Vec<String>,
}

pub fn shown(kind: crate::domain::channel_kind::ChannelKind, body: &str, choices: Option<&Choices>) -> Shown {
    use crate::domain::channel_kind::ChannelKind;
    let plain = || Shown { text: body.to_string(), buttons: vec![], rows: vec![] };
    let Some(c) = choices.filter(|_| kind == ChannelKind::WhatsApp) else { return plain() };
    let text = question(body, c).to_string();
    let titles = |limit| c.options.iter().map(|o| short(&o.title, limit)).collect();
    match c.style {
        ChoiceStyle::Buttons if c.options.len() <= MAX_BUTTONS => {
            Shown { text, buttons: titles(BUTTON_TITLE_CHARS), rows: vec![] }
        }
        ChoiceStyle::List if c.options.len() <= MAX_LIST_ROWS => {
            Shown { text, buttons: vec![], rows: titles(ROW_TITLE_CHARS) }
        }
        _ => plain(),
    }
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
    if let Some(i) = tapped(options, &folded) {
        return Some(i);
    }
    super::menu_words::pick(options, answer)
}

/// A button or list row tapped: the channel writes what was chosen ending with the
/// title shown, which may have been shortened. The longest title that ends the answer.
fn tapped(options: &[MenuOption], folded: &str) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, o) in options.iter().enumerate() {
        for limit in [BUTTON_TITLE_CHARS, ROW_TITLE_CHARS] {
            let title = fold(&short(&o.label, limit));
            if title.chars().count() < o.label.trim().chars().count() && folded.ends_with(&title) {
                let len = title.len();
                if best.is_none_or(|(_, l)| len > l) {
                    best = Some((i, len));
                }
            }
        }
    }
    best.map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(labels: &[&str]) -> Vec<MenuOption> {
        labels.iter().map(|l| MenuOption { label: l.to_string(), next: None, synonyms: vec![] }).collect()
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
    fn a_tapped_button_with_its_title_shortened_picks_its_option() {
        let o = options(&["Segunda via do boleto bancário", "Segunda via da nota fiscal eletrônica", "Boleto"]);
        assert_eq!(short(&o[0].label, BUTTON_TITLE_CHARS), "Segunda via do bole…");
        assert_eq!(short("Vendas", BUTTON_TITLE_CHARS), "Vendas");
        assert_eq!(pick(&o, "☑ Escolheu: Segunda via do bole…"), Some(0));
        let row = short(&o[1].label, ROW_TITLE_CHARS);
        assert_eq!(row, "Segunda via da nota fis…");
        assert_eq!(pick(&o, &format!("☑ Escolheu: {row}")), Some(1));
        assert_eq!(pick(&o, "☑ Escolheu: Boleto"), Some(2));
    }

    #[test]
    fn whatsapp_shows_buttons_or_a_list_and_the_others_numbered_text() {
        use crate::domain::channel_kind::ChannelKind;
        let o = options(&["Vendas", "Financeiro e cobrança de boletos"]);
        let body = as_text("Como posso ajudar?", &o);
        let hint = choices(&o).unwrap();
        let wa = shown(ChannelKind::WhatsApp, &body, Some(&hint));
        assert_eq!(wa.text, "Como posso ajudar?");
        assert_eq!(wa.buttons, vec!["Vendas", "Financeiro e cobran…"]);
        let retry = format!("Não entendi.\n\n{body}");
        assert_eq!(shown(ChannelKind::WhatsApp, &retry, Some(&hint)).text, "Não entendi.\n\nComo posso ajudar?");
        for kind in [ChannelKind::WebChat, ChannelKind::Telegram, ChannelKind::Email] {
            assert_eq!(shown(kind, &body, Some(&hint)), Shown { text: body.clone(), buttons: vec![], rows: vec![] });
        }
        let five = options(&["a", "b", "c", "d", "e"]);
        let list = shown(ChannelKind::WhatsApp, &as_text("Escolha", &five), choices(&five).as_ref());
        assert_eq!((list.text.as_str(), list.rows.len()), ("Escolha", 5));
        // A text edited after the hint was made keeps its numbers.
        assert_eq!(question("Outra coisa", &hint), "Outra coisa");
    }

    #[test]
    fn text_and_hint() {
        let o = options(&["Vendas", "Financeiro"]);
        assert_eq!(as_text("Como posso ajudar?", &o), "Como posso ajudar?\n1 Vendas\n2 Financeiro");
        assert_eq!(choices(&o).map(|c| c.style), Some(ChoiceStyle::Buttons));
        let four = options(&["a", "b", "c", "d"]);
        assert_eq!(choices(&four).map(|c| c.style), Some(ChoiceStyle::List));
        assert_eq!(choices(&o).unwrap().options[1], Choice { id: "2".into(), title: "Financeiro".into() });
        let eleven: Vec<String> = (0..11).map(|i| i.to_string()).collect();
        assert_eq!(choices(&options(&eleven.iter().map(String::as_str).collect::<Vec<_>>())), None);
    }
}
