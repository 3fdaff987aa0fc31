//! `/api/v1/conversations/<id>/messages` and `/comments`: a token writes as an agent
//! does — the message under the token's name on the agent's pane, through the outbox,
//! announced once by webhook, in the audit log under the token — once per
//! `Idempotency-Key` even when the same request comes eight times at once; and every
//! refusal a clear JSON error.

use rocket::http::{Header, Method, Status};
use serde_json::{json, Value};

use crate::api_tokens::{make_token, signed_in_admin};
use crate::common::App;
use crate::webhook_receiver::{subscribe, Receiver};
use crate::webhooks::drain;
use crate::workspace::{agent, channel, engine, inbound, team};

pub async fn post(app: &App, path: &str, token: &str, body: &Value, key: Option<&str>) -> (Status, Value) {
    let headers = key.map(|k| vec![Header::new("Idempotency-Key", k.to_string())]).unwrap_or_default();
    let (status, body, _) = app.api(Method::Post, path, token, Some(&body.to_string()), headers).await;
    (status, body)
}

pub fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

pub fn field(body: &Value) -> &str {
    body["error"]["field"].as_str().unwrap_or_default()
}

/// A conversation of team SAC held by agent Ana (her browser kept signed in).
pub struct Floor {
    pub ana: App,
    pub sac: i64,
    pub conversation: i64,
}

pub async fn floor(app: &App) -> Floor {
    signed_in_admin(app).await;
    let (ana, ana_id) = agent(app, "ana").await;
    let sac = team(app, "SAC", "manual", &[ana_id]);
    let site = channel(app, "site", sac);
    let conversation = inbound(app, site, "maria", "Meu pedido não chegou").await;
    let holder = atende::engine::service::Agent { user_id: ana_id, supervisor: false };
    engine(app).take(&holder, conversation).await.expect("taken");
    Floor { ana, sac, conversation }
}

#[rocket::async_test]
async fn a_message_goes_out_under_the_tokens_name_once_announced_and_audited() {
    let app = App::without_jobs().await;
    let receiver = Receiver::start(200);
    subscribe(&app, &receiver.url, "message.created");
    let f = floor(&app).await;
    let erp = make_token(&app, "ERP", &["messages:write"], "").await;
    let reader = make_token(&app, "BI", &["messages:read", "conversations:write"], "").await;
    let path = format!("/api/v1/conversations/{}/messages", f.conversation);

    let (status, refused) = post(&app, &path, &reader, &json!({"text": "Oi"}), None).await;
    assert_eq!((status, code(&refused)), (Status::Forbidden, "forbidden_scope"), "reading is not writing");
    let (status, refused) =
        post(&app, &format!("/api/v1/conversations/{}/comments", f.conversation), &reader, &json!({"text": "x"}), None)
            .await;
    assert_eq!(status, Status::Forbidden, "{refused}");

    let (status, sent) = post(&app, &path, &erp, &json!({"text": "Seu pedido saiu para entrega."}), None).await;
    assert_eq!(status, Status::Created, "{sent}");
    assert_eq!((sent["direction"].as_str(), sent["status"].as_str()), (Some("out"), Some("queued")));
    assert_eq!(sent["author"], "API · ERP");
    let id = sent["id"].as_i64().unwrap();
    let token_id: i64 = app.sql("SELECT id FROM api_tokens WHERE name = 'ERP'");
    let (author, by_token): (Option<i64>, Option<i64>) =
        app.rows(&format!("SELECT author_id, api_token_id FROM messages WHERE id = {id}")).remove(0);
    assert_eq!((author, by_token), (None, Some(token_id)), "a token is no person");
    assert_eq!(app.sql::<i64>(&format!("SELECT count(*) FROM outbox WHERE message_id = {id}")), 1, "the same outbox");

    let (status, note) = post(
        &app,
        &format!("/api/v1/conversations/{}/comments", f.conversation),
        &erp,
        &json!({"text": "Boleto em atraso no ERP"}),
        None,
    )
    .await;
    assert_eq!((status, note["direction"].as_str()), (Status::Created, Some("internal")), "{note}");

    // As Ana sees it: the token's name beside its message and its comment.
    let pane = f.ana.get(&format!("/agent/conversations/{}/pane", f.conversation)).await;
    assert_eq!(pane.status, Status::Ok);
    assert!(pane.body.contains("Seu pedido saiu para entrega.") && pane.body.contains("Boleto em atraso no ERP"));
    assert!(pane.body.matches("API · ERP").count() >= 2, "the author is the token");

    drain(&app).await;
    let announced: Vec<Value> = receiver
        .payloads()
        .into_iter()
        .filter(|p| p["event"] == "message.created" && p["data"]["message"]["id"] == id)
        .collect();
    assert_eq!(announced.len(), 1, "announced exactly once");
    assert_eq!(announced[0]["data"]["message"]["author"], json!({"api_token_id": token_id, "name": "API · ERP"}));
    assert!(!receiver.payloads().iter().any(|p| p["data"]["message"]["body"] == "Boleto em atraso no ERP"));

    let audit: Vec<(String, Option<i64>)> = app.rows(&format!(
        "SELECT action, actor_id FROM audit_log WHERE api_token_id = {token_id} AND target = 'conversation:{}' ORDER BY id",
        f.conversation
    ));
    assert_eq!(audit, vec![("api.message".to_string(), None), ("api.comment".to_string(), None)]);
    let details: String = app.sql("SELECT details FROM audit_log WHERE action = 'api.message'");
    assert!(!details.contains("Seu pedido"), "the audit log keeps no message text: {details}");
}

