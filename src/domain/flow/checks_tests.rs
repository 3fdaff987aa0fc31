//! Every publish check, one by one.

use super::*;
use crate::domain::flow::definition::*;
use crate::domain::flow::step::tests::{block, flow, main_menu, to};

fn catalogue() -> Catalogue {
    Catalogue {
        teams: [1, 2].into(),
        schedule_groups: [7].into(),
        flows: [4].into(),
        fields: ["cpf".to_string()].into(),
        this_flow: Some(3),
    }
}

fn good() -> Definition {
    flow(vec![
        block("ola", BlockKind::Message { text: "Olá, {{nome}}!".into(), attachment_id: None, next: to("menu") }),
        block("menu", main_menu()),
        block("vendas", BlockKind::Transfer { team_id: 1, priority: false }),
        block("financeiro", BlockKind::GoTo { flow_id: 4 }),
    ])
}

fn kinds(def: &Definition) -> Vec<(Option<String>, ProblemKind)> {
    check(def, &catalogue()).into_iter().map(|p| (p.block, p.kind)).collect()
}

fn on(id: &str, kind: ProblemKind) -> (Option<String>, ProblemKind) {
    (Some(id.into()), kind)
}

fn replace(def: &mut Definition, id: &str, kind: BlockKind) {
    def.blocks.iter_mut().find(|b| b.id == id).unwrap().kind = kind;
}

#[test]
fn a_good_flow_has_no_problems() {
    assert_eq!(kinds(&good()), vec![]);
}

#[test]
fn empty_and_startless_flows() {
    assert_eq!(kinds(&Definition { blocks: vec![], ..good() }), vec![(None, ProblemKind::NoBlocks)]);
    let mut def = good();
    def.start = "nada".into();
    let found = kinds(&def);
    assert!(found.contains(&(None, ProblemKind::NoStart)), "{found:?}");
}

#[test]
fn every_path_ends() {
    let mut def = good();
    replace(&mut def, "ola", BlockKind::Message { text: "Olá".into(), attachment_id: None, next: None });
    let found = kinds(&def);
    assert!(found.contains(&on("ola", ProblemKind::DeadEnd { exit: "next".into(), value: String::new() })));
    let mut def = good();
    replace(
        &mut def,
        "vendas",
        BlockKind::Schedule { group_id: 7, open: to("financeiro"), closed: None, holiday: None },
    );
    assert_eq!(kinds(&def), vec![on("vendas", ProblemKind::DeadEnd { exit: "closed".into(), value: String::new() })]);
}

#[test]
fn no_option_points_nowhere_or_to_a_missing_block() {
    let mut def = good();
    let BlockKind::Menu { options, .. } = &mut def.blocks[1].kind else { unreachable!() };
    options[0].next = None;
    options.push(MenuOption { label: "Suporte".into(), next: to("suporte"), synonyms: vec![] });
    let found = kinds(&def);
    assert!(found.contains(&on("menu", ProblemKind::OptionNowhere { option: 1 })), "{found:?}");
    assert!(found.contains(&on("menu", ProblemKind::MissingTarget { target: "suporte".into() })));
    assert!(found.contains(&on("vendas", ProblemKind::Unreachable)));
}

#[test]
fn unreachable_blocks() {
    let mut def = good();
    def.blocks.push(block("solto", BlockKind::Close { text: "Tchau".into() }));
    assert_eq!(kinds(&def), vec![on("solto", ProblemKind::Unreachable)]);
}

#[test]
fn every_question_has_an_invalid_exit() {
    let mut def = good();
    let BlockKind::Menu { invalid, .. } = &mut def.blocks[1].kind else { unreachable!() };
    *invalid = None;
    assert_eq!(kinds(&def), vec![on("menu", ProblemKind::NoInvalidExit)]);
    let mut def = good();
    let ask = BlockKind::Ask {
        text: "CPF?".into(),
        field: "CPF".into(),
        validation: Validation::Cpf,
        max_tries: 3,
        retry_text: String::new(),
        next: to("menu"),
        invalid: None,
    };
    replace(&mut def, "ola", ask);
    assert_eq!(kinds(&def), vec![on("ola", ProblemKind::NoInvalidExit)]);
}

#[test]
fn no_loop_without_the_customer() {
    let mut def = good();
    replace(&mut def, "ola", BlockKind::Message { text: "Olá".into(), attachment_id: None, next: to("hora") });
    def.blocks
        .push(block("hora", BlockKind::Schedule { group_id: 7, open: to("menu"), closed: to("ola"), holiday: None }));
    assert_eq!(kinds(&def), vec![on("ola", ProblemKind::LoopWithoutCustomer)]);
    // Back to the menu after an answer waits for the customer: no problem.
    let mut def = good();
    let BlockKind::Menu { invalid, .. } = &mut def.blocks[1].kind else { unreachable!() };
    *invalid = to("ola");
    assert_eq!(kinds(&def), vec![]);
}

