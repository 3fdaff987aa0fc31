//! "Histórico de Atendimentos" (Menu » Relatórios): each filter, the 31-day period in
//! the company's zone, sorting by a column, and who sees what — by list, export and
//! direct address.

use rocket::http::Status;

use crate::common::PASSWORD;
use crate::reports_fixture::{company, listed, MARCH};

#[rocket::async_test]
async fn every_filter_narrows_the_history_report() {
    let co = company().await;
    co.app.sign_in("gerente", PASSWORD).await;
    let (maria, joao, carla) = (co.maria, co.joao, co.carla);
    let protocol: String = co.app.sql(&format!("SELECT protocol FROM conversations WHERE id = {maria}"));
    let cases: Vec<(String, Vec<i64>)> = vec![
        (String::new(), vec![carla, joao, maria]),
        (format!("protocol={}", &protocol[6..]), vec![maria]),
        ("client=jo%C3%A3o".into(), vec![joao]),
        // The ninth digit either way, punctuation as typed.
        ("phone=%2811%29+8765-4321".into(), vec![maria]),
        ("phone=11+98765-4321".into(), vec![maria]),
        ("phone=3333-4444".into(), vec![joao]),
        ("phone=Loja".into(), vec![]),
        ("email=maria%40".into(), vec![maria]),
        ("q=boleto".into(), vec![maria]),
        ("q=ENTREGA".into(), vec![joao]),
        ("team=2".into(), vec![carla]),
        (format!("agent={}", co.ana), vec![joao, maria]),
        ("channel=2".into(), vec![carla]),
        (format!("reason={}", co.financeiro), vec![maria]),
        (format!("sub={}", co.boleto), vec![maria]),
        (format!("tag={}", co.vip), vec![maria]),
        ("score=2".into(), vec![joao]),
        ("score=5&team=1".into(), vec![maria]),
    ];
    for (filter, expected) in cases {
        let page = co.app.get(&format!("/reports/history?{MARCH}&{filter}")).await;
        assert_eq!(page.status, Status::Ok, "{filter}");
        assert_eq!(listed(&page.body), expected, "{filter}");
    }
    let page = co.app.get(&format!("/reports/history?{MARCH}&q=boleto")).await;
    assert!(page.body.contains("Financeiro › Boleto"), "the classification column");
    assert!(page.body.contains("<mark>boleto</mark>"), "the matching message's excerpt");
    assert!(page.body.contains("0:30:00"), "the duration");
    assert!(page.body.contains("ch-icon ch-webchat"), "the channel icon");
}

#[rocket::async_test]
async fn the_period_is_at_most_31_days_of_the_company_zone() {
    let co = company().await;
    co.app.sign_in("gerente", PASSWORD).await;
    let long = co.app.get("/reports/history?from=2026-03-01&until=2026-04-01").await;
    assert_eq!(long.status, Status::UnprocessableEntity);
    assert!(long.body.contains("O período pode ter no máximo 31 dias."));
    assert!(listed(&long.body).is_empty());
    let reversed = co.app.get("/reports/history?from=2026-03-10&until=2026-03-01").await;
    assert!(reversed.body.contains("A data final vem antes da data inicial."));
    let bad = co.app.get(&format!("/reports/history?{MARCH}&team=abc&score=9")).await;
    assert_eq!(bad.status, Status::UnprocessableEntity);
    assert!(bad.body.contains("Escolha uma das opções da lista."));
    // Exports refuse the same way, and write nothing.
    let (status, ..) = co.app.download("/reports/history/export/xlsx?from=2026-01-01&until=2026-03-31").await;
    assert_eq!(status, Status::UnprocessableEntity);
    let exported: i64 = co.app.sql("SELECT count(*) FROM audit_log WHERE action = 'report.history-export'");
    assert_eq!(exported, 0);
    // João's conversation closed at 23:30 on the 10th in São Paulo (02:30 UTC on the
    // 11th): it belongs to the 10th.
    let tenth = co.app.get("/reports/history?from=2026-03-10&until=2026-03-10").await;
    assert_eq!(listed(&tenth.body), [co.joao]);
    let later = co.app.get("/reports/history?from=2026-03-11&until=2026-03-31").await;
    assert_eq!(listed(&later.body), [co.carla]);
    // Left empty, the period is the last 31 days up to today: March 2026 is outside.
    let empty = co.app.get("/reports/history").await;
    assert_eq!(empty.status, Status::Ok);
    assert!(listed(&empty.body).is_empty());
}

#[rocket::async_test]
async fn the_table_sorts_by_any_column_and_ignores_unknown_sorts() {
    let co = company().await;
    co.app.sign_in("gerente", PASSWORD).await;
    let (maria, joao, carla) = (co.maria, co.joao, co.carla);
    for (sort, expected) in [
        ("sort=client&dir=asc", vec![carla, joao, maria]),
        ("sort=client&dir=desc", vec![maria, joao, carla]),
        ("sort=score&dir=desc", vec![maria, joao, carla]),
        ("sort=team&dir=asc", vec![maria, joao, carla]),
        ("sort=opened&dir=asc", vec![maria, joao, carla]),
        ("sort=classification&dir=asc", vec![carla, maria, joao]),
        ("sort=c.id%3BDROP+TABLE+users&dir=asc", vec![maria, joao, carla]),
    ] {
        let page = co.app.get(&format!("/reports/history?{MARCH}&{sort}")).await;
        assert_eq!(page.status, Status::Ok, "{sort}");
        assert_eq!(listed(&page.body), expected, "{sort}");
    }
}

