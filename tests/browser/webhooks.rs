//! "Webhooks" at a laptop's size: the list, the form refusing a loopback target without
//! "Permitir destino em rede privada" (the message beside the field, what was typed
//! kept), the saved subscription with its delivery log, and "Reenviar".

use super::*;

/// A receiver on 127.0.0.1 that answers 200 to everything; its address.
fn receiver() -> String {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind receiver");
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buffer = [0u8; 65536];
            let _ = stream.read(&mut buffer);
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    url
}

async fn webhooks(client: Client, base: String, db: PathBuf) {
    let client = &client;
    let target = receiver();
    laptop_viewport(client).await;
    client.goto(&format!("{base}/login")).await.expect("opening /login");
    sign_in(client, ADMIN_EMAIL).await;
    wait_for_path(client, "/admin").await;
    client.goto(&format!("{base}/admin/webhooks")).await.expect("opening the list");
    wait_for_text(client, "Novo webhook").await;
    screenshot(client, "webhooks-empty.png").await;

    click(client, Locator::Css(".page-head a.button")).await;
    wait_for_path(client, "/admin/webhooks/new").await;
    let secret = find(client, Locator::Css("#webhook-secret")).await.text().await.expect("the secret");
    assert_eq!(secret.len(), 64, "{secret}");
    type_into(client, "#url", &target).await;
    click(client, Locator::Css("input[name='events'][value='message.created']")).await;
    click(client, Locator::Css("input[name='events'][value='conversation.opened']")).await;
    click(client, Locator::Css("form.admin-form button[type='submit']")).await;
    wait_for_text(client, "Este endereço leva a uma rede privada ou local").await;
    let typed = find(client, Locator::Css("#url")).await.prop("value").await.expect("the url").unwrap_or_default();
    assert_eq!(typed, target, "kept as typed");
    let invalid = js(client, "return document.getElementById('url').getAttribute('aria-invalid');", vec![]).await;
    assert_eq!(invalid, serde_json::json!("true"));
    let still = find(client, Locator::Css("#webhook-secret")).await.text().await.expect("the secret");
    assert_eq!(still, secret, "the same secret until saved");
    js(client, "document.getElementById('url').scrollIntoView({ block: 'start' });", vec![]).await;
    screenshot(client, "webhooks-form-refused.png").await;

    click(client, Locator::Css("input[name='allow_private']")).await;
    click(client, Locator::Css("form.admin-form button[type='submit']")).await;
    wait_for_text(client, "Entregas recentes").await;
    let id = sql(&db, "SELECT CAST(id AS TEXT) FROM webhook_subscriptions");
    assert!(!body_text(client).await.contains(&secret), "never shown again");

    // States the pages cannot make quickly: a delivery given up on and one delivered.
    let now = sql(&db, "SELECT CAST(CAST(unixepoch('subsec') * 1000 AS INTEGER) AS TEXT)");
    for (n, status, attempts, code, error, event) in
        [(1, "dead", 152, 503, "HTTP 503", "conversation.opened"), (2, "delivered", 1, 200, "", "message.created")]
    {
        sql(
            &db,
            &format!(
                "INSERT INTO webhook_deliveries (public_id, subscription_id, event, conversation_id, payload, status,
                     attempts, next_attempt_at, retry_since, last_attempt_at, response_status, last_error, created_at)
                 VALUES ('whd_exemplo{n}', {id}, '{event}', NULL, '{{}}', '{status}', {attempts}, {now}, {now} - 86400000,
                         {now}, {code}, '{error}', {now} - 86400000)"
            ),
        );
    }
    client.goto(&format!("{base}/admin/webhooks/{id}")).await.expect("opening the subscription");
    wait_for_text(client, "Abandonada").await;
    js(client, "document.querySelector('.webhook-log').scrollIntoView({ block: 'start' });", vec![]).await;
    screenshot(client, "webhooks-log.png").await;

    click(client, Locator::XPath("//tr[contains(@class,'delivery-dead')]//button")).await;
    poll("the resent delivery delivered", LIVE_TIMEOUT, || async {
        match sql(&db, "SELECT status FROM webhook_deliveries WHERE public_id = 'whd_exemplo1'").as_str() {
            "delivered" => Ok(()),
            other => Err(other.to_string()),
        }
    })
    .await;
    client.goto(&format!("{base}/admin/webhooks")).await.expect("opening the list");
    wait_for_text(client, &target).await;
    screenshot(client, "webhooks-list.png").await;
}

#[rocket::async_test]
async fn an_administrator_adds_a_webhook_sees_the_refusal_beside_the_field_and_reads_its_log() {
    require_browser_tools();
    let _serial = one_at_a_time();
    let stack = start_stack("-webhooks").await;
    let client = connect_browser(&stack.webdriver).await;
    let db = stack._data_dir.path().join("atende.db");
    run_sessions(&[("admin", &client)], webhooks(client.clone(), stack.base.clone(), db)).await;
    drop(stack);
}
