//! "Agentes": each figure on a hand-made March where the right answer is known —
//! medians and p90, transfers, satisfaction, time online across the period's start,
//! pauses over their limit —, the drill-down, the export read back, who may open it.

use rocket::http::Status;

use crate::common::PASSWORD;
use crate::reports_fixture::{closed, company, listed, local, Company, MARCH};
use crate::reports_reasons::grant;

const MANAGER: &[&str] = &["reports:view", "reports-agents:view"];

/// Sets a conversation's waits: first queue `minutes_before` its close, the first human
/// reply (Ana's) `first_s` later, assigned `handling_min` before the close.
fn times(co: &Company, id: i64, first_s: i64, handling_min: i64) {
    co.app.exec(&format!(
        "UPDATE conversations SET first_queued_at = closed_at - 3600000, first_response_by = agent_id,
           first_response_at = closed_at - 3600000 + {first_s} * 1000, assigned_at = closed_at - {handling_min} * 60000
         WHERE id = {id}"
    ));
}

/// Ana: three conversations (first responses 30, 90 and 60 s; handling 10, 20, 30 min;
/// scores 5, 2 and 4), one transferred (twice: counted once); an hour online across
/// the start of March; lunch 70 of 60 minutes, coffee 10 + 10 of 15 a day.
async fn march(co: &Company) -> i64 {
    let third = closed(&co.app, 1, "Paula Reis", &["Oi"], co.ana, local("2026-03-15", 10, 0)).await;
    times(co, co.maria, 30, 10);
    times(co, co.joao, 90, 20);
    times(co, third, 60, 30);
    let (ana, at) = (co.ana, |d: &str, h: i64, m: i64| local(d, h, m));
    co.app.exec(&format!(
        "INSERT INTO survey_answers (conversation_id, score, comment, answered_at) VALUES ({third}, 4, '', 0);
         INSERT INTO messages (conversation_id, channel_id, direction, body, status, created_at) VALUES
           ({j}, 1, 'system', 'transferred:{ana}:2:0', 'received', 0), ({j}, 1, 'system', 'transferred:{ana}:1:0', 'received', 0);
         DELETE FROM status_spans;
         INSERT INTO status_spans (user_id, status, started_at, ended_at) VALUES
           ({ana}, 'online', {feb}, {mar}), ({ana}, 'paused', {mar}, {mar} + 600000);
         INSERT INTO pauses (id, name, max_minutes, cumulative) VALUES (1, 'Almoço', 60, 0), (2, 'Café', 15, 1);
         INSERT INTO agent_pauses (user_id, pause_id, started_at, ended_at) VALUES
           ({ana}, 1, {lunch}, {lunch} + 70 * 60000), ({ana}, 2, {c1}, {c1} + 600000), ({ana}, 2, {c2}, {c2} + 600000);",
        j = co.joao,
        feb = at("2026-02-28", 23, 0),
        mar = at("2026-03-01", 1, 0),
        lunch = at("2026-03-02", 12, 0),
        c1 = at("2026-03-02", 10, 0),
        c2 = at("2026-03-02", 15, 0),
    ));
    third
}

