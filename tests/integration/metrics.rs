//! `/metrics` as Prometheus reads it: requests by route template and status, messages
//! in and out per channel, outboxes, queues, agents by status, open streams, the pool;
//! who may scrape (token, networks, loopback by default); and the Grafana dashboard's
//! expressions naming only series a scrape has.

use std::time::Duration;

use atende::engine::ingest::Inbound;
use atende::web::guards::SESSION_COOKIE;
use rocket::http::{ContentType, Header, Status};
use serde_json::json;

use crate::common::{App, PASSWORD};
use crate::monitoring::read_until;
use crate::outbox::queue;
use crate::workspace::{agent, channel, engine, inbound, team};

/// A scrape from loopback (the local client's default address).
pub async fn scrape(app: &App) -> String {
    let response = app.client.get("/metrics").dispatch().await;
    assert_eq!(response.status(), Status::Ok);
    let kind = response.content_type().map(|c| c.to_string()).unwrap_or_default();
    assert!(kind.starts_with("application/openmetrics-text"), "{kind}");
    response.into_string().await.unwrap_or_default()
}

/// The value of the sample `name` whose labels include every one of `labels`.
pub fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    text.lines().filter(|l| l.starts_with(&format!("{name}{{")) || l.starts_with(&format!("{name} "))).find_map(|l| {
        let (series, value) = l.rsplit_once(' ')?;
        labels.iter().all(|(k, v)| series.contains(&format!("{k}=\"{v}\""))).then(|| value.parse().ok())?
    })
}

#[rocket::async_test]
async fn requests_are_counted_by_route_template_and_status_with_their_latency() {
    let app = App::new().await;
    for _ in 0..3 {
        assert_eq!(app.get("/livez").await.status, Status::Ok);
    }
    // A conversation address: counted under its template, never its id.
    assert_eq!(app.get("/agent/conversations/4242").await.status, Status::SeeOther);
    assert_eq!(app.get("/nada/por/aqui").await.status, Status::NotFound);
    let text = scrape(&app).await;
    let livez = [("route", "/livez"), ("method", "GET"), ("status", "200")];
    assert_eq!(sample(&text, "atende_http_requests_total", &livez), Some(3.0), "{text}");
    let pane = [("route", "/agent/conversations/<id>"), ("status", "303")];
    assert_eq!(sample(&text, "atende_http_requests_total", &pane), Some(1.0));
    // Only the labels: a sum of seconds may well hold the same digits.
    let labelled = text.lines().filter_map(|l| l.rsplit_once(' ').map(|(series, _)| series));
    assert!(!labelled.into_iter().any(|series| series.contains("4242")), "no conversation id in a label");
    let unmatched = [("route", "unmatched"), ("status", "404")];
    assert_eq!(sample(&text, "atende_http_requests_total", &unmatched), Some(1.0));
    let bucket = [("route", "/livez"), ("le", "+Inf")];
    assert_eq!(sample(&text, "atende_http_request_duration_seconds_bucket", &bucket), Some(3.0));
    assert_eq!(sample(&text, "atende_http_request_duration_seconds_count", &[("route", "/livez")]), Some(3.0));
    assert!(text.contains(&format!("atende_build_info{{version=\"{}\"}} 1", env!("CARGO_PKG_VERSION"))));
    assert!(sample(&text, "atende_db_pool_max_connections", &[]).unwrap() >= 1.0);
    assert!(
        sample(&text, "atende_db_pool_connections", &[]).unwrap()
            >= sample(&text, "atende_db_pool_idle_connections", &[]).unwrap()
    );
    assert!(text.trim_end().ends_with("# EOF"));
}

