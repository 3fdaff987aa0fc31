//! The outbox over a fake channel: parallel workers send each message once, a message
//! waiting for a retry is not overtaken in its conversation, a lease that runs out
//! makes a message due again, the retry budget ends in `failed` with "Tentar
//! novamente" for who may write, and statuses never move back.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use atende::channels::{Delivery, Outgoing, Sender, Senders};
use atende::db::channels::{insert_channel, ChannelFields};
use atende::db::messages::{self, NewMessage};
use atende::db::{now_ms, outbox};
use atende::domain::backoff::MAX_ATTEMPTS;
use atende::domain::channel_kind::ChannelKind;
use atende::domain::message_status::MessageStatus;
use atende::engine::outbox::LEASE_MS;
use atende::engine::service::Agent;
use atende::engine::Engine;
use rocket::http::Status;

use crate::common::App;
use crate::workspace::{agent, engine, inbound, team};

/// What the fake channel answers for a message, given how often it saw it before.
type Rule = fn(&Outgoing, usize) -> Delivery;

/// A channel that records every message handed to it.
struct FakeChannel {
    rule: Rule,
    sent: Mutex<Vec<Outgoing>>,
}

impl FakeChannel {
    fn new(rule: Rule) -> Arc<FakeChannel> {
        Arc::new(FakeChannel { rule, sent: Mutex::new(Vec::new()) })
    }

    fn ids(&self) -> Vec<i64> {
        self.sent.lock().unwrap().iter().map(|m| m.message_id).collect()
    }
}

impl Sender for FakeChannel {
    fn send(&self, message: &Outgoing) -> Delivery {
        let before = self.sent.lock().unwrap().iter().filter(|m| m.message_id == message.message_id).count();
        self.sent.lock().unwrap().push(message.clone());
        // A send takes a moment, as a real one does: workers overlap meanwhile.
        std::thread::sleep(Duration::from_millis(2));
        (self.rule)(message, before)
    }
}

fn always_sent(m: &Outgoing, _: usize) -> Delivery {
    Delivery::Sent { provider_id: Some(format!("tg-{}", m.message_id)) }
}

/// The kind the fake stands for: one without a send limit of its own, so the outbox's
/// rules are seen alone (the limits have their tests in `send_rates`).
const KIND: ChannelKind = ChannelKind::Email;

/// An engine over the app's database whose channels of `KIND` are `fake`.
fn worker(app: &App, fake: &Arc<FakeChannel>) -> Engine {
    Engine::new(app.db().clone()).with_senders(Senders::default().replacing(KIND, fake.clone()))
}

/// A channel of `KIND` feeding a manual team; (channel, team).
fn fake_channel(app: &App) -> (i64, i64) {
    let team = team(app, "Bot", "manual", &[]);
    let fields = ChannelFields {
        kind: KIND,
        name: "Bot da loja".into(),
        key: "bot".into(),
        active: true,
        default_team_id: Some(team),
        schedule_group_id: None,
        config: serde_json::json!({}),
    };
    (app.db().write_now(|tx| insert_channel(tx, &fields)).expect("channel"), team)
}

/// Stores an outbound message in the outbox, as a reply does.
pub fn queue(app: &App, conversation: i64, channel: i64, body: &str) -> i64 {
    app.db()
        .write_now(|tx| {
            let id = messages::insert_message(
                tx,
                &NewMessage {
                    conversation_id: conversation,
                    channel_id: channel,
                    direction: "out",
                    author: Default::default(),
                    body,
                    attachment_id: None,
                    external_id: None,
                    status: "queued",
                },
            )?;
            outbox::enqueue(tx, id, channel)?;
            Ok(id)
        })
        .unwrap()
}

fn status(app: &App, message: i64) -> String {
    app.sql(&format!("SELECT status FROM messages WHERE id = {message}"))
}

/// Everything waiting is due now (the wait of a retry is over).
fn wait_is_over(app: &App) {
    app.exec("UPDATE outbox SET next_attempt_at = 0");
}

