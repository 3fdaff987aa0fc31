//! Long exports of the history: past the threshold the request queues a job and goes to
//! "Exportações", the worker builds it (the same rows as a direct export), only its owner
//! sees and downloads it, one pending per user even when asked twice at once, a restart
//! fails a job left running, and a built file expires.

use std::io::Cursor;

use atende::reports::export_jobs::{build_next, expire, LIFETIME_MS};
use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use rocket::http::Status;

use crate::common::PASSWORD;
use crate::reports_fixture::{company, company_with, Company, MARCH};

/// The company with exports past 2 rows in the background, the worker run by the test.
async fn small_threshold() -> Company {
    let co = company_with(|c| {
        c.export_background_rows = 2;
        c.background_jobs = false;
    })
    .await;
    co.app.sign_in("gerente", PASSWORD).await;
    co
}

fn path_of_job(co: &Company) -> std::path::PathBuf {
    let file: String = co.app.sql("SELECT file FROM export_jobs");
    co.app.data_dir().join("exports").join(file)
}

#[rocket::async_test]
async fn a_long_export_is_queued_built_and_downloaded_by_its_owner_only() {
    let co = small_threshold().await;
    let asked = co.app.get(&format!("/reports/history/export/xlsx?{MARCH}&sort=closed&dir=asc")).await;
    assert_eq!(asked.status, Status::SeeOther);
    assert_eq!(asked.location.as_deref(), Some("/reports/exports"));
    let page = co.app.get("/reports/exports").await;
    assert!(page.body.contains("Na fila"), "{}", page.body);
    assert!(page.body.contains("0 de 3 linhas (0%)"));
    assert!(page.body.contains(r#"hx-trigger="every 2s""#), "the list follows the build");
    assert_eq!(co.app.sql::<i64>("SELECT count(*) FROM audit_log WHERE action = 'report.history-export'"), 0);

    let id = build_next(co.app.db()).await.unwrap().expect("a job built");
    assert_eq!(build_next(co.app.db()).await.unwrap(), None, "one job");
    let page = co.app.get("/reports/exports").await;
    let link = format!("/reports/exports/{id}/download");
    assert!(page.body.contains(&link), "{}", page.body);
    assert!(page.body.contains("3 de 3 linhas (100%)"));
    assert!(!page.body.contains("every 2s"), "nothing left to follow");

    let (status, kind, disposition, bytes) = co.app.download(&link).await;
    assert_eq!(status, Status::Ok);
    assert!(kind.starts_with("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    assert_eq!(disposition, "attachment; filename=\"historico-de-atendimentos_2026-03-01_2026-03-31.xlsx\"");
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("an XLSX");
    let sheet = book.worksheet_range("Atendimentos").expect("the sheet");
    let protocols: Vec<Data> = (1..sheet.height()).map(|r| sheet.get((r, 0)).cloned().unwrap()).collect();
    let expected: Vec<Data> = [co.maria, co.joao, co.carla]
        .iter()
        .map(|id| Data::String(co.app.sql(&format!("SELECT protocol FROM conversations WHERE id = {id}"))))
        .collect();
    assert_eq!(protocols, expected, "the rows of the direct export, in its order");
    let audited: String = co.app.sql("SELECT details FROM audit_log WHERE action = 'report.history-export'");
    assert!(audited.contains(r#""rows":3"#) && audited.contains(r#""format":"xlsx""#), "{audited}");

    // Another user neither sees the job nor downloads it.
    let other = co.app.other_browser().await;
    other.sign_in("ana", PASSWORD).await;
    assert_eq!(other.download(&link).await.0, Status::NotFound);
    let theirs = other.get("/reports/exports").await;
    assert_eq!(theirs.status, Status::Ok);
    assert!(!theirs.body.contains(&link) && theirs.body.contains("Nenhuma exportação pedida."));
}

#[rocket::async_test]
async fn a_built_export_expires_after_a_day_with_its_file() {
    let co = small_threshold().await;
    co.app.get(&format!("/reports/history/export/csv?{MARCH}")).await;
    let id = build_next(co.app.db()).await.unwrap().unwrap();
    let file = path_of_job(&co);
    assert!(file.exists());
    let now = atende::db::now_ms();
    assert_eq!(expire(co.app.db(), now).await.unwrap(), 0, "a fresh file stays");
    co.app.exec(&format!("UPDATE export_jobs SET finished_at = {} - 1", now - LIFETIME_MS));
    assert_eq!(expire(co.app.db(), now).await.unwrap(), 1);
    assert!(!file.exists(), "the file is deleted");
    assert_eq!(co.app.sql::<String>("SELECT status FROM export_jobs"), "expired");
    let page = co.app.get("/reports/exports").await;
    assert!(!page.body.contains(&format!("/reports/exports/{id}/download")) && page.body.contains("Expirada"));
    assert_eq!(co.app.download(&format!("/reports/exports/{id}/download")).await.0, Status::NotFound);
}

#[rocket::async_test]
async fn a_restart_fails_an_export_left_running() {
    let co = small_threshold().await;
    co.app.get(&format!("/reports/history/export/xlsx?{MARCH}")).await;
    co.app.exec("UPDATE export_jobs SET status = 'running'");
    let dir = co.app.stop().await;
    let app = crate::common::App::restart_on(dir).await;
    let mut status = String::new();
    for _ in 0..100 {
        status = app.sql("SELECT status FROM export_jobs");
        if status != "running" {
            break;
        }
        rocket::tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(status, "failed");
    app.sign_in("gerente", PASSWORD).await;
    let page = app.get("/reports/exports").await;
    assert!(page.body.contains("o servidor foi reiniciado durante a exportação"), "{}", page.body);
}

#[rocket::async_test]
async fn one_pending_export_per_user_even_when_asked_twice_at_once() {
    let co = small_threshold().await;
    let second = co.app.other_browser().await;
    second.sign_in("gerente", PASSWORD).await;
    let path = format!("/reports/history/export/xlsx?{MARCH}");
    let (a, b) = rocket::tokio::join!(co.app.get(&path), second.get(&path));
    assert_eq!(co.app.sql::<i64>("SELECT count(*) FROM export_jobs"), 1);
    let mut places = [a.location.unwrap_or_default(), b.location.unwrap_or_default()];
    places.sort();
    assert_eq!(places, ["/reports/exports".to_string(), "/reports/exports?busy=1".to_string()]);
    let page = co.app.get("/reports/exports?busy=1").await;
    assert!(page.body.contains("Você já tem uma exportação em andamento."));
}

#[rocket::async_test]
async fn below_the_threshold_the_export_is_direct() {
    let co = company().await;
    co.app.sign_in("gerente", PASSWORD).await;
    let (status, ..) = co.app.download(&format!("/reports/history/export/csv?{MARCH}")).await;
    assert_eq!(status, Status::Ok);
    assert_eq!(co.app.sql::<i64>("SELECT count(*) FROM export_jobs"), 0);
}
