//! `telegram` — from an update becoming available at the Bot API to the agent's event:
//! the fake holds the poller's `getUpdates` and answers the moment an update arrives;
//! the poller stores the message with its offset, the engine routes it and the agent's
//! `/agent/events` says so. `CHATS` chats of one agent of team SAC, `MESSAGES` timed
//! messages `GAP` apart, each timed from the push to the agent's `change` event for its
//! conversation, and from the push to the update leaving the fake (the poll's share).

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::backlog::{self, BenchChannel};
use crate::client::{Http, Note, Stream};
use crate::common::floor_data::prepare_floor;
use crate::common::{ms, pct, temp_dir, Server};
use crate::fake_apis::FakeApis;

const CHATS: i64 = 20;
const MESSAGES: usize = 300;
const GAP: Duration = Duration::from_millis(20);
const WAIT: Duration = Duration::from_secs(5);
const TOKEN: &str = "123456:bench-token-abcdefghijklmnopqrstuvwxyz";
const FIRST_CHAT: i64 = 7_000_000_000;

pub fn run(binary: &Path) -> Result<(), String> {
    let dir = temp_dir()?;
    let agents = prepare_floor(binary, dir.path(), 1)?;
    let (fake, addr) = FakeApis::start(false)?;
    let db_path = dir.path().join("data").join("atende.db");
    let config = serde_json::json!({
        "bot_token": TOKEN, "api_base": format!("http://{addr}"), "poll_timeout_seconds": 25, "request_timeout_seconds": 30
    });
    let channel = backlog::queue(&db_path, &BenchChannel { kind: "telegram", key: "bench-tg", config }, 0, 0)?;
    let db = rusqlite::Connection::open(&db_path).map_err(|e| e.to_string())?;
    db.busy_timeout(Duration::from_secs(10)).map_err(|e| e.to_string())?;
    db.execute(
        "UPDATE channels SET default_team_id = (SELECT id FROM teams WHERE name = 'SAC') WHERE id = ?1",
        [channel],
    )
    .map_err(|e| e.to_string())?;

    let server = Server::start(binary, dir.path(), "serve")?;
    let mut http = Http::new(server.addr);
    http.sign_in(&agents[0])?;
    let (tx, rx) = mpsc::channel::<Note>();
    let stream = Stream::open(server.addr, &http.cookie_header(), 0, tx)?;

    // Each chat's first message opens its conversation (routed to the agent online).
    let mut conversations = Vec::new();
    for chat in 0..CHATS {
        fake.push_text(chat + 1, FIRST_CHAT + chat, "Olá, preciso de ajuda");
        let deadline = Instant::now() + WAIT;
        let id = loop {
            let found: Option<i64> = db
                .query_row(
                    "SELECT c.id FROM conversations c JOIN contact_identities i ON i.contact_id = c.contact_id
                     WHERE i.channel_id = ?1 AND i.external_id = ?2",
                    rusqlite::params![channel, (FIRST_CHAT + chat).to_string()],
                    |r| r.get(0),
                )
                .ok();
            match found {
                Some(id) => break id,
                None if Instant::now() > deadline => return Err(format!("chat {chat} opened no conversation")),
                None => std::thread::sleep(Duration::from_millis(10)),
            }
        };
        conversations.push(id);
    }
    std::thread::sleep(Duration::from_millis(500));
    while rx.try_recv().is_ok() {}

    let (mut to_event, mut to_handed, mut missed) = (Vec::new(), Vec::new(), 0);
    for i in 0..MESSAGES {
        let chat = i as i64 % CHATS;
        let update = CHATS + 1 + i as i64;
        let pushed = Instant::now();
        fake.push_text(update, FIRST_CHAT + chat, &format!("mensagem {i}"));
        let deadline = pushed + WAIT;
        let seen = loop {
            let Ok(note) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) else { break None };
            if note.conversation == conversations[chat as usize] && note.at >= pushed {
                break Some(note.at);
            }
        };
        match seen {
            Some(at) => to_event.push(at - pushed),
            None => missed += 1,
        }
        if let Some(handed) = fake.handed_at(update) {
            to_handed.push(handed.saturating_duration_since(pushed));
        }
        std::thread::sleep(GAP);
    }
    to_event.sort();
    to_handed.sort();
    println!("  update → agent event {MESSAGES} messages over {CHATS} chats, {} ms apart", GAP.as_millis());
    println!(
        "    to the event         p50 {:.1} ms  p90 {:.1} ms  p99 {:.1} ms  max {:.1} ms ({missed} missed)",
        ms(pct(&to_event, 0.50)),
        ms(pct(&to_event, 0.90)),
        ms(pct(&to_event, 0.99)),
        ms(to_event.last().copied().unwrap_or_default())
    );
    println!(
        "    update handed over   p50 {:.1} ms  p99 {:.1} ms (the long poll's share)",
        ms(pct(&to_handed, 0.50)),
        ms(pct(&to_handed, 0.99))
    );
    println!("  {}{}", server.rss_note()?, server.log_errors());
    drop(server);
    stream.join();
    Ok(())
}
