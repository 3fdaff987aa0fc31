//! "Monitoramento" as a supervisor meets it: the floor's agents, queues and open
//! conversations, the live stream, and the actions, each in the audit log; and as
//! everyone else meets it: 403.

use std::time::Duration;

use atende::db::now_ms;
use atende::engine::service::Agent;
use rocket::http::Status;
use rocket::tokio::io::AsyncReadExt;

use crate::common::{App, PASSWORD};
use crate::reports_reasons::grant;
use crate::workspace::{agent, channel, engine, inbound, team};

const POSTS: [&str; 5] = [
    "/admin/monitoring/agents/{user}/end-pause",
    "/admin/monitoring/agents/{user}/sign-out",
    "/admin/monitoring/conversations/{conv}/finish",
    "/admin/monitoring/conversations/{conv}/out-of-bot",
    "/admin/monitoring/conversations/{conv}/end-survey",
];

/// A company with the supervisor "chefe" (monitoring granted), Ana in "SAC" on a web
/// chat, and one conversation Ana holds.
pub async fn floor() -> (App, i64, i64, i64) {
    let app = App::without_jobs().await;
    let chefe = app.add_user("admin", "chefe", PASSWORD).await;
    grant(&app, chefe, &["monitoring:view", "monitoring:edit"]);
    app.sign_in("chefe", PASSWORD).await;
    let (_, ana) = agent(&app, "ana").await;
    let sac = team(&app, "SAC", "manual", &[ana]);
    let site = channel(&app, "site", sac);
    let conv = inbound(&app, site, "joao", "Meu pedido não chegou").await;
    engine(&app).take(&Agent { user_id: ana, supervisor: false }, conv).await.unwrap();
    (app, ana, sac, conv)
}

fn path(template: &str, user: i64, conv: i64) -> String {
    template.replace("{user}", &user.to_string()).replace("{conv}", &conv.to_string())
}

