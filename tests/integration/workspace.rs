//! The agent workspace: lists and queues, taking and pulling, the conversation pane and
//! its actions, pauses, live events; agents of other teams are kept out.

use atende::db::channels::{insert_channel, ChannelFields};
use atende::engine::ingest::{Inbound, Ingested};
use atende::engine::Engine;
use rocket::http::Status;

use crate::common::{App, PASSWORD};
use crate::pages::Check;

const TAKEN: &str = "Outro agente já pegou este atendimento";

pub fn engine(app: &App) -> &Engine {
    app.client.rocket().state::<Engine>().expect("engine managed")
}

/// A team with members; `distribution` is `manual` or `auto`.
pub fn team(app: &App, name: &str, distribution: &str, members: &[i64]) -> i64 {
    app.exec(&format!(
        "INSERT INTO teams (name, distribution, queue_limit, require_tabulation, active, created_at) VALUES ('{name}', '{distribution}', 0, 0, 1, 0)"
    ));
    let id: i64 = app.sql(&format!("SELECT id FROM teams WHERE name = '{name}'"));
    for m in members {
        app.exec(&format!("INSERT INTO team_members (team_id, user_id) VALUES ({id}, {m})"));
    }
    id
}

/// A web chat channel whose messages go to `team`.
pub fn channel(app: &App, key: &str, team: i64) -> i64 {
    let fields = ChannelFields {
        kind: atende::domain::channel_kind::ChannelKind::WebChat,
        name: format!("Site {key}"),
        key: key.into(),
        active: true,
        default_team_id: Some(team),
        schedule_group_id: None,
        config: serde_json::json!({}),
    };
    app.db().write_now(|tx| insert_channel(tx, &fields)).expect("channel")
}

/// A message from a customer; the conversation it landed in.
pub async fn inbound(app: &App, channel: i64, who: &str, body: &str) -> i64 {
    let outcome = engine(app)
        .ingest(Inbound {
            channel_id: channel,
            contact_key: who.into(),
            contact_name: format!("Cliente {who}"),
            contact_email: String::new(),
            contact_phone: String::new(),
            external_id: None,
            body: body.into(),
            ..Default::default()
        })
        .await
        .expect("ingested");
    match outcome {
        Ingested::Stored { conversation_id, .. } => conversation_id,
        other => panic!("not stored: {other:?}"),
    }
}

/// A signed-in browser for a new agent.
pub async fn agent(app: &App, username: &str) -> (App, i64) {
    let id = app.add_user("agent", username, PASSWORD).await;
    let browser = app.other_browser().await;
    browser.sign_in(username, PASSWORD).await;
    (browser, id)
}

fn status_of(app: &App, conversation: i64) -> String {
    app.sql(&format!("SELECT status FROM conversations WHERE id = {conversation}"))
}

fn holder(app: &App, conversation: i64) -> Option<i64> {
    app.sql(&format!("SELECT agent_id FROM conversations WHERE id = {conversation}"))
}

