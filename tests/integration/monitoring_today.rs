//! "Hoje" on "Monitoramento" against a scripted day at a fixed clock: every number of
//! each team's line and the total, the conversation closed at 23:30 the day before
//! (São Paulo) left out, and the same shares as "Nível de serviço" for that day.

use rocket::http::Status;

use crate::common::{App, PASSWORD};
use crate::reports_fixture::local;
use crate::reports_reasons::grant;
use crate::workspace::{agent, channel, engine, team};

const DAY: &str = "2026-03-11";

/// The line of the panel for a team's id (or `all`).
fn line(body: &str, team: &str) -> String {
    let start = body.find(&format!("data-today-team=\"{team}\"")).unwrap_or_else(|| panic!("line {team}: {body}"));
    body[start..].split("</tr>").next().unwrap().to_string()
}

/// One conversation of the day: opened and queued at `queued`, the first human reply
/// `answer_s` seconds later (if any), closed at `closed` (if it is), a survey score.
struct Script {
    team: i64,
    queued: i64,
    answer_s: Option<i64>,
    closed: Option<i64>,
    score: Option<i64>,
}

fn play(app: &App, channel: i64, agent: i64, n: usize, s: &Script) {
    let first = s.answer_s.map_or("NULL".into(), |a| (s.queued + a * 1000).to_string());
    let (status, closed) = match (s.closed, s.answer_s) {
        (Some(at), _) => ("closed", at.to_string()),
        (None, Some(_)) => ("active", "NULL".into()),
        (None, None) => ("waiting", "NULL".into()),
    };
    let holder = if s.answer_s.is_some() { agent.to_string() } else { "NULL".into() };
    app.exec(&format!(
        "INSERT INTO contacts (id, name, created_at, updated_at) VALUES ({id}, 'Cliente {n}', 0, 0);
         INSERT INTO conversations (id, protocol, channel_id, contact_id, team_id, agent_id, status, opened_at,
             queued_at, first_queued_at, first_response_at, last_message_at, closed_at)
           VALUES ({id}, 'P{n}', {channel}, {id}, {team}, {holder}, '{status}', {q}, {q}, {q}, {first}, {q}, {closed});",
        id = 900 + n,
        team = s.team,
        q = s.queued,
    ));
    if let (Some(score), Some(at)) = (s.score, s.closed) {
        app.exec(&format!(
            "INSERT INTO survey_answers (conversation_id, score, answered_at) VALUES ({}, {score}, {at} + 60000)",
            900 + n
        ));
    }
}

