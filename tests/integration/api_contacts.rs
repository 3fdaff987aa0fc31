//! `/api/v1/contacts`: create (once per `Idempotency-Key`, also under parallel
//! requests), read, change, and find by phone with or without the 9th digit, by e-mail
//! and by a custom field; changes recorded under the token.

use rocket::http::{Header, Method, Status};
use serde_json::{json, Value};

use crate::api_tokens::{get, make_token, signed_in_admin};
use crate::common::App;

async fn post(app: &App, token: &str, body: &Value, key: Option<&str>) -> (Status, Value) {
    let headers = key.map(|k| vec![Header::new("Idempotency-Key", k.to_string())]).unwrap_or_default();
    let (status, body, _) = app.api(Method::Post, "/api/v1/contacts", token, Some(&body.to_string()), headers).await;
    (status, body)
}

async fn writer(app: &App) -> String {
    signed_in_admin(app).await;
    app.change_settings(|s| {
        s.required_contact_fields.email = false;
        s.required_contact_fields.whatsapp = false;
    });
    make_token(app, "ERP", &["contacts:write"], "").await
}

#[rocket::async_test]
async fn contacts_are_created_read_changed_and_recorded_under_the_token() {
    let app = App::new().await;
    let token = writer(&app).await;
    let (status, made) = post(&app, &token, &json!({"name": "Maria Souza", "phone": "(11) 98765-4321"}), None).await;
    assert_eq!(status, Status::Created, "{made}");
    assert_eq!(made["phone"], "5511987654321", "stored as E.164");
    let id = made["id"].as_i64().unwrap();
    let (status, read) = get(&app, &format!("/api/v1/contacts/{id}"), &token).await;
    assert_eq!((status, &read["name"]), (Status::Ok, &json!("Maria Souza")));

    let patch = json!({"email": "maria@cliente.test"}).to_string();
    let (status, changed, _) =
        app.api(Method::Patch, &format!("/api/v1/contacts/{id}"), &token, Some(&patch), vec![]).await;
    assert_eq!(status, Status::Ok, "{changed}");
    assert_eq!((&changed["email"], &changed["name"]), (&json!("maria@cliente.test"), &json!("Maria Souza")));

    let token_id: i64 = app.sql("SELECT id FROM api_tokens");
    let audit =
        app.rows::<String, Option<i64>>("SELECT action, api_token_id FROM audit_log WHERE action LIKE 'contact.%'");
    assert_eq!(audit, vec![("contact.create".into(), Some(token_id)), ("contact.update".into(), Some(token_id))]);
    let changes: i64 = app.sql(&format!("SELECT count(*) FROM contact_changes WHERE api_token_id = {token_id}"));
    assert_eq!(changes, 2, "the creation and the e-mail");
    let page = app.get(&format!("/agent/contacts/{id}")).await;
    assert!(page.body.contains("ERP"), "the contact's history names the token");
}

