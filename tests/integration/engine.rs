//! The conversations engine through its own calls: protocols, de-duplication, routing,
//! races, close rules, the word filter and the outbox across a restart.

use atende::db::channels::{self, ChannelFields};
use atende::db::teams::{self, TeamFields};
use atende::engine::ingest::{Inbound, Ingested};
use atende::engine::service::Agent;
use atende::engine::{Engine, EngineError};

use crate::common::{App, PASSWORD};

pub fn engine(app: &App) -> &Engine {
    app.client.rocket().state::<Engine>().expect("engine managed")
}

/// A team with the given distribution and a web chat channel feeding it.
fn floor(app: &App, distribution: &str, require_tabulation: bool) -> (i64, i64) {
    app.db()
        .write_now(|tx| {
            let team = teams::insert_team(
                tx,
                &TeamFields {
                    name: format!("Equipe {distribution}"),
                    distribution: distribution.into(),
                    queue_limit: 0,
                    require_tabulation,
                    active: true,
                    ..Default::default()
                },
            )?;
            Ok((team, channel_feeding(tx, team)?))
        })
        .unwrap()
}

/// A web chat channel "Site" whose conversations queue in `team`; its key is `k<team>`.
pub fn channel_feeding(tx: &rusqlite::Transaction, team: i64) -> atende::db::DbResult<i64> {
    channels::insert_channel(
        tx,
        &ChannelFields {
            kind: atende::domain::channel_kind::ChannelKind::WebChat,
            name: "Site".into(),
            key: format!("k{team}"),
            active: true,
            default_team_id: Some(team),
            schedule_group_id: None,
            config: serde_json::json!({}),
        },
    )
}

async fn agent_in(app: &App, username: &str, team: i64, capacity: i64) -> Agent {
    let id = app.add_user("agent", username, PASSWORD).await;
    app.exec(&format!(
        "INSERT INTO team_members (team_id, user_id) VALUES ({team}, {id});
         UPDATE users SET capacity = {capacity}, status = 'online' WHERE id = {id};"
    ));
    Agent { user_id: id, supervisor: false }
}

pub fn says(channel_id: i64, visitor: &str, text: &str, id: Option<&str>) -> Inbound {
    Inbound {
        channel_id,
        contact_key: format!("visitor:{visitor}"),
        contact_name: visitor.into(),
        contact_email: String::new(),
        contact_phone: String::new(),
        external_id: id.map(String::from),
        body: text.into(),
        ..Default::default()
    }
}

pub fn stored(outcome: Ingested) -> (i64, String) {
    match outcome {
        Ingested::Stored { conversation_id, protocol, .. } => (conversation_id, protocol),
        other => panic!("expected a stored message, got {other:?}"),
    }
}

#[rocket::async_test]
async fn protocols_are_unique_under_concurrent_opens_and_duplicates_are_dropped() {
    let app = App::without_jobs().await;
    let (_, channel) = floor(&app, "manual", false);
    let e = engine(&app);
    let opens = (0..20).map(|i| e.ingest(says(channel, &format!("v{i}"), "Olá", None)));
    let results = rocket::futures::future::join_all(opens).await;
    let mut protocols: Vec<String> = results.into_iter().map(|r| stored(r.unwrap()).1).collect();
    assert!(protocols
        .iter()
        .all(|p| p.len() == 13 && p.starts_with("WC") && p[2..].chars().all(|c| c.is_ascii_digit())));
    protocols.sort();
    protocols.dedup();
    assert_eq!(protocols.len(), 20);

    let first = e.ingest(says(channel, "ana", "Oi", Some("m-1"))).await.unwrap();
    let again = e.ingest(says(channel, "ana", "Oi", Some("m-1"))).await.unwrap();
    assert!(matches!(again, Ingested::Duplicate { .. }), "{again:?}");
    let (conversation, _) = stored(first);
    assert_eq!(
        app.sql::<i64>(&format!(
            "SELECT count(*) FROM messages WHERE conversation_id = {conversation} AND direction = 'in'"
        )),
        1
    );
    // The contact is told the protocol: an outbound message waits in the outbox.
    assert_eq!(app.sql::<i64>(&format!("SELECT count(*) FROM messages WHERE conversation_id = {conversation} AND direction = 'out' AND status = 'queued'")), 1);
}

