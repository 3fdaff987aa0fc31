//! Parts 2 and 3: event latency and memory. The demo company plus 1,000 agents of team
//! SAC (`FLOOR_BENCH_AGENTS` sets another number), every one signed in with
//! `/agent/events` open; visitors' messages are timed from the POST to each stream's
//! `change` event, and the server's CPU time is divided by the messages.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::client::{json_field, Http, Note, Stream};
use super::common::floor_data::prepare_floor;
use super::common::{kib_to_mib, ms, pct, temp_dir, Server};
use super::throughput::post_message;

const AGENTS: usize = 1_000;
const EVENT_VISITORS: usize = 20;
const EVENT_MESSAGES: usize = 300;
const EVENT_GAP: Duration = Duration::from_millis(10);
const EVENT_WAIT: Duration = Duration::from_secs(5);

pub fn run(binary: &Path) -> Result<(), String> {
    let agent_count = std::env::var("FLOOR_BENCH_AGENTS").ok().and_then(|n| n.parse().ok()).unwrap_or(AGENTS);
    println!("\n[2] event latency and [3] memory ({agent_count} agents of team SAC, /agent/events)");
    let dir = temp_dir()?;
    let agents = prepare_floor(binary, dir.path(), agent_count)?;
    let server = Server::start(binary, dir.path(), "serve")?;
    let db_path = dir.path().join("data").join("atende.db");

    let idle = server.memory()?;
    let begun = Instant::now();
    let cookies = sign_in_all(server.addr, &agents)?;
    println!("  {} agents signed in (POST /login) in {:.1} s", cookies.len(), begun.elapsed().as_secs_f64());
    let signed = server.memory()?;

    // Visitors with an open conversation each (routed to the agents now online).
    let mut http = Http::new(server.addr);
    let mut visitors = Vec::new();
    for i in 0..EVENT_VISITORS {
        let body = format!(r#"{{"name":"Cliente {i}","email":"cliente{i}@exemplo.com.br"}}"#);
        let reply =
            http.send("POST", "/webchat/demo/visitors", &[("Content-Type", "application/json")], body.as_bytes())?;
        let token = json_field(&reply.text(), "token").ok_or("no visitor token")?;
        let auth = format!("Bearer {token}");
        let reply = post_message(&mut http, &auth, &format!("open-{i}"))?;
        if reply.status != 201 {
            return Err(format!("first message answered {}: {}", reply.status, reply.text()));
        }
        let protocol = json_field(&reply.text(), "protocol").ok_or("no protocol")?;
        visitors.push((auth, protocol));
    }
    let conn = rusqlite::Connection::open(&db_path).map_err(|e| e.to_string())?;
    let mut visitor_conv = Vec::new();
    for (auth, protocol) in &visitors {
        let id: i64 = conn
            .query_row("SELECT id FROM conversations WHERE protocol = ?1", [protocol], |r| r.get(0))
            .map_err(|e| format!("conversation {protocol}: {e}"))?;
        visitor_conv.push((auth.clone(), id));
    }
    drop(conn);

    // One stream first, then all of them.
    let (tx, rx) = mpsc::channel::<Note>();
    let mut streams = Vec::new();
    streams.push(Stream::open(server.addr, &cookies[0], 0, tx.clone())?);
    settle(&rx);
    let cpu = server.cpu_time()?;
    let one = measure_events(&mut http, &visitor_conv, &rx, 1)?;
    report_events("1 stream", &one, server.cpu_time()? - cpu);

    let begun = Instant::now();
    for (i, cookie) in cookies.iter().enumerate().skip(1) {
        streams.push(Stream::open(server.addr, cookie, i, tx.clone())?);
    }
    println!("  {} streams open in {:.1} s", streams.len(), begun.elapsed().as_secs_f64());
    std::thread::sleep(Duration::from_secs(1));
    let connected = server.memory()?;
    settle(&rx);
    let cpu = server.cpu_time()?;
    let many = measure_events(&mut http, &visitor_conv, &rx, streams.len())?;
    report_events(&format!("{} streams", streams.len()), &many, server.cpu_time()? - cpu);
    let after = server.memory()?;

    println!("  memory (VmRSS):");
    println!("    idle, nobody signed in           {:>7.1} MiB", kib_to_mib(idle.rss_kb));
    println!("    {agent_count} agents signed in            {:>7.1} MiB", kib_to_mib(signed.rss_kb));
    println!("    {} agents on /agent/events      {:>7.1} MiB", streams.len(), kib_to_mib(connected.rss_kb));
    println!(
        "    after {EVENT_MESSAGES} messages to {} streams {:>7.1} MiB (peak {:.1} MiB){}",
        streams.len(),
        kib_to_mib(after.rss_kb),
        kib_to_mib(after.hwm_kb),
        server.log_errors()
    );
    drop(server);
    for s in streams {
        s.join();
    }
    Ok(())
}

struct EventRun {
    /// From the POST being sent to the first stream's event.
    from_send: Vec<Duration>,
    /// From the POST's answer to the first stream's event (0 when the event came first).
    from_answer: Vec<Duration>,
    /// From the POST being sent to the last of all streams receiving it.
    all_streams: Vec<Duration>,
    post: Vec<Duration>,
    missed: usize,
}

/// Drops what is already queued (routing and outbox events of the set-up).
pub(super) fn settle(rx: &mpsc::Receiver<Note>) {
    std::thread::sleep(Duration::from_millis(500));
    while rx.try_recv().is_ok() {}
}

fn measure_events(
    http: &mut Http,
    visitors: &[(String, i64)],
    rx: &mpsc::Receiver<Note>,
    streams: usize,
) -> Result<EventRun, String> {
    let mut run = EventRun { from_send: vec![], from_answer: vec![], all_streams: vec![], post: vec![], missed: 0 };
    for i in 0..EVENT_MESSAGES {
        let (auth, conversation) = &visitors[i % visitors.len()];
        let tag = format!("ev{streams}-{i}");
        let sent = Instant::now();
        let reply = post_message(http, auth, &tag)?;
        let answered = Instant::now();
        if reply.status != 201 {
            return Err(format!("message answered {}: {}", reply.status, reply.text()));
        }
        run.post.push(answered - sent);
        let mut seen = vec![false; streams];
        let (mut count, mut first, mut last) = (0, None, None);
        let deadline = answered + EVENT_WAIT;
        while count < streams {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(note) = rx.recv_timeout(left) else { break };
            if note.conversation != *conversation || note.at < sent || note.stream >= streams || seen[note.stream] {
                continue;
            }
            seen[note.stream] = true;
            count += 1;
            if note.stream == 0 {
                first = Some(note.at);
            }
            last = Some(note.at);
        }
        match (first, last) {
            (Some(first), Some(last)) if count == streams => {
                run.from_send.push(first - sent);
                run.from_answer.push(first.saturating_duration_since(answered));
                run.all_streams.push(last - sent);
            }
            _ => run.missed += 1,
        }
        std::thread::sleep(EVENT_GAP);
    }
    Ok(run)
}

/// One line of timings: p50, p99 and the longest.
pub(super) fn percentiles(label: &str, v: &[Duration]) {
    let mut v = v.to_vec();
    v.sort();
    println!(
        "    {label:<34} p50 {:>6.1} ms  p99 {:>6.1} ms  max {:>6.1} ms",
        ms(pct(&v, 0.5)),
        ms(pct(&v, 0.99)),
        ms(pct(&v, 1.0))
    );
}

fn report_events(what: &str, run: &EventRun, cpu: Duration) {
    let line = percentiles;
    println!(
        "  {what}: {EVENT_MESSAGES} messages, {} without their event within {}s; server CPU {:.2} ms per message",
        run.missed,
        EVENT_WAIT.as_secs(),
        ms(cpu) / EVENT_MESSAGES as f64
    );
    line("POST answered", &run.post);
    line("POST sent → agent 1's event", &run.from_send);
    line("POST answered → agent 1's event", &run.from_answer);
    line("POST sent → every stream's event", &run.all_streams);
}

/// Every agent signs in like a browser: the login page for the CSRF cookie and token,
/// then the form. Returns each agent's `Cookie` header.
pub(super) fn sign_in_all(addr: SocketAddr, logins: &[String]) -> Result<Vec<String>, String> {
    let workers = 4;
    let results: Vec<Result<Vec<(usize, String)>, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                s.spawn(move || {
                    let mut out = Vec::new();
                    for (i, login) in logins.iter().enumerate().skip(w).step_by(workers) {
                        let mut http = Http::new(addr);
                        http.sign_in(login)?;
                        out.push((i, http.cookie_header()));
                    }
                    Ok(out)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err("sign-in thread panicked".into()))).collect()
    });
    let mut cookies = vec![String::new(); logins.len()];
    for r in results {
        for (i, c) in r? {
            cookies[i] = c;
        }
    }
    Ok(cookies)
}
