//! Click-to-call against a fake PBX on 127.0.0.1: the template filled with the agent's
//! extension, the contact's number and the secret; the outcome as a line in the
//! conversation and in the audit log; refusals; one call at a time per agent.

use std::io::Write;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rocket::http::Status;

use crate::common::{App, PASSWORD};
use crate::fake_graph::{read_request, Request};
use crate::workspace::{agent, channel, inbound, team};

const SECRET: &str = "c2VncmVkby1kby1wYng=";

/// A PBX that answers every request with `status`, after `delay`, keeping them all.
#[derive(Clone)]
struct FakePbx {
    base: String,
    seen: Arc<Mutex<Vec<Request>>>,
}

impl FakePbx {
    fn start(status: u16, delay: Duration) -> FakePbx {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind fake pbx");
        let pbx = FakePbx { base: format!("http://{}", listener.local_addr().unwrap()), seen: Arc::default() };
        let seen = pbx.seen.clone();
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let seen = seen.clone();
                std::thread::spawn(move || {
                    let Some(request) = read_request(&mut stream) else { return };
                    seen.lock().unwrap().push(request);
                    std::thread::sleep(delay);
                    let body = r#"{"id":"1700000000.1","state":"Down"}"#;
                    let head =
                        format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.write_all(body.as_bytes());
                });
            }
        });
        pbx
    }

    fn requests(&self) -> Vec<Request> {
        self.seen.lock().unwrap().clone()
    }
}

