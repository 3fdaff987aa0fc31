//! The demo's bot flow as its customers meet it: on the shop's web chat over real HTTP
//! (the order lookup is a real call from the flow's HTTP block to the demo's own
//! /demo/orders), by the store's hours at a fixed clock, and on the demo WhatsApp with
//! the menu as a list the customer taps on the phone.

use rocket::http::Status;
use serde_json::{json, Value};

use crate::common::App;
use crate::demo_phone::{phone_post, wait_for};
use crate::http::{Browser, Server};

const HELLO: &str = "Olá! Sou a assistente virtual da Loja Demo.";
const MENU: &str = "Como posso ajudar?\n1 Vendas\n2 Financeiro\n3 Suporte\n4 Consultar pedido";

/// A visitor of the demo shop's chat: their token.
fn visitor(site: &Browser, name: &str) -> String {
    let made = site.post_json("/webchat/demo/visitors", &json!({ "name": name }), &[]);
    assert_eq!(made.status, 201, "{}", made.body);
    let body: Value = serde_json::from_str(&made.body).unwrap();
    body["token"].as_str().unwrap().to_string()
}

/// What the shop's chat shows from the company, oldest first.
fn replies(site: &Browser, token: &str) -> Vec<String> {
    let got = site.get_with("/webchat/demo/messages", &[("Authorization", &format!("Bearer {token}"))]);
    let body: Value = serde_json::from_str(&got.body).unwrap_or(Value::Null);
    let messages = body["messages"].as_array().cloned().unwrap_or_default();
    messages.iter().filter(|m| m["direction"] == "out").filter_map(|m| m["body"].as_str().map(str::to_string)).collect()
}

/// The visitor writes, then waits (bounded) until the bot's last word is `expected`
/// (or starts with it); every reply since.
fn says(site: &Browser, token: &str, text: &str, expected: &str) -> Vec<String> {
    let before = replies(site, token).len();
    let sent = site.post_json(
        "/webchat/demo/messages",
        &json!({ "text": text }),
        &[("Authorization", &format!("Bearer {token}"))],
    );
    assert!(sent.status == 201 || sent.status == 200, "{} {}", sent.status, sent.body);
    wait_for(&format!("the bot's answer to {text:?} starting {expected:?}"), || {
        let now = replies(site, token);
        now.last().filter(|last| now.len() > before && last.starts_with(expected)).map(|_| now[before..].to_vec())
    })
}

fn conversation_of(server: &Server, contact: &str) -> (String, String) {
    let sql = format!(
        "SELECT c.status || ':' || coalesce(t.name, '') FROM conversations c JOIN contacts k ON k.id = c.contact_id
         LEFT JOIN teams t ON t.id = c.team_id WHERE k.name = '{contact}' ORDER BY c.id DESC LIMIT 1"
    );
    let found: String = server.sql(&sql);
    let (status, team) = found.split_once(':').unwrap();
    (status.to_string(), team.to_string())
}

fn field(server: &Server, contact: &str, name: &str) -> String {
    server.sql(&format!(
        "SELECT coalesce(k.custom ->> ('$.\"' || f.id || '\"'), '') FROM contacts k, contact_fields f
         WHERE k.name = '{contact}' AND f.name = '{name}'"
    ))
}

