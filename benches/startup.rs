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

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::rc::Rc;
use std::time::{Duration, Instant, SystemTime};

const STARTUP_RUNS: usize = 10;
const IDLE: Duration = Duration::from_secs(2);
const LOGIN_REQUESTS: usize = 200;
const START_TIMEOUT: Duration = Duration::from_secs(30);
const POLL_EVERY: Duration = Duration::from_millis(2);

fn main() -> ExitCode {
    let binary = release_binary();
    if !binary.is_file() {
        eprintln!(
            "startup bench: no release binary at {}\n\
             build it first with `cargo build --release`, then run `cargo bench --bench startup`",
            binary.display()
        );
        return ExitCode::SUCCESS;
    }
    if let Some(newer) = newer_source(&binary) {
        eprintln!(
            "startup bench: note: {} is newer than the binary; \
             run `cargo build --release` to measure the current code",
            newer.display()
        );
    }
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
        let server = Server::start(binary, Rc::new(temp_dir()?))?;
        fresh.push(server.started_in);
        println!("    run {run:>2}: {:>7.1} ms{}", ms(server.started_in), server.log_errors());
    }
    summary("start to /healthz", &mut fresh);

    // … and restarts on one data directory whose database is already there (the
    // previous process is killed, as after a crash).
    println!("  restart, same data directory:");
    let dir = Rc::new(temp_dir()?);
    drop(Server::start(binary, dir.clone())?);
    let mut again = Vec::with_capacity(STARTUP_RUNS);
    for run in 1..=STARTUP_RUNS {
        let server = Server::start(binary, dir.clone())?;
        again.push(server.started_in);
        println!("    run {run:>2}: {:>7.1} ms{}", ms(server.started_in), server.log_errors());
    }
    summary("restart to /healthz", &mut again);

    // (c) Resident memory: idle, then after sequential page requests.
    let server = Server::start(binary, Rc::new(temp_dir()?))?;
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
        let status = get(server.addr, "/login")?.status;
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

fn temp_dir() -> Result<tempfile::TempDir, String> {
    tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))
}

/// A running `atende serve` whose data directory and log are in `dir`; killed when
/// dropped (the directory goes when its last holder does).
struct Server {
    child: Child,
    addr: SocketAddr,
    started_in: Duration,
    dir: Rc<tempfile::TempDir>,
}

impl Server {
    fn start(binary: &Path, dir: Rc<tempfile::TempDir>) -> Result<Server, String> {
        let data_dir = dir.path().join("data");
        let log_path = dir.path().join("atende.log");
        let log = std::fs::File::create(&log_path).map_err(|e| format!("log file: {e}"))?;
        let log_err = log.try_clone().map_err(|e| format!("log file: {e}"))?;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, free_port()?));

        let mut command = Command::new(binary);
        // Only the settings below: any other ATENDE_* in this environment (or an
        // atende.toml in the working directory) would change what is measured.
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("ATENDE_") {
                command.env_remove(key);
            }
        }
        command
            .arg("serve")
            .current_dir(dir.path())
            .env("ATENDE_DATA_DIR", &data_dir)
            .env("ATENDE_ADDRESS", "127.0.0.1")
            .env("ATENDE_PORT", addr.port().to_string())
            .env("ATENDE_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err);

        let spawned = Instant::now();
        let child = command.spawn().map_err(|e| format!("spawning {}: {e}", binary.display()))?;
        // From here on the guard kills the child whatever happens.
        let mut server = Server { child, addr, started_in: Duration::ZERO, dir };
        loop {
            if let Ok(reply) = get(addr, "/healthz") {
                if reply.status == 200 {
                    server.started_in = spawned.elapsed();
                    return Ok(server);
                }
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!("atende exited ({status}) before /healthz answered; its log:\n{}", server.log()));
            }
            if spawned.elapsed() > START_TIMEOUT {
                return Err(format!(
                    "/healthz did not answer 200 within {}s; log:\n{}",
                    START_TIMEOUT.as_secs(),
                    server.log()
                ));
            }
            std::thread::sleep(POLL_EVERY);
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("atende.log")).unwrap_or_default()
    }

    /// The server's ERROR lines so far, colour codes removed, for the run's line.
    fn log_errors(&self) -> String {
        let errors: Vec<String> = self
            .log()
            .lines()
            .map(strip_ansi)
            .filter(|line| line.contains("ERROR"))
            .map(|line| line.split_once("ERROR").map(|(_, m)| m.trim().to_string()).unwrap_or(line))
            .collect();
        if errors.is_empty() {
            String::new()
        } else {
            format!("  (log: ERROR {})", errors.join("; "))
        }
    }

    fn memory(&self) -> Result<Memory, String> {
        let path = format!("/proc/{}/status", self.child.id());
        let status = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e} (Linux only)"))?;
        let field = |name: &str| -> Result<u64, String> {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
                .ok_or_else(|| format!("{path}: no {name}"))
        };
        Ok(Memory { rss_kb: field("VmRSS:")?, hwm_kb: field("VmHWM:")? })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Memory {
    rss_kb: u64,
    hwm_kb: u64,
}

struct Reply {
    status: u16,
}

/// One HTTP/1.1 GET on a fresh connection, read to the end.
fn get(addr: SocketAddr, path: &str) -> Result<Reply, String> {
    let timeout = Duration::from_secs(5);
    let mut stream = TcpStream::connect_timeout(&addr, timeout).map_err(|e| format!("connect {addr}: {e}"))?;
    stream.set_read_timeout(Some(timeout)).ok();
    stream.set_write_timeout(Some(timeout)).ok();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/html\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).map_err(|e| format!("GET {path}: {e}"))?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).map_err(|e| format!("GET {path}: {e}"))?;
    let head = String::from_utf8_lossy(&response[..response.len().min(64)]).into_owned();
    let status = head
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("GET {path}: not an HTTP response: {head:?}"))?;
    Ok(Reply { status })
}

/// A port nobody listens on right now (the kernel picks it; released at once).
fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|e| format!("finding a free port: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| format!("finding a free port: {e}"))
}

/// `STARTUP_BENCH_BINARY` when set, else `target/release/atende` (honouring
/// CARGO_TARGET_DIR).
fn release_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("STARTUP_BENCH_BINARY") {
        return PathBuf::from(path);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|t| if t.is_absolute() { t } else { root.join(t) })
        .unwrap_or_else(|| root.join("target"));
    target.join("release").join("atende")
}

/// A file the binary is built from that changed after the binary was built.
fn newer_source(binary: &Path) -> Option<PathBuf> {
    let built = std::fs::metadata(binary).and_then(|m| m.modified()).ok()?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut newest: Option<(SystemTime, PathBuf)> = None;
    let mut pending: Vec<PathBuf> = ["src", "templates", "static", "locales", "migrations"]
        .iter()
        .map(|d| root.join(d))
        .chain(["Cargo.toml", "Cargo.lock", "build.rs"].iter().map(|f| root.join(f)))
        .collect();
    while let Some(path) = pending.pop() {
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&path) {
                pending.extend(entries.flatten().map(|e| e.path()));
            }
        } else if let Ok(modified) = meta.modified() {
            if modified > built && newest.as_ref().is_none_or(|(t, _)| modified > *t) {
                newest = Some((modified, path));
            }
        }
    }
    newest.map(|(_, path)| path)
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI sequence: ESC [ … final letter.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn median(sorted: &[Duration]) -> Duration {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn kib_to_mib(kb: u64) -> f64 {
    kb as f64 / 1024.0
}
