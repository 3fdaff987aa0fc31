//! The reports on a large history: 100,000 closed conversations with 1,000,000
//! messages over the last 30 days (written straight into SQLite before the server
//! starts), read by an administrator who sees every team. Each report page is asked
//! for one request at a time; the history's searches and sorts too; then the 31-day
//! spreadsheet of every conversation (a background job of "Exportações" past the
//! server's row threshold, polled until ready and downloaded), with the server's peak
//! memory while it is built.
//!
//!     cargo build --release
//!     cargo bench --bench reports
//!
//! `REPORTS_BENCH_BINARY` names another binary (e.g. a debug build, whose figures are
//! slower and labelled so). A report the binary does not have (404) is skipped. The
//! figures are in docs/performance.md; the bench only measures.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[path = "floor/client.rs"]
#[allow(dead_code)]
mod client;
mod common;

use client::Http;
use common::floor_data::prepare_floor;
use common::report_data::{fill_history, HistorySize};
use common::{binary_to_measure, kib_to_mib, ms, pct, temp_dir, Server};

const SIZE: HistorySize = HistorySize { conversations: 100_000, messages_each: 10, contacts: 40_000, days: 30 };
/// Requests per page, after one that warms the caches.
const RUNS: usize = 20;

fn main() -> ExitCode {
    let Some(binary) = binary_to_measure("REPORTS_BENCH_BINARY", "reports") else { return ExitCode::SUCCESS };
    match run(&binary) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("reports bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(binary: &Path) -> Result<(), String> {
    println!("atende reports bench");
    println!("  binary               {}", binary.display());
    // `REPORTS_BENCH_DATA` keeps the generated company in a directory of one's choice
    // and reuses it on the next run (to look at the queries with the sqlite3 shell).
    let (kept, temp) = match std::env::var_os("REPORTS_BENCH_DATA") {
        Some(path) => (Some(std::path::PathBuf::from(path)), None),
        None => (None, Some(temp_dir()?)),
    };
    let dir = kept.clone().unwrap_or_else(|| temp.as_ref().map(|t| t.path().to_path_buf()).unwrap_or_default());
    let db_path = dir.join("data").join("atende.db");
    let newest = if db_path.is_file() {
        println!("  history              reused from {}", dir.display());
        newest_closed(&db_path)?
    } else {
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let logins = prepare_floor(binary, &dir, 1)?;
        let started = Instant::now();
        let filled = fill_history(&db_path, &SIZE)?;
        println!(
            "  history              {} closed conversations, {} messages ({} with the rare word), written in {:.1} s",
            filled.conversations,
            filled.messages,
            filled.rare,
            started.elapsed().as_secs_f64()
        );
        make_manager(&db_path, &logins[0])?;
        filled.newest_closed_at
    };
    let manager = MANAGER.to_string();
    let server = Server::start(binary, &dir, "serve")?;
    let mut http = Http::new(server.addr);
    http.sign_in(&manager)?;
    let (from, until) = period(newest);
    let month = format!("from={from}&until={until}");
    println!("  period               {from} to {until} (company zone), {RUNS} requests each, one at a time");
    for (what, path) in pages(&month) {
        time_page(&mut http, what, &path)?;
    }
    export(&server, &mut http, &month)?;
    println!("  {}", server.rss_note()?);
    Ok(())
}

/// The pages measured: each report, the history's searches and sorts.
fn pages(month: &str) -> Vec<(&'static str, String)> {
    vec![
        ("history, first page", format!("/reports/history?{month}")),
        ("history, by score", format!("/reports/history?{month}&sort=score&dir=desc")),
        ("history, by client", format!("/reports/history?{month}&sort=client&dir=asc")),
        ("history, one team", format!("/reports/history?{month}&team=1")),
        ("history, messages containing", format!("/reports/history?{month}&q={}", common::floor_data::RARE_WORD)),
        ("history, phone", format!("/reports/history?{month}&phone=11910004242")),
        ("history, client name", format!("/reports/history?{month}&client=Relat%C3%B3rio%204242")),
        ("history, protocol", format!("/reports/history?{month}&protocol=RL")),
        ("agent's history search", format!("/agent/history?q={}", common::floor_data::RARE_WORD)),
        ("reasons", format!("/reports/reasons?{month}")),
        ("agents", format!("/reports/agents?{month}")),
        ("service level", format!("/reports/service-level?{month}")),
    ]
}

fn time_page(http: &mut Http, what: &str, path: &str) -> Result<(), String> {
    let probe = http.send("GET", path, &[("Accept", "text/html")], b"")?;
    if probe.status == 404 {
        println!("  {what:<30} (not in this binary)");
        return Ok(());
    }
    let (times, size) = http.time_gets(path, RUNS)?;
    println!(
        "  {what:<30} p50 {:>7.1} ms  p90 {:>7.1} ms  max {:>7.1} ms  ({} KiB)",
        ms(pct(&times, 0.5)),
        ms(pct(&times, 0.9)),
        ms(*times.last().unwrap_or(&Duration::ZERO)),
        size / 1024
    );
    Ok(())
}

/// The 31-day spreadsheet of every conversation. Past the server's
/// `export_background_rows` it is a job of "Exportações": the bench follows the
/// redirect, reads the list as the page does until the job is ready, and downloads it.
/// The time to the file ready (or to the last byte of a direct answer), the download's,
/// and the server's peak resident memory while it was built.
fn export(server: &Server, http: &mut Http, month: &str) -> Result<(), String> {
    for kind in ["xlsx", "csv"] {
        let before = server.memory()?;
        let known = jobs(http)?.0;
        server.reset_peak()?;
        let sent = Instant::now();
        let reply = http.send("GET", &format!("/reports/history/export/{kind}?{month}"), &[], b"")?;
        let (ready, size, how) = match reply.location.as_deref() {
            Some("/reports/exports") => {
                let id = wait_for_job(http, &known)?;
                let ready = sent.elapsed();
                let fetched = Instant::now();
                let file = http.send("GET", &format!("/reports/exports/{id}/download"), &[], b"")?;
                if file.status != 200 {
                    return Err(format!("export {id} download answered {}", file.status));
                }
                (ready, file.body.len(), format!("in the background, download {:.1} ms", ms(fetched.elapsed())))
            }
            Some(other) => return Err(format!("export {kind} sent to {other}")),
            None if reply.status == 200 => (sent.elapsed(), reply.body.len(), "at once".to_string()),
            None => return Err(format!("export {kind} answered {}", reply.status)),
        };
        let after = server.memory()?;
        println!(
            "  export {kind:<4}                   {:>7.1} ms to ready  {} KiB  {how}  RSS before {:.1} MiB, peak {:.1} MiB",
            ms(ready),
            size / 1024,
            kib_to_mib(before.rss_kb),
            kib_to_mib(after.hwm_kb)
        );
    }
    Ok(())
}

/// The user's exports as the list shows them: the ids of those ready to download, and
/// whether one is still queued or running.
fn jobs(http: &mut Http) -> Result<(Vec<String>, bool), String> {
    let list = http.send("GET", "/reports/exports/list", &[("Accept", "text/html")], b"")?;
    if list.status != 200 {
        return Err(format!("the exports' list answered {}", list.status));
    }
    let text = list.text();
    let ready = text
        .split("/reports/exports/")
        .skip(1)
        .filter_map(|rest| rest.split_once("/download").map(|(id, _)| id.to_string()))
        .filter(|id| id.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let pending = text.contains("data-status=\"queued\"") || text.contains("data-status=\"running\"");
    Ok((ready, pending))
}

/// Polls the list (every 100 ms, at most 10 minutes) until an export not in `known` is
/// ready; an error when nothing is pending any more and none is.
fn wait_for_job(http: &mut Http, known: &[String]) -> Result<String, String> {
    let deadline = Instant::now() + Duration::from_secs(600);
    while Instant::now() < deadline {
        let (ready, pending) = jobs(http)?;
        if let Some(id) = ready.into_iter().find(|id| !known.contains(id)) {
            return Ok(id);
        }
        if !pending {
            return Err("the export failed".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err("the export was not ready in 10 minutes".into())
}

/// The bench agent, made an administrator whose group opens every report.
const MANAGER: &str = "floorbench0";

fn newest_closed(db_path: &Path) -> Result<i64, String> {
    let conn = rusqlite::Connection::open(db_path).map_err(|e| e.to_string())?;
    conn.query_row("SELECT max(closed_at) FROM conversations", [], |r| r.get(0)).map_err(|e| e.to_string())
}

fn make_manager(db_path: &Path, login: &str) -> Result<(), String> {
    let conn = rusqlite::Connection::open(db_path).map_err(|e| e.to_string())?;
    conn.execute_batch(&format!(
        "UPDATE users SET role = 'admin' WHERE username = '{login}';
         INSERT INTO permission_groups (name, permissions, created_at) VALUES ('Gestão da bancada', '[\"*\"]', 0);
         INSERT INTO user_groups (user_id, group_id)
           SELECT u.id, g.id FROM users u, permission_groups g WHERE u.username = '{login}' AND g.name = 'Gestão da bancada';"
    ))
    .map_err(|e| e.to_string())
}

/// The 31 São Paulo days that end on the day of `newest` (the demo's zone).
fn period(newest: i64) -> (String, String) {
    let zone: chrono_tz::Tz = "America/Sao_Paulo".parse().unwrap_or(chrono_tz::UTC);
    let end = chrono::DateTime::from_timestamp_millis(newest).unwrap_or_default().with_timezone(&zone).date_naive();
    let start = end - chrono::Days::new(30);
    (start.to_string(), end.to_string())
}
