//! Inactivity per team with a simulated clock: the warning then the close with the
//! team's message, the pending limit, the company's rules for a team without its own,
//! one alert per cause about a queue nobody takes, giving a conversation back to the
//! queue when its agent does not answer; and the rules on the team's page.

use atende::engine::service::Agent;
use atende::engine::Engine;
use rocket::http::Status;

use crate::common::{sac_with, App, PASSWORD};
use crate::engine::{says, stored};

fn engine(app: &App) -> &Engine {
    app.client.rocket().state::<Engine>().unwrap()
}

const MIN: i64 = 60_000;

/// Team 1 "SAC" (Ana, manual) on web chat 1 with the rules given as SQL assignments;
/// team 2 without its own rules on a Telegram channel 2.
async fn floor_with_rules(rules: &str) -> (App, Agent) {
    let app = App::without_jobs().await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    sac_with(&app, &[ana]);
    app.exec(&format!(
        "UPDATE users SET status = 'online', capacity = 5 WHERE id = {ana};
         INSERT INTO team_rules (team_id, own_inactivity) VALUES (1, 1);
         UPDATE team_rules SET {rules} WHERE team_id = 1;
         INSERT INTO teams (id, name, distribution, created_at) VALUES (2, 'Vendas', 'manual', 0);
         INSERT INTO channels (id, kind, name, key, default_team_id, created_at) VALUES (2, 'telegram', 'Telegram', 'tg', 2, 0);"
    ));
    (app, Agent { user_id: ana, supervisor: false })
}

fn status(app: &App, c: i64) -> String {
    app.sql(&format!("SELECT status FROM conversations WHERE id = {c}"))
}

fn sent(app: &App, c: i64, start: &str) -> i64 {
    app.sql(&format!(
        "SELECT count(*) FROM messages WHERE conversation_id = {c} AND direction = 'out' AND body LIKE '{start}%'"
    ))
}

#[rocket::async_test]
async fn a_silent_conversation_is_warned_then_closed_with_the_teams_message() {
    let (app, ana) = floor_with_rules(
        "close_minutes = 20, warning_minutes = 5, warning_message = 'Ainda está aí? Vamos encerrar em 5 minutos.',
         closing_message = 'A equipe SAC encerrou por falta de resposta.', pending_minutes = 60",
    )
    .await;
    app.change_settings(|s| {
        s.auto_close_minutes = 30;
        s.closing_message = "A empresa encerrou.".into();
    });
    let e = engine(&app);
    let (silent, _) = stored(e.ingest(says(1, "v1", "Oi", None)).await.unwrap());
    let (pending, _) = stored(e.ingest(says(1, "v2", "Já volto", None)).await.unwrap());
    e.take(&ana, pending).await.unwrap();
    e.set_pending(&ana, pending).await.unwrap();
    let (other_team, _) = stored(e.ingest(says(2, "v3", "Olá", None)).await.unwrap());
    let now = atende::db::now_ms();

    assert_eq!(e.inactivity(now + 14 * MIN).await.unwrap().warned, 0, "not yet");
    assert_eq!(e.inactivity(now + 16 * MIN).await.unwrap().warned, 1, "the pending one is not warned");
    assert_eq!(sent(&app, silent, "Ainda está aí?"), 1);
    assert_eq!(e.inactivity(now + 17 * MIN).await.unwrap().warned, 0, "once per silence");

    let swept = e.inactivity(now + 21 * MIN).await.unwrap();
    assert_eq!(swept.closed, 1);
    assert_eq!(status(&app, silent), "closed");
    assert_eq!(sent(&app, silent, "A equipe SAC encerrou"), 1);
    assert_eq!(status(&app, pending), "pending", "pending waits for its own limit");
    assert_eq!(status(&app, other_team), "waiting", "team 2 follows the company's 30 minutes");

    assert_eq!(e.inactivity(now + 31 * MIN).await.unwrap().closed, 1);
    assert_eq!(sent(&app, other_team, "A empresa encerrou."), 1);
    assert_eq!(e.inactivity(now + 61 * MIN).await.unwrap().closed, 1);
    assert_eq!(status(&app, pending), "closed");
    assert_eq!(sent(&app, pending, "A equipe SAC encerrou"), 1);
}

