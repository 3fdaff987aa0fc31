//! "Chat interno" (F-AG-20): colleagues with the permission write to each other one to
//! one or in their team's channel; nobody else reads, finds or hears of it; unread
//! counts, live delivery over the real stream, and parallel writers keep every message.

use std::time::Duration;

use rocket::futures::future::join_all;
use rocket::http::Status;
use rocket::local::asynchronous::LocalResponse;
use rocket::tokio::io::AsyncReadExt;

use crate::common::{encode, App};
use crate::monitoring::read_until;
use crate::workspace::{agent, engine, team};
use atende::domain::internal_chat::Peer;
use atende::web::guards::SESSION_COOKIE;

/// Reads the stream until an `event` has come whole (its data and the blank line).
async fn read_event(stream: &mut LocalResponse<'_>, event: &str) -> String {
    let mut seen = read_until(stream, &format!("event:{event}")).await;
    let mut buf = [0u8; 512];
    while !seen[seen.find(&format!("event:{event}")).unwrap_or(0)..].contains("\n\n") {
        let read = rocket::tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf)).await;
        let n = read.expect("the event came whole in time").expect("readable");
        assert!(n > 0, "the stream ended: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    seen
}

/// `browser`'s user's live stream, opened on `app` — the one server whose engine the
/// test then writes through, so its events hub is the stream's.
pub(crate) async fn stream_on<'c>(app: &'c App, browser: &App) -> LocalResponse<'c> {
    let session = browser.client.cookies().get_private(SESSION_COOKIE).expect("signed in");
    let mut stream = app.client.get("/agent/events").private_cookie(session).dispatch().await;
    assert_eq!(stream.status(), Status::Ok);
    read_until(&mut stream, "event:ready").await;
    stream
}

