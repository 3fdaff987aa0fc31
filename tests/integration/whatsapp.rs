//! The WhatsApp Cloud API channel over real HTTP: Meta's handshake and signed webhooks
//! (text, files, statuses, duplicates, bad signatures and payloads), replies and files
//! arriving at a fake Graph API in its JSON shape, its failures delaying but never
//! doubling a message, and the 24-hour window.

use std::time::Duration;

use atende::channels;
use atende::db::channels::{channel_by_id, insert_channel, ChannelFields};
use atende::domain::channel_kind::ChannelKind;
use atende::engine::service::Agent;
use hmac::{Hmac, Mac};
use rocket::http::{Header, Status};
use sha2::Sha256;

use crate::common::{App, PASSWORD};
use crate::fake_graph::{FakeGraph, PNG, TOKEN};
use crate::workspace::{engine, team};

pub const APP_SECRET: &str = "segredo-do-app-meta";
pub const VERIFY: &str = "verifica-123";
pub const KEY: &str = "wa-loja";
pub const MARIA: &str = "5511987654321";

/// The channel's settings, its Graph API at `graph`.
pub fn settings(graph: &str) -> serde_json::Value {
    serde_json::json!({
        "phone_number_id": "106", "access_token": TOKEN, "app_secret": APP_SECRET, "verify_token": VERIFY,
        "api_base": graph, "graph_version": "v21.0", "timeout_ms": 500,
    })
}

/// The templates Meta approved, as "Modelos de mensagem" lists them (for every team).
pub fn approve(app: &App, templates: &serde_json::Value) {
    for t in templates.as_array().into_iter().flatten() {
        let header = &t["header"];
        app.db()
            .write_now(|tx| {
                tx.execute(
                    "INSERT INTO message_templates (name, language, body, header_format, header_link)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    rusqlite::params![
                        t["name"].as_str(),
                        t["language"].as_str(),
                        t["body"].as_str(),
                        header["format"].as_str().unwrap_or(""),
                        header["link"].as_str().unwrap_or("")
                    ],
                )?;
                Ok(())
            })
            .expect("a template");
    }
}

/// An active WhatsApp channel (key `wa-loja`) feeding team "Loja" with `members`.
pub fn whatsapp_channel(db: &atende::db::Db, config: serde_json::Value, team_id: i64) -> i64 {
    let fields = ChannelFields {
        kind: ChannelKind::WhatsApp,
        name: "WhatsApp da loja".into(),
        key: KEY.into(),
        active: true,
        default_team_id: Some(team_id),
        schedule_group_id: None,
        config,
    };
    db.write_now(|tx| insert_channel(tx, &fields)).expect("channel")
}

/// `X-Hub-Signature-256` of a body under a secret.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// A webhook body with these messages and statuses for number 106.
pub fn webhook(from: &str, messages: serde_json::Value, statuses: serde_json::Value) -> Vec<u8> {
    serde_json::json!({"object": "whatsapp_business_account", "entry": [{"id": "waba", "changes": [{"field": "messages",
        "value": {"messaging_product": "whatsapp", "metadata": {"display_phone_number": "551140001234", "phone_number_id": "106"},
            "contacts": [{"wa_id": from, "profile": {"name": "Maria Souza"}}], "messages": messages, "statuses": statuses}}]}]})
    .to_string()
    .into_bytes()
}

pub fn text(from: &str, wamid: &str, body: &str) -> Vec<u8> {
    let m = serde_json::json!([{"from": from, "id": wamid, "timestamp": "1764590000", "type": "text", "text": {"body": body}}]);
    webhook(from, m, serde_json::json!([]))
}

fn statuses(list: &[(&str, &str)]) -> Vec<u8> {
    let s: Vec<_> = list
        .iter()
        .map(|(id, status)| {
            let mut s =
                serde_json::json!({"id": id, "status": status, "timestamp": "1764590001", "recipient_id": MARIA});
            if *status == "failed" {
                s["errors"] = serde_json::json!([{"code": 131047, "title": "Re-engagement message"}]);
            }
            s
        })
        .collect();
    webhook(MARIA, serde_json::json!([]), serde_json::json!(s))
}