#[test]
fn a_shop_visitor_walks_the_demo_flow_and_looks_orders_up_over_the_http_block() {
    let server = Server::start_demo();
    let site = server.browser();
    let token = visitor(&site, "Visitante");
    let first = says(&site, &token, "Oi, boa tarde", "Para começar, qual é o seu nome?");
    assert!(first.iter().any(|m| m.starts_with(HELLO)), "the greeting, by the store's hours: {first:?}");
    assert_eq!(conversation_of(&server, "Visitante").0, "bot");
    says(&site, &token, "Marina Souza", "Obrigada, Marina Souza! Agora, qual é o seu CPF?");
    assert_eq!(server.sql::<i64>("SELECT count(*) FROM contacts WHERE name = 'Marina Souza'"), 1, "the name is kept");

    says(&site, &token, "123.456.789-00", "Esse CPF não confere.");
    assert_eq!(says(&site, &token, "529.982.247-25", MENU), vec![MENU.to_string()]);
    assert_eq!(field(&server, "Marina Souza", "CPF/CNPJ"), "52998224725");

    // By words; an order the shop does not know: the error exit, then the menu again.
    says(&site, &token, "consultar pedido, por favor", "Qual é o número do seu pedido?");
    let unknown = says(&site, &token, "9999", MENU);
    assert_eq!(unknown[0], "Não encontrei o pedido 9999. Confira o número e escolha de novo.", "{unknown:?}");
    // By number; a known order, read from the demo's system.
    says(&site, &token, "4", "Qual é o número do seu pedido?");
    let found = says(&site, &token, "4521", "Pedido 4521: a caminho.");
    assert!(found[0].contains("Itens: 1x Cafeteira italiana 6 xícaras, 2x Café em grãos 500 g."), "{found:?}");
    assert!(found[0].contains("Previsão de entrega: ") && found[0].ends_with("3 Encerrar"), "{found:?}");
    assert_eq!(field(&server, "Marina Souza", "Status do pedido"), "a caminho");

    says(&site, &token, "Voltar ao menu", MENU);
    says(&site, &token, "financeiro", "Certo! Vou te passar para o Financeiro.");
    assert_eq!(conversation_of(&server, "Marina Souza"), ("waiting".into(), "Financeiro".into()));
    let lines: i64 = server.sql(
        "SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
         JOIN contacts k ON k.id = c.contact_id WHERE k.name = 'Marina Souza' AND m.direction = 'system'
         AND m.body IN ('flow-chose:4 Consultar pedido', 'flow-chose:2 Financeiro')",
    );
    assert_eq!(lines, 3, "what she chose is in the pane");

    // Another visitor asks for Vendas by number, a third for Suporte by words.
    for (name, cpf, choice, team) in
        [("Rui", "111.444.777-35", "1", "Vendas"), ("Lia", "987.654.321-00", "SUPORTE", "SAC")]
    {
        let token = visitor(&site, name);
        says(&site, &token, "Olá", "Para começar, qual é o seu nome?");
        says(&site, &token, name, "Obrigada");
        says(&site, &token, cpf, MENU);
        says(&site, &token, choice, "Certo! Vou te passar");
        assert_eq!(conversation_of(&server, name), ("waiting".into(), team.into()));
    }
}

#[test]
fn the_demo_whatsapp_menu_is_a_list_the_customer_taps_on_the_phone() {
    let server = Server::start_demo();
    let phone = server.browser();
    let thread = |want: &str| {
        let want = want.to_string();
        wait_for(&format!("{want:?} on the phone"), || {
            let body = phone.get("/demo/phone/whatsapp/thread").body;
            body.contains(&want).then_some(body)
        })
    };
    assert_eq!(phone_post(&phone, "/demo/phone/whatsapp", &[("text", "Oi")]).status, 303);
    thread("Para começar, qual é o seu nome?");
    phone_post(&phone, "/demo/phone/whatsapp", &[("text", "Paula Ribeiro")]);
    thread("Agora, qual é o seu CPF?");
    phone_post(&phone, "/demo/phone/whatsapp", &[("text", "529.982.247-25")]);
    // Four options: a list (the simulator took an interactive list from the sender).
    let shown = thread("bubble-list");
    for row in ["Vendas", "Financeiro", "Suporte", "Consultar pedido"] {
        assert!(shown.contains(&format!(">{row}</button>")), "{row}: {shown}");
    }
    assert!(shown.contains("<p dir=\"auto\">Como posso ajudar?</p>"), "the numbers stay off a list: {shown}");

    let tapped = phone_post(&phone, "/demo/phone/whatsapp/tap", &[("id", "3")]);
    assert_eq!(tapped.status, 303, "{}", tapped.body);
    wait_for("Paula in SAC's queue", || {
        let status: String = server.sql(
            "SELECT c.status || ':' || t.name FROM conversations c JOIN teams t ON t.id = c.team_id
             JOIN channels ch ON ch.id = c.channel_id WHERE ch.key = 'demo-whatsapp'",
        );
        (status == "waiting:SAC").then_some(())
    });
    let chose = "SELECT count(*) FROM messages m JOIN channels ch ON ch.id = m.channel_id
                 WHERE ch.key = 'demo-whatsapp' AND m.body = 'flow-chose:3 Suporte'";
    assert_eq!(server.sql::<i64>(chose), 1, "the pane says what she tapped");
    let gone = phone_post(&phone, "/demo/phone/whatsapp/tap", &[("id", "9")]);
    assert_eq!(gone.status, 422);
    assert!(gone.body.contains("Essa opção não está mais disponível."), "{}", gone.body);
}

