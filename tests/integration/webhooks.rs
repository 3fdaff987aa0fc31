//! Outgoing webhooks delivered to a real receiver on 127.0.0.1: one delivery per
//! change (a web chat message, an agent's reply, a WhatsApp message delivered twice by
//! Meta), signed so the receiver can check it, the same id across retries, in order
//! per conversation, dead after a day with a notification, no redirect followed, a
//! loopback target refused at delivery without the subscription's consent, two
//! workers never holding one row at once, and a delivery a dead server had claimed
//! posted at once when the next one starts.

use std::collections::{BTreeSet, HashSet};

use atende::db::now_ms;
use atende::db::webhook_deliveries::{self, Attempt};
use atende::domain::webhooks::{signature, RETRY_FOR_MS};
use atende::engine::service::Agent;
use rocket::http::{ContentType, Header, Status};
use serde_json::{json, Value};

use crate::common::{App, PASSWORD};
use crate::fake_graph::FakeGraph;
use crate::webhook_receiver::{subscribe, Receiver, SECRET};
use crate::whatsapp::{deliver, settings, text, whatsapp_channel, APP_SECRET, MARIA};
use crate::workspace::{channel, engine, inbound, team};

const ALL: &str = "conversation.opened conversation.assigned conversation.transferred conversation.closed \
                   message.created message.status contact.created contact.updated survey.answered";

