//! Part 6: the internal chat ("Chat interno") with 200 agents of team SAC on
//! `/agent/events`. One-to-one messages are timed from the POST to the recipient's
//! `chat` event (and no other stream but the author's may hear of them); then messages
//! to the team's channel, to every one of the 200 streams.

use std::collections::HashMap;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::client::{urlencode, Http, Note, Stream};
use super::common::floor_data::prepare_floor;
use super::common::{temp_dir, Server};
use super::events::{percentiles as line, settle, sign_in_all};

const AGENTS: usize = 200;
/// Agents who write, each to a colleague of their own (`k` → `k + AGENTS / 2`).
const WRITERS: usize = 20;
const PAIR_MESSAGES: usize = 300;
const TEAM_MESSAGES: usize = 50;
const GAP: Duration = Duration::from_millis(10);
const WAIT: Duration = Duration::from_secs(5);

pub fn run(binary: &Path) -> Result<(), String> {
    println!("\n[6] internal chat ({AGENTS} agents of team SAC on /agent/events)");
    let dir = temp_dir()?;
    let agents = prepare_floor(binary, dir.path(), AGENTS)?;
    let server = Server::start(binary, dir.path(), "serve")?;
    let conn = rusqlite::Connection::open(dir.path().join("data").join("atende.db")).map_err(|e| e.to_string())?;
    let id_of = |login: &str| -> Result<i64, String> {
        conn.query_row("SELECT id FROM users WHERE username = ?1", [login], |r| r.get(0)).map_err(|e| e.to_string())
    };
    let ids = agents.iter().map(|a| id_of(a)).collect::<Result<Vec<i64>, String>>()?;
    let sac: i64 =
        conn.query_row("SELECT id FROM teams WHERE name = 'SAC'", [], |r| r.get(0)).map_err(|e| e.to_string())?;
    drop(conn);

    let cookies = sign_in_all(server.addr, &agents)?;
    let (tx, rx) = mpsc::channel::<Note>();
    let mut streams = Vec::new();
    for (i, cookie) in cookies.iter().enumerate() {
        streams.push(Stream::open(server.addr, cookie, i, tx.clone())?);
    }
    // The writers, each with their own session and its CSRF token.
    let mut writers = Vec::new();
    for login in agents.iter().take(WRITERS) {
        let mut http = Http::new(server.addr);
        http.sign_in(login)?;
        let page = http.send("GET", "/agent", &[("Accept", "text/html")], b"")?.text();
        let token = csrf_token(&page).ok_or("no CSRF token on /agent")?;
        writers.push((http, token));
    }
    std::thread::sleep(Duration::from_secs(1));
    settle(&rx);

    // The pairs: writer `k` and agent `k + AGENTS / 2`.
    let partner = |s: usize| match s {
        s if s < WRITERS => Some(s + AGENTS / 2),
        s if (AGENTS / 2..AGENTS / 2 + WRITERS).contains(&s) => Some(s - AGENTS / 2),
        _ => None,
    };
    // One to one: the recipient's event, and any stream besides the pair that hears it.
    let (mut post, mut to_recipient, mut missed, mut strangers) = (vec![], vec![], 0, 0);
    for i in 0..PAIR_MESSAGES {
        let k = i % WRITERS;
        let to = k + AGENTS / 2;
        let (http, token) = &mut writers[k];
        let sent = Instant::now();
        let status = write(http, token, &format!("/agent/chat/people/{}", ids[to]), &format!("mensagem {i}"))?;
        let answered = Instant::now();
        if status != 200 {
            return Err(format!("chat POST answered {status}"));
        }
        post.push(answered - sent);
        let want = format!("people/{}", ids[k]);
        let deadline = answered + WAIT;
        let mut got = None;
        while got.is_none() {
            let Ok(note) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) else { break };
            match (note.stream, note.chat.as_deref()) {
                (s, Some(address)) if s == to && address == want && note.at >= sent => got = Some(note.at),
                // The writer's own stream hears its message too ("from another tab"),
                // perhaps after the recipient's, so in a later turn: a stranger is a
                // stream told of a thread other than its own pair's.
                (s, Some(address)) if Some(address) != partner(s).map(|p| format!("people/{}", ids[p])).as_deref() => {
                    strangers += 1
                }
                _ => {}
            }
        }
        match got {
            Some(at) => to_recipient.push(at - sent),
            None => missed += 1,
        }
        std::thread::sleep(GAP);
    }
    println!("  one to one: {PAIR_MESSAGES} messages from {WRITERS} agents, {missed} without their event within {}s, {strangers} events on a third agent's stream", WAIT.as_secs());
    line("POST answered", &post);
    line("POST sent → recipient's event", &to_recipient);

    // The team's channel: every member's stream.
    settle(&rx);
    let (mut post, mut to_all, mut missed) = (vec![], vec![], 0);
    let want = format!("teams/{sac}");
    for i in 0..TEAM_MESSAGES {
        let (http, token) = &mut writers[i % WRITERS];
        let sent = Instant::now();
        let status = write(http, token, &format!("/agent/chat/{want}"), &format!("aviso {i}"))?;
        let answered = Instant::now();
        if status != 200 {
            return Err(format!("team chat POST answered {status}"));
        }
        post.push(answered - sent);
        let mut seen: HashMap<usize, Instant> = HashMap::new();
        let deadline = answered + WAIT;
        while seen.len() < AGENTS {
            let Ok(note) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) else { break };
            if note.chat.as_deref() == Some(want.as_str()) && note.at >= sent {
                seen.entry(note.stream).or_insert(note.at);
            }
        }
        match seen.values().max() {
            Some(last) if seen.len() == AGENTS => to_all.push(*last - sent),
            _ => missed += 1,
        }
        std::thread::sleep(GAP * 5);
    }
    println!(
        "  team channel: {TEAM_MESSAGES} messages, {missed} not on every stream within {}s{}",
        WAIT.as_secs(),
        server.log_errors()
    );
    line("POST answered", &post);
    line("POST sent → all 200 streams' event", &to_all);
    drop(server);
    for s in streams {
        s.join();
    }
    Ok(())
}

fn write(http: &mut Http, token: &str, path: &str, text: &str) -> Result<u16, String> {
    let body = format!("csrf_token={}&body={}", urlencode(token), urlencode(text));
    let headers = [("Content-Type", "application/x-www-form-urlencoded"), ("HX-Request", "true")];
    Ok(http.send("POST", path, &headers, body.as_bytes())?.status)
}

fn csrf_token(page: &str) -> Option<String> {
    Some(page.split(r#"name="csrf-token" content=""#).nth(1)?.split('"').next()?.to_string())
}
