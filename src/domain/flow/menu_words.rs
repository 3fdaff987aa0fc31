//! A menu answer by words: the customer's sentence picks the option whose significant
//! words it holds, in any order ("quero consultar meu pedido" → "Consultar pedido").
//! Short words that carry no choice (de, o, meu, quero, por favor…) are left out on
//! both sides. Two options that fit equally pick nothing: the menu is asked again.

use std::collections::BTreeSet;

use super::definition::MenuOption;
use crate::domain::text::fold;

/// Folded words that say nothing about which option is meant.
const STOP_WORDS: [&str; 38] = [
    "a", "o", "as", "os", "e", "ao", "aos", "de", "do", "da", "dos", "das", "em", "no", "na", "nos", "nas", "um",
    "uma", "com", "para", "pra", "pro", "por", "favor", "meu", "minha", "meus", "minhas", "eu", "me", "quero",
    "queria", "gostaria", "preciso", "sobre", "seu", "sua",
];

/// The folded words of `text`, split on anything not a letter or digit.
pub fn words(text: &str) -> Vec<String> {
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// The words that choose: without stop words, unless nothing else is left (an option
/// called "Outro" still has a word).
pub fn significant(text: &str) -> BTreeSet<String> {
    let all = words(text);
    let kept: BTreeSet<String> = all.iter().filter(|w| !STOP_WORDS.contains(&w.as_str())).cloned().collect();
    if kept.is_empty() {
        all.into_iter().collect()
    } else {
        kept
    }
}

/// The phrases an option answers to: its label, then its extra words.
fn phrases(o: &MenuOption) -> impl Iterator<Item = &str> {
    std::iter::once(o.label.as_str()).chain(o.synonyms.iter().map(String::as_str))
}

/// The key two extra words are compared by: their significant words, in order.
pub fn key(phrase: &str) -> String {
    significant(phrase).into_iter().collect::<Vec<_>>().join(" ")
}

/// The extra words claimed by two options of one menu (by the other's label or extra
/// words), as the later option wrote them.
pub fn claimed_twice(options: &[MenuOption]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (i, o) in options.iter().enumerate() {
        for word in &o.synonyms {
            let k = key(word);
            let elsewhere = options.iter().enumerate().filter(|(j, _)| *j != i).any(|(j, other)| {
                // An earlier option's extra word is reported once, at the later one.
                (other.label.trim() != "" && key(&other.label) == k)
                    || (j < i && other.synonyms.iter().any(|s| key(s) == k))
            });
            if !k.is_empty() && elsewhere {
                found.push((i + 1, word.clone()));
            }
        }
    }
    found
}

/// The one option `answer` picks by words, if exactly one. An option fits fully when
/// all the significant words of its label (or of one of its extra words) are in the
/// answer; the fullest fit wins only when it holds every word the others fit with
/// ("boleto vencido" picks "Boleto vencido" over "Boleto", "vendas e financeiro"
/// picks nothing). Without a full fit, an answer whose words all lie inside a single
/// option's phrase picks it ("técnico" → "Suporte técnico").
pub fn pick(options: &[MenuOption], answer: &str) -> Option<usize> {
    let said = significant(answer);
    if said.is_empty() {
        return None;
    }
    let covered: Vec<BTreeSet<&String>> = options
        .iter()
        .map(|o| {
            phrases(o)
                .map(significant)
                .filter(|p| !p.is_empty() && p.is_subset(&said))
                .flat_map(|p| said.iter().filter(move |w| p.contains(*w)))
                .collect()
        })
        .collect();
    let best = (0..options.len()).max_by_key(|&i| covered[i].len()).filter(|&i| !covered[i].is_empty());
    if let Some(best) = best {
        let holds_all = (0..options.len()).all(|i| i == best || covered[i].is_subset(&covered[best]));
        let tie = (0..options.len()).any(|i| i != best && covered[i].len() == covered[best].len());
        return (holds_all && !tie).then_some(best);
    }
    let inside: Vec<usize> =
        (0..options.len()).filter(|&i| phrases(&options[i]).any(|p| said.is_subset(&significant(p)))).collect();
    match inside.as_slice() {
        [only] => Some(*only),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(labels: &[&str]) -> Vec<MenuOption> {
        labels.iter().map(|l| MenuOption { label: l.to_string(), next: None, synonyms: vec![] }).collect()
    }

    fn demo() -> Vec<MenuOption> {
        options(&["Vendas", "Financeiro", "Suporte", "Consultar pedido"])
    }

    fn with_words(mut o: Vec<MenuOption>, at: usize, words: &[&str]) -> Vec<MenuOption> {
        o[at].synonyms = words.iter().map(|w| w.to_string()).collect();
        o
    }

    #[test]
    fn extra_words_count_like_the_label() {
        let o = with_words(demo(), 1, &["boleto", "pagamento", "segunda via"]);
        assert_eq!(pick(&o, "preciso da segunda via do boleto"), Some(1));
        assert_eq!(pick(&o, "Pagamento"), Some(1));
        assert_eq!(pick(&o, "via"), Some(1));
        assert_eq!(pick(&o, "quero consultar meu pedido"), Some(3));
        // The extra words fit as well as another option's label: nothing is guessed.
        assert_eq!(pick(&o, "pagamento do pedido consultar"), None);
        assert_eq!(pick(&o, "boleto e suporte"), None);
    }

    #[test]
    fn an_extra_word_claimed_by_two_options_is_found() {
        let o = with_words(with_words(demo(), 1, &["Boleto", "segunda via"]), 2, &["boletô", "vendas", "defeito"]);
        assert_eq!(claimed_twice(&o), vec![(3, "boletô".to_string()), (3, "vendas".to_string())]);
        assert!(claimed_twice(&with_words(demo(), 1, &["boleto"])).is_empty());
    }

    #[test]
    fn the_labels_words_in_any_order_inside_a_sentence() {
        let o = demo();
        for (answer, want) in [
            ("quero consultar meu pedido", 3),
            ("Pedido, consultar por favor", 3),
            ("gostaria de CONSULTAR o pedido", 3),
            ("meu pedido", 3),
            ("preciso falar com o financeiro", 1),
            ("quero comprar, vendas por favor", 0),
            ("suporte", 2),
        ] {
            assert_eq!(pick(&o, answer), Some(want), "{answer}");
        }
    }

    #[test]
    fn accents_and_case_do_not_matter() {
        let o = options(&["Suporte técnico", "Cobrança"]);
        assert_eq!(pick(&o, "TECNICO SUPORTE"), Some(0));
        assert_eq!(pick(&o, "uma dúvida de cobranca"), Some(1));
        assert_eq!(pick(&o, "técnico"), Some(0));
    }

    #[test]
    fn two_options_that_fit_equally_pick_nothing() {
        let o = demo();
        for answer in ["vendas e financeiro", "suporte ou financeiro", "quero", "por favor", "bom dia", "consultar"] {
            let want = if answer == "consultar" { Some(3) } else { None };
            assert_eq!(pick(&o, answer), want, "{answer}");
        }
        let o = options(&["Consultar pedido", "Cancelar pedido"]);
        assert_eq!(pick(&o, "meu pedido"), None);
        assert_eq!(pick(&o, "cancelar o pedido"), Some(1));
        assert_eq!(pick(&o, "consultar ou cancelar pedido"), None);
        // The fuller fit wins only when it holds the other's words too.
        let o = options(&["Boleto", "Boleto vencido", "Vendas"]);
        assert_eq!(pick(&o, "meu boleto vencido"), Some(1));
        assert_eq!(pick(&o, "boleto"), Some(0));
        assert_eq!(pick(&o, "vendas boleto vencido"), None);
    }

    #[test]
    fn a_label_of_stop_words_only_still_answers() {
        let o = options(&["Vendas", "Outro", "Para mim"]);
        assert_eq!(pick(&o, "outro"), Some(1));
        assert_eq!(pick(&o, "para mim"), Some(2));
    }
}
