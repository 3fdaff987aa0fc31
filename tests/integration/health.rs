//! The probes: `/livez` answers whatever the database does, `/readyz` is 503 with its
//! reason while a worker is late or a migration is missing, 200 otherwise; none needs a
//! session or counts against a rate limit.

use std::sync::mpsc;
use std::time::Duration;

use rocket::http::Status;
use serde_json::Value;

use crate::common::App;
use crate::workspace::engine;

async fn probe(app: &App, path: &str) -> (Status, Value) {
    let page = app.get(path).await;
    (page.status, serde_json::from_str(&page.body).unwrap_or(Value::Null))
}

/// `/readyz` once the workers started at lift-off have beaten (bounded).
async fn ready(app: &App) -> (Status, Value) {
    let mut last = probe(app, "/readyz").await;
    for _ in 0..100 {
        if last.0 == Status::Ok {
            break;
        }
        rocket::tokio::time::sleep(Duration::from_millis(20)).await;
        last = probe(app, "/readyz").await;
    }
    last
}

#[rocket::async_test]
async fn readyz_is_ready_while_the_workers_beat_and_503_naming_one_that_stopped() {
    let app = App::new().await;
    let (status, body) = ready(&app).await;
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(body["status"], "ready");
    assert_eq!(body["workers"], serde_json::json!(["reaper", "channels", "minute"]));
    let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations")).unwrap().count();
    assert_eq!(body["schema"], migrations as i64, "every migration applied");

    // Three hours pass at the engine's clock without a beat of the minute's worker or
    // of the reaper (an hour apart in the tests): not ready, and why.
    let clock = &engine(&app).clock;
    clock.set(Some(atende::db::now_ms() + 3 * 3_600_000));
    let (status, body) = probe(&app, "/readyz").await;
    assert_eq!(status, Status::ServiceUnavailable, "{body}");
    assert_eq!(body["status"], "not ready");
    let late: Vec<&str> = body["late"].as_array().unwrap().iter().map(|l| l["worker"].as_str().unwrap()).collect();
    assert!(late.contains(&"minute") && late.contains(&"reaper"), "{body}");
    assert!(body["reason"].as_str().unwrap().starts_with("worker "), "{body}");
    clock.set(None);
    assert_eq!(ready(&app).await.0, Status::Ok, "back in time, beating again");
}

#[rocket::async_test]
async fn without_background_jobs_no_worker_is_waited_for() {
    let app = App::without_jobs().await;
    let (status, body) = probe(&app, "/readyz").await;
    assert_eq!((status, &body["workers"]), (Status::Ok, &serde_json::json!([])), "{body}");
}

#[rocket::async_test]
async fn readyz_is_503_when_the_schema_is_not_this_builds() {
    let app = App::without_jobs().await;
    app.exec("PRAGMA user_version = 7");
    let (status, body) = probe(&app, "/readyz").await;
    assert_eq!(status, Status::ServiceUnavailable, "{body}");
    assert!(body["reason"].as_str().unwrap().contains("schema at version 7"), "{body}");
}

#[rocket::async_test]
async fn livez_answers_while_every_database_connection_is_taken() {
    let app = App::without_jobs().await;
    let max = app.db().pool_use().max;
    let (taken_tx, taken_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let release_rx = std::sync::Arc::new(std::sync::Mutex::new(release_rx));
    let mut holders = Vec::new();
    for _ in 0..max {
        let (db, taken_tx, release_rx) = (app.db().clone(), taken_tx.clone(), release_rx.clone());
        holders.push(std::thread::spawn(move || {
            db.read_now(|_| {
                taken_tx.send(()).unwrap();
                let _ = release_rx.lock().unwrap().recv();
                Ok(())
            })
            .unwrap()
        }));
    }
    for _ in 0..max {
        taken_rx.recv_timeout(Duration::from_secs(10)).expect("a connection taken");
    }
    assert_eq!(app.db().pool_use().idle, 0, "the pool is exhausted");
    for _ in 0..3 {
        let page = app.get("/livez").await;
        assert_eq!((page.status, page.body.as_str()), (Status::Ok, "ok"));
    }
    for _ in 0..max {
        release_tx.send(()).unwrap();
    }
    for h in holders {
        h.join().unwrap();
    }
    assert_eq!(probe(&app, "/healthz").await.0, Status::Ok);
}

#[rocket::async_test]
async fn the_probes_need_no_session_and_are_not_rate_limited() {
    let app = App::with_config(|c| {
        c.background_jobs = false;
        c.rate_sign_in_per_minute = 1;
    })
    .await
    .from_address("198.51.100.9:4000");
    for _ in 0..30 {
        for path in ["/livez", "/healthz", "/readyz"] {
            assert_eq!(app.get(path).await.status, Status::Ok, "{path}");
        }
    }
}
