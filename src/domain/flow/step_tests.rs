//! The step, block by block.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::*;
use crate::domain::flow::definition::*;
use crate::domain::schedule::{Exception, Interval, Schedule};

pub(crate) fn block(id: &str, kind: BlockKind) -> Block {
    Block { id: id.into(), name: id.into(), kind }
}

pub(crate) fn to(id: &str) -> Option<String> {
    Some(id.into())
}

pub(crate) fn flow(blocks: Vec<Block>) -> Definition {
    Definition { start: blocks[0].id.clone(), blocks, idle: IdleRule::default(), allow_private_http: false }
}

pub(crate) fn main_menu() -> BlockKind {
    BlockKind::Menu {
        text: "Como posso ajudar?".into(),
        options: vec![
            MenuOption { label: "Vendas".into(), next: to("vendas"), synonyms: vec![] },
            MenuOption { label: "Financeiro".into(), next: to("financeiro"), synonyms: vec![] },
        ],
        max_tries: 2,
        retry_text: "Não entendi.".into(),
        invalid: to("financeiro"),
    }
}

fn transfer(team_id: i64) -> BlockKind {
    BlockKind::Transfer { team_id, priority: false }
}

/// 21/12/2026 was a Monday; 25/12 a Friday (a holiday below).
fn at(day: u32, hour: u32) -> i64 {
    NaiveDate::from_ymd_opt(2026, 12, day).unwrap().and_hms_opt(hour, 0, 0).unwrap().and_utc().timestamp_millis()
}

fn office() -> HashMap<i64, Schedule> {
    let weekly = (0..5).map(|weekday| Interval { weekday, start_min: 8 * 60, end_min: 18 * 60 }).collect();
    let christmas =
        Exception { day: NaiveDate::from_ymd_opt(2026, 12, 25).unwrap(), hours: None, label: "Natal".into() };
    [(7, Schedule { time_zone: chrono_tz::UTC, weekly, exceptions: vec![christmas] })].into()
}

struct World {
    fields: Fields,
    schedules: HashMap<i64, Schedule>,
    now: i64,
    channel: ChannelKind,
}

impl World {
    fn new() -> World {
        World {
            fields: [("nome".to_string(), "Ana".to_string())].into(),
            schedules: office(),
            now: at(21, 10),
            channel: ChannelKind::WebChat,
        }
    }

    fn step(&self, def: &Definition, state: &State, input: Input) -> Step {
        let ctx = Context {
            now_ms: self.now,
            channel: self.channel,
            fields: &self.fields,
            schedules: &self.schedules,
            default_country: "BR",
        };
        step(def, state, input, &ctx)
    }
}

fn texts(s: &Step) -> Vec<&str> {
    s.messages.iter().map(|m| m.text.as_str()).collect()
}

fn menu_flow() -> Definition {
    flow(vec![
        block("ola", BlockKind::Message { text: "Olá, {{nome}}!".into(), attachment_id: None, next: to("menu") }),
        block("menu", main_menu()),
        block("vendas", transfer(1)),
        block("financeiro", transfer(2)),
    ])
}

#[test]
fn message_with_placeholder_then_menu_waits() {
    let s = World::new().step(&menu_flow(), &State::default(), Input::Started);
    assert_eq!(texts(&s), vec!["Olá, Ana!", "Como posso ajudar?\n1 Vendas\n2 Financeiro"]);
    assert_eq!(s.messages[1].choices.as_ref().map(|c| c.options.len()), Some(2));
    assert_eq!(s.state, State { at: to("menu"), tries: 0, finished: false });
    assert!(s.actions.is_empty());
}

#[test]
fn message_carries_its_file() {
    let def = flow(vec![
        block("m", BlockKind::Message { text: "Catálogo".into(), attachment_id: Some(9), next: to("t") }),
        block("t", transfer(1)),
    ]);
    let s = World::new().step(&def, &State::default(), Input::Started);
    assert_eq!(s.messages[0].attachment_id, Some(9));
    assert_eq!(s.actions, vec![Action::Transfer { team_id: 1, priority: false }]);
    assert!(s.leaves());
}

