//! The edges every outside channel plugs into: a message, its files and the cursor that
//! confirms it commit together; a contact found by an alias is one contact; receipts
//! name messages by the channel's id and move only forward; owed files arrive later
//! or say why not; each channel keeps its health.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use atende::channels::{Delivery, Fetch, MediaSource, Outgoing, Sender, Senders};
use atende::db::channel_state;
use atende::db::channels::{insert_channel, ChannelFields};
use atende::domain::backoff::MAX_ATTEMPTS;
use atende::domain::channel_kind::ChannelKind;
use atende::domain::message_status::MessageStatus;
use atende::engine::ingest::{Inbound, IncomingFile, Ingested, MediaRef};
use atende::engine::service::Agent;
use atende::engine::Engine;

use crate::common::App;
use crate::workspace::team;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n0000000000000000";

/// A channel of `kind` feeding a manual team; its id.
fn channel(app: &App, kind: ChannelKind) -> i64 {
    let team = team(app, &format!("Time {kind}"), "manual", &[]);
    let fields = ChannelFields {
        kind,
        name: format!("Canal {kind}"),
        key: format!("key-{kind}"),
        active: true,
        default_team_id: Some(team),
        schedule_group_id: None,
        config: serde_json::json!({}),
    };
    app.db().write_now(|tx| insert_channel(tx, &fields)).expect("channel")
}

fn engine(app: &App) -> Engine {
    Engine::new(app.db().clone())
}

fn cursor(app: &App, channel: i64) -> Option<String> {
    app.db().read_now(|c| channel_state::cursor(c, channel)).unwrap()
}

#[rocket::async_test]
async fn a_message_its_files_and_its_cursor_commit_together() {
    let app = App::without_jobs().await;
    let tg = channel(&app, ChannelKind::Telegram);
    let photo = IncomingFile { file_name: "foto.png".into(), declared_type: "image/png".into(), bytes: PNG.to_vec() };
    let pdf = IncomingFile { file_name: "nota.pdf".into(), declared_type: "".into(), bytes: b"%PDF-1.7 x".to_vec() };
    let inbound = Inbound {
        external_id: Some("u-1".into()),
        files: vec![photo, pdf],
        cursor: Some("101".into()),
        ..Inbound::text(tg, "tg:42", "Segue a foto e a nota")
    };
    let Ingested::Stored { conversation_id, message_id, .. } = engine(&app).ingest(inbound.clone()).await.unwrap()
    else {
        panic!("stored")
    };
    assert_eq!(cursor(&app, tg).as_deref(), Some("101"));
    // The text carries the first file; the second is a message of its own, same commit.
    let rows: Vec<(String, String)> = app.rows(&format!(
        "SELECT m.body, a.content_type FROM messages m JOIN attachments a ON a.id = m.attachment_id
         WHERE m.conversation_id = {conversation_id} AND m.direction = 'in' ORDER BY m.id"
    ));
    assert_eq!(rows, vec![("Segue a foto e a nota".into(), "image/png".into()), ("".into(), "application/pdf".into())]);
    let first: String = app.sql(&format!("SELECT body FROM messages WHERE id = {message_id}"));
    assert_eq!(first, "Segue a foto e a nota");
    // The files are on disk under their hash before anyone can see the message.
    let sha: String = app.sql("SELECT sha256 FROM attachments WHERE content_type = 'image/png'");
    assert!(atende::engine::attachments::stored_path(app.data_dir(), &sha).exists());

    // The same update again (a poller that crashed before it could ask past it): stored
    // once, and the cursor still moves.
    let again = Inbound { cursor: Some("102".into()), ..inbound };
    assert!(matches!(engine(&app).ingest(again).await.unwrap(), Ingested::Duplicate { .. }));
    assert_eq!(cursor(&app, tg).as_deref(), Some("102"));
    let attachments: i64 = app.sql("SELECT count(*) FROM attachments");
    assert_eq!(attachments, 2);

    // Something with nothing for Atende moves the cursor alone.
    engine(&app).advance_cursor(tg, "103".into()).await.unwrap();
    assert_eq!(cursor(&app, tg).as_deref(), Some("103"));
    let health = engine(&app).channel_health(tg).await.unwrap();
    assert_eq!(health.in_today, 1, "a duplicate is not counted");
    assert!(health.last_in_at.is_some());
}