#[rocket::async_test]
async fn a_queue_nobody_takes_raises_one_alert_per_cause() {
    let (app, _) = floor_with_rules("unassigned_alert_minutes = 10").await;
    let e = engine(&app);
    e.ingest(says(1, "v1", "Oi", None)).await.unwrap();
    e.ingest(says(1, "v2", "Alô", None)).await.unwrap();
    let now = atende::db::now_ms();
    assert_eq!(e.inactivity(now + 9 * MIN).await.unwrap().alerts, 0);
    assert_eq!(e.inactivity(now + 11 * MIN).await.unwrap().alerts, 1);
    assert_eq!(e.inactivity(now + 12 * MIN).await.unwrap().alerts, 0, "not repeated while unread");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM notifications WHERE kind = 'unassigned' AND team_id = 1"), 1);
    assert_eq!(app.sql::<i64>("SELECT json_extract(details, '$.waiting') FROM notifications"), 2);

    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let overview = app.get("/admin").await;
    assert!(overview.body.contains("Na equipe SAC, 2 atendimentos aguardam há mais de 10 min sem ninguém assumir."));
    app.exec("UPDATE notifications SET read_at = 1");
    assert_eq!(e.inactivity(now + 13 * MIN).await.unwrap().alerts, 1, "read: the next crossing tells again");
}

#[rocket::async_test]
async fn a_conversation_whose_agent_does_not_answer_goes_back_to_the_queue() {
    let (app, ana) = floor_with_rules("give_back_minutes = 15").await;
    let e = engine(&app);
    let (unanswered, _) = stored(e.ingest(says(1, "v1", "Oi", None)).await.unwrap());
    let (answered, _) = stored(e.ingest(says(1, "v2", "Bom dia", None)).await.unwrap());
    e.take(&ana, unanswered).await.unwrap();
    e.take(&ana, answered).await.unwrap();
    e.reply(&ana, answered, "Bom dia! Já vejo para você.", false).await.unwrap();
    let now = atende::db::now_ms();
    assert_eq!(e.inactivity(now + 14 * MIN).await.unwrap().given_back, 0);
    assert_eq!(e.inactivity(now + 16 * MIN).await.unwrap().given_back, 1);
    assert_eq!(status(&app, unanswered), "waiting");
    assert_eq!(app.sql::<Option<i64>>(&format!("SELECT agent_id FROM conversations WHERE id = {unanswered}")), None);
    assert_eq!(status(&app, answered), "active", "the customer has the agent's answer");
    let line: i64 = app.sql(&format!(
        "SELECT count(*) FROM messages WHERE conversation_id = {unanswered} AND body = 'gave-back:{}'",
        ana.user_id
    ));
    assert_eq!(line, 1);
    let audited: i64 = app.sql(&format!(
        "SELECT count(*) FROM audit_log WHERE action = 'conversation.give_back' AND target = 'conversation:{unanswered}'"
    ));
    assert_eq!(audited, 1);
    app.sign_in("ana", PASSWORD).await;
    let pane = app.get(&format!("/agent/conversations/{unanswered}")).await;
    assert!(pane.body.contains("ana Teste não respondeu a tempo: o atendimento voltou para a fila."), "{}", pane.body);
}