#[rocket::async_test]
async fn a_visitors_message_and_an_agents_reply_move_their_channels_counters() {
    let app = App::without_jobs().await;
    let (ana, ana_id) = agent(&app, "ana").await;
    let sac = team(&app, "SAC", "manual", &[ana_id]);
    let site = channel(&app, "site", sac);
    let other = channel(&app, "outro", sac);
    let visitor = app
        .client
        .post("/webchat/site/visitors")
        .header(ContentType::JSON)
        .body(json!({"name": "Maria"}).to_string())
        .dispatch()
        .await;
    assert_eq!(visitor.status(), Status::Created);
    let body: serde_json::Value = serde_json::from_str(&visitor.into_string().await.unwrap()).unwrap();
    let token = body["token"].as_str().unwrap().to_string();
    let sent = app
        .client
        .post("/webchat/site/messages")
        .header(ContentType::JSON)
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .body(json!({"text": "Oi, preciso de ajuda"}).to_string())
        .dispatch()
        .await;
    assert_eq!(sent.status(), Status::Created);
    let conv: i64 = app.sql("SELECT id FROM conversations");
    let ch = |id: i64| id.to_string();
    let (site_s, other_s) = (ch(site), ch(other));
    let in_site = [("direction", "in"), ("channel_kind", "webchat"), ("channel", site_s.as_str())];
    let out_site = [("direction", "out"), ("channel_kind", "webchat"), ("channel", site_s.as_str())];
    let text = scrape(&app).await;
    assert_eq!(sample(&text, "atende_messages_total", &in_site), Some(1.0), "{text}");
    assert_eq!(sample(&text, "atende_messages_total", &out_site), None, "nothing delivered yet");
    // What Atende said by itself (the protocol notice) leaves first.
    let delivered = |app: &App| {
        app.sql::<i64>(&format!(
            "SELECT count(*) FROM messages WHERE channel_id = {site} AND direction = 'out' AND status != 'queued'"
        )) as f64
    };
    engine(&app).deliver_due().await.unwrap();
    let before = sample(&scrape(&app).await, "atende_messages_total", &out_site).unwrap_or(0.0);
    assert_eq!(before, delivered(&app));

    assert_eq!(ana.post(&format!("/agent/conversations/{conv}/take"), &[]).await.status, Status::SeeOther);
    let reply = ana.post(&format!("/agent/conversations/{conv}/messages"), &[("body", "Olá, Maria!")]).await;
    assert!(reply.status.code < 400, "{}", reply.body);
    assert_eq!(engine(&app).deliver_due().await.unwrap(), 1);
    let text = scrape(&app).await;
    assert_eq!(sample(&text, "atende_messages_total", &out_site), Some(before + 1.0), "{text}");
    assert_eq!(sample(&text, "atende_messages_total", &in_site), Some(1.0));
    let other_in = [("direction", "in"), ("channel", other_s.as_str())];
    assert_eq!(sample(&text, "atende_messages_total", &other_in), None, "the other channel moved nothing");
    // A message the channel delivers twice is counted once.
    for _ in 0..2 {
        let again = Inbound { external_id: Some("msg-1".into()), ..Inbound::text(other, "joao", "Bom dia") };
        engine(&app).ingest(again).await.unwrap();
    }
    assert_eq!(sample(&scrape(&app).await, "atende_messages_total", &other_in), Some(1.0));
}

/// A Telegram channel whose Bot API nobody answers (a port nothing listens on).
fn down_telegram(app: &App, team: i64) -> i64 {
    let id = channel(app, "bot", team);
    let settings = json!({"bot_token": "123:abc", "api_base": "http://127.0.0.1:9", "poll_timeout_seconds": 1,
                          "request_timeout_seconds": 1});
    app.exec(&format!("UPDATE channels SET kind = 'telegram', config = '{settings}' WHERE id = {id}"));
    id
}

#[rocket::async_test]
async fn an_outbox_whose_server_is_down_shows_its_due_message_and_its_age() {
    let app = App::without_jobs().await;
    let sac = team(&app, "SAC", "manual", &[]);
    let bot = down_telegram(&app, sac);
    let conv = inbound(&app, bot, "77", "Oi").await;
    let message = queue(&app, conv, bot, "Já vejo seu pedido");
    app.exec(&format!("UPDATE messages SET created_at = created_at - 90000 WHERE id = {message}"));
    let bot_s = bot.to_string();
    let labels = [("channel_kind", "telegram"), ("channel", bot_s.as_str())];
    // Mine and what Atende said by itself (the protocol notice).
    let waiting = app.sql::<i64>(&format!("SELECT count(*) FROM outbox WHERE channel_id = {bot}")) as f64;
    assert!(waiting >= 1.0);
    let text = scrape(&app).await;
    assert_eq!(sample(&text, "atende_outbox_messages", &labels), Some(waiting), "{text}");
    let age = sample(&text, "atende_outbox_oldest_due_age_seconds", &labels).unwrap();
    assert!((90.0..3600.0).contains(&age), "{age}");
    // The server refuses: the notice waits for its retry and mine, behind it in its
    // conversation, is still owed — the age keeps growing.
    engine(&app).deliver_due().await.unwrap();
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM messages WHERE id = {message}")), "queued");
    let text = scrape(&app).await;
    assert_eq!(sample(&text, "atende_outbox_messages", &labels), Some(waiting));
    assert!(sample(&text, "atende_outbox_oldest_due_age_seconds", &labels).unwrap() >= 90.0);
    // Everything waiting for a later retry: in the outbox, none due.
    app.exec(&format!("UPDATE outbox SET next_attempt_at = {}", atende::db::now_ms() + 3_600_000));
    let text = scrape(&app).await;
    assert_eq!(sample(&text, "atende_outbox_messages", &labels), Some(waiting));
    assert_eq!(sample(&text, "atende_outbox_oldest_due_age_seconds", &labels), Some(0.0));
}