/// Posts a webhook as Meta does, signed with `secret` (`None`: no signature).
pub async fn deliver(app: &App, body: &[u8], secret: Option<&str>) -> Status {
    let mut headers = vec![Header::new("Content-Type", "application/json")];
    if let Some(secret) = secret {
        headers.push(Header::new("X-Hub-Signature-256", sign(secret, body)));
    }
    app.post_with_headers(&format!("/webhooks/whatsapp/{KEY}"), body.to_vec(), headers).await.status
}

/// An app without background jobs, a fake Graph API, a WhatsApp channel and agent Ana
/// in its team.
async fn shop(templates: serde_json::Value) -> (App, FakeGraph, i64, Agent) {
    let app = App::without_jobs().await;
    let graph = FakeGraph::start();
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    let team = team(&app, "Loja", "manual", &[ana]);
    let channel = whatsapp_channel(app.db(), settings(&graph.base), team);
    approve(&app, &templates);
    (app, graph, channel, Agent { user_id: ana, supervisor: false })
}

fn count(app: &App, sql: &str) -> i64 {
    app.sql(sql)
}

#[rocket::async_test]
async fn the_handshake_echoes_the_challenge_only_for_the_verify_token() {
    let (app, _graph, _, _) = shop(serde_json::json!([])).await;
    let path = |mode: &str, token: &str| {
        format!("/webhooks/whatsapp/{KEY}?hub.mode={mode}&hub.verify_token={token}&hub.challenge=1158201444")
    };
    let response = app.client.get(path("subscribe", VERIFY)).dispatch().await;
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(response.content_type(), Some(rocket::http::ContentType::Plain));
    assert_eq!(response.into_string().await.unwrap(), "1158201444");
    assert_eq!(app.get(&path("subscribe", "errado")).await.status, Status::Forbidden);
    assert_eq!(app.get(&path("unsubscribe", VERIFY)).await.status, Status::Forbidden);
    assert_eq!(app.get(&format!("/webhooks/whatsapp/{KEY}")).await.status, Status::Forbidden);
    let other = format!("/webhooks/whatsapp/outro?hub.mode=subscribe&hub.verify_token={VERIFY}&hub.challenge=1");
    assert_eq!(app.get(&other).await.status, Status::NotFound);
}

#[rocket::async_test]
async fn a_text_and_an_image_reach_the_agent_with_the_file() {
    let (app, graph, _, ana) = shop(serde_json::json!([])).await;
    assert_eq!(deliver(&app, &text(MARIA, "wamid.in.1", "Oi, meu pedido atrasou"), Some(APP_SECRET)).await, Status::Ok);
    let image = serde_json::json!([{"from": MARIA, "id": "wamid.in.2", "timestamp": "1764590002", "type": "image",
        "image": {"id": "4477", "mime_type": "image/png", "sha256": "x", "caption": "Veja a caixa"}}]);
    assert_eq!(deliver(&app, &webhook(MARIA, image, serde_json::json!([])), Some(APP_SECRET)).await, Status::Ok);

    let conversation: i64 = app.sql("SELECT id FROM conversations");
    let name: String = app.sql("SELECT name FROM contacts");
    assert_eq!(name, "Maria Souza");
    let rows: Vec<(String, Option<String>)> = app.rows(
        "SELECT m.body, a.content_type FROM messages m LEFT JOIN attachments a ON a.id = m.attachment_id
         WHERE m.direction = 'in' ORDER BY m.id",
    );
    assert_eq!(rows, vec![("Oi, meu pedido atrasou".into(), None), ("Veja a caixa".into(), Some("image/png".into()))]);
    // The file came through the media id, then its URL, both with the bearer token.
    let asked: Vec<String> = graph.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(asked, vec!["/v21.0/4477".to_string(), "/files/4477".to_string()]);

    let (browser, _) = (app.other_browser().await, ());
    browser.sign_in("ana", PASSWORD).await;
    engine(&app).take(&ana, conversation).await.unwrap();
    let pane = browser.get(&format!("/agent/conversations/{conversation}/pane")).await;
    assert!(pane.body.contains("Oi, meu pedido atrasou") && pane.body.contains("Veja a caixa"));
    let attachment: i64 = app.sql("SELECT id FROM attachments");
    assert!(pane.body.contains(&format!("/attachments/{attachment}")));
    let file = browser.client.get(format!("/attachments/{attachment}")).dispatch().await;
    assert_eq!(file.into_bytes().await.unwrap(), PNG);
}

