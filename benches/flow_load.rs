//! Bot flows end to end: messages a second through a three-block flow (greeting, menu,
//! transfer) on the web chat API of a real server on 127.0.0.1, many visitors at once,
//! closed loop (each visitor sends its next message when the answer to the last one
//! came back); and the editor page of a 30-block flow, `GET /admin/flows/<id>`, timed
//! in process (the server's time, no network), median of many. Run with
//! `cargo build --bench flow_load` and the binary from target/debug/deps.

use std::time::{Duration, Instant};

use atende::accounts::{manage, Actor};
use atende::config::Config;
use atende::db::flows::{self, FlowFields};
use atende::db::Db;
use atende::domain::channel_kind::ChannelKind;
use serde_json::json;

#[path = "common/flow_defs.rs"]
mod flow_defs;
use flow_defs::{thirty_blocks, three_blocks};

const VISITORS: usize = 32;
const ROUNDS_EACH: usize = 25;
const PAGE_RENDERS: usize = 50;

/// A team, the web chat "site" starting the three-block flow, and a 30-block draft;
/// the big flow's id.
fn company(db: &Db) -> i64 {
    db.write_now(|tx| {
        let team = atende::db::teams::TeamFields {
            name: "Vendas".into(),
            distribution: "manual".into(),
            active: true,
            ..Default::default()
        };
        let team = atende::db::teams::insert_team(tx, &team)?;
        let small = three_blocks(team);
        let flow = flows::insert_flow(tx, &FlowFields { name: "Três blocos".into(), draft: small.clone() })?;
        flows::insert_version(tx, flow, &small, None)?;
        let channel = atende::db::channels::ChannelFields {
            kind: ChannelKind::WebChat,
            name: "Site".into(),
            key: "site".into(),
            active: true,
            default_team_id: Some(team),
            schedule_group_id: None,
            config: atende::channels::webchat::Settings::default().to_json(),
        };
        let channel = atende::db::channels::insert_channel(tx, &channel)?;
        flows::set_channel_flow(tx, channel, Some(flow))?;
        flows::insert_flow(tx, &FlowFields { name: "Trinta blocos".into(), draft: thirty_blocks() })
    })
    .expect("the company")
}

fn config(dir: &std::path::Path, port: u16) -> Config {
    Config {
        data_dir: dir.to_path_buf(),
        port,
        rate_visitors_per_minute: 0,
        rate_visitor_messages_per_minute: 0,
        ..Config::default()
    }
}

/// The editor page of the 30-block flow, timed in process: median and 95th percentile.
fn editor_page(dir: &std::path::Path, flow: i64) -> (Duration, Duration) {
    use rocket::local::blocking::Client;
    let client = Client::tracked(atende::rocket(config(dir, 0)).expect("rocket")).expect("client");
    let db = client.rocket().state::<Db>().expect("db").clone();
    let fields = manage::AccountFields {
        name: "Chefe".into(),
        username: "chefe".into(),
        email: "chefe@empresa.test".into(),
        role: "admin".into(),
    };
    let actor = Actor { user_id: None, ip: "bench".into() };
    rocket::execute(manage::create_user_with_password(&db, fields, "senha-longa-1", "senha-longa-1", None, &actor))
        .expect("admin");
    let login = client.get("/login").dispatch().into_string().unwrap_or_default();
    let token = login.split(r#"name="csrf_token" value=""#).nth(1).and_then(|t| t.split('"').next()).unwrap_or("");
    let signed = client
        .post("/login")
        .header(rocket::http::ContentType::Form)
        .body(format!("csrf_token={token}&login=chefe&password=senha-longa-1"))
        .dispatch();
    assert_eq!(signed.status().code, 303, "signed in");
    let mut times = Vec::new();
    for _ in 0..PAGE_RENDERS {
        let started = Instant::now();
        let page = client.get(format!("/admin/flows/{flow}")).dispatch();
        assert_eq!(page.status().code, 200);
        let body = page.into_string().unwrap_or_default();
        times.push(started.elapsed());
        assert!(body.contains("Pergunta 9"), "the whole diagram");
    }
    times.sort();
    (times[times.len() / 2], times[times.len() * 95 / 100])
}

/// One visitor: `ROUNDS_EACH` times a new visitor who says "Oi" (greeting and menu)
/// and answers "financeiro" (transfer); the messages it sent.
fn visitor(base: &str) -> usize {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .new_agent();
    let post = |path: &str, token: Option<&str>, body: serde_json::Value| {
        let mut request = agent.post(format!("{base}{path}")).header("Content-Type", "application/json");
        if let Some(t) = token {
            request = request.header("Authorization", format!("Bearer {t}"));
        }
        let mut answer = request.send(body.to_string().as_bytes()).expect("the server answers");
        let status = answer.status().as_u16();
        (status, answer.body_mut().read_to_string().unwrap_or_default())
    };
    let mut sent = 0;
    for _ in 0..ROUNDS_EACH {
        let (status, made) = post("/webchat/site/visitors", None, json!({"name": "Maria"}));
        assert_eq!(status, 201, "{made}");
        let made: serde_json::Value = serde_json::from_str(&made).expect("json");
        let token = made["token"].as_str().expect("token");
        for text in ["Oi", "financeiro"] {
            let (status, body) = post("/webchat/site/messages", Some(token), json!({"text": text}));
            assert!(status == 201 || status == 200, "{status} {body}");
            sent += 1;
        }
    }
    sent
}

fn main() {
    let editor_dir = tempfile::tempdir().expect("tempdir");
    let db = Db::open(&config(editor_dir.path(), 0).database_path()).expect("database");
    let big = company(&db);
    drop(db);
    let (median, p95) = editor_page(editor_dir.path(), big);

    let dir = tempfile::tempdir().expect("tempdir");
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a port").port();
    let rocket = atende::rocket(config(dir.path(), port)).expect("rocket");
    let db = rocket.state::<Db>().expect("db").clone();
    company(&db);
    let (ready_tx, ready) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        rocket::execute(async move {
            let live = rocket::fairing::AdHoc::on_liftoff("bench", move |_| {
                Box::pin(async move {
                    let _ = ready_tx.send(());
                })
            });
            let _ = rocket.attach(live).launch().await;
        })
    });
    ready.recv().expect("the server listens");
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let threads: Vec<_> = (0..VISITORS)
        .map(|_| {
            let base = base.clone();
            std::thread::spawn(move || visitor(&base))
        })
        .collect();
    let sent: usize = threads.into_iter().map(|t| t.join().expect("a visitor")).sum();
    let secs = started.elapsed().as_secs_f64();
    let transferred: i64 = db
        .read_now(|c| Ok(c.query_row("SELECT count(*) FROM conversations WHERE status = 'waiting'", [], |r| r.get(0))?))
        .expect("count");
    assert_eq!(transferred as usize, VISITORS * ROUNDS_EACH, "every visitor went through the flow to the team");
    println!(
        "debug build: {sent} visitor messages through a three-block flow on the web chat API, {VISITORS} visitors in a closed loop: {:.0} messages/s",
        sent as f64 / secs
    );
    println!(
        "debug build: editor page of a 30-block flow (GET /admin/flows/<id>, in process): median {:.1} ms, p95 {:.1} ms over {PAGE_RENDERS}",
        median.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3
    );
}