#[rocket::async_test]
async fn a_conversation_given_back_goes_to_another_agent_of_the_team_or_back_when_alone() {
    let (app, ana) = floor_with_rules("give_back_minutes = 15").await;
    let bruno = app.add_user("agent", "bruno", PASSWORD).await;
    // Automatic distribution; Bruno is in the team but on a pause for now.
    app.exec(&format!(
        "UPDATE teams SET distribution = 'auto' WHERE id = 1;
         INSERT INTO team_members (team_id, user_id) VALUES (1, {bruno});
         UPDATE users SET status = 'paused', capacity = 5 WHERE id = {bruno};"
    ));
    let e = engine(&app);
    let agent_of = |c: i64| app.sql::<Option<i64>>(&format!("SELECT agent_id FROM conversations WHERE id = {c}"));
    let (first, _) = stored(e.ingest(says(1, "v1", "Oi", None)).await.unwrap());
    assert_eq!(agent_of(first), Some(ana.user_id), "routed to the only one online");

    // Alone online, Ana gets it back: better than nobody.
    let now = atende::db::now_ms();
    assert_eq!(e.inactivity(now + 16 * MIN).await.unwrap().given_back, 1);
    assert_eq!(agent_of(first), Some(ana.user_id));

    // With Bruno available it goes to him, although he is the busier one.
    let (busy, _) = stored(e.ingest(says(1, "v2", "Outra dúvida", None)).await.unwrap());
    app.exec(&format!("UPDATE conversations SET agent_id = {bruno} WHERE id = {busy}; UPDATE users SET status = 'online' WHERE id = {bruno}"));
    e.reply(&Agent { user_id: bruno, supervisor: false }, busy, "Já vejo.", false).await.unwrap();
    assert_eq!(e.inactivity(now + 40 * MIN).await.unwrap().given_back, 1, "Ana did not answer again");
    assert_eq!(agent_of(first), Some(bruno), "not straight back to Ana");
    let lines: Vec<(String, i64)> = app.rows(&format!(
        "SELECT body, id FROM messages WHERE conversation_id = {first} AND direction = 'system'
           AND (body LIKE 'assigned:%' OR body LIKE 'gave-back:%') ORDER BY id"
    ));
    let lines: Vec<String> = lines.into_iter().map(|(b, _)| b).collect();
    let (a, b) = (ana.user_id, bruno);
    assert_eq!(
        lines,
        [
            format!("assigned:{a}"),
            format!("gave-back:{a}"),
            format!("assigned:{a}"),
            format!("gave-back:{a}"),
            format!("assigned:{b}")
        ]
    );
}

fn team_form<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![("name", "Suporte"), ("distribution", "manual"), ("queue_limit", "0"), ("active", "true")];
    form.extend_from_slice(extra);
    form
}

#[rocket::async_test]
async fn the_teams_page_keeps_its_own_rules_and_explains_what_it_refuses() {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let blank = app.get("/admin/teams/new").await;
    assert!(blank.body.contains("Pesquisa de satisfação") && blank.body.contains("Inatividade"));
    let refused = app
        .post(
            "/admin/teams",
            &team_form(&[
                ("rules.own_inactivity", "true"),
                ("rules.close_minutes", "10"),
                ("rules.warning_minutes", "10"),
            ]),
        )
        .await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("O aviso precisa vir antes da finalização"), "{}", refused.body);
    let bad =
        app.post("/admin/teams", &team_form(&[("rules.survey", "talvez"), ("rules.pending_minutes", "abc")])).await;
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM teams"), 0, "nothing half saved");

    let saved = app
        .post(
            "/admin/teams",
            &team_form(&[
                ("rules.survey", "on"),
                ("rules.own_inactivity", "true"),
                ("rules.close_minutes", "30"),
                ("rules.warning_minutes", "5"),
                ("rules.warning_message", "Ainda está aí?"),
                ("rules.give_back_minutes", "15"),
            ]),
        )
        .await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let rules: Vec<(i64, i64)> = app.rows("SELECT survey_enabled, close_minutes FROM team_rules");
    assert_eq!(rules, vec![(1, 30)]);
    let id: i64 = app.sql("SELECT id FROM teams");
    let page = app.get(&format!("/admin/teams/{id}")).await;
    assert!(page.body.contains(r#"value="30""#) && page.body.contains("Ainda está aí?"));
    // A form without the rules (a page loaded before) goes back to the company's.
    let plain = app.post(&format!("/admin/teams/{id}"), &team_form(&[])).await;
    assert_eq!(plain.status, Status::SeeOther);
    let rules: Vec<(Option<i64>, i64)> = app.rows("SELECT survey_enabled, own_inactivity FROM team_rules");
    assert_eq!(rules, vec![(None, 0)]);
}