#[rocket::async_test]
async fn bad_or_missing_signatures_and_malformed_payloads_store_nothing() {
    let (app, graph, _, _) = shop(serde_json::json!([])).await;
    let body = text(MARIA, "wamid.in.1", "Oi");
    assert_eq!(deliver(&app, &body, None).await, Status::Unauthorized);
    assert_eq!(deliver(&app, &body, Some("outro-segredo")).await, Status::Unauthorized);
    // Signed, then changed on the way: the signature no longer matches the bytes.
    let mut headers = vec![Header::new("X-Hub-Signature-256", sign(APP_SECRET, &body))];
    headers.push(Header::new("Content-Type", "application/json"));
    let tampered = String::from_utf8(body.clone()).unwrap().replace("Oi", "Oi!");
    let path = format!("/webhooks/whatsapp/{KEY}");
    assert_eq!(app.post_with_headers(&path, tampered.into_bytes(), headers).await.status, Status::Unauthorized);
    for malformed in [
        &b"{\"entry\": [ {"[..],
        b"{}",
        b"[]",
        br#"{"entry":[{"changes":[{"field":"messages","value":{"messages":[{"type":"text"}]}}]}]}"#,
    ] {
        assert_eq!(deliver(&app, malformed, Some(APP_SECRET)).await, Status::BadRequest);
    }
    let too_large = vec![b' '; 1024 * 1024 + 1];
    assert_eq!(deliver(&app, &too_large, Some(APP_SECRET)).await, Status::PayloadTooLarge);
    assert_eq!(count(&app, "SELECT count(*) FROM messages"), 0);
    assert_eq!(count(&app, "SELECT count(*) FROM contacts"), 0);
    assert!(graph.requests().is_empty(), "nothing fetched for a refused call");
    // The same body signed right is taken.
    assert_eq!(deliver(&app, &body, Some(APP_SECRET)).await, Status::Ok);
    assert_eq!(count(&app, "SELECT count(*) FROM messages WHERE direction = 'in'"), 1);
}

#[rocket::async_test]
async fn the_ninth_digit_makes_one_contact() {
    let (app, _graph, _, _) = shop(serde_json::json!([])).await;
    assert_eq!(
        deliver(&app, &text("551187654321", "wamid.a", "Oi, número antigo"), Some(APP_SECRET)).await,
        Status::Ok
    );
    assert_eq!(deliver(&app, &text(MARIA, "wamid.b", "Agora com o nove"), Some(APP_SECRET)).await, Status::Ok);
    assert_eq!(count(&app, "SELECT count(*) FROM contacts"), 1);
    assert_eq!(count(&app, "SELECT count(*) FROM conversations"), 1);
    assert_eq!(count(&app, "SELECT count(*) FROM messages WHERE direction = 'in'"), 2);
    // A landline of the same digits but the nine is someone else.
    assert_eq!(deliver(&app, &text("551133334444", "wamid.c", "Fixo"), Some(APP_SECRET)).await, Status::Ok);
    assert_eq!(count(&app, "SELECT count(*) FROM contacts"), 2);
}

