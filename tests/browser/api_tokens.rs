//! "Tokens da API" at a laptop's size: the empty list, the form refusing what is
//! missing (next to each field), a token made and shown once, the list with it, and the
//! token answering the REST API from outside the browser.

use super::*;

async fn api_tokens_page(client: Client, base: String) {
    client.goto(&format!("{base}/login")).await.expect("opening /login");
    sign_in(&client, ADMIN_EMAIL).await;
    wait_for_path(&client, "/admin").await;
    laptop_viewport(&client).await;
    client.goto(&format!("{base}/admin/api-tokens")).await.expect("opening the tokens");
    wait_for_text(&client, "Nenhum token criado ainda").await;
    screenshot(&client, "api-tokens-empty.png").await;

    click(&client, Locator::Css("a[href='/admin/api-tokens/new']")).await;
    wait_for_path(&client, "/admin/api-tokens/new").await;
    type_into(&client, "textarea[name='networks']", "10.0.0.0/33").await;
    click(&client, Locator::Css("form[action='/admin/api-tokens'] button[type='submit']")).await;
    wait_for_text(&client, "Marque ao menos uma permissão").await;
    assert!(body_text(&client).await.contains("formato CIDR"), "the network's error is shown");
    screenshot(&client, "api-tokens-form-errors.png").await;

    type_into(&client, "input[name='name']", "ERP Financeiro").await;
    js(&client, "document.querySelector('textarea[name=networks]').value = '';", vec![]).await;
    for scope in ["contacts:write", "conversations:read", "teams:read"] {
        click(&client, Locator::Css(&format!("input[name='scopes'][value='{scope}']"))).await;
    }
    screenshot(&client, "api-tokens-form.png").await;
    click(&client, Locator::Css("form[action='/admin/api-tokens'] button[type='submit']")).await;
    wait_for_text(&client, "não será mostrado de novo").await;
    let token = js(&client, "return document.querySelector('#token').value;", vec![]).await;
    let token = token.as_str().unwrap_or_default().to_string();
    assert!(token.starts_with("atd_"), "{token}");
    screenshot(&client, "api-tokens-created-once.png").await;

    // The token answers the API; the list then shows its last use, never the token.
    let port: u16 = base.rsplit(':').next().and_then(|p| p.parse().ok()).expect("port");
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connecting");
    let request = format!(
        "GET /api/v1/teams HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).expect("asking");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("reading");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    click(&client, Locator::Css("a.button.primary[href='/admin/api-tokens']")).await;
    wait_for_path(&client, "/admin/api-tokens").await;
    let shown = wait_for_text(&client, "ERP Financeiro").await;
    assert!(!shown.contains(&token), "the list never shows the token");
    assert!(!shown.contains("Nunca usado"), "its last use is shown");
    screenshot(&client, "api-tokens-list.png").await;
}

#[rocket::async_test]
async fn an_administrator_makes_an_api_token_at_a_laptops_size() {
    require_browser_tools();
    let _serial = one_at_a_time();
    let stack = start_stack("-api-tokens").await;
    let client = connect_browser(&stack.webdriver).await;
    run_sessions(&[("api-tokens", &client)], api_tokens_page(client.clone(), stack.base.clone())).await;
    drop(stack);
}