#[rocket::async_test]
async fn each_agent_s_figures_on_a_known_month_and_the_bar_opens_their_history() {
    let co = company().await;
    let third = march(&co).await;
    grant(&co.app, co.gerente, MANAGER);
    co.app.sign_in("gerente", PASSWORD).await;
    let home = co.app.get("/reports").await;
    assert!(home.body.contains("href=\"/reports/agents\""), "the home lists it");
    assert!(!home.body.contains("href=\"/reports/service-level\""), "not granted");
    let page = co.app.get(&format!("/reports/agents?{MARCH}")).await;
    assert_eq!(page.status, Status::Ok, "{}", page.body);
    assert!(page.body.contains("<title>ana Teste: 3</title>"), "the bar's value on hover");
    let ana_history = format!("/reports/history?from=2026-03-01&amp;until=2026-03-31&amp;agent={}", co.ana);
    assert!(page.body.contains(&format!("<a href=\"{ana_history}\">")), "the bar opens Ana's history");
    let mut drilled = listed(&co.app.get(&ana_history.replace("&amp;", "&")).await.body);
    drilled.sort();
    assert_eq!(drilled, vec![co.maria, co.joao, third]);

    let (status, _, disposition, csv) = co.app.download(&format!("/reports/agents/export/csv?{MARCH}")).await;
    assert_eq!(status, Status::Ok);
    assert_eq!(disposition, "attachment; filename=\"agentes_2026-03-01_2026-03-31.csv\"");
    let csv = String::from_utf8(csv).unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    let header = lines.next().unwrap();
    assert!(header.ends_with("Tempo online;Almoço;Café;Pausas acima do limite"), "{header}");
    let ana = lines.find(|l| l.starts_with("ana Teste;")).expect("Ana's line");
    // 3 handled; first response median 60 s, p90 90 s; handling 20 and 30 minutes; one
    // conversation transferred; scores 5, 2, 4: 3,7 and two of three 4–5; one hour
    // online in March; lunch 1:10, coffee 0:20; lunch over 60 and the second coffee
    // over the day's 15 minutes.
    assert_eq!(ana, "ana Teste;3;0:01:00;0:01:30;0:20:00;0:30:00;1;3,7;66,7;1:00:00;1:10:00;0:20:00;2");
    let bia = lines.find(|l| l.starts_with("bia Teste;")).expect("Bia's line");
    assert!(bia.starts_with("bia Teste;1;;;0:29:00;0:29:00;0;;;0:00:00"), "{bia}");
    let audited: String = co.app.sql("SELECT details FROM audit_log WHERE action = 'report.agents-export'");
    assert!(audited.contains("\"format\":\"csv\"") && audited.contains("\"from\":\"2026-03-01\""), "{audited}");

    // Sorted by a column, the file keeps the order.
    let (_, _, _, xlsx) = co.app.download(&format!("/reports/agents/export/xlsx?{MARCH}&sort=handled&dir=desc")).await;
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let sheet = book.worksheet_range("Agentes").unwrap();
    assert_eq!(sheet.get((1, 0)), Some(&Data::String("ana Teste".into())));
    assert_eq!(sheet.get((1, 1)), Some(&Data::Float(3.0)));
    assert!(matches!(sheet.get((1, 2)), Some(Data::DateTime(d)) if d.is_duration()), "a duration cell");
}

#[rocket::async_test]
async fn the_agents_report_is_its_own_permission_and_a_team_s_viewer_sees_their_team() {
    let co = company().await;
    march(&co).await;
    co.app.sign_in("gerente", PASSWORD).await;
    assert_eq!(co.app.get(&format!("/reports/agents?{MARCH}")).await.status, Status::Forbidden);
    assert_eq!(co.app.get(&format!("/reports/agents/export/csv?{MARCH}")).await.status, Status::Forbidden);
    // Ana's supervisor in SAC (an administrator whose group grants this report, not
    // every team's history): SAC's agents only.
    let sup = co.app.add_user("admin", "sup", PASSWORD).await;
    co.app.exec(&format!("INSERT INTO team_members (team_id, user_id) VALUES (1, {sup})"));
    grant(&co.app, sup, &["reports-agents:view"]);
    co.app.sign_in("sup", PASSWORD).await;
    let page = co.app.get(&format!("/reports/agents?{MARCH}")).await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("<title>ana Teste: 3</title>"), "{}", page.body);
    assert!(!page.body.contains("bia Teste"), "only SAC's agents");
    let long = co.app.get("/reports/agents?from=2026-03-01&until=2026-04-15").await;
    assert_eq!(long.status, Status::UnprocessableEntity);
    assert!(long.body.contains("O período pode ter no máximo 31 dias."));
}
