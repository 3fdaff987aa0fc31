//! What the benchmarks share: the `atende` process they measure, free ports, the
//! release binary, its memory and its log. Each bench uses part of it.
#![allow(dead_code)]

pub mod floor_data;
pub mod report_data;

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

pub const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How often start-up polls `/healthz` (small: the start-up time is what is measured).
const POLL_EVERY: Duration = Duration::from_millis(2);

/// A running `atende <subcommand>` on `dir/data`, its log in `dir`; killed when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    log_path: PathBuf,
    /// From spawning the process to the first 200 from `/healthz`.
    pub started_in: Duration,
}

impl Server {
    pub fn start(binary: &Path, dir: &Path, subcommand: &str) -> Result<Server, String> {
        Server::start_with(binary, dir, subcommand, &[])
    }

    /// `start` with more settings, e.g. `("ATENDE_SYNCHRONOUS", "full")`.
    pub fn start_with(
        binary: &Path,
        dir: &Path,
        subcommand: &str,
        settings: &[(&str, &str)],
    ) -> Result<Server, String> {
        let log_path = dir.join(format!("atende-{subcommand}.log"));
        let log = std::fs::File::create(&log_path).map_err(|e| format!("log file: {e}"))?;
        let log_err = log.try_clone().map_err(|e| format!("log file: {e}"))?;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, free_port()?));
        let mut command = Command::new(binary);
        scrub_env(&mut command);
        command
            .arg(subcommand)
            .current_dir(dir)
            .env("ATENDE_DATA_DIR", dir.join("data"))
            .env("ATENDE_ADDRESS", "127.0.0.1")
            .env("ATENDE_PORT", addr.port().to_string())
            .env("ATENDE_LOG", "warn")
            // The load comes from one address and a few visitors: no rate limits.
            .env("ATENDE_RATE_VISITORS_PER_MINUTE", "0")
            .env("ATENDE_RATE_VISITOR_MESSAGES_PER_MINUTE", "0")
            .env("ATENDE_RATE_SIGN_IN_PER_MINUTE", "0")
            .envs(settings.iter().copied())
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err);
        let spawned = Instant::now();
        let child = command.spawn().map_err(|e| format!("spawning {}: {e}", binary.display()))?;
        // From here on the guard kills the child whatever happens.
        let mut server = Server { child, addr, log_path, started_in: Duration::ZERO };
        loop {
            if get_status(addr, "/healthz") == Ok(200) {
                server.started_in = spawned.elapsed();
                return Ok(server);
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

    pub fn exited(&self) -> bool {
        std::fs::metadata(format!("/proc/{}", self.child.id())).is_err()
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// The server's ERROR lines so far, colour codes removed (the first three), for the
    /// line a bench prints.
    pub fn log_errors(&self) -> String {
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
            format!(
                "  (log: {} ERROR lines: {})",
                errors.len(),
                errors.iter().take(3).cloned().collect::<Vec<_>>().join("; ")
            )
        }
    }

    /// "server RSS 42.0 MiB (peak 50.1 MiB)" and the log's errors, for a bench's last line.
    pub fn rss_note(&self) -> Result<String, String> {
        let mem = self.memory()?;
        Ok(format!(
            "server RSS {:.1} MiB (peak {:.1} MiB){}",
            kib_to_mib(mem.rss_kb),
            kib_to_mib(mem.hwm_kb),
            self.log_errors()
        ))
    }

    /// Starts counting the peak (VmHWM) again from the present size, so the next
    /// `memory()` shows the peak of what ran in between.
    pub fn reset_peak(&self) -> Result<(), String> {
        let path = format!("/proc/{}/clear_refs", self.child.id());
        std::fs::write(&path, "5").map_err(|e| format!("{path}: {e} (Linux only)"))
    }

    /// CPU time the server has used so far (user + system), from `/proc/<pid>/stat`.
    pub fn cpu_time(&self) -> Result<Duration, String> {
        let path = format!("/proc/{}/stat", self.child.id());
        let stat = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e} (Linux only)"))?;
        // The fields after the command's name (which may hold spaces) in parentheses.
        let rest = stat.rsplit_once(')').map(|(_, rest)| rest).ok_or_else(|| format!("{path}: unreadable"))?;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).ok_or(format!("{path}: no field {i}"));
        // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name;
        // Linux counts them in clock ticks of 1/100 s (USER_HZ).
        Ok(Duration::from_millis((ticks(11)? + ticks(12)?) * 10))
    }

    pub fn memory(&self) -> Result<Memory, String> {
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

/// Resident memory now and at its peak, in KiB.
pub struct Memory {
    pub rss_kb: u64,
    pub hwm_kb: u64,
}

/// Only the settings a bench sets: any other ATENDE_* in this environment (or an
/// atende.toml in the working directory) would change what is measured.
pub fn scrub_env(command: &mut Command) {
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("ATENDE_") {
            command.env_remove(key);
        }
    }
}

/// The status of one `GET path` on a fresh connection, read to the end.
pub fn get_status(addr: SocketAddr, path: &str) -> Result<u16, String> {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_idle_connections(0)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .new_agent();
    let mut reply = agent
        .get(format!("http://{addr}{path}"))
        .header("Accept", "text/html")
        .call()
        .map_err(|e| format!("GET {path}: {e}"))?;
    reply.body_mut().read_to_vec().map_err(|e| format!("GET {path}: {e}"))?;
    Ok(reply.status().as_u16())
}

pub fn temp_dir() -> Result<tempfile::TempDir, String> {
    tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))
}

/// A port nobody listens on right now (the kernel picks it; released at once).
pub fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|e| format!("finding a free port: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| format!("finding a free port: {e}"))
}

/// The binary named by the environment variable `override_var` when set, else
/// `target/release/atende` (honouring CARGO_TARGET_DIR).
pub fn release_binary(override_var: &str) -> PathBuf {
    if let Some(path) = std::env::var_os(override_var) {
        return PathBuf::from(path);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|t| if t.is_absolute() { t } else { root.join(t) })
        .unwrap_or_else(|| root.join("target"));
    target.join("release").join("atende")
}

pub fn strip_ansi(line: &str) -> String {
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

pub fn kib_to_mib(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The `q` quantile of sorted samples (nearest rank); zero when there are none.
pub fn pct(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// The release binary a bench measures (see `release_binary`), or `None` after saying
/// how to build it; a note when a source file is newer than the binary.
pub fn binary_to_measure(override_var: &str, bench: &str) -> Option<PathBuf> {
    let binary = release_binary(override_var);
    if !binary.is_file() {
        eprintln!(
            "{bench} bench: no release binary at {}\n\
             build it first with `cargo build --release`, then run `cargo bench --bench {bench}`",
            binary.display()
        );
        return None;
    }
    if let Some(newer) = newer_source(&binary) {
        eprintln!(
            "{bench} bench: note: {} is newer than the binary; run `cargo build --release` to measure the current code",
            newer.display()
        );
    }
    Some(binary)
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
