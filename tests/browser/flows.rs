//! The flow editor on a laptop screen (1366×625): the administrator builds a
//! three-block flow, "Publicar" refuses it with the problem on its block, the fix
//! publishes it, and the simulator chats with the draft as a WhatsApp customer; then
//! a thirty-block flow is drawn to see that it stays readable.

use std::path::PathBuf;

use super::*;

/// Sets a select's value as a person choosing it would.
async fn choose(client: &Client, css: &str, value: &str) {
    let script = "var s = document.querySelector(arguments[0]); s.value = arguments[1]; return s.value;";
    let set = client.execute(script, vec![css.into(), value.into()]).await.expect("choosing");
    assert_eq!(set, serde_json::Value::from(value), "{css} has no option {value}");
}

async fn open_block(client: &Client, id: &str) {
    click(client, Locator::Css(&format!("a.flow-box[data-block='{id}']"))).await;
    find(client, Locator::Css(&format!("form#block-form[action$='/blocks/{id}']"))).await;
}

async fn save_block(client: &Client, shows: &str) {
    click(client, Locator::Css("#block-form button[type='submit']")).await;
    wait_for_text(client, shows).await;
}

/// Thirty blocks: a greeting, a nine-option menu, a question behind each option and a
/// transfer or close behind each question, and blocks nothing reaches yet.
fn thirty_blocks() -> String {
    let mut blocks = vec![
        serde_json::json!({"id": "ola", "name": "Boas-vindas", "type": "message", "text": "Olá!", "next": "menu"}),
    ];
    let options: Vec<_> =
        (1..=9).map(|i| serde_json::json!({"label": format!("Assunto {i}"), "next": format!("p{i}")})).collect();
    blocks.push(serde_json::json!({"id": "menu", "name": "Menu principal", "type": "menu", "text": "Escolha",
        "options": options, "invalid": "ola"}));
    for i in 1..=9 {
        blocks.push(serde_json::json!({"id": format!("p{i}"), "name": format!("Pergunta {i}"), "type": "ask",
            "text": "Seu nome?", "field": "nome", "validation": {"kind": "text"}, "next": format!("t{i}"), "invalid": "menu"}));
        let end = match i % 2 {
            0 => {
                serde_json::json!({"id": format!("t{i}"), "name": format!("Equipe {i}"), "type": "transfer", "team_id": 1})
            }
            _ => {
                serde_json::json!({"id": format!("t{i}"), "name": format!("Fim {i}"), "type": "close", "text": "Tchau"})
            }
        };
        blocks.push(end);
    }
    // Blocks added and not linked yet, as a flow being built has.
    for n in blocks.len()..30 {
        blocks.push(serde_json::json!({"id": format!("solto{n}"), "name": format!("Novo bloco {n}"), "type": "close", "text": "?"}));
    }
    serde_json::json!({"start": "ola", "blocks": blocks}).to_string()
}