/// The icon's badge for this browser's user: the number shown, 0 when none.
async fn badge(browser: &App) -> i64 {
    let page = browser.get("/agent/chat/badge").await;
    assert_eq!(page.status, Status::Ok);
    crate::common::extract(&page.body, r#"data-unread="(\d+)""#).map_or(0, |n| n.parse().unwrap())
}

#[rocket::async_test]
async fn without_the_permission_there_is_no_icon_no_route_and_no_event() {
    let app = App::new().await;
    let (ana, ana_id) = agent(&app, "ana").await;
    let (bia, bia_id) = agent(&app, "bia").await;
    let sac = team(&app, "SAC", "manual", &[ana_id, bia_id]);
    app.exec(&format!("UPDATE users SET internal_chat = 0 WHERE id = {bia_id}"));

    assert!(ana.get("/agent").await.body.contains("data-chat-toggle"), "ana has the icon");
    let page = bia.get("/agent").await;
    assert_eq!(page.status, Status::Ok);
    assert!(!page.body.contains("data-chat-toggle") && !page.body.contains("chat.js"), "no icon without it");
    for path in [
        "/agent/chat".to_string(),
        "/agent/chat/list".into(),
        "/agent/chat/badge".into(),
        "/agent/chat/search?q=oi".into(),
        format!("/agent/chat/people/{ana_id}"),
        format!("/agent/chat/people/{ana_id}/messages"),
        format!("/agent/chat/teams/{sac}"),
    ] {
        assert_eq!(bia.get(&path).await.status, Status::Forbidden, "{path}");
    }
    for path in [format!("/agent/chat/people/{ana_id}"), format!("/agent/chat/teams/{sac}")] {
        assert_eq!(bia.post(&path, &[("body", "Oi")]).await.status, Status::Forbidden, "{path}");
    }
    // Nobody writes to her either, and she is not among ana's colleagues.
    assert_eq!(ana.post(&format!("/agent/chat/people/{bia_id}"), &[("body", "Oi")]).await.status, Status::NotFound);
    assert!(!ana.get("/agent/chat/list").await.body.contains("bia Teste"));

    // The team's channel does not reach her stream: the next thing it says is her own change.
    let mut stream = stream_on(&app, &bia).await;
    engine(&app).post_chat(ana_id, Peer::Team(sac), "Reunião às 15h").await.expect("written");
    engine(&app).go_online(bia_id).await.expect("online");
    let said = read_until(&mut stream, "event:change").await;
    assert!(!said.contains("event:chat"), "{said}");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM internal_messages"), 1);
}

#[rocket::async_test]
async fn a_pairs_thread_is_theirs_alone_and_search_finds_only_ones_own() {
    let app = App::new().await;
    let (ana, ana_id) = agent(&app, "ana").await;
    let (bia, bia_id) = agent(&app, "bia").await;
    let (caio, caio_id) = agent(&app, "caio").await;
    let sac = team(&app, "SAC", "manual", &[ana_id, bia_id]);

    let written = ana.post(&format!("/agent/chat/people/{bia_id}"), &[("body", "O boleto da cliente venceu")]).await;
    assert_eq!(written.status, Status::Ok);
    assert!(written.body.contains("O boleto da cliente venceu") && !written.body.contains("<html"));
    ana.post(&format!("/agent/chat/teams/{sac}"), &[("body", "Boleto novo no sistema")]).await;
    caio.post(&format!("/agent/chat/people/{ana_id}"), &[("body", "Almoço? Sem boleto hoje")]).await;

    let theirs = bia.get(&format!("/agent/chat/people/{ana_id}")).await;
    assert!(theirs.body.contains("O boleto da cliente venceu"));
    // Caio's threads with each of them hold nothing of theirs.
    for other in [ana_id, bia_id] {
        let mine = caio.get(&format!("/agent/chat/people/{other}")).await;
        assert_eq!(mine.status, Status::Ok);
        assert!(!mine.body.contains("O boleto da cliente venceu"), "{other}");
    }
    // A team he is not in is not there for him, and he cannot write to himself.
    for path in [format!("/agent/chat/teams/{sac}"), format!("/agent/chat/teams/{sac}/messages")] {
        assert_eq!(caio.get(&path).await.status, Status::NotFound, "{path}");
    }
    assert_eq!(caio.post(&format!("/agent/chat/teams/{sac}"), &[("body", "Oi")]).await.status, Status::NotFound);
    assert_eq!(caio.get(&format!("/agent/chat/people/{caio_id}")).await.status, Status::NotFound);
    assert_eq!(caio.get("/agent/chat/rooms/1").await.status, Status::NotFound);
    for path in ["/agent/chat/people/0", "/agent/chat/people/-1", "/agent/chat/teams/0"] {
        assert_eq!(caio.get(path).await.status, Status::NotFound, "{path}");
        assert_eq!(caio.post(path, &[("body", "Oi")]).await.status, Status::NotFound, "{path}");
    }
    // An id that is no number is refused as a bad request is, never a failure.
    assert_eq!(caio.get("/agent/chat/people/x").await.status, Status::UnprocessableEntity);

    let found = caio.get("/agent/chat/search?q=boleto").await;
    assert!(found.body.contains("Almoço? Sem <mark>boleto</mark> hoje"), "his own thread: {}", found.body);
    assert!(!found.body.contains("venceu") && !found.body.contains("sistema"), "nothing of theirs");
    let found = bia.get("/agent/chat/search?q=BOLETO").await;
    assert!(found.body.contains("venceu") && found.body.contains("sistema"), "pair and team: {}", found.body);
    assert!(!found.body.contains("Almoço"));
    let none = bia.get("/agent/chat/search?q=almoco").await;
    assert!(!none.body.contains("Almoço") && none.body.contains("Nenhuma mensagem"));
    // FTS syntax typed is read as words.
    assert_eq!(bia.get("/agent/chat/search?q=NEAR(%22").await.status, Status::Ok);
    // Never among the customers' conversations.
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM messages"), 0);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM conversations"), 0);
}

