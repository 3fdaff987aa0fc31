//! `outage` — a Telegram channel whose Bot API (a fake on 127.0.0.1 speaking the real
//! `sendMessage` shape) is down for 60 seconds, answering 502, while 1,000 replies wait
//! in the outbox across 100 chats. Reported: how long after the service comes back the
//! outbox is empty, the messages the fake took, and how many were distinct (exactly
//! 1,000 means none lost and none sent twice). Telegram's send limits (30 a second per
//! bot, one a second per chat) hold throughout, so the drain takes at least ~34 s.
//! `OUTAGE_SECONDS` changes the outage's length.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::Server;

const CHATS: usize = 100;
const PER_CHAT: usize = 10;
const TOKEN: &str = "123456:bench-token-abcdefghijklmnopqrstuvwxyz";

/// The fake Bot API: `getUpdates` answers nothing after a short wait; `sendMessage`
/// answers 502 while `down`, else takes the message and records its text.
struct FakeBot {
    down: AtomicBool,
    calls: AtomicUsize,
    taken: Mutex<Vec<String>>,
}

fn serve(fake: Arc<FakeBot>, listener: TcpListener) {
    for stream in listener.incoming().flatten() {
        let fake = fake.clone();
        std::thread::spawn(move || {
            let _ = connection(&fake, stream);
        });
    }
}

/// One keep-alive connection: requests in turn until the client closes it.
fn connection(fake: &FakeBot, stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
        let mut length = 0;
        loop {
            let mut header = String::new();
            reader.read_line(&mut header)?;
            if header.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        let (status, answer) = if path.contains("/getUpdates") {
            std::thread::sleep(Duration::from_millis(500));
            (200, r#"{"ok":true,"result":[]}"#.to_string())
        } else if path.contains("/sendMessage") {
            let n = fake.calls.fetch_add(1, Ordering::SeqCst);
            if fake.down.load(Ordering::SeqCst) {
                (502, r#"{"ok":false,"error_code":502,"description":"Bad Gateway"}"#.to_string())
            } else {
                let sent: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                fake.taken.lock().unwrap().push(sent["text"].as_str().unwrap_or("").to_string());
                (200, format!(r#"{{"ok":true,"result":{{"message_id":{n},"date":0,"chat":{{"id":1}}}}}}"#))
            }
        } else {
            (404, r#"{"ok":false,"error_code":404,"description":"Not Found"}"#.to_string())
        };
        let reason = if status == 200 { "OK" } else { "Error" };
        write!(
            writer,
            "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{answer}",
            answer.len()
        )?;
    }
}

/// A team, a Telegram channel pointing at the fake, `CHATS` chats each with a
/// conversation holding `PER_CHAT` queued replies.
fn fill(db_path: &Path, api_base: &str) -> Result<(), String> {
    let db = rusqlite::Connection::open(db_path).map_err(|e| e.to_string())?;
    db.busy_timeout(Duration::from_secs(10)).map_err(|e| e.to_string())?;
    let config = serde_json::json!({
        "bot_token": TOKEN, "api_base": api_base, "poll_timeout_seconds": 1, "request_timeout_seconds": 5
    });
    let sql = format!(
        "BEGIN;
         INSERT INTO teams (name, distribution, created_at) VALUES ('Bancada', 'manual', 0);
         INSERT INTO channels (kind, name, key, active, default_team_id, config, created_at)
           VALUES ('telegram', 'Bot da bancada', 'bench-bot', 1, (SELECT id FROM teams WHERE name = 'Bancada'), '{config}', 0);"
    );
    db.execute_batch(&sql).map_err(|e| e.to_string())?;
    let channel: i64 =
        db.query_row("SELECT id FROM channels WHERE key = 'bench-bot'", [], |r| r.get(0)).map_err(|e| e.to_string())?;
    let now = 1_700_000_000_000i64;
    for chat in 0..CHATS {
        db.execute(
            "INSERT INTO contacts (name, created_at, updated_at) VALUES (?1, ?2, ?2)",
            rusqlite::params![format!("Cliente {chat}"), now],
        )
        .map_err(|e| e.to_string())?;
        let contact = db.last_insert_rowid();
        db.execute(
            "INSERT INTO contact_identities (channel_id, external_id, contact_id, created_at) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![channel, (5_000_000_000i64 + chat as i64).to_string(), contact, now],
        )
        .map_err(|e| e.to_string())?;
        db.execute(
            "INSERT INTO conversations (protocol, channel_id, contact_id, team_id, status, opened_at, queued_at, last_message_at)
             VALUES (?1, ?2, ?3, (SELECT id FROM teams WHERE name = 'Bancada'), 'active', ?4, ?4, ?4)",
            rusqlite::params![format!("TLB{chat:010}"), channel, contact, now],
        )
        .map_err(|e| e.to_string())?;
        let conversation = db.last_insert_rowid();
        for n in 0..PER_CHAT {
            db.execute(
                "INSERT INTO messages (conversation_id, channel_id, direction, body, status, created_at)
                 VALUES (?1, ?2, 'out', ?3, 'queued', ?4)",
                rusqlite::params![conversation, channel, format!("chat {chat} mensagem {n}"), now],
            )
            .map_err(|e| e.to_string())?;
            db.execute(
                "INSERT INTO outbox (message_id, channel_id, next_attempt_at) VALUES (?1, ?2, 0)",
                rusqlite::params![db.last_insert_rowid(), channel],
            )
            .map_err(|e| e.to_string())?;
        }
    }
    db.execute_batch("COMMIT").map_err(|e| e.to_string())
}

fn outbox_left(db_path: &Path) -> Result<i64, String> {
    let db = rusqlite::Connection::open(db_path).map_err(|e| e.to_string())?;
    db.busy_timeout(Duration::from_secs(10)).map_err(|e| e.to_string())?;
    db.query_row("SELECT count(*) FROM outbox", [], |r| r.get(0)).map_err(|e| e.to_string())
}

pub fn run(binary: &Path) -> Result<(), String> {
    let outage = Duration::from_secs(std::env::var("OUTAGE_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(60));
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let api_base = format!("http://{}", listener.local_addr().map_err(|e| e.to_string())?);
    let fake = Arc::new(FakeBot { down: AtomicBool::new(true), calls: AtomicUsize::new(0), taken: Mutex::new(vec![]) });
    let serving = fake.clone();
    std::thread::spawn(move || serve(serving, listener));

    // The database exists once the server ran; the channel and its queue go in before
    // the server that drains them starts.
    drop(Server::start(binary, dir.path(), "serve")?);
    let db_path = dir.path().join("data").join("atende.db");
    fill(&db_path, &api_base)?;
    let total = CHATS * PER_CHAT;
    let server = Server::start(binary, dir.path(), "serve")?;
    println!("  outage               {} s of 502 with {total} replies queued over {CHATS} chats", outage.as_secs());
    std::thread::sleep(outage);
    fake.down.store(false, Ordering::SeqCst);
    let back = Instant::now();
    let limit = Duration::from_secs(600);
    while outbox_left(&db_path)? > 0 && back.elapsed() < limit {
        std::thread::sleep(Duration::from_millis(100));
    }
    let drained = back.elapsed();
    let left = outbox_left(&db_path)?;
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
