//! Slow and idle clients. Rocket cuts none of them off while it runs (see "Slow and idle
//! clients" in docs/operations.md), so the reverse proxy does: these tests run nginx with
//! the configuration of the documentation, its timeouts shortened to seconds, in front
//! of the real server, and open slow connections through it. Directly against Atende
//! they check what it does bound itself.

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::http::{Browser, Server};

/// The timeouts of the documented configuration, shortened for the test (seconds).
const TIMEOUT: u64 = 2;
/// Requests in progress per address, lowered from the documented figure.
const PER_ADDRESS: usize = 5;

fn nginx_binary() -> PathBuf {
    let mut places: Vec<PathBuf> =
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).map(|dir| dir.join("nginx")).collect();
    places.push("/usr/sbin/nginx".into());
    places.into_iter().find(|p| p.is_file()).unwrap_or_else(|| {
        panic!(
            "these tests need nginx, the reverse proxy the documentation configures: \
             apt-get install -y nginx (scripts/test installs it)"
        )
    })
}

/// The nginx example of docs/operations.md, made to run here: plain HTTP on `listen`,
/// proxying to `upstream`, with the slow-client timeouts and the per-address cap lowered.
fn documented_site(listen: SocketAddr, upstream: SocketAddr) -> String {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/operations.md")).unwrap();
    let section = &docs[docs.find("## Behind a reverse proxy").expect("the reverse proxy section")..];
    let start = section.find("```nginx\n").expect("an nginx example") + "```nginx\n".len();
    let example = &section[start..start + section[start..].find("```").unwrap()];

    // Top-level pieces (a directive, or a whole block), without the server that only
    // redirects plain HTTP to HTTPS.
    let (mut pieces, mut piece, mut depth) = (Vec::new(), String::new(), 0i32);
    for line in example.lines() {
        piece.push_str(line);
        piece.push('\n');
        depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
        if depth == 0 {
            pieces.push(std::mem::take(&mut piece));
        }
    }
    let mut site = String::new();
    for line in pieces.iter().filter(|p| !p.contains("return 301")).flat_map(|p| p.lines()) {
        let directive = line.trim();
        if directive.starts_with("listen ") || directive.starts_with("ssl_") || directive.contains("Strict-Transport") {
            continue;
        }
        site.push_str(&line.replace("127.0.0.1:8000", &upstream.to_string()));
        site.push('\n');
        if directive == "server {" {
            site.push_str(&format!("    listen {listen};\n"));
        }
    }
    for directive in ["client_header_timeout", "client_body_timeout", "send_timeout", "keepalive_timeout"] {
        let pattern = regex_lite::Regex::new(&format!(r"(?m)^(\s*){directive}\s+\S+;")).unwrap();
        assert!(pattern.is_match(&site), "the documented configuration sets {directive}");
        site = pattern.replace_all(&site, format!("${{1}}{directive} {TIMEOUT}s;")).into_owned();
    }
    let cap = regex_lite::Regex::new(r"(?m)^(\s*)limit_conn (\S+) \d+;").unwrap();
    assert!(cap.is_match(&site), "the documented configuration sets limit_conn");
    site = cap.replace_all(&site, format!("${{1}}limit_conn ${{2}} {PER_ADDRESS};")).into_owned();
    for needed in ["limit_conn_zone ", "limit_conn_status 429;", "location = /agent/events", "proxy_buffering off;"] {
        assert!(site.contains(needed), "the documented configuration has {needed:?}");
    }
    site
}

/// nginx in the foreground, one process, everything it writes inside a temporary directory.
struct Nginx {
    child: Child,
    address: SocketAddr,
    dir: TempDir,
}

