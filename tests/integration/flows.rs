//! Bot flows met the way customers and agents meet them: a visitor writing through
//! the web chat API into a channel that starts a flow, the agent's pane and "Assumir".

use atende::accounts::Actor;
use atende::catalog::flows::{self, FlowDraft, PublishError};
use atende::engine::service::Agent;
use atende::engine::start::StartRefused;
use atende::engine::Engine;
use rocket::http::{ContentType, Header, Status};
use serde_json::{json, Value};

use crate::common::{sac_with, App, PASSWORD};

fn engine(app: &App) -> &Engine {
    app.client.rocket().state::<Engine>().unwrap()
}

fn admin() -> Actor {
    Actor { user_id: None, ip: "test".into() }
}

/// Greeting, a menu (1 Vendas → team 1, 2 Financeiro → team 2, two invalid answers →
/// team 1), an "ask CPF" behind option 3, and a closing message.
pub(crate) fn menu_flow(greeting: &str) -> Value {
    json!({
        "start": "ola",
        "blocks": [
            {"id": "ola", "name": "Boas-vindas", "type": "message", "text": greeting, "next": "menu"},
            {"id": "menu", "name": "Menu principal", "type": "menu", "text": "Como posso ajudar?",
             "options": [{"label": "Vendas", "next": "vendas"}, {"label": "Financeiro", "next": "financeiro"},
                         {"label": "Segunda via", "next": "cpf"}],
             "max_tries": 2, "retry_text": "Não entendi, responda com o número da opção.", "invalid": "vendas"},
            {"id": "cpf", "name": "CPF", "type": "ask", "text": "Qual é o seu CPF?", "field": "CPF",
             "validation": {"kind": "cpf"}, "max_tries": 2, "next": "fim", "invalid": "vendas"},
            {"id": "fim", "name": "Fim", "type": "close", "text": "Obrigado, {{nome}}! Enviamos a segunda via."},
            {"id": "vendas", "name": "Vendas", "type": "transfer", "team_id": 1},
            {"id": "financeiro", "name": "Financeiro", "type": "transfer", "team_id": 2, "priority": true}
        ],
        "idle": {"minutes": 30, "then": {"action": "close", "text": "Encerramos por falta de resposta. Até logo!"}}
    })
}

/// Teams 1 "SAC" (Ana) and 2 "Financeiro", web chat channel 1 ("site") starting the
/// flow given, published; the custom field CPF. Returns (app, flow id, Ana's id).
pub(crate) async fn with_flow(definition: Value) -> (App, i64, i64) {
    let app = App::without_jobs().await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    sac_with(&app, &[ana]);
    app.exec(
        "INSERT INTO teams (id, name, distribution, created_at) VALUES (2, 'Financeiro', 'manual', 0);
         INSERT INTO contact_fields (name, kind) VALUES ('CPF', 'text');",
    );
    let draft = FlowDraft { name: "Atendimento".into(), definition: definition.to_string() };
    let id = flows::save(app.db(), &admin(), None, &draft).await.unwrap();
    assert_eq!(flows::publish(app.db(), &admin(), id).await.unwrap(), 1);
    flows::set_channel_flow(app.db(), &admin(), 1, Some(id)).await.unwrap();
    (app, id, ana)
}

