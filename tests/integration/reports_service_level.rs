//! "Nível de serviço": the share within the target, abandoned conversations, the waits'
//! buckets, volume by channel with its drill-down, the heat-map cell of an arrival at
//! 23:30 in São Paulo, business hours only, the target's form, and who may open it.

use rocket::http::Status;

use crate::common::PASSWORD;
use crate::reports_fixture::{company, listed, local, Company, MARCH};
use crate::reports_reasons::grant;

const MANAGER: &[&str] = &["reports:view", "reports-service-level:view", "teams:view", "teams:edit"];

/// Maria waited 30 s, João 90 s (arriving Tuesday 2026-03-10 at 23:30 in São Paulo),
/// Carla was never answered (abandoned after 5 minutes).
fn waits(co: &Company) {
    let joao = local("2026-03-10", 23, 30);
    co.app.exec(&format!(
        "UPDATE conversations SET first_queued_at = closed_at - 600000, first_response_at = closed_at - 570000
           WHERE id = {maria};
         UPDATE conversations SET first_queued_at = {joao}, first_response_at = {joao} + 90000, closed_at = {joao} + 1200000
           WHERE id = {j};
         UPDATE conversations SET first_queued_at = closed_at - 300000, first_response_at = NULL WHERE id = {carla};",
        maria = co.maria,
        j = co.joao,
        carla = co.carla,
    ));
}

#[rocket::async_test]
async fn the_service_level_on_a_known_month() {
    let co = company().await;
    waits(&co);
    grant(&co.app, co.gerente, MANAGER);
    co.app.sign_in("gerente", PASSWORD).await;
    let page = co.app.get(&format!("/reports/service-level?{MARCH}")).await;
    assert_eq!(page.status, Status::Ok, "{}", page.body);
    // The company's default target: 80% within 60 s. Maria only: 1 of 3.
    assert!(page.body.contains("Atendidos em até 60 s (meta 80%)"));
    assert!(page.body.contains("<strong class=\"danger\">33,3%</strong>"), "below the goal");
    assert!(page.body.contains("1 de 3 que entraram na fila"));
    assert!(page.body.contains("<strong>1</strong><span class=\"muted\">33,3%</span>"), "one abandoned");
    assert!(page.body.contains("<title>15 s–30 s: 1</title>"), "Maria's 30 s");
    assert!(page.body.contains("<title>1 min–2 min: 1</title>"), "João's 90 s");
    assert!(page.body.contains("<title>2 min–5 min: 1</title>"), "Carla's 5 minutes, waited until the close");
    // Tuesday 23h in São Paulo (02:30 on Wednesday in UTC).
    assert!(page.body.contains("<title>ter 23h: 1 atendimentos</title>"), "the heat map's cell");
    assert!(!page.body.contains("<title>qua 2h: 1"), "not the UTC day");
    let site = "/reports/history?from=2026-03-01&amp;until=2026-03-31&amp;channel=1";
    assert!(page.body.contains(&format!("<a href=\"{site}\">")), "the channel's bar opens its history");
    let mut drilled = listed(&co.app.get(&site.replace("&amp;", "&")).await.body);
    drilled.sort();
    assert_eq!(drilled, vec![co.maria, co.joao]);

    // Counted in business hours only (the site opens Monday to Friday 08:00–18:00), João
    // arrived after hours and was answered before they opened: no wait at all.
    co.app.exec(
        "INSERT INTO schedule_groups (id, name, created_at) VALUES (1, 'Comercial', 0);
         INSERT INTO schedule_intervals (group_id, weekday, start_min, end_min)
           VALUES (1, 0, 480, 1080), (1, 1, 480, 1080), (1, 2, 480, 1080), (1, 3, 480, 1080), (1, 4, 480, 1080);
         UPDATE channels SET schedule_group_id = 1 WHERE id = 1;",
    );
    let open = co.app.get(&format!("/reports/service-level?{MARCH}&hours=true")).await;
    assert!(open.body.contains("2 de 3 que entraram na fila"), "{}", open.body);
    assert!(open.body.contains("name=\"hours\" value=\"true\" checked"));
}