#[rocket::async_test]
async fn parallel_workers_send_each_message_exactly_once_and_in_order() {
    let app = App::without_jobs().await;
    let (channel, _) = fake_channel(&app);
    let mut expected = Vec::new();
    for who in 0..6 {
        let conversation = inbound(&app, channel, &format!("tg:{who}"), "Oi").await;
        for n in 0..6 {
            queue(&app, conversation, channel, &format!("Mensagem {n}"));
        }
        expected.extend(app.db().read_now(|c| messages::of_conversation(c, conversation, false)).unwrap());
    }
    let fake = FakeChannel::new(always_sent);
    let workers: Vec<Engine> = (0..4).map(|_| worker(&app, &fake)).collect();
    let passes = workers.iter().flat_map(|w| [w.clone(), w.clone()]).map(|w| {
        rocket::tokio::spawn(async move {
            let mut handed = 0;
            for _ in 0..3 {
                handed += w.deliver_due().await.unwrap();
            }
            handed
        })
    });
    let mut handed = 0;
    for pass in passes.collect::<Vec<_>>() {
        handed += pass.await.unwrap();
    }

    let outbound: Vec<i64> = expected.iter().filter(|m| m.direction == "out").map(|m| m.id).collect();
    let mut sent = fake.ids();
    assert_eq!(handed, sent.len(), "every claim was one send");
    sent.sort();
    assert_eq!(sent, outbound, "each message sent exactly once");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM outbox"), 0);
    for id in &outbound {
        assert_eq!(status(&app, *id), "sent");
        assert_eq!(app.sql::<String>(&format!("SELECT provider_id FROM messages WHERE id = {id}")), format!("tg-{id}"));
    }
    // Each conversation's messages left in the order they were written, to its contact.
    let mut by_conversation: HashMap<i64, Vec<i64>> = HashMap::new();
    for m in fake.sent.lock().unwrap().iter() {
        assert!(m.protocol.starts_with("EM") && m.to.starts_with("tg:"), "{m:?}");
        by_conversation.entry(m.conversation_id).or_default().push(m.message_id);
    }
    assert_eq!(by_conversation.len(), 6);
    for ids in by_conversation.values() {
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "out of order: {ids:?}");
    }
}

#[rocket::async_test]
async fn a_message_waiting_for_a_retry_is_not_overtaken_in_its_conversation() {
    let app = App::without_jobs().await;
    let (channel, _) = fake_channel(&app);
    let (first_chat, other_chat) =
        (inbound(&app, channel, "tg:1", "Oi").await, inbound(&app, channel, "tg:2", "Oi").await);
    let fake = FakeChannel::new(|m, before| match (m.body.as_str(), before) {
        ("primeira", 0) => {
            Delivery::Retry { after: Some(Duration::from_secs(60)), reason: "429 Too Many Requests".into() }
        }
        _ => always_sent(m, before),
    });
    let w = worker(&app, &fake);
    w.deliver_due().await.unwrap(); // the protocol notices
    let first = queue(&app, first_chat, channel, "primeira");
    let second = queue(&app, first_chat, channel, "segunda");
    let elsewhere = queue(&app, other_chat, channel, "outra conversa");

    w.deliver_due().await.unwrap();
    assert_eq!(status(&app, first), "queued");
    assert_eq!(status(&app, second), "queued", "the next message waits for the one before it");
    assert!(!fake.ids().contains(&second));
    assert_eq!(status(&app, elsewhere), "sent", "another conversation is not held up");
    let next_at: i64 = app.sql(&format!("SELECT next_attempt_at FROM outbox WHERE message_id = {first}"));
    assert!(next_at > now_ms() + 30_000, "the channel's retry-after is honoured, not the 2-second backoff");
    assert_eq!(
        app.sql::<String>(&format!("SELECT last_error FROM outbox WHERE message_id = {first}")),
        "429 Too Many Requests"
    );
    assert_eq!(w.deliver_due().await.unwrap(), 0, "nothing is due while the first waits");

    wait_is_over(&app);
    w.deliver_due().await.unwrap();
    assert_eq!((status(&app, first), status(&app, second)), ("sent".into(), "sent".into()));
    let order: Vec<i64> = fake.ids().into_iter().filter(|id| [first, second].contains(id)).collect();
    assert_eq!(order, [first, first, second]);
}

