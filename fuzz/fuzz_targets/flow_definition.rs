//! A flow's definition as the editor saves it (JSON): read, written back the same,
//! checked for "Publicar", laid out for the diagram, compared with the starter flow,
//! and run a few steps with the answers a customer might give.
#![no_main]

use std::collections::{BTreeSet, HashMap};

use atende::domain::channel_kind::ChannelKind;
use atende::domain::flow::checks::{check, Catalogue};
use atende::domain::flow::diff::diff;
use atende::domain::flow::edit::starter;
use atende::domain::flow::layout::layout;
use atende::domain::flow::placeholders::Fields;
use atende::domain::flow::step::{step, Context, HttpOutcome, Input, State};
use atende::domain::flow::Definition;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(def) = serde_json::from_str::<Definition>(text) else { return };
    let again: Definition = serde_json::from_str(&serde_json::to_string(&def).unwrap()).unwrap();
    assert_eq!(again, def, "a saved definition reads back the same");
    let catalogue = Catalogue {
        teams: BTreeSet::from([1, 2]),
        schedule_groups: BTreeSet::from([1]),
        flows: BTreeSet::from([1, 2]),
        fields: BTreeSet::from(["pedido".to_string()]),
        this_flow: Some(2),
    };
    let _ = check(&def, &catalogue);
    let _ = layout(&def);
    let _ = diff(&starter("Olá"), &def);
    // Blocks are told apart by id (the publish checks refuse an id used twice).
    let ids: BTreeSet<&str> = def.blocks.iter().map(|b| b.id.as_str()).collect();
    if ids.len() == def.blocks.len() {
        assert!(diff(&def, &def).is_empty(), "a flow has no change from itself");
    }

    let fields = Fields::from([("nome".to_string(), "Maria".to_string())]);
    let schedules = HashMap::new();
    let ctx = Context {
        now_ms: 1_764_000_000_000,
        channel: ChannelKind::WhatsApp,
        fields: &fields,
        schedules: &schedules,
        default_country: "BR",
    };
    let mut state = State::default();
    let inputs = [
        Input::Started,
        Input::Text("1".into()),
        Input::Http(HttpOutcome::Answered { status: 200, body: r#"{"status":"ok"}"#.into() }),
        Input::Text("123.456.789-09".into()),
        Input::Idle,
        Input::Http(HttpOutcome::Failed("timeout".into())),
        Input::Text("não sei".into()),
    ];
    for input in inputs {
        let next = step(&def, &state, input, &ctx);
        if next.leaves() {
            break;
        }
        state = next.state;
    }
});