#[rocket::async_test]
async fn a_refused_file_stores_nothing_and_keeps_the_cursor() {
    let app = App::without_jobs().await;
    let tg = channel(&app, ChannelKind::Telegram);
    let empty = IncomingFile { file_name: "vazio.png".into(), declared_type: "image/png".into(), bytes: vec![] };
    let inbound = Inbound { files: vec![empty], cursor: Some("7".into()), ..Inbound::text(tg, "tg:1", "oi") };
    assert!(engine(&app).ingest(inbound).await.is_err());
    let stored: i64 = app.sql("SELECT count(*) FROM messages");
    assert_eq!(stored, 0);
    assert_eq!(cursor(&app, tg), None);
}

#[rocket::async_test]
async fn a_contact_found_by_an_alias_stays_one_contact() {
    let app = App::without_jobs().await;
    let wa = channel(&app, ChannelKind::WhatsApp);
    // An old account writes without the ninth digit, then with it (and the reverse).
    let old = Inbound { contact_aliases: vec!["5511987654321".into()], ..Inbound::text(wa, "551187654321", "Oi") };
    engine(&app).ingest(old).await.unwrap();
    let new = Inbound { contact_aliases: vec!["551187654321".into()], ..Inbound::text(wa, "5511987654321", "De novo") };
    engine(&app).ingest(new).await.unwrap();
    let contacts: i64 = app.sql("SELECT count(*) FROM contacts");
    assert_eq!(contacts, 1);
    let conversations: i64 = app.sql("SELECT count(*) FROM conversations");
    assert_eq!(conversations, 1);
}

/// Remembers the `to` of every message and takes it with a provider id.
struct Recorder(std::sync::Mutex<Vec<Outgoing>>);

impl Sender for Recorder {
    fn send(&self, m: &Outgoing) -> Delivery {
        self.0.lock().unwrap().push(m.clone());
        Delivery::Sent { provider_id: Some(format!("wamid.{}", m.message_id)) }
    }
}

#[rocket::async_test]
async fn replies_go_to_the_identity_last_used_and_receipts_only_move_forward() {
    let app = App::without_jobs().await;
    let wa = channel(&app, ChannelKind::WhatsApp);
    let ana = app.add_user("agent", "ana", crate::common::PASSWORD).await;
    app.exec(&format!("INSERT INTO team_members (team_id, user_id) SELECT default_team_id, {ana} FROM channels"));
    let first = Inbound {
        external_id: Some("wamid.in1".into()),
        contact_aliases: vec!["551187654321".into()],
        ..Inbound::text(wa, "5511987654321", "Oi")
    };
    let Ingested::Stored { conversation_id, .. } = engine(&app).ingest(first).await.unwrap() else { panic!() };
    let agent = Agent { user_id: ana, supervisor: false };
    let recorder = Arc::new(Recorder(Default::default()));
    let engine = engine(&app).with_senders(Senders::default().replacing(ChannelKind::WhatsApp, recorder.clone()));
    engine.take(&agent, conversation_id).await.unwrap();
    engine.reply(&agent, conversation_id, "Bom dia, Maria! Como posso ajudar?", false).await.unwrap();
    engine.deliver_due().await.unwrap();
    let sent = recorder.0.lock().unwrap().clone();
    let out = sent.iter().find(|m| m.body.starts_with("Bom dia")).expect("reply sent");
    let notice = sent.iter().find(|m| m.body.contains("WA0")).expect("protocol notice sent");
    assert!(notice.automatic, "the protocol notice is Atende's own");
    assert_eq!(out.to, "5511987654321", "the key the contact wrote from, not the alias");
    assert_eq!(out.in_reply_to.as_deref(), Some("wamid.in1"));
    assert!(!out.automatic);
    let provider = format!("wamid.{}", out.message_id);

    let moved = |status| engine.receipt(wa, provider.clone(), status, String::new());
    assert!(moved(MessageStatus::Read).await.unwrap());
    assert!(!moved(MessageStatus::Delivered).await.unwrap(), "late delivered after read");
    assert!(!engine.receipt(wa, "wamid.unknown".into(), MessageStatus::Read, String::new()).await.unwrap());
    let status: String = app.sql(&format!("SELECT status FROM messages WHERE id = {}", out.message_id));
    assert_eq!(status, "read");
    let health = engine.channel_health(wa).await.unwrap();
    assert!(health.out_today >= 1 && health.last_out_at.is_some());
}