#[rocket::async_test]
async fn automatic_distribution_honours_capacity_pause_and_offline() {
    let app = App::without_jobs().await;
    let (team, channel) = floor(&app, "auto", false);
    let ana = agent_in(&app, "ana", team, 1).await;
    let bia = agent_in(&app, "bia", team, 2).await;
    let caio = agent_in(&app, "caio", team, 5).await;
    app.exec(&format!("UPDATE users SET status = 'offline' WHERE id = {}", caio.user_id));
    let pause: i64 = app
        .db()
        .write_now(|tx| {
            atende::db::pauses::insert_pause(
                tx,
                &atende::db::pauses::PauseFields {
                    name: "Café".into(),
                    max_minutes: 15,
                    productive: false,
                    cumulative: false,
                    window_start: None,
                    window_end: None,
                    active: true,
                },
            )
        })
        .unwrap();
    let e = engine(&app);
    e.start_pause(bia.user_id, pause).await.unwrap();

    let (c1, _) = stored(e.ingest(says(channel, "v1", "um", None)).await.unwrap());
    let (c2, _) = stored(e.ingest(says(channel, "v2", "dois", None)).await.unwrap());
    let holder = |c: i64| app.sql::<Option<i64>>(&format!("SELECT agent_id FROM conversations WHERE id = {c}"));
    assert_eq!(holder(c1), Some(ana.user_id), "the only available agent");
    assert_eq!(holder(c2), None, "ana is full, bia paused, caio offline: it waits");

    // Bia comes back: the waiting conversation goes to her at once.
    e.go_online(bia.user_id).await.unwrap();
    assert_eq!(holder(c2), Some(bia.user_id));
    // Least busy next: both have one; bia has room (capacity 2), ana is full.
    let (c3, _) = stored(e.ingest(says(channel, "v3", "três", None)).await.unwrap());
    assert_eq!(holder(c3), Some(bia.user_id));
    // Signing out ("Sair") takes bia out of routing but keeps her conversations with her:
    // with room for one more, a new conversation still waits for her to come back.
    e.close(&bia, c3, "").await.unwrap();
    let actor = atende::accounts::Actor { user_id: Some(bia.user_id), ip: "test".into() };
    let token = atende::accounts::sessions::start(app.db(), bia.user_id, &actor, "test").await.unwrap();
    let (session, _) = atende::accounts::sessions::resume(app.db(), &token).await.unwrap().unwrap();
    atende::accounts::sessions::end(app.db(), &session, bia.user_id, &actor).await.unwrap();
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM users WHERE id = {}", bia.user_id)), "offline");
    assert_eq!(holder(c2), Some(bia.user_id), "still hers");
    let (c4, _) = stored(e.ingest(says(channel, "v4", "quatro", None)).await.unwrap());
    assert_eq!(holder(c4), None, "bia signed out, ana full, caio offline: it waits");
    e.go_online(bia.user_id).await.unwrap();
    assert_eq!(holder(c4), Some(bia.user_id));
}

#[rocket::async_test]
async fn two_agents_racing_to_take_one_conversation() {
    let app = App::without_jobs().await;
    let (team, channel) = floor(&app, "manual", false);
    let ana = agent_in(&app, "ana", team, 5).await;
    let bia = agent_in(&app, "bia", team, 5).await;
    let e = engine(&app);
    let (c, _) = stored(e.ingest(says(channel, "v1", "Olá", None)).await.unwrap());
    let (a, b) = rocket::tokio::join!(e.take(&ana, c), e.take(&bia, c));
    let wins = [a.is_ok(), b.is_ok()].iter().filter(|w| **w).count();
    assert_eq!(wins, 1, "exactly one agent gets it");
    let loser = if a.is_ok() { b } else { a };
    assert!(matches!(loser, Err(EngineError::AlreadyTaken)));

    let outsider_team = floor(&app, "auto", false).0;
    let outsider = agent_in(&app, "zeca", outsider_team, 5).await;
    let (c2, _) = stored(e.ingest(says(channel, "v2", "Oi", None)).await.unwrap());
    assert!(matches!(e.take(&outsider, c2).await, Err(EngineError::NotFound)), "not a member: as if missing");
    assert_eq!(e.pull_next(&ana, team).await.unwrap(), Some(c2));
    assert_eq!(e.pull_next(&ana, team).await.unwrap(), None);
}

