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

use atende::db::conversation_pane::{ConversationPane, Viewer};
use atende::db::conversations::conversation_by_id;
use atende::db::Db;

use super::client::Http;
use super::common::floor_data::{fill_floor, lengthen_conversation, prepare_floor, FloorSize};
use super::common::{ms, pct, temp_dir, Server};
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
    let mut load = read_model_times(&db_path, long.id)?;
    load.sort();
    report("ConversationPane::load alone, long", &load, None);

    let server = Server::start(binary, dir.path(), "serve")?;
    let mut http = Http::new(server.addr);
    http.sign_in(&agents[0])?;
    for (path, what) in &paths {
        let (times, size) = http.time_gets(path, REQUESTS)?;
        report(&format!("GET {what}"), &times, Some(size));
    }
    println!("  {}", server.rss_note()?);
    Ok(())
}

/// `ConversationPane::load` alone, in this process, on the same data: what a GET of the
/// long conversation's pane spends in SQLite (the rest is rendering and HTTP).
fn read_model_times(db_path: &Path, conversation: i64) -> Result<Vec<Duration>, String> {
    let db = Db::open(db_path).map_err(|e| e.to_string())?;
    let times = db.read_now(|conn| {
        let me = conn.query_row("SELECT id FROM users WHERE username = 'floorbench0'", [], |r| r.get(0))?;
        let viewer = Viewer { user_id: me, supervisor: false, can_write: true };
        let mut times = Vec::with_capacity(REQUESTS);
        for _ in 0..REQUESTS {
            let Some(c) = conversation_by_id(conn, conversation)? else { break };
            let begun = Instant::now();
            ConversationPane::load(conn, c, &viewer)?;
            times.push(begun.elapsed());
        }
        Ok(times)
    });
    times.map_err(|e| format!("read model: {e}"))
}

fn report(what: &str, sorted: &[Duration], page_size: Option<usize>) {
    let page = page_size.map(|size| format!(", {:.0} KiB page", size as f64 / 1024.0)).unwrap_or_default();
    println!(
        "  {what:<41} p50 {:>6.2} ms  p95 {:>6.2} ms  max {:>6.2} ms  ({} runs{page})",
        ms(pct(sorted, 0.5)),
        ms(pct(sorted, 0.95)),
        ms(pct(sorted, 1.0)),
        sorted.len(),
    );
}
