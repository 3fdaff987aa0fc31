//! Start-up cost of the release binary: its size, the time from spawning
//! `atende serve` to the first 200 from `/healthz` (on a fresh data directory, and again
//! on one that already holds a database), and its resident memory when idle and after
//! a burst of page requests.
//!
//!     cargo build --release
//!     cargo bench --bench startup
//!
//! The binary is measured as built; this program does not build it. Note that
//! `cargo bench` itself relinks `target/release/atende` with the features that the
//! dev-dependencies switch on, which makes it slightly larger than the binary
//! `cargo build --release` gives. To measure exactly the binary that ships, copy it
//! away first and name it in `STARTUP_BENCH_BINARY`:
//!
//!     cargo build --release && cp target/release/atende /tmp/atende
//!     STARTUP_BENCH_BINARY=/tmp/atende cargo bench --bench startup

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

mod common;
use common::{binary_to_measure, get_status, kib_to_mib, ms, temp_dir, Server};

const STARTUP_RUNS: usize = 10;
const IDLE: Duration = Duration::from_secs(2);
const LOGIN_REQUESTS: usize = 200;

fn main() -> ExitCode {
    let Some(binary) = binary_to_measure("STARTUP_BENCH_BINARY", "startup") else { return ExitCode::SUCCESS };
    match run(&binary) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("startup bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(binary: &Path) -> Result<(), String> {
    println!("atende start-up bench");
    println!("  binary               {}", binary.display());

    // (a) Size on disk.
    let bytes = std::fs::metadata(binary).map_err(|e| format!("{}: {e}", binary.display()))?.len();
    println!("  binary size          {:.1} MiB ({bytes} bytes)", mib(bytes));

    // (b) Spawn → first 200 from /healthz, each run on a fresh data directory so the
    // secret is generated and every migration applied …
    println!("  first start, fresh data directory each run:");
    let mut fresh = Vec::with_capacity(STARTUP_RUNS);
    for run in 1..=STARTUP_RUNS {
        let dir = temp_dir()?;
        let server = Server::start(binary, dir.path(), "serve")?;
        fresh.push(server.started_in);
        println!("    run {run:>2}: {:>7.1} ms{}", ms(server.started_in), server.log_errors());
    }
    summary("start to /healthz", &mut fresh);

    // … and restarts on one data directory whose database is already there (the
    // previous process is killed, as after a crash).
    println!("  restart, same data directory:");
    let dir = temp_dir()?;
    drop(Server::start(binary, dir.path(), "serve")?);
    let mut again = Vec::with_capacity(STARTUP_RUNS);
    for run in 1..=STARTUP_RUNS {
        let server = Server::start(binary, dir.path(), "serve")?;
        again.push(server.started_in);
        println!("    run {run:>2}: {:>7.1} ms{}", ms(server.started_in), server.log_errors());
    }
    summary("restart to /healthz", &mut again);

    // (c) Resident memory: idle, then after sequential page requests.
    let dir = temp_dir()?;
    let server = Server::start(binary, dir.path(), "serve")?;
    std::thread::sleep(IDLE);
    let idle = server.memory()?;
    println!(
        "  RSS idle ({}s up)     {:.1} MiB (peak so far {:.1} MiB)",
        IDLE.as_secs(),
        kib_to_mib(idle.rss_kb),
        kib_to_mib(idle.hwm_kb)
    );
    let begun = Instant::now();
    for i in 0..LOGIN_REQUESTS {
        let status = get_status(server.addr, "/login")?;
        if status != 200 {
            return Err(format!("GET /login #{} answered {status}", i + 1));
        }
    }
    let took = begun.elapsed();
    let after = server.memory()?;
    println!(
        "  RSS after {LOGIN_REQUESTS} GET /login {:.1} MiB (peak {:.1} MiB; {:.2} ms per request)",
        kib_to_mib(after.rss_kb),
        kib_to_mib(after.hwm_kb),
        ms(took) / LOGIN_REQUESTS as f64
    );
    Ok(())
}

fn summary(what: &str, times: &mut [Duration]) {
    times.sort();
    println!(
        "  {what:<20} min {:.1} ms, median {:.1} ms, max {:.1} ms ({} runs)",
        ms(times[0]),
        ms(median(times)),
        ms(times[times.len() - 1]),
        times.len()
    );
}

fn median(sorted: &[Duration]) -> Duration {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