#[rocket::async_test]
async fn only_groups_that_grant_monitoring_open_the_page_the_stream_and_the_actions() {
    let (app, ana, _, conv) = floor().await;
    let (agent_browser, _) = agent(&app, "bia").await;
    let outro = app.add_user("admin", "outro", PASSWORD).await;
    grant(&app, outro, &["teams:view", "reports:view"]);
    let other_admin = app.other_browser().await;
    other_admin.sign_in("outro", PASSWORD).await;
    for who in [&agent_browser, &other_admin] {
        assert_eq!(who.get("/admin/monitoring").await.status, Status::Forbidden);
        assert_eq!(who.get("/admin/monitoring/sections").await.status, Status::Forbidden);
        assert_eq!(who.client.get("/admin/monitoring/events").dispatch().await.status(), Status::Forbidden);
        for post in POSTS {
            assert_eq!(who.post(&path(post, ana, conv), &[]).await.status, Status::Forbidden, "{post}");
        }
    }
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM conversations WHERE id = {conv}")), "active");
    let page = app.get("/admin/monitoring").await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains(r#"href="/admin/monitoring""#), "in the admin menu");
    assert!(!other_admin.get("/admin").await.body.contains(r#"href="/admin/monitoring""#), "not for the other");

    // Seeing is not acting: with view alone the page shows no buttons and refuses them.
    grant(&app, outro, &["monitoring:view"]);
    let watching = other_admin.get("/admin/monitoring").await;
    assert_eq!(watching.status, Status::Ok);
    assert!(watching.body.contains("Cliente joao") && !watching.body.contains("/finish"));
    assert!(page.body.contains(&format!("/admin/monitoring/conversations/{conv}/finish")));
    for post in POSTS {
        assert_eq!(other_admin.post(&path(post, ana, conv), &[]).await.status, Status::Forbidden, "{post}");
    }
}

#[rocket::async_test]
async fn a_paused_agent_shows_the_pause_and_is_marked_past_its_limit() {
    let (app, ana, _, conv) = floor().await;
    let started = now_ms() - 20 * 60_000;
    app.exec(&format!(
        "INSERT INTO pauses (id, name, max_minutes, productive, cumulative, active) VALUES (5, 'Café', 15, 0, 0, 1);
         UPDATE users SET status = 'paused' WHERE id = {ana};
         INSERT INTO agent_pauses (user_id, pause_id, started_at) VALUES ({ana}, 5, {started});"
    ));
    let page = app.get("/admin/monitoring").await;
    assert_eq!(page.status, Status::Ok);
    let row = page.body.split("<tr").find(|r| r.contains("ana Teste")).expect("Ana's row").to_string();
    assert!(row.contains("is-over") && row.contains("Café") && row.contains("Em pausa"), "{row}");
    assert!(row.contains("20:0") && row.contains("/ 15:00"), "the clock against the limit: {row}");
    assert!(row.contains("1 / 5"), "one conversation of five: {row}");
    assert!(row.contains("SAC"), "her team");
    assert!(page.body.contains("Cliente joao"), "the open conversation is listed");
    // Within the limit: no mark.
    app.exec(&format!("UPDATE agent_pauses SET started_at = {} WHERE user_id = {ana}", now_ms() - 60_000));
    let row = app.get("/admin/monitoring").await.body;
    let row = row.split("<tr").find(|r| r.contains("ana Teste")).unwrap();
    assert!(!row.contains("is-over"), "{row}");

    // Filtered by status: only what is waiting, and ours is being served.
    let waiting = app.get("/admin/monitoring?status=waiting").await;
    assert!(!waiting.body.contains("Cliente joao"));
    let served = app.get(&format!("/admin/monitoring?status=active&agent={ana}")).await;
    assert!(served.body.contains("Cliente joao"));
    let bad = app.get("/admin/monitoring?team=x").await;
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert!(bad.body.contains("Filtro inválido"));
    assert_eq!(app.get("/admin/monitoring?status=closed").await.status, Status::UnprocessableEntity);
    let _ = conv;
}

#[rocket::async_test]
async fn queues_show_the_wait_and_a_queue_over_its_limit() {
    let (app, _, sac, _) = floor().await;
    app.exec(&format!("UPDATE teams SET queue_limit = 1 WHERE id = {sac}"));
    let site: i64 = app.sql("SELECT id FROM channels WHERE key = 'site'");
    inbound(&app, site, "maria", "Oi").await;
    inbound(&app, site, "pedro", "Olá").await;
    let page = app.get("/admin/monitoring").await.body;
    let queue = format!("data-queue=\"{sac}\"");
    let row = page.split("<tr").find(|r| r.contains(&queue)).expect("the queue's row");
    assert!(row.contains("2 / 1") && row.contains("is-over") && row.contains("acima do limite da fila"), "{row}");
}

#[rocket::async_test]
async fn ending_a_pause_and_signing_out_are_done_and_audited() {
    let (app, ana, _, conv) = floor().await;
    app.exec(&format!(
        "INSERT INTO pauses (id, name, max_minutes, productive, cumulative, active) VALUES (5, 'Café', 15, 0, 0, 1);
         UPDATE users SET status = 'paused' WHERE id = {ana};
         INSERT INTO agent_pauses (user_id, pause_id, started_at) VALUES ({ana}, 5, {});",
        now_ms()
    ));
    let ended = app.post(&format!("/admin/monitoring/agents/{ana}/end-pause"), &[("status", "active")]).await;
    assert_eq!(ended.status, Status::SeeOther);
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM users WHERE id = {ana}")), "online");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM agent_pauses WHERE ended_at IS NULL"), 0);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM audit_log WHERE action = 'monitoring.end-pause'"), 1);
    let again = app.post(&format!("/admin/monitoring/agents/{ana}/end-pause"), &[]).await;
    assert_eq!(again.status, Status::UnprocessableEntity);
    assert!(again.body.contains("não está em pausa"));

    // Signed out: her sessions end, she is offline, the conversation stays hers.
    assert!(app.sql::<i64>(&format!("SELECT count(*) FROM sessions WHERE user_id = {ana}")) > 0);
    let out = app.post(&format!("/admin/monitoring/agents/{ana}/sign-out"), &[]).await;
    assert_eq!(out.status, Status::SeeOther);
    assert_eq!(app.sql::<i64>(&format!("SELECT count(*) FROM sessions WHERE user_id = {ana}")), 0);
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM users WHERE id = {ana}")), "offline");
    assert_eq!(app.sql::<Option<i64>>(&format!("SELECT agent_id FROM conversations WHERE id = {conv}")), Some(ana));
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM audit_log WHERE action = 'monitoring.sign-out'"), 1);
    assert_eq!(app.post("/admin/monitoring/agents/999/sign-out", &[]).await.status, Status::NotFound);
    assert_eq!(app.post(&format!("/admin/monitoring/agents/{ana}/promote"), &[]).await.status, Status::NotFound);
}

#[rocket::async_test]
async fn finishing_follows_the_team_rule_on_classification() {
    let (app, _, sac, conv) = floor().await;
    app.exec(&format!("UPDATE teams SET require_tabulation = 1 WHERE id = {sac}"));
    let refused = app.post(&format!("/admin/monitoring/conversations/{conv}/finish"), &[]).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("exige a classificação"), "the engine's message is shown");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM audit_log WHERE action = 'monitoring.finish'"), 0);
    app.exec(&format!("UPDATE teams SET require_tabulation = 0 WHERE id = {sac}"));
    let done = app.post(&format!("/admin/monitoring/conversations/{conv}/finish"), &[("status", "active")]).await;
    assert_eq!(done.status, Status::SeeOther);
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM conversations WHERE id = {conv}")), "closed");
    let back = app.get("/admin/monitoring?status=active&done=finish").await;
    assert!(back.body.contains("Atendimento finalizado."));
    let entry: String = app.sql("SELECT details FROM audit_log WHERE action = 'monitoring.finish'");
    assert!(entry.contains("protocol"), "{entry}");
    let closed_again = app.post(&format!("/admin/monitoring/conversations/{conv}/finish"), &[]).await;
    assert_eq!(closed_again.status, Status::Conflict);
}

