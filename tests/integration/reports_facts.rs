//! The facts the agents' and service-level reports read, recorded as the floor works:
//! when a conversation first reached a queue, the first human reply (never the bot's or
//! a notice), and each user's status over time — sign-in, pauses, sign-out, the reaper.

use atende::accounts::sessions;
use atende::db::now_ms;
use atende::engine::service::Agent;

use crate::common::PASSWORD;
use crate::flows::{menu_flow, says, visitor, with_flow};
use crate::workspace::engine;

#[rocket::async_test]
async fn the_first_response_counts_from_the_queue_and_only_a_person_s_reply() {
    let (app, _, ana) = with_flow(menu_flow("Olá! Sou a assistente virtual.")).await;
    let maria = visitor(&app, "Maria").await;
    let conv = says(&app, &maria, "Oi").await;
    let facts = |app: &crate::common::App| -> (Option<i64>, Option<i64>) {
        app.rows(&format!("SELECT first_queued_at, first_response_at FROM conversations WHERE id = {conv}"))[0]
    };
    // With the bot: it greeted and asked, the protocol notice went out — no queue yet,
    // and no reply from a person.
    assert_eq!(facts(&app), (None, None));
    says(&app, &maria, "1").await;
    let (queued, answered) = facts(&app);
    assert!(queued.is_some(), "the flow's hand-over is when it reached the queue");
    assert_eq!(answered, None);
    // The bot had it ten minutes; the queue, 30 seconds.
    app.exec(&format!(
        "UPDATE conversations SET opened_at = opened_at - 600000, first_queued_at = first_queued_at - 30000 WHERE id = {conv}"
    ));
    let agent = Agent { user_id: ana, supervisor: false };
    engine(&app).take(&agent, conv).await.unwrap();
    engine(&app).reply(&agent, conv, "Internal note", true).await.unwrap();
    assert_eq!(facts(&app).1, None, "an internal note is no reply to the contact");
    engine(&app).reply(&agent, conv, "Olá, Maria! Em que posso ajudar?", false).await.unwrap();
    let by: Option<i64> = app.sql(&format!("SELECT first_response_by FROM conversations WHERE id = {conv}"));
    assert_eq!(by, Some(ana));
    // A transfer puts it in line again but keeps when it first reached a queue.
    let before = facts(&app).0;
    engine(&app).transfer(&agent, conv, 2, None, "").await.unwrap();
    assert_eq!(facts(&app).0, before);
    engine(&app).close(&Agent { user_id: ana, supervisor: true }, conv, "").await.unwrap();

    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let (_, _, _, csv) = app.download("/reports/history/export/csv").await;
    let csv = String::from_utf8(csv).unwrap();
    let line = csv.lines().find(|l| l.contains("Maria")).expect("Maria's conversation");
    let cells: Vec<&str> = line.split(';').collect();
    assert_eq!(cells[12], "0:00:30", "30 s in the queue, not the bot's ten minutes: {line}");
}

/// The user's spans, oldest first: (status, ended).
fn spans(app: &crate::common::App, user: i64) -> Vec<(String, bool)> {
    app.rows(&format!("SELECT status, ended_at IS NOT NULL FROM status_spans WHERE user_id = {user} ORDER BY id"))
}

#[rocket::async_test]
async fn each_change_of_status_closes_one_span_and_opens_the_next() {
    let (app, _, ana) = with_flow(menu_flow("Olá!")).await;
    app.exec("INSERT INTO pauses (id, name, max_minutes) VALUES (1, 'Almoço', 60)");
    app.sign_in("ana", PASSWORD).await;
    engine(&app).start_pause(ana, 1).await.unwrap();
    engine(&app).go_online(ana).await.unwrap();
    engine(&app).start_pause(ana, 1).await.unwrap();
    // Signing out in a pause ends the pause too.
    app.logout().await;
    let seen: Vec<(String, bool)> = spans(&app, ana);
    let expected = [("online", true), ("paused", true), ("online", true), ("paused", true), ("offline", false)];
    assert_eq!(seen, expected.map(|(s, e)| (s.to_string(), e)));
    assert_eq!(
        app.sql::<i64>(&format!("SELECT count(*) FROM agent_pauses WHERE user_id = {ana} AND ended_at IS NULL")),
        0
    );
    let gaps: i64 = app.sql(&format!(
        "SELECT count(*) FROM status_spans a JOIN status_spans b ON b.user_id = a.user_id AND b.id = a.id + 1
         WHERE a.user_id = {ana} AND a.ended_at != b.started_at AND b.started_at - a.ended_at > 5"
    ));
    assert_eq!(gaps, 0, "each span starts where the one before ended");
}

#[rocket::async_test]
async fn a_page_gone_quiet_ends_its_time_online_at_the_last_heartbeat_even_across_a_restart() {
    let (app, _, ana) = with_flow(menu_flow("Olá!")).await;
    app.sign_in("ana", PASSWORD).await;
    // The last heartbeat was an hour ago; then the server stopped.
    let hour_ago = now_ms() - 3_600_000;
    app.exec(&format!(
        "UPDATE users SET last_heartbeat_at = {hour_ago} WHERE id = {ana};
         UPDATE status_spans SET started_at = {hour_ago} - 600000 WHERE user_id = {ana}"
    ));
    let dir = app.stop().await;
    let app = crate::common::App::restart_on(dir).await;
    // The reaper's pass (the job's own first pass may have come first: the same).
    sessions::reap(app.db(), now_ms()).await.unwrap();
    let online: Vec<(i64, i64)> =
        app.rows(&format!("SELECT started_at, ended_at FROM status_spans WHERE user_id = {ana} AND status = 'online'"));
    assert_eq!(online, vec![(hour_ago - 600_000, hour_ago)], "ten minutes online, not an hour and ten");
    assert_eq!(spans(&app, ana).last().unwrap(), &("offline".to_string(), false));
}