#[rocket::async_test]
async fn a_team_s_target_is_set_on_the_report_and_audited() {
    let co = company().await;
    waits(&co);
    grant(&co.app, co.gerente, MANAGER);
    co.app.sign_in("gerente", PASSWORD).await;
    let set = [("team", "1"), ("goal_percent", "50"), ("target_seconds", "90")];
    let saved = co.app.post("/reports/service-level/target", &set).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let sac = co.app.get("/reports/service-level?from=2026-03-01&until=2026-03-31&team=1").await;
    assert!(sac.body.contains("Atendidos em até 90 s (meta 50%)"));
    assert!(sac.body.contains("<strong class=\"ok\">100,0%</strong>"), "both of SAC's within 90 s");
    let audited: String = co.app.sql("SELECT details FROM audit_log WHERE action = 'team.service-target'");
    assert!(audited.contains("\"seconds\":90") && audited.contains("\"before\":null"), "{audited}");
    // The whole company still follows its own target; each conversation its team's.
    let all = co.app.get(&format!("/reports/service-level?{MARCH}")).await;
    assert!(all.body.contains("Atendidos em até 60 s (meta 80%)"));
    assert!(all.body.contains("2 de 3 que entraram na fila"), "SAC's two by SAC's target");

    let bad = co.app.post("/reports/service-level/target", &[("goal_percent", "80"), ("target_seconds", "abc")]).await;
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert!(bad.body.contains("Informe um número de segundos entre 1 e 86400."));
    // The form shows what was typed, not what is stored, the error beside its field.
    let typed = [("team", "1"), ("goal_percent", "35"), ("target_seconds", "90000")];
    let refused = co.app.post("/reports/service-level/target", &typed).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    let field = |id: &str| {
        let at = refused.body.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no {id}: {}", refused.body));
        refused.body[at..].split("</div>").next().unwrap().to_string()
    };
    let seconds = field("target_seconds");
    assert!(seconds.contains("value=\"90000\"") && seconds.contains("aria-invalid=\"true\""), "{seconds}");
    assert!(seconds.contains("Informe um número de segundos entre 1 e 86400."), "{seconds}");
    let goal = field("goal_percent");
    assert!(goal.contains("value=\"35\"") && !goal.contains("aria-invalid"), "{goal}");
    assert!(!refused.body.contains("value=\"50\""), "the stored goal is not shown");
    assert_eq!(co.app.sql::<i64>("SELECT service_target_seconds FROM team_rules WHERE team_id = 1"), 90);
    let back = [("team", "1"), ("goal_percent", ""), ("target_seconds", ""), ("follow", "true")];
    assert_eq!(co.app.post("/reports/service-level/target", &back).await.status, Status::SeeOther);
    assert_eq!(co.app.sql::<Option<i64>>("SELECT service_target_seconds FROM team_rules WHERE team_id = 1"), None);
}

