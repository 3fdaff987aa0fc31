//! The floor under load, on the release binary and 127.0.0.1 only:
//!
//! 1. throughput — web chat visitors send messages (`POST /webchat/demo/messages`) at
//!    increasing rates for a fixed time each; the highest rate whose p99 stays under
//!    50 ms is reported with its p50/p99;
//! 2. events — agents hold `GET /agent/events` open; the time from a visitor's message
//!    to the agent's stream receiving the `change` event, with one stream and with 200;
//! 3. memory — resident memory (VmRSS) with 200 agents on `/agent/events`;
//! 4. lists and search — `GET /agent/lists` for a member of a team with 10,000 open
//!    conversations and 1,000,000 stored messages, and `GET /agent/history?q=…` (full-text
//!    search over those messages).
//!
//!     cargo build --release
//!     cargo bench --bench floor                 # everything (a few minutes)
//!     cargo bench --bench floor -- throughput   # or: events, lists
//!
//! The binary is measured as built; this program does not build it. `FLOOR_BENCH_BINARY`
//! names another one (e.g. a copy taken right after `cargo build --release`, since
//! `cargo bench` relinks `target/release/atende`). The figures and what they mean are
//! in docs/performance.md. Every loop is bounded in count and in time; the bench only
//! measures and asserts nothing about the figures.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

mod common;
use common::{kib_to_mib, release_binary, scrub_env, temp_dir, Server};

const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// Throughput: visitors, connections of the load generator, rates and time per rate.
const VISITORS: usize = 400;
const LOAD_CONNECTIONS: usize = 32;
const RATES: [u32; 10] = [100, 200, 300, 500, 750, 1000, 1250, 1500, 2000, 2500];
const STEP: Duration = Duration::from_secs(4);
const P99_LIMIT: Duration = Duration::from_millis(50);

/// Events and memory.
const AGENTS: usize = 200;
const EVENT_VISITORS: usize = 20;
const EVENT_MESSAGES: usize = 300;
const EVENT_GAP: Duration = Duration::from_millis(10);
const EVENT_WAIT: Duration = Duration::from_secs(5);

/// Lists and search.
const OPEN_CONVERSATIONS: usize = 10_000;
const STORED_MESSAGES: usize = 1_000_000;
const MESSAGES_PER_CONVERSATION: usize = 10;
const LIST_REQUESTS: usize = 100;
const SEARCH_REQUESTS: usize = 50;
/// In about 1 % of the generated messages, and in no other word list below.
const RARE_WORD: &str = "reembolso";

const PASSWORD: &str = "Bancada-de-carga-2026";

