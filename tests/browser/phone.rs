//! The demo phone at a laptop's size: a newcomer writes on /demo/phone as a WhatsApp
//! customer, passes the demo's bot (tapping "Suporte" in its list); Ana, on her
//! workspace, takes the conversation and answers; the answer
//! shows on the phone without a reload, and Ana's message moves to "lida".

use super::*;

const CUSTOMER: &str = "Paula Ribeiro";
const QUESTION: &str = "Oi! Quero trocar o tamanho da camiseta.";
const ANSWER: &str = "Claro, Paula! Qual tamanho você prefere?";

/// The phone's messages as shown ("mine:" / "theirs:" + text).
async fn phone_bubbles(client: &Client) -> Vec<String> {
    let seen = js(
        client,
        "return Array.prototype.map.call(document.querySelectorAll('#phone-thread .bubble'), function (b) {\n\
           return (b.classList.contains('bubble-mine') ? 'mine:' : 'theirs:') + b.querySelector('p').textContent;\n\
         });",
        vec![],
    )
    .await;
    seen.as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

async fn phone_and_agent(customer: Client, agent: Client, base: String) {
    let (customer, agent) = (&customer, &agent);
    laptop_viewport(customer).await;
    customer.goto(&format!("{base}/demo/phone")).await.expect("opening the phone");
    wait_for_text(customer, "Nenhuma mensagem ainda").await;
    screenshot(customer, "phone-whatsapp-empty.png").await;
    let page_fits = js(customer, "return document.documentElement.scrollHeight <= window.innerHeight;", vec![]).await;
    assert_eq!(page_fits, serde_json::Value::Bool(true), "the phone page scrolls at 1366x625");

    agent.goto(&format!("{base}/login")).await.expect("opening /login");
    sign_in(agent, "ana@demo.local").await;
    wait_for_path(agent, "/agent").await;
    // On a pause, the conversation waits in SAC's queue for her to take it.
    click(agent, Locator::XPath("//details[contains(@class,'menu')]/summary[normalize-space()='Pausa']")).await;
    click(agent, Locator::XPath("//form[@action='/agent/pause']//button[starts-with(normalize-space(),'Almoço')]"))
        .await;
    find(agent, Locator::XPath("//span[contains(@class,'ws-status')][contains(normalize-space(),'Em pausa')]")).await;

    send_to(customer, Locator::Css("form[data-phone-form] textarea"), &format!("{QUESTION}{}", Key::Enter)).await;
    poll("the question on the phone, taken by Atende", STEP_TIMEOUT, || async move {
        let ticks =
            js(customer, "var t = document.querySelector('.bubble-mine .tick-delivered'); return !!t;", vec![]).await;
        let bubbles = phone_bubbles(customer).await;
        if bubbles.contains(&format!("mine:{QUESTION}")) && ticks == serde_json::Value::Bool(true) {
            Ok(())
        } else {
            Err(format!("{bubbles:?}"))
        }
    })
    .await;

    // The demo's bot answers first: her name, her CPF, then the menu as a list she taps.
    for (asked, answer) in [("Para começar, qual é o seu nome?", CUSTOMER), ("Agora, qual é o seu CPF?", DEMO_CPF)] {
        poll(&format!("the bot asking {asked:?} on the phone"), STEP_TIMEOUT, || async move {
            let bubbles = phone_bubbles(customer).await;
            if bubbles.iter().any(|b| b.starts_with("theirs:") && b.contains(asked)) {
                Ok(())
            } else {
                Err(format!("{bubbles:?}"))
            }
        })
        .await;
        send_to(customer, Locator::Css("form[data-phone-form] textarea"), &format!("{answer}{}", Key::Enter)).await;
    }
    let row = Locator::XPath("//div[contains(@class,'bubble-list')]//button[normalize-space()='Suporte']");
    find(customer, row).await;
    screenshot(customer, "phone-whatsapp-bot-list.png").await;
    click(customer, row).await;
    poll("the bot handing over on the phone", STEP_TIMEOUT, || async move {
        let bubbles = phone_bubbles(customer).await;
        if bubbles.iter().any(|b| b.starts_with("theirs:Certo! Vou te passar para o nosso Suporte.")) {
            Ok(())
        } else {
            Err(format!("{bubbles:?}"))
        }
    })
    .await;

    poll("the WhatsApp conversation in Ana's waiting list", LIVE_TIMEOUT, || async move {
        let list = waiting_list(agent).await;
        if list.contains(CUSTOMER) {
            Ok(())
        } else {
            Err(list)
        }
    })
    .await;
    click(agent, Locator::Css("#lists [role=tab][data-tab='waiting']")).await;
    click(
        agent,
        Locator::XPath(&format!(
            "//ul[@data-list='waiting']//button[contains(@class,'conv-row')][.//strong[normalize-space()='{CUSTOMER}']]"
        )),
    )
    .await;
    find(agent, Locator::XPath(&format!("//section[@id='pane']//h1[normalize-space()='{CUSTOMER}']"))).await;
    type_into(agent, "textarea[data-reply]", ANSWER).await;
    // A refresh of the pane is on its way when she sends (a status of the bot's
    // messages, say), and her send leaves a little late: the refresh would land first,
    // and must not take the place of what her send answers.
    js(
        agent,
        "var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;\n\
         XMLHttpRequest.prototype.open = function (method, url) {\n\
           this.late = method === 'POST' && /\\/messages$/.test(url); return open.apply(this, arguments); };\n\
         XMLHttpRequest.prototype.send = function () {\n\
           var xhr = this, args = arguments; if (!xhr.late) { return send.apply(xhr, args); }\n\
           setTimeout(function () { send.apply(xhr, args); }, 800); };\n\
         document.body.dispatchEvent(new CustomEvent('ws-pane-refresh')); return true;",
        vec![],
    )
    .await;
    click(agent, Locator::Css("form.composer button.primary[type='submit']:not([name='go_online'])")).await;
    // Still on her pause: the composer asks first, keeping what she wrote.
    let prompt = Locator::XPath("//div[contains(@class,'paused-prompt')]//button[@name='go_online']");
    find(agent, prompt).await;
    let kept = js(agent, "return document.querySelector('#pane [data-reply]').value;", vec![]).await;
    assert_eq!(kept.as_str(), Some(ANSWER), "the question keeps what she wrote");
    click(agent, prompt).await;
    poll("the answer in Ana's pane", STEP_TIMEOUT, || async move {
        let sent = pane_messages(agent, "out").await;
        if sent.iter().any(|m| m == ANSWER) {
            Ok(())
        } else {
            Err(format!("{sent:?}; the pane: {}", pane_state(agent).await))
        }
    })
    .await;

    poll("the answer on the phone without a reload", LIVE_TIMEOUT, || async move {
        let bubbles = phone_bubbles(customer).await;
        if bubbles.contains(&format!("theirs:{ANSWER}")) {
            Ok(())
        } else {
            Err(format!("{bubbles:?}"))
        }
    })
    .await;
    poll("the answer read on the phone", LIVE_TIMEOUT, || async move {
        let status = js(
            customer,
            "var s = document.querySelectorAll('.agent-status'); return s.length ? s[s.length - 1].textContent : '';",
            vec![],
        )
        .await;
        if status == "lida" {
            Ok(())
        } else {
            Err(status.to_string())
        }
    })
    .await;
    screenshot(customer, "phone-whatsapp-answered.png").await;
    laptop_viewport(agent).await;
    screenshot(agent, "phone-agent-pane.png").await;

    // The e-mail tab: the demo mail waiting at start, in the customer's mailbox.
    customer.goto(&format!("{base}/demo/phone?tab=email")).await.expect("opening the e-mail tab");
    wait_for_text(customer, "Nota fiscal do pedido 4521").await;
    screenshot(customer, "phone-email.png").await;
}

#[rocket::async_test]
async fn a_newcomer_writes_on_the_demo_phone_as_a_whatsapp_customer_and_reads_the_agents_answer_at_1366_by_625() {
    require_browser_tools();
    let _serial = one_at_a_time();
    let stack = start_stack("-phone").await;
    let customer = connect_browser(&stack.webdriver).await;
    let agent = connect_browser(&stack.webdriver).await;
    run_sessions(
        &[("phone", &customer), ("phone-agent", &agent)],
        phone_and_agent(customer.clone(), agent.clone(), stack.base.clone()),
    )
    .await;
    drop(stack);
}
