//! What changed between two versions of a flow, in words for the version history
//! ("bloco Menu principal: opção 3 adicionada"). Blocks are matched by id, so a block
//! renamed is the same block.

use std::mem::discriminant;

use super::definition::{Block, BlockKind, Definition};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    StartChanged,
    IdleChanged,
    HttpPermissionChanged,
    BlockAdded {
        block: String,
    },
    BlockRemoved {
        block: String,
    },
    BlockRenamed {
        block: String,
        old: String,
    },
    KindChanged {
        block: String,
    },
    TextChanged {
        block: String,
    },
    OptionAdded {
        block: String,
        option: usize,
    },
    OptionRemoved {
        block: String,
        option: usize,
    },
    OptionRenamed {
        block: String,
        option: usize,
        old: String,
        new: String,
    },
    OptionTargetChanged {
        block: String,
        option: usize,
    },
    /// The option's extra words as they are now (none: "—").
    OptionWordsChanged {
        block: String,
        option: usize,
        words: String,
    },
    ExitChanged {
        block: String,
    },
    SettingsChanged {
        block: String,
    },
}

impl Change {
    pub fn key(&self) -> &'static str {
        match self {
            Change::StartChanged => "flow-change-start",
            Change::IdleChanged => "flow-change-idle",
            Change::HttpPermissionChanged => "flow-change-http-permission",
            Change::BlockAdded { .. } => "flow-change-block-added",
            Change::BlockRemoved { .. } => "flow-change-block-removed",
            Change::BlockRenamed { .. } => "flow-change-block-renamed",
            Change::KindChanged { .. } => "flow-change-kind",
            Change::TextChanged { .. } => "flow-change-text",
            Change::OptionAdded { .. } => "flow-change-option-added",
            Change::OptionRemoved { .. } => "flow-change-option-removed",
            Change::OptionRenamed { .. } => "flow-change-option-renamed",
            Change::OptionTargetChanged { .. } => "flow-change-option-target",
            Change::OptionWordsChanged { .. } => "flow-change-option-words",
            Change::ExitChanged { .. } => "flow-change-exit",
            Change::SettingsChanged { .. } => "flow-change-settings",
        }
    }

    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Change::StartChanged | Change::IdleChanged | Change::HttpPermissionChanged => vec![],
            Change::BlockAdded { block }
            | Change::BlockRemoved { block }
            | Change::KindChanged { block }
            | Change::TextChanged { block }
            | Change::ExitChanged { block }
            | Change::SettingsChanged { block } => vec![("block", block.clone())],
            Change::BlockRenamed { block, old } => vec![("block", block.clone()), ("old", old.clone())],
            Change::OptionAdded { block, option }
            | Change::OptionRemoved { block, option }
            | Change::OptionTargetChanged { block, option } => {
                vec![("block", block.clone()), ("option", option.to_string())]
            }
            Change::OptionWordsChanged { block, option, words } => {
                vec![("block", block.clone()), ("option", option.to_string()), ("words", words.clone())]
            }
            Change::OptionRenamed { block, option, old, new } => vec![
                ("block", block.clone()),
                ("option", option.to_string()),
                ("old", old.clone()),
                ("new", new.clone()),
            ],
        }
    }
}

/// The changes from `old` to `new`, flow-wide first, then block by block in `new`'s
/// order, then the blocks removed.
pub fn diff(old: &Definition, new: &Definition) -> Vec<Change> {
    let mut changes = Vec::new();
    if old.start != new.start {
        changes.push(Change::StartChanged);
    }
    if old.idle != new.idle {
        changes.push(Change::IdleChanged);
    }
    if old.allow_private_http != new.allow_private_http {
        changes.push(Change::HttpPermissionChanged);
    }
    for b in &new.blocks {
        match old.block(&b.id) {
            None => changes.push(Change::BlockAdded { block: b.name.clone() }),
            Some(before) => block_changes(before, b, &mut changes),
        }
    }
    for b in old.blocks.iter().filter(|b| new.block(&b.id).is_none()) {
        changes.push(Change::BlockRemoved { block: b.name.clone() });
    }
    changes
}

