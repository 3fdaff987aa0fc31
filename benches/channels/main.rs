//! Channels under load, on the release binary and 127.0.0.1 only. One part per file:
//!
//! 1. `whatsapp` — Meta's signed webhooks (`POST /webhooks/whatsapp/<key>`) from
//!    several connections at once, each verified, de-duplicated, stored and routed
//!    before its 200: accepted per second, p50/p99, with a share of re-deliveries;
//! 2. `telegram` — an update at the Bot API to the agent's live event, p50/p99;
//! 3. `outbound` — replies delivered per second with the send limits off (Telegram,
//!    WhatsApp), each exactly once;
//! 4. `outage` — a Telegram Bot API down for a minute with 1,000 replies queued: the
//!    time to drain once it is back, and that exactly 1,000 arrive.
//!
//! The services are fakes on 127.0.0.1 in their real shapes (`fake_apis`); queued
//! replies are written straight into SQLite (`backlog`).
//!
//!     cargo build --release
//!     cargo bench --bench channels              # everything
//!     cargo bench --bench channels -- whatsapp
//!
//! `CHANNELS_BENCH_BINARY` names another binary than target/release/atende. The figures
//! are in docs/performance.md; the bench only measures.

use std::path::Path;
use std::process::ExitCode;

#[path = "../common/mod.rs"]
mod common;

#[path = "../floor/client.rs"]
#[allow(dead_code)]
mod client;

mod backlog;
mod fake_apis;
mod outage;
mod outbound;
mod telegram;
mod whatsapp;

fn main() -> ExitCode {
    let Some(binary) = common::binary_to_measure("CHANNELS_BENCH_BINARY", "channels") else {
        return ExitCode::SUCCESS;
    };
    let picked: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let wants = |part: &str| picked.is_empty() || picked.iter().any(|p| p == part);
    println!("atende channels bench");
    println!("  binary               {}", binary.display());
    let parts: [(&str, fn(&Path) -> Result<(), String>); 4] = [
        ("whatsapp", whatsapp::run),
        ("telegram", telegram::run),
        ("outbound", outbound::run),
        ("outage", outage::run),
    ];
    let mut failed = false;
    for (part, run) in parts {
        if wants(part) {
            if let Err(e) = run(&binary) {
                eprintln!("channels bench: {part} failed: {e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
