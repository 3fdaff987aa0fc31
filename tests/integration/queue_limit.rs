//! The team's queue limit: parallel visitors over real HTTP never push a queue past its
//! limit, the rest go to the overflow team (or still wait), each is told the "fila
//! cheia" message with their place, no message is lost, and administrators get one
//! notice per crossing on the overview.

use std::collections::BTreeSet;
use std::sync::{Arc, Barrier};

use atende::config::Config;
use atende::db::teams::{self, TeamFields};
use atende::engine::service::Agent;
use rocket::http::Status;
use serde_json::{json, Value};

use crate::common::{extract, App, PASSWORD};
use crate::engine::{channel_feeding, engine, says, stored};
use crate::http::{Browser, Server};

/// The server's configuration for these tests: the one place to raise a limit on the
/// public web chat endpoints that would refuse this many visitors from one address.
fn server_config(_config: &mut Config) {}

fn team_fields(name: &str, queue_limit: i64, overflow_team_id: Option<i64>) -> TeamFields {
    TeamFields {
        name: name.into(),
        distribution: "manual".into(),
        queue_limit,
        active: true,
        overflow_team_id,
        ..Default::default()
    }
}

/// "SAC" (manual, the given limit, overflowing into "Vendas" when asked; Vendas has no
/// limit), a web chat channel feeding SAC, and an administrator "chefe". Returns (server,
/// channel key, SAC, Vendas).
fn floor(limit: i64, overflow: bool) -> (Server, String, i64, i64) {
    let server = Server::start(server_config);
    let (sac, vendas) = server
        .db()
        .write_now(|tx| {
            let vendas = teams::insert_team(tx, &team_fields("Vendas", 0, None))?;
            let sac = teams::insert_team(tx, &team_fields("SAC", limit, overflow.then_some(vendas)))?;
            channel_feeding(tx, sac)?;
            Ok((sac, vendas))
        })
        .unwrap();
    server.add_user("admin", "chefe", PASSWORD);
    (server, format!("k{sac}"), sac, vendas)
}

/// A new visitor of the widget: their bearer token.
fn new_visitor(browser: &Browser, key: &str, name: &str) -> String {
    let reply = browser.post_json(&format!("/webchat/{key}/visitors"), &json!({ "name": name }), &[]);
    assert_eq!(reply.status, 201, "{}", reply.body);
    let body: Value = serde_json::from_str(&reply.body).unwrap();
    body["token"].as_str().unwrap().to_string()
}