#[rocket::async_test]
async fn close_requires_classification_and_a_new_message_opens_a_new_protocol() {
    let app = App::without_jobs().await;
    let (team, channel) = floor(&app, "auto", true);
    let ana = agent_in(&app, "ana", team, 5).await;
    let e = engine(&app);
    let (c, protocol) = stored(e.ingest(says(channel, "v1", "Quero trocar", None)).await.unwrap());
    assert!(matches!(e.close(&ana, c, "").await, Err(EngineError::TabulationRequired)));
    let reason = app.db().write_now(|tx| atende::db::tabulations::insert_tabulation(tx, team, None, "Troca")).unwrap();
    e.classify(&ana, c, reason).await.unwrap();
    e.close(&ana, c, "Resolvido").await.unwrap();
    assert!(matches!(e.reply(&ana, c, "mais uma", false).await, Err(EngineError::Closed)));

    // "obrigado" right after the close opens nothing and is kept with the closed one; a
    // real question opens a new protocol.
    app.exec("INSERT INTO word_filter (kind, term) VALUES ('ignore', 'obrigado')");
    let Ingested::Kept { conversation_id, message_id } =
        e.ingest(says(channel, "v1", "Obrigado!", None)).await.unwrap()
    else {
        panic!("the thank-you is kept")
    };
    assert_eq!(conversation_id, c);
    assert_eq!(app.sql::<String>(&format!("SELECT body FROM messages WHERE id = {message_id}")), "Obrigado!");
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM conversations WHERE id = {c}")), "closed");
    let (c2, protocol2) = stored(e.ingest(says(channel, "v1", "Outra dúvida", None)).await.unwrap());
    assert_ne!(c2, c);
    assert_ne!(protocol2, protocol);
}

#[rocket::async_test]
async fn blocked_words_are_refused_and_pending_comes_back_on_the_next_message() {
    let app = App::without_jobs().await;
    let (team, channel) = floor(&app, "auto", false);
    let ana = agent_in(&app, "ana", team, 1).await;
    app.exec("INSERT INTO word_filter (kind, term) VALUES ('blocked', 'idiota')");
    let e = engine(&app);
    let (c, _) = stored(e.ingest(says(channel, "v1", "Oi", None)).await.unwrap());
    match e.reply(&ana, c, "Seu IDIOTA!", false).await {
        Err(EngineError::BlockedWords(words)) => assert_eq!(words, vec!["idiota".to_string()]),
        other => panic!("expected a refusal, got {other:?}"),
    }
    e.reply(&ana, c, "Posso ajudar?", false).await.unwrap();

    e.set_pending(&ana, c).await.unwrap();
    // Pending frees capacity: the next visitor goes to Ana.
    let (c2, _) = stored(e.ingest(says(channel, "v2", "Alô", None)).await.unwrap());
    assert_eq!(
        app.sql::<Option<i64>>(&format!("SELECT agent_id FROM conversations WHERE id = {c2}")),
        Some(ana.user_id)
    );
    e.ingest(says(channel, "v1", "Voltei", None)).await.unwrap();
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM conversations WHERE id = {c}")), "active");
}

#[rocket::async_test]
async fn transfer_and_transfer_all() {
    let app = App::without_jobs().await;
    let (team, channel) = floor(&app, "auto", false);
    let (other, _) = floor(&app, "manual", false);
    let ana = agent_in(&app, "ana", team, 5).await;
    let bia = agent_in(&app, "bia", other, 5).await;
    let e = engine(&app);
    let (c1, _) = stored(e.ingest(says(channel, "v1", "um", None)).await.unwrap());
    let (c2, _) = stored(e.ingest(says(channel, "v2", "dois", None)).await.unwrap());
    e.transfer(&ana, c1, other, Some(bia.user_id), "Cliente quer falar de boleto").await.unwrap();
    assert_eq!(
        app.sql::<Option<i64>>(&format!("SELECT agent_id FROM conversations WHERE id = {c1}")),
        Some(bia.user_id)
    );
    assert_eq!(
        app.sql::<i64>(&format!(
            "SELECT count(*) FROM messages WHERE conversation_id = {c1} AND direction = 'internal'"
        )),
        1
    );
    assert!(
        matches!(e.transfer(&ana, c1, other, None, "").await, Err(EngineError::NotFound)),
        "no longer hers, nor her team's"
    );
    assert_eq!(e.transfer_all(&ana, other, "fim do turno").await.unwrap(), 1);
    assert_eq!(
        app.sql::<String>(&format!("SELECT status || ':' || team_id FROM conversations WHERE id = {c2}")),
        format!("waiting:{other}")
    );
}

