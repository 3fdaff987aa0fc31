//! `GET /api/v1/reports/history`: the history report's page as JSON — the same rows
//! for the same filters (oldest close first), a page at a time by cursor, times with
//! the company's offset, and the page's refusals (the 31-day period) naming the field.

use rocket::http::Status;
use serde_json::Value;

use crate::api_tokens::{get, make_token, signed_in_admin};
use crate::api_writes::{code, field};
use crate::common::PASSWORD;
use crate::reports_fixture::{company, listed, MARCH};

fn ids(body: &Value) -> Vec<i64> {
    body["data"].as_array().unwrap_or(&Vec::new()).iter().map(|r| r["id"].as_i64().unwrap()).collect()
}

#[rocket::async_test]
async fn the_history_report_answers_the_pages_rows_for_the_pages_filters() {
    let co = company().await;
    signed_in_admin(&co.app).await;
    let token = make_token(&co.app, "BI", &["reports:read"], "").await;
    let other = make_token(&co.app, "CRM", &["conversations:read", "contacts:write"], "").await;
    let (status, refused) = get(&co.app, &format!("/api/v1/reports/history?{MARCH}"), &other).await;
    assert_eq!((status, code(&refused)), (Status::Forbidden, "forbidden_scope"));
    co.app.sign_in("gerente", PASSWORD).await;

    // The page's filter → the API's name for it.
    let protocol: String = co.app.sql(&format!("SELECT protocol FROM conversations WHERE id = {}", co.maria));
    let cases: Vec<(String, String)> = vec![
        (String::new(), String::new()),
        (format!("protocol={}", &protocol[6..]), format!("protocol={}", &protocol[6..])),
        ("client=jo%C3%A3o".into(), "name=jo%C3%A3o".into()),
        ("client=ningu%C3%A9m".into(), "name=ningu%C3%A9m".into()),
        ("phone=11+98765-4321".into(), "phone=11+98765-4321".into()),
        ("email=maria%40".into(), "email=maria%40".into()),
        ("q=ENTREGA".into(), "containing=ENTREGA".into()),
        ("team=2".into(), "team=2".into()),
        (format!("agent={}", co.ana), format!("agent={}", co.ana)),
        ("channel=2".into(), "channel=2".into()),
        (format!("reason={}", co.financeiro), format!("reason={}", co.financeiro)),
        (format!("sub={}", co.boleto), format!("sub_reason={}", co.boleto)),
        (format!("tag={}", co.vip), format!("tag={}", co.vip)),
        ("score=2".into(), "score=2".into()),
    ];
    for (page_filter, api_filter) in cases {
        let page = co.app.get(&format!("/reports/history?{MARCH}&{page_filter}")).await;
        let mut expected = listed(&page.body);
        expected.reverse();
        let (status, body) = get(&co.app, &format!("/api/v1/reports/history?{MARCH}&{api_filter}"), &token).await;
        assert_eq!(status, Status::Ok, "{api_filter}: {body}");
        assert_eq!(ids(&body), expected, "{api_filter}");
    }
    let (_, all) = get(&co.app, &format!("/api/v1/reports/history?{MARCH}"), &token).await;
    assert_eq!(ids(&all), vec![co.maria, co.joao, co.carla], "oldest close first");
    let (_, none) = get(&co.app, &format!("/api/v1/reports/history?{MARCH}&name=ningu%C3%A9m"), &token).await;
    assert_eq!((ids(&none), &none["next_cursor"]), (vec![], &Value::Null), "a filter that excludes all");
    let maria = &all["data"][0];
    assert_eq!(maria["closed_at"], "2026-03-02T12:00:00.000-03:00", "São Paulo's offset");
    assert_eq!(maria["opened_at"], "2026-03-02T11:30:00.000-03:00");
    assert_eq!((maria["classification"].as_str(), maria["score"].as_i64()), (Some("Financeiro › Boleto"), Some(5)));
    let (_, found) = get(&co.app, &format!("/api/v1/reports/history?{MARCH}&containing=boleto"), &token).await;
    assert_eq!(found["data"][0]["hit"]["snippet"].as_array().map(|s| !s.is_empty()), Some(true), "{found}");

    // A page at a time.
    let (mut seen, mut cursor, mut pages) = (Vec::new(), String::new(), 0);
    loop {
        let path = format!("/api/v1/reports/history?{MARCH}&limit=2&cursor={cursor}");
        let (status, page) = get(&co.app, &path, &token).await;
        assert_eq!(status, Status::Ok, "{page}");
        seen.extend(ids(&page));
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(next) => cursor = next.to_string(),
            None => break,
        }
    }
    assert_eq!((seen, pages), (vec![co.maria, co.joao, co.carla], 2));

    // The page's refusals, naming the API's field.
    for (query, wrong) in [
        ("from=2026-03-01&until=2026-04-01", "until"),
        ("from=2026-03-10&until=2026-03-01", "until"),
        ("from=ontem", "from"),
        ("team=abc", "team"),
        ("score=9", "score"),
        ("sub_reason=x", "sub_reason"),
        ("cursor=nao-e-cursor", "cursor"),
        ("limit=500", "limit"),
    ] {
        let (status, refused) = get(&co.app, &format!("/api/v1/reports/history?{query}"), &token).await;
        assert_eq!((status, field(&refused)), (Status::UnprocessableEntity, wrong), "{query}: {refused}");
    }
    let (_, long) = get(&co.app, "/api/v1/reports/history?from=2026-03-01&until=2026-04-01", &token).await;
    assert!(long["error"]["message"].as_str().unwrap().contains("31"), "{long}");
}
