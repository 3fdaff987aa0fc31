//! "Chat interno" between two agents of the demo, each in a browser of their own at a
//! laptop's size: Ana opens the panel from the icon on the right and writes to Bruno,
//! whose icon shows the unread message live; he opens it and answers, and Ana's open
//! thread shows the answer without a reload. The panel is docked beside the pane, so
//! Ana's composer stays in sight and clickable while it is open.

use super::*;

const QUESTION: &str = "Bruno, pode cobrir minha fila às 15h?";
const ANSWER: &str = "Posso sim, pode ir.";

/// The icon's badge as shown ("" when none).
async fn chat_badge(client: &Client) -> String {
    let shown =
        js(client, "var b = document.querySelector('#chat-badge'); return b ? b.textContent.trim() : '';", vec![])
            .await;
    shown.as_str().unwrap_or_default().to_string()
}

/// The open thread's messages as shown.
async fn chat_messages(client: &Client) -> String {
    let shown =
        js(client, "var m = document.querySelector('#chat-messages'); return m ? m.innerText : '';", vec![]).await;
    shown.as_str().unwrap_or_default().to_string()
}

async fn open_thread_with(client: &Client, name: &str) {
    click(client, Locator::Css("[data-chat-toggle]")).await;
    click(
        client,
        Locator::XPath(&format!("//button[contains(@class,'chat-peer')][.//bdi[normalize-space()='{name}']]")),
    )
    .await;
    find(client, Locator::Css("#chat-thread [data-chat-box]")).await;
}

async fn write_in_chat(client: &Client, text: &str) {
    send_to(client, Locator::Css("#chat-thread [data-chat-box]"), text).await;
    send_to(client, Locator::Css("#chat-thread [data-chat-box]"), &char::from(Key::Enter).to_string()).await;
}

async fn two_agents_chat(ana: Client, bruno: Client, base: String) {
    let (ana, bruno) = (&ana, &bruno);
    for (client, login) in [(ana, "ana@demo.local"), (bruno, "bruno@demo.local")] {
        client.goto(&format!("{base}/login")).await.expect("opening /login");
        sign_in(client, login).await;
        wait_for_path(client, "/agent").await;
        laptop_viewport(client).await;
    }
    // Ana works on a conversation of hers, when the demo gives her one.
    let open =
        js(ana, "var a = document.querySelector('#lists a.conv-row'); return a ? a.getAttribute('href') : '';", vec![])
            .await;
    if let Some(path) = open.as_str().filter(|p| !p.is_empty()) {
        ana.goto(&format!("{base}{path}")).await.expect("opening a conversation");
    }
    assert_eq!(chat_badge(bruno).await, "", "nothing unread yet");

    open_thread_with(ana, "Bruno Lima").await;
    screenshot(ana, "chat-ana-empty-thread.png").await;
    write_in_chat(ana, QUESTION).await;
    poll("Ana's message in her thread", LIVE_TIMEOUT, || async {
        let shown = chat_messages(ana).await;
        if shown.contains(QUESTION) {
            Ok(())
        } else {
            Err(shown)
        }
    })
    .await;
    let composer = js(ana, "return document.querySelector('#chat-thread [data-chat-box]').value;", vec![]).await;
    assert_eq!(composer.as_str(), Some(""), "the chat's composer is empty after sending");

    // Bruno's icon counts it live; he opens the thread and answers.
    poll("Bruno's badge", LIVE_TIMEOUT, || async {
        let badge = chat_badge(bruno).await;
        if badge == "1" {
            Ok(())
        } else {
            Err(format!("badge {badge:?}"))
        }
    })
    .await;
    screenshot(bruno, "chat-bruno-badge.png").await;
    click(bruno, Locator::Css("[data-chat-toggle]")).await;
    let list = wait_for_text(bruno, "Ana Souza").await;
    assert!(list.contains("Chat interno"), "{list}");
    screenshot(bruno, "chat-bruno-list.png").await;
    click(bruno, Locator::XPath("//button[contains(@class,'chat-peer')][.//bdi[normalize-space()='Ana Souza']]")).await;
    find(bruno, Locator::Css("#chat-thread [data-chat-box]")).await;
    assert!(chat_messages(bruno).await.contains(QUESTION));
    poll("Bruno's badge cleared", LIVE_TIMEOUT, || async {
        let badge = chat_badge(bruno).await;
        if badge.is_empty() {
            Ok(())
        } else {
            Err(format!("badge {badge:?}"))
        }
    })
    .await;
    write_in_chat(bruno, ANSWER).await;

    // Ana's open thread shows the answer without a reload.
    poll("Bruno's answer in Ana's thread", LIVE_TIMEOUT, || async {
        let shown = chat_messages(ana).await;
        if shown.contains(ANSWER) {
            Ok(())
        } else {
            Err(shown)
        }
    })
    .await;
    assert_eq!(chat_badge(ana).await, "", "read as it arrived in the open thread");
    screenshot(ana, "chat-ana-thread-open-over-the-workspace.png").await;
    screenshot(bruno, "chat-bruno-thread.png").await;
    if js(ana, "return !!document.querySelector('#pane form.composer');", vec![]).await == serde_json::json!(true) {
        assert_composer_in_sight(ana, "with the internal chat open").await;
    }
    // Closed with ×: the workspace has its width back.
    click(ana, Locator::Css("[data-chat-close]")).await;
    let open = js(ana, "return document.querySelector('.ws').classList.contains('chat-open');", vec![]).await;
    assert_eq!(open, serde_json::json!(false));
}

#[rocket::async_test]
async fn two_agents_chat_internally_at_a_laptops_size() {
    require_browser_tools();
    let _serial = one_at_a_time();
    let stack = start_stack("-internal-chat").await;
    let ana = connect_browser(&stack.webdriver).await;
    let bruno = connect_browser(&stack.webdriver).await;
    run_sessions(
        &[("chat-ana", &ana), ("chat-bruno", &bruno)],
        two_agents_chat(ana.clone(), bruno.clone(), stack.base.clone()),
    )
    .await;
    drop(stack);
}
