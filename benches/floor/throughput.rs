//! Part 1: web chat throughput. 400 visitors, each opening a conversation with a first
//! message, then 32 keep-alive connections sending visitor messages at increasing
//! rates on a fixed schedule.

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use super::client::{json_field, Http, Reply, IO_TIMEOUT};
use super::common::{ms, pct, temp_dir, Server};

/// Visitors, connections of the load generator, rates and time per rate.
const VISITORS: usize = 400;
const LOAD_CONNECTIONS: usize = 32;
const RATES: [u32; 14] = [100, 200, 300, 500, 750, 1000, 1250, 1500, 2000, 2500, 3000, 4000, 5000, 6000];
const STEP: Duration = Duration::from_secs(4);
const P99_LIMIT: Duration = Duration::from_millis(50);

/// `VISITORS` web chat visitors on the demo channel; their tokens.
pub fn visitors(addr: SocketAddr) -> Result<Vec<String>, String> {
    let mut http = Http::new(addr);
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
    Ok(tokens)
}

/// Each visitor's first message opens a conversation (protocol, notice, queue).
pub fn first_messages(addr: SocketAddr, tokens: &[String]) -> Result<(), String> {
    let (opened, took) = closed_loop(addr, tokens, 8)?;
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
    Ok(())
}

pub fn run(binary: &Path) -> Result<(), String> {
    println!("\n[1] web chat throughput (POST /webchat/demo/messages, {LOAD_CONNECTIONS} keep-alive connections)");
    let dir = temp_dir()?;
    let server = Server::start(binary, dir.path(), "demo")?;

    let tokens = visitors(server.addr)?;
    first_messages(server.addr, &tokens)?;

    println!("  rate/s  sent  answered/s  errors   p50 ms   p90 ms   p99 ms   max ms  (latency from scheduled send)");
    climb(&server, &RATES, |rate, step| Ok((Step::run(server.addr, &tokens, rate, step)?, String::new())))
}

/// Runs `rates` in order until one is not kept up, printing each rate's row and its
/// `extra` columns (`measure(rate, step)` gives both), then the highest rate kept up.
pub fn climb(
    server: &Server,
    rates: &[u32],
    mut measure: impl FnMut(u32, usize) -> Result<(Step, String), String>,
) -> Result<(), String> {
    let mut best: Option<Step> = None;
    for (step, rate) in rates.iter().enumerate() {
        let (result, extra) = measure(*rate, step)?;
        println!("  {}{extra}", result.row());
        if !result.kept_up() {
            break;
        }
        best = Some(result);
        if server.exited() {
            return Err(format!("atende exited during the run; log:\n{}", server.log()));
        }
    }
    println!("  {}", best_note(best.as_ref()));
    println!("  {} after the run", server.rss_note()?);
    Ok(())
}

/// One rate of the open loop, measured.
pub struct Step {
    rate: u32,
    pub achieved: f64,
    /// Messages accepted.
    pub answered: usize,
    sent: usize,
    errors: usize,
    p50: Duration,
    p90: Duration,
    p99: Duration,
    max: Duration,
}

impl Step {
    /// `rate` messages/s for `STEP` (see `open_loop`); `step` tags the messages.
    pub fn run(addr: SocketAddr, tokens: &[String], rate: u32, step: usize) -> Result<Step, String> {
        let result = open_loop(addr, tokens, rate, step)?;
        let mut lat = result.latencies;
        lat.sort();
        Ok(Step {
            rate,
            achieved: lat.len() as f64 / result.took.as_secs_f64(),
            answered: lat.len(),
            sent: lat.len() + result.errors,
            errors: result.errors,
            p50: pct(&lat, 0.5),
            p90: pct(&lat, 0.9),
            p99: pct(&lat, 0.99),
            max: pct(&lat, 1.0),
        })
    }

    /// Every message answered, at the rate asked, with p99 under the limit.
    pub fn kept_up(&self) -> bool {
        self.p99 < P99_LIMIT && self.errors == 0 && self.achieved >= f64::from(self.rate) * 0.95
    }

    /// The columns of the table `run` prints.
    pub fn row(&self) -> String {
        format!(
            "{:>6} {:>5} {:>11.0} {:>7} {:>8.1} {:>8.1} {:>8.1} {:>8.1}",
            self.rate,
            self.sent,
            self.achieved,
            self.errors,
            ms(self.p50),
            ms(self.p90),
            ms(self.p99),
            ms(self.max)
        )
    }
}

/// The line that sums a climb up the rates: the highest one kept up.
fn best_note(best: Option<&Step>) -> String {
    match best {
        Some(s) => format!(
            "highest rate with p99 < {} ms: {} messages/s (answered {:.0}/s; p50 {:.1} ms, p99 {:.1} ms)",
            P99_LIMIT.as_millis(),
            s.rate,
            s.achieved,
            ms(s.p50),
            ms(s.p99)
        ),
        None => format!("no rate kept p99 under {} ms", P99_LIMIT.as_millis()),
    }
}

#[derive(Default)]
struct Load {
    latencies: Vec<Duration>,
    errors: usize,
    took: Duration,
}

impl Load {
    /// An answer to a message: its latency when accepted, an error otherwise.
    fn record(&mut self, answer: Result<Reply, String>, since: Instant) {
        match answer {
            Ok(r) if r.status == 201 => self.latencies.push(since.elapsed()),
            _ => self.errors += 1,
        }
    }
}

fn message_body(tag: &str) -> String {
    format!(r#"{{"text":"Olá, meu pedido {tag} ainda não chegou. Podem verificar?","client_id":"{tag}"}}"#)
}

/// A visitor's message as the widget sends it (`auth` is `Bearer <token>`).
pub fn post_message(http: &mut Http, auth: &str, tag: &str) -> Result<Reply, String> {
    let headers = [("Content-Type", "application/json"), ("Authorization", auth)];
    http.send("POST", "/webchat/demo/messages", &headers, message_body(tag).as_bytes())
}

/// `work(connection, client, load)` on `connections` threads at once, each with its
/// own keep-alive client; their loads as one.
fn on_connections(addr: SocketAddr, connections: usize, work: impl Fn(usize, &mut Http, &mut Load) + Sync) -> Load {
    let work = &work;
    let loads: Vec<Load> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..connections)
            .map(|t| {
                s.spawn(move || {
                    let (mut http, mut load) = (Http::new(addr), Load::default());
                    work(t, &mut http, &mut load);
                    load
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(Load { errors: 1, ..Load::default() })).collect()
    });
    let mut all = Load::default();
    for load in loads {
        all.latencies.extend(load.latencies);
        all.errors += load.errors;
    }
    all
}

/// One message per token, as fast as `connections` connections allow.
fn closed_loop(addr: SocketAddr, tokens: &[String], connections: usize) -> Result<(Load, Duration), String> {
    let begun = Instant::now();
    let load = on_connections(addr, connections, |t, http, load| {
        for (i, token) in tokens.iter().enumerate().skip(t).step_by(connections) {
            let sent = Instant::now();
            load.record(post_message(http, &format!("Bearer {token}"), &format!("first-{i}")), sent);
        }
    });
    Ok((load, begun.elapsed()))
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
    let mut load = on_connections(addr, LOAD_CONNECTIONS, |t, http, load| {
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
            let auth = format!("Bearer {}", tokens[n % tokens.len()]);
            load.record(post_message(http, &auth, &format!("s{step}-{n}")), due);
        }
    });
    load.took = start.elapsed();
    Ok(load)
}

fn errors_note(errors: usize) -> String {
    if errors == 0 {
        String::new()
    } else {
        format!(" ({errors} failed)")
    }
}
