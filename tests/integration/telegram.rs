//! The Telegram channel against a fake Bot API speaking the real protocol: updates in
//! (text, a photo, a repeat, a group), replies out (split at 4,096 characters), a
//! restart in the middle of a stream, 429/502/hangs on the way out, a revoked token on
//! the channel's health, a download that fails before it works — and the bot's token in
//! no log line, health reason or stored error.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use atende::channels::telegram::{self, Settings};
use atende::db::channels::{insert_channel, ChannelFields};
use atende::domain::channel_kind::ChannelKind;
use atende::engine::service::Agent;
use atende::engine::{Engine, Event};
use serde_json::json;

use crate::common::App;
use crate::fake_telegram::{text_update, FakeTelegram, Fault, TOKEN};
use crate::outbox::queue;
use crate::workspace::team;

const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xFF\xD9";
/// A chat id above 2^32, as Telegram's are.
const CHAT: i64 = 5_123_456_789;

/// Every line the server logs, at its most detailed for the HTTP client, as it would be
/// written to standard output.
fn log() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = buffer.clone();
        let _ = atende::logging::try_init_with("info,ureq=trace,atende=debug", false, move || Captured(sink.clone()));
        buffer
    })
}

struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The part of the token after the bot's public id.
fn secret() -> &'static str {
    TOKEN.split_once(':').unwrap().1
}

/// A Telegram channel on `fake` (short waits), feeding a manual team with `agents`;
/// the channel's id.
pub fn channel(app: &App, fake: &FakeTelegram, agents: &[i64]) -> i64 {
    let team = team(app, "Telegram", "manual", agents);
    let settings = Settings {
        bot_token: TOKEN.into(),
        api_base: fake.base.clone(),
        poll_timeout_seconds: 1,
        request_timeout_seconds: 1,
    };
    let fields = ChannelFields {
        kind: ChannelKind::Telegram,
        name: "Bot da loja".into(),
        key: "loja_bot".into(),
        active: true,
        default_team_id: Some(team),
        schedule_group_id: None,
        config: settings.to_json(),
    };
    app.db().write_now(|tx| insert_channel(tx, &fields)).expect("channel")
}

/// An app with its background jobs, started on a company whose Telegram channel is
/// already there (so its supervisor starts the poller at once).
async fn running(fake: &FakeTelegram) -> (App, i64, i64) {
    log();
    let setup = App::without_jobs().await;
    let ana = setup.add_user("agent", "ana", crate::common::PASSWORD).await;
    let channel = channel(&setup, fake, &[ana]);
    let app = App::restart_on(setup.stop().await).await;
    (app, channel, ana)
}

fn engine(app: &App) -> &Engine {
    app.client.rocket().state::<Engine>().expect("engine managed")
}

/// Waits (bounded) until a query gives `expected`.
async fn until(app: &App, query: &str, expected: i64) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let now: i64 = app.sql(query);
        if now == expected {
            return;
        }
        assert!(Instant::now() < deadline, "{query}: {now}, expected {expected}");
        rocket::tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

fn inbound_texts(app: &App) -> Vec<String> {
    app.rows::<String, i64>("SELECT body, id FROM messages WHERE direction = 'in' ORDER BY id")
        .into_iter()
        .map(|(body, _)| body)
        .collect()
}