#[rocket::async_test]
async fn the_queue_shows_to_the_team_only_and_one_agent_wins_the_take() {
    let app = App::new().await;
    let (ana, ana_id) = agent(&app, "ana").await;
    let (bia, _) = agent(&app, "bia").await;
    let (caio, _) = agent(&app, "caio").await;
    let sac = team(&app, "SAC", "manual", &[ana_id, app.sql("SELECT id FROM users WHERE username = 'bia'")]);
    team(&app, "Vendas", "manual", &[app.sql("SELECT id FROM users WHERE username = 'caio'")]);
    let site = channel(&app, "site", sac);
    let conv = inbound(&app, site, "maria", "Meu pedido não chegou").await;

    let page = ana.get("/agent").await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("Cliente maria") && page.body.contains("Meu pedido não chegou"), "in Em espera");
    assert!(page.body.contains("Puxar próximo") && page.body.contains(&format!("/agent/conversations/{conv}/take")));
    assert!(page.body.contains("agora") || page.body.contains("há "), "waiting time shown");
    let lists = ana.get("/agent/lists").await;
    assert_eq!(lists.status, Status::Ok);
    assert!(lists.body.contains("Cliente maria"));

    let other = caio.get("/agent").await;
    assert!(!other.body.contains("Cliente maria"), "another team's queue is not shown");
    // Another team's conversation answers exactly as a missing one: ids cannot be probed.
    for path in [format!("/agent/conversations/{conv}/pane"), format!("/agent/conversations/{conv}")] {
        let (theirs, missing) = (caio.get(&path).await, caio.get(&path.replace(&conv.to_string(), "9999")).await);
        assert_eq!(theirs.status, Status::NotFound, "{path}");
        let same_page =
            theirs.body.replace(&path, "") == missing.body.replace(&path.replace(&conv.to_string(), "9999"), "");
        assert!(theirs.status == missing.status && same_page, "{path}");
    }
    let take = caio.post(&format!("/agent/conversations/{conv}/take"), &[]).await;
    let take_missing = caio.post("/agent/conversations/9999/take", &[]).await;
    assert_eq!(take.status, Status::NotFound);
    assert_eq!(take.status, take_missing.status);
    assert_eq!(ana.get("/agent/conversations/9999/pane").await.status, Status::NotFound);

    let take = format!("/agent/conversations/{conv}/take");
    let (first, second) = rocket::tokio::join!(ana.post(&take, &[]), bia.post(&take, &[]));
    let (winner, loser) = if first.status == Status::SeeOther { (first, second) } else { (second, first) };
    assert_eq!(winner.status, Status::SeeOther);
    assert_eq!(winner.location.as_deref(), Some(format!("/agent/conversations/{conv}").as_str()));
    assert_eq!(loser.status, Status::Conflict);
    assert!(loser.body.contains(TAKEN), "{}", loser.body);
    assert_eq!(status_of(&app, conv), "active");

    // The holder sees it in "Em atendimento" and opens it: read, with the system events.
    let who = holder(&app, conv).unwrap();
    let holder_browser = if who == ana_id { &ana } else { &bia };
    let pane = holder_browser.get(&format!("/agent/conversations/{conv}")).await;
    assert_eq!(pane.status, Status::Ok);
    assert!(pane.body.contains("Atendimento aberto com o protocolo WC"), "{}", pane.body);
    assert!(pane.body.contains("Atendimento atribuído a"));
    assert_eq!(app.sql::<i64>(&format!("SELECT unread FROM conversations WHERE id = {conv}")), 0);

    // Pull next: an empty queue says so; a new customer is pulled.
    let empty = holder_browser.post(&format!("/agent/teams/{sac}/pull"), &[]).await;
    assert_eq!(empty.status, Status::Ok);
    assert!(empty.body.contains("A fila está vazia"));
    let next = inbound(&app, site, "joao", "Olá").await;
    let pulled = holder_browser.post(&format!("/agent/teams/{sac}/pull"), &[]).await;
    assert_eq!(pulled.location.as_deref(), Some(format!("/agent/conversations/{next}").as_str()));
    assert_eq!(caio.post(&format!("/agent/teams/{sac}/pull"), &[]).await.status, Status::Forbidden);
}

#[rocket::async_test]
async fn automatic_distribution_honours_capacity_pause_and_offline() {
    let app = App::new().await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    let bia = app.add_user("agent", "bia", PASSWORD).await;
    let caio = app.add_user("agent", "caio", PASSWORD).await;
    let dani = app.add_user("agent", "dani", PASSWORD).await;
    app.exec(&format!(
        "UPDATE users SET status = 'online', capacity = 1 WHERE id = {ana};
         UPDATE users SET status = 'online', capacity = 2 WHERE id = {bia};
         UPDATE users SET status = 'offline' WHERE id = {caio};
         UPDATE users SET status = 'online' WHERE id = {dani};
         INSERT INTO pauses (name, max_minutes, productive, cumulative, active) VALUES ('Café', 15, 0, 0, 1);"
    ));
    let cafe: i64 = app.sql("SELECT id FROM pauses WHERE name = 'Café'");
    engine(&app).start_pause(dani, cafe).await.unwrap();
    let sac = team(&app, "SAC", "auto", &[ana, bia, caio, dani]);
    let site = channel(&app, "site", sac);

    let one = inbound(&app, site, "c1", "oi").await;
    let two = inbound(&app, site, "c2", "oi").await;
    let mut first_two = [holder(&app, one).unwrap(), holder(&app, two).unwrap()];
    first_two.sort();
    assert_eq!(first_two, [ana, bia], "the least busy gets the next one");
    let three = inbound(&app, site, "c3", "oi").await;
    assert_eq!(holder(&app, three), Some(bia), "ana is full (capacity 1)");
    let four = inbound(&app, site, "c4", "oi").await;
    assert_eq!(status_of(&app, four), "waiting", "nobody free: paused and offline agents get nothing");

    // Leaving one pending frees capacity; the queue moves.
    let ana_browser = app.other_browser().await;
    ana_browser.sign_in("ana", PASSWORD).await;
    let anas = if holder(&app, one) == Some(ana) { one } else { two };
    assert_eq!(ana_browser.post(&format!("/agent/conversations/{anas}/pending"), &[]).await.status, Status::SeeOther);
    assert_eq!(status_of(&app, anas), "pending");
    assert_eq!(holder(&app, four), Some(ana), "the waiting one went to ana");
    assert!(ana_browser.get("/agent").await.body.contains("Cliente c"), "pending list");
    // The customer answers: back to "Em atendimento".
    let who = if anas == one { "c1" } else { "c2" };
    assert_eq!(inbound(&app, site, who, "voltei").await, anas);
    assert_eq!(status_of(&app, anas), "active");

    // The paused agent goes online and gets work when some is waiting.
    let five = inbound(&app, site, "c5", "oi").await;
    assert_eq!(status_of(&app, five), "waiting");
    let dani_browser = app.other_browser().await;
    dani_browser.sign_in("dani", PASSWORD).await;
    app.exec(&format!("UPDATE users SET status = 'paused' WHERE id = {dani}"));
    assert_eq!(dani_browser.post("/agent/online", &[]).await.status, Status::SeeOther);
    assert_eq!(holder(&app, five), Some(dani));
    assert_eq!(dani_browser.post("/agent/pause", &[("pause_id", &cafe.to_string())]).await.status, Status::SeeOther);
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM users WHERE id = {dani}")), "paused");
    assert_eq!(dani_browser.post("/agent/pause", &[("pause_id", "x")]).await.status, Status::UnprocessableEntity);
}