#[rocket::async_test]
async fn eight_identical_requests_at_once_send_one_message() {
    let app = App::without_jobs().await;
    let f = floor(&app).await;
    let erp = make_token(&app, "ERP", &["messages:write"], "").await;
    let path = format!("/api/v1/conversations/{}/messages", f.conversation);
    let body = json!({"text": "Pagamento confirmado."});
    let mut live = engine(&app).events.subscribe();
    let answers =
        rocket::futures::future::join_all((0..8).map(|_| post(&app, &path, &erp, &body, Some("pagto-991")))).await;
    assert!(answers.iter().all(|(s, _)| *s == Status::Created), "{answers:?}");
    assert!(answers.iter().all(|(_, b)| *b == answers[0].1), "every one got the first answer");
    let count = |sql: &str| app.sql::<i64>(sql);
    assert_eq!(count("SELECT count(*) FROM messages WHERE body = 'Pagamento confirmado.'"), 1);
    assert_eq!(
        count("SELECT count(*) FROM outbox JOIN messages m ON m.id = message_id WHERE m.api_token_id IS NOT NULL"),
        1
    );
    assert_eq!(count("SELECT count(*) FROM audit_log WHERE action = 'api.message'"), 1);
    let mut heard = 0;
    while let Ok(event) = live.try_recv() {
        heard += usize::from(event.conversation_id() == Some(f.conversation));
    }
    assert_eq!(heard, 1, "agents' pages hear of it once: replays publish nothing");

    let (status, again) = post(&app, &path, &erp, &body, Some("pagto-991")).await;
    assert_eq!((status, &again), (Status::Created, &answers[0].1), "replayed later too");
    let (status, other) = post(&app, &path, &erp, &json!({"text": "Outro texto"}), Some("pagto-991")).await;
    assert_eq!((status, code(&other)), (Status::UnprocessableEntity, "idempotency_conflict"));
    // The same key on another conversation's path is another request.
    let elsewhere = format!("/api/v1/conversations/{}/comments", f.conversation);
    let (status, _) = post(&app, &elsewhere, &erp, &body, Some("pagto-991")).await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(count("SELECT count(*) FROM messages WHERE body = 'Pagamento confirmado.'"), 1);
}

#[rocket::async_test]
async fn bad_messages_are_refused_naming_the_field_and_nothing_is_stored() {
    let app = App::without_jobs().await;
    let f = floor(&app).await;
    let erp = make_token(&app, "ERP", &["messages:write", "conversations:write"], "").await;
    let path = format!("/api/v1/conversations/{}/messages", f.conversation);
    let stored =
        || app.sql::<i64>("SELECT count(*) FROM messages WHERE api_token_id IS NOT NULL AND direction != 'system'");

    let (status, missing) =
        post(&app, "/api/v1/conversations/999999/messages", &erp, &json!({"text": "Oi"}), None).await;
    assert_eq!((status, code(&missing)), (Status::NotFound, "not_found"));
    for (body, wrong, why) in [
        (json!({"text": "   "}), "text", "empty"),
        (json!({"text": "x".repeat(4097)}), "text", "longer than the channel carries"),
        (json!({}), "text", "missing"),
        (json!({"text": 42}), "text", "not a text"),
        (json!({"text": "Oi", "urgent": true}), "urgent", "an unknown field"),
    ] {
        let (status, refused) = post(&app, &path, &erp, &body, None).await;
        assert_eq!((status, field(&refused)), (Status::UnprocessableEntity, wrong), "{why}: {refused}");
        assert!(!refused["error"]["message"].as_str().unwrap_or_default().is_empty());
    }
    let (status, refused, _) = app.api(Method::Post, &path, &erp, Some("não é JSON"), vec![]).await;
    assert_eq!((status, code(&refused)), (Status::BadRequest, "bad_request"));
    app.exec("INSERT INTO word_filter (term, kind) VALUES ('otário', 'blocked')");
    let (status, refused) = post(&app, &path, &erp, &json!({"text": "Seu otário"}), None).await;
    assert_eq!((status, code(&refused), field(&refused)), (Status::UnprocessableEntity, "blocked_words", "text"));
    assert_eq!(stored(), 0);

    let (status, _) =
        post(&app, &format!("/api/v1/conversations/{}/close", f.conversation), &erp, &json!({}), None).await;
    assert_eq!(status, Status::Ok);
    let (status, closed) = post(&app, &path, &erp, &json!({"text": "Ainda aí?"}), None).await;
    assert_eq!((status, code(&closed)), (Status::Conflict, "conversation_closed"));
    let comments = format!("/api/v1/conversations/{}/comments", f.conversation);
    assert_eq!(post(&app, &comments, &erp, &json!({"text": "nota"}), None).await.0, Status::Conflict);
    assert_eq!(stored(), 0);
}