#[rocket::async_test]
async fn replies_and_files_arrive_at_the_graph_api_in_its_shape_and_statuses_only_move_forward() {
    let (app, graph, channel, ana) = shop(serde_json::json!([])).await;
    assert_eq!(deliver(&app, &text(MARIA, "wamid.in.1", "Oi"), Some(APP_SECRET)).await, Status::Ok);
    let conversation: i64 = app.sql("SELECT id FROM conversations");
    let e = engine(&app);
    e.take(&ana, conversation).await.unwrap();
    let reply = e.reply(&ana, conversation, "Olá, Maria! Vou verificar.", false).await.unwrap();
    let (_, file_message) = e.send_attachment(&ana, conversation, "nota.png", "image/png", PNG.to_vec()).await.unwrap();
    e.deliver_due().await.unwrap();

    let accepted = graph.accepted();
    assert_eq!(accepted.len(), 3, "protocol notice, reply, file: {accepted:?}");
    assert_eq!(accepted[1]["messaging_product"], "whatsapp");
    assert_eq!(accepted[1]["to"], MARIA);
    assert_eq!(accepted[1]["type"], "text");
    assert_eq!(accepted[1]["text"]["body"], "Olá, Maria! Vou verificar.");
    assert_eq!(accepted[2]["type"], "image");
    assert_eq!(accepted[2]["image"]["id"], "upload-1");
    let upload = graph.requests().into_iter().find(|r| r.path == "/v21.0/106/media").expect("uploaded");
    assert!(upload.headers["content-type"].starts_with("multipart/form-data; boundary="));
    let form = String::from_utf8_lossy(&upload.body);
    assert!(form.contains("name=\"messaging_product\"\r\n\r\nwhatsapp") && form.contains("filename=\"nota.png\""));
    assert!(upload.body.windows(PNG.len()).any(|w| w == PNG), "the file's bytes");
    let provider: String = app.sql(&format!("SELECT provider_id FROM messages WHERE id = {reply}"));
    assert_eq!(provider, "wamid.out.2");

    // Read arrives before delivered, and sent last: the message stays read.
    let out = |s: &str| statuses(&[("wamid.out.2", s)]);
    for s in ["read", "delivered", "sent"] {
        assert_eq!(deliver(&app, &out(s), Some(APP_SECRET)).await, Status::Ok);
    }
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM messages WHERE id = {reply}")), "read");
    // The file fails later (outside the window): the reason in words, shown in the pane.
    assert_eq!(deliver(&app, &statuses(&[("wamid.out.3", "failed")]), Some(APP_SECRET)).await, Status::Ok);
    let (status, failure): (String, String) =
        app.rows(&format!("SELECT status, failure FROM messages WHERE id = {file_message}"))[0].clone();
    assert_eq!(status, "failed");
    assert!(failure.contains("fora da janela de 24 horas"), "{failure}");
    let browser = app.other_browser().await;
    browser.sign_in("ana", PASSWORD).await;
    let pane = browser.get(&format!("/agent/conversations/{conversation}/pane")).await;
    assert!(pane.body.contains("fora da janela de 24 horas — envie um modelo"));
    let health = e.channel_health(channel).await.unwrap();
    assert!(health.last_poll_at.is_some() && health.out_today >= 3);
    assert!(!format!("{health:?}").contains(TOKEN));
}

#[rocket::async_test]
async fn a_file_that_failed_to_download_arrives_later() {
    let (app, graph, channel, _) = shop(serde_json::json!([])).await;
    graph.fail("/files/88", 1, 503, "{}");
    let doc = serde_json::json!([{"from": MARIA, "id": "wamid.doc", "type": "document",
        "document": {"id": "88", "mime_type": "image/png", "filename": "comprovante.png"}}]);
    assert_eq!(deliver(&app, &webhook(MARIA, doc, serde_json::json!([])), Some(APP_SECRET)).await, Status::Ok);
    assert_eq!(count(&app, "SELECT count(*) FROM messages WHERE direction = 'in' AND attachment_id IS NULL"), 1);
    assert_eq!(count(&app, "SELECT count(*) FROM media_downloads"), 1, "owed, shown as on its way");
    let stored = app.db().read_now(move |c| channel_by_id(c, channel)).unwrap().unwrap();
    let source = channels::media_source_for(&stored).expect("whatsapp fetches owed files");
    assert_eq!(engine(&app).fetch_owed_media(channel, source).await.unwrap(), 1);
    assert_eq!(count(&app, "SELECT count(*) FROM media_downloads"), 0);
    let name: String = app.sql("SELECT a.file_name FROM messages m JOIN attachments a ON a.id = m.attachment_id");
    assert_eq!(name, "comprovante.png");
}

/// Makes every message in the outbox due now (the test stands in for the backoff).
fn due_now(app: &App) {
    app.exec("UPDATE outbox SET next_attempt_at = 0");
}