/// `count` visitors, each created first, then all sending their first message at once.
/// Returns their tokens, in order.
fn visitors_write_at_once(server: &Server, key: &str, count: usize) -> Vec<String> {
    let start = Arc::new(Barrier::new(count));
    let threads: Vec<_> = (0..count)
        .map(|i| {
            let (browser, start, key) = (server.browser(), start.clone(), key.to_string());
            std::thread::spawn(move || {
                let token = new_visitor(&browser, &key, &format!("Visitante {i}"));
                let auth = format!("Bearer {token}");
                start.wait();
                let reply = browser.post_json(
                    &format!("/webchat/{key}/messages"),
                    &json!({ "text": format!("Olá, sou o visitante {i}") }),
                    &[("Authorization", &auth)],
                );
                assert_eq!(reply.status, 201, "visitor {i}: {}", reply.body);
                token
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

/// What a visitor's widget shows: their queue position and the messages sent to them.
fn widget(server: &Server, key: &str, token: &str) -> (Option<i64>, Vec<String>) {
    let auth = format!("Bearer {token}");
    let reply = server.browser().get_with(&format!("/webchat/{key}/messages"), &[("Authorization", &auth)]);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let body: Value = serde_json::from_str(&reply.body).unwrap();
    let outbound = body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["direction"] == "out")
        .map(|m| m["body"].as_str().unwrap().to_string())
        .collect();
    (body["conversation"]["position"].as_i64(), outbound)
}

/// The place the "fila cheia" message gives (the default pt-BR text), if it is one.
fn told_position(text: &str) -> Option<i64> {
    let position = extract(text, r"^Nossa fila está cheia no momento\. Você é o (\d+)º da fila; responderemos")?;
    position.parse().ok()
}

/// The administrator's browser, signed in over HTTP.
fn admin_browser(server: &Server) -> Browser {
    let browser = server.browser();
    let login = browser.get("/login");
    let csrf = extract(&login.body, r#"name="csrf-token" content="([^"]+)""#).unwrap();
    let body = crate::common::encode(&[("csrf_token", &csrf), ("login", "chefe"), ("password", PASSWORD)]);
    let reply = browser.post_raw("/login", "application/x-www-form-urlencoded", body.into_bytes(), &[]);
    assert_eq!(reply.status, 303, "{}", reply.body);
    browser
}

fn waiting(server: &Server, team: i64) -> i64 {
    server.sql(&format!("SELECT count(*) FROM conversations WHERE team_id = {team} AND status = 'waiting'"))
}

const SAC_FULL: &str = "A fila da equipe SAC chegou ao limite de 5 atendimentos aguardando.";

/// 30 visitors at once, SAC limited to 5 and overflowing into Vendas.
#[test]
fn parallel_visitors_fill_the_queue_to_its_limit_and_overflow_the_rest() {
    let (server, key, sac, vendas) = floor(5, true);
    let tokens = visitors_write_at_once(&server, &key, 30);

    assert_eq!(waiting(&server, sac), 5, "SAC never holds more than its limit");
    assert_eq!(waiting(&server, vendas), 25, "the overflow team gets the rest");
    let received: i64 = server.sql("SELECT count(*) FROM messages WHERE direction = 'in'");
    assert_eq!(received, 30, "no message is lost");

    let mut overflowed = BTreeSet::new();
    for token in &tokens {
        let (position, outbound) = widget(&server, &key, token);
        let told: Vec<i64> = outbound.iter().filter_map(|m| told_position(m)).collect();
        assert!(outbound[0].contains("protocolo"), "the protocol notice comes first: {outbound:?}");
        match told.as_slice() {
            [] => assert!(position.is_some_and(|p| p <= 5), "one of SAC's five, told nothing: {outbound:?}"),
            [place] => {
                assert_eq!(position, Some(*place), "told the place the widget shows");
                overflowed.insert(*place);
            }
            more => panic!("told more than once: {more:?}"),
        }
    }
    assert_eq!(overflowed, (1..=25).collect(), "each overflowed visitor told their own place in Vendas");
    let moved: i64 = server.sql("SELECT count(*) FROM messages WHERE direction = 'system' AND body LIKE 'overflow:%'");
    assert_eq!(moved, 25, "the agents see why the conversation came to Vendas");

    // One notice for the crossing, not one per overflowed visitor.
    assert_eq!(server.sql::<i64>("SELECT count(*) FROM notifications"), 1);
    assert_eq!(server.sql::<i64>("SELECT count(*) FROM audit_log WHERE action = 'team.queue-full'"), 1);
    let admin = admin_browser(&server);
    let overview = admin.get("/admin");
    assert_eq!(overview.status, 200);
    assert!(overview.body.contains("Avisos"), "{}", overview.body);
    assert_eq!(overview.body.matches(SAC_FULL).count(), 1, "{}", overview.body);

    // Marking it read needs the form's token; then it leaves the overview.
    let id: i64 = server.sql("SELECT id FROM notifications");
    let path = format!("/admin/notifications/{id}/read");
    let forged = admin.post_raw(&path, "application/x-www-form-urlencoded", b"csrf_token=forged".to_vec(), &[]);
    assert_eq!(forged.status, 403);
    let csrf = extract(&overview.body, r#"name="csrf-token" content="([^"]+)""#).unwrap();
    let body = crate::common::encode(&[("csrf_token", &csrf), ("back", "/admin")]);
    let read = admin.post_raw(&path, "application/x-www-form-urlencoded", body.into_bytes(), &[]);
    assert_eq!((read.status, read.header("location")), (303, Some("/admin")), "{}", read.body);
    assert!(!admin.get("/admin").body.contains(SAC_FULL));
    let read_by: i64 =
        server.sql("SELECT count(*) FROM notifications WHERE read_at IS NOT NULL AND read_by IS NOT NULL");
    assert_eq!(read_by, 1);
}

/// No overflow team: everyone still waits in SAC, those past the limit told so.
#[test]
fn without_an_overflow_team_visitors_past_the_limit_still_wait_and_are_told() {
    let (server, key, sac, vendas) = floor(5, false);
    let tokens = visitors_write_at_once(&server, &key, 12);

    assert_eq!(waiting(&server, sac), 12, "nobody is turned away");
    assert_eq!(waiting(&server, vendas), 0);
    assert_eq!(server.sql::<i64>("SELECT count(*) FROM messages WHERE direction = 'in'"), 12);
    let mut told = BTreeSet::new();
    for token in &tokens {
        let (position, outbound) = widget(&server, &key, token);
        let places: Vec<i64> = outbound.iter().filter_map(|m| told_position(m)).collect();
        match places.as_slice() {
            [] => assert!(position.is_some_and(|p| p <= 5), "within the limit, told nothing: {outbound:?}"),
            [place] => {
                assert_eq!(position, Some(*place));
                told.insert(*place);
            }
            more => panic!("told more than once: {more:?}"),
        }
    }
    assert_eq!(told, (6..=12).collect(), "each visitor past the limit told their place");
    assert_eq!(server.sql::<i64>("SELECT count(*) FROM notifications"), 1);
    let overview = admin_browser(&server).get("/admin");
    assert_eq!(overview.body.matches(SAC_FULL).count(), 1, "{}", overview.body);
}

fn team_of(app: &App, conversation: i64) -> i64 {
    app.sql(&format!("SELECT team_id FROM conversations WHERE id = {conversation}"))
}

async fn open(app: &App, channel: i64, visitor: &str) -> i64 {
    stored(engine(app).ingest(says(channel, visitor, "Oi", None)).await.unwrap()).0
}

/// Two teams overflowing into each other, limit 1 each: one hop only, no loop; when the
/// overflow team is full too the conversation waits where it was meant to.
#[rocket::async_test]
async fn overflow_follows_one_hop_and_a_full_overflow_team_keeps_the_conversation_home() {
    let app = App::new().await;
    let (a, b, channel) = app
        .db()
        .write_now(|tx| {
            let a = teams::insert_team(tx, &team_fields("A", 1, None))?;
            let b = teams::insert_team(tx, &team_fields("B", 1, Some(a)))?;
            let mut fields = team_fields("A", 1, Some(b));
            fields.queue_full_message = "Fila cheia, posição {{ posicao }}.".into();
            teams::update_team(tx, a, &fields)?;
            Ok((a, b, channel_feeding(tx, a)?))
        })
        .unwrap();
    let first = open(&app, channel, "v1").await;
    let second = open(&app, channel, "v2").await;
    let third = open(&app, channel, "v3").await;
    assert_eq!((team_of(&app, first), team_of(&app, second), team_of(&app, third)), (a, b, a));
    let told = |c: i64| -> Vec<String> {
        let rows: String = app.sql(&format!(
            "SELECT ifnull(group_concat(body, '|'), '') FROM messages
             WHERE conversation_id = {c} AND direction = 'out' AND body LIKE 'Fila cheia%'"
        ));
        rows.split('|').filter(|s| !s.is_empty()).map(String::from).collect()
    };
    assert!(told(first).is_empty());
    assert_eq!(told(second), ["Fila cheia, posição 1."], "A's own text, with the place in B");
    assert_eq!(told(third), ["Fila cheia, posição 2."], "B is full too: it waits in A, second in line");
    assert_eq!(app.sql::<i64>(&format!("SELECT count(*) FROM notifications WHERE team_id = {a}")), 1);
    assert_eq!(app.sql::<i64>(&format!("SELECT count(*) FROM notifications WHERE team_id = {b}")), 0);

    // Once read, the next crossing is noticed again.
    app.exec("UPDATE notifications SET read_at = 1");
    open(&app, channel, "v4").await;
    assert_eq!(app.sql::<i64>(&format!("SELECT count(*) FROM notifications WHERE team_id = {a}")), 2);
}

/// A transfer into a full queue is accepted (the agent chose the team) and noticed.
#[rocket::async_test]
async fn a_transfer_into_a_full_queue_goes_through_and_is_noticed() {
    let app = App::new().await;
    let (sac, vendas, channel) = app
        .db()
        .write_now(|tx| {
            let vendas = teams::insert_team(tx, &team_fields("Vendas", 1, None))?;
            let sac = teams::insert_team(tx, &team_fields("SAC", 0, None))?;
            Ok((sac, vendas, channel_feeding(tx, sac)?))
        })
        .unwrap();
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    app.exec(&format!("INSERT INTO team_members (team_id, user_id) VALUES ({sac}, {ana})"));
    let ana = Agent { user_id: ana, supervisor: false };
    let e = engine(&app);
    let (one, two) = (open(&app, channel, "v1").await, open(&app, channel, "v2").await);
    e.take(&ana, one).await.unwrap();
    e.take(&ana, two).await.unwrap();
    e.transfer(&ana, one, vendas, None, "").await.unwrap();
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM notifications"), 0, "at the limit, not over it");
    e.transfer(&ana, two, vendas, None, "").await.unwrap();
    assert_eq!(team_of(&app, two), vendas, "the transfer goes through");
    assert_eq!(app.sql::<i64>(&format!("SELECT count(*) FROM notifications WHERE team_id = {vendas}")), 1);
}

/// The team form: overflow team and "fila cheia" message saved, refusals shown.
#[rocket::async_test]
async fn the_team_form_saves_the_overflow_team_and_the_queue_full_message() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let form = |name: &'static str, overflow: String, message: &'static str| {
        vec![
            ("name", name.to_string()),
            ("distribution", "manual".to_string()),
            ("queue_limit", "5".to_string()),
            ("overflow_team_id", overflow),
            ("queue_full_message", message.to_string()),
            ("active", "true".to_string()),
        ]
    };
    let post = |path: String, fields: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post(&path, &fields).await
        }
    };
    assert_eq!(post("/admin/teams".into(), form("Vendas", String::new(), "")).await.status, Status::SeeOther);
    let vendas: i64 = app.sql("SELECT id FROM teams WHERE name = 'Vendas'");
    let new = app.get("/admin/teams/new").await;
    assert!(new.body.contains(&format!(r#"<option value="{vendas}">Vendas</option>"#)), "{}", new.body);
    assert!(new.body.contains("placeholder=\"Nossa fila está cheia no momento."), "the default text shows");

    let unknown = post("/admin/teams".into(), form("SAC", vendas.to_string(), "Você é o {{cliente}}")).await;
    assert_eq!(unknown.status, Status::UnprocessableEntity);
    assert!(unknown.body.contains("Variável desconhecida. Use apenas {{posicao}}."), "{}", unknown.body);
    let unclosed = post("/admin/teams".into(), form("SAC", vendas.to_string(), "Posição {{posicao")).await;
    assert!(unclosed.body.contains("Uma variável não foi fechada."));
    let ghost = post("/admin/teams".into(), form("SAC", "999999".into(), "")).await;
    assert_eq!(ghost.status, Status::UnprocessableEntity);
    assert!(ghost.body.contains("Escolha uma das equipes ativas da lista."));
    let letters = post("/admin/teams".into(), form("SAC", "abc".into(), "")).await;
    assert!(letters.body.contains("Informe um número inteiro."));
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM teams"), 1, "nothing saved");

    let message = "Fila cheia! Você é o {{posicao}}º.";
    let saved = post("/admin/teams".into(), form("SAC", vendas.to_string(), message)).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let sac: i64 = app.sql("SELECT id FROM teams WHERE name = 'SAC'");
    assert_eq!(app.sql::<Option<i64>>(&format!("SELECT overflow_team_id FROM teams WHERE id = {sac}")), Some(vendas));
    assert_eq!(app.sql::<String>(&format!("SELECT queue_full_message FROM teams WHERE id = {sac}")), message);
    let details: String = app.sql("SELECT details FROM audit_log WHERE action = 'team.create' ORDER BY id DESC");
    assert!(details.contains(&format!(r#""overflow_team_id":{vendas}"#)), "audited: {details}");

    let edit = app.get(&format!("/admin/teams/{sac}")).await;
    assert!(edit.body.contains(&format!(r#"<option value="{vendas}" selected>Vendas</option>"#)), "{}", edit.body);
    assert!(!edit.body.contains(&format!(r#"<option value="{sac}""#)), "a team is not offered to itself");
    assert!(edit.body.contains("Fila cheia! Você é o {{posicao}}º."));
    let itself = post(format!("/admin/teams/{sac}"), form("SAC", sac.to_string(), "")).await;
    assert_eq!(itself.status, Status::UnprocessableEntity);
    assert!(itself.body.contains("Uma equipe não pode transbordar para ela mesma."));

    // A deactivated overflow team stays chosen (and offered) until someone changes it,
    // but no other team may choose it.
    app.exec(&format!("UPDATE teams SET active = 0 WHERE id = {vendas}"));
    let edit = app.get(&format!("/admin/teams/{sac}")).await;
    assert!(
        edit.body.contains(&format!(r#"<option value="{vendas}" selected>Vendas (Inativo)</option>"#)),
        "{}",
        edit.body
    );
    let kept = post(format!("/admin/teams/{sac}"), form("SAC", vendas.to_string(), "")).await;
    assert_eq!(kept.status, Status::SeeOther, "{}", kept.body);
    let other = post("/admin/teams".into(), form("Financeiro", vendas.to_string(), "")).await;
    assert!(other.body.contains("Escolha uma das equipes ativas da lista."));
    // Cleared: empty means no overflow team and the default text.
    let cleared = post(format!("/admin/teams/{sac}"), form("SAC", String::new(), "")).await;
    assert_eq!(cleared.status, Status::SeeOther);
    assert_eq!(app.sql::<Option<i64>>(&format!("SELECT overflow_team_id FROM teams WHERE id = {sac}")), None);
}
