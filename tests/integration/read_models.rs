//! The pane and the lists are re-fetched on every live event: each loads in the same
//! number of SQL statements however long the conversation and however full the floor.

use std::cell::Cell;

use atende::db::conversation_pane::{ConversationPane, Viewer};
use atende::db::conversations::conversation_by_id;
use atende::db::floor_lists::FloorLists;
use atende::db::DbResult;
use rusqlite::trace::{TraceEvent, TraceEventCodes};
use rusqlite::Connection;

use crate::common::App;
use crate::workspace::{agent, channel, engine, inbound, team};

thread_local! {
    static STARTED: Cell<usize> = const { Cell::new(0) };
}

fn count(event: TraceEvent<'_>) {
    if let TraceEvent::Stmt(_, sql) = event {
        if !sql.starts_with("--") {
            STARTED.with(|n| n.set(n.get() + 1));
        }
    }
}

/// What `load` returns and how many statements it started.
fn counted<T>(app: &App, load: impl FnOnce(&Connection) -> DbResult<T>) -> (T, usize) {
    app.db()
        .read_now(|conn| {
            STARTED.with(|n| n.set(0));
            conn.trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, Some(count));
            let loaded = load(conn);
            conn.trace_v2(TraceEventCodes::SQLITE_TRACE_STMT, None);
            Ok((loaded?, STARTED.with(Cell::get)))
        })
        .expect("read")
}

fn pane(app: &App, id: i64, me: i64) -> (ConversationPane, usize) {
    counted(app, |conn| {
        let c = conversation_by_id(conn, id)?.expect("conversation");
        ConversationPane::load(conn, c, &Viewer { user_id: me, supervisor: false, can_write: true })
    })
}

fn lists(app: &App, me: i64) -> (FloorLists, usize) {
    counted(app, |conn| FloorLists::load(conn, me))
}

#[rocket::async_test]
async fn the_pane_and_the_lists_run_as_many_statements_for_a_long_conversation_as_for_a_short_one() {
    let app = App::new().await;
    let (_ana, ana_id) = agent(&app, "ana").await;
    let (_bia, bia_id) = agent(&app, "bia").await;
    let sac = team(&app, "SAC", "manual", &[ana_id, bia_id]);
    let vendas = team(&app, "Vendas", "manual", &[bia_id]);
    let site = channel(&app, "site", sac);
    let conv = inbound(&app, site, "maria", "Meu pedido não chegou").await;
    let agent = atende::engine::service::Agent { user_id: ana_id, supervisor: false };
    engine(&app).take(&agent, conv).await.expect("taken");

    let (short, pane_statements) = pane(&app, conv, ana_id);
    let (floor, list_statements) = lists(&app, ana_id);
    assert_eq!(floor.mine.len(), 1);

    // Many more messages: replies, files, and events naming other people and teams.
    for k in 0..40 {
        inbound(&app, site, "maria", &format!("Mensagem {k}")).await;
        app.exec(&format!(
            "INSERT INTO attachments (conversation_id, sha256, size, content_type, file_name, created_at)
               VALUES ({conv}, 'h{k}', 10, 'application/pdf', 'nota-{k}.pdf', 0);
             INSERT INTO messages (conversation_id, channel_id, direction, body, attachment_id, created_at)
               VALUES ({conv}, {site}, 'in', '', last_insert_rowid(), 0);
             INSERT INTO messages (conversation_id, channel_id, direction, body, created_at)
               VALUES ({conv}, {site}, 'system', 'transferred:{bia_id}:{}:{ana_id}', 0),
                      ({conv}, {site}, 'system', 'overflow:{vendas}:{sac}', 0);",
            if k % 2 == 0 { sac } else { vendas }
        ));
    }
    // And a fuller floor: more conversations in the lists, some tagged.
    for k in 0..15 {
        let other = inbound(&app, site, &format!("cliente{k}"), "Olá").await;
        if k % 3 == 0 {
            engine(&app).take(&agent, other).await.expect("taken");
        }
    }

    let (long, long_statements) = pane(&app, conv, ana_id);
    assert!(long.messages.len() > short.messages.len() + 150, "{} messages", long.messages.len());
    assert_eq!(long.messages.iter().filter(|m| m.attachment.is_some()).count(), 40);
    let named = long.messages.iter().find(|m| m.sys_key == "workspace-sys-transferred-agent").expect("an event");
    assert_eq!((named.a.as_str(), named.c.as_str()), ("bia Teste", "ana Teste"));
    assert_eq!(long_statements, pane_statements, "the pane's statements do not grow with its messages");

    let (floor, statements) = lists(&app, ana_id);
    assert_eq!(floor.mine.len(), 6);
    assert_eq!(floor.waiting.len(), 10);
    assert_eq!(statements, list_statements, "the lists' statements do not grow with their rows");
}