#[rocket::async_test]
async fn a_failing_graph_api_delays_a_message_but_it_arrives_exactly_once() {
    let (app, graph, _, ana) = shop(serde_json::json!([])).await;
    assert_eq!(deliver(&app, &text(MARIA, "wamid.in.1", "Oi"), Some(APP_SECRET)).await, Status::Ok);
    let conversation: i64 = app.sql("SELECT id FROM conversations");
    let e = engine(&app);
    e.deliver_due().await.unwrap();
    assert_eq!(graph.accepted().len(), 1, "the protocol notice");
    e.take(&ana, conversation).await.unwrap();
    let reply = e.reply(&ana, conversation, "Já verifico.", false).await.unwrap();
    graph.fail("/messages", 1, 429, r#"{"error":{"message":"rate","code":130429}}"#);
    graph.fail("/messages", 1, 503, "<html>down</html>");
    graph.hang("/messages", 1);
    for _ in 0..3 {
        e.deliver_due().await.unwrap();
        assert_eq!(app.sql::<String>(&format!("SELECT status FROM messages WHERE id = {reply}")), "queued");
        due_now(&app);
    }
    let waiting: String = app.sql("SELECT last_error FROM outbox");
    assert!(!waiting.contains(TOKEN) && !waiting.is_empty(), "{waiting}");
    e.deliver_due().await.unwrap();
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM messages WHERE id = {reply}")), "sent");
    let replies: Vec<_> = graph.accepted().into_iter().filter(|m| m["text"]["body"] == "Já verifico.").collect();
    assert_eq!(replies.len(), 1);
    assert_eq!(e.deliver_due().await.unwrap(), 0);

    // A refusal with a Graph code fails at once, in words.
    graph.fail(
        "/messages",
        1,
        401,
        r#"{"error":{"message":"Error validating access token","type":"OAuthException","code":190}}"#,
    );
    let refused = e.reply(&ana, conversation, "Outra.", false).await.unwrap();
    e.deliver_due().await.unwrap();
    let (status, failure): (String, String) =
        app.rows(&format!("SELECT status, failure FROM messages WHERE id = {refused}"))[0].clone();
    assert_eq!(status, "failed");
    assert!(failure.contains("token de acesso expirado"), "{failure}");
}

#[rocket::async_test]
async fn a_restart_in_the_middle_loses_and_repeats_nothing() {
    let graph = FakeGraph::start();
    let (dir, conversation) = {
        let app = App::without_jobs().await;
        let ana = app.add_user("agent", "ana", PASSWORD).await;
        let team = team(&app, "Loja", "manual", &[ana]);
        whatsapp_channel(app.db(), settings(&graph.base), team);
        assert_eq!(deliver(&app, &text(MARIA, "wamid.in.1", "Oi"), Some(APP_SECRET)).await, Status::Ok);
        let conversation: i64 = app.sql("SELECT id FROM conversations");
        let agent = Agent { user_id: ana, supervisor: false };
        engine(&app).take(&agent, conversation).await.unwrap();
        engine(&app).reply(&agent, conversation, "Antes de reiniciar", false).await.unwrap();
        (app.shared_dir(), conversation)
    };
    // The server stopped with two messages queued; Meta delivers the webhook again.
    let app = App::restart_on(dir).await;
    assert_eq!(deliver(&app, &text(MARIA, "wamid.in.1", "Oi"), Some(APP_SECRET)).await, Status::Ok);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while count(&app, "SELECT count(*) FROM outbox") > 0 {
        assert!(std::time::Instant::now() < deadline, "the outbox was not emptied after the restart");
        rocket::tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(engine(&app).deliver_due().await.unwrap(), 0);
    let bodies: Vec<String> =
        graph.accepted().iter().map(|m| m["text"]["body"].as_str().unwrap_or_default().to_string()).collect();
    assert_eq!(bodies.iter().filter(|b| *b == "Antes de reiniciar").count(), 1, "{bodies:?}");
    assert_eq!(bodies.len(), 2, "the protocol notice and the reply: {bodies:?}");
    assert_eq!(
        count(
            &app,
            &format!("SELECT count(*) FROM messages WHERE conversation_id = {conversation} AND direction = 'in'")
        ),
        1
    );
}

#[test]
fn the_same_webhook_delivered_again_and_in_parallel_is_stored_once() {
    let graph = FakeGraph::start();
    let server = crate::http::Server::start(|c| c.background_jobs = false);
    server
        .db()
        .write_now(|tx| {
            Ok(tx.execute_batch(
                "INSERT INTO teams (id, name, distribution, created_at) VALUES (1, 'Loja', 'manual', 0)",
            )?)
        })
        .unwrap();
    whatsapp_channel(server.db(), settings(&graph.base), 1);
    let image = serde_json::json!([{"from": MARIA, "id": "wamid.twice", "type": "image", "image": {"id": "77", "mime_type": "image/png"}}]);
    let body = webhook(MARIA, image, serde_json::json!([]));
    let signature = sign(APP_SECRET, &body);
    let path = format!("/webhooks/whatsapp/{KEY}");
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let calls: Vec<_> = (0..8)
            .map(|_| {
                let browser = server.browser();
                let (body, signature, path) = (body.clone(), signature.clone(), path.clone());
                s.spawn(move || {
                    browser.post_raw(&path, "application/json", body, &[("X-Hub-Signature-256", &signature)]).status
                })
            })
            .collect();
        calls.into_iter().map(|c| c.join().unwrap()).collect()
    });
    assert_eq!(statuses, vec![200; 8], "every delivery is answered 200, so Meta stops");
    let again = server.browser().post_raw(&path, "application/json", body, &[("X-Hub-Signature-256", &signature)]);
    assert_eq!(again.status, 200);
    assert_eq!(server.sql::<i64>("SELECT count(*) FROM messages WHERE direction = 'in'"), 1);
    assert_eq!(server.sql::<i64>("SELECT count(*) FROM attachments"), 1);
    assert_eq!(server.sql::<i64>("SELECT count(*) FROM conversations"), 1);
    assert_eq!(server.sql::<i64>("SELECT in_today FROM channel_health"), 1, "a duplicate is not counted");
}