#[rocket::async_test]
async fn queued_messages_are_delivered_once_after_a_restart() {
    // A server that stored messages for delivery and stopped before its outbox ran:
    // the engine on its own, without the web server and its worker.
    let dir = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let (conversation, reply) = {
        let db = atende::db::Db::open(&dir.path().join("atende.db")).unwrap();
        let before = App::restart_on(dir.clone()).await;
        let (team, channel) = floor(&before, "auto", false);
        let ana = agent_in(&before, "ana", team, 5).await;
        drop(before);
        let e = Engine::new(db);
        let (c, _) = stored(e.ingest(says(channel, "v1", "Oi", None)).await.unwrap());
        (c, e.reply(&ana, c, "Olá! Como posso ajudar?", false).await.unwrap())
    };
    let app = App::restart_on(dir.clone()).await;
    // The new server's outbox worker delivers what was queued.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.sql::<i64>("SELECT count(*) FROM outbox") > 0 {
        assert!(std::time::Instant::now() < deadline, "the outbox was not emptied after the restart");
        rocket::tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM messages WHERE id = {reply}")), "sent");
    assert_eq!(engine(&app).deliver_due().await.unwrap(), 0, "nothing left to deliver twice");
    assert_eq!(
        app.sql::<i64>(&format!(
            "SELECT count(*) FROM messages WHERE conversation_id = {conversation} AND direction = 'out'"
        )),
        2
    );
}

#[rocket::async_test]
async fn tags_of_the_team_or_the_company_only() {
    let app = App::without_jobs().await;
    let (team, channel) = floor(&app, "auto", false);
    let (other, _) = floor(&app, "manual", false);
    let ana = agent_in(&app, "ana", team, 5).await;
    app.exec(&format!(
        "INSERT INTO tags (id, team_id, name) VALUES (1, NULL, 'VIP'), (2, {team}, 'Garantia'), (3, {other}, 'Proposta')"
    ));
    let e = engine(&app);
    let (c, _) = stored(e.ingest(says(channel, "v1", "Oi", None)).await.unwrap());
    e.set_tag(&ana, c, 1, true).await.unwrap();
    e.set_tag(&ana, c, 2, true).await.unwrap();
    assert!(matches!(e.set_tag(&ana, c, 3, true).await, Err(EngineError::Invalid(_))), "another team's tag");
    assert!(matches!(e.set_tag(&ana, c, 99, true).await, Err(EngineError::Invalid(_))));
    e.set_tag(&ana, c, 1, false).await.unwrap();
    assert_eq!(
        app.sql::<String>(&format!("SELECT group_concat(tag_id) FROM conversation_tags WHERE conversation_id = {c}")),
        "2"
    );
    let outsider = agent_in(&app, "zeca", other, 5).await;
    assert!(matches!(e.set_tag(&outsider, c, 1, true).await, Err(EngineError::NotFound)));
}

#[rocket::async_test]
async fn a_pause_limited_to_a_window_is_refused_outside_it() {
    let app = App::without_jobs().await;
    let (team, _) = floor(&app, "auto", false);
    let ana = agent_in(&app, "ana", team, 5).await;
    let now = atende::domain::clock::minute_of_day(atende::db::now_ms(), chrono_tz::America::Sao_Paulo);
    // A window that ended a moment ago (or starts in a moment, just after midnight).
    let (start, end) = if now >= 10 { (0, now - 5) } else { (now + 5, now + 10) };
    app.exec(&format!(
        "INSERT INTO pauses (id, name, max_minutes, window_start, window_end) VALUES (1, 'Almoço', 60, {start}, {end}), (2, 'Café', 15, NULL, NULL)"
    ));
    let e = engine(&app);
    assert!(matches!(e.start_pause(ana.user_id, 1).await, Err(EngineError::Invalid("floor-pause-outside-window"))));
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM users WHERE id = {}", ana.user_id)), "online");
    e.start_pause(ana.user_id, 2).await.unwrap();
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM users WHERE id = {}", ana.user_id)), "paused");
}