#[rocket::async_test]
async fn the_streams_gauge_follows_streams_opening_and_closing() {
    let app = App::new().await;
    let (ana, _) = agent(&app, "ana").await;
    let open = |text: &str| sample(text, "atende_sse_streams_open", &[("stream", "agent")]);
    assert_eq!(open(&scrape(&app).await), Some(0.0));
    let session = ana.client.cookies().get_private(SESSION_COOKIE).expect("signed in");
    let mut stream = app.client.get("/agent/events").private_cookie(session).dispatch().await;
    assert_eq!(stream.status(), Status::Ok);
    read_until(&mut stream, "event:ready").await;
    assert_eq!(open(&scrape(&app).await), Some(1.0));
    drop(stream);
    let mut closed = None;
    for _ in 0..50 {
        closed = open(&scrape(&app).await);
        if closed == Some(0.0) {
            break;
        }
        rocket::tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(closed, Some(0.0), "a closed stream is no longer counted");
}

#[rocket::async_test]
async fn queues_and_agents_by_status_are_read_at_scrape_time() {
    let app = App::without_jobs().await;
    let (_, ana) = agent(&app, "ana").await;
    let (_, bia) = agent(&app, "bia").await;
    let (_, caio) = agent(&app, "caio").await;
    app.exec(&format!("UPDATE users SET status = 'offline' WHERE id = {caio}"));
    let vendas = team(&app, "Vendas", "manual", &[ana]);
    let suporte = team(&app, "Suporte", "manual", &[bia]);
    let loja = channel(&app, "loja", vendas);
    for who in ["m1", "m2"] {
        inbound(&app, loja, who, "Oi").await;
    }
    app.exec(&format!("UPDATE conversations SET queued_at = queued_at - 120000 WHERE team_id = {vendas}"));
    app.exec(&format!("UPDATE users SET status = 'online' WHERE id = {ana}"));
    app.exec(&format!("UPDATE users SET status = 'paused' WHERE id = {bia}"));
    let text = scrape(&app).await;
    let (v, s) = (vendas.to_string(), suporte.to_string());
    let at = |team: &str| vec![("team", team.to_string())];
    let find = |name: &str, team: &str| {
        let labels = at(team);
        let labels: Vec<(&str, &str)> = labels.iter().map(|(k, v)| (*k, v.as_str())).collect();
        sample(&text, name, &labels)
    };
    assert_eq!(find("atende_queue_waiting_conversations", &v), Some(2.0), "{text}");
    assert!(find("atende_queue_oldest_wait_seconds", &v).unwrap() >= 120.0);
    assert_eq!(find("atende_queue_waiting_conversations", &s), Some(0.0));
    assert_eq!(find("atende_queue_oldest_wait_seconds", &s), Some(0.0));
    assert!(text.contains("team_name=\"Vendas\""));
    for (status, count) in [("online", 1.0), ("paused", 1.0), ("offline", 1.0)] {
        assert_eq!(sample(&text, "atende_agents", &[("status", status)]), Some(count), "{status}");
    }
    assert!(!text.contains("\"ana\"") && !text.contains("Cliente m1"), "no person in a label");
}

#[rocket::async_test]
async fn only_loopback_scrapes_by_default() {
    let app = App::new().await;
    assert_eq!(app.get("/metrics").await.status, Status::Ok, "the tests' own address is loopback");
    let far = App::new().await.from_address("203.0.113.7:5000");
    let refused = far.get("/metrics").await;
    assert_eq!((refused.status, refused.body.as_str()), (Status::Forbidden, ""));
}

#[rocket::async_test]
async fn a_token_lets_a_scraper_in_from_anywhere_and_nothing_else_does() {
    const TOKEN: &str = "um-token-longo-para-o-prometheus";
    let app = App::with_config(|c| c.metrics_token = Some(TOKEN.into())).await.from_address("203.0.113.7:5000");
    let with = |token: &'static str| {
        app.client
            .get("/metrics")
            .remote("203.0.113.7:5000".parse().unwrap())
            .header(Header::new("Authorization", format!("Bearer {token}")))
    };
    assert_eq!(with(TOKEN).dispatch().await.status(), Status::Ok);
    let wrong = with("um-token-longo-mas-errado-de-vez").dispatch().await;
    assert_eq!(wrong.status(), Status::Unauthorized);
    assert_eq!(wrong.headers().get_one("WWW-Authenticate"), Some("Bearer"));
    assert_eq!(wrong.into_string().await.unwrap_or_default(), "");
    assert_eq!(app.get("/metrics").await.status, Status::Unauthorized, "no token");
    // With a token set, loopback too needs it.
    let local = app.from_address("127.0.0.1:5000");
    assert_eq!(local.get("/metrics").await.status, Status::Unauthorized);
    // A signed-in administrator is no scraper either.
    local.add_user("admin", "chefe", PASSWORD).await;
    local.sign_in("chefe", PASSWORD).await;
    assert_eq!(local.get("/metrics").await.status, Status::Unauthorized);
}

