//! The satisfaction survey in the demo shop's chat: a visitor passes the bot into SAC,
//! Ana (available, so the conversation is routed to her) classifies and closes it; the
//! widget shows the five stars, the visitor taps 4 and writes a comment, and the
//! answer is stored with the conversation and Ana. At a laptop's size and a phone's.

use super::*;

const COMMENT: &str = "Atendimento rápido, obrigado!";

/// The widget's stars as shown: how many, and whether they are visible.
async fn stars_shown(visitor: &Client) -> serde_json::Value {
    in_widget(
        visitor,
        "var s = root ? root.querySelectorAll('.survey .star') : [];\n\
         return [s.length, s.length ? s[0].offsetParent !== null : false];",
        vec![],
    )
    .await
}

/// Waits until `query` finds something on the server's database; what it found.
async fn sql_answers(db: &Path, what: &str, query: &str) -> String {
    poll(what, LIVE_TIMEOUT, || {
        let found = sql(db, query);
        async move {
            if found.is_empty() {
                Err("nothing yet".to_string())
            } else {
                Ok(found)
            }
        }
    })
    .await
}

async fn survey_in_the_widget(visitor: Client, agent: Client, base: String, data: PathBuf) {
    let (visitor, agent) = (&visitor, &agent);
    let db = data.join("atende.db");
    laptop_viewport(visitor).await;
    laptop_viewport(agent).await;
    agent.goto(&format!("{base}/login")).await.expect("opening /login");
    sign_in(agent, "ana@demo.local").await;
    wait_for_path(agent, "/agent").await;

    visitor_writes(visitor, &base).await;
    let find_conv = format!(
        "SELECT CAST(c.id AS TEXT) FROM conversations c JOIN contacts k ON k.id = c.contact_id
         WHERE k.name = '{VISITOR_NAME}' AND c.status = 'active' AND c.agent_id = (SELECT id FROM users WHERE username = 'ana')"
    );
    let conv = sql_answers(&db, "the conversation routed to Ana", &find_conv).await;
    agent.goto(&format!("{base}/agent/conversations/{conv}")).await.expect("opening the conversation");
    click(agent, Locator::XPath("//div[contains(@class,'conv-actions')]/button[normalize-space()='Finalizar']")).await;
    let reason = find(agent, Locator::Css("dialog.close-dialog[open] select[name='reason_id']")).await;
    reason.select_by_label("Dúvida sobre produto").await.expect("choosing the reason");
    click(agent, Locator::XPath("//dialog[@open]//button[normalize-space()='Salvar e finalizar']")).await;

    poll("the stars in the widget", LIVE_TIMEOUT, || async move {
        let shown = stars_shown(visitor).await;
        if shown == serde_json::json!([5, true]) {
            Ok(())
        } else {
            Err(format!("{shown} {:?}", widget_messages(visitor).await))
        }
    })
    .await;
    screenshot(visitor, "widget-survey-stars.png").await;
    set_viewport(visitor, 390, 844).await;
    assert_eq!(stars_shown(visitor).await, serde_json::json!([5, true]), "the stars at a phone's size");
    in_widget(visitor, "var b = root.querySelector('.messages'); b.scrollTop = b.scrollHeight;", vec![]).await;
    screenshot(visitor, "widget-survey-stars-phone.png").await;

    in_widget(visitor, "root.querySelectorAll('.survey .star')[3].click();", vec![]).await;
    widget_answers(visitor, "Quer deixar um comentário?", COMMENT).await;
    let stored = "SELECT a.score || ':' || a.comment || ':' || u.username FROM survey_answers a
                  JOIN users u ON u.id = a.agent_id WHERE a.conversation_id = ";
    let answer = sql_answers(&db, "the answer stored", &format!("{stored}{conv}")).await;
    assert_eq!(answer, format!("4:{COMMENT}:ana"));
    assert_eq!(stars_shown(visitor).await[0], 0, "the stars go once answered");
    screenshot(visitor, "widget-survey-answered-phone.png").await;
}

#[rocket::async_test]
async fn a_visitor_rates_the_service_with_the_widgets_stars_and_a_comment() {
    require_browser_tools();
    let _serial = one_at_a_time();
    let stack = start_stack("-survey").await;
    let visitor = connect_browser(&stack.webdriver).await;
    let agent = connect_browser(&stack.webdriver).await;
    let data = stack._data_dir.path().to_path_buf();
    run_sessions(
        &[("survey-visitor", &visitor), ("survey-agent", &agent)],
        survey_in_the_widget(visitor.clone(), agent.clone(), stack.base.clone(), data),
    )
    .await;
    drop(stack);
}
