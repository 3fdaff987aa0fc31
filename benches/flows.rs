//! The flow engine alone, in process: steps a second of the pure step function
//! through a three-block flow (greeting, menu, transfer), and the editor's share of a
//! 30-block flow's page (layout and publish checks). Run with
//! `cargo bench --bench flows` (or `cargo test --bench flows` for a debug build).

use std::collections::HashMap;
use std::time::Instant;

use atende::domain::channel_kind::ChannelKind;
use atende::domain::flow::checks::{self, Catalogue};
use atende::domain::flow::{layout, step, Context, Input, State};

#[path = "common/flow_defs.rs"]
mod flow_defs;
use flow_defs::{thirty_blocks, three_blocks};

fn main() {
    let def = three_blocks(1);
    let fields = std::collections::BTreeMap::from([("nome".to_string(), "Maria".to_string())]);
    let schedules = HashMap::new();
    let ctx = Context {
        now_ms: 0,
        channel: ChannelKind::WhatsApp,
        fields: &fields,
        schedules: &schedules,
        default_country: "BR",
    };
    let rounds = 200_000;
    let started = Instant::now();
    for _ in 0..rounds {
        let first = step(&def, &State::default(), Input::Started, &ctx);
        let second = step(&def, &first.state, Input::Text("financeiro".into()), &ctx);
        assert!(second.leaves());
    }
    let secs = started.elapsed().as_secs_f64();
    println!("flow steps (start, then a menu answer by words): {:.0} steps/s", 2.0 * rounds as f64 / secs);

    let big = thirty_blocks();
    let catalogue = Catalogue { teams: [1].into(), ..Catalogue::default() };
    let rounds = 5_000;
    let started = Instant::now();
    for _ in 0..rounds {
        let d = layout::layout(&big);
        let problems = checks::check(&big, &catalogue);
        assert_eq!(d.boxes.len(), 30);
        assert!(!problems.is_empty());
    }
    let per = started.elapsed().as_secs_f64() / rounds as f64;
    println!("30-block flow, layout and publish checks: {:.1} µs per page", per * 1e6);
}