#[rocket::async_test]
async fn texts_and_photos_reach_the_agent_and_a_long_reply_arrives_in_two_parts() {
    let fake = FakeTelegram::start();
    let (app, channel, ana) = running(&fake).await;
    let mut live = engine(&app).events.subscribe();
    fake.file("ph-large", "photos/file_7.jpg", JPEG);
    fake.push(text_update(100, CHAT, "Oi, meu pedido não chegou"));
    let mut photo = text_update(101, CHAT, "");
    photo["message"].as_object_mut().unwrap().remove("text");
    photo["message"]["caption"] = json!("Foto da caixa");
    photo["message"]["photo"] = json!([{"file_id": "ph-small", "file_size": 10, "width": 90}, {"file_id": "ph-large", "file_size": 23, "width": 800}]);
    fake.push(photo);
    // From a group, with an id that jumps: moved past, and the offset follows.
    fake.push(json!({"update_id": 140, "message": {"message_id": 9, "chat": {"id": -100200, "type": "group"}, "text": "oi grupo"}}));
    until(&app, "SELECT count(*) FROM messages WHERE direction = 'in'", 2).await;
    fake.wait_until("the offset past the group's update", |f| f.confirmed() == 141);

    let conversation: i64 = app.sql("SELECT id FROM conversations");
    assert_eq!(inbound_texts(&app), ["Oi, meu pedido não chegou", "Foto da caixa"]);
    let (kind, contact): (String, String) = app
        .rows(
            "SELECT a.content_type, i.external_id FROM messages m JOIN attachments a ON a.id = m.attachment_id
             JOIN conversations c ON c.id = m.conversation_id JOIN contact_identities i ON i.contact_id = c.contact_id",
        )
        .pop()
        .expect("the photo is attached");
    assert_eq!((kind.as_str(), contact), ("image/jpeg", CHAT.to_string()));
    assert_eq!(app.sql::<String>("SELECT name FROM contacts"), "Maria Oliveira");
    assert!(app.sql::<String>("SELECT protocol FROM conversations").starts_with("TL"));
    let seen = rocket::tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            if let Ok(Event::Conversation { conversation_id, .. }) = live.recv().await {
                return conversation_id;
            }
        }
    })
    .await
    .expect("a live event for the agent's page");
    assert_eq!(seen, conversation);
    let pane = app;
    pane.sign_in("ana", crate::common::PASSWORD).await;
    let page = pane.get(&format!("/agent/conversations/{conversation}")).await;
    assert!(page.body.contains("Foto da caixa") && page.body.contains("Oi, meu pedido"), "the pane shows both");

    // The same update again (Telegram repeats what was not confirmed): stored once.
    fake.replay(text_update(100, CHAT, "Oi, meu pedido não chegou"));
    fake.push(text_update(150, CHAT, "Alguém aí?"));
    until(&pane, "SELECT count(*) FROM messages WHERE direction = 'in'", 3).await;
    assert!(fake.handed()[&100] >= 2, "the fake did repeat the update");
    assert_eq!(inbound_texts(&pane), ["Oi, meu pedido não chegou", "Foto da caixa", "Alguém aí?"]);

    let agent = Agent { user_id: ana, supervisor: false };
    engine(&pane).take(&agent, conversation).await.unwrap();
    let long: String = (0..500).map(|i| format!("linha{i:04} ")).collect::<String>().trim_end().to_string();
    assert_eq!(long.chars().count(), 4999);
    engine(&pane).reply(&agent, conversation, "Olá, Maria! Vou verificar.", false).await.unwrap();
    // Longer than an agent may type (4,096), as a message Atende writes may be.
    let reply = queue(&pane, conversation, channel, &long);
    fake.wait_until("the reply's two parts", |f| f.taken().iter().filter(|t| t.text.starts_with("linha")).count() == 2);
    until(&pane, &format!("SELECT count(*) FROM messages WHERE id = {reply} AND status = 'sent'"), 1).await;
    let taken = fake.taken();
    assert!(taken.iter().all(|t| t.chat_id == CHAT && t.method == "sendMessage"), "{taken:?}");
    let texts: Vec<&str> = taken.iter().map(|t| t.text.as_str()).collect();
    let first = texts.iter().position(|t| t.starts_with("Olá, Maria")).expect("the short reply");
    assert!(texts[0].contains("TL"), "the protocol notice went first: {texts:?}");
    let parts = &texts[first + 1..];
    assert_eq!(parts.len(), 2, "{texts:?}");
    assert!(parts.iter().all(|p| p.chars().count() <= 4096));
    assert_eq!(format!("{} {}", parts[0], parts[1]), long, "in order, nothing lost or repeated");
    let provider: String = pane.sql(&format!("SELECT provider_id FROM messages WHERE id = {reply}"));
    assert_eq!(provider, "1004", "the last part's message_id");
}

