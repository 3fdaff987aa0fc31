//! Changes the editor makes to a draft: a block added with the blank content of its
//! kind, a block removed (the exits that pointed at it left empty, and named so the
//! editor can say so), the start moved. Pure: the catalogue loads and saves the draft.

use super::definition::{Block, BlockKind, Definition, HttpMethod, MenuOption, Subject, Validation};

/// Most blocks a flow may have: a diagram past this is no longer readable.
pub const MAX_BLOCKS: usize = 60;

/// What a new block of kind `code` holds before it is edited: texts empty and ids
/// unset, so the publish checks point at what is still to fill in.
pub fn blank(code: &str) -> Option<BlockKind> {
    Some(match code {
        "message" => BlockKind::Message { text: String::new(), attachment_id: None, next: None },
        "menu" => BlockKind::Menu {
            text: String::new(),
            options: vec![MenuOption { label: String::new(), next: None, synonyms: vec![] }],
            max_tries: 3,
            retry_text: String::new(),
            invalid: None,
        },
        "ask" => BlockKind::Ask {
            text: String::new(),
            field: "nome".into(),
            validation: Validation::Text,
            max_tries: 3,
            retry_text: String::new(),
            next: None,
            invalid: None,
        },
        "schedule" => BlockKind::Schedule { group_id: 0, open: None, closed: None, holiday: None },
        "condition" => BlockKind::Condition { subject: Subject::Channel, rules: vec![], otherwise: None },
        "http" => BlockKind::Http {
            method: HttpMethod::Get,
            url: "https://".into(),
            body: String::new(),
            timeout_ms: 5_000,
            map: vec![],
            next: None,
            error: None,
        },
        "transfer" => BlockKind::Transfer { team_id: 0, priority: false },
        "close" => BlockKind::Close { text: String::new() },
        "go_to" => BlockKind::GoTo { flow_id: 0 },
        _ => return None,
    })
}

/// Adds a block of kind `code` named `name`; its id, or `None` for an unknown kind or
/// a flow already at `MAX_BLOCKS`. The first block of a flow becomes its start.
pub fn add_block(def: &mut Definition, code: &str, name: &str) -> Option<String> {
    if def.blocks.len() >= MAX_BLOCKS {
        return None;
    }
    let kind = blank(code)?;
    let id = (def.blocks.len() + 1..).map(|n| format!("b{n}")).find(|id| def.block(id).is_none())?;
    if def.blocks.is_empty() {
        def.start = id.clone();
    }
    def.blocks.push(Block { id: id.clone(), name: name.to_string(), kind });
    Some(id)
}

/// Removes block `id`; the names of the blocks that had an exit to it (left empty).
/// Removing the start makes the first block left the start.
pub fn remove_block(def: &mut Definition, id: &str) -> Vec<String> {
    def.blocks.retain(|b| b.id != id);
    let mut pointed = Vec::new();
    for b in &mut def.blocks {
        let mut cleared = false;
        for exit in exits_mut(&mut b.kind) {
            if exit.as_deref() == Some(id) {
                *exit = None;
                cleared = true;
            }
        }
        if cleared {
            pointed.push(b.name.clone());
        }
    }
    if def.start == id {
        def.start = def.blocks.first().map(|b| b.id.clone()).unwrap_or_default();
    }
    pointed
}

/// Every exit of a block, to change in place.
fn exits_mut(kind: &mut BlockKind) -> Vec<&mut Option<String>> {
    match kind {
        BlockKind::Message { next, .. } => vec![next],
        BlockKind::Menu { options, invalid, .. } => options.iter_mut().map(|o| &mut o.next).chain([invalid]).collect(),
        BlockKind::Ask { next, invalid, .. } => vec![next, invalid],
        BlockKind::Schedule { open, closed, holiday, .. } => vec![open, closed, holiday],
        BlockKind::Condition { rules, otherwise, .. } => {
            rules.iter_mut().map(|r| &mut r.next).chain([otherwise]).collect()
        }
        BlockKind::Http { next, error, .. } => vec![next, error],
        BlockKind::Transfer { .. } | BlockKind::Close { .. } | BlockKind::GoTo { .. } => vec![],
    }
}

/// The flow every new one starts from: a greeting that still needs its way on.
pub fn starter(greeting: &str) -> Definition {
    Definition {
        start: "b1".into(),
        blocks: vec![Block {
            id: "b1".into(),
            name: "Boas-vindas".into(),
            kind: BlockKind::Message { text: greeting.into(), attachment_id: None, next: None },
        }],
        idle: Default::default(),
        allow_private_http: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::flow::definition::KIND_CODES;
    use crate::domain::flow::step::tests::{block, flow, main_menu};

    #[test]
    fn every_kind_has_a_blank_and_added_blocks_get_fresh_ids() {
        let mut def = starter("Olá!");
        for code in KIND_CODES {
            let id = add_block(&mut def, code, code).unwrap();
            assert_eq!(def.block(&id).unwrap().kind.code(), code);
        }
        let mut ids: Vec<&str> = def.blocks.iter().map(|b| b.id.as_str()).collect();
        ids.dedup();
        assert_eq!(ids.len(), 10);
        assert_eq!(add_block(&mut def, "nada", "x"), None);
        while def.blocks.len() < MAX_BLOCKS {
            add_block(&mut def, "close", "fim");
        }
        assert_eq!(add_block(&mut def, "close", "mais um"), None);
    }

    #[test]
    fn removing_a_block_empties_the_exits_that_pointed_at_it_and_names_them() {
        let mut def = flow(vec![
            block("menu", main_menu()),
            block("vendas", BlockKind::Transfer { team_id: 1, priority: false }),
            block("financeiro", BlockKind::Close { text: "Tchau".into() }),
        ]);
        let pointed = remove_block(&mut def, "vendas");
        assert_eq!(pointed, vec!["menu".to_string()]);
        let BlockKind::Menu { options, invalid, .. } = &def.blocks[0].kind else { unreachable!() };
        assert_eq!(options[0].next, None);
        assert_eq!(invalid.as_deref(), Some("financeiro"));
        assert!(remove_block(&mut def, "menu").is_empty());
        assert_eq!(def.start, "financeiro", "the start moves to the first block left");
    }
}
