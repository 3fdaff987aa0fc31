//! `outage` — a Telegram channel whose Bot API (a fake on 127.0.0.1 speaking the real
//! `sendMessage` shape) is down for 60 seconds, answering 502, while 1,000 replies wait
//! in the outbox across 100 chats. Reported: how long after the service comes back the
//! outbox is empty, the messages the fake took, and how many were distinct (exactly
//! 1,000 means none lost and none sent twice). Telegram's send limits (30 a second per
//! bot, one a second per chat) hold throughout, so the drain takes at least ~34 s.
//! `OUTAGE_SECONDS` changes the outage's length.

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::backlog::{self, BenchChannel};
use crate::common::Server;
use crate::fake_apis::FakeApis;

const CHATS: usize = 100;
const PER_CHAT: usize = 10;
const TOKEN: &str = "123456:bench-token-abcdefghijklmnopqrstuvwxyz";

pub fn run(binary: &Path) -> Result<(), String> {
    let outage = Duration::from_secs(std::env::var("OUTAGE_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(60));
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (fake, addr) = FakeApis::start(true)?;
    let api_base = format!("http://{addr}");

    // The database exists once the server ran; the channel and its queue go in before
    // the server that drains them starts.
    drop(Server::start(binary, dir.path(), "serve")?);
    let db_path = dir.path().join("data").join("atende.db");
    let config = serde_json::json!({
        "bot_token": TOKEN, "api_base": api_base, "poll_timeout_seconds": 1, "request_timeout_seconds": 5
    });
    backlog::queue(&db_path, &BenchChannel { kind: "telegram", key: "bench-bot", config }, CHATS, PER_CHAT)?;
    let total = CHATS * PER_CHAT;
    let server = Server::start(binary, dir.path(), "serve")?;
    println!("  outage               {} s of 502 with {total} replies queued over {CHATS} chats", outage.as_secs());
    std::thread::sleep(outage);
    fake.down.store(false, Ordering::SeqCst);
    let back = Instant::now();
    let (drained, left) = backlog::drain(&db_path, None, back, Duration::from_secs(600))?;
    let taken = fake.taken.lock().unwrap().clone();
    let distinct: HashSet<&String> = taken.iter().collect();
    println!(
        "  drained              {:.1} s after the service came back ({left} left in the outbox)",
        drained.as_secs_f64()
    );
    println!(
        "  received             {} messages, {} distinct of {total}; {} calls in all (502s during the outage)",
        taken.len(),
        distinct.len(),
        fake.calls.load(Ordering::SeqCst)
    );
    println!("  {}", server.rss_note()?);
    Ok(())
}