fn block_changes(old: &Block, new: &Block, changes: &mut Vec<Change>) {
    let name = || new.name.clone();
    if old.name != new.name {
        changes.push(Change::BlockRenamed { block: name(), old: old.name.clone() });
    }
    if discriminant(&old.kind) != discriminant(&new.kind) {
        return changes.push(Change::KindChanged { block: name() });
    }
    let before = changes.len();
    if old.templated_texts() != new.templated_texts() {
        changes.push(Change::TextChanged { block: name() });
    }
    if let (BlockKind::Menu { options: a, .. }, BlockKind::Menu { options: b, .. }) = (&old.kind, &new.kind) {
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            if x.label != y.label {
                let (old, new) = (x.label.clone(), y.label.clone());
                changes.push(Change::OptionRenamed { block: name(), option: i + 1, old, new });
            }
            if x.next != y.next {
                changes.push(Change::OptionTargetChanged { block: name(), option: i + 1 });
            }
            if x.synonyms != y.synonyms {
                let words = if y.synonyms.is_empty() { "—".to_string() } else { y.synonyms.join(", ") };
                changes.push(Change::OptionWordsChanged { block: name(), option: i + 1, words });
            }
        }
        changes.extend((a.len()..b.len()).map(|i| Change::OptionAdded { block: name(), option: i + 1 }));
        changes.extend((b.len()..a.len()).map(|i| Change::OptionRemoved { block: name(), option: i + 1 }));
    } else if old.exits() != new.exits() {
        changes.push(Change::ExitChanged { block: name() });
    }
    let menu_exit = |b: &Block| match &b.kind {
        BlockKind::Menu { invalid, .. } => invalid.clone(),
        _ => None,
    };
    if menu_exit(old) != menu_exit(new) {
        changes.push(Change::ExitChanged { block: name() });
    }
    if changes.len() == before && old.kind != new.kind {
        changes.push(Change::SettingsChanged { block: name() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::flow::definition::{MenuOption, Validation};
    use crate::domain::flow::step::tests::{block, flow, main_menu, to};

    fn base() -> Definition {
        let mut menu = block("menu", main_menu());
        menu.name = "Menu principal".into();
        flow(vec![
            menu,
            block("vendas", BlockKind::Transfer { team_id: 1, priority: false }),
            block("financeiro", BlockKind::Close { text: "Tchau".into() }),
        ])
    }

    fn words(changes: &[Change]) -> Vec<String> {
        changes
            .iter()
            .map(|c| {
                let args = c.args().into_iter().map(|(k, v)| (k.into(), v.into())).collect();
                crate::i18n::try_translate("pt-BR", c.key(), &args).unwrap_or_else(|| c.key().into())
            })
            .collect()
    }

    fn options(def: &mut Definition) -> &mut Vec<MenuOption> {
        let BlockKind::Menu { options, .. } = &mut def.blocks[0].kind else { unreachable!() };
        options
    }

    #[test]
    fn the_same_flow_has_no_changes() {
        assert!(diff(&base(), &base()).is_empty());
    }

    #[test]
    fn options_added_removed_renamed_and_moved() {
        let mut new = base();
        options(&mut new).push(MenuOption { label: "Suporte".into(), next: to("vendas"), synonyms: vec![] });
        assert_eq!(words(&diff(&base(), &new)), vec!["bloco Menu principal: opção 3 adicionada"]);
        assert_eq!(words(&diff(&new, &base())), vec!["bloco Menu principal: opção 3 removida"]);
        let mut new = base();
        options(&mut new)[0].label = "Comercial".into();
        options(&mut new)[1].next = to("vendas");
        assert_eq!(
            words(&diff(&base(), &new)),
            vec![
                "bloco Menu principal: opção 1 renomeada de \"Vendas\" para \"Comercial\"",
                "bloco Menu principal: opção 2 leva a outro bloco"
            ]
        );
        let mut new = base();
        options(&mut new)[1].synonyms = vec!["boleto".into(), "segunda via".into()];
        assert_eq!(
            words(&diff(&base(), &new)),
            vec!["bloco Menu principal: palavras da opção 2 agora são \"boleto, segunda via\""]
        );
        assert_eq!(words(&diff(&new, &base())), vec!["bloco Menu principal: palavras da opção 2 agora são \"—\""]);
        for lang in ["en", "es"] {
            let c = &diff(&base(), &new)[0];
            let args = c.args().into_iter().map(|(k, v)| (k.into(), v.into())).collect();
            assert!(crate::i18n::try_translate(lang, c.key(), &args).is_some(), "{lang}");
        }
    }

    #[test]
    fn blocks_added_removed_renamed_and_retyped() {
        let mut new = base();
        new.blocks.retain(|b| b.id != "financeiro");
        new.blocks.push(block("cpf", BlockKind::Close { text: "x".into() }));
        new.blocks[1].name = "Equipe de vendas".into();
        assert_eq!(
            words(&diff(&base(), &new)),
            vec![
                "bloco Equipe de vendas: renomeado (antes \"vendas\")",
                "bloco cpf adicionado",
                "bloco financeiro removido"
            ]
        );
        let mut new = base();
        new.blocks[2].kind = BlockKind::GoTo { flow_id: 2 };
        assert_eq!(words(&diff(&base(), &new)), vec!["bloco financeiro: tipo alterado"]);
    }

    #[test]
    fn texts_exits_settings_and_flow_wide() {
        let mut new = base();
        new.blocks[2].kind = BlockKind::Close { text: "Até logo".into() };
        new.blocks[1].kind = BlockKind::Transfer { team_id: 1, priority: true };
        new.start = "vendas".into();
        new.idle.minutes = 10;
        new.allow_private_http = true;
        let found = diff(&base(), &new);
        assert_eq!(found[..3], [Change::StartChanged, Change::IdleChanged, Change::HttpPermissionChanged]);
        assert_eq!(words(&found[3..]), vec!["bloco vendas: configuração alterada", "bloco financeiro: texto alterado"]);
        let ask = |next: &str| BlockKind::Ask {
            text: "CPF?".into(),
            field: "cpf".into(),
            validation: Validation::Cpf,
            max_tries: 3,
            retry_text: String::new(),
            next: to(next),
            invalid: to("vendas"),
        };
        let (mut a, mut b) = (base(), base());
        a.blocks[2].kind = ask("vendas");
        b.blocks[2].kind = ask("menu");
        assert_eq!(words(&diff(&a, &b)), vec!["bloco financeiro: saída alterada"]);
        for c in diff(&a, &b).iter().chain(&found) {
            for lang in ["en", "es"] {
                let args = c.args().into_iter().map(|(k, v)| (k.into(), v.into())).collect();
                assert!(crate::i18n::try_translate(lang, c.key(), &args).is_some(), "{lang} {}", c.key());
            }
        }
    }
}
