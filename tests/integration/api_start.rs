//! `POST /api/v1/conversations`: an outbound WhatsApp conversation opened by a token
//! with an approved template, as agents start one from the floor — it waits in the
//! team's queue with the template sent through the outbox, once per key.

use rocket::http::Status;
use serde_json::json;

use crate::api_tokens::{make_token, signed_in_admin};
use crate::api_writes::{code, field, post};
use crate::common::App;
use crate::fake_graph::FakeGraph;
use crate::whatsapp::{approve, settings, whatsapp_channel, MARIA};
use crate::workspace::{engine, team};

#[rocket::async_test]
async fn a_token_starts_a_conversation_with_an_approved_template_once() {
    let app = App::without_jobs().await;
    signed_in_admin(&app).await;
    let graph = FakeGraph::start();
    let loja = team(&app, "Loja", "manual", &[]);
    let channel = whatsapp_channel(app.db(), settings(&graph.base), loja);
    approve(
        &app,
        &json!([{"name": "boas_vindas", "language": "pt_BR", "body": "Olá {{1}}, seu boleto vence amanhã."}]),
    );
    app.exec(&format!("INSERT INTO contacts (name, phone, created_at, updated_at) VALUES ('Maria', '{MARIA}', 0, 0)"));
    let contact: i64 = app.sql("SELECT id FROM contacts WHERE name = 'Maria'");
    let erp = make_token(&app, "ERP", &["conversations:write", "messages:write"], "").await;
    let half = make_token(&app, "Meio", &["conversations:write"], "").await;
    let asked = json!({"contact_id": contact, "channel_id": channel, "team_id": loja,
                       "template": "boas_vindas", "language": "pt_BR", "values": ["Maria"]});

    let (status, refused) = post(&app, "/api/v1/conversations", &half, &asked, None).await;
    assert_eq!((status, code(&refused)), (Status::Forbidden, "forbidden_scope"), "sending takes messages:write");
    for (change, wrong) in [
        (json!({"contact_id": 9999}), "contact_id"),
        (json!({"channel_id": 9999}), "channel_id"),
        (json!({"team_id": 9999}), "team_id"),
        (json!({"template": "promocao"}), "template"),
        (json!({"values": []}), "values"),
    ] {
        let mut body = asked.clone();
        body.as_object_mut().unwrap().extend(change.as_object().unwrap().clone());
        let (status, refused) = post(&app, "/api/v1/conversations", &erp, &body, None).await;
        assert_eq!((status, field(&refused)), (Status::UnprocessableEntity, wrong), "{refused}");
    }
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM conversations"), 0, "a refusal opens nothing");

    let (status, started) = post(&app, "/api/v1/conversations", &erp, &asked, Some("cobranca-1")).await;
    assert_eq!(status, Status::Created, "{started}");
    assert_eq!((started["status"].as_str(), started["team_id"].as_i64()), (Some("waiting"), Some(loja)));
    assert_eq!(started["message"]["body"], "Olá Maria, seu boleto vence amanhã.");
    assert_eq!(started["message"]["author"], "API · ERP");
    let (again_status, again) = post(&app, "/api/v1/conversations", &erp, &asked, Some("cobranca-1")).await;
    assert_eq!((again_status, &again), (Status::Created, &started), "the same key: the first answer");
    let (status, busy) = post(&app, "/api/v1/conversations", &erp, &asked, Some("cobranca-2")).await;
    assert_eq!((status, code(&busy)), (Status::Conflict, "cannot_start"), "the contact has it open already");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM conversations"), 1);
    assert_eq!(
        app.sql::<i64>("SELECT count(*) FROM audit_log WHERE action = 'api.start' AND api_token_id IS NOT NULL"),
        1
    );

    engine(&app).deliver_due().await.expect("delivered");
    let sent: Vec<_> = graph.accepted().into_iter().filter(|m| m["type"] == "template").collect();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!((sent[0]["to"].as_str(), sent[0]["template"]["name"].as_str()), (Some(MARIA), Some("boas_vindas")));
}