const TEMPLATES: &str = r#"[
  {"name": "pedido_enviado", "language": "pt_BR", "body": "Olá {{1}}, seu pedido {{2}} foi enviado."},
  {"name": "boas_vindas", "language": "pt_BR", "body": "Oi {{nome}}! Podemos continuar?",
   "header": {"format": "image", "link": "https://loja.example/logo.png"}}
]"#;

/// Moves the contact's messages 25 hours back: their window has closed.
fn a_day_later(app: &App) {
    app.exec("UPDATE messages SET created_at = created_at - 25 * 3600 * 1000 WHERE direction = 'in'");
}

#[rocket::async_test]
async fn outside_the_24_hour_window_only_a_template_goes_and_it_arrives_with_its_parameters() {
    let (app, graph, _, ana) = shop(serde_json::from_str(TEMPLATES).unwrap()).await;
    assert_eq!(deliver(&app, &text(MARIA, "wamid.in.1", "Oi"), Some(APP_SECRET)).await, Status::Ok);
    let conversation: i64 = app.sql("SELECT id FROM conversations");
    let e = engine(&app);
    e.take(&ana, conversation).await.unwrap();
    e.deliver_due().await.unwrap();
    a_day_later(&app);
    let out = |app: &App| count(app, "SELECT count(*) FROM messages WHERE direction = 'out'");
    let before = out(&app);

    // Free text and files are refused before anything is stored.
    let refused = e.reply(&ana, conversation, "Ainda está aí?", false).await.unwrap_err();
    assert_eq!(refused.key(), "floor-window-closed");
    assert!(e.send_attachment(&ana, conversation, "a.png", "image/png", PNG.to_vec()).await.is_err());
    let browser = app.other_browser().await;
    browser.sign_in("ana", PASSWORD).await;
    let path = format!("/agent/conversations/{conversation}/messages");
    let (page, _) = browser.hx_post(&path, &[("body", "Ainda está aí?")]).await;
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert!(page.body.contains("Fora da janela de 24 horas do WhatsApp"), "the refusal in words");
    assert_eq!(out(&app), before, "nothing stored");
    // An internal note is still fine.
    e.reply(&ana, conversation, "Cliente sumiu, mandar modelo", true).await.unwrap();

    // The composer offers the approved templates, with their parameters and a preview:
    // those for every team and the conversation's team's, not another team's nor one
    // switched off.
    let other = team(&app, "Cobrança", "manual", &[]);
    app.exec(&format!(
        "INSERT INTO message_templates (name, language, body, team_id) VALUES ('cobranca_vencida', 'pt_BR', 'Oi', {other});
         INSERT INTO message_templates (name, language, body, active) VALUES ('modelo_antigo', 'pt_BR', 'Oi', 0);"
    ));
    let pane = browser.get(&format!("/agent/conversations/{conversation}/pane")).await;
    assert!(pane.body.contains("data-template-composer") && pane.body.contains("pedido_enviado (pt_BR)"));
    assert!(!pane.body.contains("cobranca_vencida") && !pane.body.contains("modelo_antigo"));
    assert!(
        pane.body.contains(r#"data-param="nome""#) && pane.body.contains("Olá {{1}}, seu pedido {{2}} foi enviado.")
    );

    // A missing parameter or an unknown template stores nothing.
    let send = format!("/agent/conversations/{conversation}/template");
    let (page, _) =
        browser.hx_post(&send, &[("name", "pedido_enviado"), ("language", "pt_BR"), ("values", "Maria")]).await;
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert!(page.body.contains("Preencha todos os parâmetros do modelo"));
    let (page, _) = browser.hx_post(&send, &[("name", "promocao"), ("language", "pt_BR")]).await;
    assert_eq!(page.status, Status::UnprocessableEntity);
    assert_eq!(out(&app), before);

    let (page, _) = browser
        .hx_post(&send, &[("name", "pedido_enviado"), ("language", "pt_BR"), ("values", "Maria"), ("values", "A-1234")])
        .await;
    assert_eq!(page.status, Status::Ok, "{}", page.body);
    e.send_template(&ana, conversation, "boas_vindas", "pt_BR", vec!["Maria".into()]).await.unwrap();
    let bodies: Vec<(String, String)> =
        app.rows("SELECT body, status FROM messages WHERE direction = 'out' AND author_id IS NOT NULL ORDER BY id");
    assert_eq!(
        bodies[0],
        ("Olá Maria, seu pedido A-1234 foi enviado.".into(), "queued".into()),
        "the text the contact reads"
    );
    e.deliver_due().await.unwrap();
    let sent = graph.accepted();
    let templates: Vec<_> = sent.iter().filter(|m| m["type"] == "template").collect();
    assert_eq!(templates.len(), 2, "{sent:?}");
    assert_eq!(templates[0]["to"], MARIA);
    assert_eq!(templates[0]["template"]["name"], "pedido_enviado");
    assert_eq!(templates[0]["template"]["language"]["code"], "pt_BR");
    assert_eq!(
        templates[0]["template"]["components"],
        serde_json::json!([{"type": "body", "parameters": [{"type": "text", "text": "Maria"}, {"type": "text", "text": "A-1234"}]}])
    );
    assert_eq!(
        templates[1]["template"]["components"],
        serde_json::json!([
            {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://loja.example/logo.png"}}]},
            {"type": "body", "parameters": [{"type": "text", "parameter_name": "nome", "text": "Maria"}]}
        ])
    );

    // Closing now: the company's closing message would fail, so it is skipped with a note.
    app.change_settings(|s| s.closing_message = "Obrigado pelo contato!".into());
    e.close(&ana, conversation, "").await.unwrap();
    assert_eq!(count(&app, "SELECT count(*) FROM messages WHERE body = 'Obrigado pelo contato!'"), 0);
    assert_eq!(count(&app, "SELECT count(*) FROM messages WHERE direction = 'system' AND body = 'window-skipped'"), 1);

    // The customer answers: the window opens again and free text goes.
    assert_eq!(deliver(&app, &text(MARIA, "wamid.in.2", "Oi, voltei"), Some(APP_SECRET)).await, Status::Ok);
    let again: i64 = app.sql("SELECT max(id) FROM conversations");
    e.take(&ana, again).await.unwrap();
    e.reply(&ana, again, "Que bom!", false).await.unwrap();
}

#[rocket::async_test]
async fn an_administrator_adds_the_number_tests_it_and_never_sees_a_secret_again() {
    let app = App::new().await;
    let graph = FakeGraph::start();
    app.add_user("admin", "chefe", PASSWORD).await;
    let team = team(&app, "Loja", "manual", &[]).to_string();
    app.sign_in("chefe", PASSWORD).await;
    let new = app.get("/admin/channels/new?kind=whatsapp").await;
    assert_eq!(new.status, Status::Ok);
    assert!(new.body.contains(r#"name="settings[access_token]""#));
    assert!(
        !new.body.contains("settings[templates]") && new.body.contains(r#"href="/admin/templates""#),
        "the approved templates have one home, linked from the channel"
    );
    let mut fields = vec![
        ("kind", "whatsapp"),
        ("name", "WhatsApp da loja"),
        ("default_team_id", team.as_str()),
        ("schedule_group_id", ""),
        ("active", "true"),
        ("settings[phone_number_id]", "106"),
        ("settings[access_token]", TOKEN),
        ("settings[app_secret]", APP_SECRET),
        ("settings[api_base]", graph.base.as_str()),
    ];
    // A Graph API address that is not one is refused with its reason, and nothing is stored.
    let mut bad = fields.clone();
    bad.retain(|(k, _)| *k != "settings[api_base]");
    bad.push(("settings[api_base]", "graph.facebook.com"));
    let refused = app.post("/admin/channels", &bad).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("Informe um endereço que comece com https://"), "the reason next to the field");
    assert!(!refused.body.contains(TOKEN) && !refused.body.contains(APP_SECRET), "a secret shown back");
    assert_eq!(count(&app, "SELECT count(*) FROM channels"), 0);

    let created = app.post("/admin/channels", &fields).await;
    assert_eq!(created.status, Status::SeeOther, "{}", created.body);
    let id: i64 = app.sql("SELECT id FROM channels");
    let page = app.get(&format!("/admin/channels/{id}")).await;
    let key: String = app.sql("SELECT key FROM channels");
    assert!(page.body.contains(&format!("/webhooks/whatsapp/{key}")), "the webhook URL to give Meta");
    let stored: String = app.sql("SELECT config FROM channels");
    let verify =
        serde_json::from_str::<serde_json::Value>(&stored).unwrap()["verify_token"].as_str().unwrap().to_string();
    assert!(verify.len() >= 20 && page.body.contains(&verify), "the verify token is made up and shown");
    assert!(!page.body.contains(TOKEN) && !page.body.contains(APP_SECRET), "a secret on the page");

    // Saved again with the secrets left empty: they stay.
    fields.retain(|(k, _)| !matches!(*k, "settings[access_token]" | "settings[app_secret]"));
    fields.push(("settings[verify_token]", verify.as_str()));
    let saved = app.post(&format!("/admin/channels/{id}"), &fields).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let stored: String = app.sql("SELECT config FROM channels");
    assert!(stored.contains(TOKEN) && stored.contains(APP_SECRET));

    let tested = app.post(&format!("/admin/channels/{id}/test"), &[]).await;
    assert!(tested.body.contains("+55 11 4000-1234"), "Testar conexão shows the number");
    graph.fail("/v21.0/106?", 1, 401, r#"{"error":{"message":"Error validating access token","code":190}}"#);
    let tested = app.post(&format!("/admin/channels/{id}/test"), &[]).await;
    assert!(tested.body.contains("token de acesso expirado"), "the reason in words");
    assert!(!tested.body.contains(TOKEN));
    let audit: String = app.sql("SELECT group_concat(details, ' ') FROM audit_log");
    assert!(
        audit.contains("\"phone_number_id\":\"106\"") && !audit.contains(TOKEN) && !audit.contains(APP_SECRET),
        "{audit}"
    );
}

#[rocket::async_test]
async fn a_conversation_started_by_an_agent_opens_with_a_template() {
    let (app, graph, channel, ana) = shop(serde_json::from_str(TEMPLATES).unwrap()).await;
    let team: i64 = app.sql("SELECT id FROM teams WHERE name = 'Loja'");
    app.exec("INSERT INTO contacts (name, phone, created_at, updated_at) VALUES ('João Lima', '5521998765432', 0, 0)");
    let contact: i64 = app.sql("SELECT id FROM contacts");
    let e = engine(&app);
    let conversation = e.start_conversation(&ana, contact, channel, team).await.unwrap();
    // He never wrote: the window is closed from the start.
    assert_eq!(e.reply(&ana, conversation, "Olá!", false).await.unwrap_err().key(), "floor-window-closed");
    let browser = app.other_browser().await;
    browser.sign_in("ana", PASSWORD).await;
    let pane = browser.get(&format!("/agent/conversations/{conversation}/pane")).await;
    assert!(pane.body.contains("data-template-composer") && pane.body.contains("boas_vindas (pt_BR)"));
    e.send_template(&ana, conversation, "boas_vindas", "pt_BR", vec!["João".into()]).await.unwrap();
    e.deliver_due().await.unwrap();
    let sent = graph.accepted();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!((sent[0]["to"].as_str(), sent[0]["type"].as_str()), (Some("5521998765432"), Some("template")));
}
