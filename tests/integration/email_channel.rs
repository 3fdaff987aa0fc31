//! The e-mail channel against a real IMAP server (Debian's Dovecot, started on a free
//! loopback port with a configuration of its own) and the fake SMTP server: mail in
//! with its files, replies threaded out, de-duplication, restarts and outages,
//! auto-replies that never loop, and an SMTP server that refuses for a while.

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use atende::channels::email::{settings, Settings};
use atende::db::channel_state;
use atende::db::channels::{insert_channel, ChannelFields};
use atende::domain::channel_kind::ChannelKind;
use atende::engine::ingest::Inbound;
use atende::engine::service::Agent;
use atende::engine::{Engine, EngineError};
use mail_parser::MessageParser;

use crate::common::{App, PASSWORD};
use crate::fake_smtp::{FakeSmtp, Received};
use crate::workspace::team;

const DOVECOT: &str = "/usr/sbin/dovecot";
const MAILBOX_PASSWORD: &str = "segredo-da-caixa";
const ADDRESS: &str = "sac@empresa.test";

/// A Dovecot of the test's own: a maildir under a temporary folder, one static
/// password for every user, no TLS, listening on 127.0.0.1 only.
pub struct Dovecot {
    dir: tempfile::TempDir,
    pub port: u16,
    child: Option<Child>,
}

