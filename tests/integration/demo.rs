//! `atende demo` fills a believable company: what a newcomer sees must be there.

use atende::demo::{self, Seeded};
use rocket::http::Status;

use crate::common::App;

#[rocket::async_test]
async fn demo_company_is_complete_and_seeding_twice_is_harmless() {
    let app = App::new().await;
    assert_eq!(demo::seed(app.db()).unwrap(), Seeded::Created);
    assert_eq!(demo::seed(app.db()).unwrap(), Seeded::AlreadyThere);

    assert_eq!(
        app.sql::<String>("SELECT group_concat(name, ',') FROM (SELECT name FROM teams ORDER BY name)"),
        "Financeiro,SAC,Vendas"
    );
    let lonely: i64 =
        app.sql("SELECT count(*) FROM users WHERE role = 'agent' AND id NOT IN (SELECT user_id FROM team_members)");
    assert_eq!(lonely, 0, "every demo agent is in a team");
    assert_eq!(app.sql::<i64>("SELECT max_minutes FROM pauses WHERE name = 'Almoço'"), 60);
    assert_eq!(app.sql::<i64>("SELECT max_minutes FROM pauses WHERE name = 'Café'"), 15);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM pauses WHERE name = 'Reunião'"), 1);
    assert!(app.sql::<i64>("SELECT count(*) FROM tabulations WHERE parent_id IS NOT NULL") >= 10, "sub-reasons");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM message_templates WHERE channel = 'whatsapp'"), 2);
    assert!(app.sql::<i64>("SELECT count(*) FROM canned_phrases") >= 4);
    assert!(app.sql::<i64>("SELECT count(*) FROM tags") >= 3);
    assert!(app.sql::<i64>("SELECT count(*) FROM word_filter WHERE kind = 'ignore'") >= 3);
    let hours: String =
        app.sql("SELECT group_concat(weekday || ':' || start_min || '-' || end_min, ' ') FROM schedule_intervals");
    assert_eq!(hours, "0:480-1080 1:480-1080 2:480-1080 3:480-1080 4:480-1080 5:480-720");

    // The floor: history, queues, work in service and a pending conversation, each
    // customer having passed the demo's bot (name, CPF, the menu's choice) first.
    demo::flow::ensure(app.db(), "http://127.0.0.1:9").unwrap();
    let engine = app.client.rocket().state::<atende::engine::Engine>().unwrap();
    demo::fill_floor(engine).await.unwrap();
    let by_status: String = app.sql(
        "SELECT group_concat(status || '=' || n, ' ') FROM (SELECT status, count(*) n FROM conversations GROUP BY status ORDER BY status)",
    );
    assert_eq!(by_status, "active=3 closed=3 pending=1 waiting=3");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM conversation_tabulations"), 3, "closed ones are classified");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM outbox"), 0, "everything queued was delivered");
    let chose: String = app.sql(
        "SELECT group_concat(body, ',') FROM (SELECT body FROM messages WHERE body LIKE 'flow-chose:%' ORDER BY id)",
    );
    assert_eq!(
        chose,
        "flow-chose:3 Suporte,flow-chose:1 Vendas,flow-chose:2 Financeiro,flow-chose:3 Suporte,flow-chose:1 Vendas,\
         flow-chose:2 Financeiro,flow-chose:3 Suporte,flow-chose:3 Suporte,flow-chose:3 Suporte,flow-chose:1 Vendas"
    );
    let in_vendas: i64 = app.sql("SELECT count(*) FROM conversations c JOIN teams t ON t.id = c.team_id WHERE t.name = 'Vendas' AND c.status = 'waiting'");
    assert_eq!(in_vendas, 1, "Thiago asked the bot for Vendas");

    // The demo administrator holds every permission and sees it all.
    app.sign_in("admin@demo.local", demo::PASSWORD).await;
    let teams = app.get("/admin/teams").await;
    assert_eq!(teams.status, Status::Ok);
    assert!(teams.body.contains("Financeiro") && teams.body.contains("Vendas"));
    for path in [
        "/admin/pauses",
        "/admin/tabulations",
        "/admin/phrases",
        "/admin/tags",
        "/admin/templates",
        "/admin/schedules",
        "/admin/word-filter",
        "/admin/contact-fields",
        "/admin/groups",
        "/admin/settings",
        "/admin/audit",
    ] {
        assert_eq!(app.get(path).await.status, Status::Ok, "{path}");
    }
    let agent = app.other_browser().await;
    agent.sign_in("ana@demo.local", demo::PASSWORD).await;
}
