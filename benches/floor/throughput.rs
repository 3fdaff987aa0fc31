//! Part 1: web chat throughput. 400 visitors, each opening a conversation with a first
//! message, then 32 keep-alive connections sending visitor messages at increasing
//! rates on a fixed schedule.

use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

use super::client::{json_field, Http, IO_TIMEOUT};
use super::common::{kib_to_mib, ms, pct, temp_dir, Server};

/// Visitors, connections of the load generator, rates and time per rate.
const VISITORS: usize = 400;
const LOAD_CONNECTIONS: usize = 32;
const RATES: [u32; 10] = [100, 200, 300, 500, 750, 1000, 1250, 1500, 2000, 2500];
const STEP: Duration = Duration::from_secs(4);
const P99_LIMIT: Duration = Duration::from_millis(50);

pub fn run(binary: &Path) -> Result<(), String> {
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

pub fn message_body(tag: &str) -> String {
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

fn errors_note(errors: usize) -> String {
    if errors == 0 {
        String::new()
    } else {
        format!(" ({errors} failed)")
    }
}