#[rocket::async_test]
async fn a_restart_in_the_middle_of_a_stream_loses_and_repeats_no_update() {
    let fake = FakeTelegram::start();
    let (app, _, _) = running(&fake).await;
    for n in 0..15 {
        fake.push(text_update(1000 + n * 3, 7_000_000_000 + n % 3, &format!("mensagem {n}")));
    }
    let deadline = Instant::now() + Duration::from_secs(15);
    while app.sql::<i64>("SELECT count(*) FROM messages WHERE direction = 'in'") < 5 {
        assert!(Instant::now() < deadline, "the first messages never arrived");
        rocket::tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let dir = app.stop().await;
    for n in 15..30 {
        fake.push(text_update(1000 + n * 3, 7_000_000_000 + n % 3, &format!("mensagem {n}")));
    }
    let app = App::restart_on(dir).await;
    until(&app, "SELECT count(*) FROM messages WHERE direction = 'in'", 30).await;
    fake.wait_until("every update confirmed", |f| f.confirmed() == 1000 + 29 * 3 + 1);
    let mut texts = inbound_texts(&app);
    texts.sort_by_key(|t| t.trim_start_matches("mensagem ").parse::<i64>().unwrap());
    let expected: Vec<String> = (0..30).map(|n| format!("mensagem {n}")).collect();
    assert_eq!(texts, expected, "each update stored exactly once");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM contacts"), 3);
    let cursor: String = app.sql("SELECT value FROM channel_cursors");
    assert_eq!(cursor, (1000 + 29 * 3 + 1).to_string());
}

#[rocket::async_test]
async fn replies_ride_out_rate_limits_bad_gateways_and_hangs_and_arrive_once() {
    let fake = FakeTelegram::start();
    let (app, channel, ana) = running(&fake).await;
    let chats = [CHAT, CHAT + 1, CHAT + 2];
    for (n, chat) in chats.iter().enumerate() {
        fake.push(text_update(10 + n as i64, *chat, "Oi"));
    }
    until(&app, "SELECT count(*) FROM conversations", 3).await;
    fake.wait_until("three protocol notices", |f| f.taken().len() == 3);
    let before = fake.send_attempts();
    fake.fail_sends(&[Fault::RetryAfter(1), Fault::BadGateway, Fault::Hang(Duration::from_millis(1500))]);
    let agent = Agent { user_id: ana, supervisor: false };
    let conversations: Vec<(i64, i64)> = app.rows("SELECT id, contact_id FROM conversations ORDER BY id");
    for (conversation, _) in &conversations {
        engine(&app).take(&agent, *conversation).await.unwrap();
        engine(&app).reply(&agent, *conversation, &format!("Resposta {conversation}"), false).await.unwrap();
    }
    until(&app, "SELECT count(*) FROM messages WHERE direction = 'out' AND status = 'sent'", 6).await;
    let replies: Vec<String> =
        fake.taken().iter().filter(|t| t.text.starts_with("Resposta")).map(|t| t.text.clone()).collect();
    let mut unique = replies.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((replies.len(), unique.len()), (3, 3), "each reply arrived exactly once: {replies:?}");
    assert!(fake.send_attempts() - before >= 6, "three faults, then three deliveries");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM outbox"), 0);
    let health = engine(&app).channel_health(channel).await.unwrap();
    assert!(!health.last_error.contains(secret()), "{}", health.last_error);

    // A customer who blocked the bot: failed at once, in words.
    fake.push(text_update(20, 666, "Oi"));
    until(&app, "SELECT count(*) FROM conversations", 4).await;
    until(&app, "SELECT count(*) FROM messages WHERE direction = 'out' AND status = 'failed'", 1).await;
    let failure: String = app.sql("SELECT failure FROM messages WHERE status = 'failed'");
    assert_eq!(failure, "O cliente bloqueou o bot");
}

#[rocket::async_test]
async fn a_revoked_token_shows_on_the_channels_health_and_never_in_a_log_line() {
    let fake = FakeTelegram::start();
    fake.fail_polls(&[Fault::Unauthorized]);
    let (app, channel, _) = running(&fake).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let health = loop {
        let health = engine(&app).channel_health(channel).await.unwrap();
        if !health.last_error.is_empty() {
            break health;
        }
        assert!(Instant::now() < deadline, "no problem recorded");
        rocket::tokio::time::sleep(Duration::from_millis(25)).await;
    };
    assert_eq!(health.last_error, "Token do bot recusado (401)");

    let ok = Settings { bot_token: TOKEN.into(), api_base: fake.base.clone(), ..Settings::default() };
    assert_eq!(telegram::test_connection(&ok), Ok("@loja_bot".to_string()));
    let wrong = Settings { bot_token: "123456789:AAHsomeoneElsesToken_999999999".into(), ..ok.clone() };
    let refused = telegram::test_connection(&wrong).unwrap_err();
    assert!(refused.contains("401") && !refused.contains("someoneElses"), "{refused}");
    let nowhere = Settings { api_base: "http://127.0.0.1:9".into(), request_timeout_seconds: 1, ..ok };
    let unreachable = telegram::test_connection(&nowhere).unwrap_err();
    assert!(!unreachable.contains(secret()), "{unreachable}");

    // The client's own lines (which name each URL at their most detailed level) and
    // ours, as the server writes them, hold no token.
    let logged = String::from_utf8_lossy(&log().lock().unwrap()).into_owned();
    assert!(logged.contains("Token do bot recusado"), "the server's lines were captured");
    assert!(!logged.contains(secret()), "the bot's token was logged");
    let stored: String = app.sql(
        "SELECT coalesce(group_concat(last_error), '') || (SELECT coalesce(group_concat(failure), '') FROM messages)
         FROM channel_health",
    );
    assert!(!stored.contains(secret()));
}

#[rocket::async_test]
async fn a_download_that_fails_twice_then_works_ends_with_the_file_attached() {
    let fake = FakeTelegram::start();
    let (app, _, _) = running(&fake).await;
    fake.file("doc-1", "documents/file_3.pdf", b"%PDF-1.7 nota fiscal");
    fake.fail_downloads(&[Fault::BadGateway, Fault::BadGateway]);
    let mut document = text_update(5, CHAT, "");
    document["message"].as_object_mut().unwrap().remove("text");
    document["message"]["document"] =
        json!({"file_id": "doc-1", "file_name": "nota.pdf", "mime_type": "application/pdf", "file_size": 20});
    fake.push(document);
    // Too large for a bot: kept as a message that says so.
    let mut big = text_update(6, CHAT, "");
    big["message"].as_object_mut().unwrap().remove("text");
    big["message"]["video"] = json!({"file_id": "vid-1", "file_name": "unboxing.mp4", "file_size": 80_000_000});
    fake.push(big);
    until(&app, "SELECT count(*) FROM messages WHERE direction = 'in'", 2).await;
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM media_downloads"), 1, "the document is owed");
    let note: String = app.sql("SELECT failure FROM messages WHERE direction = 'in' AND failure != '' ");
    assert!(note.contains("unboxing.mp4") && note.contains("20 MB"), "{note}");
    let deadline = Instant::now() + Duration::from_secs(15);
    while app.sql::<i64>("SELECT count(*) FROM media_downloads") > 0 {
        assert!(Instant::now() < deadline, "the owed file never arrived");
        app.exec("UPDATE media_downloads SET next_at = 0"); // the backoff's wait, passed
        rocket::tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (kind, name): (String, String) = app
        .rows("SELECT a.content_type, a.file_name FROM messages m JOIN attachments a ON a.id = m.attachment_id")
        .pop()
        .expect("the file attached");
    assert_eq!((kind.as_str(), name.as_str()), ("application/pdf", "nota.pdf"));
}

#[rocket::async_test]
async fn an_administrator_adds_a_bot_whose_token_is_never_shown_back_and_tests_it() {
    let fake = FakeTelegram::start();
    let app = App::without_jobs().await;
    app.add_user("admin", "chefe", crate::common::PASSWORD).await;
    let team = team(&app, "Telegram", "manual", &[]).to_string();
    app.sign_in("chefe", crate::common::PASSWORD).await;
    let form = |token: &'static str| {
        vec![
            ("kind", "telegram"),
            ("name", "Bot da loja"),
            ("settings[bot_token]", token),
            ("settings[api_base]", fake.base.as_str()),
            ("settings[poll_timeout_seconds]", "1"),
            ("default_team_id", team.as_str()),
            ("schedule_group_id", ""),
            ("active", "true"),
        ]
    };
    let refused = app.post("/admin/channels", &form("123:short")).await;
    assert_eq!(refused.status, rocket::http::Status::UnprocessableEntity, "{}", refused.body);
    assert!(refused.body.contains("como o @BotFather mostra"), "the form says how a token looks: {}", refused.body);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM channels"), 0, "nothing stored");

    let created = app.post("/admin/channels", &form(TOKEN)).await;
    assert_eq!(created.status, rocket::http::Status::SeeOther, "{}", created.body);
    let id: i64 = app.sql("SELECT id FROM channels");
    let page = app.get(&format!("/admin/channels/{id}")).await;
    assert!(page.body.contains("settings[bot_token]") && !page.body.contains(secret()), "the token is not shown back");
    // Saved again with the token left empty: the one saved stays.
    let mut again = form("");
    again.retain(|(k, _)| *k != "kind");
    let edited = app.post(&format!("/admin/channels/{id}"), &again).await;
    assert_eq!(edited.status, rocket::http::Status::SeeOther, "{}", edited.body);
    let config: String = app.sql("SELECT config FROM channels");
    assert!(config.contains(TOKEN));
    let audit: String = app.sql("SELECT coalesce(group_concat(details), '') FROM audit_log");
    assert!(!audit.contains(secret()), "the audit log keeps no token");

    let tested = app.post(&format!("/admin/channels/{id}/test"), &[]).await;
    assert!(tested.body.contains("@loja_bot"), "{}", tested.body);
}
