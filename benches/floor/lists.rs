//! Part 4 of the figures: lists and search on a large floor. 100,000 conversations of
//! SAC (10,000 open) with 10 messages each, then `GET /agent/lists` and
//! `GET /agent/history?q=reembolso`, one at a time on a keep-alive connection.

use std::path::Path;
use std::time::Instant;

use super::client::Http;
use super::common::floor_data::{fill_floor, prepare_floor, FloorSize, RARE_WORD};
use super::common::{ms, pct, temp_dir, Server};

/// 100,000 conversations in all, 1,000,000 messages.
const LARGE: FloorSize = FloorSize {
    mine_active: 40,
    mine_pending: 20,
    colleagues_active: 1_940,
    waiting: 8_000,
    closed: 90_000,
    messages_each: 10,
};
const LIST_REQUESTS: usize = 100;
const SEARCH_REQUESTS: usize = 50;

pub fn run(binary: &Path) -> Result<(), String> {
    println!(
        "\n[4] GET /agent/lists and GET /agent/history?q= with {} open conversations, {} messages",
        LARGE.open(),
        LARGE.conversations() * LARGE.messages_each
    );
    let dir = temp_dir()?;
    let agents = prepare_floor(binary, dir.path(), 1)?;
    let db_path = dir.path().join("data").join("atende.db");
    let begun = Instant::now();
    let filled = fill_floor(&db_path, &LARGE)?;
    println!(
        "  data set built in {:.1} s: {} conversations ({} open), {} messages ({} with \"{RARE_WORD}\"), database {:.0} MiB",
        begun.elapsed().as_secs_f64(),
        filled.conversations,
        filled.open,
        filled.messages,
        filled.rare,
        std::fs::metadata(&db_path).map(|m| m.len() as f64 / 1048576.0).unwrap_or(0.0)
    );
    let server = Server::start(binary, dir.path(), "serve")?;
    let mut http = Http::new(server.addr);
    http.sign_in(&agents[0])?;

    let (list, list_size) = http.time_gets("/agent/lists", LIST_REQUESTS)?;
    let search_path = format!("/agent/history?q={RARE_WORD}");
    let (search, search_size) = http.time_gets(&search_path, SEARCH_REQUESTS)?;
    for (what, times, size) in [("GET /agent/lists", &list, list_size), (search_path.as_str(), &search, search_size)] {
        println!(
            "  {what:<30} p50 {:>6.1} ms  p99 {:>6.1} ms  max {:>6.1} ms  ({} requests, {:.0} KiB page)",
            ms(pct(times, 0.5)),
            ms(pct(times, 0.99)),
            ms(pct(times, 1.0)),
            times.len(),
            size as f64 / 1024.0
        );
    }
    println!("  {}", server.rss_note()?);
    Ok(())
}