/// Posts JSON to the web chat's visitor API, with the visitor's token if any.
async fn visitor_post(app: &App, path: &str, token: Option<&str>, body: Value) -> (Status, Value) {
    let mut request = app.client.post(path.to_string()).header(ContentType::JSON).body(body.to_string());
    if let Some(t) = token {
        request = request.header(Header::new("Authorization", format!("Bearer {t}")));
    }
    let response = request.dispatch().await;
    let status = response.status();
    let text = response.into_string().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Passes of the worker until nothing more is due now.
pub async fn drain(app: &App) {
    while engine(app).deliver_webhooks().await.expect("a pass") > 0 {}
}

#[rocket::async_test]
async fn every_message_is_announced_once_and_the_signature_checks() {
    let app = App::without_jobs().await;
    let receiver = Receiver::start(200);
    subscribe(&app, &receiver.url, "message.created conversation.opened");
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    let sac = team(&app, "SAC", "manual", &[ana]);
    let site = channel(&app, "site", sac);

    // A visitor on the web chat, through the widget's API.
    let (status, visitor) = visitor_post(&app, "/webchat/site/visitors", None, json!({"name": "Bia"})).await;
    assert_eq!(status, Status::Created, "{visitor}");
    let token = visitor["token"].as_str().unwrap().to_string();
    let (status, _) =
        visitor_post(&app, "/webchat/site/messages", Some(&token), json!({"text": "Oi do site", "client_id": "c1"}))
            .await;
    assert!(status.code < 300, "{status}");
    // The widget sends it again (same client id): still one message.
    visitor_post(&app, "/webchat/site/messages", Some(&token), json!({"text": "Oi do site", "client_id": "c1"})).await;
    let web: i64 = app.sql(&format!("SELECT id FROM conversations WHERE channel_id = {site}"));
    // The agent answers.
    let e = engine(&app);
    let agent = Agent { user_id: ana, supervisor: false };
    e.take(&agent, web).await.unwrap();
    e.reply(&agent, web, "Olá, Bia!", false).await.unwrap();
    e.reply(&agent, web, "nota só da equipe", true).await.unwrap();
    // WhatsApp delivers the same message twice, as Meta does.
    let graph = FakeGraph::start();
    whatsapp_channel(app.db(), settings(&graph.base), sac);
    for _ in 0..2 {
        assert_eq!(deliver(&app, &text(MARIA, "wamid.in.1", "Oi do WhatsApp"), Some(APP_SECRET)).await, Status::Ok);
    }
    drain(&app).await;

    let received = receiver.received();
    let payloads: Vec<Value> = received.iter().map(|r| r.json()).collect();
    let created: Vec<&Value> = payloads.iter().filter(|p| p["event"] == "message.created").collect();
    let announced: Vec<i64> = created.iter().map(|p| p["data"]["message"]["id"].as_i64().unwrap()).collect();
    let stored: BTreeSet<i64> = app
        .rows::<i64, String>("SELECT id, direction FROM messages WHERE direction IN ('in', 'out')")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(announced.len(), stored.len(), "one delivery per message, never two: {announced:?}");
    assert_eq!(announced.iter().copied().collect::<BTreeSet<_>>(), stored);
    for body in ["Oi do site", "Olá, Bia!", "Oi do WhatsApp"] {
        let times = created.iter().filter(|p| p["data"]["message"]["body"] == body).count();
        assert_eq!(times, 1, "{body}");
    }
    assert!(!created.iter().any(|p| p["data"]["message"]["body"] == "nota só da equipe"), "internal notes stay in");
    let reply = created.iter().find(|p| p["data"]["message"]["body"] == "Olá, Bia!").unwrap();
    assert_eq!(reply["data"]["message"]["direction"], "out");
    assert_eq!(reply["data"]["message"]["author"]["id"], ana);
    assert_eq!(reply["data"]["conversation"]["channel"]["kind"], "webchat");
    assert_eq!(reply["version"], 1);
    assert!(reply["occurred_at"].as_str().unwrap().ends_with('Z'));
    // Per conversation, the opening comes before its first message.
    let first_web = payloads.iter().position(|p| p["data"]["conversation"]["id"] == web).unwrap();
    assert_eq!(payloads[first_web]["event"], "conversation.opened");

    // The receiver checks each call as docs/webhooks.md says.
    let ids: HashSet<String> = received.iter().map(|r| r.headers["x-atende-delivery"].clone()).collect();
    assert_eq!(ids.len(), received.len(), "one call per delivery");
    for r in &received {
        let timestamp: i64 = r.headers["x-atende-timestamp"].parse().unwrap();
        assert!((timestamp - now_ms() / 1000).abs() < 300, "a fresh timestamp");
        assert_eq!(r.headers["x-atende-signature"], signature(SECRET, timestamp, &r.body));
        assert_ne!(r.headers["x-atende-signature"], signature("outro-segredo", timestamp, &r.body));
        assert_eq!(r.headers["x-atende-event"], r.json()["event"].as_str().unwrap());
        assert_eq!(r.headers["x-atende-delivery"], r.json()["id"].as_str().unwrap());
        assert_eq!(r.headers["content-type"], "application/json");
    }
}

#[rocket::async_test]
async fn a_retry_keeps_the_delivery_id_and_a_conversation_keeps_its_order() {
    let app = App::without_jobs().await;
    let receiver = Receiver::start(200);
    receiver.then(&[500]);
    subscribe(&app, &receiver.url, "message.created");
    let sac = team(&app, "SAC", "manual", &[]);
    let site = channel(&app, "site", sac);
    let first = inbound(&app, site, "maria", "primeira").await;
    inbound(&app, site, "maria", "segunda").await;
    let other = inbound(&app, site, "joao", "de outra conversa").await;
    assert_ne!(first, other);

    drain(&app).await;
    let bodies = |r: &Receiver| -> Vec<String> {
        // The customer's messages (the protocol notices sent back are announced too).
        let payloads = r.payloads();
        let inbound = payloads.iter().filter(|p| p["data"]["message"]["direction"] == "in");
        inbound.map(|p| p["data"]["message"]["body"].as_str().unwrap_or("").to_string()).collect()
    };
    // The first failed (500) and waits for its retry; the second of its conversation
    // waits behind it; another conversation is not held up.
    assert_eq!(bodies(&receiver), ["primeira", "de outra conversa"]);
    let (status, answer): (String, i64) =
        app.rows("SELECT status, response_status FROM webhook_deliveries ORDER BY id LIMIT 1")[0].clone();
    assert_eq!((status.as_str(), answer), ("pending", 500));

    // After the backoff (the engine's clock moved past it), both go, in order.
    engine(&app).clock.set(Some(now_ms() + 11 * 60 * 1000));
    drain(&app).await;
    assert_eq!(bodies(&receiver), ["primeira", "de outra conversa", "primeira", "segunda"]);
    let calls: Vec<_> =
        receiver.received().into_iter().filter(|r| r.json()["data"]["message"]["body"] == "primeira").collect();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].headers["x-atende-delivery"], calls[1].headers["x-atende-delivery"], "same id on the retry");
    assert_eq!(calls[0].body, calls[1].body, "the same body");
    assert_eq!((calls[0].answered, calls[1].answered), (500, 200));
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM webhook_deliveries WHERE status <> 'delivered'"), 0);
    assert_eq!(app.sql::<i64>("SELECT attempts FROM webhook_deliveries ORDER BY id LIMIT 1"), 2);
}