#[test]
fn placeholders_and_fields_name_existing_fields() {
    let mut def = good();
    replace(
        &mut def,
        "ola",
        BlockKind::Message { text: "Olá {{Nome}}, {{CPF}} {{cidade}}".into(), attachment_id: None, next: to("menu") },
    );
    assert_eq!(kinds(&def), vec![on("ola", ProblemKind::UnknownField { field: "cidade".into() })]);
    let ask = BlockKind::Ask {
        text: "Plano?".into(),
        field: "Plano".into(),
        validation: Validation::OneOf { options: vec![" ".into()] },
        max_tries: 3,
        retry_text: String::new(),
        next: to("menu"),
        invalid: to("menu"),
    };
    replace(&mut def, "ola", ask);
    let found = kinds(&def);
    assert!(found.contains(&on("ola", ProblemKind::UnknownField { field: "Plano".into() })), "{found:?}");
    assert!(found.contains(&on("ola", ProblemKind::NoListValues)));
}

#[test]
fn referenced_team_schedule_and_flow_exist() {
    let mut def = good();
    replace(&mut def, "vendas", BlockKind::Transfer { team_id: 99, priority: false });
    replace(&mut def, "financeiro", BlockKind::GoTo { flow_id: 98 });
    assert_eq!(
        kinds(&def),
        vec![on("vendas", ProblemKind::UnknownTeam { id: 99 }), on("financeiro", ProblemKind::UnknownFlow { id: 98 })]
    );
    replace(
        &mut def,
        "vendas",
        BlockKind::Schedule { group_id: 97, open: to("financeiro"), closed: to("financeiro"), holiday: None },
    );
    replace(&mut def, "financeiro", BlockKind::GoTo { flow_id: 3 });
    assert_eq!(
        kinds(&def),
        vec![on("vendas", ProblemKind::UnknownSchedule { id: 97 }), on("financeiro", ProblemKind::GoToItself)]
    );
    let mut def = good();
    def.idle = IdleRule { minutes: 0, then: IdleThen::Transfer { team_id: 42 } };
    assert_eq!(kinds(&def), vec![(None, ProblemKind::IdleMinutes), (None, ProblemKind::UnknownTeam { id: 42 })]);
}

#[test]
fn texts_options_addresses_and_ids() {
    let mut def = good();
    replace(&mut def, "ola", BlockKind::Message { text: " ".into(), attachment_id: None, next: to("menu") });
    def.blocks.push(block("vendas", BlockKind::Close { text: "x".into() }));
    let found = kinds(&def);
    assert!(found.contains(&on("ola", ProblemKind::EmptyText)));
    assert!(found.contains(&on("vendas", ProblemKind::DuplicateId)));
    let mut def = good();
    let BlockKind::Menu { options, .. } = &mut def.blocks[1].kind else { unreachable!() };
    options.clear();
    assert!(kinds(&def).contains(&on("menu", ProblemKind::NoOptions)));
    let http = |url: &str| BlockKind::Http {
        method: HttpMethod::Get,
        url: url.into(),
        body: String::new(),
        timeout_ms: 1000,
        map: vec![],
        next: to("menu"),
        error: to("menu"),
    };
    let mut def = good();
    replace(&mut def, "ola", http("ftp://x/{{cpf}}"));
    assert_eq!(kinds(&def), vec![on("ola", ProblemKind::BadUrl)]);
    replace(&mut def, "ola", http("https://{{cpf}}.example/p"));
    assert_eq!(kinds(&def), vec![]);
}

#[test]
fn every_problem_has_words_in_every_language() {
    let all = [
        ProblemKind::NoBlocks,
        ProblemKind::NoStart,
        ProblemKind::DuplicateId,
        ProblemKind::DeadEnd { exit: "rule".into(), value: "vip".into() },
        ProblemKind::OptionNowhere { option: 2 },
        ProblemKind::MissingTarget { target: "x".into() },
        ProblemKind::Unreachable,
        ProblemKind::NoInvalidExit,
        ProblemKind::LoopWithoutCustomer,
        ProblemKind::UnknownField { field: "x".into() },
        ProblemKind::UnknownTeam { id: 1 },
        ProblemKind::UnknownSchedule { id: 1 },
        ProblemKind::UnknownFlow { id: 1 },
        ProblemKind::GoToItself,
        ProblemKind::NoOptions,
        ProblemKind::NoListValues,
        ProblemKind::EmptyText,
        ProblemKind::BadUrl,
        ProblemKind::IdleMinutes,
    ];
    for lang in ["pt-BR", "en", "es"] {
        for kind in &all {
            let args = kind.args().into_iter().map(|(k, v)| (k.into(), v.into())).collect();
            assert!(crate::i18n::try_translate(lang, kind.key(), &args).is_some(), "{lang} {}", kind.key());
        }
    }
    let args = [("option".into(), "3".into())].into();
    assert_eq!(
        crate::i18n::try_translate("pt-BR", "flow-problem-option-nowhere", &args).as_deref(),
        Some("A opção 3 não leva a nenhum bloco.")
    );
}

#[test]
fn an_extra_word_of_two_options_of_one_menu_is_a_problem() {
    let mut def = good();
    let BlockKind::Menu { options, .. } = &mut def.blocks[1].kind else { unreachable!() };
    options[1].synonyms = vec!["boleto".into(), "vendas".into()];
    assert_eq!(kinds(&def), vec![on("menu", ProblemKind::SynonymTwice { option: 2, word: "vendas".into() })]);
}
