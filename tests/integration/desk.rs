//! The agent's desk around the conversation: the composer's send key chosen on the
//! profile.

use rocket::http::Status;

use crate::common::App;
use crate::workspace::{agent, channel, inbound, team};

/// Ana, of SAC, holding one conversation from the site: her browser, her id, the
/// channel and the conversation.
async fn ana_in_service(app: &App) -> (App, i64, i64, i64) {
    let (ana, ana_id) = agent(app, "ana").await;
    let site = channel(app, "site", team(app, "SAC", "manual", &[ana_id]));
    let conv = inbound(app, site, "maria", "Oi").await;
    ana.post(&format!("/agent/conversations/{conv}/take"), &[]).await;
    (ana, ana_id, site, conv)
}

#[rocket::async_test]
async fn the_send_key_is_chosen_on_the_profile_and_reaches_the_composer() {
    let app = App::new().await;
    let (ana, ana_id, _, conv) = ana_in_service(&app).await;

    let page = ana.get(&format!("/agent/conversations/{conv}")).await;
    assert!(page.body.contains(r#"data-send-key="enter""#), "Enter sends by default");
    assert!(page.body.contains("Enter envia · Shift+Enter nova linha"));
    let profile = ana.get("/account").await;
    assert!(profile.body.contains(r#"name="send_key" value="enter" checked"#), "{}", profile.body);

    let saved = ana.post("/account/send-key", &[("send_key", "ctrl-enter")]).await;
    assert_eq!(saved.status, Status::SeeOther);
    assert_eq!(saved.location.as_deref(), Some("/account?saved=send-key"));
    assert_eq!(app.sql::<String>(&format!("SELECT send_key FROM users WHERE id = {ana_id}")), "ctrl-enter");
    let profile = ana.get("/account?saved=send-key").await;
    assert!(profile.body.contains("Preferência de envio salva."));
    assert!(profile.body.contains(r#"name="send_key" value="ctrl-enter" checked"#));
    assert!(!profile.body.contains(r#"value="enter" checked"#));
    let pane = ana.get(&format!("/agent/conversations/{conv}/pane")).await;
    assert!(pane.body.contains(r#"data-send-key="ctrl-enter""#), "the pane's composer follows the choice");
    assert!(pane.body.contains("Ctrl+Enter envia · Enter nova linha"));
    let audited: String =
        app.sql("SELECT details FROM audit_log WHERE action = 'profile.update' ORDER BY id DESC LIMIT 1");
    assert!(audited.contains("ctrl-enter"), "{audited}");

    let refused = ana.post("/account/send-key", &[("send_key", "alt-enter")]).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("Escolha uma das formas de envio"), "{}", refused.body);
    assert_eq!(app.sql::<String>(&format!("SELECT send_key FROM users WHERE id = {ana_id}")), "ctrl-enter");
}
