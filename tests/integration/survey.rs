//! The satisfaction survey met the way a customer and an agent meet it: asked after
//! every close, answered by number, by word, by the widget's stars and with a comment;
//! free text asked about once then let through; WhatsApp's list hint and 24-hour rule;
//! "Iniciar conversa" refused while it is open; expiry by the clock.

use atende::engine::service::Agent;
use atende::engine::start::StartRefused;
use atende::engine::Engine;
use rocket::http::Status;
use serde_json::json;

use crate::common::{sac_with, App, PASSWORD};
use crate::engine::says as inbound;
use crate::flows::{api, replies, says, visitor};

fn engine(app: &App) -> &Engine {
    app.client.rocket().state::<Engine>().unwrap()
}

/// Team 1 "SAC" (Ana) on the web chat "site", with the survey on for the team; Telegram
/// (2) and WhatsApp (3) channels of the same team.
async fn surveyed() -> (App, Agent) {
    let app = App::without_jobs().await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    sac_with(&app, &[ana]);
    app.exec(
        "INSERT INTO team_rules (team_id, survey_enabled) VALUES (1, 1);
         INSERT INTO channels (id, kind, name, key, default_team_id, created_at) VALUES
             (2, 'telegram', 'Telegram', 'tg', 1, 0), (3, 'whatsapp', 'WhatsApp', '1099', 1, 0);",
    );
    (app, Agent { user_id: ana, supervisor: false })
}

/// Ana takes the conversation and closes it.
async fn served_and_closed(app: &App, ana: &Agent, conversation: i64) {
    engine(app).take(ana, conversation).await.unwrap();
    engine(app).close(ana, conversation, "").await.unwrap();
}

fn answer(app: &App, conversation: i64) -> Vec<(i64, String)> {
    app.rows(&format!("SELECT score, comment FROM survey_answers WHERE conversation_id = {conversation}"))
}

async fn survey_step(app: &App, token: &str) -> serde_json::Value {
    let (_, body) = api(app, "/webchat/site/messages", Some(token), None).await;
    body["conversation"]["survey"]["step"].clone()
}

#[rocket::async_test]
async fn every_close_asks_the_survey_and_the_answers_are_stored_with_the_agent() {
    let (app, ana) = surveyed().await;
    let maria = visitor(&app, "Maria").await;
    let first = says(&app, &maria, "Oi, meu pedido atrasou").await;
    served_and_closed(&app, &ana, first).await;
    let shown = replies(&app, &maria).await;
    let question = "Como você avalia o nosso atendimento? Responda com o número da nota:\n1 Péssimo\n2 Ruim\n3 Regular\n4 Bom\n5 Ótimo";
    assert!(shown.contains(&question.to_string()), "{shown:?}");
    assert_eq!(survey_step(&app, &maria).await, "score");

    // By number: kept with the closed conversation, which stays closed.
    assert_eq!(says(&app, &maria, "5").await, first);
    assert_eq!(answer(&app, first), vec![(5, String::new())]);
    assert_eq!(survey_step(&app, &maria).await, "comment");
    says(&app, &maria, "Resolveram rápido, obrigada!").await;
    assert_eq!(answer(&app, first), vec![(5, "Resolveram rápido, obrigada!".into())]);
    assert_eq!(
        app.sql::<i64>(&format!("SELECT agent_id FROM survey_answers WHERE conversation_id = {first}")),
        ana.user_id
    );
    assert!(replies(&app, &maria).await.last().unwrap().starts_with("Obrigado pela sua avaliação"));
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM surveys"), 0);
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM conversations WHERE id = {first}")), "closed");

    // The same contact again: a new conversation, a second close, a second survey,
    // answered with the widget's stars this time.
    let second = says(&app, &maria, "Voltei: quero trocar o produto").await;
    assert_ne!(second, first);
    served_and_closed(&app, &ana, second).await;
    assert_eq!(survey_step(&app, &maria).await, "score");
    let (status, body) = api(&app, "/webchat/site/survey", Some(&maria), Some(json!({ "score": 9 }))).await;
    assert_eq!(status, Status::UnprocessableEntity, "{body}");
    assert_eq!(body["error"], "A nota vai de 1 a 5.", "{body}");
    let (status, _) = api(&app, "/webchat/site/survey", Some(&maria), Some(json!({ "score": 2 }))).await;
    assert_eq!(status, Status::Ok);
    says(&app, &maria, "não").await;
    assert_eq!(answer(&app, second), vec![(2, String::new())]);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM survey_answers"), 2);
    // Nothing open any more: stars are refused with a reason.
    let (status, body) = api(&app, "/webchat/site/survey", Some(&maria), Some(json!({ "score": 4 }))).await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(body["error"], "Não há pesquisa de satisfação aberta para responder.", "{body}");

    // The agent's pane tells the story in words.
    app.sign_in("ana", PASSWORD).await;
    let pane = app.get(&format!("/agent/conversations/{first}")).await;
    assert!(pane.body.contains("Nota da pesquisa de satisfação: 5."), "{}", pane.body);
}