/// A media server that fails `failures` times, then hands the file over.
struct Flaky {
    failures: usize,
    calls: AtomicUsize,
}

impl MediaSource for Flaky {
    fn fetch(&self, media: &MediaRef) -> Fetch {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        if n < self.failures {
            return Fetch::Retry { reason: "HTTP 503".into() };
        }
        Fetch::File(IncomingFile {
            file_name: media.file_name.clone(),
            declared_type: media.declared_type.clone(),
            bytes: PNG.to_vec(),
        })
    }
}

#[rocket::async_test]
async fn an_owed_file_arrives_later_and_one_that_never_comes_says_so() {
    let app = App::without_jobs().await;
    let wa = channel(&app, ChannelKind::WhatsApp);
    let owed = |reference: &str| MediaRef {
        reference: reference.into(),
        file_name: format!("{reference}.png"),
        declared_type: "image/png".into(),
    };
    for (who, reference) in [("5511900000001", "m1"), ("5511900000002", "m2")] {
        let inbound = Inbound { media_later: vec![owed(reference)], ..Inbound::text(wa, who, "") };
        engine(&app).ingest(inbound).await.unwrap();
    }
    let awaiting: i64 = app.sql("SELECT count(*) FROM media_downloads");
    assert_eq!(awaiting, 2, "both messages stored, waiting for their files");

    let flaky = Arc::new(Flaky { failures: 2, calls: AtomicUsize::new(0) });
    // Two passes at once: each owed file is fetched by one of them only.
    let (one, two) = (engine(&app), engine(&app));
    let (a, b) = rocket::tokio::join!(one.fetch_owed_media(wa, flaky.clone()), two.fetch_owed_media(wa, flaky.clone()));
    assert_eq!(a.unwrap() + b.unwrap(), 0);
    assert_eq!(flaky.calls.load(Ordering::SeqCst), 2, "each owed file tried once");
    app.exec("UPDATE media_downloads SET next_at = 0");
    assert_eq!(engine(&app).fetch_owed_media(wa, flaky.clone()).await.unwrap(), 2);
    let with_files: i64 = app.sql("SELECT count(*) FROM messages WHERE direction = 'in' AND attachment_id IS NOT NULL");
    assert_eq!(with_files, 2);
    let awaiting: i64 = app.sql("SELECT count(*) FROM media_downloads");
    assert_eq!(awaiting, 0);

    // A file that never comes: after the last try the message says why.
    let inbound = Inbound { media_later: vec![owed("m3")], ..Inbound::text(wa, "5511900000003", "") };
    engine(&app).ingest(inbound).await.unwrap();
    let gone = Arc::new(Flaky { failures: usize::MAX, calls: AtomicUsize::new(0) });
    for _ in 0..MAX_ATTEMPTS {
        app.exec("UPDATE media_downloads SET next_at = 0");
        engine(&app).fetch_owed_media(wa, gone.clone()).await.unwrap();
    }
    let failure: String = app.sql("SELECT failure FROM messages WHERE direction = 'in' ORDER BY id DESC LIMIT 1");
    assert_eq!(failure, "HTTP 503");
    let awaiting: i64 = app.sql("SELECT count(*) FROM media_downloads");
    assert_eq!(awaiting, 0);
}
