//! Part 5: what the agent's page re-fetches on every live event — the conversation
//! pane and the lists — on a floor of ordinary size: the bench agent holds 8
//! conversations and has 4 pending, colleagues hold 60, 30 wait in the queue, 20,000
//! are closed history; the first of the agent's conversations has 500 messages, 20 of
//! them with a file and 20 system events naming people and teams.
//!
//! Timed over real HTTP on the release binary, one request at a time on a keep-alive
//! connection. The SQL statements per request are counted in this process, on the same
//! data (`statements`), before the server starts.

use std::path::Path;
use std::time::{Duration, Instant};

use super::client::Http;
use super::common::floor_data::{fill_floor, lengthen_conversation, prepare_floor, FloorSize};
use super::common::{kib_to_mib, ms, pct, temp_dir, Server};
use super::statements::Counter;

const ORDINARY: FloorSize = FloorSize {
    mine_active: 8,
    mine_pending: 4,
    colleagues_active: 60,
    waiting: 30,
    closed: 20_000,
    messages_each: 10,
};
const PANE_MESSAGES: usize = 500;
const PANE_ATTACHMENTS: usize = 20;
const REQUESTS: usize = 200;

pub fn run(binary: &Path) -> Result<(), String> {
    println!(
        "\n[5] GET /agent/conversations/<id>/pane ({PANE_MESSAGES} messages, {PANE_ATTACHMENTS} files) and GET /agent/lists, {} open conversations",
        ORDINARY.open()
    );
    let dir = temp_dir()?;
    let agents = prepare_floor(binary, dir.path(), 1)?;
    let data = dir.path().join("data");
    let db_path = data.join("atende.db");
    let begun = Instant::now();
    let filled = fill_floor(&db_path, &ORDINARY)?;
    let long = lengthen_conversation(&db_path, PANE_MESSAGES, PANE_ATTACHMENTS)?;
    println!(
        "  data set built in {:.1} s: {} conversations, {} messages; conversation {} holds {} ({} files, {} system events)",
        begun.elapsed().as_secs_f64(),
        filled.conversations,
        filled.messages + long.messages,
        long.id,
        long.messages + ORDINARY.messages_each,
        long.attachments,
        long.events
    );
    // Another of the agent's conversations, with the floor's 10 messages.
    let short = long.id + 1;
    let pane = |id: i64| format!("/agent/conversations/{id}/pane");
    let paths = [
        (pane(long.id), "pane, long conversation"),
        (pane(short), "pane, 10 messages"),
        ("/agent/lists".into(), "lists"),
    ];

    let counter = Counter::start(&data, &agents[0])?;
    for (path, what) in &paths {
        println!("  SQL statements per GET {what:<26} {:>4}", counter.statements_of(path)?);
    }
    drop(counter);

    let server = Server::start(binary, dir.path(), "serve")?;
    let mut http = Http::new(server.addr);
    http.sign_in(&agents[0])?;
    for (path, what) in &paths {
        let (times, size) = http.time_gets(path, REQUESTS)?;
        report(what, &times, size);
    }
    let mem = server.memory()?;
    println!(
        "  server RSS {:.1} MiB (peak {:.1} MiB){}",
        kib_to_mib(mem.rss_kb),
        kib_to_mib(mem.hwm_kb),
        server.log_errors()
    );
    Ok(())
}

fn report(what: &str, sorted: &[Duration], size: usize) {
    println!(
        "  GET {what:<26} p50 {:>6.2} ms  p95 {:>6.2} ms  max {:>6.2} ms  ({} requests, {:.0} KiB page)",
        ms(pct(sorted, 0.5)),
        ms(pct(sorted, 0.95)),
        ms(pct(sorted, 1.0)),
        sorted.len(),
        size as f64 / 1024.0
    );
}
