//! The floor under load, on the release binary and 127.0.0.1 only. One part per file:
//!
//! 1. `throughput` — web chat visitors send messages (`POST /webchat/demo/messages`) at
//!    increasing rates for a fixed time each; the highest rate whose p99 stays under
//!    50 ms is reported with its p50/p99;
//! 2. and 3. `events` — agents hold `GET /agent/events` open; the time from a visitor's
//!    message to the agent's stream receiving the `change` event, with one stream and
//!    with 200; and resident memory (VmRSS) with 200 agents on `/agent/events`;
//! 4. `lists` — `GET /agent/lists` for a member of a team with 10,000 open
//!    conversations and 1,000,000 stored messages, and `GET /agent/history?q=…` (full-text
//!    search over those messages);
//! 5. `pane` — `GET /agent/conversations/<id>/pane` for a conversation of 500 messages
//!    with 20 attachments, and `GET /agent/lists`, on a floor of ordinary size; and the
//!    SQL statements each of those requests runs;
//! 6. `chat` — the internal chat with 200 agents on `/agent/events`: a one-to-one
//!    message from the POST to the recipient's `chat` event, and a team channel's
//!    message to all 200 streams;
//! 7. `durability` — part 1's open loop with `synchronous = normal`, then `full`, with
//!    the writer's commits per second and writes per commit;
//! 8. `monitoring` — "Monitoramento" with 200 agents and 2,000 open conversations and 10
//!    supervisors watching: the page, the bytes of one update (plain and gzipped), the
//!    time from a visitor's message to every viewer's event and re-fetched sections,
//!    and the server's CPU per message.
//!
//!     cargo build --release
//!     cargo bench --bench floor                 # everything (a few minutes)
//!     cargo bench --bench floor -- throughput   # or: events, lists, pane, chat, durability, monitoring
//!
//! The binary is measured as built; this program does not build it. `FLOOR_BENCH_BINARY`
//! names another one (e.g. a copy taken right after `cargo build --release`, since
//! `cargo bench` relinks `target/release/atende`). The figures and what they mean are
//! in docs/performance.md. Every loop is bounded in count and in time; the bench only
//! measures and asserts nothing about the figures.

use std::path::Path;
use std::process::ExitCode;

#[path = "../common/mod.rs"]
mod common;

mod chat;
mod client;
mod durability;
mod events;
mod lists;
mod monitoring;
mod pane;
mod statements;
mod throughput;

use common::binary_to_measure;

fn main() -> ExitCode {
    let Some(binary) = binary_to_measure("FLOOR_BENCH_BINARY", "floor") else { return ExitCode::SUCCESS };
    // `cargo bench` passes `--bench`; any other word picks parts.
    let picked: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let wants = |part: &str| picked.is_empty() || picked.iter().any(|p| p == part);
    println!("atende floor bench");
    println!("  binary               {}", binary.display());
    let parts: [(&str, fn(&Path) -> Result<(), String>); 7] = [
        ("throughput", throughput::run),
        ("events", events::run),
        ("lists", lists::run),
        ("pane", pane::run),
        ("chat", chat::run),
        ("durability", durability::run),
        ("monitoring", monitoring::run),
    ];
    let mut failed = false;
    for (part, run) in parts {
        if !wants(part) {
            continue;
        }
        if let Err(e) = run(&binary) {
            eprintln!("floor bench: {part} failed: {e}");
            failed = true;
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