/// Turns auto-close on: after `minutes` without a message, with this closing message.
fn auto_close_after(app: &App, minutes: i64, closing_message: &str) {
    app.change_settings(|s| {
        s.auto_close_minutes = minutes;
        s.closing_message = closing_message.into();
    });
}

#[rocket::async_test]
async fn idle_conversations_close_by_themselves_with_the_closing_message() {
    let app = App::without_jobs().await;
    let (team, channel) = floor(&app, "auto", true);
    let ana = agent_in(&app, "ana", team, 5).await;
    let e = engine(&app);
    let (active, _) = stored(e.ingest(says(channel, "v1", "Oi", None)).await.unwrap());
    let (pending, _) = stored(e.ingest(says(channel, "v2", "Já volto", None)).await.unwrap());
    e.set_pending(&ana, pending).await.unwrap();
    let now = atende::db::now_ms();
    // Off by default: nothing closes.
    assert_eq!(e.auto_close_idle(now + 10 * 3_600_000).await.unwrap(), 0);

    auto_close_after(&app, 30, "Encerramos por falta de resposta. Volte quando quiser!");
    assert_eq!(e.auto_close_idle(now + 20 * 60_000).await.unwrap(), 0, "not idle long enough");
    // 31 minutes later the active one closes (no classification needed); the pending one
    // waits three times as long.
    assert_eq!(e.auto_close_idle(now + 31 * 60_000).await.unwrap(), 1);
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM conversations WHERE id = {active}")), "closed");
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM conversations WHERE id = {pending}")), "pending");
    let goodbye: i64 = app.sql(&format!(
        "SELECT count(*) FROM messages WHERE conversation_id = {active} AND direction = 'out' AND body LIKE 'Encerramos%'"
    ));
    assert_eq!(goodbye, 1);
    assert_eq!(e.auto_close_idle(now + 91 * 60_000).await.unwrap(), 1);
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM conversations WHERE id = {pending}")), "closed");
}

#[rocket::async_test]
async fn an_auto_close_gives_the_freed_place_to_the_next_in_line() {
    let app = App::without_jobs().await;
    let (team, channel) = floor(&app, "auto", false);
    let ana = agent_in(&app, "ana", team, 1).await;
    let e = engine(&app);
    let (idle, _) = stored(e.ingest(says(channel, "v1", "Oi", None)).await.unwrap());
    let (next, _) = stored(e.ingest(says(channel, "v2", "Alô?", None)).await.unwrap());
    let holder = |c: i64| app.sql::<Option<i64>>(&format!("SELECT agent_id FROM conversations WHERE id = {c}"));
    assert_eq!(holder(idle), Some(ana.user_id));
    assert_eq!(holder(next), None, "ana is at capacity: the second one waits");

    auto_close_after(&app, 30, "");
    // Only the first conversation has been quiet for more than the limit.
    app.exec(&format!("UPDATE conversations SET last_message_at = last_message_at - 31 * 60000 WHERE id = {idle}"));
    let mut events = e.events.subscribe();
    assert_eq!(e.auto_close_idle(atende::db::now_ms()).await.unwrap(), 1);
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM conversations WHERE id = {idle}")), "closed");
    assert_eq!(holder(next), Some(ana.user_id), "the waiting conversation goes to ana at once");
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM conversations WHERE id = {next}")), "active");
    let mut published = Vec::new();
    while let Ok(event) = events.try_recv() {
        published.push(event);
    }
    let assigned =
        atende::engine::Event::Conversation { conversation_id: next, team_id: Some(team), agent_id: Some(ana.user_id) };
    assert!(published.contains(&assigned), "ana's page hears of it: {published:?}");
}