#[rocket::async_test]
async fn a_contact_is_taken_out_of_the_bot_and_out_of_the_survey() {
    let (app, ana, sac, conv) = floor().await;
    let site: i64 = app.sql("SELECT id FROM channels WHERE key = 'site'");
    let bot = inbound(&app, site, "maria", "Oi").await;
    app.exec(&format!("UPDATE conversations SET status = 'bot', team_id = {sac} WHERE id = {bot}"));
    let out = app.post(&format!("/admin/monitoring/conversations/{bot}/out-of-bot"), &[]).await;
    assert_eq!(out.status, Status::SeeOther);
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM conversations WHERE id = {bot}")), "waiting");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM audit_log WHERE action = 'monitoring.out-of-bot'"), 1);
    let twice = app.post(&format!("/admin/monitoring/conversations/{bot}/out-of-bot"), &[]).await;
    assert_eq!(twice.status, Status::Conflict);

    // The survey asked after Ana's close: ended, so João's next message opens a new one.
    app.exec(&format!("INSERT INTO team_rules (team_id, survey_enabled) VALUES ({sac}, 1)"));
    engine(&app).close(&Agent { user_id: ana, supervisor: false }, conv, "").await.unwrap();
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM surveys"), 1);
    let page = app.get("/admin/monitoring?status=survey").await;
    assert!(page.body.contains("Cliente joao") && page.body.contains("Encerrar pesquisa"));
    let ended = app.post(&format!("/admin/monitoring/conversations/{conv}/end-survey"), &[]).await;
    assert_eq!(ended.status, Status::SeeOther);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM surveys"), 0);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM audit_log WHERE action = 'monitoring.end-survey'"), 1);
    assert_eq!(
        app.sql::<i64>(&format!(
            "SELECT count(*) FROM messages WHERE conversation_id = {conv} AND body = 'survey-ended'"
        )),
        1
    );
    let twice = app.post(&format!("/admin/monitoring/conversations/{conv}/end-survey"), &[]).await;
    assert_eq!(twice.status, Status::UnprocessableEntity);
}

/// Reads the stream until `wanted` arrives (bounded: a stream that says nothing fails).
pub async fn read_until(response: &mut rocket::local::asynchronous::LocalResponse<'_>, wanted: &str) -> String {
    let mut seen = String::new();
    let mut buf = [0u8; 512];
    while !seen.contains(wanted) {
        let read = rocket::tokio::time::timeout(Duration::from_secs(10), response.read(&mut buf)).await;
        let n = read.expect("the stream said something in time").expect("readable");
        assert!(n > 0, "the stream ended: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    seen
}

#[rocket::async_test]
async fn the_stream_says_when_a_conversation_changes() {
    let (app, _, _, _) = floor().await;
    let mut stream = app.client.get("/admin/monitoring/events").dispatch().await;
    assert_eq!(stream.status(), Status::Ok);
    read_until(&mut stream, "event:ready").await;
    let site: i64 = app.sql("SELECT id FROM channels WHERE key = 'site'");
    inbound(&app, site, "maria", "Oi").await;
    read_until(&mut stream, "data:change").await;
    let sections = app.get("/admin/monitoring/sections").await;
    assert!(sections.body.contains("Cliente maria") && !sections.body.contains("<html"));
}

/// The page in the walk's language, with the floor the walk has made so far.
pub async fn walk_pages(c: &mut crate::pages::Check<'_>) {
    c.get("admin/monitoring/index.html", "/admin/monitoring", Status::Ok, "monitoring-longest-wait").await;
    c.get(
        "admin/monitoring/index.html",
        "/admin/monitoring?agent=x",
        Status::UnprocessableEntity,
        "monitoring-bad-filter",
    )
    .await;
    let monitored = team(c.app, "Monitorada", "manual", &[]);
    let conv = inbound(c.app, channel(c.app, "walk-monitoring", monitored), "walk", "Oi").await;
    let transfer = format!("/admin/monitoring/conversations/{conv}/transfer");
    c.get("admin/monitoring/confirm.html", &transfer, Status::Ok, "monitoring-transfer-queue").await;
    let finish = format!("/admin/monitoring/conversations/{conv}/finish");
    c.get("admin/monitoring/confirm.html", &finish, Status::Ok, "monitoring-finish-no-reasons").await;
}