#[rocket::async_test]
async fn client_networks_are_let_in_and_others_refused() {
    let app = App::with_config(|c| c.metrics_networks = vec!["10.1.0.0/16".parse().unwrap()]).await;
    let inside = app.from_address("10.1.2.3:9000");
    assert_eq!(inside.get("/metrics").await.status, Status::Ok);
    let outside = inside.from_address("10.2.0.1:9000");
    assert_eq!(outside.get("/metrics").await.status, Status::Forbidden);
    let local = outside.from_address("127.0.0.1:9000");
    assert_eq!(local.get("/metrics").await.status, Status::Forbidden, "networks set: loopback is not implied");
}

/// Every metric an expression of the Grafana dashboard names is in a scrape of a server
/// that has seen some traffic.
#[rocket::async_test]
async fn the_dashboards_metric_names_all_exist_in_a_scrape() {
    let app = App::new().await;
    let sac = team(&app, "SAC", "manual", &[]);
    let site = channel(&app, "site", sac);
    inbound(&app, site, "maria", "Oi").await;
    app.get("/livez").await;
    // A Telegram channel whose server is down: its poller fails (the supervisor starts
    // it within its five seconds).
    down_telegram(&app, sac);
    let mut text = scrape(&app).await;
    for _ in 0..150 {
        if text.contains("atende_poll_errors_total{") {
            break;
        }
        rocket::tokio::time::sleep(Duration::from_millis(100)).await;
        text = scrape(&app).await;
    }
    assert!(text.contains("atende_poll_errors_total{channel_kind=\"telegram\""), "{text}");
    let dashboard: serde_json::Value =
        serde_json::from_str(include_str!("../../docs/grafana-dashboard.json")).expect("the dashboard is JSON");
    let mut exprs = Vec::new();
    collect_exprs(&dashboard, &mut exprs);
    assert!(exprs.len() >= 10, "{exprs:?}");
    let names = regex_lite::Regex::new(r"atende_[a-z_]+").unwrap();
    let mut missing = Vec::new();
    for expr in &exprs {
        for name in names.find_iter(expr) {
            let name = name.as_str();
            // A family with no sample yet (no poll failed) still has its TYPE line,
            // named without the suffix its samples carry.
            let family = ["_total", "_bucket", "_sum", "_count"]
                .iter()
                .find_map(|suffix| name.strip_suffix(suffix))
                .unwrap_or(name);
            let present = text.lines().any(|l| {
                l.starts_with(&format!("{name}{{"))
                    || l.starts_with(&format!("{name} "))
                    || l.starts_with(&format!("# TYPE {family} "))
            });
            if !present {
                missing.push(name.to_string());
            }
        }
    }
    assert!(missing.is_empty(), "not in a scrape: {missing:?}");
}

fn collect_exprs(value: &serde_json::Value, into: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("expr", serde_json::Value::String(expr)) => into.push(expr.clone()),
                    _ => collect_exprs(v, into),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_exprs(v, into)),
        _ => {}
    }
}