fn main() -> ExitCode {
    let binary = release_binary("FLOOR_BENCH_BINARY");
    if !binary.is_file() {
        eprintln!(
            "floor bench: no release binary at {}\n\
             build it first with `cargo build --release`, then run `cargo bench --bench floor`",
            binary.display()
        );
        return ExitCode::SUCCESS;
    }
    // `cargo bench` passes `--bench`; any other word picks parts.
    let picked: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let wants = |part: &str| picked.is_empty() || picked.iter().any(|p| p == part);
    println!("atende floor bench");
    println!("  binary               {}", binary.display());
    let mut failed = false;
    for (part, run) in
        [("throughput", throughput as fn(&Path) -> Result<(), String>), ("events", events), ("lists", lists)]
    {
        if !wants(part) {
            continue;
        }
        if let Err(e) = run(&binary) {
            eprintln!("floor bench: {part} failed: {e}");
            failed = true;
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

// ---------------------------------------------------------------------------------
// 1. Throughput
// ---------------------------------------------------------------------------------

fn throughput(binary: &Path) -> Result<(), String> {
    println!("\n[1] web chat throughput (POST /webchat/demo/messages, {LOAD_CONNECTIONS} keep-alive connections)");
    let dir = temp_dir()?;
    let server = Server::start(binary, dir.path(), "demo")?;

    let mut http = Http::new(server.addr);
    let mut tokens = Vec::with_capacity(VISITORS);
    let begun = Instant::now();
    for i in 0..VISITORS {
        let body = format!(r#"{{"name":"Visitante {i}","email":"visitante{i}@exemplo.com.br"}}"#);
        let reply =
            http.send("POST", "/webchat/demo/visitors", &[("Content-Type", "application/json")], body.as_bytes())?;
        if reply.status != 201 {
            return Err(format!("POST /webchat/demo/visitors answered {}: {}", reply.status, reply.text()));
        }
        tokens.push(json_field(&reply.text(), "token").ok_or("no token in the answer")?);
    }
    println!("  {VISITORS} visitors created in {:.0} ms", ms(begun.elapsed()));

    // Each visitor's first message opens a conversation (protocol, notice, queue).
    let (opened, took) = closed_loop(server.addr, &tokens, 8)?;
    let mut opened_lat = opened.latencies.clone();
    opened_lat.sort();
    println!(
        "  first messages (open a conversation): {} in {:.2} s = {:.0}/s with 8 connections; p50 {:.1} ms, p99 {:.1} ms{}",
        opened_lat.len(),
        took.as_secs_f64(),
        opened_lat.len() as f64 / took.as_secs_f64(),
        ms(pct(&opened_lat, 0.50)),
        ms(pct(&opened_lat, 0.99)),
        errors_note(opened.errors)
    );

    println!("  rate/s  sent  answered/s  errors   p50 ms   p90 ms   p99 ms   max ms  (latency from scheduled send)");
    let mut best: Option<(u32, f64, Duration, Duration)> = None;
    for (step, rate) in RATES.iter().enumerate() {
        let result = open_loop(server.addr, &tokens, *rate, step)?;
        let mut lat = result.latencies.clone();
        lat.sort();
        let achieved = lat.len() as f64 / result.took.as_secs_f64();
        let (p50, p90, p99, max) = (pct(&lat, 0.5), pct(&lat, 0.9), pct(&lat, 0.99), pct(&lat, 1.0));
        println!(
            "  {rate:>6} {:>5} {achieved:>11.0} {:>7} {:>8.1} {:>8.1} {:>8.1} {:>8.1}",
            lat.len() + result.errors,
            result.errors,
            ms(p50),
            ms(p90),
            ms(p99),
            ms(max)
        );
        let kept_up = achieved >= f64::from(*rate) * 0.95;
        if p99 < P99_LIMIT && result.errors == 0 && kept_up {
            best = Some((*rate, achieved, p50, p99));
        } else {
            break;
        }
        if server.exited() {
            return Err(format!("atende exited during the run; log:\n{}", server.log()));
        }
    }
    match best {
        Some((rate, achieved, p50, p99)) => println!(
            "  highest rate with p99 < {} ms: {rate} messages/s (answered {achieved:.0}/s; p50 {:.1} ms, p99 {:.1} ms)",
            P99_LIMIT.as_millis(),
            ms(p50),
            ms(p99)
        ),
        None => println!("  no rate kept p99 under {} ms", P99_LIMIT.as_millis()),
    }
    let mem = server.memory()?;
    println!(
        "  server RSS after the run {:.1} MiB (peak {:.1} MiB){}",
        kib_to_mib(mem.rss_kb),
        kib_to_mib(mem.hwm_kb),
        server.log_errors()
    );
    Ok(())
}

struct Load {
    latencies: Vec<Duration>,
    errors: usize,
    took: Duration,
}

fn message_body(tag: &str) -> String {
    format!(r#"{{"text":"Olá, meu pedido {tag} ainda não chegou. Podem verificar?","client_id":"{tag}"}}"#)
}

/// One message per token, as fast as `connections` connections allow.
fn closed_loop(addr: SocketAddr, tokens: &[String], connections: usize) -> Result<(Load, Duration), String> {
    let begun = Instant::now();
    let results: Vec<Load> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..connections)
            .map(|t| {
                s.spawn(move || {
                    let mut http = Http::new(addr);
                    let mut load = Load { latencies: Vec::new(), errors: 0, took: Duration::ZERO };
                    for (i, token) in tokens.iter().enumerate().skip(t).step_by(connections) {
                        let auth = format!("Bearer {token}");
                        let body = message_body(&format!("first-{i}"));
                        let sent = Instant::now();
                        match http.send(
                            "POST",
                            "/webchat/demo/messages",
                            &[("Content-Type", "application/json"), ("Authorization", &auth)],
                            body.as_bytes(),
                        ) {
                            Ok(r) if r.status == 201 => load.latencies.push(sent.elapsed()),
                            _ => load.errors += 1,
                        }
                    }
                    load
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(Load { latencies: vec![], errors: 1, took: Duration::ZERO }))
            .collect()
    });
    let took = begun.elapsed();
    let mut all = Load { latencies: Vec::new(), errors: 0, took };
    for r in results {
        all.latencies.extend(r.latencies);
        all.errors += r.errors;
    }
    Ok((all, took))
}

/// `rate` messages per second for `STEP`, spread over the connections on a fixed
/// schedule. Latency counts from the scheduled send, so a server that falls behind
/// shows it (no coordinated omission).
fn open_loop(addr: SocketAddr, tokens: &[String], rate: u32, step: usize) -> Result<Load, String> {
    let interval = Duration::from_secs_f64(LOAD_CONNECTIONS as f64 / f64::from(rate));
    let per_connection = (STEP.as_secs_f64() / interval.as_secs_f64()).floor() as usize;
    let start = Instant::now() + Duration::from_millis(50);
    // Hard stop for a server that stalls: the step's time plus the I/O timeout.
    let deadline = start + STEP + IO_TIMEOUT;
    let results: Vec<Load> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..LOAD_CONNECTIONS)
            .map(|t| {
                s.spawn(move || {
                    let mut http = Http::new(addr);
                    let mut load =
                        Load { latencies: Vec::with_capacity(per_connection), errors: 0, took: Duration::ZERO };
                    let offset = interval.mul_f64(t as f64 / LOAD_CONNECTIONS as f64);
                    for k in 0..per_connection {
                        let due = start + offset + interval * k as u32;
                        let now = Instant::now();
                        if now > deadline {
                            load.errors += per_connection - k;
                            break;
                        }
                        if due > now {
                            std::thread::sleep(due - now);
                        }
                        let n = t + k * LOAD_CONNECTIONS;
                        let token = &tokens[n % tokens.len()];
                        let auth = format!("Bearer {token}");
                        let body = message_body(&format!("s{step}-{n}"));
                        match http.send(
                            "POST",
                            "/webchat/demo/messages",
                            &[("Content-Type", "application/json"), ("Authorization", &auth)],
                            body.as_bytes(),
                        ) {
                            Ok(r) if r.status == 201 => load.latencies.push(due.elapsed()),
                            _ => load.errors += 1,
                        }
                    }
                    load
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(Load { latencies: vec![], errors: 1, took: Duration::ZERO }))
            .collect()
    });
    let took = start.elapsed();
    let mut all = Load { latencies: Vec::new(), errors: 0, took };
    for r in results {
        all.latencies.extend(r.latencies);
        all.errors += r.errors;
    }
    Ok(all)
}

// ---------------------------------------------------------------------------------
// 2 and 3. Event latency and memory with agents on /agent/events
// ---------------------------------------------------------------------------------

fn events(binary: &Path) -> Result<(), String> {
    println!("\n[2] event latency and [3] memory ({AGENTS} agents of team SAC, /agent/events)");
    let dir = temp_dir()?;
    let agents = prepare_floor(binary, dir.path(), AGENTS)?;
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
        let reply = http.send(
            "POST",
            "/webchat/demo/messages",
            &[("Content-Type", "application/json"), ("Authorization", &auth)],
            message_body(&format!("open-{i}")).as_bytes(),
        )?;
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
    let one = measure_events(&mut http, &visitor_conv, &rx, 1)?;
    report_events("1 stream", &one);

    let begun = Instant::now();
    for (i, cookie) in cookies.iter().enumerate().skip(1) {
        streams.push(Stream::open(server.addr, cookie, i, tx.clone())?);
    }
    println!("  {} streams open in {:.1} s", streams.len(), begun.elapsed().as_secs_f64());
    std::thread::sleep(Duration::from_secs(1));
    let connected = server.memory()?;
    settle(&rx);
    let many = measure_events(&mut http, &visitor_conv, &rx, streams.len())?;
    report_events(&format!("{} streams", streams.len()), &many);
    let after = server.memory()?;

    println!("  memory (VmRSS):");
    println!("    idle, nobody signed in           {:>7.1} MiB", kib_to_mib(idle.rss_kb));
    println!("    {AGENTS} agents signed in            {:>7.1} MiB", kib_to_mib(signed.rss_kb));
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

/// A `change` event with a conversation id, as one stream received it.
struct Note {
    stream: usize,
    conversation: i64,
    at: Instant,
}

/// Drops what is already queued (routing and outbox events of the set-up).
fn settle(rx: &mpsc::Receiver<Note>) {
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
        let body = message_body(&format!("ev{streams}-{i}"));
        let sent = Instant::now();
        let reply = http.send(
            "POST",
            "/webchat/demo/messages",
            &[("Content-Type", "application/json"), ("Authorization", auth)],
            body.as_bytes(),
        )?;
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

fn report_events(what: &str, run: &EventRun) {
    let line = |label: &str, v: &[Duration]| {
        let mut v = v.to_vec();
        v.sort();
        println!(
            "    {label:<34} p50 {:>6.1} ms  p99 {:>6.1} ms  max {:>6.1} ms",
            ms(pct(&v, 0.5)),
            ms(pct(&v, 0.99)),
            ms(pct(&v, 1.0))
        );
    };
    println!(
        "  {what}: {EVENT_MESSAGES} messages, {} without their event within {}s",
        run.missed,
        EVENT_WAIT.as_secs()
    );
    line("POST answered", &run.post);
    line("POST sent → agent 1's event", &run.from_send);
    line("POST answered → agent 1's event", &run.from_answer);
    line("POST sent → every stream's event", &run.all_streams);
}

/// An agent's `/agent/events`, read on its own thread until the server goes.
struct Stream {
    handle: std::thread::JoinHandle<()>,
}

impl Stream {
    fn open(addr: SocketAddr, cookie: &str, index: usize, tx: mpsc::Sender<Note>) -> Result<Stream, String> {
        let mut stream = TcpStream::connect_timeout(&addr, IO_TIMEOUT).map_err(|e| format!("connect: {e}"))?;
        stream.set_read_timeout(Some(Duration::from_secs(120))).ok();
        stream.set_write_timeout(Some(IO_TIMEOUT)).ok();
        let request = format!(
            "GET /agent/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\nCookie: {cookie}\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).map_err(|e| format!("GET /agent/events: {e}"))?;
        let mut reader = BufReader::new(stream);
        let (status, headers) = read_head(&mut reader)?;
        if status != 200 {
            return Err(format!("GET /agent/events answered {status}"));
        }
        let chunked = header(&headers, "transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
        let body: Box<dyn Read + Send> = if chunked { Box::new(Dechunk::new(reader)) } else { Box::new(reader) };
        let mut lines = BufReader::new(body);
        // The stream's first event says it is listening.
        let mut ready = false;
        let mut line = String::new();
        for _ in 0..10 {
            line.clear();
            if lines.read_line(&mut line).map_err(|e| format!("/agent/events: {e}"))? == 0 {
                break;
            }
            if line.trim_end() == "event: ready" || line.trim_end() == "event:ready" {
                ready = true;
                break;
            }
        }
        if !ready {
            return Err("/agent/events sent no `ready` event".into());
        }
        let handle = std::thread::spawn(move || {
            let mut event = String::new();
            let mut line = String::new();
            // Bounded: the server closes the stream when it is killed; reads time out.
            while let Ok(n) = lines.read_line(&mut line) {
                if n == 0 {
                    break;
                }
                let at = Instant::now();
                let text = line.trim_end();
                if let Some(name) = text.strip_prefix("event:") {
                    event = name.trim().to_string();
                } else if let Some(data) = text.strip_prefix("data:") {
                    if event == "change" {
                        if let Some(conversation) = json_number(data, "conversation_id") {
                            if tx.send(Note { stream: index, conversation, at }).is_err() {
                                break;
                            }
                        }
                    }
                } else if text.is_empty() {
                    event.clear();
                }
                line.clear();
            }
        });
        Ok(Stream { handle })
    }

    fn join(self) {
        let _ = self.handle.join();
    }
}

/// `Transfer-Encoding: chunked`, undone.
struct Dechunk<R> {
    inner: R,
    left: usize,
    done: bool,
    started: bool,
}

impl<R: BufRead> Dechunk<R> {
    fn new(inner: R) -> Dechunk<R> {
        Dechunk { inner, left: 0, done: false, started: false }
    }
}

impl<R: BufRead> Read for Dechunk<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.done {
            return Ok(0);
        }
        if self.left == 0 {
            let mut line = String::new();
            if self.started {
                self.inner.read_line(&mut line)?; // the CRLF after the previous chunk
                line.clear();
            }
            self.started = true;
            if self.inner.read_line(&mut line)? == 0 {
                self.done = true;
                return Ok(0);
            }
            let size = line.trim().split(';').next().unwrap_or("");
            self.left = usize::from_str_radix(size, 16)
                .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("chunk size {line:?}")))?;
            if self.left == 0 {
                self.done = true;
                return Ok(0);
            }
        }
        let n = buf.len().min(self.left);
        let n = self.inner.read(&mut buf[..n])?;
        if n == 0 {
            self.done = true;
        }
        self.left -= n;
        Ok(n)
    }
}

/// Every agent signs in like a browser: the login page for the CSRF cookie and token,
/// then the form. Returns each agent's `Cookie` header.
fn sign_in_all(addr: SocketAddr, logins: &[String]) -> Result<Vec<String>, String> {
    let workers = 4;
    let results: Vec<Result<Vec<(usize, String)>, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                s.spawn(move || {
                    let mut out = Vec::new();
                    for (i, login) in logins.iter().enumerate().skip(w).step_by(workers) {
                        out.push((i, sign_in(addr, login)?));
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

fn sign_in(addr: SocketAddr, login: &str) -> Result<String, String> {
    let mut http = Http::new(addr);
    let page = http.send("GET", "/login", &[("Accept", "text/html")], b"")?;
    let html = page.text();
    let token = html
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or("no csrf_token on /login")?
        .to_string();
    let form = format!("csrf_token={}&login={}&password={}", urlencode(&token), urlencode(login), urlencode(PASSWORD));
    let reply =
        http.send("POST", "/login", &[("Content-Type", "application/x-www-form-urlencoded")], form.as_bytes())?;
    if reply.status != 303 {
        return Err(format!("POST /login for {login} answered {}", reply.status));
    }
    Ok(http.cookie_header())
}

// ---------------------------------------------------------------------------------
// 4. Lists and full-text search on a large floor
// ---------------------------------------------------------------------------------

fn lists(binary: &Path) -> Result<(), String> {
    println!(
        "\n[4] GET /agent/lists and GET /agent/history?q= with {OPEN_CONVERSATIONS} open conversations, {STORED_MESSAGES} messages"
    );
    let dir = temp_dir()?;
    let agents = prepare_floor(binary, dir.path(), 1)?;
    let db_path = dir.path().join("data").join("atende.db");
    let begun = Instant::now();
    let filled = fill_large_floor(&db_path)?;
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
    let cookie = sign_in(server.addr, &agents[0])?;
    let mut http = Http::new(server.addr);
    http.jar_from_header(&cookie);

    let mut timed = |path: &str, count: usize| -> Result<(Vec<Duration>, usize), String> {
        let mut times = Vec::with_capacity(count);
        let mut size = 0;
        // One request first, not counted: the page's templates and the SQLite cache warm up.
        http.send("GET", path, &[("Accept", "text/html")], b"")?;
        for _ in 0..count {
            let sent = Instant::now();
            let reply = http.send("GET", path, &[("Accept", "text/html")], b"")?;
            times.push(sent.elapsed());
            if reply.status != 200 {
                return Err(format!("GET {path} answered {}", reply.status));
            }
            size = reply.body.len();
        }
        times.sort();
        Ok((times, size))
    };
    let (list, list_size) = timed("/agent/lists", LIST_REQUESTS)?;
    let search_path = format!("/agent/history?q={RARE_WORD}");
    let (search, search_size) = timed(&search_path, SEARCH_REQUESTS)?;
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
    let mem = server.memory()?;
    println!(
        "  server RSS {:.1} MiB (peak {:.1} MiB){}",
        kib_to_mib(mem.rss_kb),
        kib_to_mib(mem.hwm_kb),
        server.log_errors()
    );
    Ok(())
}

struct Filled {
    conversations: usize,
    open: usize,
    messages: usize,
    rare: usize,
}

/// Writes the large floor straight into SQLite, in one transaction, while no server
/// runs: every conversation in team SAC on the demo web chat, 10 messages each (the
/// protocol event, then the customer and an agent in turn). The bench agent holds 40
/// active and 20 pending conversations, Ana and Carla the other active ones, the rest
/// wait in the queue; the other conversations are closed history.
fn fill_large_floor(db_path: &Path) -> Result<Filled, String> {
    let err = |e: rusqlite::Error| e.to_string();
    let mut conn = rusqlite::Connection::open(db_path).map_err(err)?;
    conn.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; PRAGMA cache_size = -200000;")
        .map_err(err)?;
    let tx = conn.transaction().map_err(err)?;
    let one =
        |sql: &str| -> Result<i64, String> { tx.query_row(sql, [], |r| r.get(0)).map_err(|e| format!("{sql}: {e}")) };
    let channel = one("SELECT id FROM channels WHERE key = 'demo'")?;
    let team = one("SELECT id FROM teams WHERE name = 'SAC'")?;
    let me = one("SELECT id FROM users WHERE username = 'floorbench0'")?;
    let ana = one("SELECT id FROM users WHERE username = 'ana'")?;
    let carla = one("SELECT id FROM users WHERE username = 'carla'")?;
    let tag = one("SELECT id FROM tags WHERE name = 'Urgente'")?;
    let first_seq = one("SELECT value FROM sequences WHERE name = 'protocol'")?;

    let total = STORED_MESSAGES / MESSAGES_PER_CONVERSATION;
    let now =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
    let mut filled = Filled { conversations: 0, open: 0, messages: 0, rare: 0 };
    {
        let mut contact = tx
            .prepare("INSERT INTO contacts (name, email, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)")
            .map_err(err)?;
        let mut conversation = tx
            .prepare(
                "INSERT INTO conversations (protocol, channel_id, contact_id, team_id, agent_id, status, opened_at, queued_at,
                     assigned_at, first_response_at, last_message_at, last_inbound_at, closed_at, closed_by, unread)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?8, ?9, ?9, ?10, ?11, ?12)",
            )
            .map_err(err)?;
        let mut message = tx
            .prepare(
                "INSERT INTO messages (conversation_id, channel_id, direction, author_id, body, status, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .map_err(err)?;
        let mut tagged =
            tx.prepare("INSERT INTO conversation_tags (conversation_id, tag_id) VALUES (?1, ?2)").map_err(err)?;
        let mut words = Words(0x2545_f491_4f6c_dd1d);
        let mut n_message = 0usize;
        for i in 0..total {
            // The first ones are open; the rest is closed history, older.
            let (status, agent) = match i {
                i if i < 40 => ("active", Some(me)),
                i if i < 60 => ("pending", Some(me)),
                i if i < 2_000 => ("active", Some(if i % 2 == 0 { ana } else { carla })),
                i if i < OPEN_CONVERSATIONS => ("waiting", None),
                i => ("closed", Some([me, ana, carla][i % 3])),
            };
            let opened_at = now - (total - i) as i64 * 20_000 - 3_600_000;
            let name = format!("Cliente {i}");
            let contact_id = {
                contact
                    .execute(rusqlite::params![name, format!("cliente{i}@exemplo.com.br"), opened_at])
                    .map_err(err)?;
                tx.last_insert_rowid()
            };
            let protocol = format!("WC{:011}", first_seq + 1 + i as i64);
            let last = opened_at + 9 * 30_000;
            let closed = status == "closed";
            conversation
                .execute(rusqlite::params![
                    protocol,
                    channel,
                    contact_id,
                    team,
                    agent,
                    status,
                    opened_at,
                    agent.map(|_| opened_at + 30_000),
                    last,
                    closed.then_some(last + 60_000),
                    closed.then_some(agent).flatten(),
                    if status == "active" { (i % 4) as i64 } else { 0 },
                ])
                .map_err(err)?;
            let conversation_id = tx.last_insert_rowid();
            if !closed && i % 10 == 0 {
                tagged.execute([conversation_id, tag]).map_err(err)?;
            }
            filled.conversations += 1;
            filled.open += usize::from(!closed);
            for k in 0..MESSAGES_PER_CONVERSATION {
                let (direction, author, body, state) = if k == 0 {
                    ("system", None, format!("protocol:{protocol}"), "received")
                } else if k % 2 == 1 {
                    ("in", None, words.sentence(n_message.is_multiple_of(100)), "received")
                } else {
                    ("out", agent.or(Some(ana)), words.sentence(n_message.is_multiple_of(100)), "delivered")
                };
                if k > 0 && n_message.is_multiple_of(100) {
                    filled.rare += 1;
                }
                if k > 0 {
                    n_message += 1;
                }
                message
                    .execute(rusqlite::params![
                        conversation_id,
                        channel,
                        direction,
                        author,
                        body,
                        state,
                        opened_at + k as i64 * 30_000
                    ])
                    .map_err(err)?;
                filled.messages += 1;
            }
        }
    }
    tx.execute("UPDATE sequences SET value = ?1 WHERE name = 'protocol'", [first_seq + total as i64]).map_err(err)?;
    tx.commit().map_err(err)?;
    conn.execute_batch("ANALYZE; PRAGMA journal_mode = WAL;").map_err(err)?;
    Ok(filled)
}

/// Cheap, repeatable sentences of a customer service chat.
struct Words(u64);

impl Words {
    const LIST: [&'static str; 48] = [
        "olá",
        "bom",
        "dia",
        "boa",
        "tarde",
        "pedido",
        "entrega",
        "produto",
        "prazo",
        "nota",
        "fiscal",
        "boleto",
        "pagamento",
        "cartão",
        "parcela",
        "endereço",
        "troca",
        "garantia",
        "defeito",
        "caixa",
        "chegou",
        "ainda",
        "não",
        "sim",
        "obrigado",
        "por",
        "favor",
        "quando",
        "como",
        "posso",
        "ajudar",
        "verificar",
        "sistema",
        "cadastro",
        "email",
        "telefone",
        "número",
        "código",
        "rastreio",
        "transportadora",
        "loja",
        "site",
        "compra",
        "valor",
        "desconto",
        "cupom",
        "atraso",
        "hoje",
    ];

    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn sentence(&mut self, rare: bool) -> String {
        let len = 6 + (self.next() % 9) as usize;
        let rare_at = if rare { (self.next() % len as u64) as usize } else { usize::MAX };
        let mut out = String::with_capacity(len * 8);
        for i in 0..len {
            if i > 0 {
                out.push(' ');
            }
            if i == rare_at {
                out.push_str(RARE_WORD);
            } else {
                out.push_str(Self::LIST[(self.next() % Self::LIST.len() as u64) as usize]);
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------
// The data directory: the demo company plus bench agents in team SAC
// ---------------------------------------------------------------------------------

/// Seeds the demo company in `dir/data` (starting `atende demo` until it answers, then
/// stopping it), adds one agent with `atende user add --agent --password-stdin` and
/// `count - 1` more as copies of it in SQL, and puts them all in team SAC. Returns
/// their logins.
fn prepare_floor(binary: &Path, dir: &Path, count: usize) -> Result<Vec<String>, String> {
    drop(Server::start(binary, dir, "demo")?);
    let mut command = Command::new(binary);
    scrub_env(&mut command);
    let mut child = command
        .args(["user", "add", "--agent", "--email", "floorbench0@demo.local", "--name", "Agente Carga 0"])
        .args(["--username", "floorbench0", "--password-stdin"])
        .current_dir(dir)
        .env("ATENDE_DATA_DIR", dir.join("data"))
        .env("ATENDE_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("atende user add: {e}"))?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .map_err(|e| format!("atende user add: {e}"))?;
    let out = child.wait_with_output().map_err(|e| format!("atende user add: {e}"))?;
    if !out.status.success() {
        return Err(format!("atende user add failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let conn = rusqlite::Connection::open(dir.join("data").join("atende.db")).map_err(|e| e.to_string())?;
    let err = |e: rusqlite::Error| e.to_string();
    conn.execute_batch("BEGIN").map_err(err)?;
    for i in 1..count {
        conn.execute(
            "INSERT INTO users (name, username, email, role, password_hash, created_at, updated_at)
             SELECT ?1, ?2, ?3, role, password_hash, created_at, updated_at FROM users WHERE username = 'floorbench0'",
            rusqlite::params![
                format!("Agente Carga {i}"),
                format!("floorbench{i}"),
                format!("floorbench{i}@demo.local")
            ],
        )
        .map_err(err)?;
    }
    conn.execute(
        "INSERT INTO team_members (team_id, user_id)
         SELECT t.id, u.id FROM teams t, users u WHERE t.name = 'SAC' AND u.username LIKE 'floorbench%'",
        [],
    )
    .map_err(err)?;
    conn.execute_batch("COMMIT").map_err(err)?;
    Ok((0..count).map(|i| format!("floorbench{i}")).collect())
}

// ---------------------------------------------------------------------------------
// A small HTTP/1.1 client: keep-alive, Content-Length or chunked bodies, cookies
// ---------------------------------------------------------------------------------

struct Reply {
    status: u16,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

struct Http {
    addr: SocketAddr,
    conn: Option<BufReader<TcpStream>>,
    cookies: Vec<(String, String)>,
}

impl Http {
    fn new(addr: SocketAddr) -> Http {
        Http { addr, conn: None, cookies: Vec::new() }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn jar_from_header(&mut self, header: &str) {
        for pair in header.split("; ") {
            if let Some((k, v)) = pair.split_once('=') {
                self.cookies.push((k.to_string(), v.to_string()));
            }
        }
    }

    fn send(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Result<Reply, String> {
        let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.addr);
        for (k, v) in headers {
            request.push_str(&format!("{k}: {v}\r\n"));
        }
        if !self.cookies.is_empty() {
            request.push_str(&format!("Cookie: {}\r\n", self.cookie_header()));
        }
        if !body.is_empty() || method == "POST" {
            request.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        request.push_str("\r\n");
        let mut bytes = request.into_bytes();
        bytes.extend_from_slice(body);
        // A kept-alive connection the server has closed meanwhile: once more on a new one.
        for attempt in 0..2 {
            let reused = self.conn.is_some();
            if self.conn.is_none() {
                let stream = TcpStream::connect_timeout(&self.addr, IO_TIMEOUT)
                    .map_err(|e| format!("connect {}: {e}", self.addr))?;
                stream.set_read_timeout(Some(IO_TIMEOUT)).ok();
                stream.set_write_timeout(Some(IO_TIMEOUT)).ok();
                stream.set_nodelay(true).ok();
                self.conn = Some(BufReader::new(stream));
            }
            let conn = self.conn.as_mut().expect("connected above");
            match roundtrip(conn, &bytes) {
                Ok((reply, headers, close)) => {
                    if close {
                        self.conn = None;
                    }
                    for value in headers.iter().filter(|(k, _)| k == "set-cookie").map(|(_, v)| v) {
                        let pair = value.split(';').next().unwrap_or("");
                        if let Some((k, v)) = pair.split_once('=') {
                            self.cookies.retain(|(name, _)| name != k);
                            if !v.is_empty() {
                                self.cookies.push((k.to_string(), v.to_string()));
                            }
                        }
                    }
                    return Ok(reply);
                }
                Err(e) => {
                    self.conn = None;
                    if !(reused && attempt == 0) {
                        return Err(format!("{method} {path}: {e}"));
                    }
                }
            }
        }
        Err(format!("{method} {path}: no answer"))
    }
}

type Headers = Vec<(String, String)>;

fn roundtrip(conn: &mut BufReader<TcpStream>, request: &[u8]) -> Result<(Reply, Headers, bool), String> {
    conn.get_mut().write_all(request).map_err(|e| e.to_string())?;
    let (status, headers) = read_head(conn)?;
    let close = header(&headers, "connection").is_some_and(|v| v.eq_ignore_ascii_case("close"));
    let mut body = Vec::new();
    if header(&headers, "transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        Dechunk::new(&mut *conn).read_to_end(&mut body).map_err(|e| e.to_string())?;
        // The empty trailer after the last chunk.
        let mut line = String::new();
        conn.read_line(&mut line).map_err(|e| e.to_string())?;
    } else if let Some(len) = header(&headers, "content-length").and_then(|v| v.parse::<usize>().ok()) {
        body.resize(len, 0);
        conn.read_exact(&mut body).map_err(|e| e.to_string())?;
    } else {
        conn.read_to_end(&mut body).map_err(|e| e.to_string())?;
        return Ok((Reply { status, body }, headers, true));
    }
    Ok((Reply { status, body }, headers, close))
}

fn read_head(conn: &mut impl BufRead) -> Result<(u16, Headers), String> {
    let mut line = String::new();
    if conn.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
        return Err("connection closed".into());
    }
    let status = line
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("not an HTTP response: {line:?}"))?;
    let mut headers = Vec::new();
    for _ in 0..200 {
        line.clear();
        conn.read_line(&mut line).map_err(|e| e.to_string())?;
        let text = line.trim_end();
        if text.is_empty() {
            return Ok((status, headers));
        }
        if let Some((k, v)) = text.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    Err("too many headers".into())
}

fn header<'h>(headers: &'h Headers, name: &str) -> Option<&'h str> {
    headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn json_field(text: &str, name: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    value.get(name)?.as_str().map(str::to_string)
}

fn json_number(text: &str, name: &str) -> Option<i64> {
    let value: serde_json::Value = serde_json::from_str(text.trim()).ok()?;
    value.get(name)?.as_i64()
}

// ---------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------

/// The `q` quantile of sorted samples (nearest rank); zero when there are none.
fn pct(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn errors_note(errors: usize) -> String {
    if errors == 0 {
        String::new()
    } else {
        format!(" ({errors} failed)")
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