#[rocket::async_test]
async fn an_agent_sees_only_their_teams_by_list_export_and_address() {
    let co = company().await;
    co.app.sign_in("ana", PASSWORD).await;
    let home = co.app.get("/reports").await;
    assert!(home.body.contains("Histórico de Atendimentos"));
    assert!(home.body.contains(r#"href="/reports""#), "the menu has Relatórios");
    let list = co.app.get(&format!("/reports/history?{MARCH}")).await;
    assert_eq!(listed(&list.body), [co.joao, co.maria]);
    // Asking for the other team's conversations finds none.
    let other = co.app.get(&format!("/reports/history?{MARCH}&team=2")).await;
    assert!(listed(&other.body).is_empty());
    let (_, _, _, csv) = co.app.download(&format!("/reports/history/export/csv?{MARCH}")).await;
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.contains("Maria Souza") && csv.contains("João Lima") && !csv.contains("Carla Dias"), "{csv}");
    for path in [format!("/reports/history/{}", co.carla), format!("/reports/history/pdf/{}", co.carla)] {
        assert_eq!(co.app.get(&path).await.status, Status::NotFound, "{path}");
    }
    assert_eq!(co.app.get(&format!("/reports/history/{}", co.maria)).await.status, Status::Ok);
    // Without the history permission, only what she held herself.
    co.app.exec(&format!("UPDATE users SET history_scope = 'none' WHERE id = {}", co.bia));
    co.app.logout().await;
    co.app.sign_in("bia", PASSWORD).await;
    let bia = co.app.get(&format!("/reports/history?{MARCH}")).await;
    assert_eq!(listed(&bia.body), [co.carla]);
    co.app.logout().await;
    // A stranger is sent to sign in; the manager's group sees every team.
    assert_eq!(co.app.get("/reports/history").await.status, Status::SeeOther);
    co.app.sign_in("gerente", PASSWORD).await;
    let all = co.app.get(&format!("/reports/history?{MARCH}")).await;
    assert_eq!(listed(&all.body).len(), 3);
    assert_eq!(co.app.get(&format!("/reports/history/{}", co.carla)).await.status, Status::Ok);
}

#[rocket::async_test]
async fn a_search_of_the_messages_counts_to_a_thousand_and_pages_on_past_it() {
    let co = company().await;
    co.app.sign_in("gerente", PASSWORD).await;
    // 1,004 more conversations of March with "boleto" in a message, the newest last.
    let (maria, base) = (co.maria, crate::reports_fixture::local("2026-03-03", 8, 0));
    co.app.exec(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1004)
         INSERT INTO conversations (protocol, channel_id, contact_id, team_id, status, opened_at, queued_at, last_message_at, closed_at)
         SELECT 'BX' || i, 1, (SELECT contact_id FROM conversations WHERE id = {maria}), 1, 'closed', {base} + i * 60000,
                {base} + i * 60000, {base} + i * 60000, {base} + i * 60000 + 1000 FROM n;
         INSERT INTO messages (conversation_id, channel_id, direction, body, status, created_at)
         SELECT id, 1, 'in', 'Outro boleto ' || protocol, 'received', opened_at FROM conversations WHERE protocol LIKE 'BX%';"
    ));
    let newest: i64 = co.app.sql("SELECT id FROM conversations WHERE protocol = 'BX1004'");

    let first = co.app.get(&format!("/reports/history?{MARCH}&q=boleto")).await;
    assert_eq!(first.status, Status::Ok);
    assert!(first.body.contains("mais de 1000"), "the count stops at its cap");
    let shown = listed(&first.body);
    assert_eq!(shown.len(), 25);
    assert_eq!(shown[0], newest, "the newest close first");
    // The 41st page lies past the cap and is there; its rows follow the 40th's.
    let fortieth = listed(&co.app.get(&format!("/reports/history?{MARCH}&q=boleto&page_no=40")).await.body);
    let page = co.app.get(&format!("/reports/history?{MARCH}&q=boleto&page_no=41")).await;
    assert!(page.body.contains(">1005<") && !page.body.contains("mais de"), "counted to the end once there");
    let next = listed(&page.body);
    assert_eq!(next.len(), 5, "1,005 in all: 40 pages of 25 and 5");
    assert!(!next.iter().any(|id| fortieth.contains(id)));
    assert_eq!(*next.last().unwrap(), maria, "the oldest last");
    // A page number past any list is an empty page, not an error.
    let far = co.app.get(&format!("/reports/history?{MARCH}&q=boleto&page_no={}", i64::MAX)).await;
    assert_eq!(far.status, Status::Ok);
    assert!(listed(&far.body).is_empty());
    // Sorted by another column, every match is counted.
    let by_score = co.app.get(&format!("/reports/history?{MARCH}&q=boleto&sort=score")).await;
    assert!(by_score.body.contains(">1005<") && !by_score.body.contains("mais de"), "exact");
}