#[test]
fn menu_by_number_and_by_words() {
    let w = World::new();
    let waiting = State { at: to("menu"), ..State::default() };
    for (answer, team) in [("1", 1), ("2", 2), ("financeiro", 2), ("VENDAS", 1)] {
        let s = w.step(&menu_flow(), &waiting, Input::Text(answer.into()));
        assert_eq!(s.actions.last(), Some(&Action::Transfer { team_id: team, priority: false }), "{answer}");
        assert!(s.leaves());
    }
    let s = w.step(&menu_flow(), &waiting, Input::Text("2".into()));
    assert_eq!(s.actions[0], Action::Note(Note::Chose("2 Financeiro".into())));
}

#[test]
fn menu_reasks_then_takes_the_invalid_exit() {
    let w = World::new();
    let waiting = State { at: to("menu"), ..State::default() };
    let first = w.step(&menu_flow(), &waiting, Input::Text("bom dia".into()));
    assert_eq!(texts(&first), vec!["Não entendi.\n\nComo posso ajudar?\n1 Vendas\n2 Financeiro"]);
    assert_eq!(first.state, State { at: to("menu"), tries: 1, finished: false });
    let second = w.step(&menu_flow(), &first.state, Input::Text("hein".into()));
    assert_eq!(second.actions[0], Action::Note(Note::GaveUp { block: "menu".into() }));
    assert_eq!(second.actions[1], Action::Transfer { team_id: 2, priority: false });
}

fn ask_flow(validation: Validation) -> Definition {
    flow(vec![
        block(
            "cpf",
            BlockKind::Ask {
                text: "Qual é o seu CPF?".into(),
                field: "CPF".into(),
                validation,
                max_tries: 2,
                retry_text: String::new(),
                next: to("obrigado"),
                invalid: to("humano"),
            },
        ),
        block("obrigado", BlockKind::Close { text: "Obrigado, {{nome}}. CPF {{cpf}} anotado.".into() }),
        block("humano", transfer(3)),
    ])
}

#[test]
fn ask_stores_a_valid_answer_and_later_blocks_see_it() {
    let w = World::new();
    let def = ask_flow(Validation::Cpf);
    let started = w.step(&def, &State::default(), Input::Started);
    assert_eq!(texts(&started), vec!["Qual é o seu CPF?"]);
    let s = w.step(&def, &started.state, Input::Text("529.982.247-25".into()));
    assert_eq!(
        s.actions,
        vec![
            Action::Note(Note::Answered { field: "CPF".into(), value: "52998224725".into() }),
            Action::SetField { field: "CPF".into(), value: "52998224725".into() },
            Action::Close,
        ]
    );
    assert_eq!(texts(&s), vec!["Obrigado, Ana. CPF 52998224725 anotado."]);
}

#[test]
fn ask_reasks_with_the_default_words_then_falls_back() {
    let w = World::new();
    let def = ask_flow(Validation::Cpf);
    let waiting = State { at: to("cpf"), ..State::default() };
    let first = w.step(&def, &waiting, Input::Text("123".into()));
    assert_eq!(texts(&first), vec!["Não entendi sua resposta.\n\nQual é o seu CPF?"]);
    let second = w.step(&def, &first.state, Input::Text("529.982.247-24".into()));
    assert_eq!(second.actions.last(), Some(&Action::Transfer { team_id: 3, priority: false }));
}

fn schedule_flow(holiday: Option<String>) -> Definition {
    flow(vec![
        block("horario", BlockKind::Schedule { group_id: 7, open: to("aberto"), closed: to("fechado"), holiday }),
        block("aberto", transfer(1)),
        block("fechado", BlockKind::Close { text: "Estamos fora do horário.".into() }),
        block("feriado", BlockKind::Close { text: "Hoje é feriado.".into() }),
    ])
}