pub(crate) async fn api(app: &App, path: &str, token: Option<&str>, body: Option<Value>) -> (Status, Value) {
    let mut request = match body {
        Some(_) => app.client.post(path.to_string()),
        None => app.client.get(path.to_string()),
    };
    if let Some(t) = token {
        request = request.header(Header::new("Authorization", format!("Bearer {t}")));
    }
    if let Some(b) = body {
        request = request.header(ContentType::JSON).body(b.to_string());
    }
    let response = request.dispatch().await;
    let status = response.status();
    let text = response.into_string().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// A visitor of the site: their token.
pub(crate) async fn visitor(app: &App, name: &str) -> String {
    let (status, body) = api(app, "/webchat/site/visitors", None, Some(json!({ "name": name }))).await;
    assert_eq!(status, Status::Created, "{body}");
    body["token"].as_str().unwrap().to_string()
}

/// The visitor writes; the conversation's id.
pub(crate) async fn says(app: &App, token: &str, text: &str) -> i64 {
    let (status, body) = api(app, "/webchat/site/messages", Some(token), Some(json!({ "text": text }))).await;
    assert!(status == Status::Created || status == Status::Ok, "{status} {body}");
    let protocol = body["protocol"].as_str().unwrap_or_default().to_string();
    app.sql(&format!("SELECT id FROM conversations WHERE protocol = '{protocol}'"))
}

/// What the visitor's widget shows from the company, oldest first.
pub(crate) async fn replies(app: &App, token: &str) -> Vec<String> {
    let (_, body) = api(app, "/webchat/site/messages", Some(token), None).await;
    let messages = body["messages"].as_array().cloned().unwrap_or_default();
    messages
        .iter()
        .filter(|m| m["direction"] == "out")
        .map(|m| m["body"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn status(app: &App, conversation: i64) -> (String, Option<i64>) {
    let rows: Vec<(String, Option<i64>)> =
        app.rows(&format!("SELECT status, team_id FROM conversations WHERE id = {conversation}"));
    rows[0].clone()
}

#[rocket::async_test]
async fn a_menu_choice_by_number_or_by_words_routes_to_the_team() {
    let (app, _, _) = with_flow(menu_flow("Olá, {{nome}}! Sou a assistente virtual.")).await;
    let maria = visitor(&app, "Maria").await;
    let conv = says(&app, &maria, "Oi").await;
    assert_eq!(status(&app, conv).0, "bot");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM flow_sessions"), 1);
    let shown = replies(&app, &maria).await;
    assert!(shown.contains(&"Olá, Maria! Sou a assistente virtual.".to_string()), "{shown:?}");
    assert!(shown.contains(&"Como posso ajudar?\n1 Vendas\n2 Financeiro\n3 Segunda via".to_string()), "{shown:?}");
    // The menu keeps its hint for channels with buttons.
    assert_eq!(app.sql::<String>("SELECT style FROM message_choices"), "buttons");
    // In no queue while in the bot.
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM conversations WHERE status = 'waiting'"), 0);

    says(&app, &maria, "2").await;
    assert_eq!(status(&app, conv), ("waiting".into(), Some(2)));
    assert_eq!(app.sql::<i64>(&format!("SELECT priority FROM conversations WHERE id = {conv}")), 1);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM flow_sessions"), 0);

    let joao = visitor(&app, "João").await;
    let other = says(&app, &joao, "Bom dia").await;
    says(&app, &joao, "quero falar com o FINANCEIRO").await;
    assert_eq!(status(&app, other), ("waiting".into(), Some(2)));

    // The agent sees what the customer chose.
    let admin = app.add_user("admin", "chefe", PASSWORD).await;
    let _ = admin;
    app.sign_in("chefe", PASSWORD).await;
    let pane = app.get(&format!("/agent/conversations/{conv}")).await;
    assert_eq!(pane.status, Status::Ok);
    assert!(pane.body.contains("Cliente escolheu: 2 Financeiro"), "{}", pane.body);
    assert!(pane.body.contains("O fluxo encaminhou o atendimento para a fila da equipe Financeiro."));
}

#[rocket::async_test]
async fn invalid_answers_reask_then_take_the_fallback_and_answers_are_stored() {
    let (app, _, _) = with_flow(menu_flow("Olá!")).await;
    let maria = visitor(&app, "Maria").await;
    let conv = says(&app, &maria, "Oi").await;
    says(&app, &maria, "sei lá").await;
    let shown = replies(&app, &maria).await;
    assert!(shown.last().unwrap().starts_with("Não entendi, responda com o número da opção.\n\nComo posso ajudar?"));
    assert_eq!(status(&app, conv).0, "bot");
    says(&app, &maria, "hein?").await;
    assert_eq!(status(&app, conv), ("waiting".into(), Some(1)), "two invalid answers: the fallback");

    let bia = visitor(&app, "Bia").await;
    let conv = says(&app, &bia, "Oi").await;
    says(&app, &bia, "Segunda via").await;
    says(&app, &bia, "123.456.789-00").await;
    assert!(replies(&app, &bia).await.last().unwrap().starts_with("Não entendi sua resposta."));
    says(&app, &bia, "529.982.247-25").await;
    assert_eq!(status(&app, conv).0, "closed");
    assert_eq!(replies(&app, &bia).await.last().unwrap(), "Obrigado, Bia! Enviamos a segunda via.");
    let cpf_id: i64 = app.sql("SELECT id FROM contact_fields WHERE name = 'CPF'");
    let stored: String = app.sql(&format!("SELECT custom ->> '$.\"{cpf_id}\"' FROM contacts WHERE name = 'Bia'"));
    assert_eq!(stored, "52998224725");
    let lines: Vec<(String, String)> = app.rows(&format!(
        "SELECT direction, body FROM messages WHERE conversation_id = {conv} AND direction = 'system' AND body LIKE 'flow-%'"
    ));
    let codes: Vec<&str> = lines.iter().map(|(_, b)| b.as_str()).collect();
    assert_eq!(codes, vec!["flow-chose:3 Segunda via", "flow-answered:CPF:52998224725", "flow-closed"]);
}

/// The flow of `menu_flow` behind a schedule branch on group 1 (weekdays 08–18 in São
/// Paulo): closed, it says so and closes.
fn office_hours_flow() -> Value {
    let mut def = menu_flow("Olá!");
    def["start"] = json!("horario");
    def["blocks"].as_array_mut().unwrap().extend([
        json!({"id": "horario", "name": "Horário", "type": "schedule", "group_id": 1, "open": "ola", "closed": "fora"}),
        json!({"id": "fora", "name": "Fora do horário", "type": "close", "text": "Estamos fora do horário. Atendemos de segunda a sexta, das 8h às 18h."}),
    ]);
    def
}

fn office_hours(app: &App) {
    app.exec("INSERT INTO schedule_groups (id, name, created_at) VALUES (1, 'Comercial', 0)");
    for day in 0..5 {
        app.exec(&format!(
            "INSERT INTO schedule_intervals (group_id, weekday, start_min, end_min) VALUES (1, {day}, 480, 1080)"
        ));
    }
}

/// 2026-12-20, a Sunday, 10:00 in São Paulo; and the Monday after.
const SUNDAY_10H: i64 = 1_797_771_600_000;
const MONDAY_10H: i64 = SUNDAY_10H + 86_400_000;

#[rocket::async_test]
async fn out_of_hours_the_schedule_branch_says_so_by_the_clock() {
    let app = App::without_jobs().await;
    office_hours(&app);
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    sac_with(&app, &[ana]);
    app.exec("INSERT INTO teams (id, name, distribution, created_at) VALUES (2, 'Financeiro', 'manual', 0)");
    app.exec("INSERT INTO contact_fields (name, kind) VALUES ('CPF', 'text')");
    let draft = FlowDraft { name: "Horário".into(), definition: office_hours_flow().to_string() };
    let id = flows::save(app.db(), &admin(), None, &draft).await.unwrap();
    flows::publish(app.db(), &admin(), id).await.unwrap();
    flows::set_channel_flow(app.db(), &admin(), 1, Some(id)).await.unwrap();

    engine(&app).clock.set(Some(SUNDAY_10H));
    let maria = visitor(&app, "Maria").await;
    let conv = says(&app, &maria, "Oi").await;
    assert_eq!(status(&app, conv).0, "closed");
    assert!(replies(&app, &maria).await.last().unwrap().starts_with("Estamos fora do horário."));

    engine(&app).clock.set(Some(MONDAY_10H));
    let joao = visitor(&app, "João").await;
    let conv = says(&app, &joao, "Oi").await;
    assert_eq!(status(&app, conv).0, "bot");
    assert!(replies(&app, &joao).await.last().unwrap().starts_with("Como posso ajudar?"));
}

#[rocket::async_test]
async fn a_restart_mid_flow_continues_where_the_customer_was() {
    let (app, _, _) = with_flow(menu_flow("Olá!")).await;
    let maria = visitor(&app, "Maria").await;
    let conv = says(&app, &maria, "Oi").await;
    says(&app, &maria, "3").await;
    let dir = app.stop().await;
    let app = App::restart_on(dir).await;
    says(&app, &maria, "529.982.247-25").await;
    assert_eq!(status(&app, conv).0, "closed");
    assert_eq!(replies(&app, &maria).await.last().unwrap(), "Obrigado, Maria! Enviamos a segunda via.");
}

#[rocket::async_test]
async fn a_customer_inside_stays_on_the_version_they_started_on() {
    let (app, flow, _) = with_flow(menu_flow("Olá!")).await;
    let maria = visitor(&app, "Maria").await;
    let conv = says(&app, &maria, "Oi").await;

    // Version 2: option 1 now closes, and the greeting changed.
    let mut v2 = menu_flow("Bem-vindo à versão 2!");
    v2["blocks"][1]["options"][0] = json!({"label": "Vendas", "next": "fim"});
    let draft = FlowDraft { name: "Atendimento".into(), definition: v2.to_string() };
    flows::save(app.db(), &admin(), Some(flow), &draft).await.unwrap();
    assert_eq!(flows::publish(app.db(), &admin(), flow).await.unwrap(), 2);

    says(&app, &maria, "1").await;
    assert_eq!(status(&app, conv), ("waiting".into(), Some(1)), "version 1's option 1 transfers");
    let joao = visitor(&app, "João").await;
    says(&app, &joao, "Oi").await;
    assert_eq!(replies(&app, &joao).await[1], "Bem-vindo à versão 2!");
    // Versions never change once published.
    let changed = app.db().write_now(|tx| Ok(tx.execute("UPDATE flow_versions SET definition = '{}'", [])?));
    assert!(changed.is_err());
}

#[rocket::async_test]
async fn an_agent_takes_over_and_the_contact_is_busy_meanwhile() {
    let (app, _, ana) = with_flow(menu_flow("Olá!")).await;
    let maria = visitor(&app, "Maria").await;
    let conv = says(&app, &maria, "Oi").await;
    let contact: i64 = app.sql(&format!("SELECT contact_id FROM conversations WHERE id = {conv}"));
    let agent = Agent { user_id: ana, supervisor: false };
    match engine(&app).start_conversation(&agent, contact, 1, 1).await {
        Err(StartRefused::NotAllowed { key, .. }) => assert_eq!(key, "start-in-flow"),
        other => panic!("not refused: {other:?}"),
    }

    app.sign_in("ana", PASSWORD).await;
    let pane = app.get(&format!("/agent/conversations/{conv}")).await;
    assert!(pane.body.contains("No bot") && pane.body.contains(">Assumir<"), "{}", pane.body);
    let without_token = app.client.post(format!("/agent/conversations/{conv}/take-over")).dispatch().await;
    assert_eq!(without_token.status(), Status::Forbidden);
    let taken = app.post(&format!("/agent/conversations/{conv}/take-over"), &[]).await;
    assert!(taken.status == Status::SeeOther || taken.status == Status::Ok, "{}", taken.status);
    let rows: Vec<(String, i64)> = app.rows(&format!("SELECT status, agent_id FROM conversations WHERE id = {conv}"));
    assert_eq!(rows[0], ("active".into(), ana));
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM flow_sessions"), 0);
    // What the customer types now is for Ana, not the menu.
    says(&app, &maria, "2").await;
    assert_eq!(status(&app, conv), ("active".into(), Some(1)));
    let pane = app.get(&format!("/agent/conversations/{conv}")).await;
    assert!(pane.body.contains("ana Teste assumiu o atendimento do bot."), "{}", pane.body);
}

#[rocket::async_test]
async fn a_silent_customer_is_closed_politely_at_the_idle_limit() {
    let (app, _, _) = with_flow(menu_flow("Olá!")).await;
    let maria = visitor(&app, "Maria").await;
    let conv = says(&app, &maria, "Oi").await;
    let now = atende::db::now_ms();
    assert_eq!(engine(&app).flow_idle(now + 29 * 60_000).await.unwrap(), 0);
    assert_eq!(engine(&app).flow_idle(now + 31 * 60_000).await.unwrap(), 1);
    assert_eq!(status(&app, conv).0, "closed");
    assert_eq!(replies(&app, &maria).await.last().unwrap(), "Encerramos por falta de resposta. Até logo!");
    // A polite "obrigado" right after does not start the flow again.
    app.exec("INSERT INTO word_filter (kind, term) VALUES ('ignore', 'obrigado')");
    says(&app, &maria, "obrigado").await;
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM conversations"), 1);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM flow_sessions"), 0);
}

#[rocket::async_test]
async fn a_flow_that_fails_a_check_is_not_published_and_each_problem_names_its_block() {
    let app = App::without_jobs().await;
    sac_with(&app, &[]);
    let mut def = menu_flow("Olá, {{apelido}}!");
    def["blocks"][1]["invalid"] = Value::Null;
    let draft = FlowDraft { name: "Rascunho".into(), definition: def.to_string() };
    let id = flows::save(app.db(), &admin(), None, &draft).await.unwrap();
    let Err(PublishError::Problems(problems)) = flows::publish(app.db(), &admin(), id).await else {
        panic!("published")
    };
    let on: Vec<(Option<&str>, &str)> = problems.iter().map(|p| (p.block.as_deref(), p.kind.key())).collect();
    assert!(on.contains(&(Some("ola"), "flow-problem-unknown-field")), "{on:?}");
    assert!(on.contains(&(Some("menu"), "flow-problem-no-invalid-exit")));
    assert!(on.contains(&(Some("financeiro"), "flow-problem-unknown-team")), "team 2 does not exist here");
    assert!(on.contains(&(Some("cpf"), "flow-problem-unknown-field")));
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM flow_versions"), 0);
    let refused = flows::set_channel_flow(app.db(), &admin(), 1, Some(id)).await;
    assert!(refused.is_err(), "an unpublished flow cannot start conversations");
    let bad = FlowDraft { name: "Quebrado".into(), definition: "{\"start\": 3}".into() };
    assert!(flows::save(app.db(), &admin(), None, &bad).await.is_err());
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM audit_log WHERE action LIKE 'flow.%'"), 1);
}

/// A company system on 127.0.0.1 that answers every request with `body`.
fn fake_system(body: &'static str) -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    port
}

fn lookup_flow(port: u16, allow_private: bool) -> Value {
    let mut def = menu_flow("Olá!");
    def["start"] = json!("pedido");
    def["allow_private_http"] = json!(allow_private);
    def["blocks"].as_array_mut().unwrap().extend([
        json!({"id": "pedido", "name": "Consulta do pedido", "type": "http", "method": "GET",
               "url": format!("http://127.0.0.1:{port}/pedidos?nome={{{{nome}}}}"), "timeout_ms": 3000,
               "map": [{"path": "pedido.status", "field": "Status"}], "next": "status", "error": "ola"}),
        json!({"id": "status", "name": "Status", "type": "close", "text": "Seu pedido está {{status}}."}),
    ]);
    def
}

/// Waits for the flow's HTTP step to come back (a real call on another thread).
async fn until_not_bot(app: &App, conversation: i64) {
    for _ in 0..200 {
        if status(app, conversation).0 != "bot"
            || app.sql::<i64>("SELECT count(*) FROM messages WHERE body LIKE 'flow-http-failed%'") > 0
        {
            return;
        }
        rocket::tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}

#[rocket::async_test]
async fn the_http_block_maps_the_answer_and_refuses_loopback_unless_allowed() {
    let port = fake_system(r#"{"pedido": {"status": "a caminho"}}"#);
    let app = App::without_jobs().await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    sac_with(&app, &[ana]);
    app.exec(
        "INSERT INTO teams (id, name, distribution, created_at) VALUES (2, 'Financeiro', 'manual', 0);
         INSERT INTO contact_fields (name, kind) VALUES ('CPF', 'text'), ('Status', 'text');",
    );
    let draft = FlowDraft { name: "Pedidos".into(), definition: lookup_flow(port, true).to_string() };
    let id = flows::save(app.db(), &admin(), None, &draft).await.unwrap();
    flows::publish(app.db(), &admin(), id).await.unwrap();
    flows::set_channel_flow(app.db(), &admin(), 1, Some(id)).await.unwrap();
    let maria = visitor(&app, "Maria").await;
    let conv = says(&app, &maria, "Oi").await;
    until_not_bot(&app, conv).await;
    assert_eq!(status(&app, conv).0, "closed");
    assert_eq!(replies(&app, &maria).await.last().unwrap(), "Seu pedido está a caminho.");

    // Without the administrator's permission, loopback is refused: the error exit.
    let draft = FlowDraft { name: "Pedidos".into(), definition: lookup_flow(port, false).to_string() };
    flows::save(app.db(), &admin(), Some(id), &draft).await.unwrap();
    flows::publish(app.db(), &admin(), id).await.unwrap();
    let joao = visitor(&app, "João").await;
    let conv = says(&app, &joao, "Oi").await;
    until_not_bot(&app, conv).await;
    let lines: i64 = app.sql(&format!(
        "SELECT count(*) FROM messages WHERE conversation_id = {conv} AND body = 'flow-http-failed:Consulta do pedido'"
    ));
    assert_eq!(lines, 1);
    assert_eq!(status(&app, conv).0, "bot", "back to the greeting and the menu");
    assert!(replies(&app, &joao).await.last().unwrap().starts_with("Como posso ajudar?"));
}

#[rocket::async_test]
async fn on_whatsapp_the_menu_goes_as_reply_buttons_and_a_tapped_one_routes_to_the_team() {
    use crate::whatsapp::{deliver, settings, text, webhook, whatsapp_channel, APP_SECRET, MARIA};
    let app = App::without_jobs().await;
    let graph = crate::fake_graph::FakeGraph::start();
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    sac_with(&app, &[ana]);
    app.exec(
        "INSERT INTO teams (id, name, distribution, created_at) VALUES (2, 'Financeiro', 'manual', 0);
         INSERT INTO contact_fields (name, kind) VALUES ('CPF', 'text');",
    );
    let wa = whatsapp_channel(app.db(), settings(&graph.base), 1);
    let draft = FlowDraft { name: "WhatsApp".into(), definition: menu_flow("Olá!").to_string() };
    let id = flows::save(app.db(), &admin(), None, &draft).await.unwrap();
    flows::publish(app.db(), &admin(), id).await.unwrap();
    flows::set_channel_flow(app.db(), &admin(), wa, Some(id)).await.unwrap();

    assert_eq!(deliver(&app, &text(MARIA, "wamid.in.1", "Oi"), Some(APP_SECRET)).await, Status::Ok);
    engine(&app).deliver_due().await.unwrap();
    let sent = graph.accepted();
    let menu = sent.iter().find(|m| m["type"] == "interactive").expect("the menu as an interactive message");
    assert_eq!(menu["interactive"]["type"], "button");
    assert_eq!(menu["interactive"]["body"]["text"], "Como posso ajudar?");
    let buttons = menu["interactive"]["action"]["buttons"].as_array().unwrap();
    let titles: Vec<&str> = buttons.iter().map(|b| b["reply"]["title"].as_str().unwrap()).collect();
    assert_eq!(titles, vec!["Vendas", "Financeiro", "Segunda via"]);
    assert_eq!(buttons[1]["reply"]["id"], "2");
    assert!(sent.iter().any(|m| m["type"] == "text" && m["text"]["body"] == "Olá!"), "the greeting as text");

    let tapped = serde_json::json!([{"from": MARIA, "id": "wamid.in.2", "timestamp": "1764590001", "type": "interactive",
        "interactive": {"type": "button_reply", "button_reply": {"id": "2", "title": "Financeiro"}}}]);
    assert_eq!(deliver(&app, &webhook(MARIA, tapped, json!([])), Some(APP_SECRET)).await, Status::Ok);
    let conv: i64 = app.sql(&format!("SELECT id FROM conversations WHERE channel_id = {wa}"));
    assert_eq!(status(&app, conv), ("waiting".into(), Some(2)));
}
