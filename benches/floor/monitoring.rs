//! Part 8: "Monitoramento" with 200 agents and 2,000 open conversations (1,500 held by
//! agents, 500 waiting), watched by 10 supervisors on `/admin/monitoring/events`. A web
//! chat visitor writes; each supervisor's page hears `change` and fetches its sections
//! again, as `monitoring.js` does. Timed from the visitor's POST to each viewer's event
//! and to each viewer's sections read whole, in rounds without and with gzip; the
//! bytes of one update and the server's CPU per event (all 10 fetches included).

use std::net::SocketAddr;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::client::{json_field, Http, Note, Stream};
use super::common::floor_data::{fill_floor, prepare_floor, FloorSize};
use super::common::{ms, temp_dir, Server};
use super::events::{percentiles as line, sign_in_all};
use super::throughput::post_message;

const AGENTS: usize = 200;
const VIEWERS: usize = 10;
const ROUNDS: usize = 15;
/// The stream folds changes into one notice a second: a round waits past it.
const BETWEEN: Duration = Duration::from_millis(1_300);
const WAIT: Duration = Duration::from_secs(5);
const FLOOR: FloorSize =
    FloorSize { mine_active: 0, mine_pending: 0, colleagues_active: 1_500, waiting: 500, closed: 0, messages_each: 3 };

/// What one viewer saw of one round.
struct Seen {
    event: Duration,
    updated: Duration,
    bytes: usize,
}

pub fn run(binary: &Path) -> Result<(), String> {
    println!("\n[8] monitoring ({AGENTS} agents, {} open conversations, {VIEWERS} supervisors)", FLOOR.open());
    let dir = temp_dir()?;
    prepare_floor(binary, dir.path(), AGENTS)?;
    let db_path = dir.path().join("data").join("atende.db");
    fill_floor(&db_path, &FLOOR)?;
    // The demo's administrator signs in with the bench agents' password.
    let conn = rusqlite::Connection::open(&db_path).map_err(|e| e.to_string())?;
    conn.execute(
        "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE username = 'floorbench0')
         WHERE username = 'admin'",
        [],
    )
    .map_err(|e| e.to_string())?;
    drop(conn);
    let server = Server::start(binary, dir.path(), "serve")?;
    let cookies = sign_in_all(server.addr, &vec!["admin".to_string(); VIEWERS])?;

    let mut http = Http::new(server.addr);
    http.sign_in("admin")?;
    let (times, size) = http.time_gets("/admin/monitoring", 10)?;
    line(&format!("GET /admin/monitoring ({} KB)", size / 1000), &times);
    let plain = sections(&mut http, false)?.1;
    let packed = sections(&mut http, true)?.1;
    println!(
        "  one update, GET /admin/monitoring/sections: {:.1} KB, {:.1} KB gzipped",
        plain as f64 / 1000.0,
        packed as f64 / 1000.0
    );

    let reply = http.send(
        "POST",
        "/webchat/demo/visitors",
        &[("Content-Type", "application/json")],
        br#"{"name":"Visitante Monitoramento","email":"monitor@exemplo.com.br"}"#,
    )?;
    let auth = format!("Bearer {}", json_field(&reply.text(), "token").ok_or("no visitor token")?);
    let viewers = Viewers::start(server.addr, &cookies)?;
    for gzip in [false, true] {
        let cpu = server.cpu_time()?;
        let (mut event, mut updated, mut missed, mut bytes) = (vec![], vec![], 0, 0);
        for round in 0..ROUNDS {
            std::thread::sleep(BETWEEN);
            let sent = Instant::now();
            let reply = post_message(&mut http, &auth, &format!("mon{gzip}-{round}"))?;
            if reply.status != 201 {
                return Err(format!("the visitor's message answered {}", reply.status));
            }
            for seen in viewers.round(sent, gzip)? {
                match seen {
                    Some(s) => {
                        event.push(s.event);
                        updated.push(s.updated);
                        bytes = s.bytes;
                    }
                    None => missed += 1,
                }
            }
        }
        let cpu = server.cpu_time()?.saturating_sub(cpu);
        println!(
            "  {} — {ROUNDS} messages × {VIEWERS} viewers, {missed} updates missing after {}s; {:.1} KB per update; \
             server CPU {:.1} ms per message{}",
            if gzip { "gzip" } else { "plain" },
            WAIT.as_secs(),
            bytes as f64 / 1000.0,
            ms(cpu) / ROUNDS as f64,
            server.log_errors()
        );
        line("POST sent → a viewer's event", &event);
        line("POST sent → a viewer's sections read", &updated);
    }
    drop(server);
    viewers.join();
    Ok(())
}

