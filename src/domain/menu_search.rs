//! Finding a page by its name in the menu ("hist" → Histórico de Atendimentos): every
//! word typed must begin a word of the entry's name or of the section it sits in,
//! compared without case or accents. Entries whose own name matches come first, and
//! among them those whose name begins with what was typed.

use super::text::fold;

/// How well `query` names an entry called `label` under `trail` (its section), lower
/// is better; `None` when some word typed begins no word of either.
pub fn rank(query: &str, label: &str, trail: &str) -> Option<u8> {
    let typed: Vec<String> = words(&fold(query));
    if typed.is_empty() {
        return None;
    }
    let (label, trail) = (fold(label), fold(trail));
    let (own, around) = (words(&label), words(&trail));
    let begins = |w: &String, list: &[String]| list.iter().any(|x| x.starts_with(w.as_str()));
    if !typed.iter().all(|w| begins(w, &own) || begins(w, &around)) {
        return None;
    }
    let in_name = typed.iter().filter(|w| begins(w, &own)).count();
    Some(match () {
        _ if label.starts_with(&typed.join(" ")) => 0,
        _ if in_name == typed.len() => 1,
        _ if in_name > 0 => 2,
        _ => 3,
    })
}

fn words(folded: &str) -> Vec<String> {
    folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// The positions of the entries `query` names, best first; ties keep the menu's order.
pub fn search<T>(query: &str, entries: &[T], names: impl Fn(&T) -> (&str, &str)) -> Vec<usize> {
    let mut found: Vec<(u8, usize)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let (label, trail) = names(e);
            rank(query, label, trail).map(|r| (r, i))
        })
        .collect();
    found.sort_unstable();
    found.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MENU: [(&str, &str); 6] = [
        ("Histórico", ""),
        ("Histórico de Atendimentos", "Relatórios"),
        ("Pausas", "Administração"),
        ("Segurança", "Configurações"),
        ("Motivos de contato", "Relatórios"),
        ("Usuários", "Administração"),
    ];

    fn names(query: &str) -> Vec<&'static str> {
        search(query, &MENU, |(l, t)| (l, t)).into_iter().map(|i| MENU[i].0).collect()
    }

    #[test]
    fn a_word_begun_finds_the_entry_regardless_of_case_and_accents() {
        assert_eq!(names("hist"), ["Histórico", "Histórico de Atendimentos"]);
        assert_eq!(names("pausa"), ["Pausas"]);
        assert_eq!(names("USUARIOS"), ["Usuários"]);
        assert_eq!(names("atend"), ["Histórico de Atendimentos"]);
    }

    #[test]
    fn the_section_counts_but_after_the_entries_own_name() {
        assert_eq!(names("relat"), ["Histórico de Atendimentos", "Motivos de contato"]);
        assert_eq!(names("config seg"), ["Segurança"]);
        assert_eq!(names("relatorios motivos"), ["Motivos de contato"]);
    }

    #[test]
    fn every_word_must_match_and_the_middle_of_a_word_does_not() {
        assert!(names("torico").is_empty());
        assert!(names("hist xyz").is_empty());
        assert!(names("   ").is_empty());
        assert!(names("<script>").is_empty());
    }

    #[test]
    fn a_name_that_begins_with_the_whole_query_comes_first() {
        assert_eq!(names("motivos de")[0], "Motivos de contato");
        assert_eq!(rank("histórico de", "Histórico de Atendimentos", ""), Some(0));
        assert_eq!(rank("atendimentos", "Histórico de Atendimentos", ""), Some(1));
    }
}
