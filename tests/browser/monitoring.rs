//! "Monitoramento" with a supervisor and an agent, each in a browser of their own at a
//! laptop's size: Ana goes on a pause and the supervisor's page shows it without a
//! reload; the supervisor ends the pause from the page (confirming first), and Ana's
//! workspace shows her available again, also without a reload.

use super::*;

const ANA: &str = "Ana Souza";

/// What the monitoring page's row of Ana says ("" while there is none).
async fn ana_row(client: &Client) -> String {
    let shown = js(
        client,
        "var wanted = arguments[0];\n\
         var rows = Array.prototype.filter.call(document.querySelectorAll('#monitor tr'), function (r) {\n\
           var name = r.querySelector('td bdi'); return name && name.textContent.trim() === wanted; });\n\
         return rows.length ? rows[0].innerText : '';",
        vec![ANA.into()],
    )
    .await;
    shown.as_str().unwrap_or_default().to_string()
}

async fn row_says(client: &Client, what: &str, wanted: &str) {
    poll(what, LIVE_TIMEOUT, || async {
        let row = ana_row(client).await;
        if row.contains(wanted) {
            Ok(())
        } else {
            Err(row)
        }
    })
    .await;
}

/// Ana's row in sight, for the screenshot.
async fn show_ana_row(client: &Client) {
    let script = format!(
        "var row = document.evaluate(\"//tr[.//bdi[normalize-space()='{ANA}']]\", document, null, 9, null).singleNodeValue;\n\
         if (row) {{ row.scrollIntoView({{ block: 'center' }}); }} return !!row;"
    );
    js(client, &script, vec![]).await;
}

async fn supervisor_ends_a_pause(supervisor: Client, ana: Client, base: String) {
    let (supervisor, ana) = (&supervisor, &ana);
    for (client, login, path) in [(supervisor, ADMIN_EMAIL, "/admin"), (ana, "ana@demo.local", "/agent")] {
        client.goto(&format!("{base}/login")).await.expect("opening /login");
        sign_in(client, login).await;
        wait_for_path(client, path).await;
        laptop_viewport(client).await;
    }
    supervisor.goto(&format!("{base}/admin/monitoring")).await.expect("opening monitoring");
    row_says(supervisor, "Ana available on the monitoring page", "Disponível").await;

    // Ana takes her lunch; the page shows it live, with the pause's name.
    click(ana, Locator::XPath("//details[contains(@class,'menu')]/summary[normalize-space()='Pausa']")).await;
    click(ana, Locator::XPath("//form[@action='/agent/pause']//button[starts-with(normalize-space(),'Almoço')]")).await;
    find(ana, Locator::XPath("//span[contains(@class,'ws-status')][contains(normalize-space(),'Em pausa')]")).await;
    row_says(supervisor, "Ana's pause on the monitoring page without a reload", "Em pausa · Almoço").await;
    show_ana_row(supervisor).await;
    screenshot(supervisor, "monitoring-agent-paused.png").await;

    // The supervisor ends it, confirming first.
    let end = format!("//tr[.//bdi[normalize-space()='{ANA}']]//form[contains(@action,'/end-pause')]//button");
    // One click, not `click`'s retries: any other command while the question is open
    // would dismiss it.
    find(supervisor, Locator::XPath(&end)).await.click().await.expect("clicking Encerrar pausa");
    poll("the confirmation", STEP_TIMEOUT, || async {
        let asked = supervisor.get_alert_text().await.map_err(|e| e.to_string())?;
        assert!(asked.contains("Encerrar a pausa de"), "{asked}");
        supervisor.accept_alert().await.map_err(|e| e.to_string())
    })
    .await;
    wait_for_text(supervisor, "Pausa encerrada.").await;
    row_says(supervisor, "Ana available again on the monitoring page", "Disponível").await;
    show_ana_row(supervisor).await;
    screenshot(supervisor, "monitoring-pause-ended.png").await;

    // Ana's workspace says so without a reload.
    find(ana, Locator::XPath("//span[contains(@class,'ws-status')][contains(normalize-space(),'Disponível')]")).await;
    screenshot(ana, "monitoring-ana-back-from-pause.png").await;
}

#[rocket::async_test]
async fn a_supervisor_sees_an_agents_pause_live_and_ends_it_from_monitoring() {
    require_browser_tools();
    let _serial = one_at_a_time();
    let stack = start_stack("-monitoring").await;
    let supervisor = connect_browser(&stack.webdriver).await;
    let ana = connect_browser(&stack.webdriver).await;
    run_sessions(
        &[("monitoring-supervisor", &supervisor), ("monitoring-ana", &ana)],
        supervisor_ends_a_pause(supervisor.clone(), ana.clone(), stack.base.clone()),
    )
    .await;
    drop(stack);
}