/// `GET /admin/monitoring/sections` as the page's script fetches it, with gzip if asked
/// (our own origin says so); its time and bytes on the wire.
fn sections(http: &mut Http, gzip: bool) -> Result<(Duration, usize), String> {
    let mut headers = vec![("HX-Request", "true"), ("Sec-Fetch-Site", "same-origin")];
    if gzip {
        headers.push(("Accept-Encoding", "gzip"));
    }
    let sent = Instant::now();
    let reply = http.send("GET", "/admin/monitoring/sections", &headers, b"")?;
    if reply.status != 200 {
        return Err(format!("GET /admin/monitoring/sections answered {}", reply.status));
    }
    Ok((sent.elapsed(), reply.body.len()))
}

/// Ten supervisors, each on its own thread with its own stream and client: told when a
/// round's message was sent, each waits for its `change`, fetches, and says what it saw.
struct Viewers {
    rounds: Vec<mpsc::Sender<(Instant, bool)>>,
    seen: mpsc::Receiver<Option<Seen>>,
    threads: Vec<std::thread::JoinHandle<()>>,
    streams: Vec<Stream>,
}

impl Viewers {
    fn start(addr: SocketAddr, cookies: &[String]) -> Result<Viewers, String> {
        let (seen_tx, seen) = mpsc::channel();
        let (mut rounds, mut threads, mut streams) = (vec![], vec![], vec![]);
        for (i, cookie) in cookies.iter().enumerate() {
            let (notes_tx, notes) = mpsc::channel::<Note>();
            streams.push(Stream::open_at(addr, "/admin/monitoring/events", cookie, i, notes_tx)?);
            let (round_tx, round) = mpsc::channel::<(Instant, bool)>();
            rounds.push(round_tx);
            let (seen_tx, cookie) = (seen_tx.clone(), cookie.clone());
            threads.push(std::thread::spawn(move || {
                let mut http = Http::new(addr);
                http.set_cookies(&cookie);
                while let Ok((sent, gzip)) = round.recv() {
                    let heard = loop {
                        match notes.recv_timeout(WAIT) {
                            Ok(note) if note.at >= sent => break Some(note.at),
                            Ok(_) => continue,
                            Err(_) => break None,
                        }
                    };
                    let seen = heard.and_then(|at| {
                        let (_, bytes) = sections(&mut http, gzip).ok()?;
                        Some(Seen { event: at - sent, updated: sent.elapsed(), bytes })
                    });
                    if seen_tx.send(seen).is_err() {
                        break;
                    }
                }
            }));
        }
        Ok(Viewers { rounds, seen, threads, streams })
    }

    fn round(&self, sent: Instant, gzip: bool) -> Result<Vec<Option<Seen>>, String> {
        for r in &self.rounds {
            r.send((sent, gzip)).map_err(|_| "a viewer stopped")?;
        }
        (0..self.rounds.len()).map(|_| self.seen.recv().map_err(|_| "a viewer stopped".to_string())).collect()
    }

    fn join(self) {
        drop(self.rounds);
        for t in self.threads {
            let _ = t.join();
        }
        for s in self.streams {
            s.join();
        }
    }
}