fn id(args: &[&str]) -> String {
    let out = Command::new("id").args(args).output().expect("id runs");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

impl Dovecot {
    pub fn start() -> Dovecot {
        assert!(
            Path::new(DOVECOT).exists(),
            "{DOVECOT} is missing: install Debian's dovecot-imapd (scripts/test does) to run the e-mail tests"
        );
        let dir = tempfile::tempdir().unwrap();
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let root = dir.path();
        for sub in ["run", "state", "mail", "home"] {
            std::fs::create_dir_all(root.join(sub)).unwrap();
        }
        // Dovecot will not run its login and mail processes as root: as root, they run
        // as the users its package made; otherwise as whoever runs the tests.
        let as_root = id(&["-u"]) == "0";
        let (internal, login, mail_user) = if as_root { ("dovecot", "dovenull", "dovecot") } else { ("", "", "") };
        let me = id(&["-un"]);
        let pick = |user: &str| if user.is_empty() { me.clone() } else { user.to_string() };
        let (uid, gid) = (id(&["-u", &pick(mail_user)]), id(&["-g", &pick(mail_user)]));
        let group = id(&["-gn", &pick(internal)]);
        if as_root {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
            for sub in ["mail", "home"] {
                std::os::unix::fs::chown(root.join(sub), uid.parse().ok(), gid.parse().ok()).unwrap();
            }
        }
        let r = root.display();
        let config = format!(
            "base_dir = {r}/run\nstate_dir = {r}/state\nlog_path = {r}/dovecot.log\n\
             instance_name = atende-test-{port}\nprotocols = imap\nlisten = 127.0.0.1\nssl = no\n\
             disable_plaintext_auth = no\nauth_mechanisms = plain login\n\
             default_internal_user = {internal}\ndefault_internal_group = {group}\ndefault_login_user = {login}\n\
             first_valid_uid = 0\nfirst_valid_gid = 0\nmail_location = maildir:{r}/mail/%u\n\
             passdb {{\n  driver = static\n  args = password={MAILBOX_PASSWORD}\n}}\n\
             userdb {{\n  driver = static\n  args = uid={uid} gid={gid} home={r}/home/%u\n}}\n\
             service imap-login {{\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n}}\n",
            internal = pick(internal),
            login = pick(login),
        );
        std::fs::write(root.join("dovecot.conf"), config).unwrap();
        let mut dovecot = Dovecot { dir, port, child: None };
        dovecot.resume();
        dovecot
    }

    /// Starts the server (again) on the same port and maildir, and waits until it answers.
    fn resume(&mut self) {
        let config = self.dir.path().join("dovecot.conf");
        let child = Command::new(DOVECOT).arg("-F").arg("-c").arg(&config).spawn().expect("dovecot starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "dovecot did not listen: {}", self.log());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the server (its master and every process under it) and waits for it.
    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
            let _ = child.wait();
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
            assert!(Instant::now() < deadline, "dovecot did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }

    /// Puts mails into the channel's INBOX, as a mail server delivering them would.
    pub fn deliver(&self, mails: &[String]) {
        let mut session = self.session();
        for mail in mails {
            session.append("INBOX", mail.replace('\n', "\r\n").as_bytes()).finish().unwrap();
        }
        session.logout().unwrap();
    }

    /// Deletes `folder` if it is there and makes it anew with these mails.
    fn rebuild(&self, folder: &str, mails: &[String]) {
        let mut session = self.session();
        let _ = session.delete(folder);
        session.create(folder).unwrap();
        for mail in mails {
            session.append(folder, mail.replace('\n', "\r\n").as_bytes()).finish().unwrap();
        }
        session.logout().unwrap();
    }

    fn session(&self) -> imap::Session<TcpStream> {
        let tcp = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let mut client = imap::Client::new(tcp);
        client.read_greeting().unwrap();
        client.login(ADDRESS, MAILBOX_PASSWORD).map_err(|(e, _)| e).unwrap()
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        self.stop();
    }
}

fn settings(imap_port: u16, smtp_port: u16) -> serde_json::Value {
    serde_json::json!({
        "address": ADDRESS,
        "imap_host": "127.0.0.1", "imap_port": imap_port, "imap_security": "none", "folder": "INBOX",
        "smtp_host": "127.0.0.1", "smtp_port": smtp_port, "smtp_security": "none",
        "password": MAILBOX_PASSWORD,
        "poll_interval_secs": 1,
    })
}

/// The company: an e-mail channel on the test's servers whose mail goes to team "E-mail"
/// with agent ana in it.
pub struct Desk {
    channel: i64,
    agent: Agent,
}

pub fn setup(app: &App, imap_port: u16, smtp_port: u16, ana: i64) -> Desk {
    let team = team(app, "E-mail", "manual", &[ana]);
    let fields = ChannelFields {
        kind: ChannelKind::Email,
        name: "SAC Empresa".into(),
        key: "email-sac".into(),
        active: true,
        default_team_id: Some(team),
        schedule_group_id: None,
        config: settings(imap_port, smtp_port),
    };
    let channel = app.db().write_now(|tx| insert_channel(tx, &fields)).expect("channel");
    Desk { channel, agent: Agent { user_id: ana, supervisor: false } }
}

/// The server running its background work (poller, outbox) on an e-mail channel from
/// its first moment: the company is set up, then the server starts on it.
async fn running(imap_port: u16, smtp_port: u16) -> (App, Desk) {
    let first = App::without_jobs().await;
    let ana = first.add_user("agent", "ana", PASSWORD).await;
    let desk = setup(&first, imap_port, smtp_port, ana);
    let dir = first.stop().await;
    (App::restart_on(dir).await, desk)
}

/// Waits (bounded) until `check` gives something.
async fn until<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        rocket::tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn count(app: &App, query: &str) -> i64 {
    app.sql(query)
}

fn inbound(app: &App) -> i64 {
    count(app, "SELECT count(*) FROM messages WHERE direction = 'in'")
}

fn cursor(app: &App, channel: i64) -> Option<String> {
    app.db().read_now(|c| channel_state::cursor(c, channel)).unwrap()
}

/// Waits until the poller confirmed the folder's mail up to UID `uid`.
async fn confirmed(app: &App, channel: i64, uid: u32) {
    until(&format!("the cursor at UID {uid}"), || {
        cursor(app, channel).filter(|c| c.rsplit(':').next().and_then(|u| u.parse::<u32>().ok()) >= Some(uid))
    })
    .await;
}

pub fn mail(from: &str, subject: &str, message_id: &str, body: &str) -> String {
    format!("From: {from}\nTo: SAC <{ADDRESS}>\nSubject: {subject}\nMessage-ID: <{message_id}>\nDate: Mon, 1 Dec 2025 10:00:00 -0300\nContent-Type: text/plain; charset=utf-8\n\n{body}\n")
}

fn parsed(received: &Received) -> mail_parser::Message<'static> {
    MessageParser::default().parse(received.data.as_bytes()).expect("a mail").into_owned()
}

/// The mails the SMTP server received for `to`, parsed.
fn sent_to(smtp: &FakeSmtp, to: &str) -> Vec<mail_parser::Message<'static>> {
    smtp.messages().iter().filter(|r| r.to.iter().any(|t| t == to)).map(parsed).collect()
}

fn conversation_of(app: &App, address: &str) -> (i64, String) {
    let rows: Vec<(i64, String)> = app.rows(&format!(
        "SELECT c.id, c.protocol FROM conversations c JOIN contact_identities i ON i.contact_id = c.contact_id
         WHERE i.external_id = '{address}' ORDER BY c.id"
    ));
    assert_eq!(rows.len(), 1, "one conversation for {address}: {rows:?}");
    rows[0].clone()
}

#[rocket::async_test]
async fn mail_with_files_and_html_reaches_the_agent_and_the_reply_threads() {
    let dovecot = Dovecot::start();
    let smtp = FakeSmtp::start();
    let pdf = "Content-Type: multipart/mixed; boundary=\"b1\"\nMIME-Version: 1.0\n\n--b1\nContent-Type: text/plain; charset=utf-8\n\nSegue a nota do pedido 123.\n--b1\nContent-Type: application/pdf; name=\"nota.pdf\"\nContent-Disposition: attachment; filename=\"nota.pdf\"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjcgbm90YQ==\n--b1--";
    let html = "Content-Type: text/html; charset=utf-8\n\n<html><body><p>Bom dia,</p><p>quero <b>trocar</b> o produto.<script>alert(1)</script></p></body></html>";
    dovecot.deliver(&[
        format!("From: Maria Souza <Maria@Cliente.test>\nTo: {ADDRESS}\nSubject: Nota fiscal\nMessage-ID: <m1@cliente.test>\n{pdf}\n"),
        format!("From: =?utf-8?q?Jo=C3=A3o?= <joao@cliente.test>\nTo: {ADDRESS}\nSubject: Troca\nMessage-ID: <j1@cliente.test>\n{html}\n"),
    ]);
    let (app, desk) = running(dovecot.port, smtp.port).await;
    until("both mails stored", || (inbound(&app) == 2).then_some(())).await;

    // Maria: her text carries the PDF; the contact is her address, her name from From.
    let (maria, protocol) = conversation_of(&app, "maria@cliente.test");
    let rows: Vec<(String, String)> = app.rows(&format!(
        "SELECT m.body, a.content_type || ' ' || a.file_name FROM messages m JOIN attachments a ON a.id = m.attachment_id
         WHERE m.conversation_id = {maria} AND m.direction = 'in'"
    ));
    assert_eq!(rows, vec![("Segue a nota do pedido 123.".to_string(), "application/pdf nota.pdf".to_string())]);
    let name: String = app.sql("SELECT name || ' ' || email FROM contacts WHERE email = 'maria@cliente.test'");
    assert_eq!(name, "Maria Souza maria@cliente.test");
    let subject: String = app.sql(&format!("SELECT subject FROM conversations WHERE id = {maria}"));
    assert_eq!(subject, "Nota fiscal");

    // João: the HTML is shown as text, the original kept as a file that is only downloaded.
    let (joao, _) = conversation_of(&app, "joao@cliente.test");
    let shown: String = app
        .sql(&format!("SELECT body FROM messages WHERE conversation_id = {joao} AND direction = 'in' AND body <> ''"));
    assert!(shown.contains("Bom dia,") && shown.contains("trocar") && shown.contains("o produto"), "{shown}");
    assert!(!shown.contains('<') && !shown.contains("alert"), "no markup, no script: {shown}");
    let kept: String = app.sql(&format!(
        "SELECT a.content_type || ' ' || a.file_name FROM attachments a WHERE a.conversation_id = {joao}"
    ));
    assert_eq!(kept, "application/octet-stream original.html");
    let contact: String = app.sql("SELECT name FROM contacts WHERE email = 'joao@cliente.test'");
    assert_eq!(contact, "João");

    // The agent answers Maria: from the channel, to her, threaded and with the protocol.
    let engine = Engine::new(app.db().clone());
    engine.take(&desk.agent, maria).await.unwrap();
    engine.reply(&desk.agent, maria, "Recebemos a nota, obrigado!", false).await.unwrap();
    let replies = until("the agent's reply", || {
        let sent = sent_to(&smtp, "maria@cliente.test");
        (sent.len() == 2).then_some(sent)
    })
    .await;
    let notice = replies.iter().find(|m| m.header_raw("Auto-Submitted").is_some()).expect("the protocol notice");
    assert_eq!(notice.header_raw("Auto-Submitted").map(str::trim), Some("auto-replied"));
    assert_eq!(notice.in_reply_to().as_text(), Some("m1@cliente.test"), "the notice answers her mail");
    let reply = replies.iter().find(|m| m.header_raw("Auto-Submitted").is_none()).expect("the reply");
    assert_eq!(reply.subject(), Some(format!("Re: Nota fiscal [{protocol}]").as_str()));
    assert_eq!(reply.in_reply_to().as_text(), Some("m1@cliente.test"));
    assert_eq!(reply.references().as_text(), Some("m1@cliente.test"));
    assert!(reply.body_text(0).unwrap().contains("Recebemos a nota"));
    let from = reply.from().and_then(|a| a.first()).unwrap();
    assert_eq!((from.name(), from.address()), (Some("SAC Empresa"), Some(ADDRESS)));
    // Its Message-ID is the provider id kept on the message (recorded once the SMTP
    // server has said yes, a moment after the fake has the mail).
    let provider = until("the reply recorded as sent", || {
        app.db()
            .read_now(|c| {
                Ok(c.query_row(
                    "SELECT provider_id FROM messages WHERE body = 'Recebemos a nota, obrigado!' AND status = 'sent'",
                    [],
                    |r| r.get::<_, String>(0),
                )
                .ok())
            })
            .unwrap()
    })
    .await;
    assert_eq!(reply.message_id(), Some(provider.as_str()));

    // A mail may be longer than a chat message, within the e-mail channel's own limit.
    let long = "Segue o detalhamento do pedido. ".repeat(200);
    assert!(long.chars().count() > 4096);
    engine.reply(&desk.agent, maria, &long, false).await.expect("a long e-mail reply");
    let refused = engine.reply(&desk.agent, maria, &"x".repeat(16_001), false).await;
    assert!(matches!(refused, Err(EngineError::TooLong(16_000))), "{refused:?}");
    until("the long reply", || {
        sent_to(&smtp, "maria@cliente.test")
            .into_iter()
            .find(|m| m.body_text(0).is_some_and(|b| b.matches("detalhamento").count() == 200))
    })
    .await;
    // The pane shows the subject and lets the composer take that much.
    app.sign_in("ana", PASSWORD).await;
    let pane = app.get(&format!("/agent/conversations/{maria}")).await;
    assert!(pane.body.contains("Assunto") && pane.body.contains("Nota fiscal"), "{}", pane.body);
    assert!(pane.body.contains(r#"maxlength="16000""#));
    app.stop().await;
}

#[rocket::async_test]
async fn the_same_mail_twice_is_stored_once() {
    let dovecot = Dovecot::start();
    let smtp = FakeSmtp::start();
    let copy = mail("ana.cliente@cliente.test", "Dúvida", "d1@cliente.test", "Qual o prazo?");
    // A mail without Message-ID, twice: the same headers make the same id.
    let bare = format!("From: ana.cliente@cliente.test\nTo: {ADDRESS}\nSubject: Outra\nDate: Mon, 1 Dec 2025 11:00:00 -0300\n\nE a garantia?\n");
    dovecot.deliver(&[copy.clone(), copy, bare.clone(), bare]);
    let (app, desk) = running(dovecot.port, smtp.port).await;
    confirmed(&app, desk.channel, 4).await;
    let bodies: Vec<(String, i64)> =
        app.rows("SELECT body, count(*) FROM messages WHERE direction = 'in' GROUP BY body ORDER BY body");
    assert_eq!(bodies, vec![("E a garantia?".to_string(), 1), ("Qual o prazo?".to_string(), 1)]);
    app.stop().await;
}

#[rocket::async_test]
async fn a_restart_and_downtime_lose_and_repeat_nothing() {
    let mut dovecot = Dovecot::start();
    let smtp = FakeSmtp::start();
    let batch = |from: usize, to: usize| -> Vec<String> {
        (from..to)
            .map(|n| {
                mail(
                    &format!("cliente{n}@cliente.test"),
                    "Pedido",
                    &format!("r{n}@cliente.test"),
                    &format!("Mensagem {n}"),
                )
            })
            .collect()
    };
    dovecot.deliver(&batch(0, 15));
    let (app, desk) = running(dovecot.port, smtp.port).await;
    // Stopped as soon as it has begun: whatever it fetched and had not stored yet is
    // asked for again after the restart.
    until("the first mail", || (inbound(&app) >= 1).then_some(())).await;
    let dir = app.stop().await;
    // Mail keeps arriving while Atende is down, and the IMAP server restarts too.
    dovecot.deliver(&batch(15, 25));
    dovecot.stop();
    dovecot.resume();
    let app = App::restart_on(dir).await;
    confirmed(&app, desk.channel, 25).await;
    until("every mail stored", || (inbound(&app) == 25).then_some(())).await;
    let distinct = count(&app, "SELECT count(DISTINCT external_id) FROM messages WHERE direction = 'in'");
    assert_eq!(distinct, 25, "each mail once");
    assert_eq!(count(&app, "SELECT count(*) FROM conversations"), 25);
    app.stop().await;
}

#[rocket::async_test]
async fn a_rebuilt_folder_is_read_again_and_stores_nothing_twice() {
    let dovecot = Dovecot::start();
    let smtp = FakeSmtp::start();
    let first = mail("a@cliente.test", "Um", "u1@cliente.test", "Primeiro");
    dovecot.rebuild("Atendimento", std::slice::from_ref(&first));
    let app = App::without_jobs().await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    let desk = setup(&app, dovecot.port, smtp.port, ana);
    app.exec(&format!(
        "UPDATE channels SET config = json_set(config, '$.folder', 'Atendimento') WHERE id = {}",
        desk.channel
    ));
    let app = App::restart_on(app.stop().await).await;
    confirmed(&app, desk.channel, 1).await;
    let before = cursor(&app, desk.channel).unwrap();
    // The folder is made anew (a migration, a restore): a new UIDVALIDITY, the old mail
    // again under new UIDs, and a new one after it.
    dovecot.rebuild("Atendimento", &[first, mail("b@cliente.test", "Dois", "u2@cliente.test", "Segundo")]);
    let after = until("the new folder read", || cursor(&app, desk.channel).filter(|c| c.ends_with(":2"))).await;
    assert_ne!(after.split(':').next(), before.split(':').next(), "another UIDVALIDITY");
    until("the new mail", || (inbound(&app) == 2).then_some(())).await;
    assert_eq!(count(&app, "SELECT count(*) FROM messages WHERE body = 'Primeiro'"), 1);
    app.stop().await;
}

#[rocket::async_test]
async fn a_reply_joins_its_conversation_and_another_sender_in_the_thread_gets_their_own() {
    let dovecot = Dovecot::start();
    let smtp = FakeSmtp::start();
    dovecot.deliver(&[mail(
        "Maria <maria@cliente.test>",
        "Pedido atrasado",
        "p1@cliente.test",
        "Meu pedido não chegou.",
    )]);
    let (app, desk) = running(dovecot.port, smtp.port).await;
    confirmed(&app, desk.channel, 1).await;
    let (maria, protocol) = conversation_of(&app, "maria@cliente.test");
    let notice = until("the protocol notice", || sent_to(&smtp, "maria@cliente.test").into_iter().next()).await;
    let notice_id = notice.message_id().unwrap().to_string();
    let reply_head = |from: &str, id: &str| {
        format!(
            "From: {from}\nTo: {ADDRESS}\nSubject: RES: Re: Pedido atrasado [{protocol}]\nMessage-ID: <{id}>\nIn-Reply-To: <{notice_id}>\nReferences: <p1@cliente.test> <{notice_id}>\n\n"
        )
    };
    dovecot.deliver(&[
        format!(
            "{}Já faz uma semana.\n\nEm seg., SAC escreveu:\n> Seu protocolo é {protocol}\n",
            reply_head("maria@cliente.test", "p2@cliente.test")
        ),
        // Her colleague, answering in the same thread: another person, another conversation.
        format!("{}Também estou esperando o meu.\n", reply_head("Pedro <pedro@cliente.test>", "p3@cliente.test")),
    ]);
    confirmed(&app, desk.channel, 3).await;
    let hers: Vec<(String, String)> = app.rows(&format!(
        "SELECT body, external_id FROM messages WHERE conversation_id = {maria} AND direction = 'in' ORDER BY id"
    ));
    assert_eq!(
        hers,
        vec![
            ("Meu pedido não chegou.".to_string(), "p1@cliente.test".to_string()),
            ("Já faz uma semana.".to_string(), "p2@cliente.test".to_string()),
        ],
        "the reply joins her conversation, without the quoted text"
    );
    let (pedro, pedro_protocol) = conversation_of(&app, "pedro@cliente.test");
    assert_ne!(pedro, maria);
    assert_ne!(pedro_protocol, protocol);
    assert_eq!(count(&app, "SELECT count(*) FROM conversations"), 2);
    app.stop().await;
}

#[rocket::async_test]
async fn an_auto_responder_answering_atende_stays_one_message() {
    let dovecot = Dovecot::start();
    let smtp = FakeSmtp::start();
    dovecot.deliver(&[mail("maria@cliente.test", "Pedido", "a1@cliente.test", "Oi")]);
    let (app, desk) = running(dovecot.port, smtp.port).await;
    let notice = until("the protocol notice", || sent_to(&smtp, "maria@cliente.test").into_iter().next()).await;
    assert_eq!(notice.header_raw("Auto-Submitted").map(str::trim), Some("auto-replied"));
    let answering = |extra: &str, id: &str| {
        format!(
            "From: maria@cliente.test\nTo: {ADDRESS}\nSubject: Ausente: {}\nMessage-ID: <{id}>\nIn-Reply-To: <{}>\n{extra}\nEstou de férias.\n",
            notice.subject().unwrap(),
            notice.message_id().unwrap()
        )
    };
    // Her out-of-office answers the notice, in each of the ways responders mark it, and
    // a bounce and a newsletter arrive too.
    dovecot.deliver(&[
        answering("Auto-Submitted: auto-replied\n", "o1@cliente.test"),
        answering("X-Autoreply: yes\n", "o2@cliente.test"),
        answering("X-Auto-Response-Suppress: All\n", "o3@cliente.test"),
        answering("Precedence: junk\n", "o4@cliente.test"),
        format!("Return-Path: <>\nFrom: MAILER-DAEMON@cliente.test\nTo: {ADDRESS}\nSubject: Undelivered\nMessage-ID: <b1@cliente.test>\n\nfalhou\n"),
        format!("From: ofertas@loja.test\nTo: {ADDRESS}\nSubject: Promo\nPrecedence: bulk\nMessage-ID: <n1@loja.test>\n\nCompre!\n"),
        // Atende's own mail coming back (a copy to itself) is not a customer either.
        format!("From: SAC <{ADDRESS}>\nTo: maria@cliente.test\nSubject: Re: Pedido\nMessage-ID: <eco@empresa.test>\n\neco\n"),
    ]);
    confirmed(&app, desk.channel, 8).await;
    assert_eq!(inbound(&app), 1, "only Maria's own mail");
    assert_eq!(count(&app, "SELECT count(*) FROM conversations"), 1);
    // Nothing more went out: one notice, no answer to a machine.
    assert_eq!(count(&app, "SELECT count(*) FROM messages WHERE direction = 'out'"), 1);
    assert_eq!(count(&app, "SELECT count(*) FROM outbox"), 0);
    assert_eq!(smtp.messages().len(), 1);
    app.stop().await;
}

#[rocket::async_test]
async fn an_imap_outage_shows_on_the_channel_and_fetching_resumes() {
    let mut dovecot = Dovecot::start();
    let smtp = FakeSmtp::start();
    dovecot.deliver(&[mail("maria@cliente.test", "Antes", "x1@cliente.test", "Antes da queda")]);
    let (app, desk) = running(dovecot.port, smtp.port).await;
    confirmed(&app, desk.channel, 1).await;
    dovecot.stop();
    let engine = Engine::new(app.db().clone());
    let mut problem = String::new();
    while problem.is_empty() {
        problem = engine.channel_health(desk.channel).await.unwrap().last_error;
        rocket::tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(problem.starts_with("IMAP"), "{problem}");
    assert!(!problem.contains(MAILBOX_PASSWORD), "no secret in the health panel");
    // Back: the poller was never switched off, and reads what arrived.
    dovecot.resume();
    dovecot.deliver(&[mail("maria@cliente.test", "Depois", "x2@cliente.test", "Depois da queda")]);
    confirmed(&app, desk.channel, 2).await;
    until("the mail after the outage", || (inbound(&app) == 2).then_some(())).await;
    let health = engine.channel_health(desk.channel).await.unwrap();
    assert!(health.last_poll_at >= health.last_error_at, "a poll worked after the problem: {health:?}");
    app.stop().await;
}

#[rocket::async_test]
async fn an_smtp_server_refusing_for_a_while_delays_a_reply_that_arrives_once() {
    let smtp = FakeSmtp::start();
    let app = App::without_jobs().await;
    let ana = app.add_user("agent", "ana", PASSWORD).await;
    // No IMAP needed: the mail arrives as the poller would hand it over.
    let desk = setup(&app, 9, smtp.port, ana);
    let engine = Engine::new(app.db().clone());
    let mail = Inbound {
        contact_email: "maria@cliente.test".into(),
        external_id: Some("s1@cliente.test".into()),
        subject: "Entrega".into(),
        ..Inbound::text(desk.channel, "maria@cliente.test", "Quando chega?")
    };
    let atende::engine::ingest::Ingested::Stored { conversation_id, .. } = engine.ingest(mail).await.unwrap() else {
        panic!("stored")
    };
    engine.take(&desk.agent, conversation_id).await.unwrap();
    let reply = engine.reply(&desk.agent, conversation_id, "Chega amanhã.", false).await.unwrap();
    smtp.refuse(&["421 4.3.2 Service not available, closing channel", "451 4.7.1 Greylisted, try again later"]);
    // Two workers at once, pass after pass, until the server takes both messages.
    let mut passes = 0;
    while count(&app, "SELECT count(*) FROM outbox") > 0 {
        passes += 1;
        assert!(passes < 10, "still in the outbox after {passes} passes");
        let (one, two) = (engine.clone(), engine.clone());
        let (a, b) = rocket::tokio::join!(one.deliver_due(), two.deliver_due());
        a.unwrap();
        b.unwrap();
        app.exec("UPDATE outbox SET next_attempt_at = 0");
    }
    assert!(passes >= 3, "the refusals delayed it");
    let received = sent_to(&smtp, "maria@cliente.test");
    let replies: Vec<_> =
        received.iter().filter(|m| m.body_text(0).is_some_and(|b| b.contains("Chega amanhã"))).collect();
    assert_eq!(replies.len(), 1, "the reply arrived exactly once");
    assert_eq!(received.len(), 2, "the notice and the reply");
    assert_eq!(replies[0].in_reply_to().as_text(), Some("s1@cliente.test"));
    assert!(replies[0].subject().unwrap().starts_with("Re: Entrega [EM"));
    let status: String = app.sql(&format!("SELECT status FROM messages WHERE id = {reply}"));
    assert_eq!(status, "sent");

    // A permanent refusal fails the message with the server's reason.
    smtp.refuse(&["550 5.1.1 Mailbox unavailable"]);
    let second = engine.reply(&desk.agent, conversation_id, "Mais uma coisa", false).await.unwrap();
    engine.deliver_due().await.unwrap();
    let (status, failure): (String, String) =
        app.rows(&format!("SELECT status, failure FROM messages WHERE id = {second}")).remove(0);
    assert_eq!(status, "failed");
    assert!(failure.contains("550") && failure.contains("Mailbox unavailable"), "{failure}");
    assert!(!failure.contains(MAILBOX_PASSWORD));
}

#[rocket::async_test]
async fn the_connection_test_signs_in_counts_the_folder_and_keeps_the_password_secret() {
    let dovecot = Dovecot::start();
    let smtp = FakeSmtp::start();
    dovecot.deliver(&[
        mail("a@cliente.test", "Um", "t1@cliente.test", "1"),
        mail("b@cliente.test", "Dois", "t2@cliente.test", "2"),
    ]);
    let good: Settings = serde_json::from_value(settings(dovecot.port, smtp.port)).unwrap();
    let tested = rocket::tokio::task::spawn_blocking(move || settings::test_connection(&good)).await.unwrap();
    assert_eq!(tested, Ok("INBOX: 2".to_string()));
    let mut wrong: Settings = serde_json::from_value(settings(dovecot.port, smtp.port)).unwrap();
    wrong.password = "senha-errada-123".into();
    let refused = rocket::tokio::task::spawn_blocking(move || settings::test_connection(&wrong)).await.unwrap();
    let reason = refused.unwrap_err();
    assert!(reason.starts_with("IMAP") && !reason.contains("senha-errada-123"), "{reason}");
    let mut no_folder: Settings = serde_json::from_value(settings(dovecot.port, smtp.port)).unwrap();
    no_folder.folder = "Inexistente".into();
    let missing = rocket::tokio::task::spawn_blocking(move || settings::test_connection(&no_folder)).await.unwrap();
    assert!(missing.unwrap_err().contains("Inexistente"));
}

/// The e-mail fields of the channel form, as an administrator fills them in.
fn email_form<'a>(imap_port: &'a str, smtp_port: &'a str, password: &'a str, team: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", "email"),
        ("name", "Caixa SAC"),
        ("settings[address]", ADDRESS),
        ("settings[imap_host]", "127.0.0.1"),
        ("settings[imap_port]", imap_port),
        ("settings[imap_security]", "none"),
        ("settings[folder]", ""),
        ("settings[smtp_host]", "127.0.0.1"),
        ("settings[smtp_port]", smtp_port),
        ("settings[smtp_security]", "none"),
        ("settings[username]", ""),
        ("settings[password]", password),
        ("settings[poll_interval_secs]", "30"),
        ("default_team_id", team),
        ("schedule_group_id", ""),
        ("active", "true"),
    ]
}

#[rocket::async_test]
async fn an_administrator_adds_the_mailbox_tests_it_and_never_sees_its_password_again() {
    use rocket::http::Status;
    let dovecot = Dovecot::start();
    let smtp = FakeSmtp::start();
    dovecot.deliver(&[mail("a@cliente.test", "Um", "w1@cliente.test", "1")]);
    let app = App::without_jobs().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    let team = team(&app, "E-mail", "manual", &[]).to_string();
    app.sign_in("chefe", PASSWORD).await;
    let blank = app.get("/admin/channels/new?kind=email").await;
    assert_eq!(blank.status, Status::Ok);
    assert!(blank.body.contains(r#"name="settings[imap_host]""#) && blank.body.contains("Servidor IMAP"));
    let (imap, out) = (dovecot.port.to_string(), smtp.port.to_string());

    // Without TLS only towards this machine; a new mailbox needs its password.
    let mut far = email_form(&imap, &out, "", &team);
    far[3] = ("settings[imap_host]", "imap.empresa.test");
    let refused = app.post("/admin/channels", &far).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("Sem TLS, só para um servidor neste computador"), "{}", refused.body);
    assert!(refused.body.contains(r#"id="password-error""#), "the password is asked for");
    assert_eq!(count(&app, "SELECT count(*) FROM channels"), 0);

    let created = app.post("/admin/channels", &email_form(&imap, &out, MAILBOX_PASSWORD, &team)).await;
    assert_eq!(created.status, Status::SeeOther, "{}", created.body);
    let id: i64 = app.sql("SELECT id FROM channels WHERE kind = 'email'");
    let stored: String = app.sql("SELECT json_extract(config, '$.password') FROM channels");
    assert_eq!(stored, MAILBOX_PASSWORD);
    let page = app.get(&format!("/admin/channels/{id}")).await;
    assert!(page.body.contains(&format!(r#"value="{ADDRESS}""#)), "the settings are shown back");
    assert!(!page.body.contains(MAILBOX_PASSWORD), "never the password");

    // Saved again with the password left empty: the one saved stays.
    let mut again = email_form(&imap, &out, "", &team);
    again[12] = ("settings[poll_interval_secs]", "45");
    let saved = app.post(&format!("/admin/channels/{id}"), &again).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let (password, interval): (String, i64) = app
        .rows("SELECT json_extract(config, '$.password'), json_extract(config, '$.poll_interval_secs') FROM channels")
        .remove(0);
    assert_eq!((password.as_str(), interval), (MAILBOX_PASSWORD, 45));
    let audit: String = app
        .sql("SELECT group_concat(details, ' ') FROM audit_log WHERE target = 'channel:' || (SELECT id FROM channels)");
    assert!(audit.contains("imap_host") && !audit.contains(MAILBOX_PASSWORD), "{audit}");

    // "Testar conexão" signs in, opens the folder and greets the SMTP server.
    let tested = app.post(&format!("/admin/channels/{id}/test"), &[]).await;
    assert_eq!(tested.status, Status::Ok);
    assert!(tested.body.contains("INBOX: 1"), "{}", tested.body);
    assert!(!tested.body.contains(MAILBOX_PASSWORD));
}

#[rocket::async_test]
async fn a_mailbox_is_added_from_the_shell_with_its_password_on_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let listed = crate::cli::atende(dir.path(), &["channel", "list"], "");
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    let db = rusqlite::Connection::open(dir.path().join("atende.db")).unwrap();
    db.execute("INSERT INTO teams (name, distribution, created_at) VALUES ('SAC', 'manual', 0)", []).unwrap();
    let args = [
        "channel",
        "add",
        "email",
        "--name",
        "Caixa",
        "--team",
        "SAC",
        "--address",
        ADDRESS,
        "--imap-host",
        "127.0.0.1",
        "--imap-security",
        "none",
        "--imap-port",
        "1143",
        "--smtp-host",
        "127.0.0.1",
        "--smtp-security",
        "none",
        "--smtp-port",
        "1025",
    ];
    let missing = crate::cli::atende(dir.path(), &args, "");
    assert!(!missing.status.success(), "no password, no channel");
    assert!(String::from_utf8_lossy(&missing.stderr).contains("password"));
    let added = crate::cli::atende(dir.path(), &args, &format!("{MAILBOX_PASSWORD}\n"));
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let (kind, password, audit): (String, String, String) = db
        .query_row(
            "SELECT kind, json_extract(config, '$.password'), (SELECT group_concat(details) FROM audit_log) FROM channels",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((kind.as_str(), password.as_str()), ("email", MAILBOX_PASSWORD));
    assert!(!audit.contains(MAILBOX_PASSWORD), "{audit}");
    let output = format!("{}{}", String::from_utf8_lossy(&added.stdout), String::from_utf8_lossy(&added.stderr));
    assert!(!output.contains(MAILBOX_PASSWORD));
}

#[rocket::async_test]
async fn a_mail_too_large_keeps_the_start_of_its_text_with_a_note_and_no_files() {
    let dovecot = Dovecot::start();
    let smtp = FakeSmtp::start();
    // 25 MiB of attachment: past what the poller loads whole.
    let line = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB\n";
    let attachment = line.repeat(25 * 1024 * 1024 / line.len());
    dovecot.deliver(&[format!(
        "From: a@cliente.test\nTo: {ADDRESS}\nSubject: Fotos\nMessage-ID: <big@cliente.test>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nSeguem as fotos da obra.\n--b\nContent-Type: application/octet-stream; name=\"fotos.zip\"\nContent-Transfer-Encoding: base64\n\n{attachment}--b--\n"
    )]);
    let (app, desk) = running(dovecot.port, smtp.port).await;
    confirmed(&app, desk.channel, 1).await;
    let body: String = app.sql("SELECT body FROM messages WHERE direction = 'in'");
    assert!(body.starts_with("Seguem as fotos da obra."), "{body}");
    assert!(body.contains("maior que o limite"), "the note says why: {body}");
    assert_eq!(count(&app, "SELECT count(*) FROM attachments"), 0);
    app.stop().await;
}