#[rocket::async_test]
async fn reply_blocked_words_classify_close_and_a_new_protocol() {
    let app = App::without_jobs().await;
    let (ana, ana_id) = agent(&app, "ana").await;
    let sac = team(&app, "SAC", "manual", &[ana_id]);
    app.exec(&format!(
        "UPDATE teams SET require_tabulation = 1 WHERE id = {sac};
         INSERT INTO tabulations (team_id, parent_id, name, active) VALUES ({sac}, NULL, 'Entrega', 1);
         INSERT INTO word_filter (kind, term) VALUES ('blocked', 'idiota');
         INSERT INTO canned_phrases (team_id, owner_id, shortcut, text) VALUES ({sac}, NULL, 'oi', 'Olá {{{{contato}}}}, sou {{{{agente}}}}. Protocolo {{{{protocolo}}}}.');"
    ));
    let reason: i64 = app.sql("SELECT id FROM tabulations WHERE name = 'Entrega'");
    let site = channel(&app, "site", sac);
    let conv = inbound(&app, site, "maria", "Oi").await;
    ana.post(&format!("/agent/conversations/{conv}/take"), &[]).await;
    app.exec(&format!("UPDATE users SET status = 'online' WHERE id = {ana_id}"));

    let protocol: String = app.sql(&format!("SELECT protocol FROM conversations WHERE id = {conv}"));
    let phrase = ana.get(&format!("/agent/conversations/{conv}/phrase?shortcut=oi")).await;
    assert_eq!(phrase.status, Status::Ok);
    assert_eq!(phrase.body, format!("Olá Cliente maria, sou ana Teste. Protocolo {protocol}."));
    assert_eq!(ana.get(&format!("/agent/conversations/{conv}/phrase?shortcut=nada")).await.status, Status::NotFound);

    let sent = ana.post(&format!("/agent/conversations/{conv}/messages"), &[("body", "Vou verificar.")]).await;
    assert_eq!(sent.status, Status::SeeOther);
    let status = |app: &App| app.sql::<String>("SELECT status FROM messages WHERE body = 'Vou verificar.'");
    assert_eq!(status(&app), "queued");
    engine(&app).deliver_due().await.unwrap();
    assert_eq!(status(&app), "sent");
    let pane = ana.get(&format!("/agent/conversations/{conv}/pane")).await;
    assert!(pane.body.contains("Vou verificar.") && pane.body.contains("tick-sent"));

    let blocked = ana.post(&format!("/agent/conversations/{conv}/messages"), &[("body", "Seu idiota")]).await;
    assert_eq!(blocked.status, Status::UnprocessableEntity);
    assert!(blocked.body.contains("o filtro da empresa bloqueia «idiota»"), "names the word: {}", blocked.body);
    assert!(blocked.body.contains(">Seu idiota</textarea>"), "text kept");
    let comment = ana
        .post(&format!("/agent/conversations/{conv}/messages"), &[("body", "Cliente nervoso"), ("internal", "true")])
        .await;
    assert_eq!(comment.status, Status::SeeOther);
    assert_eq!(app.sql::<String>("SELECT direction FROM messages WHERE body = 'Cliente nervoso'"), "internal");

    // Paused: the composer asks first, then goes online and sends.
    app.exec(&format!("UPDATE users SET status = 'paused' WHERE id = {ana_id}"));
    let paused = ana.post(&format!("/agent/conversations/{conv}/messages"), &[("body", "Ainda aí?")]).await;
    assert_eq!(paused.status, Status::Conflict);
    assert!(paused.body.contains("Você está em pausa! Deseja sair?"));
    let resumed = ana
        .post(&format!("/agent/conversations/{conv}/messages"), &[("body", "Ainda aí?"), ("go_online", "true")])
        .await;
    assert_eq!(resumed.status, Status::SeeOther);
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM users WHERE id = {ana_id}")), "online");

    let refused = ana.post(&format!("/agent/conversations/{conv}/close"), &[("comment", "resolvido")]).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("exige a classificação do atendimento"), "{}", refused.body);
    let bad = ana.post(&format!("/agent/conversations/{conv}/classify"), &[("tabulation_id", "abc")]).await;
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert_eq!(
        ana.post(&format!("/agent/conversations/{conv}/classify"), &[("tabulation_id", &reason.to_string())])
            .await
            .status,
        Status::SeeOther
    );
    assert!(ana
        .get(&format!("/agent/conversations/{conv}/pane"))
        .await
        .body
        .contains(r#"<span class="chip">Entrega</span>"#));
    let closed = ana.post(&format!("/agent/conversations/{conv}/close"), &[("comment", "resolvido")]).await;
    assert_eq!(closed.status, Status::SeeOther);
    assert_eq!(status_of(&app, conv), "closed");
    assert_eq!(
        ana.post(&format!("/agent/conversations/{conv}/messages"), &[("body", "mais")]).await.status,
        Status::Conflict,
        "a closed conversation takes no more messages"
    );

    let again = inbound(&app, site, "maria", "Preciso de ajuda com outra compra").await;
    assert_ne!(again, conv);
    let new_protocol: String = app.sql(&format!("SELECT protocol FROM conversations WHERE id = {again}"));
    assert_ne!(new_protocol, protocol);
}

#[rocket::async_test]
async fn transfer_transfer_all_and_invite() {
    let app = App::new().await;
    let (ana, ana_id) = agent(&app, "ana").await;
    let (bia, bia_id) = agent(&app, "bia").await;
    let (caio, caio_id) = agent(&app, "caio").await;
    let sac = team(&app, "SAC", "manual", &[ana_id, bia_id]);
    let vendas = team(&app, "Vendas", "manual", &[caio_id]);
    let site = channel(&app, "site", sac);
    let one = inbound(&app, site, "c1", "oi").await;
    let two = inbound(&app, site, "c2", "oi").await;
    let three = inbound(&app, site, "c3", "oi").await;
    for c in [one, two, three] {
        ana.post(&format!("/agent/conversations/{c}/take"), &[]).await;
    }

    // Invite: bia sees and writes; caio cannot be reached before.
    assert_eq!(caio.get(&format!("/agent/conversations/{one}")).await.status, Status::NotFound);
    let bad = ana.post(&format!("/agent/conversations/{one}/invite"), &[("user_id", "")]).await;
    assert_eq!(bad.status, Status::UnprocessableEntity);
    let invited = ana.post(&format!("/agent/conversations/{one}/invite"), &[("user_id", &caio_id.to_string())]).await;
    assert_eq!(invited.status, Status::SeeOther);
    assert_eq!(caio.get(&format!("/agent/conversations/{one}")).await.status, Status::Ok);
    assert!(caio.get("/agent").await.body.contains("Cliente c1"), "in the colleague's list");
    let written = caio.post(&format!("/agent/conversations/{one}/messages"), &[("body", "Oi, sou do Vendas")]).await;
    assert_eq!(written.status, Status::SeeOther);
    assert!(ana
        .get(&format!("/agent/conversations/{one}/pane"))
        .await
        .body
        .contains("entrou no atendimento a convite"));

    // Transfer to another team's queue: it moves there.
    let moved = ana
        .post(
            &format!("/agent/conversations/{two}/transfer"),
            &[("team_id", &vendas.to_string()), ("agent_id", ""), ("note", "É venda")],
        )
        .await;
    assert_eq!(moved.status, Status::SeeOther);
    assert_eq!(status_of(&app, two), "waiting");
    assert_eq!(app.sql::<i64>(&format!("SELECT team_id FROM conversations WHERE id = {two}")), vendas);
    assert!(caio.get("/agent").await.body.contains("Cliente c2"));
    let pane = caio.get(&format!("/agent/conversations/{two}/pane")).await;
    assert!(
        pane.body.contains("transferiu o atendimento para a fila da equipe Vendas") && pane.body.contains("É venda")
    );
    // To a person of the team.
    let direct = ana
        .post(
            &format!("/agent/conversations/{three}/transfer"),
            &[("team_id", &sac.to_string()), ("agent_id", &bia_id.to_string()), ("note", "")],
        )
        .await;
    assert_eq!(direct.status, Status::SeeOther);
    assert_eq!(holder(&app, three), Some(bia_id));
    let wrong = bia
        .post(
            &format!("/agent/conversations/{three}/transfer"),
            &[("team_id", &vendas.to_string()), ("agent_id", &ana_id.to_string()), ("note", "")],
        )
        .await;
    assert_eq!(wrong.status, Status::UnprocessableEntity, "ana is not in Vendas");
    assert_eq!(holder(&app, three), Some(bia_id));

    // Transfer all: everything ana holds goes to the Vendas queue.
    let all = ana.post("/agent/transfer-all", &[("team_id", &vendas.to_string()), ("note", "Fim do turno")]).await;
    assert_eq!(all.status, Status::SeeOther);
    assert_eq!(status_of(&app, one), "waiting");
    assert_eq!(
        app.sql::<i64>("SELECT count(*) FROM conversations WHERE agent_id IS NOT NULL AND status = 'active'"),
        1
    );
    assert_eq!(
        ana.post("/agent/transfer-all", &[("team_id", ""), ("note", "")]).await.status,
        Status::UnprocessableEntity
    );
}

#[rocket::async_test]
async fn live_events_are_for_signed_in_users() {
    let app = App::new().await;
    let stranger = app.get("/agent/events").await;
    assert!(matches!(stranger.status, Status::SeeOther | Status::Unauthorized));
    app.add_user("agent", "ana", PASSWORD).await;
    app.sign_in("ana", PASSWORD).await;
    let response = app.client.get("/agent/events").dispatch().await;
    assert_eq!(response.status(), Status::Ok);
    assert_eq!(response.content_type().map(|c| c.to_string()).as_deref(), Some("text/event-stream"));
    let page = app.get("/agent").await;
    assert!(page.body.contains("agent.js") && page.body.contains(r#"data-events="/agent/events""#));
}

/// The workspace with a conversation open, in the walk's language.
pub async fn walk_pages(c: &mut Check<'_>) {
    let app = c.app;
    let chefe: i64 = app.sql("SELECT id FROM users WHERE username = 'chefe'");
    let sac = team(app, "Plantão", "manual", &[chefe]);
    let site = channel(app, "walk", sac);
    let conv = inbound(app, site, "walk", "Bom dia").await;
    app.post(&format!("/agent/conversations/{conv}/take"), &[]).await;
    app.post(&format!("/agent/conversations/{conv}/messages"), &[("body", "Olá!")]).await;
    inbound(app, site, "walk-2", "Alguém?").await;
    c.get("agent/index.html", &format!("/agent/conversations/{conv}"), Status::Ok, "workspace-send").await;
    c.get("agent/index.html", "/agent", Status::Ok, "workspace-pull-next").await;
}

#[rocket::async_test]
async fn the_agent_tags_a_conversation_from_the_pane() {
    let app = App::new().await;
    let (ana, ana_id) = agent(&app, "ana").await;
    let sac = team(&app, "SAC", "manual", &[ana_id]);
    let site = channel(&app, "tags", sac);
    app.exec(&format!("INSERT INTO tags (id, team_id, name) VALUES (7, {sac}, 'Garantia'), (8, NULL, 'VIP')"));
    let c = inbound(&app, site, "cli-tag", "Meu produto quebrou").await;
    assert_eq!(ana.post(&format!("/agent/conversations/{c}/take"), &[]).await.status, Status::SeeOther);
    let pane = ana.get(&format!("/agent/conversations/{c}/pane")).await;
    assert!(pane.body.contains("Garantia") && pane.body.contains("VIP"), "both tags offered");

    let tagged = ana.post(&format!("/agent/conversations/{c}/tags"), &[("tag_id", "7")]).await;
    assert_eq!(tagged.status, Status::SeeOther);
    assert!(ana.get(&format!("/agent/conversations/{c}/pane")).await.body.contains("tag-chip"));
    assert!(ana.get("/agent/lists").await.body.contains("Garantia"), "the list row shows the tag");
    let bad = ana.post(&format!("/agent/conversations/{c}/tags"), &[("tag_id", "nada")]).await;
    assert_eq!(bad.status, Status::UnprocessableEntity);
    ana.post(&format!("/agent/conversations/{c}/tags"), &[("tag_id", "7"), ("remove", "true")]).await;
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM conversation_tags"), 0);
}
