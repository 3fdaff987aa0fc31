//! `atende demo`'s phone and simulators, end to end over real HTTP: a customer writes on
//! /demo/phone as WhatsApp, Telegram and e-mail customer, the message reaches the bot
//! on the right channel, an agent takes it over, and the reply comes back to the phone through the
//! simulated service (WhatsApp's ticks moving), and `serve` mounts none of it.

use std::time::{Duration, Instant};

use atende::engine::service::Agent;
use rocket::http::Status;

use crate::common::{extract, App};
use crate::http::{Browser, Reply, Server};

/// Waits (bounded) until `check` gives something.
pub(crate) fn wait_for<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(Instant::now() < deadline, "never happened: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Posts a form of the phone page with the browser's CSRF token.
pub(crate) fn phone_post(customer: &Browser, path: &str, fields: &[(&str, &str)]) -> Reply {
    let page = customer.get("/demo/phone");
    let token = extract(&page.body, r#"name="csrf_token" value="([^"]+)""#).expect("the phone has a form");
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    customer.post_raw(path, "application/x-www-form-urlencoded", crate::common::encode(&all).into_bytes(), &[])
}

/// The open conversation of the demo channel `key` whose first message is `text`.
fn conversation_with(server: &Server, key: &str, text: &str) -> i64 {
    let text = text.replace('\'', "''");
    wait_for(&format!("a conversation on {key} with {text:?}"), || {
        server
            .db()
            .read_now(|c| {
                use rusqlite::OptionalExtension;
                Ok(c.query_row(
                    "SELECT m.conversation_id FROM messages m JOIN channels ch ON ch.id = m.channel_id
                 JOIN conversations c ON c.id = m.conversation_id
                 WHERE ch.key = ?1 AND m.direction = 'in' AND m.body LIKE ?2 || '%' AND c.status != 'closed'",
                    [key, text.as_str()],
                    |r| r.get(0),
                )
                .optional()?)
            })
            .expect("query")
    })
}

/// Ana takes the conversation — from the demo's bot ("Assumir") or from SAC's queue —
/// and answers; the reply's id.
fn ana_answers(server: &Server, conversation: i64, text: &str) -> i64 {
    let engine = atende::engine::Engine::new(server.db().clone());
    let ana = Agent { user_id: server.sql("SELECT id FROM users WHERE username = 'ana'"), supervisor: false };
    let text = text.to_string();
    rocket::execute(async move {
        match engine.take_over(&ana, conversation).await {
            Err(atende::engine::EngineError::AlreadyTaken) => {
                engine.take(&ana, conversation).await.expect("ana takes it")
            }
            taken => taken.expect("ana takes it over from the bot"),
        }
        engine.reply(&ana, conversation, &text, false).await.expect("ana answers")
    })
}

fn status_of(server: &Server, message: i64) -> String {
    server.sql(&format!("SELECT status FROM messages WHERE id = {message}"))
}

#[test]
fn a_whatsapp_customer_writes_on_the_phone_and_sees_the_answer_while_the_ticks_move() {
    let server = Server::start_demo();
    let customer = server.browser();
    let sent = phone_post(&customer, "/demo/phone/whatsapp", &[("text", "Oi! Meu pedido 4521 não chegou.")]);
    assert_eq!(sent.status, 303, "{}", sent.body);

    let conversation = conversation_with(&server, "demo-whatsapp", "Oi! Meu pedido 4521 não chegou.");
    let (status, team): (String, String) = server
        .db()
        .read_now(|c| {
            Ok(c.query_row(
                "SELECT c.status, t.name FROM conversations c JOIN teams t ON t.id = c.team_id WHERE c.id = ?1",
                [conversation],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    assert_eq!((status.as_str(), team.as_str()), ("bot", "SAC"), "with the demo's bot first, on SAC's channel");
    assert_eq!(
        server.sql::<String>(&format!(
            "SELECT c.phone FROM contacts c JOIN conversations v ON v.contact_id = c.id WHERE v.id = {conversation}"
        )),
        "5511976543210"
    );
    let thread = customer.get("/demo/phone/whatsapp/thread").body;
    assert!(thread.contains("Meu pedido 4521") && thread.contains("tick-delivered"), "taken by Atende: {thread}");

    let reply = ana_answers(&server, conversation, "Olá, Paula! Vou verificar o seu pedido agora.");
    // Sent, then delivered, reported by the simulator as signed webhooks.
    wait_for("the reply delivered", || (status_of(&server, reply) == "delivered").then_some(()));
    // The phone page shows it: now it is read.
    let thread = customer.get("/demo/phone/whatsapp/thread").body;
    assert!(thread.contains("Olá, Paula! Vou verificar o seu pedido agora."), "{thread}");
    wait_for("the reply read", || (status_of(&server, reply) == "read").then_some(()));
    let page = customer.get("/demo/phone?tab=whatsapp").body;
    assert!(page.contains(">lida<"), "the phone says what Atende was told: {page}");
}

#[test]
fn a_telegram_customer_writes_to_the_bot_and_reads_the_agents_answer() {
    let server = Server::start_demo();
    let customer = server.browser();
    assert_eq!(
        phone_post(&customer, "/demo/phone/telegram", &[("text", "Boa tarde, vocês entregam em Campinas?")]).status,
        303
    );
    let conversation = conversation_with(&server, "demo-telegram", "Boa tarde, vocês entregam em Campinas?");
    let name: String = server.sql(&format!(
        "SELECT c.name FROM contacts c JOIN conversations v ON v.contact_id = c.id WHERE v.id = {conversation}"
    ));
    assert_eq!(name, "Lucas Pereira");
    ana_answers(&server, conversation, "Entregamos sim, Lucas! Em até 3 dias úteis.");
    wait_for("the bot's message on the phone", || {
        customer.get("/demo/phone/telegram/thread").body.contains("Entregamos sim, Lucas!").then_some(())
    });
    // A second message is a new update, past the confirmed offset: the same conversation.
    phone_post(&customer, "/demo/phone/telegram", &[("text", "Ótimo, obrigado pela ajuda")]);
    assert_eq!(conversation_with(&server, "demo-telegram", "Ótimo, obrigado pela ajuda"), conversation);
}

#[test]
fn demo_mail_arrives_and_the_agents_reply_is_threaded_on_the_customers_side() {
    let server = Server::start_demo();
    let customer = server.browser();
    // The mails waiting at start reach the queue within the first minute.
    let helena = conversation_with(&server, "demo-email", "Olá! Comprei uma cafeteira na semana passada");
    wait_for("Roberto's mail too", || {
        (server.sql::<i64>(
            "SELECT count(*) FROM conversations c JOIN channels ch ON ch.id = c.channel_id WHERE ch.key = 'demo-email'",
        ) == 2)
            .then_some(())
    });
    ana_answers(&server, helena, "Olá, Helena! Enviamos a nota fiscal em anexo ao seu e-mail.");
    let thread = wait_for("the reply in Helena's mailbox", || {
        let body = customer.get("/demo/phone/email/thread").body;
        body.contains("Enviamos a nota fiscal").then_some(body)
    });
    let conversation = thread.split("<article").find(|a| a.contains("Nota fiscal do pedido 4521")).expect("her thread");
    assert!(conversation.contains("Enviamos a nota fiscal"), "the reply joins the thread it answers: {thread}");
    assert!(
        conversation.contains("Re: Nota fiscal do pedido 4521 ["),
        "with the protocol in the subject: {conversation}"
    );

    // She writes again, answering in that thread: it reaches the same conversation.
    let sent =
        phone_post(&customer, "/demo/phone/email", &[("thread", "0"), ("subject", ""), ("text", "Recebi, obrigada!")]);
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(conversation_with(&server, "demo-email", "Recebi, obrigada!"), helena);
    // A new mail needs a subject; the refusal says so in words.
    let refused = phone_post(&customer, "/demo/phone/email", &[("subject", " "), ("text", "Outra dúvida")]);
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Dê um assunto ao e-mail."), "{}", refused.body);
}

#[test]
fn the_phone_refuses_empty_messages_forms_without_a_token_and_strangers_at_the_apis() {
    let server = Server::start_demo();
    let customer = server.browser();
    let empty = phone_post(&customer, "/demo/phone/whatsapp", &[("text", "   ")]);
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("Escreva a mensagem antes de enviar."));
    let long = "a".repeat(4097);
    assert!(phone_post(&customer, "/demo/phone/telegram", &[("text", &long)]).body.contains("4.096"));
    for path in ["/demo/phone/whatsapp", "/demo/phone/telegram", "/demo/phone/email"] {
        let bare = customer.post_raw(path, "application/x-www-form-urlencoded", b"text=oi&subject=x".to_vec(), &[]);
        assert_eq!(bare.status, 403, "{path} without a CSRF token");
    }
    let graph = customer.post_raw("/demo/graph/v21.0/100200300400/messages", "application/json", b"{}".to_vec(), &[]);
    assert_eq!(graph.status, 401);
    assert!(graph.body.contains("190"), "Meta's error for a bad token: {}", graph.body);
    let bot = customer.get("/demo/telegram/bot123:nope/getMe");
    assert_eq!(bot.status, 401);
    assert!(bot.body.contains(r#""ok":false"#));
    assert_eq!(customer.get("/demo/phone/fax/thread").status, 404);
    assert_eq!(server.sql::<i64>("SELECT count(*) FROM messages WHERE direction = 'in' AND body = 'oi'"), 0);
}

#[rocket::async_test]
async fn serve_mounts_neither_the_phone_nor_the_simulators() {
    let app = App::new().await;
    atende::demo::seed(app.db()).unwrap();
    for path in ["/demo/phone", "/demo/phone/events", "/demo/graph/v21.0/100200300400", "/demo/telegram/bot1:x/getMe"] {
        assert_eq!(app.get(path).await.status, Status::NotFound, "{path}");
    }
    assert!(!app.get("/demo/site").await.body.contains("/demo/phone"), "the shop links the phone only in the demo");
}

#[rocket::async_test]
async fn a_second_demo_start_points_the_channels_at_the_new_servers() {
    let app = App::demo().await;
    let config = |key: &str| app.sql::<String>(&format!("SELECT config FROM channels WHERE key = '{key}'"));
    let before = config("demo-email");
    let dir = app.stop().await;
    let again = App::demo_on(dir).await;
    assert_eq!(again.sql::<i64>("SELECT count(*) FROM channels WHERE key LIKE 'demo-%'"), 3, "no channel twice");
    assert_ne!(again.sql::<String>("SELECT config FROM channels WHERE key = 'demo-email'"), before, "new ports");
    let page = again.get("/demo/site").await;
    assert!(page.body.contains(r#"href="/demo/phone""#), "the shop links the phone");
}
