//! `outbound` — how fast the outbox delivers when nothing holds it back: per kind, a
//! channel with its send limits turned off (`"send_limits": false`) and `CHATS` chats
//! of `PER_CHAT` queued replies each, against the fake service answering at once.
//! Reported: messages per second from the first arrival to the last, and that
//! every message arrived exactly once. With the limits on, Telegram keeps to 30 a
//! second and WhatsApp to 80.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::backlog::{self, BenchChannel};
use crate::common::{temp_dir, Server};
use crate::fake_apis::FakeApis;

const CHATS: usize = 100;
const PER_CHAT: usize = 20;

pub fn run(binary: &Path) -> Result<(), String> {
    let total = CHATS * PER_CHAT;
    println!("  outbound             {total} replies over {CHATS} chats per kind, send limits off");
    for kind in ["telegram", "whatsapp"] {
        let dir = temp_dir()?;
        let (fake, addr) = FakeApis::start(false)?;
        let api_base = format!("http://{addr}");
        let config = match kind {
            "telegram" => serde_json::json!({"bot_token": "123456:bench-token-abcdefghijklmnopqrstuvwxyz",
                "api_base": api_base, "poll_timeout_seconds": 1, "send_limits": false}),
            _ => serde_json::json!({"phone_number_id": "106", "access_token": "t", "app_secret": "s",
                "verify_token": "v", "api_base": api_base, "send_limits": false}),
        };
        drop(Server::start(binary, dir.path(), "serve")?);
        let db_path = dir.path().join("data").join("atende.db");
        let channel = backlog::queue(&db_path, &BenchChannel { kind, key: "bench-out", config }, CHATS, PER_CHAT)?;
        let started = Instant::now();
        let server = Server::start(binary, dir.path(), "serve")?;
        let (_, left) = backlog::drain(&db_path, Some(channel), started, Duration::from_secs(600))?;
        let taken = fake.taken.lock().unwrap().clone();
        let distinct: HashSet<&String> = taken.iter().collect();
        let (first, last) = fake.span.lock().unwrap().ok_or("nothing arrived")?;
        let span = (last - first).as_secs_f64();
        println!(
            "    {kind:<9}          {:.0} messages/s ({} in {span:.2} s from the first to the last; {left} left), {} distinct",
            (taken.len() - 1) as f64 / span,
            taken.len(),
            distinct.len()
        );
        println!("    {}{}", server.rss_note()?, server.log_errors());
    }
    Ok(())
}