#[rocket::async_test]
async fn unread_counts_wait_for_a_colleague_who_is_away_and_clear_when_read() {
    let app = App::new().await;
    let (ana, ana_id) = agent(&app, "ana").await;
    let (bia, bia_id) = agent(&app, "bia").await;
    let sac = team(&app, "SAC", "manual", &[ana_id, bia_id]);
    app.exec(&format!("UPDATE users SET status = 'offline' WHERE id IN ({ana_id}, {bia_id})"));

    for text in ["Primeira", "Segunda", "Terceira"] {
        assert_eq!(ana.post(&format!("/agent/chat/people/{bia_id}"), &[("body", text)]).await.status, Status::Ok);
    }
    ana.post(&format!("/agent/chat/teams/{sac}"), &[("body", "Para a equipe")]).await;
    assert_eq!(badge(&ana).await, 0, "one's own messages are never unread");
    assert_eq!(badge(&bia).await, 4);
    let list = bia.get("/agent/chat").await.body;
    assert!(
        list.contains(r#"title="3 mensagens não lidas""#) && list.contains(r#"title="1 mensagem não lida""#),
        "{list}"
    );
    let ana_list = bia.get("/agent/chat/list").await.body;
    assert!(ana_list.contains("ana Teste") && ana_list.contains("status-offline") && ana_list.contains("Ausente"));

    let thread = bia.get(&format!("/agent/chat/people/{ana_id}")).await.body;
    let order: Vec<usize> = ["Primeira", "Segunda", "Terceira"].iter().map(|t| thread.find(t).unwrap()).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "oldest first");
    assert_eq!(badge(&bia).await, 1, "the pair is read, the team's channel not yet");
    bia.get(&format!("/agent/chat/teams/{sac}/messages")).await;
    assert_eq!(badge(&bia).await, 0);

    // Presence as the colleague list shows it: a pause by its name.
    app.exec("INSERT INTO pauses (name, max_minutes) VALUES ('Almoço', 60)");
    app.exec(&format!(
        "INSERT INTO agent_pauses (user_id, pause_id, started_at) VALUES ({ana_id}, (SELECT id FROM pauses), 0);
         UPDATE users SET status = 'paused' WHERE id = {ana_id}"
    ));
    let list = bia.get("/agent/chat/list").await.body;
    assert!(list.contains("status-paused") && list.contains("Em pausa · <bdi>Almoço</bdi>"), "{list}");
}

#[rocket::async_test]
async fn empty_and_too_long_messages_are_refused_with_what_was_typed_kept() {
    let app = App::new().await;
    let (ana, _) = agent(&app, "ana").await;
    let (_bia, bia_id) = agent(&app, "bia").await;
    let path = format!("/agent/chat/people/{bia_id}");
    let empty = ana.post(&path, &[("body", "  \n ")]).await;
    assert_eq!(empty.status, Status::UnprocessableEntity);
    assert!(empty.body.contains("Escreva algo antes de enviar."));
    let long = "ç".repeat(4001);
    let refused = ana.post(&path, &[("body", &long)]).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("4.000 caracteres") && refused.body.contains(&long), "the draft is kept");
    assert_eq!(ana.post(&path, &[("body", &"ç".repeat(4000))]).await.status, Status::Ok);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM internal_messages"), 1);
    let bad = ana.post_raw(&path, "body=%FF").await;
    assert!(bad.status.code < 500, "{}", bad.status);
}