#[rocket::async_test]
async fn after_a_day_of_failures_the_delivery_is_dead_administrators_hear_and_it_can_be_sent_again() {
    let app = App::without_jobs().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let receiver = Receiver::start(503);
    let subscription = subscribe(&app, &receiver.url, "conversation.opened");
    let sac = team(&app, "SAC", "manual", &[]);
    inbound(&app, channel(&app, "site", sac), "maria", "oi").await;
    let start = now_ms();
    drain(&app).await;
    let e = engine(&app);
    for hours in [1, 6, 12, 23] {
        e.clock.set(Some(start + hours * 3_600_000));
        drain(&app).await;
    }
    assert_eq!(app.sql::<String>("SELECT status FROM webhook_deliveries"), "pending", "still retried within the day");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM notifications WHERE kind = 'webhook_dead'"), 0);
    e.clock.set(Some(start + RETRY_FOR_MS + 1));
    drain(&app).await;
    assert_eq!(app.sql::<String>("SELECT status FROM webhook_deliveries"), "dead");
    assert_eq!(receiver.received().len(), 6);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM notifications WHERE kind = 'webhook_dead'"), 1);
    let notices = app.get("/admin/notifications").await;
    assert!(notices.body.contains("foi abandonado após 24 horas de tentativas: HTTP 503"), "{}", notices.body);
    assert!(notices.body.contains(&format!("/admin/webhooks/{subscription}")));

    // The log shows it; "Reenviar" tries once more with the same id.
    let page = app.get(&format!("/admin/webhooks/{subscription}")).await;
    assert!(page.body.contains("Abandonada") && page.body.contains("503"), "{}", page.body);
    let delivery: i64 = app.sql("SELECT id FROM webhook_deliveries");
    let resend = format!("/admin/webhooks/{subscription}/deliveries/{delivery}/resend");
    assert_eq!(app.post_raw(&resend, "").await.status, Status::Forbidden, "CSRF");
    assert_eq!(app.post(&resend, &[]).await.status, Status::SeeOther);
    assert_eq!(
        app.post(&format!("/admin/webhooks/{subscription}/deliveries/999/resend"), &[]).await.status,
        Status::NotFound
    );
    receiver.answer(200);
    drain(&app).await;
    assert_eq!(app.sql::<String>("SELECT status FROM webhook_deliveries"), "delivered");
    let calls = receiver.received();
    assert_eq!(calls.len(), 7);
    assert_eq!(calls[0].headers["x-atende-delivery"], calls[6].headers["x-atende-delivery"]);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM audit_log WHERE action = 'webhook.resend'"), 1);
}

#[rocket::async_test]
async fn a_redirect_is_not_followed_and_counts_as_a_failure() {
    let app = App::without_jobs().await;
    let receiver = Receiver::start(302);
    subscribe(&app, &receiver.url, "conversation.opened");
    let sac = team(&app, "SAC", "manual", &[]);
    inbound(&app, channel(&app, "site", sac), "maria", "oi").await;
    drain(&app).await;
    let calls = receiver.received();
    assert_eq!(calls.len(), 1, "the Location was not followed");
    assert_eq!(calls[0].path, "/hook");
    let (status, error): (String, String) = app.rows("SELECT status, last_error FROM webhook_deliveries")[0].clone();
    assert_eq!(status, "pending");
    assert!(error.contains("302") && error.contains("redirect"), "{error}");
}