/// A company with the PBX set up by its administrator (`app`, signed in as chefe) and
/// Ana (extension 201, her own browser) holding a conversation with a contact who has a
/// phone number.
async fn company(pbx: &FakePbx) -> (App, App, i64, i64) {
    let app = App::new().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    let url = format!("{}/ari/channels?endpoint=PJSIP/{{extension}}&extension={{number}}", pbx.base);
    let form = [
        ("method", "POST"),
        ("url", url.as_str()),
        ("headers", "Authorization: Basic {secret}\nX-Origem: atende"),
        ("body", r#"{"destino":"{number}"}"#),
        ("secret", SECRET),
        ("timeout_secs", "2"),
    ];
    let saved = app.post("/admin/settings/telephony", &form).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let (ana, ana_id) = agent(&app, "ana").await;
    app.exec(&format!("UPDATE users SET extension = '201' WHERE id = {ana_id}"));
    let sac = team(&app, "SAC", "manual", &[ana_id]);
    let site = channel(&app, "site", sac);
    let conversation = inbound(&app, site, "maria", "Pode me ligar?").await;
    app.exec(&format!(
        "UPDATE contacts SET phone = '5511987654321' WHERE id = (SELECT contact_id FROM conversations WHERE id = {conversation});
         UPDATE conversations SET agent_id = {ana_id}, status = 'active' WHERE id = {conversation};"
    ));
    (app, ana, ana_id, conversation)
}

#[rocket::async_test]
async fn the_pbx_is_asked_to_ring_the_extension_and_the_call_is_a_line_of_the_conversation() {
    let pbx = FakePbx::start(200, Duration::ZERO);
    let (app, ana_app, ana, conversation) = company(&pbx).await;
    let pane = ana_app.get(&format!("/agent/conversations/{conversation}/pane")).await;
    assert!(pane.body.contains(&format!("/agent/conversations/{conversation}/call")), "📞 is offered");
    let called = ana_app.post(&format!("/agent/conversations/{conversation}/call"), &[]).await;
    assert!(called.status == Status::SeeOther || called.status == Status::Ok, "{}", called.body);
    let requests = pbx.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/ari/channels?endpoint=PJSIP/201&extension=5511987654321");
    assert_eq!(r.headers.get("authorization").map(String::as_str), Some(format!("Basic {SECRET}").as_str()));
    assert_eq!(r.headers.get("x-origem").map(String::as_str), Some("atende"));
    assert_eq!(String::from_utf8_lossy(&r.body), r#"{"destino":"5511987654321"}"#);
    let line: String = app.sql(&format!(
        "SELECT body FROM messages WHERE conversation_id = {conversation} AND direction = 'system' ORDER BY id DESC LIMIT 1"
    ));
    assert_eq!(line, format!("call:{ana}:ringing"));
    let pane = ana_app.get(&format!("/agent/conversations/{conversation}/pane")).await;
    assert!(pane.body.contains("ligou para o contato pelo ramal: chamando"), "{}", pane.body);
    let audit: String = app.sql("SELECT details FROM audit_log WHERE action = 'call.placed'");
    assert!(
        audit.contains("\"outcome\":\"ringing\"") && !audit.contains("98765") && !audit.contains(SECRET),
        "{audit}"
    );
    let stored: String = app.sql("SELECT group_concat(details) FROM audit_log WHERE action = 'settings.telephony'");
    assert!(!stored.contains(SECRET), "the secret never reaches the audit log");
    // The settings page never shows the secret back.
    let form = app.get("/admin/settings/telephony").await;
    assert!(form.body.contains("Um segredo está salvo") && !form.body.contains(SECRET), "{}", form.body);
}

#[rocket::async_test]
async fn a_refusing_pbx_and_a_missing_extension_or_number_are_told_plainly() {
    let pbx = FakePbx::start(503, Duration::ZERO);
    let (app, ana_app, ana, conversation) = company(&pbx).await;
    ana_app.post(&format!("/agent/conversations/{conversation}/call"), &[]).await;
    let line: String = app.sql(&format!(
        "SELECT body FROM messages WHERE conversation_id = {conversation} AND direction = 'system' ORDER BY id DESC LIMIT 1"
    ));
    assert_eq!(line, format!("call:{ana}:failed-503"));
    let pane = ana_app.get(&format!("/agent/conversations/{conversation}/pane")).await;
    assert!(pane.body.contains("não foi completada: o PBX respondeu 503"), "{}", pane.body);
    // The contact page says it too.
    let contact: i64 = app.sql(&format!("SELECT contact_id FROM conversations WHERE id = {conversation}"));
    let page = ana_app.post(&format!("/agent/contacts/{contact}/call"), &[]).await;
    assert_eq!(page.location.as_deref(), Some(format!("/agent/contacts/{contact}?call=call-failed").as_str()));
    assert!(ana_app
        .get(&format!("/agent/contacts/{contact}?call=call-failed"))
        .await
        .body
        .contains("A ligação não foi completada."));
    // Without an extension the button is not offered and a call is refused; nothing reaches the PBX.
    app.exec(&format!("UPDATE users SET extension = '' WHERE id = {ana}"));
    let before = pbx.requests().len();
    let pane = ana_app.get(&format!("/agent/conversations/{conversation}/pane")).await;
    assert!(!pane.body.contains("/call\""), "no 📞 without an extension");
    let refused = ana_app.post(&format!("/agent/conversations/{conversation}/call"), &[]).await;
    assert_eq!(refused.status, Status::UnprocessableEntity, "{}", refused.body);
    assert!(refused.body.contains("Cadastre seu ramal"), "{}", refused.body);
    app.exec(&format!(
        "UPDATE users SET extension = '201' WHERE id = {ana}; UPDATE contacts SET phone = '' WHERE id = {contact}"
    ));
    let page = ana_app.post(&format!("/agent/contacts/{contact}/call"), &[]).await;
    assert_eq!(page.location.as_deref(), Some(format!("/agent/contacts/{contact}?call=call-no-number").as_str()));
    assert_eq!(pbx.requests().len(), before);
}

#[rocket::async_test]
async fn a_double_click_rings_once_and_a_stranger_cannot_call_from_anothers_conversation() {
    let pbx = FakePbx::start(200, Duration::from_millis(600));
    let (app, ana_app, _ana, conversation) = company(&pbx).await;
    // Two clicks at once reach the one server (one process holds the calls being placed).
    let path = format!("/agent/conversations/{conversation}/call");
    let (a, b) = rocket::tokio::join!(ana_app.post(&path, &[]), ana_app.post(&path, &[]));
    assert_eq!(pbx.requests().len(), 1, "two clicks, one call");
    let statuses = [a.status, b.status];
    assert!(statuses.contains(&Status::UnprocessableEntity), "{statuses:?}");
    // Bruno, of no team of the conversation, does not see it.
    let (stranger, bruno) = agent(&app, "bruno").await;
    app.exec(&format!("UPDATE users SET extension = '202', history_scope = 'own' WHERE id = {bruno}"));
    assert_eq!(stranger.post(&path, &[]).await.status, Status::NotFound);
    assert_eq!(pbx.requests().len(), 1);
    // Without the settings' permission the PBX cannot be changed.
    assert_eq!(stranger.post("/admin/settings/telephony", &[("url", "http://evil")]).await.status, Status::Forbidden);
}