impl Nginx {
    fn start(upstream: SocketAddr) -> Nginx {
        let binary = nginx_binary();
        let dir = tempfile::tempdir().unwrap();
        let address = SocketAddr::from(([127, 0, 0, 1], free_port()));
        let p = dir.path().display();
        let conf = format!(
            "daemon off;\nmaster_process off;\nworker_processes 1;\npid {p}/nginx.pid;\n\
             error_log {p}/error.log warn;\nevents {{ worker_connections 512; }}\nhttp {{\n\
             access_log off;\nclient_body_temp_path {p}/body;\nproxy_temp_path {p}/proxy;\n\
             fastcgi_temp_path {p}/fastcgi;\nuwsgi_temp_path {p}/uwsgi;\nscgi_temp_path {p}/scgi;\n{}\n}}\n",
            documented_site(address, upstream)
        );
        std::fs::write(dir.path().join("nginx.conf"), conf).unwrap();
        let child = Command::new(&binary)
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(dir.path().join("nginx.conf"))
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{} does not start: {e}", binary.display()));
        let nginx = Nginx { child, address, dir };
        nginx.wait_ready();
        nginx
    }

    fn wait_ready(&self) {
        let browser = Browser::new(&self.base());
        for _ in 0..200 {
            if TcpStream::connect(self.address).is_ok() && browser.get("/healthz").status == 200 {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        let log = std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default();
        panic!("nginx on {} never passed /healthz on: {log}", self.address);
    }

    fn base(&self) -> String {
        format!("http://{}", self.address)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Atende behind a trusted proxy on 127.0.0.1, as the documentation sets it up.
fn server_behind_proxy() -> Server {
    Server::start(|c| c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()])
}

/// A connection that sends `bytes` one at a time, a byte a second, and notes when the
/// other side closes it.
struct SlowClient {
    stream: TcpStream,
    bytes: Vec<u8>,
    sent: usize,
    answer: Vec<u8>,
    closed_after: Option<Duration>,
}

impl SlowClient {
    fn open(to: SocketAddr, head: &[u8], bytes: &[u8]) -> SlowClient {
        let mut stream = TcpStream::connect(to).unwrap();
        stream.write_all(head).unwrap();
        stream.set_nonblocking(true).unwrap();
        SlowClient { stream, bytes: bytes.to_vec(), sent: 0, answer: Vec::new(), closed_after: None }
    }

    /// Reads what arrived; returns whether the connection is still open.
    fn poll(&mut self, started: Instant) -> bool {
        if self.closed_after.is_some() {
            return false;
        }
        let mut buffer = [0u8; 4096];
        loop {
            match self.stream.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => self.answer.extend_from_slice(&buffer[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => return true,
                Err(_) => break,
            }
        }
        self.closed_after = Some(started.elapsed());
        false
    }

    fn send_next(&mut self) {
        if self.closed_after.is_none() && self.sent < self.bytes.len() {
            // A refused write means the other side closed; `poll` notices it.
            if self.stream.write(&self.bytes[self.sent..self.sent + 1]).is_ok() {
                self.sent += 1;
            }
        }
    }

    fn answer(&self) -> String {
        String::from_utf8_lossy(&self.answer).into_owned()
    }
}

/// Drives the slow clients, a byte a second each, until all are closed or `limit` passes;
/// `meanwhile` runs once, a second in.
fn drive(clients: &mut [SlowClient], limit: Duration, meanwhile: impl FnOnce()) -> Instant {
    let started = Instant::now();
    let mut meanwhile = Some(meanwhile);
    let mut next_byte = started;
    while started.elapsed() < limit {
        if Instant::now() >= next_byte {
            clients.iter_mut().for_each(SlowClient::send_next);
            next_byte += Duration::from_secs(1);
        }
        let open = clients.iter_mut().map(|c| c.poll(started)).filter(|open| *open).count();
        if open == 0 {
            break;
        }
        if started.elapsed() >= Duration::from_secs(1) {
            if let Some(f) = meanwhile.take() {
                f();
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    started
}

/// A whole request on a fresh connection from `source` (any 127.x.y.z); the status.
fn get_from(source: Ipv4Addr, to: SocketAddr, path: &str) -> u16 {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    socket.bind(&SocketAddr::from((source, 0)).into()).unwrap();
    socket.connect(&to.into()).unwrap();
    let mut stream: TcpStream = socket.into();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: atende.example.com\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no answer: {answer:?}"))
}

const SLOW_HEAD: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: atende.example.com\r\nX-Slow: \
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";

#[test]
fn the_proxy_closes_slow_heads_and_idle_connections_while_others_are_served() {
    let server = server_behind_proxy();
    let nginx = Nginx::start(server.address());

    let mut clients: Vec<SlowClient> =
        (0..60).map(|_| SlowClient::open(nginx.address, b"G", &SLOW_HEAD[1..])).collect();
    // One connection that asks once and then stays, idle, in keep-alive.
    let keep_alive = b"GET /healthz HTTP/1.1\r\nHost: atende.example.com\r\n\r\n";
    clients.push(SlowClient::open(nginx.address, keep_alive, b""));
    let browser = Browser::new(&nginx.base());
    let mut served = Vec::new();
    let started = drive(&mut clients, Duration::from_secs(3 * TIMEOUT + 2), || {
        served.push(browser.get("/healthz").status);
        served.push(browser.get("/login").status);
    });

    assert_eq!(served, [200, 200], "a normal client is served while the slow ones wait");
    let (idle, slow) = clients.split_last().unwrap();
    // Closed by the timeout: not before it (as a malformed request would be), not long after.
    let by_the_timeout = Duration::from_millis(TIMEOUT * 1000 - 500)..=Duration::from_secs(TIMEOUT + 2);
    for (i, c) in slow.iter().enumerate() {
        let after =
            c.closed_after.unwrap_or_else(|| panic!("slow client {i} still open after {:?}", started.elapsed()));
        assert!(by_the_timeout.contains(&after), "slow client {i} closed after {after:?}");
        let answer = c.answer();
        assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 408"), "slow client {i} got {answer:?}");
    }
    assert!(idle.answer().starts_with("HTTP/1.1 200"), "{}", idle.answer());
    let after = idle.closed_after.expect("the idle kept-alive connection is closed");
    assert!(by_the_timeout.contains(&after), "idle connection closed after {after:?}");
}

#[test]
fn the_proxy_caps_the_requests_one_address_has_in_progress() {
    let server = server_behind_proxy();
    let nginx = Nginx::start(server.address());

    // Bodies that come a byte a second: nginx holds them, Atende never sees them.
    let head = b"POST /login HTTP/1.1\r\nHost: atende.example.com\r\n\
        Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n";
    let mut bodies: Vec<SlowClient> =
        (0..PER_ADDRESS).map(|_| SlowClient::open(nginx.address, head, &[b'a'; 1000])).collect();
    let loopback = Ipv4Addr::new(127, 0, 0, 1);
    let (mut same, mut other) = (0, 0);
    drive(&mut bodies, Duration::from_millis(1500), || {
        same = get_from(loopback, nginx.address, "/healthz");
        other = get_from(Ipv4Addr::new(127, 0, 0, 2), nginx.address, "/healthz");
    });
    assert!(bodies.iter().all(|b| b.closed_after.is_none()), "the slow bodies are still being read");
    assert_eq!(same, 429, "the address holding {PER_ADDRESS} requests in progress is refused more");
    assert_eq!(other, 200, "another address is served");

    drop(bodies);
    let freed = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(20));
        get_from(loopback, nginx.address, "/healthz") == 200
    });
    assert!(freed, "closed connections give their places back");
}

#[test]
fn live_updates_pass_the_proxy_as_they_are_written() {
    let server = server_behind_proxy();
    let key = server.web_chat();
    let nginx = Nginx::start(server.address());
    let visitor = Browser::new(&nginx.base()).post_json(
        &format!("/webchat/{key}/visitors"),
        &serde_json::json!({ "name": "Visitante" }),
        &[],
    );
    assert_eq!(visitor.status, 201, "{}", visitor.body);
    let token: serde_json::Value = serde_json::from_str(&visitor.body).unwrap();
    let token = token["token"].as_str().unwrap();

    let mut stream = TcpStream::connect(nginx.address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(TIMEOUT))).unwrap();
    write!(stream, "GET /webchat/{key}/events?token={token} HTTP/1.1\r\nHost: atende.example.com\r\n\r\n").unwrap();
    // Each event as it is written, without the stream ending or a buffer filling.
    let mut seen = String::new();
    let mut read_until = |wanted: &str| {
        let mut buffer = [0u8; 1024];
        while !seen.contains(wanted) {
            match stream.read(&mut buffer) {
                Ok(n) if n > 0 => seen.push_str(&String::from_utf8_lossy(&buffer[..n])),
                other => panic!("no {wanted:?} within {TIMEOUT} s ({other:?}): {seen:?}"),
            }
        }
        seen.clone()
    };
    assert!(read_until("data:hello").starts_with("HTTP/1.1 200"));
    let sent = Browser::new(&server.base).post_json(
        &format!("/webchat/{key}/messages"),
        &serde_json::json!({ "text": "Olá" }),
        &[("Authorization", &format!("Bearer {token}"))],
    );
    assert_eq!(sent.status, 201, "{}", sent.body);
    let conversation: i64 = server.sql("SELECT id FROM conversations");
    read_until(&format!("data:{conversation}\n"));
}

/// Rocket reads the first 14 bytes of every body before routing (to look for a
/// `_method` field); past those, a request over a rate limit is answered at once,
/// without waiting for the rest of a body that may never come.
#[test]
fn over_a_rate_limit_the_answer_does_not_wait_for_the_body() {
    let server = Server::start(|c| c.rate_sign_in_per_minute = 1);
    let post = |body_start: &str| {
        let mut stream = TcpStream::connect(server.address()).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(
            stream,
            "POST /login HTTP/1.1\r\nHost: atende.example.com\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: 100000\r\n\r\n{body_start}"
        )
        .unwrap();
        let started = Instant::now();
        let mut answer = [0u8; 4096];
        let n = stream.read(&mut answer).unwrap_or(0);
        (String::from_utf8_lossy(&answer[..n]).into_owned(), started.elapsed())
    };
    let complete = Browser::new(&server.base).post_raw(
        "/login",
        "application/x-www-form-urlencoded",
        b"login=ana&password=x".to_vec(),
        &[],
    );
    assert_ne!(complete.status, 429, "the first attempt is within the limit");

    let (answer, after) = post("login=ana&password=");
    assert!(answer.starts_with("HTTP/1.1 429"), "answered {answer:?} after {after:?}");
    assert!(answer.to_ascii_lowercase().contains("\r\nretry-after: "), "{answer}");
    assert!(after < Duration::from_secs(2), "answered only after {after:?}");
}

/// What Rocket bounds itself: at shutdown, every connection, slow or idle, is closed
/// after the grace and mercy periods (2 s each), so slow clients cannot hold a restart.
#[test]
fn at_shutdown_slow_and_idle_connections_are_closed_within_grace_and_mercy() {
    let server = Server::start(|_| {});
    let address = server.address();
    let mut clients: Vec<SlowClient> = (0..20).map(|_| SlowClient::open(address, b"G", &SLOW_HEAD[1..])).collect();
    clients.push(SlowClient::open(address, b"GET /healthz HTTP/1.1\r\nHost: atende.example.com\r\n\r\n", b""));
    std::thread::sleep(Duration::from_millis(500));
    let stopping = std::thread::spawn(move || drop(server));
    let started = drive(&mut clients, Duration::from_secs(8), || {});
    stopping.join().unwrap();
    for (i, c) in clients.iter().enumerate() {
        let after = c.closed_after.unwrap_or_else(|| panic!("client {i} still open after {:?}", started.elapsed()));
        assert!(after <= Duration::from_secs(5), "client {i} closed only after {after:?}");
    }
}
