//! "Nível de serviço" at a laptop's size: the export buttons beside the title, and a
//! refused target shown as it was typed, with the error beside its field.

use super::*;

async fn service_level(client: Client, base: String) {
    let client = &client;
    laptop_viewport(client).await;
    client.goto(&format!("{base}/login")).await.expect("opening /login");
    sign_in(client, ADMIN_EMAIL).await;
    wait_for_path(client, "/admin").await;
    client.goto(&format!("{base}/reports/service-level")).await.expect("opening the report");
    let page = wait_for_text(client, "Baixar planilha").await;
    assert!(page.contains("Nível de serviço"), "{page}");
    find(client, Locator::Css(".page-head a[href^='/reports/service-level/export/xlsx?']")).await;
    find(client, Locator::Css(".page-head a[href^='/reports/service-level/export/csv?']")).await;
    screenshot(client, "service-level.png").await;

    type_into(client, "#goal_percent", "70").await;
    type_into(client, "#target_seconds", "90000").await;
    click(client, Locator::Css("form.report-target button[type='submit']")).await;
    wait_for_text(client, "Informe um número de segundos entre 1 e 86400.").await;
    let value = |id: &'static str| async move {
        find(client, Locator::Css(id)).await.prop("value").await.expect("reading a field").unwrap_or_default()
    };
    assert_eq!(value("#target_seconds").await, "90000", "the seconds as typed");
    assert_eq!(value("#goal_percent").await, "70", "the goal as typed, not the stored 80");
    let invalid = js(client, "return document.getElementById('target_seconds').getAttribute('aria-invalid');", vec![]);
    assert_eq!(invalid.await, serde_json::json!("true"));
    js(client, "document.querySelector('form.report-target').scrollIntoView({ block: 'center' });", vec![]).await;
    screenshot(client, "service-level-refused-target.png").await;
}

#[rocket::async_test]
async fn the_service_level_page_offers_its_spreadsheets_and_keeps_a_refused_target_as_typed() {
    require_browser_tools();
    let _serial = one_at_a_time();
    let stack = start_stack("-service-level").await;
    let client = connect_browser(&stack.webdriver).await;
    run_sessions(&[("admin", &client)], service_level(client.clone(), stack.base.clone())).await;
    drop(stack);
}