#[rocket::async_test]
async fn a_lease_that_runs_out_makes_the_message_due_again() {
    let app = App::without_jobs().await;
    let (channel, _) = fake_channel(&app);
    let chat = inbound(&app, channel, "tg:1", "Oi").await;
    let fake = FakeChannel::new(always_sent);
    let w = worker(&app, &fake);
    w.deliver_due().await.unwrap();
    let message = queue(&app, chat, channel, "Seu pedido saiu para entrega");

    // Claims hold: a second claim at the same moment finds nothing, one after the lease
    // ran out finds the same message with a later lease.
    let now = now_ms();
    let claim = |at: i64| app.db().write_now(|tx| outbox::claim_due(tx, channel, at, LEASE_MS)).unwrap();
    let held = claim(now).expect("due");
    assert_eq!(held.message_id, message);
    assert_eq!(claim(now + 1), None, "leased");
    assert_eq!(w.deliver_due().await.unwrap(), 0, "a worker does not send what another holds");
    assert!(!fake.ids().contains(&message));
    let retaken = claim(now + LEASE_MS).expect("due again once the lease ran out");
    assert_eq!(retaken.message_id, message);
    assert!(retaken.leased_until > held.leased_until);
    // The first worker comes back late: its result is not written over the new holder's.
    assert!(!app.db().write_now(|tx| outbox::record_failed(tx, &held, "late")).unwrap());
    assert_eq!(status(&app, message), "queued");

    // A worker that died mid-send two minutes ago: the message is sent again, once.
    app.db().write_now(|tx| outbox::record_retry(tx, &retaken, "reset", 0)).unwrap();
    let dead = claim(now_ms() - LEASE_MS - 1).expect("due");
    assert_eq!(w.deliver_due().await.unwrap(), 1);
    assert_eq!(fake.ids().iter().filter(|id| **id == message).count(), 1);
    assert_eq!(status(&app, message), "sent");
    assert!(!app.db().write_now(|tx| outbox::record_failed(tx, &dead, "late")).unwrap());
    assert_eq!(status(&app, message), "sent");
}

#[rocket::async_test]
async fn freed_claims_are_due_at_once_and_the_dead_claim_records_nothing() {
    let app = App::without_jobs().await;
    let (channel, _) = fake_channel(&app);
    let chat = inbound(&app, channel, "tg:1", "Oi").await;
    worker(&app, &FakeChannel::new(always_sent)).deliver_due().await.unwrap(); // the protocol notice
    let message = queue(&app, chat, channel, "Seu pedido saiu para entrega");
    let now = now_ms();
    let claim = |at: i64| app.db().write_now(|tx| outbox::claim_due(tx, channel, at, LEASE_MS)).unwrap();
    let dead = claim(now).expect("due");
    assert_eq!(claim(now + 1), None, "leased");

    assert_eq!(app.db().write_now(|tx| outbox::release_leases(tx)).unwrap(), 1);
    let retaken = claim(now + 1).expect("due at once, not when the lease runs out");
    assert_eq!(retaken.message_id, message);
    assert!(!app.db().write_now(|tx| outbox::record_sent(tx, &dead, None)).unwrap(), "the old claim records nothing");
    assert!(app.db().write_now(|tx| outbox::record_sent(tx, &retaken, None)).unwrap());
    assert_eq!(status(&app, message), "sent");
}