async fn build_publish_and_simulate(client: Client, base: String, data: PathBuf) {
    laptop_viewport(&client).await;
    client.goto(&format!("{base}/login")).await.expect("login page");
    sign_in(&client, ADMIN_EMAIL).await;
    wait_for_path(&client, "/admin").await;
    client.goto(&format!("{base}/admin/flows/new")).await.expect("new flow");
    type_into(&client, "input[name='name']", "Atendimento do site").await;
    click(&client, Locator::Css("form.admin-form button[type='submit']")).await;
    wait_for_text(&client, "Boas-vindas").await;
    screenshot(&client, "flows-1-new.png").await;

    open_block(&client, "b1").await;
    type_into(&client, "#text", "Olá, {{nome}}! Sou a assistente virtual.").await;
    choose(&client, "#next", "new:menu").await;
    save_block(&client, "Menu").await;
    open_block(&client, "b2").await;
    type_into(&client, "#name", "Menu principal").await;
    type_into(&client, "#text", "Como posso ajudar?").await;
    type_into(&client, "#option-0", "Vendas").await;
    choose(&client, "#option-next-0", "new:transfer").await;
    save_block(&client, "Transferência").await;
    open_block(&client, "b3").await;
    client.execute("document.querySelector('#team_id').selectedIndex = 1;", vec![]).await.expect("team");
    save_block(&client, "Menu principal").await;
    screenshot(&client, "flows-2-three-blocks.png").await;

    click(&client, Locator::Css("form[action$='/publish'] button")).await;
    wait_for_text(&client, "O fluxo não foi publicado").await;
    find(&client, Locator::Css("a.flow-box.has-problem[data-block='b2']")).await;
    screenshot(&client, "flows-3-publish-refused.png").await;

    open_block(&client, "b2").await;
    choose(&client, "#invalid", "b3").await;
    screenshot(&client, "flows-4-block-form.png").await;
    type_into(&client, "#option-words-0", "comprar,  orçamento").await;
    client.execute("document.querySelector('#option-words-0').scrollIntoView({block: 'center'});", vec![]).await.ok();
    screenshot(&client, "flows-4b-option-words.png").await;
    save_block(&client, "Menu principal").await;
    let words = client.execute("return document.querySelector('#option-words-0').value;", vec![]).await.expect("words");
    assert_eq!(words, serde_json::Value::from("comprar, orçamento"), "the option's words read back");
    click(&client, Locator::Css("form[action$='/publish'] button")).await;
    wait_for_text(&client, "Versão 1 publicada").await;
    screenshot(&client, "flows-5-published.png").await;

    click(&client, Locator::XPath("//a[normalize-space()='Simulador']")).await;
    choose(&client, "#sim-channel", "whatsapp").await;
    type_into(&client, "#sim-field-1", "Marina").await;
    click(&client, Locator::Css("button[name='nudge'][value='start']")).await;
    wait_for_text(&client, "Olá, Marina! Sou a assistente virtual.").await;
    click(&client, Locator::Css("button[name='tap'][value='Vendas']")).await;
    wait_for_text(&client, "Transferiria para a equipe").await;
    find(&client, Locator::Css("a.flow-box.on-path[data-block='b3']")).await;
    screenshot(&client, "flows-6-simulator.png").await;
    // The panel never pushes the page past the window: only the panels scroll.
    let page = client.execute("return document.documentElement.scrollHeight;", vec![]).await.expect("height");
    assert!(page.as_i64().unwrap_or(9999) <= 625, "the page scrolls: {page}");

    let db = data.join("atende.db");
    let escaped = thirty_blocks().replace('\'', "''");
    sql(
        &db,
        &format!("INSERT INTO flows (name, draft, created_at, updated_at) VALUES ('Trinta blocos', '{escaped}', 0, 0)"),
    );
    let id = sql(&db, "SELECT CAST(id AS TEXT) FROM flows WHERE name = 'Trinta blocos'");
    client.goto(&format!("{base}/admin/flows/{id}?block=menu")).await.expect("thirty blocks");
    wait_for_text(&client, "Menu principal").await;
    screenshot(&client, "flows-7-thirty-blocks.png").await;
    let boxes = client.execute("return document.querySelectorAll('.flow-box').length;", vec![]).await.expect("boxes");
    assert_eq!(boxes, serde_json::Value::from(30));
    // The nine options' labels, as drawn, cover no other label.
    let overlapping = client
        .execute(
            "const r = [...document.querySelectorAll('.flow-arrow-label')].map(t => t.getBoundingClientRect());
             let n = 0;
             for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++)
               if (r[i].left < r[j].right && r[j].left < r[i].right && r[i].top < r[j].bottom && r[j].top < r[i].bottom) n++;
             return [r.length, n];",
            vec![],
        )
        .await
        .expect("labels");
    assert!(overlapping[0].as_i64().unwrap_or(0) >= 10, "{overlapping}");
    assert_eq!(overlapping[1], serde_json::Value::from(0), "labels overlap");
}

#[rocket::async_test]
async fn an_administrator_builds_publishes_and_simulates_a_flow_on_a_laptop() {
    require_browser_tools();
    let _serial = one_at_a_time();
    let stack = start_stack("-flows").await;
    let client = connect_browser(&stack.webdriver).await;
    let data = stack._data_dir.path().to_path_buf();
    run_sessions(&[("flows", &client)], build_publish_and_simulate(client.clone(), stack.base.clone(), data)).await;
    drop(stack);
}
