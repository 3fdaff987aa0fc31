//! "Motivos de contato": the counts per reason and sub-reason on the fixture's known
//! conversations, the drill-down into the history, its export and who may open it.

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use rocket::http::Status;

use crate::common::PASSWORD;
use crate::reports_fixture::{company, listed, MARCH};

/// A group granting `permissions` to `user`, instead of what they had.
pub fn grant(app: &crate::common::App, user: i64, permissions: &[&str]) {
    let list = serde_json::to_string(permissions).unwrap();
    app.exec(&format!(
        "INSERT OR REPLACE INTO permission_groups (id, name, permissions, created_at) VALUES (60 + {user}, 'Grupo {user}', '{list}', 0);
         DELETE FROM user_groups WHERE user_id = {user};
         INSERT INTO user_groups (user_id, group_id) VALUES ({user}, 60 + {user});"
    ));
}

/// A manager who steers by the reports: every team's history and the reasons.
const MANAGER: &[&str] = &["reports:view", "reports-reasons:view"];

#[rocket::async_test]
async fn reasons_are_counted_and_each_opens_the_history_filtered_to_it() {
    let co = company().await;
    // A second matter on João's conversation: it counts under both reasons.
    co.app.exec(&format!(
        "INSERT INTO conversation_tabulations (conversation_id, tabulation_id, added_at) VALUES ({}, 10, 0)",
        co.joao
    ));
    grant(&co.app, co.gerente, MANAGER);
    co.app.sign_in("gerente", PASSWORD).await;
    let page = co.app.get(&format!("/reports/reasons?{MARCH}")).await;
    assert_eq!(page.status, Status::Ok, "{}", page.body);
    assert!(page.body.contains("3 atendimentos finalizados no período; 1 sem classificação."), "{}", page.body);
    // Financeiro: Maria (Boleto) and João (the reason itself) — 2 of 3; Logística 1.
    assert!(page.body.contains("<title>Financeiro: 2 (66,7%)</title>"), "the bar's value on hover");
    assert!(page.body.contains("<title>Logística: 1 (33,3%)</title>"));
    let financeiro = "/reports/history?from=2026-03-01&amp;until=2026-03-31&amp;reason=10";
    let boleto = "/reports/history?from=2026-03-01&amp;until=2026-03-31&amp;sub=11";
    assert!(page.body.contains(&format!("<a href=\"{financeiro}\">")), "the bar and the row open the history");
    assert!(page.body.contains(&format!("<a href=\"{boleto}\">Boleto</a>")));
    let drilled = co.app.get(&financeiro.replace("&amp;", "&")).await;
    assert_eq!(listed(&drilled.body), vec![co.joao, co.maria]);
    assert_eq!(listed(&co.app.get(&boleto.replace("&amp;", "&")).await.body), vec![co.maria]);

    // One team: Vendas has only Carla's, unclassified.
    let vendas = co.app.get(&format!("/reports/reasons?{MARCH}&team=2")).await;
    assert!(vendas.body.contains("1 atendimentos finalizados no período; 1 sem classificação."));
    assert!(!vendas.body.contains("Financeiro"));
    let long = co.app.get("/reports/reasons?from=2026-03-01&until=2026-04-15").await;
    assert_eq!(long.status, Status::UnprocessableEntity);
    assert!(long.body.contains("O período pode ter no máximo 31 dias."));
}

#[rocket::async_test]
async fn the_reasons_table_exports_as_a_spreadsheet_and_is_audited() {
    let co = company().await;
    grant(&co.app, co.gerente, MANAGER);
    co.app.sign_in("gerente", PASSWORD).await;
    let (status, content_type, _, bytes) = co.app.download(&format!("/reports/reasons/export/xlsx?{MARCH}")).await;
    assert_eq!(status, Status::Ok);
    assert!(content_type.contains("spreadsheetml"));
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Motivos de contato").unwrap();
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows[0][0], Data::String("Motivo".into()));
    assert_eq!(rows[1][..4], [Data::String("Financeiro".into()), Data::Empty, "SAC".into(), Data::Float(1.0)]);
    assert_eq!(rows[2][1], Data::String("Boleto".into()));
    assert!(matches!(rows[1][4], Data::Float(f) if (f - 100.0 / 3.0).abs() < 1e-9));
    let (_, _, _, csv) = co.app.download(&format!("/reports/reasons/export/csv?{MARCH}&team=1")).await;
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("Logística;;SAC;1;50,0"), "{csv}");
    let audited: Vec<(String, String)> =
        co.app.rows("SELECT action, details FROM audit_log WHERE action = 'report.reasons-export' ORDER BY id");
    assert_eq!(audited.len(), 2);
    assert!(audited[1].1.contains("\"team\":\"1\"") && audited[1].1.contains("\"format\":\"csv\""), "{audited:?}");
}

#[rocket::async_test]
async fn each_report_is_granted_by_its_own_permission() {
    let co = company().await;
    // The reports' permission opens every team's history, not the other reports.
    co.app.sign_in("gerente", PASSWORD).await;
    let home = co.app.get("/reports").await;
    assert!(home.body.contains("/reports/history") && !home.body.contains("/reports/reasons"));
    assert_eq!(co.app.get("/reports/reasons").await.status, Status::Forbidden);
    assert_eq!(co.app.get("/reports/reasons/export/csv").await.status, Status::Forbidden);
    grant(&co.app, co.gerente, MANAGER);
    co.app.sign_in("gerente", PASSWORD).await;
    assert!(co.app.get("/reports").await.body.contains("/reports/reasons"));
    assert_eq!(co.app.get("/reports/reasons").await.status, Status::Ok);
    // An agent sees the history of their teams and nothing else.
    co.app.sign_in("ana", PASSWORD).await;
    assert!(!co.app.get("/reports").await.body.contains("/reports/reasons"));
    assert_eq!(co.app.get("/reports/reasons").await.status, Status::Forbidden);
    // Granted the reasons alone, a manager of Vendas counts what their history shows
    // (Carla's), so the grant never opens another team's conversations.
    co.app.exec(&format!("INSERT INTO team_members (team_id, user_id) VALUES (2, {})", co.gerente));
    grant(&co.app, co.gerente, &["reports-reasons:view"]);
    co.app.sign_in("gerente", PASSWORD).await;
    let theirs = co.app.get(&format!("/reports/reasons?{MARCH}")).await;
    assert!(theirs.body.contains("1 atendimentos finalizados no período; 1 sem classificação."), "{}", theirs.body);
    assert!(!theirs.body.contains("Financeiro"), "SAC's reasons stay out");
    let history = co.app.get("/reports/history?from=2026-03-01&until=2026-03-31").await;
    assert_eq!(listed(&history.body), vec![co.carla]);
}
