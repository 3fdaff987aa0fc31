//! The web chat channel: the admin pages, the visitor JSON API the widget speaks, the
//! widget script and the demo shop page.

use std::collections::BTreeSet;

use atende::db::teams::{self, TeamFields};
use atende::engine::service::Agent;
use atende::engine::Engine;
use rocket::http::{ContentType, Header, Status};
use serde_json::{json, Value};

use crate::common::{App, PASSWORD};

pub struct Api {
    pub status: Status,
    pub body: Value,
    cors: Option<String>,
}

async fn call(app: &App, method: &str, path: &str, token: Option<&str>, body: Option<Vec<u8>>) -> Api {
    let mut request = match method {
        "POST" => app.client.post(path.to_string()),
        "OPTIONS" => app.client.options(path.to_string()),
        _ => app.client.get(path.to_string()),
    };
    if let Some(t) = token {
        request = request.header(Header::new("Authorization", format!("Bearer {t}")));
    }
    if let Some(b) = body {
        request = request.header(ContentType::JSON).body(b);
    }
    let response = request.dispatch().await;
    let status = response.status();
    let cors = response.headers().get_one("Access-Control-Allow-Origin").map(str::to_string);
    let text = response.into_string().await.unwrap_or_default();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
    };
    Api { status, body, cors }
}

pub async fn post_json(app: &App, path: &str, token: Option<&str>, body: Value) -> Api {
    call(app, "POST", path, token, Some(body.to_string().into_bytes())).await
}

/// An admin signed in, a manual team "Suporte" with Ana, and a web chat channel made
/// through the admin page. Returns (app, channel key, team id, Ana's id).
pub async fn setup(extra: &[(&str, &str)]) -> (App, String, i64, i64) {
    // The tests deliver the outbox themselves (`deliver_due`): no worker races them.
    let app = App::without_jobs().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    let team = app
        .db()
        .write_now(|tx| {
            let id = teams::insert_team(
                tx,
                &TeamFields {
                    name: "Suporte".into(),
                    distribution: "manual".into(),
                    queue_limit: 0,
                    require_tabulation: false,
                    active: true,
                    ..Default::default()
                },
            )?;
            teams::set_team_members(tx, id, &[ana])?;
            Ok(id)
        })
        .unwrap();
    app.sign_in("chefe", PASSWORD).await;
    let team_s = team.to_string();
    let mut fields = vec![
        ("name", "Site"),
        ("settings[color]", "#123abc"),
        ("settings[greeting]", "Olá!"),
        ("default_team_id", team_s.as_str()),
        ("schedule_group_id", ""),
        ("active", "true"),
    ];
    fields.extend_from_slice(extra);
    let created = app.post("/admin/channels", &fields).await;
    assert_eq!(created.status, Status::SeeOther, "{}", created.body);
    let key: String = app.sql("SELECT key FROM channels WHERE name = 'Site'");
    (app, key, team, ana)
}

pub async fn visitor(app: &App, key: &str, name: &str) -> String {
    let r = post_json(app, &format!("/webchat/{key}/visitors"), None, json!({ "name": name })).await;
    assert_eq!(r.status, Status::Created, "{}", r.body);
    r.body["token"].as_str().unwrap().to_string()
}