#[rocket::async_test]
async fn a_loopback_target_is_refused_at_delivery_without_the_subscriptions_consent() {
    let app = App::without_jobs().await;
    let receiver = Receiver::start(200);
    let id = subscribe(&app, &receiver.url, "conversation.opened");
    // As if the name had resolved to a public address when saved and to this machine now.
    app.exec(&format!("UPDATE webhook_subscriptions SET allow_private = 0 WHERE id = {id}"));
    let sac = team(&app, "SAC", "manual", &[]);
    inbound(&app, channel(&app, "site", sac), "maria", "oi").await;
    drain(&app).await;
    assert!(receiver.received().is_empty(), "nothing reached 127.0.0.1");
    let error: String = app.sql("SELECT last_error FROM webhook_deliveries");
    assert!(error.contains("not allowed"), "{error}");
    for url in ["http://[::1]:9/x", "http://169.254.169.254/latest", "http://[::ffff:127.0.0.1]:9/"] {
        app.exec(&format!("UPDATE webhook_subscriptions SET url = '{url}' WHERE id = {id}"));
        app.exec("UPDATE webhook_deliveries SET next_attempt_at = 0");
        drain(&app).await;
        let error: String = app.sql("SELECT last_error FROM webhook_deliveries");
        assert!(error.contains("not allowed"), "{url}: {error}");
    }
}

#[rocket::async_test]
async fn every_change_of_a_conversation_and_its_contact_is_announced() {
    let app = App::without_jobs().await;
    let receiver = Receiver::start(200);
    subscribe(&app, &receiver.url, ALL);
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    let bia = app.add_user("agent", "bia", PASSWORD).await;
    let sac = team(&app, "SAC", "manual", &[ana, bia]);
    let conversation = inbound(&app, channel(&app, "site", sac), "maria", "oi").await;
    let e = engine(&app);
    let agent = Agent { user_id: ana, supervisor: false };
    e.take(&agent, conversation).await.unwrap();
    e.transfer(&agent, conversation, sac, Some(bia), "").await.unwrap();
    e.close_with(&Agent { user_id: bia, supervisor: false }, conversation, "", None).await.unwrap();
    drain(&app).await;
    let events: Vec<String> = receiver
        .payloads()
        .iter()
        .filter(|p| p["data"]["conversation"]["id"] == conversation && p["event"] != "message.created")
        .map(|p| p["event"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        events,
        ["conversation.opened", "conversation.assigned", "conversation.transferred", "conversation.closed"]
    );
    let payloads = receiver.payloads();
    let closed = payloads.iter().find(|p| p["event"] == "conversation.closed").unwrap();
    assert_eq!(closed["data"]["conversation"]["status"], "closed");
    assert_eq!(closed["data"]["conversation"]["agent"]["id"], bia);
    let contact = payloads.iter().find(|p| p["event"] == "contact.created").expect("contact.created");
    assert_eq!(contact["data"]["contact"]["name"], "Cliente maria");
}

#[test]
fn parallel_workers_never_hold_one_delivery_at_once_and_a_lost_lease_records_nothing() {
    let rt = rocket::tokio::runtime::Runtime::new().unwrap();
    let app = rt.block_on(App::without_jobs());
    let subscription = subscribe(&app, "http://127.0.0.1:9/hook", "conversation.opened");
    let sac = team(&app, "SAC", "manual", &[]);
    let site = channel(&app, "site", sac);
    for n in 0..40 {
        rt.block_on(inbound(&app, site, &format!("cliente{n}"), "oi"));
    }
    let now = now_ms();
    let db = app.db().clone();
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut mine = Vec::new();
                while let Some(claim) =
                    db.write_now(|tx| webhook_deliveries::claim_due(tx, subscription, now, 60_000)).unwrap()
                {
                    mine.push(claim.id);
                }
                mine
            })
        })
        .collect();
    let claimed: Vec<i64> = workers.into_iter().flat_map(|w| w.join().unwrap()).collect();
    let distinct: HashSet<i64> = claimed.iter().copied().collect();
    assert_eq!(claimed.len(), 40, "every delivery claimed");
    assert_eq!(distinct.len(), 40, "none claimed twice");

    // A worker whose lease ran out cannot record over the one that took the row over.
    let later = now + 61_000;
    let first = db.write_now(|tx| webhook_deliveries::claim_due(tx, subscription, later, 60_000)).unwrap().unwrap();
    let second =
        db.write_now(|tx| webhook_deliveries::claim_due(tx, subscription, later + 61_000, 60_000)).unwrap().unwrap();
    assert_eq!(first.id, second.id);
    let attempt = Attempt { at: later, response_status: Some(200), error: String::new() };
    assert!(!db.write_now(|tx| webhook_deliveries::record_delivered(tx, &first, &attempt)).unwrap());
    assert!(db.write_now(|tx| webhook_deliveries::record_delivered(tx, &second, &attempt)).unwrap());
}