/// 2026-12-20, a Sunday, 10:00 in São Paulo; the Monday after; Christmas Day.
const SUNDAY_10H: i64 = 1_797_771_600_000;
const MONDAY_10H: i64 = SUNDAY_10H + 86_400_000;
const CHRISTMAS_10H: i64 = SUNDAY_10H + 5 * 86_400_000;

#[rocket::async_test]
async fn the_demo_flow_greets_by_the_stores_hours() {
    let app = App::demo().await;
    let engine = app.client.rocket().state::<atende::engine::Engine>().unwrap();
    let api = |path: &'static str| format!("/webchat/demo/{path}");
    for (at, expected) in [
        (SUNDAY_10H, "Nossa equipe atende de segunda a sexta, das 8h às 18h, e aos sábados, das 8h às 12h."),
        (MONDAY_10H, "Vou adiantar seu atendimento e, se precisar, chamo alguém da equipe."),
        (CHRISTMAS_10H, "Hoje é feriado e a equipe volta no próximo dia útil, às 8h."),
    ] {
        engine.clock.set(Some(at));
        let (status, body) = crate::flows::api(&app, &api("visitors"), None, Some(json!({"name": "Rita"}))).await;
        assert_eq!(status, Status::Created);
        let token = body["token"].as_str().unwrap().to_string();
        crate::flows::api(&app, &api("messages"), Some(&token), Some(json!({"text": "Oi"}))).await;
        let (_, shown) = crate::flows::api(&app, &api("messages"), Some(&token), None).await;
        let greeting = shown["messages"]
            .as_array()
            .unwrap()
            .iter()
            .find_map(|m| m["body"].as_str().filter(|b| b.starts_with(HELLO)));
        assert!(greeting.is_some_and(|g| g.starts_with(&format!("{HELLO} {expected}"))), "{shown}");
    }
}

#[rocket::async_test]
async fn a_second_demo_start_keeps_one_flow_and_points_its_lookup_at_the_new_address() {
    let app = App::demo().await;
    let flows = "SELECT count(*) FROM flows WHERE name = 'Atendimento Loja Demo'";
    assert_eq!(app.sql::<i64>(flows), 1);
    let on: i64 = app.sql("SELECT count(*) FROM channels WHERE flow_id = (SELECT id FROM flows)");
    assert_eq!(on, 4, "the web chat, WhatsApp, Telegram and e-mail start it");
    let dir = app.stop().await;
    let again = App::demo_on(dir).await;
    assert_eq!(again.sql::<i64>(flows), 1, "no flow twice");
    assert_eq!(again.sql::<i64>("SELECT count(*) FROM contact_fields WHERE name = 'Pedido'"), 1);
    let url = |number: i64| {
        again.sql::<String>(&format!(
            "SELECT definition ->> '$.blocks[15].url' FROM flow_versions WHERE number = {number}"
        ))
    };
    let (before, after) = (url(1), url(2));
    assert_ne!(before, after, "this run's port");
    assert!(after.starts_with("http://127.0.0.1:") && after.ends_with("/demo/orders/{{Pedido}}"), "{after}");
    assert_eq!(again.sql::<i64>("SELECT count(*) FROM flow_versions"), 2, "a new version for the new address only");
}

#[rocket::async_test]
async fn the_order_endpoint_answers_json_in_the_demo_and_serve_does_not_mount_it() {
    let demo = App::demo().await;
    let order = demo.get("/demo/orders/4521").await;
    assert_eq!(order.status, Status::Ok);
    let body: Value = serde_json::from_str(&order.body).unwrap();
    assert_eq!(body["status"], "a caminho");
    assert_eq!(body["items"][0]["description"], "Cafeteira italiana 6 xícaras");
    assert!(body["expected_delivery"].as_str().unwrap().len() == 10, "{body}");
    for unknown in ["/demo/orders/9999", "/demo/orders/abc", "/demo/orders/-1"] {
        assert_eq!(demo.get(unknown).await.status, Status::NotFound, "{unknown}");
    }
    let serve = App::new().await;
    atende::demo::seed(serve.db()).unwrap();
    assert_eq!(serve.get("/demo/orders/4521").await.status, Status::NotFound);
}
