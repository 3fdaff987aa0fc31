//! The real binary killed with SIGKILL while a channel's messages stream in, then
//! started again on the same data directory: nothing is lost and nothing is stored
//! twice — Telegram by the offset stored with each message, WhatsApp by Meta's retries
//! of every webhook not answered 200 and the wamid that makes a second delivery a no-op,
//! the web chat by the widget's retries and the client id of each message. Killed while
//! the outbox sends, every queued reply goes, and only the one in flight goes twice.
//! SQLite finds the file intact after every kill. A second server on a data directory
//! that one serves stops at once; once the first is killed, a new one starts.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

use atende::db::now_ms;
use serde_json::json;

use crate::common::{App, PASSWORD};
use crate::fake_graph::FakeGraph;
use crate::fake_telegram::{text_update, FakeTelegram};
use crate::outbox::queue;
use crate::whatsapp::{settings, sign, text, whatsapp_channel, APP_SECRET, KEY};
use crate::workspace::team;

/// `atende serve` as its own process on a data directory.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(data_dir: &Path) -> Server {
        Server::start_with(data_dir, "normal")
    }

    /// `start` with the durability setting (`ATENDE_SYNCHRONOUS`).
    fn start_with(data_dir: &Path, synchronous: &str) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(env!("CARGO_BIN_EXE_atende"))
            .arg("serve")
            .env("ATENDE_DATA_DIR", data_dir)
            .env("ATENDE_PORT", port.to_string())
            .env("ATENDE_LOG", "warn")
            .env("ATENDE_SYNCHRONOUS", synchronous)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting atende");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "atende did not start listening");
            std::thread::sleep(Duration::from_millis(50));
        }
        Server { child, port }
    }

    /// SIGKILL: no shutdown, no flush, no last transaction.
    fn kill(mut self) {
        self.child.kill().expect("killing atende");
        self.child.wait().expect("reaping atende");
    }
}

/// `atende serve` on `data_dir` and a port of its own, run to its end (bounded: a
/// server that stays up fails the test).
fn serve_to_the_end(data_dir: &Path) -> std::process::Output {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_atende"))
        .arg("serve")
        .env("ATENDE_DATA_DIR", data_dir)
        .env("ATENDE_PORT", port.to_string())
        .env("ATENDE_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting atende");
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("a second server started on the same data directory");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const INBOUND: &str = "SELECT count(*) FROM messages WHERE direction = 'in'";

fn count(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("opening the database");
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).expect(sql)
}

/// Waits (bounded) until `sql` counts at least `n`.
fn until_at_least(db: &Path, sql: &str, n: i64) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while count(db, sql) < n {
        assert!(Instant::now() < deadline, "never reached {n}: {sql} = {}", count(db, sql));
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// SQLite's own check of the whole file: no torn page, no broken index.
fn assert_intact(db: &Path) {
    let conn = rusqlite::Connection::open(db).expect("opening the database");
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    let verdict: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check");
    assert_eq!(verdict, "ok", "the database after the kill");
}

/// How many senders post at once, as Meta's or several visitors' do.
const SENDERS: usize = 4;

fn client() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .new_agent()
}

