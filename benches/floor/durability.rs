//! Part 7: durability. Part 1's open loop of visitor messages on two servers, one after
//! the other in the same run: `synchronous = normal` (a crash of the process loses
//! nothing; power loss may lose the last commits) and `full` (every answered message
//! is on disk). Each rate's row adds the writer's commits per second, the writes each
//! commit carried (group commit) and the visitor messages per commit, from `/metrics`
//! read before and after the rate.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Instant;

use super::client::Http;
use super::common::{temp_dir, Server};
use super::throughput::{climb, first_messages, visitors, Step};

const RATES: [u32; 9] = [250, 500, 1000, 1500, 2000, 2500, 3000, 4000, 5000];

pub fn run(binary: &Path) -> Result<(), String> {
    println!("\n[7] durability: visitor messages with synchronous = normal and = full");
    for mode in ["normal", "full"] {
        println!("  synchronous = {mode}");
        let dir = temp_dir()?;
        let server = Server::start_with(binary, dir.path(), "demo", &[("ATENDE_SYNCHRONOUS", mode)])?;
        let tokens = visitors(server.addr)?;
        first_messages(server.addr, &tokens)?;
        println!("  rate/s  sent  answered/s  errors   p50 ms   p90 ms   p99 ms   max ms  commits/s  writes/commit  messages/commit");
        climb(&server, &RATES, |rate, step| {
            let (before, since) = (writer_counts(server.addr)?, Instant::now());
            let result = Step::run(server.addr, &tokens, rate, step)?;
            let (after, took) = (writer_counts(server.addr)?, since.elapsed());
            let (commits, writes) = (after.0 - before.0, after.1 - before.1);
            let per_commit = |n: f64| if commits > 0.0 { n / commits } else { 0.0 };
            let extra = format!(
                " {:>10.0} {:>14.1} {:>15.1}",
                commits / took.as_secs_f64(),
                per_commit(writes),
                per_commit(result.answered as f64)
            );
            Ok((result, extra))
        })?;
    }
    Ok(())
}

/// The writer's commits and writes so far, from `/metrics` (loopback may read it).
fn writer_counts(addr: SocketAddr) -> Result<(f64, f64), String> {
    let reply = Http::new(addr).send("GET", "/metrics", &[], b"")?;
    let text = reply.text();
    let value = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse::<f64>().ok())
            .ok_or_else(|| format!("no {name} in /metrics"))
    };
    Ok((value("atende_db_commits_total")?, value("atende_db_writes_total")?))
}
