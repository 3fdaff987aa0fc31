//! "Notificações" (F-AD-12) the way administrators meet them: each cause raised by the
//! path that detects it (a bad webhook signature, a Graph token refused, a Telegram
//! token refused and a poller down, a pause past its limit, a low survey score), one
//! row per cause however often it happens, with its count; the bell and the list only
//! for those granted them; marking read; the e-mail at most once per cause per interval.

use std::time::{Duration, Instant};

use atende::db::notifications::{self, Cause};
use atende::engine::service::Agent;
use atende::engine::Engine;
use rocket::http::Status;

use crate::common::{extract, sac_with, App, PASSWORD};
use crate::fake_graph::FakeGraph;
use crate::fake_smtp::FakeSmtp;
use crate::fake_telegram::{FakeTelegram, Fault};
use crate::whatsapp::{deliver, settings, text, whatsapp_channel, APP_SECRET, MARIA};
use crate::workspace::team;

fn engine(app: &App) -> &Engine {
    app.client.rocket().state::<Engine>().expect("engine managed")
}

/// (kind, subject, count) of every unread notification.
fn unread(app: &App) -> Vec<(String, i64, i64)> {
    app.rows::<String, String>(
        "SELECT kind, subject || ':' || count FROM notifications WHERE read_at IS NULL ORDER BY id",
    )
    .into_iter()
    .map(|(kind, rest)| {
        let (subject, count) = rest.split_once(':').unwrap();
        (kind, subject.parse().unwrap(), count.parse().unwrap())
    })
    .collect()
}

/// A page's markup with the escaped slashes of its attributes read back.
fn unescaped(body: &str) -> String {
    body.replace("&#x2F;", "/")
}

/// The bell's number in a page's top bar (`None`: no bell).
fn bell(body: &str) -> Option<i64> {
    let bell = extract(body, r#"(?s)(<a id="topbar-bell".*?</a>)"#)?;
    Some(extract(&bell, r"data-bell-count>(\d+)<").map_or(0, |n| n.parse().unwrap()))
}

#[rocket::async_test]
async fn two_workers_raising_one_cause_at_once_end_with_one_row_counted_twice() {
    let app = App::without_jobs().await;
    let cause = Cause { kind: notifications::WEBHOOK_SIGNATURE, subject: 7 };
    for round in 0..5 {
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let (db, barrier) = (app.db().clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    db.write_now(|tx| notifications::raise(tx, cause, "", &serde_json::json!({}), atende::db::now_ms()))
                        .expect("raised")
                })
            })
            .collect();
        let raised: Vec<_> = workers.into_iter().map(|w| w.join().unwrap()).collect();
        assert_eq!(raised[0].id, raised[1].id, "round {round}: both counted on one row");
        assert_eq!(unread(&app), vec![(cause.kind.to_string(), 7, 2 * (round + 1))]);
    }
    // The same occurrence reported twice counts once; once read, the cause starts a new row.
    let again = |occurrence: &str| {
        app.db()
            .write_now(|tx| notifications::raise(tx, cause, occurrence, &serde_json::json!({}), atende::db::now_ms()))
            .unwrap()
    };
    assert!(again("m-1").fresh);
    assert!(!again("m-1").fresh, "the same event again");
    assert_eq!(unread(&app)[0].2, 11);
    app.exec("UPDATE notifications SET read_at = 1");
    let next = again("m-2");
    assert_eq!((next.count, app.sql::<i64>("SELECT count(*) FROM notifications")), (1, 2));
}

/// An app without jobs, a fake Graph API, a WhatsApp channel of team "Loja" with Ana,
/// and the general administrator "chefe" signed in.
async fn shop() -> (App, FakeGraph, i64, Agent) {
    let app = App::without_jobs().await;
    let graph = FakeGraph::start();
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    let loja = team(&app, "Loja", "manual", &[ana]);
    let channel = whatsapp_channel(app.db(), settings(&graph.base), loja);
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    (app, graph, channel, Agent { user_id: ana, supervisor: false })
}