/// The page's tables as XLSX (a worksheet each, typed cells) and CSV (one after another
/// under their titles, `;` and the comma in Portuguese, `,` in English), audited.
#[rocket::async_test]
async fn the_service_level_exports_its_tables() {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let co = company().await;
    waits(&co);
    grant(&co.app, co.gerente, MANAGER);
    co.app.sign_in("gerente", PASSWORD).await;
    let page = co.app.get(&format!("/reports/service-level?{MARCH}&hours=false")).await;
    assert!(page.body.contains("href=\"/reports/service-level/export/xlsx?from=2026-03-01&amp;until=2026-03-31\""));

    let (status, kind, disposition, xlsx) =
        co.app.download(&format!("/reports/service-level/export/xlsx?{MARCH}")).await;
    assert_eq!(status, Status::Ok);
    assert!(kind.starts_with("application/vnd.openxmlformats"), "{kind}");
    assert_eq!(disposition, "attachment; filename=\"nivel-de-servico_2026-03-01_2026-03-31.xlsx\"");
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    assert_eq!(book.sheet_names(), ["Resumo", "Tempo de espera", "Por canal", "Chegadas por dia e hora"]);
    let summary = book.worksheet_range("Resumo").unwrap();
    assert_eq!(summary.get((0, 0)), Some(&Data::String("Entraram na fila".into())));
    let row: Vec<Option<Data>> = (0..8).map(|c| summary.get((1, c)).cloned()).collect();
    // 3 queued, 2 answered, target 60 s at 80%, 1 within (33.3%), 1 abandoned (33.3%).
    let f = |v: f64| Some(Data::Float(v));
    assert_eq!(row[..5], [f(3.0), f(2.0), f(60.0), f(80.0), f(1.0)]);
    assert!(matches!(row[5], Some(Data::Float(v)) if (v - 33.333).abs() < 0.01), "{:?}", row[5]);
    assert_eq!(row[6], f(1.0));
    assert!(matches!(summary.get((1, 8)), Some(Data::DateTime(d)) if d.is_duration()), "the median wait");
    let waits = book.worksheet_range("Tempo de espera").unwrap();
    assert_eq!(waits.get((2, 0)), Some(&Data::String("15 s–30 s".into())));
    assert_eq!(waits.get((2, 1)).cloned(), f(1.0));
    assert_eq!(waits.get((4, 0)), Some(&Data::String("1 min–2 min".into())));
    assert_eq!(waits.get((4, 1)).cloned(), f(1.0));
    let heat = book.worksheet_range("Chegadas por dia e hora").unwrap();
    assert_eq!(heat.get((0, 24)), Some(&Data::String("23h".into())));
    assert_eq!(heat.get((2, 0)), Some(&Data::String("ter".into())));
    assert_eq!(heat.get((2, 24)).cloned(), f(1.0), "Tuesday 23h in São Paulo");
    let audited: String = co.app.sql("SELECT details FROM audit_log WHERE action = 'report.service-level-export'");
    assert!(audited.contains("\"format\":\"xlsx\"") && audited.contains("\"until\":\"2026-03-31\""), "{audited}");

    let (status, kind, _, csv) =
        co.app.download(&format!("/reports/service-level/export/csv?{MARCH}&hours=true")).await;
    assert_eq!((status, kind.as_str()), (Status::Ok, "text/csv; charset=utf-8"));
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with('\u{feff}'), "a byte-order mark");
    let tables: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n\r\n").collect();
    assert_eq!(tables.len(), 4, "{csv}");
    let lines: Vec<&str> = tables[0].lines().collect();
    assert_eq!(lines[0], "Resumo");
    assert!(lines[1].starts_with("Entraram na fila;Atendidos;"), "{}", lines[1]);
    assert!(lines[2].starts_with("3;2;60;80;1;33,3;1;33,3;"), "{}", lines[2]);
    assert!(tables[2].contains("Site"), "{}", tables[2]);
    let audited: String = co
        .app
        .sql("SELECT details FROM audit_log WHERE action = 'report.service-level-export' ORDER BY id DESC LIMIT 1");
    assert!(audited.contains("\"hours\":\"true\""), "{audited}");

    co.app.exec(&format!("UPDATE users SET language = 'en' WHERE id = {}", co.gerente));
    let (_, _, disposition, csv) = co.app.download(&format!("/reports/service-level/export/csv?{MARCH}")).await;
    assert_eq!(disposition, "attachment; filename=\"service-level_2026-03-01_2026-03-31.csv\"");
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.contains("\r\nQueued,Answered,") && csv.contains("\r\n3,2,60,80,1,33.3,1,33.3,"), "{csv}");
    let bad = co.app.get("/reports/service-level/export/csv?from=2026-03-31&until=2026-01-01").await;
    assert_eq!(bad.status, Status::UnprocessableEntity, "refused filters answer with the page");
}

#[rocket::async_test]
async fn the_service_level_is_its_own_permission_and_its_target_needs_teams() {
    let co = company().await;
    co.app.sign_in("gerente", PASSWORD).await;
    assert_eq!(co.app.get(&format!("/reports/service-level?{MARCH}")).await.status, Status::Forbidden);
    grant(&co.app, co.gerente, &["reports-service-level:view"]);
    let page = co.app.get(&format!("/reports/service-level?{MARCH}")).await;
    assert_eq!(page.status, Status::Ok);
    assert!(!page.body.contains("/reports/service-level/target"), "no target form without teams:edit");
    let post = co.app.post("/reports/service-level/target", &[("goal_percent", "10"), ("target_seconds", "5")]).await;
    assert_eq!(post.status, Status::Forbidden);
    // An agent: the history of their teams, no summary report.
    co.app.sign_in("ana", PASSWORD).await;
    let home = co.app.get("/reports").await;
    assert!(home.body.contains("href=\"/reports/history\""));
    assert!(!home.body.contains("href=\"/reports/service-level\"") && !home.body.contains("href=\"/reports/agents\""));
    assert_eq!(co.app.get(&format!("/reports/service-level?{MARCH}")).await.status, Status::Forbidden);
}