#[test]
fn schedule_open_closed_and_holiday_by_the_clock() {
    let mut w = World::new();
    let def = schedule_flow(to("feriado"));
    let run = |w: &World| w.step(&def, &State::default(), Input::Started);
    assert_eq!(run(&w).actions, vec![Action::Transfer { team_id: 1, priority: false }]);
    w.now = at(21, 20);
    assert_eq!(texts(&run(&w)), vec!["Estamos fora do horário."]);
    w.now = at(26, 10);
    assert_eq!(texts(&run(&w)), vec!["Estamos fora do horário."], "a Saturday");
    w.now = at(25, 10);
    assert_eq!(texts(&run(&w)), vec!["Hoje é feriado."]);
    let without = schedule_flow(None);
    assert_eq!(texts(&w.step(&without, &State::default(), Input::Started)), vec!["Estamos fora do horário."]);
    w.schedules.clear();
    assert_eq!(texts(&run(&w)), vec!["Estamos fora do horário."], "a group gone counts as closed");
}

#[test]
fn condition_on_a_field_and_on_the_channel() {
    let mut w = World::new();
    let rules =
        |a: &str, b: &str| vec![Rule { equals: a.into(), next: to("um") }, Rule { equals: b.into(), next: to("dois") }];
    let def = |subject| {
        flow(vec![
            block("se", BlockKind::Condition { subject, rules: rules("vip", "whatsapp"), otherwise: to("tres") }),
            block("um", transfer(1)),
            block("dois", transfer(2)),
            block("tres", transfer(3)),
        ])
    };
    let team = |w: &World, d: &Definition| match w.step(d, &State::default(), Input::Started).actions[0] {
        Action::Transfer { team_id, .. } => team_id,
        _ => 0,
    };
    let by_field = def(Subject::Field { field: "Plano".into() });
    assert_eq!(team(&w, &by_field), 3);
    w.fields.insert("plano".into(), " VIP ".into());
    assert_eq!(team(&w, &by_field), 1);
    let by_channel = def(Subject::Channel);
    assert_eq!(team(&w, &by_channel), 3);
    w.channel = ChannelKind::WhatsApp;
    assert_eq!(team(&w, &by_channel), 2);
}

fn http_flow() -> Definition {
    flow(vec![
        block(
            "pedido",
            BlockKind::Http {
                method: HttpMethod::Post,
                url: "https://loja.example/pedidos?nome={{nome}}".into(),
                body: r#"{"nome":"{{nome}}"}"#.into(),
                timeout_ms: 2000,
                map: vec![FieldMap { path: "pedido.status".into(), field: "Status".into() }],
                next: to("ok"),
                error: to("erro"),
            },
        ),
        block("ok", BlockKind::Close { text: "Seu pedido está {{status}}.".into() }),
        block("erro", transfer(9)),
    ])
}

#[test]
fn http_emits_a_call_and_waits_for_its_result() {
    let mut w = World::new();
    w.fields.insert("nome".into(), "Ana \"Bia\" Souza".into());
    let s = w.step(&http_flow(), &State::default(), Input::Started);
    let call = HttpCall {
        method: HttpMethod::Post,
        url: "https://loja.example/pedidos?nome=Ana%20%22Bia%22%20Souza".into(),
        body: r#"{"nome":"Ana \"Bia\" Souza"}"#.into(),
        timeout_ms: 2000,
        allow_private: false,
    };
    assert_eq!(s.actions, vec![Action::CallHttp(call)]);
    assert_eq!(s.state.at.as_deref(), Some("pedido"));
    let meanwhile = w.step(&http_flow(), &s.state, Input::Text("oi?".into()));
    assert!(meanwhile.messages.is_empty() && meanwhile.actions.is_empty());
    assert_eq!(meanwhile.state, s.state);
}