#[rocket::async_test]
async fn bad_signatures_and_a_refused_graph_token_are_each_one_notification_with_its_count() {
    let (app, graph, channel, ana) = shop().await;
    for n in 0..3 {
        let forged = text(MARIA, &format!("wamid.forged.{n}"), "Oi");
        assert_eq!(deliver(&app, &forged, Some("outro-segredo")).await, Status::Unauthorized);
    }
    assert_eq!(deliver(&app, &text(MARIA, "wamid.unsigned", "Oi"), None).await, Status::Unauthorized);
    assert_eq!(unread(&app), vec![("webhook_signature".into(), channel, 4)]);

    // The list: its words, the count and the channel's page.
    let page = app.get("/admin/notifications").await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("O webhook do canal WhatsApp da loja"), "{}", page.body);
    assert!(page.body.contains("4×") && page.body.contains("última às"), "{}", page.body);
    assert!(unescaped(&page.body).contains(&format!(r#"href="/admin/channels/{channel}""#)));
    assert_eq!(bell(&page.body), Some(1));

    // A message the Graph API refuses for an expired token: the token and the message.
    assert_eq!(deliver(&app, &text(MARIA, "wamid.in.1", "Oi"), Some(APP_SECRET)).await, Status::Ok);
    let conversation: i64 = app.sql("SELECT id FROM conversations");
    engine(&app).take(&ana, conversation).await.unwrap();
    let token_expired = r#"{"error":{"message":"Error validating access token","type":"OAuthException","code":190}}"#;
    graph.fail("/messages", 2, 401, token_expired);
    for reply in ["Um momento.", "Já verifico."] {
        engine(&app).reply(&ana, conversation, reply, false).await.unwrap();
        engine(&app).deliver_due().await.unwrap();
    }
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM messages WHERE status = 'failed'"), 2);
    assert_eq!(
        unread(&app),
        vec![
            ("webhook_signature".into(), channel, 4),
            ("channel_auth".into(), channel, 2),
            ("delivery_failed".into(), channel, 2),
        ]
    );
    let page = app.get("/admin/notifications?show=unread").await;
    assert!(page.body.contains("teve as credenciais recusadas") && page.body.contains("não pôde ser entregue"));
    assert_eq!(bell(&page.body), Some(3));
}

#[rocket::async_test]
async fn a_refused_telegram_token_and_a_poller_failing_past_its_grace_are_notified_once() {
    let fake = FakeTelegram::start();
    fake.fail_polls(&[Fault::Unauthorized]);
    let setup = App::without_jobs().await;
    let ana = setup.add_user("agent", "ana", PASSWORD).await;
    let channel = crate::telegram::channel(&setup, &fake, &[ana]);
    let app = App::restart_on_with(setup.stop().await, |c| c.poller_grace_secs = 0).await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while unread(&app).len() < 2 {
        assert!(Instant::now() < deadline, "not notified: {:?}", unread(&app));
        rocket::tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(unread(&app), vec![("channel_auth".into(), channel, 1), ("poller_down".into(), channel, 1)]);
    let reason: String = app.sql("SELECT details FROM notifications WHERE kind = 'channel_auth'");
    assert!(reason.contains("Token do bot recusado (401)"), "{reason}");
}

#[rocket::async_test]
async fn a_pause_past_its_limit_is_noticed_once_per_pause_by_the_periodic_look() {
    let app = App::without_jobs().await;
    app.exec("INSERT INTO pauses (name, max_minutes, productive, cumulative, active) VALUES ('Café', 15, 0, 0, 1)");
    let coffee: i64 = app.sql("SELECT id FROM pauses");
    let (ana, ana_id) = crate::workspace::agent(&app, "ana").await;
    let (paused, _) = ana.hx_post("/agent/pause", &[("pause_id", &coffee.to_string())]).await;
    assert_eq!(paused.status, Status::NoContent);
    let started: i64 = app.sql("SELECT started_at FROM agent_pauses");
    let e = engine(&app);
    e.clock.set(Some(started + 14 * 60_000));
    assert_eq!(e.notice_pauses(e.clock.now()).await.unwrap(), 0, "within the limit");
    assert!(unread(&app).is_empty());
    for minutes in [16, 17, 30] {
        e.clock.set(Some(started + minutes * 60_000));
        assert_eq!(e.notice_pauses(e.clock.now()).await.unwrap(), 1);
    }
    assert_eq!(unread(&app), vec![("pause_over_limit".into(), ana_id, 1)], "one pause, counted once");

    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let page = app.get("/admin/notifications").await;
    assert!(page.body.contains("ana Teste passou do limite da pausa Café (15 min)"), "{}", page.body);
    assert!(unescaped(&page.body).contains(&format!(r#"href="/admin/monitoring?agent={ana_id}""#)));
}

#[rocket::async_test]
async fn a_low_survey_score_is_notified_only_once_the_company_sets_its_threshold() {
    let app = App::without_jobs().await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    sac_with(&app, &[ana]);
    app.exec("INSERT INTO team_rules (team_id, survey_enabled) VALUES (1, 1)");
    let ana = Agent { user_id: ana, supervisor: false };
    let maria = crate::flows::visitor(&app, "Maria").await;
    let scored = |score: &'static str| {
        let (app, ana, maria) = (&app, &ana, &maria);
        async move {
            let conversation = crate::flows::says(app, maria, "Oi, preciso de ajuda").await;
            engine(app).take(ana, conversation).await.unwrap();
            engine(app).close(ana, conversation, "").await.unwrap();
            crate::flows::says(app, maria, score).await;
            crate::flows::says(app, maria, "Demorou muito").await;
            conversation
        }
    };
    scored("1").await;
    assert!(unread(&app).is_empty(), "off by default");

    app.db()
        .write_now(|tx| {
            let mut p = notifications::preferences(tx)?;
            p.low_score = 2;
            notifications::save_preferences(tx, &p)
        })
        .unwrap();
    scored("3").await;
    assert!(unread(&app).is_empty(), "above the threshold");
    let low = scored("2").await;
    assert_eq!(unread(&app), vec![("low_score".into(), low, 1)], "scored then commented: once");
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let page = app.get("/admin/notifications").await;
    assert!(page.body.contains("recebeu nota 2 na pesquisa"), "{}", page.body);
    assert!(unescaped(&page.body).contains(&format!(r#"href="/agent/history/{low}""#)));
}

#[rocket::async_test]
async fn only_those_granted_notifications_see_the_bell_and_the_list() {
    let (app, _graph, channel, _) = shop().await;
    deliver(&app, &text(MARIA, "wamid.forged", "Oi"), Some("outro")).await;
    assert_eq!(bell(&app.get("/admin").await.body), Some(1), "the general administrator");

    let gestor = app.other_browser().await;
    gestor.add_user("admin", "gestor", PASSWORD).await;
    let group: i64 = app.db().write_now(|tx| atende::db::groups::insert_group(tx, "Canais", &[])).unwrap();
    app.exec(&format!(
        "UPDATE permission_groups SET permissions = '[\"channels:edit\", \"teams:edit\"]' WHERE id = {group};
         DELETE FROM user_groups WHERE user_id = (SELECT id FROM users WHERE username = 'gestor');
         INSERT INTO user_groups (user_id, group_id) SELECT id, {group} FROM users WHERE username = 'gestor';"
    ));
    gestor.sign_in("gestor", PASSWORD).await;
    let overview = gestor.get("/admin").await;
    assert_eq!(bell(&overview.body), None);
    assert!(!overview.body.contains("O webhook do canal"), "no notices on the overview either");
    assert_eq!(gestor.get("/admin/notifications").await.status, Status::Forbidden);
    assert_eq!(gestor.get("/admin/notifications/bell").await.status, Status::Forbidden);
    let id: i64 = app.sql("SELECT id FROM notifications");
    assert_eq!(gestor.post(&format!("/admin/notifications/{id}/read"), &[]).await.status, Status::Forbidden);

    let (ana, _) = crate::workspace::agent(&app, "bia").await;
    assert_eq!(bell(&ana.get("/agent").await.body), None);
    assert_eq!(ana.get("/admin/notifications").await.status, Status::Forbidden);

    // Seeing is not marking read.
    app.exec(&format!("UPDATE permission_groups SET permissions = '[\"notifications:view\"]' WHERE id = {group}"));
    let list = gestor.get("/admin/notifications").await;
    assert_eq!((list.status, bell(&list.body)), (Status::Ok, Some(1)));
    assert!(!list.body.contains("/read\""), "no buttons to mark read");
    assert_eq!(gestor.post(&format!("/admin/notifications/{id}/read"), &[]).await.status, Status::Forbidden);
    assert_eq!(unread(&app), vec![("webhook_signature".into(), channel, 1)]);
}

#[rocket::async_test]
async fn marking_read_lowers_the_bell_and_a_new_occurrence_opens_a_new_row() {
    let (app, _graph, channel, _) = shop().await;
    deliver(&app, &text(MARIA, "wamid.forged", "Oi"), Some("outro")).await;
    let vendas = team(&app, "Vendas", "manual", &[]);
    app.db()
        .write_now(|tx| {
            let cause = Cause { kind: notifications::QUEUE_FULL, subject: vendas };
            notifications::raise(tx, cause, "", &serde_json::json!({"limit": 3}), 1)
        })
        .unwrap();
    let overview = app.get("/admin").await;
    assert_eq!(bell(&overview.body), Some(2));
    assert!(overview.body.contains("A fila da equipe Vendas chegou ao limite de 3 atendimentos aguardando"));
    assert!(unescaped(&overview.body).contains(r#"href="/admin/notifications""#), "the overview links to the list");

    // One, from the list: needs the token; back to the list.
    let id: i64 = app.sql("SELECT id FROM notifications WHERE kind = 'webhook_signature'");
    let path = format!("/admin/notifications/{id}/read");
    let forged = app.post_raw(&path, "csrf_token=forged").await;
    assert_eq!(forged.status, Status::Forbidden);
    let read = app.post(&path, &[("back", "https://elsewhere.example")]).await;
    assert_eq!((read.status, read.location.as_deref()), (Status::SeeOther, Some("/admin/notifications")));
    let list = app.get("/admin/notifications").await;
    assert_eq!(bell(&list.body), Some(1));
    let read_list = app.get("/admin/notifications?show=read").await;
    assert!(read_list.body.contains("O webhook do canal") && !read_list.body.contains("A fila da equipe"));
    let unread_list = app.get("/admin/notifications?show=unread").await;
    assert!(!unread_list.body.contains("O webhook do canal") && unread_list.body.contains("A fila da equipe"));

    // The cause again: a new row, counted from one.
    deliver(&app, &text(MARIA, "wamid.forged.2", "Oi"), Some("outro")).await;
    assert_eq!(unread(&app)[1], ("webhook_signature".into(), channel, 1));

    // All of them, from the overview: back to it, and the bell shows none.
    let all = app.post("/admin/notifications/read-all", &[("back", "/admin")]).await;
    assert_eq!((all.status, all.location.as_deref()), (Status::SeeOther, Some("/admin")));
    assert!(unread(&app).is_empty());
    assert_eq!(bell(&app.get("/admin").await.body), Some(0));
}

#[rocket::async_test]
async fn the_chosen_administrators_get_one_e_mail_per_cause_per_interval() {
    let (app, _graph, channel, _) = shop().await;
    let smtp = FakeSmtp::start();
    let port = smtp.port;
    app.change_settings(|s| {
        s.smtp.host = "127.0.0.1".into();
        s.smtp.port = port;
        s.smtp.security = "none".into();
        s.smtp.from_address = "atende@empresa.test".into();
        s.smtp.password = "senha-do-smtp".into();
    });
    let chefe: i64 = app.sql("SELECT id FROM users WHERE username = 'chefe'");
    let form = app.get("/admin/settings/notifications").await;
    assert_eq!(form.status, Status::Ok);
    assert!(form.body.contains("chefe Teste") && form.body.contains("Assinaturas inválidas"));
    let refused = app
        .post("/admin/settings/notifications", &[("recipients", "999"), ("kinds", "x"), ("interval_minutes", "0")])
        .await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("Escolha apenas administradores ativos"));
    let chefe_s = chefe.to_string();
    let saved = app
        .post(
            "/admin/settings/notifications",
            &[
                ("recipients", &chefe_s),
                ("kinds", "webhook_signature"),
                ("kinds", "queue_full"),
                ("interval_minutes", "30"),
            ],
        )
        .await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM audit_log WHERE action = 'settings.notifications'"), 1);

    let e = engine(&app);
    let t0 = atende::db::now_ms();
    let forged = |n: i64| text(MARIA, &format!("wamid.forged.{n}"), "Oi");
    deliver(&app, &forged(1), Some("outro")).await;
    e.clock.set(Some(t0));
    assert_eq!(e.mail_notices(e.clock.now(), "https://atende.empresa.test").await.unwrap(), 1);
    deliver(&app, &forged(2), Some("outro")).await;
    e.clock.set(Some(t0 + 60_000));
    assert_eq!(e.mail_notices(e.clock.now(), "https://atende.empresa.test").await.unwrap(), 0, "within 30 min");
    assert_eq!(smtp.messages().len(), 1);

    e.clock.set(Some(t0 + 31 * 60_000));
    assert_eq!(e.mail_notices(e.clock.now(), "https://atende.empresa.test").await.unwrap(), 1, "after the interval");
    assert_eq!(e.mail_notices(e.clock.now(), "https://atende.empresa.test").await.unwrap(), 0, "nothing new");
    let mails = smtp.wait_for(2);
    assert_eq!(mails.len(), 2);
    assert_eq!(mails[0].to, vec!["chefe@empresa.test".to_string()]);
    let parsed = mail_parser::MessageParser::default().parse(mails[1].data.as_bytes()).expect("an e-mail");
    let second = parsed.body_text(0).expect("a text body").to_string();
    assert!(parsed.subject().unwrap_or_default().contains("O webhook do canal WhatsApp da loja"));
    assert!(second.contains("Ocorreu 2 vezes"), "{second}");
    assert!(second.contains(&format!("https://atende.empresa.test/admin/channels/{channel}")), "{second}");
    assert!(!mails.iter().any(|m| m.data.contains("senha-do-smtp")));
    // A cause not chosen is not e-mailed.
    engine(&app).notice_pauses(t0).await.unwrap();
    app.db()
        .write_now(|tx| {
            notifications::raise(
                tx,
                Cause { kind: notifications::LOW_SCORE, subject: 1 },
                "",
                &serde_json::json!({}),
                1,
            )
        })
        .unwrap();
    e.clock.set(Some(t0 + 120 * 60_000));
    assert_eq!(e.mail_notices(e.clock.now(), "https://atende.empresa.test").await.unwrap(), 0);
}
