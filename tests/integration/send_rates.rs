//! A channel's send limit (`ChannelKind::send_rate`) over a fake sender that notes when
//! each message reached it: Telegram's 30 a second per bot and one a second per chat
//! hold with two workers at once, nothing is lost, repeated or reordered.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use atende::channels::{Delivery, Outgoing, Sender, Senders};
use atende::db::channels::{insert_channel, ChannelFields};
use atende::domain::channel_kind::ChannelKind;
use atende::engine::Engine;

use crate::common::App;
use crate::outbox::queue;
use crate::workspace::{inbound, team};

/// Notes every message and the moment it arrived.
#[derive(Default)]
struct Stopwatch(Mutex<Vec<(Instant, Outgoing)>>);

impl Sender for Stopwatch {
    fn send(&self, message: &Outgoing) -> Delivery {
        self.0.lock().unwrap().push((Instant::now(), message.clone()));
        Delivery::Sent { provider_id: Some(message.message_id.to_string()) }
    }
}

/// The most arrivals any window of one second holds.
fn busiest_second(mut times: Vec<Instant>) -> usize {
    times.sort();
    (0..times.len())
        .map(|i| times[i..].iter().take_while(|t| **t - times[i] < Duration::from_secs(1)).count())
        .max()
        .unwrap_or(0)
}

#[rocket::async_test]
async fn telegrams_limits_delay_messages_without_losing_or_reordering_them() {
    let app = App::without_jobs().await;
    let team = team(&app, "Bot", "manual", &[]);
    let fields = ChannelFields {
        kind: ChannelKind::Telegram,
        name: "Bot".into(),
        key: "bot".into(),
        active: true,
        default_team_id: Some(team),
        schedule_group_id: None,
        config: serde_json::json!({}),
    };
    let channel = app.db().write_now(|tx| insert_channel(tx, &fields)).unwrap();
    // Forty chats, each owed its protocol notice; one of them three messages more.
    let mut busy = 0;
    for chat in 0..40 {
        busy = inbound(&app, channel, &format!("{}", 7_000_000_000i64 + chat), "Oi").await;
    }
    for n in 1..=3 {
        queue(&app, busy, channel, &format!("Parte {n}"));
    }
    let queued: i64 = app.sql("SELECT count(*) FROM outbox");
    assert_eq!(queued, 43);

    let fake = Arc::new(Stopwatch::default());
    let engine =
        Engine::new(app.db().clone()).with_senders(Senders::default().replacing(ChannelKind::Telegram, fake.clone()));
    // Two workers of one server, sharing its limits, until the outbox is empty.
    let deadline = Instant::now() + Duration::from_secs(20);
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let engine = engine.clone();
            rocket::tokio::spawn(async move {
                while Instant::now() < deadline {
                    engine.deliver_due().await.unwrap();
                    let left = engine
                        .db
                        .read(|c| Ok(c.query_row("SELECT count(*) FROM outbox", [], |r| r.get::<_, i64>(0))?))
                        .await
                        .unwrap();
                    if left == 0 {
                        break;
                    }
                    rocket::tokio::time::sleep(Duration::from_millis(20)).await;
                }
            })
        })
        .collect();
    for w in workers {
        w.await.unwrap();
    }

    let sent = fake.0.lock().unwrap().clone();
    let mut ids: Vec<i64> = sent.iter().map(|(_, m)| m.message_id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!((sent.len(), ids.len()), (43, 43), "each message handed over exactly once");
    let statuses: Vec<(String, i64)> =
        app.rows("SELECT status, count(*) FROM messages WHERE direction = 'out' GROUP BY status");
    assert_eq!(statuses, vec![("sent".to_string(), 43)], "a limit never fails a message");

    let overall = busiest_second(sent.iter().map(|(at, _)| *at).collect());
    assert!(overall <= 33, "{overall} messages reached the bot's API within one second (limit 30)");
    let mut by_chat: HashMap<String, Vec<(Instant, i64)>> = HashMap::new();
    for (at, m) in &sent {
        by_chat.entry(m.to.clone()).or_default().push((*at, m.message_id));
    }
    assert_eq!(by_chat.len(), 40);
    let busy_chat = by_chat.values().find(|v| v.len() == 4).expect("the busy chat got its four messages");
    assert!(
        busiest_second(busy_chat.iter().map(|(at, _)| *at).collect()) <= 2,
        "one chat got more than one message a second: {busy_chat:?}"
    );
    for messages in by_chat.values() {
        assert!(messages.windows(2).all(|w| w[0].1 < w[1].1), "a chat's messages left out of order: {messages:?}");
    }
}