#[rocket::async_test]
async fn admin_creates_validates_and_edits_a_web_chat_channel() {
    let (app, key, team, _) = setup(&[("settings[ask_email]", "true"), ("settings[require_email]", "true")]).await;
    assert!(key.len() >= 16 && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{key}");
    let id: i64 = app.sql("SELECT id FROM channels WHERE name = 'Site'");
    let config: String = app.sql("SELECT config FROM channels WHERE name = 'Site'");
    let config: Value = serde_json::from_str(&config).unwrap();
    assert_eq!(
        (config["color"].as_str(), config["email"].as_str(), config["phone"].as_str()),
        (Some("#123abc"), Some("required"), Some("off"))
    );

    let edit = app.get(&format!("/admin/channels/{id}")).await;
    assert_eq!(edit.status, Status::Ok);
    assert!(
        edit.body.contains(&format!(
            "&lt;script src=\"http://127.0.0.1:8000/widget.js\" data-channel=\"{key}\" async&gt;&lt;/script&gt;"
        )),
        "{}",
        edit.body
    );
    assert!(edit.body.contains("readonly"));

    let team_s = team.to_string();
    let bad = app
        .post(
            "/admin/channels",
            &[
                ("name", ""),
                ("settings[color]", "blue"),
                ("settings[greeting]", ""),
                ("default_team_id", ""),
                ("schedule_group_id", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert!(bad.body.contains("Informe uma cor no formato #rrggbb."));
    assert_eq!(bad.body.matches("Preencha este campo.").count(), 2, "name and team");
    let dup = app
        .post(
            "/admin/channels",
            &[
                ("name", "SITE"),
                ("settings[color]", "#000000"),
                ("settings[greeting]", ""),
                ("default_team_id", &team_s),
                ("schedule_group_id", ""),
            ],
        )
        .await;
    assert!(dup.body.contains("Já existe um cadastro com este nome."));
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM channels"), 1);

    // Editing keeps the key.
    let saved = app
        .post(
            &format!("/admin/channels/{id}"),
            &[
                ("name", "Site novo"),
                ("settings[color]", "#000000"),
                ("settings[greeting]", ""),
                ("settings[require_email]", "true"),
                ("default_team_id", &team_s),
                ("schedule_group_id", ""),
                ("active", "true"),
            ],
        )
        .await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    assert_eq!(app.sql::<String>(&format!("SELECT key FROM channels WHERE id = {id}")), key);
    let list = app.get("/admin/channels").await;
    assert!(list.body.contains("Site novo") && list.body.contains("Suporte"));
    assert_eq!(app.get("/admin/channels/999999").await.status, Status::NotFound);

    // The pre-chat form follows the settings.
    let no_email = post_json(&app, &format!("/webchat/{key}/visitors"), None, json!({"name": "Maria"})).await;
    assert_eq!(no_email.status, Status::UnprocessableEntity);
    assert_eq!(no_email.body["field"], "email");
    assert!(no_email.body["error"].as_str().unwrap().contains("Preencha"));
    let ok =
        post_json(&app, &format!("/webchat/{key}/visitors"), None, json!({"name": "Maria", "email": "maria@x.com.br"}))
            .await;
    assert_eq!(ok.status, Status::Created);
    assert_eq!(app.sql::<String>("SELECT email FROM contacts WHERE name = 'Maria'"), "maria@x.com.br");

    // Deleting an unused channel removes it.
    let deleted = app.post(&format!("/admin/channels/{id}/delete"), &[]).await;
    assert_eq!(deleted.status, Status::SeeOther);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM channels"), 0);
}

/// The fields of the channel form (unticked boxes send nothing).
fn channel_form<'a>(name: &'a str, team: &'a str, group: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("settings[color]", "#0f5fa8"),
        ("settings[greeting]", ""),
        ("default_team_id", team),
        ("schedule_group_id", group),
    ]
}

#[rocket::async_test]
async fn a_channel_refuses_choices_gone_and_is_kept_once_it_has_conversations() {
    let (app, key, team, _) = setup(&[]).await;
    let id: i64 = app.sql("SELECT id FROM channels WHERE name = 'Site'");
    let team_s = team.to_string();

    // A team or schedule group deleted while the form was open: refused next to each.
    let gone = app.post("/admin/channels", &channel_form("Loja", "999999", "999999")).await;
    assert_eq!(gone.status, Status::UnprocessableEntity);
    assert_eq!(gone.body.matches("Escolha uma opção da lista.").count(), 2, "{}", gone.body);
    assert!(gone.body.contains(r#"value="Loja""#), "typed values kept");
    let garbage = app.post("/admin/channels", &channel_form("Loja", "SAC", "")).await;
    assert!(garbage.body.contains("Informe um número inteiro."));
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM channels"), 1, "nothing half-saved");

    // A new channel goes to its own page, with the snippet for the site.
    let created = app.post("/admin/channels", &channel_form("Loja", &team_s, "")).await;
    let loja: i64 = app.sql("SELECT id FROM channels WHERE name = 'Loja'");
    assert_eq!(created.location, Some(format!("/admin/channels/{loja}")));
    let renamed = app.post(&format!("/admin/channels/{loja}"), &channel_form("Site", &team_s, "")).await;
    assert_eq!(renamed.status, Status::UnprocessableEntity, "another channel's name");
    assert!(renamed.body.contains("Já existe um cadastro com este nome."));
    assert_eq!(app.post(&format!("/admin/channels/{loja}/delete"), &[]).await.status, Status::SeeOther);
    assert_eq!(
        app.post(&format!("/admin/channels/{loja}"), &channel_form("Loja", &team_s, "")).await.status,
        Status::NotFound,
        "a channel deleted while its form was open"
    );
    assert_eq!(app.get(&format!("/admin/channels/{loja}")).await.status, Status::NotFound);

    // Once customers wrote on it, deleting keeps it for the history, inactive.
    let token = visitor(&app, &key, "Maria").await;
    let path = format!("/webchat/{key}/messages");
    let sent = post_json(&app, &path, Some(&token), json!({"text": "Oi", "client_id": "c1"})).await;
    assert_eq!(sent.status, Status::Created, "{}", sent.body);
    assert_eq!(app.post(&format!("/admin/channels/{id}/delete"), &[]).await.status, Status::SeeOther);
    assert_eq!(app.sql::<i64>(&format!("SELECT active FROM channels WHERE id = {id}")), 0);
    let details: String = app.sql("SELECT details FROM audit_log WHERE action = 'channel.deactivate'");
    assert!(details.contains(r#""active":true"#) && details.contains(r#""active":false"#), "{details}");
    let trail: String = app.sql(&format!(
        "SELECT group_concat(action, ',') FROM (SELECT action FROM audit_log WHERE target = 'channel:{loja}' ORDER BY id)"
    ));
    assert_eq!(trail, "channel.create,channel.delete");
}

#[rocket::async_test]
async fn a_visitor_writes_and_reads_the_agents_reply() {
    let (app, key, team, ana) = setup(&[]).await;
    let config = call(&app, "GET", &format!("/webchat/{key}/config"), None, None).await;
    assert_eq!(config.status, Status::Ok);
    assert_eq!((config.body["color"].as_str(), config.body["open"].as_bool()), (Some("#123abc"), Some(true)));
    assert_eq!(config.cors.as_deref(), Some("*"));

    let token = visitor(&app, &key, "Maria").await;
    let identity: String = app.sql("SELECT external_id FROM contact_identities");
    assert!(identity.starts_with("visitor:") && !identity.contains(&token), "only the hash is stored");

    let path = format!("/webchat/{key}/messages");
    let sent = post_json(&app, &path, Some(&token), json!({"text": "Meu pedido atrasou", "client_id": "c1"})).await;
    assert_eq!(sent.status, Status::Created, "{}", sent.body);
    assert_eq!(sent.cors.as_deref(), Some("*"));
    let protocol = sent.body["protocol"].as_str().unwrap().to_string();
    assert!(regex_lite::Regex::new(r"^WC\d{11}$").unwrap().is_match(&protocol), "{protocol}");
    assert_eq!(sent.body["message"]["body"], "Meu pedido atrasou");
    assert_eq!(app.sql::<i64>(&format!("SELECT team_id FROM conversations WHERE protocol = '{protocol}'")), team);
    assert_eq!(
        app.sql::<String>(&format!("SELECT status FROM conversations WHERE protocol = '{protocol}'")),
        "waiting"
    );

    // The widget retries: one message stored.
    let again = post_json(&app, &path, Some(&token), json!({"text": "Meu pedido atrasou", "client_id": "c1"})).await;
    assert_eq!(again.status, Status::Ok);
    assert_eq!(again.body["message"]["id"], sent.body["message"]["id"]);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM messages WHERE body = 'Meu pedido atrasou'"), 1);

    let waiting = call(&app, "GET", &path, Some(&token), None).await;
    assert_eq!(waiting.status, Status::Ok);
    assert_eq!(waiting.body["conversation"]["protocol"], protocol.as_str());
    assert_eq!(waiting.body["conversation"]["position"], 1);

    // The outbox delivers the protocol notice: stored is sent for the web chat.
    let engine = app.client.rocket().state::<Engine>().unwrap();
    engine.deliver_due().await.unwrap();
    assert_eq!(app.sql::<String>("SELECT status FROM messages WHERE direction = 'out' ORDER BY id LIMIT 1"), "sent");

    // An agent takes it and replies; internal comments stay hidden.
    let conversation: i64 = app.sql(&format!("SELECT id FROM conversations WHERE protocol = '{protocol}'"));
    let agent = Agent { user_id: ana, supervisor: false };
    engine.take(&agent, conversation).await.unwrap();
    engine.reply(&agent, conversation, "Olá Maria, vou verificar.", false).await.unwrap();
    engine.reply(&agent, conversation, "cliente irritado", true).await.unwrap();
    engine.deliver_due().await.unwrap();
    let seen = call(&app, "GET", &path, Some(&token), None).await;
    let messages = seen.body["messages"].as_array().unwrap();
    let reply = messages.iter().find(|m| m["body"] == "Olá Maria, vou verificar.").expect("reply shown");
    assert_eq!(reply["author"], "ana Teste");
    assert!(messages.iter().all(|m| m["direction"] == "in" || m["direction"] == "out"));
    assert!(!seen.body.to_string().contains("cliente irritado"));
    assert!(!seen.body.to_string().contains("assigned:"), "no system events");
    assert_eq!(seen.body["conversation"]["status"], "active");
    assert_eq!(seen.body["conversation"]["position"], Value::Null);
    assert_eq!(seen.body["conversation"]["agent"], "ana Teste", "the widget can say who answers");
    assert_eq!(waiting.body["conversation"]["agent"], Value::Null, "nobody answers a waiting one");
    // Fetching marked the sent messages delivered; the widget then reports them read.
    assert_eq!(app.sql::<String>("SELECT status FROM messages WHERE body = 'Olá Maria, vou verificar.'"), "delivered");
    let mut events = engine.events.subscribe();
    let read = call(&app, "POST", &format!("/webchat/{key}/read"), Some(&token), None).await;
    assert_eq!(read.status, Status::Ok);
    assert_eq!(app.sql::<String>("SELECT status FROM messages WHERE body = 'Olá Maria, vou verificar.'"), "read");
    assert!(matches!(events.try_recv(), Ok(atende::engine::Event::MessageStatus { status, .. }) if status == "read"));
}

#[rocket::async_test]
async fn bad_requests_get_json_errors_never_pages() {
    let (app, key, _, _) = setup(&[]).await;
    let token = visitor(&app, &key, "Maria").await;
    let path = format!("/webchat/{key}/messages");

    let bad_token = post_json(&app, &path, Some("forged"), json!({"text": "oi"})).await;
    assert_eq!(bad_token.status, Status::Unauthorized);
    assert!(bad_token.body["error"].is_string());
    assert_eq!(call(&app, "GET", &path, None, None).await.status, Status::Unauthorized);
    assert_eq!(
        call(&app, "GET", &format!("/webchat/{key}/events?token=forged"), None, None).await.status,
        Status::Unauthorized
    );

    let unknown = post_json(&app, "/webchat/nope/visitors", None, json!({"name": "Maria"})).await;
    assert_eq!(unknown.status, Status::NotFound);
    assert!(unknown.body["error"].is_string());
    assert_eq!(call(&app, "GET", "/webchat/nope/config", None, None).await.status, Status::NotFound);
    assert_eq!(call(&app, "GET", "/webchat/nope/nothing/here", None, None).await.status, Status::NotFound);

    let malformed = call(&app, "POST", &path, Some(&token), Some(b"{\"text\": ".to_vec())).await;
    assert_eq!(malformed.status, Status::BadRequest);
    assert!(malformed.body["error"].is_string());
    let huge = json!({ "text": "a".repeat(100 * 1024) }).to_string().into_bytes();
    let too_large = call(&app, "POST", &path, Some(&token), Some(huge)).await;
    assert_eq!(too_large.status, Status::PayloadTooLarge);
    assert!(too_large.body["error"].is_string());
    let empty = post_json(&app, &path, Some(&token), json!({"text": "  "})).await;
    assert_eq!((empty.status, empty.body["field"].as_str()), (Status::UnprocessableEntity, Some("text")));
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM messages"), 0);

    // An inactive channel is gone for visitors.
    app.exec("UPDATE channels SET active = 0");
    assert_eq!(post_json(&app, &path, Some(&token), json!({"text": "oi"})).await.status, Status::NotFound);

    // CORS preflight.
    let preflight =
        app.client.options(path.clone()).header(Header::new("Origin", "https://loja.example")).dispatch().await;
    assert_eq!(preflight.status(), Status::NoContent);
    let h = preflight.headers();
    assert_eq!(h.get_one("Access-Control-Allow-Origin"), Some("*"));
    assert!(h.get_one("Access-Control-Allow-Headers").unwrap_or_default().contains("Authorization"));
    assert!(h.get_one("Access-Control-Allow-Methods").unwrap_or_default().contains("POST"));
}

#[rocket::async_test]
async fn protocols_are_unique_under_concurrent_visitors() {
    let (app, key, _, _) = setup(&[]).await;
    let opens = (0..20).map(|i| {
        let (app, key) = (&app, key.clone());
        async move {
            let token = visitor(app, &key, &format!("Visitante {i}")).await;
            let r = post_json(
                app,
                &format!("/webchat/{key}/messages"),
                Some(&token),
                json!({"text": "Olá", "client_id": "1"}),
            )
            .await;
            assert_eq!(r.status, Status::Created, "{}", r.body);
            r.body["protocol"].as_str().unwrap().to_string()
        }
    });
    let protocols: Vec<String> = rocket::futures::future::join_all(opens).await;
    let unique: BTreeSet<_> = protocols.iter().collect();
    assert_eq!(unique.len(), 20, "{protocols:?}");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM conversations"), 20);
}

#[rocket::async_test]
async fn widget_script_and_demo_page() {
    let app = App::new().await;
    let script = app.client.get("/widget.js").dispatch().await;
    assert_eq!(script.status(), Status::Ok);
    assert_eq!(script.content_type(), Some(ContentType::JavaScript));
    assert_eq!(script.headers().get_one("Access-Control-Allow-Origin"), Some("*"));
    let js = script.into_string().await.unwrap();
    assert!(js.contains("attachShadow") && js.contains("widget.css?v=") && !js.contains("__CSS_VERSION__"));
    assert_eq!(app.get("/demo/site").await.status, Status::NotFound, "no demo channel yet");
    atende::demo::seed(app.db()).unwrap();
    let page = app.get("/demo/site").await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("Loja Demo") && page.body.contains(r#"data-channel="demo""#));
    let config = call(&app, "GET", "/webchat/demo/config", None, None).await;
    assert_eq!(config.body["name"], "Site Demo Atende");
}

#[rocket::async_test]
async fn the_widget_gets_its_words_in_the_browsers_language() {
    let (app, key, _, _) = setup(&[]).await;
    let words = |lang: &'static str| {
        let (app, key) = (&app, key.clone());
        async move {
            call(app, "GET", &format!("/webchat/{key}/config?lang={lang}"), None, None).await.body["words"].clone()
        }
    };
    let (pt, en, es) = (words("pt-BR").await, words("en-US").await, words("es-419").await);
    assert_eq!(
        (pt["send"].as_str(), en["send"].as_str(), es["start"].as_str()),
        (Some("Enviar"), Some("Send"), Some("Iniciar conversación"))
    );
    // The widget fills in who answers and the place in the queue.
    assert_eq!(pt["answering"], "Atendimento com {name}");
    assert_eq!(en["position"], "You are number {position} in the queue");
    // A language we do not offer gets pt-BR, as the widget always chose.
    assert_eq!(words("de-DE").await["offline"], "Estamos offline");
    // Without a language named, the request's Accept-Language decides.
    let asked = app
        .client
        .get(format!("/webchat/{key}/config"))
        .header(Header::new("Accept-Language", "es-AR,es;q=0.9"))
        .dispatch()
        .await;
    let body: Value = serde_json::from_str(&asked.into_string().await.unwrap()).unwrap();
    assert_eq!(body["words"]["send"], "Enviar");
    assert_eq!(body["words"]["offline"], "Estamos desconectados");
}

/// The channel pages and the demo shop for the every-template walk (admin signed in).
pub async fn walk_pages(c: &mut crate::pages::Check<'_>) {
    if c.app.sql::<i64>("SELECT count(*) FROM teams") == 0 {
        c.app.exec("INSERT INTO teams (name, distribution, queue_limit, require_tabulation, active, created_at) VALUES ('SAC', 'manual', 0, 0, 1, 0)");
    }
    let team: i64 = c.app.sql("SELECT id FROM teams ORDER BY id LIMIT 1");
    c.get("admin/channels/form.html", "/admin/channels/new", Status::Ok, "channels-pre-chat-hint").await;
    c.app
        .post(
            "/admin/channels",
            &[
                ("name", "Site"),
                ("settings[color]", "#0f5fa8"),
                ("settings[greeting]", ""),
                ("default_team_id", &team.to_string()),
                ("schedule_group_id", ""),
                ("active", "true"),
            ],
        )
        .await;
    c.get("admin/channels/list.html", "/admin/channels", Status::Ok, "channels-new").await;
    c.app.exec("UPDATE channels SET key = 'demo' WHERE name = 'Site'");
    c.get("demo/site.html", "/demo/site", Status::Ok, "webchat-demo-tagline").await;
}

/// A multipart body with one file in the field `file`.
fn one_file(name: &str, content_type: &str, bytes: &[u8]) -> (ContentType, Vec<u8>) {
    let boundary = "XvisitorBoundary7";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (ContentType::new("multipart", "form-data").with_params(("boundary", boundary)), body)
}

#[rocket::async_test]
async fn a_visitor_sends_a_file_that_the_agent_and_only_they_can_open() {
    let (app, key, _team, _ana) = setup(&[]).await;
    let token = visitor(&app, &key, "Rita").await;
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&[0u8; 40]);
    let (ct, body) = one_file("../foto do pedido.png", "image/png", &png);
    let sent = app
        .client
        .post(format!("/webchat/{key}/attachments"))
        .header(ct)
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .body(body.clone())
        .dispatch()
        .await;
    assert_eq!(sent.status(), Status::Created);
    let answer: Value = serde_json::from_str(&sent.into_string().await.unwrap()).unwrap();
    let attachment = answer["message"]["attachment_id"].as_i64().expect("the message carries the file");
    // The file is the message: no text stands in for it, its neutralised name is shown.
    assert_eq!(answer["message"]["body"], "", "{answer}");
    assert_eq!(answer["message"]["file_name"], "foto do pedido.png", "name neutralised");
    let files: i64 = app.sql("SELECT count(*) FROM messages WHERE attachment_id IS NOT NULL AND direction = 'in'");
    assert_eq!(files, 1, "one message carries the file");

    // The visitor opens it with their token; a stranger's token gets nothing.
    let own = app.client.get(format!("/webchat/{key}/attachments/{attachment}?token={token}")).dispatch().await;
    assert_eq!(own.status(), Status::Ok);
    assert_eq!(own.content_type(), Some(ContentType::PNG));
    let other = visitor(&app, &key, "Intrusa").await;
    let stranger = app.client.get(format!("/webchat/{key}/attachments/{attachment}?token={other}")).dispatch().await;
    assert_eq!(stranger.status(), Status::NotFound);

    let no_token = app
        .client
        .post(format!("/webchat/{key}/attachments"))
        .header(one_file("a.png", "image/png", &png).0)
        .body(body)
        .dispatch()
        .await;
    assert_eq!(no_token.status(), Status::Unauthorized);
}

/// Sends raw bytes to the upload endpoint with a visitor token.
async fn upload(app: &App, key: &str, token: &str, content_type: ContentType, body: Vec<u8>) -> Api {
    let response = app
        .client
        .post(format!("/webchat/{key}/attachments"))
        .header(content_type)
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .body(body)
        .dispatch()
        .await;
    let status = response.status();
    let text = response.into_string().await.unwrap_or_default();
    Api { status, body: serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}")), cors: None }
}

#[rocket::async_test]
async fn upload_errors_name_the_real_limit_or_fault() {
    let (app, key, _, _) = setup(&[]).await;
    let token = visitor(&app, &key, "Rita").await;

    let (ct, body) = one_file("nota.txt", "text/plain", b"pedido 123");
    let ok = upload(&app, &key, &token, ct, body).await;
    assert_eq!(ok.status, Status::Created, "{}", ok.body);
    assert_eq!(ok.body["message"]["file_name"], "nota.txt", "the answer names the file: {}", ok.body);

    let (ct, body) = one_file("grande.bin", "application/octet-stream", &vec![7u8; 17 * 1024 * 1024]);
    let big = upload(&app, &key, &token, ct, body).await;
    assert_eq!(big.status, Status::PayloadTooLarge);
    assert_eq!(big.body["code"], "webchat-file-too-large");
    assert!(big.body["error"].as_str().unwrap().contains("16 MiB"), "{}", big.body);

    let (ct, body) = one_file("cortado.txt", "text/plain", b"metade do arquivo");
    let truncated = upload(&app, &key, &token, ct, body[..body.len() - 30].to_vec()).await;
    assert_eq!(truncated.status, Status::BadRequest, "{}", truncated.body);
    assert_eq!(truncated.body["code"], "webchat-bad-upload");

    let json = upload(&app, &key, &token, ContentType::JSON, br#"{"file": "x"}"#.to_vec()).await;
    assert_eq!(json.status, Status::UnsupportedMediaType);
    assert_eq!(json.body["code"], "webchat-upload-type");
    assert!(json.body["error"].as_str().unwrap().contains("multipart/form-data"), "{}", json.body);

    let huge = json!({ "text": "a".repeat(100 * 1024) }).to_string().into_bytes();
    let too_large = call(&app, "POST", &format!("/webchat/{key}/messages"), Some(&token), Some(huge)).await;
    assert_eq!(too_large.body["code"], "webchat-too-large");
    assert!(too_large.body["error"].as_str().unwrap().contains("64 KiB"), "{}", too_large.body);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM attachments"), 1, "only the good file was kept");
}

#[rocket::async_test]
async fn names_lose_direction_characters_texts_lose_nul_and_both_show_isolated() {
    let (app, key, _team, ana) = setup(&[]).await;
    // Shown raw, this name reads "Eveexe.png".
    let token = visitor(&app, &key, " Eve\u{202E}gnp.exe\u{200B}\t").await;
    assert_eq!(app.sql::<String>("SELECT name FROM contacts"), "Evegnp.exe");
    let path = format!("/webchat/{key}/messages");
    let sent =
        post_json(&app, &path, Some(&token), json!({"text": "Olá\u{0}, meu \u{7}pedido\r\nsegunda linha"})).await;
    assert_eq!(sent.status, Status::Created, "{}", sent.body);
    assert_eq!(app.sql::<String>("SELECT body FROM messages WHERE direction = 'in'"), "Olá, meu pedido\nsegunda linha");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM messages WHERE instr(body, char(0)) > 0"), 0);
    let only_nul = post_json(&app, &path, Some(&token), json!({"text": "\u{0}\u{0}"})).await;
    assert_eq!(only_nul.status, Status::UnprocessableEntity, "{}", only_nul.body);

    let conversation: i64 = app.sql("SELECT id FROM conversations");
    let engine = app.client.rocket().state::<Engine>().unwrap();
    let agent = Agent { user_id: ana, supervisor: false };
    engine.take(&agent, conversation).await.unwrap();
    engine.reply(&agent, conversation, "Resposta\u{0} da \u{202E}Ana", false).await.unwrap();
    assert_eq!(
        app.sql::<String>("SELECT body FROM messages WHERE direction = 'out' AND author_id IS NOT NULL"),
        "Resposta da \u{202E}Ana",
        "written text keeps what it says, only controls go"
    );

    // The agent's list and pane isolate the name, the preview and each message.
    let ana_browser = app.other_browser().await;
    ana_browser.sign_in("ana", PASSWORD).await;
    let lists = ana_browser.get("/agent/lists").await;
    assert!(lists.body.contains(r#"<strong class="row-name" dir="auto">Evegnp.exe</strong>"#), "{}", lists.body);
    assert!(lists.body.contains(r#"<span class="row-last" dir="auto">"#), "{}", lists.body);
    let pane = ana_browser.get(&format!("/agent/conversations/{conversation}/pane")).await;
    assert_eq!(pane.status, Status::Ok);
    assert!(pane.body.contains(r#"<h1 dir="auto" id="pane-contact-name">Evegnp.exe</h1>"#), "{}", pane.body);
    assert!(pane.body.contains("<p class=\"msg-body\" dir=\"auto\">Resposta da \u{202E}Ana</p>"), "{}", pane.body);
    let contact: i64 = app.sql("SELECT id FROM contacts");
    let page = ana_browser.get(&format!("/agent/contacts/{contact}")).await;
    assert!(page.body.contains(r#"<h1 dir="auto">Evegnp.exe</h1>"#), "{}", page.body);
    let list = ana_browser.get("/agent/contacts").await;
    assert!(
        list.body.contains(&format!(r#"<a href="/agent/contacts/{contact}" dir="auto">Evegnp.exe</a>"#)),
        "{}",
        list.body
    );
    let transcript = ana_browser.get(&format!("/agent/history/{conversation}")).await;
    assert!(transcript.body.contains(r#"dir="auto">Evegnp.exe</a>"#), "{}", transcript.body);
    assert!(
        transcript.body.contains(r#"<p class="contacts-msg-body" dir="auto">Olá, meu pedido"#),
        "{}",
        transcript.body
    );
}

#[rocket::async_test]
async fn pre_chat_takes_one_address_and_stores_it_normalised() {
    let (app, key, _team, _ana) = setup(&[("settings[ask_email]", "true")]).await;
    let path = format!("/webchat/{key}/visitors");
    for typed in ["a@b.com,c@d.com", "a@b.com;c@d.com", "Ana <ana@x.com>", "ana@x", "ana..b@x.com", "ana@x.com."] {
        let refused = post_json(&app, &path, None, json!({"name": "Ana", "email": typed})).await;
        assert_eq!(refused.status, Status::UnprocessableEntity, "{typed}: {}", refused.body);
        assert_eq!(refused.body["field"], "email", "{typed}");
    }
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM contacts"), 0);
    let ok = post_json(&app, &path, None, json!({"name": "Ana", "email": " Ana@Empresa.COM.BR "})).await;
    assert_eq!(ok.status, Status::Created, "{}", ok.body);
    let idn = post_json(&app, &path, None, json!({"name": "Bia", "email": "bia+loja@AÇAÍ.com.br"})).await;
    assert_eq!(idn.status, Status::Created, "{}", idn.body);
    assert_eq!(
        app.sql::<String>("SELECT group_concat(email, ' ') FROM (SELECT email FROM contacts ORDER BY id)"),
        "Ana@empresa.com.br bia+loja@açaí.com.br"
    );
}

/// A "thank you" right after the close is kept with the closed conversation: in its
/// transcript and in the visitor's widget, never dropped, and it opens nothing.
#[rocket::async_test]
async fn a_thank_you_after_the_close_is_kept_with_the_closed_conversation() {
    let (app, key, _team, ana) = setup(&[]).await;
    app.exec("INSERT INTO word_filter (kind, term) VALUES ('ignore', 'obrigado')");
    let token = visitor(&app, &key, "Maria").await;
    let path = format!("/webchat/{key}/messages");
    let first = post_json(&app, &path, Some(&token), json!({"text": "Onde está meu pedido?"})).await;
    let protocol = first.body["protocol"].as_str().unwrap().to_string();
    let conversation: i64 = app.sql(&format!("SELECT id FROM conversations WHERE protocol = '{protocol}'"));
    let engine = app.client.rocket().state::<Engine>().unwrap();
    let agent = Agent { user_id: ana, supervisor: false };
    engine.take(&agent, conversation).await.unwrap();
    engine.close(&agent, conversation, "").await.unwrap();

    let thanks = post_json(&app, &path, Some(&token), json!({"text": "Obrigado!"})).await;
    assert_eq!(thanks.status, Status::Created, "{}", thanks.body);
    assert_eq!(thanks.body["protocol"], protocol.as_str(), "the closed conversation's protocol");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM conversations"), 1, "no new conversation");
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM conversations WHERE id = {conversation}")), "closed");

    let widget = call(&app, "GET", &path, Some(&token), None).await;
    assert!(widget.body["messages"].as_array().unwrap().iter().any(|m| m["body"] == "Obrigado!"), "{}", widget.body);
    let chefe = app.get(&format!("/agent/history/{conversation}")).await;
    assert_eq!(chefe.status, Status::Ok);
    assert!(chefe.body.contains("Obrigado!"), "the transcript shows it");
}

#[rocket::async_test]
async fn pre_chat_takes_a_number_and_stores_it_as_e164() {
    let (app, key, _team, _ana) = setup(&[("settings[ask_phone]", "true"), ("settings[require_phone]", "true")]).await;
    let path = format!("/webchat/{key}/visitors");
    let missing = post_json(&app, &path, None, json!({"name": "Ana"})).await;
    assert_eq!((missing.status, missing.body["field"].as_str()), (Status::UnprocessableEntity, Some("phone")));
    assert_eq!(missing.body["code"], "field-required");
    let letters = post_json(&app, &path, None, json!({"name": "Ana", "phone": "11 9876-abcd"})).await;
    assert_eq!((letters.status, letters.body["code"].as_str()), (Status::UnprocessableEntity, Some("phone-digits")));
    assert!(letters.body["error"].as_str().unwrap().contains("Use somente números"), "{}", letters.body);
    // Eight digits were once enough; a number must now be one some phone can have.
    for impossible in ["12345678", "98765-4321", "+999 1234567"] {
        let refused = post_json(&app, &path, None, json!({"name": "Ana", "phone": impossible})).await;
        assert_eq!(refused.status, Status::UnprocessableEntity, "{impossible}");
        assert_eq!(
            (refused.body["field"].as_str(), refused.body["code"].as_str()),
            (Some("phone"), Some("phone-invalid"))
        );
        assert!(refused.body["error"].as_str().unwrap().contains("Número inválido"), "{}", refused.body);
    }
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM contacts"), 0);
    for (name, typed) in
        [("Ana", "(11) 98765-4321"), ("Bia", "\u{2066}+351 912 345 678\u{2069}"), ("Caio", "(21) 8333-4444")]
    {
        let ok = post_json(&app, &path, None, json!({"name": name, "phone": typed})).await;
        assert_eq!(ok.status, Status::Created, "{typed}: {}", ok.body);
    }
    assert_eq!(
        app.sql::<String>("SELECT group_concat(phone, ' ') FROM (SELECT phone FROM contacts ORDER BY id)"),
        "5511987654321 351912345678 5521983334444",
        "E.164 with the country code, a mobile given its 9th digit"
    );
}