#[rocket::async_test]
async fn freed_claims_are_due_at_once_and_the_dead_claim_records_nothing() {
    let app = App::without_jobs().await;
    let subscription = subscribe(&app, "http://127.0.0.1:9/hook", "conversation.opened");
    let site = channel(&app, "site", team(&app, "SAC", "manual", &[]));
    inbound(&app, site, "maria", "oi").await;
    let now = now_ms();
    let claim = |at: i64| app.db().write_now(|tx| webhook_deliveries::claim_due(tx, subscription, at, 60_000)).unwrap();
    let dead = claim(now).expect("due");
    assert_eq!(claim(now + 1), None, "leased");

    assert_eq!(app.db().write_now(|tx| webhook_deliveries::release_leases(tx)).unwrap(), 1);
    let retaken = claim(now + 1).expect("due at once, not when the lease runs out");
    assert_eq!(retaken.id, dead.id);
    let attempt = Attempt { at: now + 1, response_status: Some(200), error: String::new() };
    let record = |claim| app.db().write_now(|tx| webhook_deliveries::record_delivered(tx, claim, &attempt)).unwrap();
    assert!(!record(&dead), "the old claim records nothing");
    assert!(record(&retaken));
    assert_eq!(app.sql::<String>("SELECT status FROM webhook_deliveries"), "delivered");
}

/// A delivery claimed by a server that died mid-post is posted as soon as the next one
/// starts, not once the dead claim's 60 s lease runs out.
#[rocket::async_test]
async fn a_delivery_claimed_when_the_server_died_goes_at_once_after_the_restart() {
    let app = App::without_jobs().await;
    let receiver = Receiver::start(200);
    let subscription = subscribe(&app, &receiver.url, "conversation.opened");
    let site = channel(&app, "site", team(&app, "SAC", "manual", &[]));
    inbound(&app, site, "maria", "oi").await;
    let dead = app.db().write_now(|tx| webhook_deliveries::claim_due(tx, subscription, now_ms(), 60_000)).unwrap();
    let dead = dead.expect("due");
    let app = App::restart_on(app.stop().await).await;

    // Well inside the 60 s the dead claim would have held it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.sql::<String>("SELECT status FROM webhook_deliveries") != "delivered" {
        assert!(std::time::Instant::now() < deadline, "still held by the dead server's claim");
        rocket::tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let received = receiver.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].headers["x-atende-delivery"], dead.public_id, "the same delivery, the same id");
    let attempt = Attempt { at: now_ms(), response_status: Some(500), error: "HTTP 500".into() };
    let recorded = app.db().write_now(|tx| webhook_deliveries::record_retry(tx, &dead, &attempt, 0)).unwrap();
    assert!(!recorded, "the dead claim records nothing");
    let (attempts, error): (i64, String) = app.rows("SELECT attempts, last_error FROM webhook_deliveries")[0].clone();
    assert_eq!((attempts, error.as_str()), (1, ""), "one attempt, the new claim's");
}