#[rocket::async_test]
async fn a_team_without_its_own_choice_follows_the_company_and_a_team_may_say_no() {
    let (app, ana) = surveyed().await;
    app.exec("UPDATE team_rules SET survey_enabled = NULL");
    let e = engine(&app);
    let (c, _) = crate::engine::stored(e.ingest(inbound(2, "t1", "Oi", None)).await.unwrap());
    served_and_closed(&app, &ana, c).await;
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM surveys"), 0, "the company's survey is off");
    app.change_settings(|s| s.survey_enabled = true);
    app.exec("UPDATE team_rules SET survey_enabled = 0");
    let (c, _) = crate::engine::stored(e.ingest(inbound(2, "t1", "De novo", None)).await.unwrap());
    served_and_closed(&app, &ana, c).await;
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM surveys"), 0, "the team said no");
    app.exec("UPDATE team_rules SET survey_enabled = NULL");
    let (c, _) = crate::engine::stored(e.ingest(inbound(2, "t1", "Mais uma", None)).await.unwrap());
    served_and_closed(&app, &ana, c).await;
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM surveys"), 1, "the company's survey is on");
}

#[rocket::async_test]
async fn free_text_is_asked_about_once_then_opens_a_new_conversation() {
    let (app, ana) = surveyed().await;
    let e = engine(&app);
    let (first, _) = crate::engine::stored(e.ingest(inbound(2, "t1", "Oi", None)).await.unwrap());
    served_and_closed(&app, &ana, first).await;
    let again = e.ingest(inbound(2, "t1", "e o meu pedido?", None)).await.unwrap();
    assert!(
        matches!(again, atende::engine::ingest::Ingested::Kept { conversation_id, .. } if conversation_id == first)
    );
    let last: String = app.sql(&format!(
        "SELECT body FROM messages WHERE conversation_id = {first} AND direction = 'out' ORDER BY id DESC LIMIT 1"
    ));
    assert!(last.starts_with("Não entendi. Para avaliar o atendimento"), "{last}");
    // By word, it would have counted; a second free text is a new matter.
    let (second, _) = crate::engine::stored(e.ingest(inbound(2, "t1", "quero falar com alguém", None)).await.unwrap());
    assert_ne!(second, first);
    assert_eq!(app.sql::<String>(&format!("SELECT status FROM conversations WHERE id = {second}")), "waiting");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM surveys"), 0);
    assert!(answer(&app, first).is_empty());
    let line: i64 = app
        .sql(&format!("SELECT count(*) FROM messages WHERE conversation_id = {first} AND body = 'survey-let-through'"));
    assert_eq!(line, 1);

    // A score by its word on the next survey.
    served_and_closed(&app, &ana, second).await;
    e.ingest(inbound(2, "t1", "Ótimo", None)).await.unwrap();
    assert_eq!(answer(&app, second), vec![(5, String::new())]);
}

#[rocket::async_test]
async fn on_whatsapp_the_scale_is_a_list_the_window_is_kept_and_start_waits_for_the_survey() {
    let (app, ana) = surveyed().await;
    let e = engine(&app);
    let (first, _) = crate::engine::stored(e.ingest(inbound(3, "5511987654321", "Olá", None)).await.unwrap());
    served_and_closed(&app, &ana, first).await;
    let (style, options): (String, String) = app.rows("SELECT style, options FROM message_choices")[0].clone();
    assert_eq!(style, "list");
    let options: Vec<serde_json::Value> = serde_json::from_str(&options).unwrap();
    let shown: Vec<(&str, &str)> =
        options.iter().map(|o| (o["id"].as_str().unwrap_or(""), o["title"].as_str().unwrap_or(""))).collect();
    assert_eq!(shown, [("1", "Péssimo"), ("2", "Ruim"), ("3", "Regular"), ("4", "Bom"), ("5", "Ótimo")]);

    // While the survey is open the contact is "in the bot": nobody starts a conversation.
    let contact: i64 = app.sql(&format!("SELECT contact_id FROM conversations WHERE id = {first}"));
    match e.start_conversation(&ana, contact, 3, 1).await {
        Err(StartRefused::NotAllowed { key, .. }) => assert_eq!(key, "start-in-survey"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    // Unanswered for the company's 24 hours, it expires; then the agent may start.
    let now = atende::db::now_ms();
    assert_eq!(e.expire_surveys(now + 23 * 3_600_000).await.unwrap(), 0);
    assert_eq!(e.expire_surveys(now + 25 * 3_600_000).await.unwrap(), 1);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM surveys"), 0);
    let expired: i64 =
        app.sql(&format!("SELECT count(*) FROM messages WHERE conversation_id = {first} AND body = 'survey-expired'"));
    assert_eq!(expired, 1);
    let started = e.start_conversation(&ana, contact, 3, 1).await.unwrap();
    e.close(&ana, started, "").await.unwrap();
    // That close asked again (every close does); left unanswered, it expires too.
    assert_eq!(e.expire_surveys(now + 25 * 3_600_000).await.unwrap(), 1);

    // Outside the 24-hour window the survey is not sent; a note says so.
    let (later, _) = crate::engine::stored(e.ingest(inbound(3, "5511987654321", "Oi de novo", None)).await.unwrap());
    e.take(&ana, later).await.unwrap();
    app.exec(&format!(
        "UPDATE messages SET created_at = created_at - 25 * 3600000 WHERE direction = 'in' AND channel_id = 3"
    ));
    e.close(&ana, later, "").await.unwrap();
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM surveys"), 0);
    let skipped: i64 = app.sql(&format!(
        "SELECT count(*) FROM messages WHERE conversation_id = {later} AND body = 'survey-window-skipped'"
    ));
    assert_eq!(skipped, 1);
}