#[rocket::async_test]
async fn the_today_panel_counts_a_scripted_day_as_the_service_level_report_does() {
    let app = App::without_jobs().await;
    let chefe = app.add_user("admin", "chefe", PASSWORD).await;
    grant(&app, chefe, &["monitoring:view", "reports:view", "reports-service-level:view"]);
    app.sign_in("chefe", PASSWORD).await;
    let (_, ana) = agent(&app, "ana").await;
    let sac = team(&app, "SAC", "manual", &[ana]);
    let vendas = team(&app, "Vendas", "manual", &[ana]);
    let site = channel(&app, "site", sac);
    // Vendas answers within 120 s by 50%; SAC follows the company's 60 s by 80%.
    app.exec(&format!(
        "INSERT INTO team_rules (team_id, service_target_seconds, service_goal_percent) VALUES ({vendas}, 120, 50)"
    ));
    let at = |hh, mm| local(DAY, hh, mm);
    let day = [
        // SAC: answered within 30 s, answered late (3 min), abandoned, still waiting.
        Script { team: sac, queued: at(9, 0), answer_s: Some(30), closed: Some(at(9, 10)), score: Some(5) },
        Script { team: sac, queued: at(10, 0), answer_s: Some(180), closed: Some(at(10, 20)), score: Some(3) },
        Script { team: sac, queued: at(11, 0), answer_s: None, closed: Some(at(11, 5)), score: None },
        Script { team: sac, queued: at(14, 0), answer_s: None, closed: None, score: None },
        // Vendas: answered in 90 s and still open; answered in 40 s and closed.
        Script { team: vendas, queued: at(12, 0), answer_s: Some(90), closed: None, score: None },
        Script { team: vendas, queued: at(13, 0), answer_s: Some(40), closed: Some(at(13, 30)), score: Some(5) },
        // Yesterday at 23:00, answered, closed at 23:30 São Paulo (02:30 UTC today), rated 1.
        Script {
            team: sac,
            queued: local("2026-03-10", 23, 0),
            answer_s: Some(60),
            closed: Some(local("2026-03-10", 23, 30)),
            score: Some(1),
        },
    ];
    for (n, s) in day.iter().enumerate() {
        play(&app, site, ana, n, s);
    }
    engine(&app).clock.set(Some(at(16, 0)));

    let page = app.get("/admin/monitoring").await;
    assert_eq!(page.status, Status::Ok, "{}", page.body);
    let sac_line = line(&page.body, &sac.to_string());
    // Received 4, answered 2, abandoned 1 of the 3 closed (33,3%), within 60 s 1 of 3,
    // median first response of 30 s and 180 s, satisfaction (5 + 3) / 2.
    for part in [
        "<td>4</td>",
        "<td>2</td>",
        "1 <span class=\"muted\">(33,3%)</span>",
        "33,3% <span class=\"muted small-text\">meta 80% em 60 s",
        "abaixo da meta",
        "0:01:45",
        "4,0 <span class=\"muted small-text\">2 respostas",
    ] {
        assert!(sac_line.contains(part), "SAC: {part} in {sac_line}");
    }
    let vendas_line = line(&page.body, &vendas.to_string());
    for part in [
        "<td>2</td>\n        <td>2</td>",
        "0 <span class=\"muted\">(0,0%)</span>",
        "100,0% <span class=\"muted small-text\">meta 50% em 120 s",
        "0:01:05",
        "5,0 <span class=\"muted small-text\">1 resposta<",
    ] {
        assert!(vendas_line.contains(part), "Vendas: {part} in {vendas_line}");
    }
    assert!(!vendas_line.contains("abaixo da meta"));
    let all = line(&page.body, "all");
    // 6 received, 4 answered, 1 of 4 closed abandoned, 2 of 4 within their team's target,
    // median of 30, 40, 90 and 180 s, (5 + 3 + 5) / 3; yesterday's 1 never counted.
    for part in [
        "<td>6</td>\n        <td>4</td>",
        "1 <span class=\"muted\">(25,0%)</span>",
        "50,0% <span class=\"muted small-text\">meta 80% em 60 s",
        "0:01:05",
        "4,3 <span class=\"muted small-text\">3 respostas",
    ] {
        assert!(all.contains(part), "Total: {part} in {all}");
    }

    // "Nível de serviço" for the same day says the same.
    let report = app.get(&format!("/reports/service-level?from={DAY}&until={DAY}")).await;
    assert_eq!(report.status, Status::Ok);
    assert!(report.body.contains("2 de 4 que entraram na fila"), "{}", report.body);
    assert!(report.body.contains("50,0%</strong>"));
    assert!(report.body.contains("<strong>1</strong><span class=\"muted\">25,0%</span>"));
    let sac_report = app.get(&format!("/reports/service-level?from={DAY}&until={DAY}&team={sac}")).await;
    assert!(sac_report.body.contains("1 de 3 que entraram na fila"));
    assert!(sac_report.body.contains("<strong>1</strong><span class=\"muted\">33,3%</span>"));

    // The live part says the same, and the next day starts from nothing.
    let live = app.get("/admin/monitoring/sections").await;
    assert_eq!(line(&live.body, "all"), all);
    engine(&app).clock.set(Some(local("2026-03-12", 0, 5)));
    let tomorrow = line(&app.get("/admin/monitoring/sections").await.body, "all");
    assert!(tomorrow.contains("<td>0</td>\n        <td>0</td>") && tomorrow.contains("(–)"), "{tomorrow}");
}
