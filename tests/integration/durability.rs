//! Durability as configured and the writer's group commit, seen from outside: many
//! visitors writing at once each get their own message back and every one is stored;
//! `synchronous = full` is what the writer's connection commits with; `/metrics`
//! counts the commits and the writes they carried.

use atende::db::Synchronous;
use rocket::futures::future::join_all;
use rocket::http::Status;
use serde_json::json;

use crate::common::App;
use crate::metrics::{sample, scrape};
use crate::webchat::{post_json, setup, visitor};

/// 20 visitors send 10 messages each, all 200 requests at once: each answer carries its
/// own text, the 200 messages are stored once each, and fewer commits than writes
/// carried them (concurrent writes shared a commit).
#[rocket::async_test]
async fn parallel_visitors_each_get_their_own_message_and_all_are_stored() {
    let (app, key, _, _) = setup(&[]).await;
    let mut tokens = Vec::new();
    for v in 0..20 {
        tokens.push(visitor(&app, &key, &format!("Visitante {v}")).await);
    }
    let before = app.db().writer_use();
    let path = format!("/webchat/{key}/messages");
    let sends = (0..200).map(|n| {
        let (app, path, token) = (&app, &path, &tokens[n % 20]);
        async move {
            let text = format!("mensagem {n:03}");
            let answer = post_json(app, path, Some(token), json!({ "text": text, "client_id": format!("c{n}") })).await;
            (n, answer)
        }
    });
    for (n, answer) in join_all(sends).await {
        assert_eq!(answer.status, Status::Created, "{}", answer.body);
        assert_eq!(
            answer.body["message"]["body"].as_str(),
            Some(format!("mensagem {n:03}").as_str()),
            "{}",
            answer.body
        );
    }
    let stored: i64 =
        app.sql("SELECT count(DISTINCT body) FROM messages WHERE direction = 'in' AND body LIKE 'mensagem %'");
    assert_eq!(stored, 200);
    let after = app.db().writer_use();
    assert!(after.writes - before.writes >= 200, "{before:?} {after:?}");
    let text = scrape(&app).await;
    let (commits, writes) =
        (sample(&text, "atende_db_commits_total", &[]).unwrap(), sample(&text, "atende_db_writes_total", &[]).unwrap());
    assert!(commits >= 1.0 && writes >= commits, "{commits} commits, {writes} writes");
}

#[rocket::async_test]
async fn full_is_what_the_writer_commits_with_and_reads_cannot_write() {
    let synchronous =
        |app: &App| app.db().write_now(|tx| Ok(tx.query_row("PRAGMA synchronous", [], |r| r.get::<_, i64>(0))?));
    let full = App::with_config(|c| c.synchronous = Synchronous::Full).await;
    assert_eq!(synchronous(&full).unwrap(), 2_i64, "FULL");
    let normal = App::new().await;
    assert_eq!(synchronous(&normal).unwrap(), 1_i64, "NORMAL, the default");
    // Nothing writes past the writer: the read connections refuse it.
    let bypass = full.db().read_now(|c| Ok(c.execute("DELETE FROM settings", [])?));
    assert!(bypass.is_err());
}