#[rocket::async_test]
async fn after_the_retry_budget_a_message_fails_and_who_may_write_can_try_again() {
    let app = App::without_jobs().await;
    let (channel, team_id) = fake_channel(&app);
    let (ana, ana_id) = agent(&app, "ana").await;
    let (bia, bia_id) = agent(&app, "bia").await;
    app.exec(&format!(
        "INSERT INTO team_members (team_id, user_id) VALUES ({team_id}, {ana_id}), ({team_id}, {bia_id})"
    ));
    let chat = inbound(&app, channel, "tg:1", "Oi").await;
    engine(&app).take(&Agent { user_id: ana_id, supervisor: false }, chat).await.unwrap();
    worker(&app, &FakeChannel::new(always_sent)).deliver_due().await.unwrap(); // the protocol notice
    let fake = FakeChannel::new(|_, _| Delivery::Retry { after: None, reason: "Bad Gateway".into() });
    let w = worker(&app, &fake);
    let message = queue(&app, chat, channel, "Segue o boleto");

    for attempt in 1..MAX_ATTEMPTS {
        w.deliver_due().await.unwrap();
        assert_eq!(status(&app, message), "queued", "attempt {attempt}");
        assert_eq!(app.sql::<i64>("SELECT attempts FROM outbox"), attempt);
        wait_is_over(&app);
    }
    w.deliver_due().await.unwrap();
    assert_eq!(fake.ids().len() as i64, MAX_ATTEMPTS);
    assert_eq!(status(&app, message), "failed");
    assert_eq!(app.sql::<String>(&format!("SELECT failure FROM messages WHERE id = {message}")), "Bad Gateway");
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM outbox"), 0);

    let pane = ana.get(&format!("/agent/conversations/{chat}/pane")).await;
    assert_eq!(pane.status, Status::Ok);
    assert!(pane.body.contains("Não enviada: Bad Gateway"), "{}", pane.body);
    let retry = format!("/agent/conversations/{chat}/messages/{message}/retry");
    assert!(pane.body.contains(&format!(r#"action="{retry}""#)) && pane.body.contains("Tentar novamente"));
    let watching = bia.get(&format!("/agent/conversations/{chat}/pane")).await;
    assert_eq!(watching.status, Status::Ok);
    assert!(!watching.body.contains("Tentar novamente"), "a colleague who may not write sees no button");

    assert_eq!(ana.post_raw(&retry, "").await.status, Status::Forbidden, "no CSRF token");
    assert_eq!(bia.post(&retry, &[]).await.status, Status::Forbidden, "may see, may not write");
    assert_eq!(status(&app, message), "failed");

    let done = ana.post(&retry, &[]).await;
    assert_eq!(done.status, Status::SeeOther, "{}", done.body);
    assert_eq!(status(&app, message), "queued");
    assert_eq!(app.sql::<String>(&format!("SELECT failure FROM messages WHERE id = {message}")), "");
    assert_eq!(
        app.sql::<i64>(&format!("SELECT attempts FROM outbox WHERE message_id = {message}")),
        0,
        "a fresh budget"
    );
    assert_eq!(ana.post(&retry, &[]).await.status, Status::NotFound, "only a failed message goes back");

    let fixed = FakeChannel::new(always_sent);
    worker(&app, &fixed).deliver_due().await.unwrap();
    assert_eq!(status(&app, message), "sent");
    assert_eq!(fixed.ids(), [message]);
}

#[rocket::async_test]
async fn statuses_arriving_out_of_order_never_move_back() {
    let app = App::without_jobs().await;
    let (channel, _) = fake_channel(&app);
    let chat = inbound(&app, channel, "tg:1", "Oi").await;
    let ids: Vec<i64> = (0..12).map(|n| queue(&app, chat, channel, &format!("m{n}"))).collect();
    let updates = [MessageStatus::Sent, MessageStatus::Read, MessageStatus::Failed, MessageStatus::Delivered];
    // Every message gets every update, from parallel writers, each in its own order.
    let writers: Vec<_> = (0..updates.len())
        .map(|w| {
            let (db, ids) = (app.db().clone(), ids.clone());
            std::thread::spawn(move || {
                for (i, id) in ids.iter().enumerate() {
                    let update = updates[(w + i) % updates.len()];
                    db.write_now(|tx| messages::set_status(tx, *id, update, "131047")).unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    for id in &ids {
        assert_eq!(status(&app, *id), "read");
        assert_eq!(app.sql::<String>(&format!("SELECT failure FROM messages WHERE id = {id}")), "");
    }

    // A late `failed` after `sent` wins, with its reason; a late `sent` does not undo it.
    let late = queue(&app, chat, channel, "fora da janela");
    let set = |s, reason: &str| app.db().write_now(|tx| messages::set_status(tx, late, s, reason)).unwrap();
    assert!(set(MessageStatus::Sent, ""));
    assert!(set(MessageStatus::Failed, "131047 re-engagement"));
    assert!(!set(MessageStatus::Sent, ""));
    assert_eq!(status(&app, late), "failed");
    assert_eq!(app.sql::<String>(&format!("SELECT failure FROM messages WHERE id = {late}")), "131047 re-engagement");
}

#[rocket::async_test]
async fn the_web_chats_receipts_move_forward_only() {
    let app = App::without_jobs().await;
    let team = team(&app, "SAC", "manual", &[]);
    let site = crate::workspace::channel(&app, "site", team);
    let chat = inbound(&app, site, "visitor:v1", "Oi").await;
    let e = engine(&app);
    e.deliver_due().await.unwrap();
    let notice: i64 = app.sql(&format!("SELECT id FROM messages WHERE conversation_id = {chat} AND direction = 'out'"));
    assert_eq!(status(&app, notice), "sent");
    assert_eq!(e.visitor_saw(chat, MessageStatus::Read).await.unwrap(), 1);
    assert_eq!(e.visitor_saw(chat, MessageStatus::Delivered).await.unwrap(), 0, "delivered after read");
    assert_eq!(status(&app, notice), "read");
}