/// Calls `post` until it says the message was taken, as a sender that retries does
/// (bounded, so a test that cannot pass ends).
fn until_taken(what: &str, mut post: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !post() {
        assert!(Instant::now() < deadline, "{what} was never taken");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `SENDERS` threads run `send(worker, port)`, each posting its share to the server on
/// `port`; the server is killed once `kill_at` of the `total` messages are stored and
/// started again on another port, which the senders then post to. The second server,
/// once every sender is done.
fn killed_while_senders_post(
    dir: &Path,
    synchronous: &str,
    (kill_at, total): (i64, i64),
    send: impl Fn(usize, &AtomicU16) + Sync,
) -> Server {
    let db = dir.join("atende.db");
    let first = Server::start_with(dir, synchronous);
    let port = AtomicU16::new(first.port);
    std::thread::scope(|s| {
        let senders: Vec<_> = (0..SENDERS)
            .map(|worker| {
                let (send, port) = (&send, &port);
                s.spawn(move || send(worker, port))
            })
            .collect();
        until_at_least(&db, INBOUND, kill_at);
        first.kill();
        let stored_before = count(&db, INBOUND);
        assert!(stored_before < total, "the kill came after everything was stored; the test proves nothing");
        let second = Server::start_with(dir, synchronous);
        port.store(second.port, Ordering::SeqCst);
        for sender in senders {
            sender.join().expect("a sender");
        }
        second
    })
}

fn inbound_bodies(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn.prepare("SELECT body FROM messages WHERE direction = 'in' ORDER BY body").unwrap();
    let rows = stmt.query_map([], |r| r.get(0)).unwrap();
    rows.collect::<rusqlite::Result<Vec<String>>>().unwrap()
}

fn expected(count: usize) -> Vec<String> {
    let mut all: Vec<String> = (0..count).map(|n| format!("mensagem {n:03}")).collect();
    all.sort();
    all
}

#[rocket::async_test]
async fn telegram_killed_mid_stream_loses_and_repeats_no_update() {
    let fake = FakeTelegram::start();
    let app = App::without_jobs().await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    crate::telegram::channel(&app, &fake, &[ana]);
    let dir = app.stop().await;
    let db = dir.path().join("atende.db");

    let server = Server::start(dir.path());
    for n in 0..120 {
        fake.push(text_update(5000 + n, 7_100_000_000 + n % 7, &format!("mensagem {n:03}")));
    }
    // Killed while the poller is in the middle of the stream.
    until_at_least(&db, INBOUND, 20);
    server.kill();
    let stored_before = count(&db, INBOUND);
    assert!(stored_before < 120, "the kill came after everything was stored; the test proves nothing");

    let _server = Server::start(dir.path());
    until_at_least(&db, INBOUND, 120);
    fake.wait_until("every update confirmed", |f| f.confirmed() == 5000 + 119 + 1);
    assert_eq!(inbound_bodies(&db), expected(120), "each update stored exactly once");
    assert_eq!(count(&db, "SELECT count(*) FROM contacts"), 7);
    assert_eq!(count(&db, "SELECT count(*) FROM conversations"), 7);
    let cursor = count(&db, "SELECT CAST(value AS INTEGER) FROM channel_cursors");
    assert_eq!(cursor, 5000 + 119 + 1);
    assert_intact(&db);
}

/// Posts one signed webhook; `true` when Atende answered 200 (Meta's "delivered").
fn post(agent: &ureq::Agent, port: u16, body: &[u8]) -> bool {
    let url = format!("http://127.0.0.1:{port}/webhooks/whatsapp/{KEY}");
    let answer = agent
        .post(&url)
        .header("Content-Type", "application/json")
        .header("X-Hub-Signature-256", &sign(APP_SECRET, body))
        .send(body);
    matches!(answer, Ok(r) if r.status() == 200)
}

#[rocket::async_test]
async fn whatsapp_killed_mid_stream_loses_and_repeats_nothing_through_metas_retries() {
    whatsapp_killed_mid_stream("normal").await;
}

/// The same with every commit on disk before the answer (the writer's group commit).
#[rocket::async_test]
async fn whatsapp_killed_mid_stream_with_synchronous_full() {
    whatsapp_killed_mid_stream("full").await;
}

async fn whatsapp_killed_mid_stream(synchronous: &str) {
    let graph = FakeGraph::start();
    let app = App::without_jobs().await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    let shop = team(&app, "Loja", "manual", &[ana]);
    whatsapp_channel(app.db(), settings(&graph.base), shop);
    let dir = app.stop().await;
    let db = dir.path().join("atende.db");
    let bodies: Vec<Vec<u8>> = (0..120)
        .map(|n| text(&format!("55119{:08}", 20_000_000 + n % 7), &format!("wamid.k.{n}"), &format!("mensagem {n:03}")))
        .collect();

    // Meta's senders retry each webhook until it is answered 200.
    let send = |worker: usize, port: &AtomicU16| {
        let agent = client();
        for body in bodies.iter().skip(worker).step_by(SENDERS) {
            until_taken("a webhook", || post(&agent, port.load(Ordering::SeqCst), body));
        }
    };
    let second = killed_while_senders_post(dir.path(), synchronous, (30, 120), send);
    // Meta also delivers again what was already answered: stored once all the same.
    let agent = client();
    for body in bodies.iter().take(10) {
        assert!(post(&agent, second.port, body), "a re-delivery is answered 200");
    }
    assert_eq!(inbound_bodies(&db), expected(120), "each message stored exactly once");
    assert_eq!(count(&db, "SELECT count(DISTINCT external_id) FROM messages WHERE direction = 'in'"), 120);
    assert_eq!(count(&db, "SELECT count(*) FROM contacts"), 7);
    assert_eq!(count(&db, "SELECT count(*) FROM conversations"), 7);
    assert_intact(&db);
}

#[rocket::async_test]
async fn email_killed_mid_fetch_loses_and_repeats_no_mail() {
    let dovecot = crate::email_channel::Dovecot::start();
    let smtp = crate::fake_smtp::FakeSmtp::start();
    let mails: Vec<String> = (0..60)
        .map(|n| {
            let from = format!("cliente{}@cliente.test", n % 5);
            crate::email_channel::mail(
                &from,
                &format!("Pedido {n}"),
                &format!("k{n}@cliente.test"),
                &format!("mensagem {n:03}"),
            )
        })
        .collect();
    dovecot.deliver(&mails);
    let app = App::without_jobs().await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    crate::email_channel::setup(&app, dovecot.port, smtp.port, ana);
    let dir = app.stop().await;
    let db = dir.path().join("atende.db");

    let server = Server::start(dir.path());
    until_at_least(&db, INBOUND, 10);
    server.kill();
    let stored_before = count(&db, INBOUND);
    assert!(stored_before < 60, "the kill came after everything was stored; the test proves nothing");

    let _server = Server::start(dir.path());
    until_at_least(&db, INBOUND, 60);
    assert_eq!(inbound_bodies(&db), expected(60), "each mail stored exactly once");
    assert_eq!(count(&db, "SELECT count(DISTINCT external_id) FROM messages WHERE direction = 'in'"), 60);
    assert_intact(&db);
}

/// Posts one widget message as the widget does, with its client id: the answer's
/// status, `None` when no answer came.
fn post_widget(agent: &ureq::Agent, port: u16, key: &str, token: &str, n: usize) -> Option<u16> {
    let url = format!("http://127.0.0.1:{port}/webchat/{key}/messages");
    let body = json!({"text": format!("mensagem {n:03}"), "client_id": format!("c{n}")}).to_string();
    let answer = agent
        .post(&url)
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .send(body.as_bytes());
    answer.ok().map(|r| r.status().as_u16())
}

/// Whether the widget stops retrying: stored (201) or stored before (200). A 429 (the
/// visitor's rate limit), a 5xx and no answer are retried; anything else is a fault.
fn widget_done(answer: Option<u16>, n: usize) -> bool {
    match answer {
        Some(200 | 201) => true,
        Some(429 | 500..=599) | None => false,
        Some(status) => panic!("message {n} answered {status}"),
    }
}

#[rocket::async_test]
async fn web_chat_killed_mid_stream_stores_each_widget_message_once() {
    let (app, key, _, _) = crate::webchat::setup(&[]).await;
    let mut tokens = Vec::new();
    for v in 0..SENDERS {
        tokens.push(crate::webchat::visitor(&app, &key, &format!("Visitante {v}")).await);
    }
    let dir = app.stop().await;
    let db = dir.path().join("atende.db");

    // A visitor each, 30 messages apiece: within a visitor's 60 a minute, retries too.
    let send = |worker: usize, port: &AtomicU16| {
        let agent = client();
        for n in (worker..120).step_by(SENDERS) {
            let post = || post_widget(&agent, port.load(Ordering::SeqCst), &key, &tokens[worker], n);
            until_taken("a widget message", || widget_done(post(), n));
        }
    };
    let server = killed_while_senders_post(dir.path(), "normal", (30, 120), send);
    // A widget that never heard its answer sends again: known, stored once all the same.
    let agent = client();
    for n in 0..10 {
        assert_eq!(post_widget(&agent, server.port, &key, &tokens[n % SENDERS], n), Some(200), "message {n} again");
    }
    assert_eq!(inbound_bodies(&db), expected(120), "each message stored exactly once");
    assert_eq!(count(&db, "SELECT count(DISTINCT external_id) FROM messages WHERE direction = 'in'"), 120);
    assert_eq!(count(&db, "SELECT count(*) FROM contacts"), SENDERS as i64);
    assert_eq!(count(&db, "SELECT count(*) FROM conversations"), SENDERS as i64);
    assert_intact(&db);
}

/// The reply the fake Bot API takes and leaves unanswered until the server is killed.
const IN_FLIGHT: &str = "resposta 19";

/// Every outbound text the database holds, sorted; `extra` once more.
fn outbound_texts_and(db: &Path, extra: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn.prepare("SELECT body FROM messages WHERE direction = 'out'").unwrap();
    let rows = stmt.query_map([], |r| r.get(0)).unwrap();
    let mut texts = rows.collect::<rusqlite::Result<Vec<String>>>().unwrap();
    texts.push(extra.into());
    texts.sort();
    texts
}

#[rocket::async_test]
async fn outbox_killed_mid_send_sends_every_reply_and_only_the_one_in_flight_twice() {
    let fake = FakeTelegram::start();
    let app = App::without_jobs().await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    let channel = crate::telegram::channel(&app, &fake, &[ana]);
    // A send waits for its answer longer than the test holds it; the bot's send limits
    // (a chat's message a second) are off so that 60 replies go in moments.
    app.exec(&format!(
        "UPDATE channels SET config = json_set(config, '$.request_timeout_seconds', 30, '$.send_limits', json('false'))
         WHERE id = {channel}"
    ));
    let mut chats = Vec::new();
    for chat in 0..3 {
        chats.push(crate::workspace::inbound(&app, channel, &(7_200_000_000_i64 + chat).to_string(), "Oi").await);
    }
    for n in 0..60 {
        queue(&app, chats[n % 3], channel, &format!("resposta {n:02}"));
    }
    fake.hold_send(IN_FLIGHT);
    let dir = app.stop().await;
    let db = dir.path().join("atende.db");

    let server = Server::start(dir.path());
    fake.wait_until("the send held in flight", FakeTelegram::holding);
    server.kill();
    fake.let_go();
    let unsent = count(&db, "SELECT count(*) FROM messages WHERE direction = 'out' AND status <> 'sent'");
    assert!(unsent > 1, "the kill came after everything was sent; the test proves nothing");
    let lease = count(
        &db,
        &format!("SELECT leased_until FROM outbox JOIN messages m ON m.id = message_id WHERE m.body = '{IN_FLIGHT}'"),
    );
    assert!(lease > now_ms() + 60_000, "the dead process's claim still holds the message in flight");

    // Long before that claim would run out (within `until_at_least`'s 30 s), all is sent.
    let _server = Server::start(dir.path());
    let outbound = count(&db, "SELECT count(*) FROM messages WHERE direction = 'out'");
    until_at_least(&db, "SELECT count(*) FROM messages WHERE direction = 'out' AND status = 'sent'", outbound);
    assert_eq!(count(&db, "SELECT count(*) FROM outbox"), 0);
    // Telegram took the one in flight before the kill, and again after it: the send
    // call has no idempotency key to tell it the second was the same message.
    let mut taken: Vec<String> = fake.taken().into_iter().map(|t| t.text).collect();
    taken.sort();
    assert_eq!(taken, outbound_texts_and(&db, IN_FLIGHT), "each reply once, the one in flight twice");
    assert_intact(&db);
}

#[test]
fn a_second_server_on_the_data_directory_stops_at_once_and_the_shell_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let first = Server::start(dir.path());

    let second = serve_to_the_end(dir.path());
    assert!(!second.status.success());
    let err = String::from_utf8_lossy(&second.stderr);
    let says = format!("another Atende is already running on the data directory {}", dir.path().display());
    assert!(err.contains(&says) && err.lines().count() == 1, "{err}");
    assert!(err.contains(&format!("(pid {})", first.child.id())), "{err}");

    // The shell's commands take no lock: they work beside the server.
    let args = ["user", "add", "--agent", "--email", "ana@empresa.test", "--name", "Ana", "--password-stdin"];
    let added = crate::cli::atende(dir.path(), &args, "senha-forte-2026\n");
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    assert!(std::net::TcpStream::connect(("127.0.0.1", first.port)).is_ok(), "the first server still serves");

    // The kernel lets go of the lock with the killed process.
    first.kill();
    let _again = Server::start(dir.path());
    assert_eq!(count(&dir.path().join("atende.db"), "SELECT count(*) FROM users WHERE username = 'ana'"), 1);
}