#[test]
fn http_result_fills_fields_or_takes_the_error_exit() {
    let w = World::new();
    let waiting = State { at: to("pedido"), ..State::default() };
    let ok = Input::Http(HttpOutcome::Answered { status: 200, body: r#"{"pedido":{"status":"enviado"}}"#.into() });
    let s = w.step(&http_flow(), &waiting, ok);
    assert_eq!(s.actions[0], Action::SetField { field: "Status".into(), value: "enviado".into() });
    assert_eq!(texts(&s), vec!["Seu pedido está enviado."]);
    for failed in [
        HttpOutcome::Answered { status: 500, body: "{}".into() },
        HttpOutcome::Answered { status: 200, body: "não é JSON".into() },
        HttpOutcome::Failed("timeout".into()),
    ] {
        let s = w.step(&http_flow(), &waiting, Input::Http(failed));
        assert_eq!(
            s.actions,
            vec![
                Action::Note(Note::HttpFailed { block: "pedido".into() }),
                Action::Transfer { team_id: 9, priority: false }
            ]
        );
    }
}

#[test]
fn close_and_go_to_leave_the_flow() {
    let w = World::new();
    let def = flow(vec![block("fim", BlockKind::Close { text: "Até logo!".into() })]);
    let s = w.step(&def, &State::default(), Input::Started);
    assert_eq!((texts(&s), s.actions.clone(), s.leaves()), (vec!["Até logo!"], vec![Action::Close], true));
    let def = flow(vec![block("outro", BlockKind::GoTo { flow_id: 4 })]);
    assert_eq!(w.step(&def, &State::default(), Input::Started).actions, vec![Action::GoTo { flow_id: 4 }]);
    let def = flow(vec![block("p", BlockKind::Transfer { team_id: 5, priority: true })]);
    assert_eq!(
        w.step(&def, &State::default(), Input::Started).actions,
        vec![Action::Transfer { team_id: 5, priority: true }]
    );
}

#[test]
fn idle_closes_politely_or_hands_over() {
    let w = World::new();
    let waiting = State { at: to("menu"), ..State::default() };
    let mut def = menu_flow();
    let s = w.step(&def, &waiting, Input::Idle);
    assert_eq!(s.actions, vec![Action::Close]);
    assert!(s.messages[0].text.starts_with("Como não recebemos sua resposta"));
    def.idle.then = IdleThen::Transfer { team_id: 8 };
    assert_eq!(w.step(&def, &waiting, Input::Idle).actions, vec![Action::Transfer { team_id: 8, priority: false }]);
}

#[test]
fn a_finished_flow_does_nothing_more() {
    let done = State { finished: true, ..State::default() };
    let s = World::new().step(&menu_flow(), &done, Input::Text("1".into()));
    assert!(s.messages.is_empty() && s.actions.is_empty() && s.leaves());
}

#[test]
fn a_broken_path_or_a_loop_hands_over_instead_of_spinning() {
    let w = World::new();
    let nowhere = flow(vec![block("m", BlockKind::Message { text: "Oi".into(), attachment_id: None, next: None })]);
    assert_eq!(w.step(&nowhere, &State::default(), Input::Started).actions, vec![Action::Stuck]);
    let looping = flow(vec![
        block("a", BlockKind::Message { text: "a".into(), attachment_id: None, next: to("b") }),
        block("b", BlockKind::Message { text: "b".into(), attachment_id: None, next: to("a") }),
    ]);
    let s = w.step(&looping, &State::default(), Input::Started);
    assert_eq!(s.actions, vec![Action::Stuck]);
    assert_eq!(s.messages.len(), MAX_HOPS);
}

#[test]
fn definitions_round_trip_as_json() {
    let def = http_flow();
    let json = serde_json::to_string(&def).unwrap();
    assert!(json.contains(r#""type":"http""#), "{json}");
    assert_eq!(serde_json::from_str::<Definition>(&json).unwrap(), def);
    let state = State { at: to("menu"), tries: 1, finished: false };
    assert_eq!(serde_json::from_str::<State>(&serde_json::to_string(&state).unwrap()).unwrap(), state);
}
