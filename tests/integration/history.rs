//! "Histórico" in the top menu: the closed conversations the agent may see, newest
//! first, a page at a time, filtered by period, protocol, contact name and "Mensagens
//! contendo"; each row opens its transcript.

use atende::engine::ingest::Ingested;
use atende::engine::service::Agent;
use atende::engine::Engine;
use rocket::http::Status;

use crate::common::{sac_with, visitor_message, App, PASSWORD};

fn engine(app: &App) -> &Engine {
    app.client.rocket().state::<Engine>().expect("engine managed")
}

/// A conversation of `who` on `channel`, held and closed by `agent`; its id.
async fn closed(app: &App, channel: i64, who: &str, body: &str, agent: i64) -> i64 {
    let inbound = visitor_message(channel, who, who, body);
    let Ingested::Stored { conversation_id, .. } = engine(app).ingest(inbound).await.unwrap() else { panic!() };
    let agent = Agent { user_id: agent, supervisor: false };
    engine(app).take(&agent, conversation_id).await.unwrap();
    engine(app).close(&agent, conversation_id, "").await.unwrap();
    conversation_id
}

fn protocol(app: &App, id: i64) -> String {
    app.sql(&format!("SELECT protocol FROM conversations WHERE id = {id}"))
}

/// The protocols a history page lists, in order.
fn listed(body: &str) -> Vec<String> {
    let re = regex_lite::Regex::new(r#"<a href="/agent/history/\d+(?:#m\d+)?">([A-Z]{2}\d+)</a>"#).unwrap();
    re.captures_iter(body).map(|c| c[1].to_string()).collect()
}

#[rocket::async_test]
async fn history_lists_the_closed_conversations_one_may_see_with_filters() {
    let app = App::new().await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    let bia = app.add_user("agent", "bia", PASSWORD).await;
    app.exec(&format!(
        "INSERT INTO teams (id, name, distribution, created_at) VALUES (1, 'SAC', 'manual', 0), (2, 'Vendas', 'manual', 0);
         INSERT INTO team_members (team_id, user_id) VALUES (1, {ana}), (2, {bia});
         INSERT INTO channels (id, kind, name, key, default_team_id, created_at)
           VALUES (1, 'webchat', 'Site', 'site', 1, 0), (2, 'webchat', 'Loja', 'loja', 2, 0);
         UPDATE users SET history_scope = 'own' WHERE id IN ({ana}, {bia});"
    ));
    let boleto = closed(&app, 1, "Maria Souza", "Preciso da segunda via do boleto", ana).await;
    let entrega = closed(&app, 1, "João Lima", "A entrega atrasou", ana).await;
    let vendas = closed(&app, 2, "Carla Dias", "Quero comprar à vista no boleto", bia).await;
    // An open conversation is not history.
    engine(&app).ingest(visitor_message(1, "aberto", "Aberto", "boleto de novo")).await.unwrap();
    // Closed on known days (São Paulo): 2026-03-02, 2026-03-10 and 2026-03-20 at noon.
    for (id, day) in [(boleto, "2026-03-02"), (entrega, "2026-03-10"), (vendas, "2026-03-20")] {
        app.exec(&format!(
            "UPDATE conversations SET closed_at = CAST(strftime('%s', '{day} 15:00:00') AS INTEGER) * 1000 WHERE id = {id}"
        ));
    }

    app.sign_in("ana", PASSWORD).await;
    let page = app.get("/agent/history").await;
    assert_eq!(page.status, Status::Ok);
    // The top menu's page: closed conversations, not a page titled "Mensagens contendo".
    assert!(page.body.contains("<title>Histórico"), "{}", page.body);
    assert!(page.body.contains(r#"<a href="/agent/history" aria-current="page">Histórico</a>"#));
    assert!(!page.body.contains(r#"class="subnav""#), "no sub-tabs repeating the top menu");
    // ana's team only, newest first, with contact, team, agent and when it closed.
    assert_eq!(listed(&page.body), vec![protocol(&app, entrega), protocol(&app, boleto)]);
    assert!(page.body.contains("João Lima") && page.body.contains("SAC") && page.body.contains("ana Teste"));
    assert!(page.body.contains("10/03/2026 12:00"), "in the company's time zone, as pt-BR writes it");
    assert!(page.body.contains(&format!(r#"href="/agent/history/{entrega}""#)), "each row opens its transcript");
    assert_eq!(app.get(&format!("/agent/history/{entrega}")).await.status, Status::Ok);

    let filtered = |q: &str| {
        let app = &app;
        let q = q.to_string();
        async move { listed(&app.get(&format!("/agent/history?{q}")).await.body) }
    };
    // "Mensagens contendo": words of the messages, accents and case aside.
    assert_eq!(filtered("q=BOLETO").await, vec![protocol(&app, boleto)]);
    let hit = app.get("/agent/history?q=segunda+via").await;
    assert!(hit.body.contains("<mark>segunda</mark> <mark>via</mark>"), "the matching words marked: {}", hit.body);
    assert!(hit.body.contains(&format!("/agent/history/{boleto}#m")), "opens at the message");
    assert!(filtered("q=atrasou+boleto").await.is_empty(), "every word must match");
    // Period (both days included), protocol, contact name.
    assert_eq!(filtered("from=2026-03-05").await, vec![protocol(&app, entrega)]);
    assert_eq!(filtered("until=2026-03-02").await, vec![protocol(&app, boleto)]);
    assert_eq!(filtered("from=2026-03-01&until=2026-03-31").await.len(), 2);
    let number = protocol(&app, boleto);
    assert_eq!(filtered(&format!("protocol={}", &number[number.len() - 4..])).await, vec![number.clone()]);
    assert_eq!(filtered("contact=lima").await, vec![protocol(&app, entrega)]);
    assert_eq!(filtered("contact=souza&q=boleto").await, vec![number.clone()]);
    let none = app.get("/agent/history?contact=ninguem").await;
    assert!(none.body.contains("Nenhum atendimento finalizado com estes filtros."), "{}", none.body);
    let bad_day = app.get("/agent/history?from=ontem").await;
    assert_eq!(bad_day.status, Status::Ok);
    assert!(bad_day.body.contains("Informe uma data válida"));
    // What is typed is never FTS syntax.
    for q in ["\"", "boleto OR", "NEAR(", "body:x", "*", "-boleto"] {
        assert_eq!(app.get(&format!("/agent/history?q={}", atende::web::urlencode(q))).await.status, Status::Ok);
    }

    // bia (Vendas) sees her team's; with the "all" permission, everyone's.
    let bia_browser = app.other_browser().await;
    bia_browser.sign_in("bia", PASSWORD).await;
    assert_eq!(listed(&bia_browser.get("/agent/history").await.body), vec![protocol(&app, vendas)]);
    assert!(listed(&bia_browser.get("/agent/history?q=segunda").await.body).is_empty());
    app.exec(&format!("UPDATE users SET history_scope = 'all' WHERE id = {bia}"));
    assert_eq!(listed(&bia_browser.get("/agent/history").await.body).len(), 3);
    // Without the permission: only what one held, nothing of the team's.
    let caio = app.add_user("agent", "caio", PASSWORD).await;
    app.exec(&format!("INSERT INTO team_members (team_id, user_id) VALUES (1, {caio}); UPDATE users SET history_scope = 'none' WHERE id IN ({ana}, {caio})"));
    assert_eq!(listed(&app.get("/agent/history").await.body).len(), 2, "ana held both");
    let caio_browser = app.other_browser().await;
    caio_browser.sign_in("caio", PASSWORD).await;
    let nothing = caio_browser.get("/agent/history").await;
    assert!(
        listed(&nothing.body).is_empty() && nothing.body.contains("Nenhum atendimento finalizado que você possa ver.")
    );
}

#[rocket::async_test]
async fn history_pages_keep_their_filters() {
    let app = App::new().await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    sac_with(&app, &[ana]);
    let mut ids = Vec::new();
    for n in 0..27 {
        ids.push(closed(&app, 1, &format!("Cliente {n:02}"), "pedido", ana).await);
    }
    app.sign_in("ana", PASSWORD).await;
    let first = app.get("/agent/history?q=pedido").await;
    assert_eq!(listed(&first.body).len(), 25);
    assert!(first.body.contains(r#"<span class="muted count">27</span>"#));
    let next = "/agent/history?from=&amp;until=&amp;protocol=&amp;contact=&amp;q=pedido&amp;page_no=2";
    assert!(first.body.contains(next), "{}", first.body);
    let second = app.get(&next.replace("&amp;", "&")).await;
    // Newest first: the two oldest are on the second page.
    assert_eq!(listed(&second.body), vec![protocol(&app, ids[1]), protocol(&app, ids[0])]);
}

/// The search index follows the messages: an edited message is found by its new words
/// and not its old ones, a deleted one no more; system lines are never found, and the
/// excerpt marks the word found.
#[rocket::async_test]
async fn the_search_follows_edited_and_deleted_messages() {
    let app = App::new().await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    app.exec(&format!(
        "INSERT INTO teams (id, name, distribution, created_at) VALUES (1, 'SAC', 'manual', 0);
         INSERT INTO team_members (team_id, user_id) VALUES (1, {ana});
         INSERT INTO channels (id, kind, name, key, default_team_id, created_at) VALUES (1, 'webchat', 'Site', 'site', 1, 0);"
    ));
    let edited = closed(&app, 1, "Maria Souza", "Quero o estorno do pedido", ana).await;
    let deleted = closed(&app, 1, "João Lima", "Cadê meu estorno?", ana).await;
    app.exec(&format!(
        "INSERT INTO messages (conversation_id, channel_id, direction, body, created_at)
           VALUES ({edited}, 1, 'system', 'transferred: cancelamento', 1)"
    ));
    app.sign_in("ana", PASSWORD).await;
    let found = |q: &'static str| {
        let app = &app;
        async move { listed(&app.get(&format!("/agent/history?q={q}")).await.body) }
    };
    assert_eq!(found("estorno").await.len(), 2);
    assert!(found("cancelamento").await.is_empty(), "system lines are not searched");

    app.exec(&format!(
        "UPDATE messages SET body = 'Quero o reembolso do pedido' WHERE conversation_id = {edited} AND direction = 'in';
         DELETE FROM messages WHERE conversation_id = {deleted};"
    ));
    assert!(found("estorno").await.is_empty(), "neither the old words nor the deleted message");
    assert_eq!(found("reembolso").await, vec![protocol(&app, edited)]);
    let page = app.get("/agent/history?q=REEMBOLSO").await;
    assert!(page.body.contains("Quero o <mark>reembolso</mark> do pedido"), "{}", page.body);
    let indexed: i64 = app.sql("SELECT count(*) FROM message_search");
    assert_eq!(indexed, app.sql::<i64>("SELECT count(*) FROM messages WHERE direction != 'system'"));
}