#[rocket::async_test]
async fn a_message_reaches_the_recipients_stream_live_and_not_a_third_agents() {
    let app = App::new().await;
    let (ana, ana_id) = agent(&app, "ana").await;
    let (bia, bia_id) = agent(&app, "bia").await;
    let (caio, caio_id) = agent(&app, "caio").await;
    let mut to_ana = stream_on(&app, &ana).await;
    let mut to_bia = stream_on(&app, &bia).await;
    let mut to_caio = stream_on(&app, &caio).await;

    engine(&app).post_chat(ana_id, Peer::Person(bia_id), "Pode me ajudar?").await.expect("written");
    let said = read_event(&mut to_bia, "chat").await;
    assert!(said.contains(&format!(r#""address":"people/{ana_id}""#)) && said.contains(r#""from_me":false"#), "{said}");
    let said = read_event(&mut to_ana, "chat").await;
    assert!(said.contains(&format!(r#""address":"people/{bia_id}""#)) && said.contains(r#""from_me":true"#), "{said}");
    // What the page then fetches holds the message.
    assert!(bia.get(&format!("/agent/chat/people/{ana_id}/messages")).await.body.contains("Pode me ajudar?"));

    // Caio's stream tells him of his own change next, and nothing of the chat.
    engine(&app).go_online(caio_id).await.expect("online");
    let said = read_until(&mut to_caio, "event:change").await;
    assert!(!said.contains("event:chat"), "{said}");
}

#[rocket::async_test]
async fn parallel_writers_keep_every_message_in_one_order() {
    let app = App::new().await;
    let (ana, ana_id) = agent(&app, "ana").await;
    let (bia, bia_id) = agent(&app, "bia").await;
    let (to_bia, to_ana) = (format!("/agent/chat/people/{bia_id}"), format!("/agent/chat/people/{ana_id}"));
    let texts: Vec<(bool, String)> = (0..24).map(|i| (i % 2 == 0, format!("mensagem {i:02}"))).collect();
    let (ana_token, bia_token) = (ana.csrf().await, bia.csrf().await);
    let answers = join_all(texts.iter().map(|(from_ana, text)| async {
        let (who, path, token) = if *from_ana { (&ana, &to_bia, &ana_token) } else { (&bia, &to_ana, &bia_token) };
        who.post_raw(path, &encode(&[("csrf_token", token), ("body", text)])).await.status
    }))
    .await;
    assert!(answers.iter().all(|s| *s == Status::Ok), "{answers:?}");
    assert_eq!(app.sql::<i64>("SELECT count(DISTINCT thread_id) FROM internal_messages"), 1, "one thread per pair");
    assert_eq!(app.sql::<i64>("SELECT count(DISTINCT body) FROM internal_messages"), 24);
    // Both read the same order, the order they were stored in.
    let stored: Vec<(i64, String)> = app.rows("SELECT id, body FROM internal_messages ORDER BY id");
    let (a, b) = (ana.get(&to_bia).await.body, bia.get(&to_ana).await.body);
    for page in [a, b] {
        let at: Vec<usize> = stored.iter().map(|(_, body)| page.find(body.as_str()).expect("shown")).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]));
    }
}

#[rocket::async_test]
async fn a_team_switched_off_takes_the_chat_from_its_members_and_gives_it_back() {
    let app = App::new().await;
    app.add_user("admin", "chefe", crate::common::PASSWORD).await;
    app.sign_in("chefe", crate::common::PASSWORD).await;
    let (ana, ana_id) = agent(&app, "ana").await;
    let (bia, bia_id) = agent(&app, "bia").await;
    let vendas = team(&app, "Vendas", "manual", &[ana_id, bia_id]);
    let sac = team(&app, "SAC", "manual", &[bia_id]);
    let (bia_s, sac_s) = (bia_id.to_string(), sac.to_string());
    let form = |off: bool| {
        let mut fields = vec![("name", "SAC"), ("distribution", "manual"), ("queue_limit", "0"), ("active", "true")];
        fields.push(("members", bia_s.as_str()));
        if off {
            fields.push(("internal_chat_off", "true"));
        }
        fields
    };
    let saved = app.post(&format!("/admin/teams/{sac_s}"), &form(true)).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    assert!(app.get(&format!("/admin/teams/{sac}")).await.body.contains("Desligar o chat interno"));

    // Bia is in SAC, so she has no chat even though her own permission is on and Vendas' is too.
    assert_eq!(app.sql::<i64>(&format!("SELECT internal_chat FROM users WHERE id = {bia_id}")), 1);
    assert!(!bia.get("/agent").await.body.contains("data-chat-toggle"));
    assert_eq!(bia.get("/agent/chat").await.status, Status::Forbidden);
    let refused = bia.post(&format!("/agent/chat/teams/{vendas}"), &[("body", "Oi")]).await;
    assert_eq!(refused.status, Status::Forbidden);
    assert_eq!(ana.post(&format!("/agent/chat/people/{bia_id}"), &[("body", "Oi")]).await.status, Status::NotFound);
    assert!(!ana.get("/agent/chat/list").await.body.contains("bia Teste"));
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM internal_messages"), 0);
    let audited =
        app.sql::<String>("SELECT details FROM audit_log WHERE action = 'team.update' ORDER BY id DESC LIMIT 1");
    assert!(audited.contains(r#""internal_chat_off":true"#), "{audited}");

    // Switched back on, she is a colleague again.
    assert_eq!(app.post(&format!("/admin/teams/{sac_s}"), &form(false)).await.status, Status::SeeOther);
    assert!(bia.get("/agent").await.body.contains("data-chat-toggle"));
    assert_eq!(ana.post(&format!("/agent/chat/people/{bia_id}"), &[("body", "Oi")]).await.status, Status::Ok);
    assert!(bia.get(&format!("/agent/chat/people/{ana_id}")).await.body.contains("Oi"));
}