#[rocket::async_test]
async fn a_refused_contact_names_its_field_and_writes_nothing() {
    let app = App::new().await;
    let token = writer(&app).await;
    let (status, body) = post(&app, &token, &json!({"name": "Ana", "phone": "12"}), None).await;
    assert_eq!(
        (status, &body["error"]["code"], &body["error"]["field"]),
        (Status::UnprocessableEntity, &json!("validation_failed"), &json!("phone"))
    );
    let (status, body) = post(&app, &token, &json!({"name": "Ana", "cpf": "1"}), None).await;
    assert_eq!((status, &body["error"]["field"]), (Status::UnprocessableEntity, &json!("cpf")), "{body}");
    let (status, body) = post(&app, &token, &json!({"name": 7}), None).await;
    assert_eq!(status, Status::UnprocessableEntity, "{body}");
    let (status, body, _) = app.api(Method::Post, "/api/v1/contacts", &token, Some("{not json"), vec![]).await;
    assert_eq!((status, &body["error"]["code"]), (Status::BadRequest, &json!("bad_request")));
    let big = format!(r#"{{"name":"{}"}}"#, "a".repeat(1024 * 1024 + 10));
    let (status, body, _) = app.api(Method::Post, "/api/v1/contacts", &token, Some(&big), vec![]).await;
    assert_eq!((status, &body["error"]["code"]), (Status::PayloadTooLarge, &json!("too_large")));
    post(&app, &token, &json!({"name": "Bia", "phone": "11 98765-4321"}), None).await;
    let (status, body) = post(&app, &token, &json!({"name": "Outra", "phone": "+55 11 8765-4321"}), None).await;
    assert_eq!(
        (status, &body["error"]["field"]),
        (Status::UnprocessableEntity, &json!("phone")),
        "the same number without the 9th digit"
    );
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM contacts"), 1);
}

#[rocket::async_test]
async fn the_same_key_replays_another_body_conflicts() {
    let app = App::new().await;
    let token = writer(&app).await;
    let body = json!({"name": "Caio", "email": "caio@cliente.test"});
    let (first_status, first) = post(&app, &token, &body, Some("pedido-1")).await;
    let (again_status, again) = post(&app, &token, &body, Some("pedido-1")).await;
    assert_eq!((first_status, again_status), (Status::Created, Status::Created));
    assert_eq!(first, again, "the first answer replayed");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM contacts"), 1);
    let (status, conflict) = post(&app, &token, &json!({"name": "Outro"}), Some("pedido-1")).await;
    assert_eq!((status, &conflict["error"]["code"]), (Status::UnprocessableEntity, &json!("idempotency_conflict")));
    let (status, _) = post(&app, &token, &json!({"name": "Outro"}), Some("pedido-2")).await;
    assert_eq!(status, Status::Created);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM contacts"), 2);
    let (status, body) = post(&app, &token, &json!({"name": "X"}), Some("tem espaço")).await;
    assert_eq!((status, &body["error"]["field"]), (Status::UnprocessableEntity, &json!("Idempotency-Key")));
}

#[rocket::async_test]
async fn parallel_requests_with_one_key_create_one_contact() {
    let app = App::new().await;
    let token = writer(&app).await;
    let body = json!({"name": "Davi", "email": "davi@cliente.test"});
    let answers = rocket::futures::future::join_all((0..8).map(|_| post(&app, &token, &body, Some("lote-7")))).await;
    assert!(answers.iter().all(|(s, _)| *s == Status::Created), "{answers:?}");
    assert!(answers.iter().all(|(_, b)| *b == answers[0].1), "every one got the same contact");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM contacts"), 1);
}

#[rocket::async_test]
async fn contacts_are_found_by_phone_either_way_by_email_and_by_custom_field() {
    let app = App::new().await;
    let token = writer(&app).await;
    app.exec("INSERT INTO contact_fields (name, kind, choices, required, position) VALUES ('Código ERP', 'text', '[]', 0, 1)");
    let field: i64 = app.sql("SELECT id FROM contact_fields");
    let custom = json!({ field.to_string(): "C-1001" });
    let (_, with_nine) =
        post(&app, &token, &json!({"name": "Eva", "phone": "11 98765-4321", "custom": custom}), None).await;
    // Stored by a channel without the 9th digit.
    app.exec("INSERT INTO contacts (name, phone, created_at, updated_at) VALUES ('Fábio', '552187654321', 0, 0)");
    let fabio: i64 = app.sql("SELECT id FROM contacts WHERE name = 'Fábio'");
    post(&app, &token, &json!({"name": "Gil", "email": "Gil@Cliente.test"}), None).await;
    let ids =
        |body: &Value| body["data"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect::<Vec<_>>();
    for typed in ["5511987654321", "+55 11 8765-4321", "(11) 98765-4321", "1187654321"] {
        let (status, found) = get(&app, &format!("/api/v1/contacts?phone={}", urlencode(typed)), &token).await;
        assert_eq!((status, ids(&found)), (Status::Ok, vec![with_nine["id"].as_i64().unwrap()]), "{typed}");
    }
    for typed in ["5521987654321", "21 98765-4321"] {
        let (_, found) = get(&app, &format!("/api/v1/contacts?phone={}", urlencode(typed)), &token).await;
        assert_eq!(ids(&found), vec![fabio], "{typed}: the 9th digit added finds the old form");
    }
    let (_, none) = get(&app, "/api/v1/contacts?phone=5531987654321", &token).await;
    assert!(ids(&none).is_empty());
    let (status, bad) = get(&app, "/api/v1/contacts?phone=abc", &token).await;
    assert_eq!((status, &bad["error"]["field"]), (Status::UnprocessableEntity, &json!("phone")));
    let (_, by_email) = get(&app, "/api/v1/contacts?email=gil%40cliente.TEST", &token).await;
    assert_eq!(by_email["data"][0]["name"], "Gil");
    let (_, by_field) = get(&app, &format!("/api/v1/contacts?field={field}&value=C-1001"), &token).await;
    assert_eq!(ids(&by_field), vec![with_nine["id"].as_i64().unwrap()]);
    let (_, all) = get(&app, "/api/v1/contacts?limit=2", &token).await;
    let cursor = all["next_cursor"].as_str().unwrap().to_string();
    let (_, rest) = get(&app, &format!("/api/v1/contacts?limit=2&cursor={cursor}"), &token).await;
    assert_eq!(ids(&all).len() + ids(&rest).len(), 3);
    assert!(rest["next_cursor"].is_null());
}

fn urlencode(text: &str) -> String {
    atende::web::urlencode(text)
}
