//! `/api/v1/conversations`, `/api/v1/teams` and `/api/v1/agents`: pages by cursor that
//! never repeat or skip a row, filters, one conversation with its messages, agents with
//! their status — and nothing of a conversation through the agents' scope.

use std::collections::BTreeSet;

use rocket::http::Status;
use serde_json::Value;

use crate::api_tokens::{get, make_token, signed_in_admin};
use crate::common::App;
use crate::workspace::{agent, channel, inbound, team};

fn ids(body: &Value) -> Vec<i64> {
    body["data"].as_array().unwrap_or(&Vec::new()).iter().map(|c| c["id"].as_i64().unwrap()).collect()
}

/// Every page of `path` (which already has a `?`) from `cursor`, following the cursor.
async fn pages_from(app: &App, path: &str, token: &str, cursor: &str) -> (Vec<i64>, usize) {
    let (mut all, mut pages, mut cursor) = (Vec::new(), 0, cursor.to_string());
    loop {
        let (status, page) = get(app, &format!("{path}&cursor={cursor}"), token).await;
        assert_eq!(status, Status::Ok, "{page}");
        all.extend(ids(&page));
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(next) => cursor = next.to_string(),
            None => return (all, pages),
        }
    }
}

async fn every_page(app: &App, path: &str, token: &str) -> (Vec<i64>, usize) {
    pages_from(app, path, token, "").await
}

#[rocket::async_test]
async fn conversations_come_a_page_at_a_time_none_twice_none_missing_and_filtered() {
    let app = App::new().await;
    signed_in_admin(&app).await;
    let (_ana_browser, ana) = agent(&app, "ana").await;
    let sac = team(&app, "SAC", "manual", &[ana]);
    let vendas = team(&app, "Vendas", "manual", &[]);
    let site = channel(&app, "site", sac);
    let loja = channel(&app, "loja", vendas);
    let mut made = Vec::new();
    for n in 0..7 {
        made.push(inbound(&app, site, &format!("cliente-{n}"), "Olá").await);
    }
    let mut in_vendas = Vec::new();
    for n in 0..3 {
        in_vendas.push(inbound(&app, loja, &format!("loja-{n}"), "Oi").await);
    }
    let token = make_token(&app, "BI", &["conversations:read", "messages:read"], "").await;
    let (_, first) = get(&app, "/api/v1/conversations?limit=3", &token).await;
    let cursor = first["next_cursor"].as_str().unwrap().to_string();
    // Arriving meanwhile: shows on a later page, never shifts the ones seen.
    let late = inbound(&app, site, "atrasado", "Cheguei").await;
    let (rest, pages) = pages_from(&app, "/api/v1/conversations?limit=3", &token, &cursor).await;
    let mut seen = ids(&first);
    seen.extend(rest);
    let expected: Vec<i64> =
        made.iter().chain(&in_vendas).copied().chain([late]).collect::<BTreeSet<_>>().into_iter().collect();
    assert_eq!(seen, expected, "in id order, each once");
    assert!(pages >= 3);

    let (by_team, _) = every_page(&app, &format!("/api/v1/conversations?team={vendas}&limit=2"), &token).await;
    assert_eq!(by_team, in_vendas);
    let (by_channel, _) = every_page(&app, &format!("/api/v1/conversations?channel={loja}"), &token).await;
    assert_eq!(by_channel, in_vendas);
    app.exec(&format!("UPDATE conversations SET status = 'active', agent_id = {ana} WHERE id = {}", made[2]));
    let (mine, _) = every_page(&app, &format!("/api/v1/conversations?agent={ana}&status=active"), &token).await;
    assert_eq!(mine, vec![made[2]]);
    let contact: i64 = app.sql(&format!("SELECT contact_id FROM conversations WHERE id = {}", made[4]));
    let (theirs, _) = every_page(&app, &format!("/api/v1/conversations?contact={contact}"), &token).await;
    assert_eq!(theirs, vec![made[4]]);
    let (status, bad) = get(&app, "/api/v1/conversations?status=aberta", &token).await;
    assert_eq!((status, &bad["error"]["field"]), (Status::UnprocessableEntity, &Value::from("status")));

    let (status, one) = get(&app, &format!("/api/v1/conversations/{late}"), &token).await;
    assert_eq!(status, Status::Ok, "{one}");
    let customer: Vec<&Value> = one["messages"].as_array().unwrap().iter().filter(|m| m["direction"] == "in").collect();
    assert_eq!(customer.len(), 1, "{one}");
    assert_eq!(customer[0]["body"], "Cheguei");
    assert_eq!(get(&app, "/api/v1/conversations/999999", &token).await.0, Status::NotFound);
}

#[rocket::async_test]
async fn agents_show_their_status_and_pause_and_never_a_conversation() {
    let app = App::new().await;
    signed_in_admin(&app).await;
    let (_ana_browser, ana) = agent(&app, "ana").await;
    let (_bia_browser, bia) = agent(&app, "bia").await;
    let sac = team(&app, "SAC", "manual", &[ana, bia]);
    let site = channel(&app, "site", sac);
    let conv = inbound(&app, site, "segredo", "Meu CPF é 123").await;
    app.exec(&format!("UPDATE conversations SET status = 'active', agent_id = {ana} WHERE id = {conv}"));
    app.exec("INSERT INTO pauses (name, max_minutes, active) VALUES ('Almoço', 60, 1)");
    app.exec(&format!(
        "UPDATE users SET status = 'paused' WHERE id = {bia};
         INSERT INTO agent_pauses (user_id, pause_id, started_at) VALUES ({bia}, (SELECT id FROM pauses), 1000)"
    ));
    app.exec(&format!("UPDATE users SET status = 'online' WHERE id = {ana}"));
    let token = make_token(&app, "Painel", &["teams:read"], "").await;
    let (status, agents) = get(&app, "/api/v1/agents", &token).await;
    assert_eq!(status, Status::Ok, "{agents}");
    let by_id = |id: i64| agents["data"].as_array().unwrap().iter().find(|a| a["id"] == id).cloned().unwrap();
    assert_eq!((by_id(ana)["status"].as_str(), by_id(ana)["pause"].is_null()), (Some("online"), true));
    assert_eq!(by_id(bia)["status"], "paused");
    assert_eq!(by_id(bia)["pause"]["name"], "Almoço");
    assert_eq!(by_id(bia)["team_ids"], serde_json::json!([sac]));
    let (_, one) = get(&app, &format!("/api/v1/agents/{ana}"), &token).await;
    let text = format!("{agents}{one}");
    assert!(!text.contains("segredo") && !text.contains("CPF") && !text.contains(&format!("\"{conv}\"")));
    assert!(one.get("conversations").is_none());
    let (_, teams) = get(&app, "/api/v1/teams", &token).await;
    assert_eq!(teams["data"][0]["member_ids"], serde_json::json!([ana, bia]));
    assert!(!teams.to_string().contains("segredo"));
    let (status, _) = get(&app, &format!("/api/v1/conversations?agent={ana}"), &token).await;
    assert_eq!(status, Status::Forbidden, "an agent's conversations take the conversations' scope");
    assert_eq!(get(&app, "/api/v1/agents/99999", &token).await.0, Status::NotFound);
}
