//! "Webhooks" under Integrações: the form refuses what it cannot deliver (a loopback
//! target without "Permitir destino em rede privada", another scheme, no event) and
//! says so beside the field; the secret is shown once when made and once when
//! rotated, never on the edit page nor in the audit log; only who holds the area
//! gets in.

use atende::domain::webhooks::signature;
use rocket::http::Status;

use crate::common::{extract, App, PASSWORD};
use crate::webhook_receiver::Receiver;

async fn admin() -> App {
    let app = App::without_jobs().await;
    app.add_user("admin", "chefe", PASSWORD).await;
    app.sign_in("chefe", PASSWORD).await;
    app
}

/// The secret a page shows in its box, if any.
fn shown_secret(body: &str) -> Option<String> {
    extract(body, r#"id="webhook-secret">([0-9a-f]{64})<"#)
}

#[rocket::async_test]
async fn a_loopback_target_needs_the_checkbox_and_the_secret_is_shown_once() {
    let app = admin().await;
    let receiver = Receiver::start(200);
    let list = app.get("/admin/webhooks").await;
    assert_eq!(list.status, Status::Ok);
    assert!(list.body.contains("Novo webhook"));
    let menu = app.get("/menu").await;
    assert!(menu.body.contains("/admin/webhooks"), "in the menu");

    let blank = app.get("/admin/webhooks/new").await;
    let secret = shown_secret(&blank.body).expect("the new secret is on the form");
    let fields = |url: &'static str, private: bool| {
        let mut f =
            vec![("url", url), ("events", "message.created"), ("events", "conversation.closed"), ("active", "true")];
        if private {
            f.push(("allow_private", "true"));
        }
        f
    };
    let url: &'static str = Box::leak(receiver.url.clone().into_boxed_str());

    let mut typed = fields(url, false);
    typed.push(("secret", &secret));
    let refused = app.post("/admin/webhooks", &typed).await;
    assert_eq!(refused.status, Status::UnprocessableEntity);
    assert!(refused.body.contains("Este endereço leva a uma rede privada ou local"), "{}", refused.body);
    assert!(refused.body.contains(url), "what was typed stays");
    assert_eq!(shown_secret(&refused.body).as_deref(), Some(secret.as_str()), "the same secret, still unsaved");
    for (bad, message) in [
        ("ftp://127.0.0.1/x", "deve começar com http:// ou https://"),
        ("http://usuario:senha@127.0.0.1/x", "Não coloque usuário e senha"),
        ("", "Informe o endereço de destino"),
        ("http://nao-existe.invalid/x", "Não foi possível encontrar este endereço"),
    ] {
        let mut typed = fields(bad, true);
        typed.push(("secret", &secret));
        let page = app.post("/admin/webhooks", &typed).await;
        assert_eq!(page.status, Status::UnprocessableEntity, "{bad}");
        assert!(page.body.contains(message), "{bad}: {message}");
    }
    let no_events = app.post("/admin/webhooks", &[("url", url), ("allow_private", "true"), ("secret", &secret)]).await;
    assert!(no_events.body.contains("Escolha pelo menos um evento"));
    assert_eq!(app.sql::<i64>("SELECT count(*) FROM webhook_subscriptions"), 0, "nothing stored");

    let mut typed = fields(url, true);
    typed.push(("secret", &secret));
    let saved = app.post("/admin/webhooks", &typed).await;
    assert_eq!(saved.status, Status::SeeOther, "{}", saved.body);
    let id: i64 = app.sql("SELECT id FROM webhook_subscriptions");
    assert_eq!(saved.location.as_deref(), Some(format!("/admin/webhooks/{id}").as_str()));
    assert_eq!(app.sql::<String>("SELECT secret FROM webhook_subscriptions"), secret);
    assert_eq!(app.sql::<String>("SELECT events FROM webhook_subscriptions"), "conversation.closed message.created");
    let edit = app.get(&format!("/admin/webhooks/{id}")).await;
    assert!(!edit.body.contains(&secret), "never shown again");
    assert!(edit.body.contains("Nenhuma entrega ainda"));
    let audit: String = app.sql("SELECT group_concat(details) FROM audit_log WHERE action LIKE 'webhook.%'");
    assert!(!audit.contains(&secret), "not in the audit log");

    // An edit that unticks the checkbox is refused; the stored row stays.
    let unticked = app.post(&format!("/admin/webhooks/{id}"), &fields(url, false)).await;
    assert_eq!(unticked.status, Status::UnprocessableEntity);
    assert_eq!(app.sql::<i64>("SELECT allow_private FROM webhook_subscriptions"), 1);

    // Rotating shows the new one once; the old one no longer signs.
    let rotate = format!("/admin/webhooks/{id}/secret");
    assert_eq!(app.post_raw(&rotate, "").await.status, Status::Forbidden, "CSRF");
    let rotated = app.post(&rotate, &[]).await;
    assert_eq!(rotated.status, Status::Ok);
    let fresh = shown_secret(&rotated.body).expect("the new secret shown");
    assert_ne!(fresh, secret);
    assert_eq!(app.sql::<String>("SELECT secret FROM webhook_subscriptions"), fresh);
    assert!(!app.get(&format!("/admin/webhooks/{id}")).await.body.contains(&fresh));
    assert_ne!(signature(&fresh, 1, b"x"), signature(&secret, 1, b"x"));
    let actions: String = app.sql("SELECT group_concat(action) FROM audit_log WHERE action LIKE 'webhook.%'");
    assert!(actions.contains("webhook.create") && actions.contains("webhook.rotate-secret"), "{actions}");
}

#[rocket::async_test]
async fn only_who_holds_integrations_gets_in() {
    let app = admin().await;
    app.add_user("agent", "ana", PASSWORD).await;
    let ana = app.other_browser().await;
    ana.sign_in("ana", PASSWORD).await;
    for path in ["/admin/webhooks", "/admin/webhooks/new"] {
        assert_eq!(ana.get(path).await.status, Status::Forbidden, "{path}");
    }
    assert_eq!(ana.post("/admin/webhooks", &[("url", "http://127.0.0.1/")]).await.status, Status::Forbidden);
    let stranger = app.other_browser().await;
    stranger.logout().await;
    assert_eq!(stranger.get("/admin/webhooks").await.status, Status::SeeOther);
}

/// The pages' walk in every language (`pages`): the list, the new form, and a
/// subscription with a delivery in its log.
pub async fn walk_pages(c: &mut crate::pages::Check<'_>) {
    let id = crate::webhook_receiver::subscribe(c.app, "http://127.0.0.1:9/hook", "message.created");
    c.app.exec(&format!(
        "INSERT INTO webhook_deliveries (public_id, subscription_id, event, payload, status, attempts, next_attempt_at,
             retry_since, last_attempt_at, response_status, last_error, created_at)
         VALUES ('whd_walk{id}', {id}, 'message.created', '{{}}', 'dead', 3, 0, 0, 0, 503, 'HTTP 503', 0)"
    ));
    c.get("admin/webhooks/list.html", "/admin/webhooks", Status::Ok, "webhooks-help").await;
    c.get("admin/webhooks/form.html", "/admin/webhooks/new", Status::Ok, "webhooks-secret-once").await;
    c.get("admin/webhooks/form.html", &format!("/admin/webhooks/{id}"), Status::Ok, "webhooks-status-dead").await;
}
